"""Exact decimal spellings of rationals, and rounding to a number of decimal places.

A rational ``n/d`` in lowest terms has a terminating decimal exactly when ``d = 2^a 5^b``;
it then has ``max(a, b)`` decimal places. Rounding is half to even, on exact integers.
"""

from __future__ import annotations

from fractions import Fraction


def places(x: Fraction) -> int | None:
    """Decimal places of the terminating expansion of ``x``, or None if it does not terminate."""
    d = x.denominator
    a = b = 0
    while d % 2 == 0:
        d //= 2
        a += 1
    while d % 5 == 0:
        d //= 5
        b += 1
    return max(a, b) if d == 1 else None


def _spell(scaled: int, k: int) -> str:
    """The decimal ``scaled / 10^k``, trailing zeros removed."""
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled))
    if k == 0:
        return sign + digits
    digits = digits.rjust(k + 1, "0")
    whole, frac = digits[:-k], digits[-k:].rstrip("0")
    return sign + whole + ("." + frac if frac else "")


def decimal_text(x: Fraction) -> str | None:
    """The exact decimal spelling of ``x`` (``0.125``, ``8000000``), or None if it does not terminate."""
    k = places(x)
    if k is None:
        return None
    return _spell(x.numerator * 10**k // x.denominator, k)


def rounded_text(x: Fraction, k: int) -> tuple[str, bool]:
    """``x`` rounded half to even to ``k`` decimal places, spelled without trailing zeros, and
    whether that is exact."""
    scaled = x * 10**k
    n = round(scaled)  # Fraction.__round__ rounds half to even, exactly
    return _spell(n, k), Fraction(n, 10**k) == x


def fraction_text(x: Fraction) -> str:
    """``x`` spelled so that ``Fraction(text)`` gives it back: a decimal when it terminates,
    else ``numerator/denominator``."""
    text = decimal_text(x)
    return text if text is not None else f"{x.numerator}/{x.denominator}"
