"""Exact reading of the numbers in a scenario file (SPEC §1, "Numbers").

Every amount, share count, multiple and rate is read exactly as written, in decimal: ``0.1``
is one tenth, not the nearest double. Accepted spellings: numbers; strings with ``_`` or ``,``
separators; the suffixes ``k``, ``M``/``m``, ``B``/``b``, ``T``/``t``; a trailing ``%`` for a
fraction; a trailing ``x`` for a multiple.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from .errors import OUT_OF_RANGE

Spelled = str | int | float | Fraction | Decimal
"""A number in any spelling of SPEC §1: ``"60%"``, ``"25M"``, ``3``, ``0.04``, ``Fraction(1, 3)``."""

DateSpelled = dt.date | str
"""A date as a ``datetime.date`` or written ``YYYY-MM-DD``."""

_SUFFIX = {
    "k": Fraction(10**3),
    "K": Fraction(10**3),
    "m": Fraction(10**6),
    "M": Fraction(10**6),
    "b": Fraction(10**9),
    "B": Fraction(10**9),
    "t": Fraction(10**12),
    "T": Fraction(10**12),
}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class NumberError(ValueError):
    """A value that is not a number in any accepted spelling."""


def parse_number(value: object) -> Fraction:
    """Return the exact rational value of ``value`` as the scenario format reads it.

    >>> parse_number("13B")
    Fraction(13000000000, 1)
    >>> parse_number("49%")
    Fraction(49, 100)
    >>> parse_number(0.1)   # a float is read by its shortest decimal spelling
    Fraction(1, 10)
    """
    if isinstance(value, bool) or value is None:
        raise NumberError(f"expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        if abs(value) > _LARGEST_INT:
            # Python spells out integers of up to 4,300 digits; a longer one is named by its size.
            text = str(value) if value.bit_length() < 14_000 else "an integer of over 4,000 digits"
            shown = text if len(text) <= 40 else f"{text[:16]}...{text[-8:]}"
            raise NumberError(OUT_OF_RANGE.format(text=shown, digits=MAX_DIGITS))
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(f"expected a finite number, got {value}")
        return _exact_decimal(value, str(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberError(f"expected a finite number, got {value}")
        # repr gives the shortest decimal that reads back as this float: what was written.
        return _exact_decimal(Decimal(repr(value)), repr(value))
    if not isinstance(value, str):
        raise NumberError(f"expected a number, got {type(value).__name__}")
    return _parse_text(value)


def _parse_text(text: str) -> Fraction:
    s = text.strip().replace("_", "").replace(",", "").replace(" ", "")
    if s.startswith("$"):
        s = s[1:]
    scale = Fraction(1)
    if s.endswith("%"):
        scale, s = Fraction(1, 100), s[:-1]
    elif s.endswith(("x", "X")):
        s = s[:-1]
    elif s and s[-1] in _SUFFIX:
        scale, s = _SUFFIX[s[-1]], s[:-1]
    if not _NUMBER.match(s):
        raise NumberError(
            f"{text!r} is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"
        )
    try:
        return _exact_decimal(Decimal(s), text, scale)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid decimals
        raise NumberError(f"{text!r} is not a number") from exc


MAX_DIGITS = 30
"""Every number is read within 10^±MAX_DIGITS in size (or is zero): far beyond any amount, share
count or price (a million times the world's yearly output in any currency), and small enough
that products of several such numbers stay within floating point (10^308), so the vectorised
paths (payoff curves, OPM, Monte Carlo, JSON) never overflow where the exact engine does not.
It also keeps a mistyped exponent such as ``1e999999999`` from asking for a billion-digit
integer, and a 5,000-digit integer from an imported file from reaching the engine."""

_LARGEST = Decimal(10) ** MAX_DIGITS
_SMALLEST = Decimal(10) ** -MAX_DIGITS
_LARGEST_INT = 10**MAX_DIGITS


def _exact_decimal(d: Decimal, text: str, scale: Fraction = Fraction(1)) -> Fraction:
    # copy_abs, unlike abs(), does not round to the context, which a huge exponent would overflow.
    size = d.copy_abs()
    if size and (abs(size.adjusted()) > 2 * MAX_DIGITS or not _SMALLEST <= Fraction(size) * scale <= _LARGEST):
        shown = text if len(text) <= 40 else f"{text[:16]}...{text[-8:]}"
        raise NumberError(OUT_OF_RANGE.format(text=shown, digits=MAX_DIGITS))
    return Fraction(d) * scale


def format_amount(x: Fraction | float, decimals: int = 2) -> str:
    """Thousands-separated display of an amount, rounded half away from zero."""
    d = Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction) else Decimal(x)
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q:,}"


def money_text(x: Fraction | float, currency: str = "", decimals: int = 2) -> str:
    """An amount written out in full, as a waterfall table or a ledger shows it: ``20,000,000.00``,
    ``USD 1,234.50`` (``currency`` before it when given)."""
    s = f"{float(x):,.{decimals}f}"
    return f"{currency} {s}" if currency else s


_SCALES = ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "k"))


def short_amount(x: Fraction | float, prefix: str = "", spec: str = ",.2f", small: str | None = None,
                 minus: str = "-") -> str:
    """An amount the way analysts write it in a table or on a chart: ``1.23T``, ``$45.60B``, ``950``.

    ``spec`` formats the scaled amount, ``small`` (default ``spec``) an amount under a thousand;
    ``prefix`` (a currency sign) goes after the sign: ``-$2.50M``.
    """
    v = float(x)
    a = abs(v)
    sign = minus if v < 0 else ""
    for scale, suffix in _SCALES:
        if a >= scale:
            return f"{sign}{prefix}{a / scale:{spec}}{suffix}"
    return f"{sign}{prefix}{a:{small or spec}}"
