"""Exact values carried through the Open Cap Table Format in comments.

OCF numbers are decimals of at most 10 places, and OCF has no field for some terms of the
scenario format (a participating preferred class without a cap; the class an option or
warrant belongs to). The exporter writes such values as a comment on the OCF object,

    "stakeflow: invested=2000000; participating=true"

and the importer reads them back, so that export then import gives the same scenario. Other
tools show the comment as text and read the OCF fields, which hold the nearest 10-place
decimals. The importer trusts a mark only while it agrees with the OCF field next to it (to
within the field's rounding): a value edited elsewhere after the export wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from .decimals import rounded_text

PREFIX = "stakeflow:"
PLACES = 10
"""Decimal places of an OCF Numeric (schema types/Numeric: up to 10 decimal places)."""

HALF_UNIT = Fraction(1, 2 * 10**PLACES)


def numeric_text(x: Fraction) -> tuple[str, bool]:
    """The OCF Numeric spelling of ``x`` (at most 10 decimal places) and whether it is exact."""
    return rounded_text(x, PLACES)


def read_fraction(text: str) -> Fraction | None:
    """The exact value of a mark (``2/3``, ``0.125``, ``12``), or None if it is not a number."""
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        return None


def marks_of(obj: Any) -> dict[str, str]:
    """The ``key=value`` marks in the comments of a pyocf object."""
    out: dict[str, str] = {}
    for c in getattr(obj, "comments", None) or ():
        if isinstance(c, str) and c.startswith(PREFIX):
            for part in c[len(PREFIX):].split(";"):
                if "=" in part:
                    k, v = part.split("=", 1)
                    out[k.strip()] = v.strip()
    return out


def mark_comment(marks: Mapping[str, str]) -> str:
    """One comment holding ``marks``."""
    return PREFIX + " " + "; ".join(f"{k}={v}" for k, v in marks.items())


def comments_with(marks: Mapping[str, str], others: Iterable[str] = ()) -> list[str] | None:
    """Comments for an exported object: the other comments, then the marks, or None if empty."""
    out = list(others)
    if marks:
        out.append(mark_comment(marks))
    return out or None


def exact(marks: Mapping[str, str], key: str, ocf_value: Fraction | None) -> tuple[Fraction | None, bool]:
    """The exact value of a field: its mark when present and consistent with the OCF value (to
    within half a unit of the 10th decimal place), else the OCF value. The flag says whether a
    mark was present but disagreed (the OCF value was edited after the export)."""
    text = marks.get(key)
    if text is None:
        return ocf_value, False
    mark = read_fraction(text)
    if mark is None:
        return ocf_value, True
    if ocf_value is None or abs(mark - ocf_value) <= HALF_UNIT:
        return mark, False
    return ocf_value, True
