"""A scenario written back as a commented YAML file, every number exact.

The file reads back through :func:`stakeflow.load` to the same scenario. Numbers are written
as the format reads them (SPEC §1): integers as integers (``8_000_000``), other terminating
rationals as their exact decimal (``0.125``). A rational whose decimal does not terminate
(``2/3``) cannot be written exactly in the format; it is written to
:data:`SIGNIFICANT_DIGITS` significant digits and marked by a comment on its line, and the
writer reports it (see :class:`Rounded`). Fields equal to their default are left out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from typing import Any

import yaml
from pydantic import BaseModel

from ..scenario.models import Scenario
from .decimals import decimal_text

SIGNIFICANT_DIGITS = 30
"""Significant digits written for a rational whose decimal expansion does not terminate."""

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Rounded:
    """A value written rounded because its decimal expansion does not terminate."""

    path: str
    exact: Fraction
    written: str


@dataclass
class _Out:
    lines: list[str] = field(default_factory=list)
    rounded: list[Rounded] = field(default_factory=list)


def number_text(x: Fraction) -> tuple[str, bool]:
    """``(text, exact)``: how ``x`` is written in a scenario file, and whether that is exact."""
    if x.denominator == 1:
        n = x.numerator
        return (f"{n:_}" if abs(n) >= 10_000 else str(n)), True
    text = decimal_text(x)
    if text is not None:
        return text, True
    with localcontext() as ctx:
        ctx.prec = SIGNIFICANT_DIGITS
        ctx.rounding = ROUND_HALF_EVEN
        d = Decimal(x.numerator) / Decimal(x.denominator)
    return format(d, "f"), False


_ALWAYS = frozenset({"currency"})
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .()'/-]*$")


def _string(s: str) -> str:
    if _PLAIN.match(s) and not s.endswith(" ") and yaml.safe_load(s) == s:
        return s
    return json.dumps(s, ensure_ascii=False)


def _fields(m: BaseModel) -> list[tuple[str, Any]]:
    """The model's fields that differ from their defaults, keyed as the file spells them."""
    out: list[tuple[str, Any]] = []
    for name, info in type(m).model_fields.items():
        value = getattr(m, name)
        if not info.is_required() and name not in _ALWAYS:
            default = info.get_default(call_default_factory=True)
            if value is None or (value == default and type(value) is type(default)):
                continue
        out.append((info.alias or name, value))
    return out


def _scalar(value: Any, out: _Out, loc: Loc) -> tuple[str, str | None]:
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, Fraction):
        text, exact = number_text(value)
        if exact:
            return text, None
        out.rounded.append(Rounded(_path(loc), value, text))
        return text, f"= {value} exactly; rounded to {SIGNIFICANT_DIGITS} significant digits"
    if isinstance(value, int):
        return (f"{value:_}" if abs(value) >= 10_000 else str(value)), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, str):
        return _string(value), None
    if value is None:
        return "null", None
    raise TypeError(f"cannot write {type(value).__name__} in a scenario file")


def _path(loc: Loc) -> str:
    s = ""
    for p in loc:
        s += f"[{p}]" if isinstance(p, int) else ("." if s else "") + str(p)
    return s


def _is_scalar(v: Any) -> bool:
    return not isinstance(v, BaseModel | Mapping | list | tuple)


def _comment(text: str | None, extra: str | None) -> str:
    parts = [p for p in (text, extra) if p]
    return ("  # " + "; ".join(parts)) if parts else ""


def _emit_mapping(
    items: Sequence[tuple[str | int, Any]],
    indent: str,
    first_prefix: str,
    loc: Loc,
    out: _Out,
    notes: Mapping[Loc, str],
    flow_lists: frozenset[str],
    first_note: str | None = None,
) -> None:
    """Write ``key: value`` lines; the first line starts with ``first_prefix`` (``- `` in lists)
    and carries ``first_note``."""
    for i, (key, value) in enumerate(items):
        prefix = first_prefix if i == 0 else indent
        here = (*loc, key)
        k = _string(str(key))
        if i == 0 and first_note:
            own = notes.get(here)
            notes = {**notes, here: f"{first_note}; {own}" if own else first_note}
        if isinstance(value, BaseModel):
            value = dict(_fields(value))
        if isinstance(value, Mapping):
            out.lines.append(f"{prefix}{k}:{_comment(notes.get(here), None)}")
            if not value:
                out.lines[-1] = f"{prefix}{k}: {{}}{_comment(notes.get(here), None)}"
                continue
            _emit_mapping(list(value.items()), indent + "  ", indent + "  ", here, out, notes, flow_lists)
        elif isinstance(value, list | tuple):
            if not value:
                out.lines.append(f"{prefix}{k}: []{_comment(notes.get(here), None)}")
                continue
            out.lines.append(f"{prefix}{k}:{_comment(notes.get(here), None)}")
            _emit_list(list(value), indent + "  ", here, out, notes, flow_lists, flow=str(key) in flow_lists)
        else:
            text, extra = _scalar(value, out, here)
            out.lines.append(f"{prefix}{k}: {text}{_comment(notes.get(here), extra)}")


def _emit_list(
    values: list[Any],
    indent: str,
    loc: Loc,
    out: _Out,
    notes: Mapping[Loc, str],
    flow_lists: frozenset[str],
    flow: bool,
) -> None:
    for j, item in enumerate(values):
        here = (*loc, j)
        if isinstance(item, BaseModel):
            item = dict(_fields(item))
        if isinstance(item, Mapping):
            pairs = list(item.items())
            if flow and all(_is_scalar(v) for _, v in pairs):
                extras: list[str] = []
                parts = []
                for key, v in pairs:
                    text, extra = _scalar(v, out, (*here, key))
                    parts.append(f"{_string(str(key))}: {text}")
                    if extra:
                        extras.append(f"{key} {extra}")
                note = "; ".join([n for n in (notes.get(here), *extras) if n])
                out.lines.append(f"{indent}- {{{', '.join(parts)}}}{_comment(note, None)}")
                continue
            _emit_mapping(pairs, indent + "  ", indent + "- ", here, out, notes, flow_lists, notes.get(here))
        else:
            text, extra = _scalar(item, out, here)
            out.lines.append(f"{indent}- {text}{_comment(notes.get(here), extra)}")


def dump_scenario(
    sc: Scenario,
    header: Sequence[str] = (),
    notes: Mapping[Loc, str] | None = None,
    flow_lists: Sequence[str] = ("holdings",),
) -> tuple[str, list[Rounded]]:
    """The YAML text of ``sc`` and the values it had to round.

    ``header`` lines are written first as comments; ``notes`` puts a comment on the line of a
    field or list item, located as in the file (``("entities", 0, "classes", 1)``). Lists named
    in ``flow_lists`` are written one item a line (``- {holder: a, class: common, shares: 10}``).
    """
    out = _Out()
    for line in header:
        out.lines.append(("# " + line).rstrip() if line else "#")
    _emit_mapping(_fields(sc), "", "", (), out, notes or {}, frozenset(flow_lists))
    return "\n".join(out.lines) + "\n", out.rounded
