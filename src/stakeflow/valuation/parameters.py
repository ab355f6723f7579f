"""The market inputs of a valuation, read from any spelling of SPEC §1 and checked once.

``MarketInputs`` is what the option pricing method and the risk-neutral Monte Carlo share:
the entity's equity value today V, the annual volatility σ of its value, the term T in years
to the liquidity event, and the continuously compounded risk-free rate r.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..scenario.errors import InputError
from ..scenario.numbers import NumberError, parse_number
from . import _messages as M

MAX_VOLATILITY = 10.0
"""A volatility above 1000% a year is taken for a percentage written without its ``%``."""

MAX_TERM = 100.0
"""Years to a liquidity event: beyond a century, e^{±rT} and the lognormal spread leave floating
point (``--term 1e6`` would overflow), and no valuation looks that far."""

MAX_RATE = 1.0
"""A rate above 100% a year, over the longest term, would carry e^{rT} past floating point."""


def number(value: Any, name: str) -> float:
    """``value`` in any spelling of SPEC §1 (``60%``, ``2.5M``, ``0.04``) as a float."""
    try:
        x = float(parse_number(value))
    except NumberError as exc:
        raise InputError(M.BAD_NUMBER.format(name=name, value=value, detail=exc)) from None
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise InputError(M.BAD_NUMBER.format(name=name, value=value, detail="too large"))
    return x


def positive(value: Any, name: str) -> float:
    x = number(value, name)
    if not x > 0:
        raise InputError(M.NOT_POSITIVE.format(name=name, value=value))
    return x


def nonnegative(value: Any, name: str) -> float:
    x = number(value, name)
    if x < 0:
        raise InputError(M.NEGATIVE.format(name=name, value=value))
    return x


def volatility(value: Any, name: str = "volatility") -> float:
    """Annual volatility σ > 0 (``0.6`` or ``60%``)."""
    x = positive(value, name)
    if x > MAX_VOLATILITY:
        raise InputError(M.VOLATILITY_TOO_HIGH.format(value=value, percent=100 * x))
    return x


def term(value: Any, name: str = "term") -> float:
    """Years T > 0 to the liquidity event, at most a century."""
    x = positive(value, name)
    if x > MAX_TERM:
        raise InputError(M.TOO_HIGH.format(name=name, value=value, most=f"{MAX_TERM:g} years"))
    return x


def rate(value: Any, name: str = "rate") -> float:
    """A rate per year (``0.04`` or ``4%``), above −100%."""
    x = number(value, name)
    if x <= -1:
        raise InputError(M.RATE_TOO_LOW.format(name=name, value=value))
    if x > MAX_RATE:
        raise InputError(M.TOO_HIGH.format(name=name, value=value, most="100% a year"))
    return x


def whole(value: Any, message: str, minimum: int) -> int:
    """A whole number ≥ ``minimum`` (``1M`` paths is fine, ``1.5`` is not)."""
    try:
        x = parse_number(value)
    except NumberError:
        raise InputError(message.format(value=value)) from None
    if x.denominator != 1 or x < minimum:
        raise InputError(message.format(value=value))
    return int(x)


MAX_SPREAD = 20.0
"""Largest log-spread σ√T of a lognormal law: its mean is e^{σ²T/2} times its median, which
beyond this leaves any meaning (and, soon after, floating point)."""


def spread(vol: float, years: float, name: str = "volatility") -> None:
    """Check that a lognormal law's log-spread σ√T is at most :data:`MAX_SPREAD`."""
    if vol * math.sqrt(years) > MAX_SPREAD:
        raise InputError(M.SPREAD_TOO_WIDE.format(name=name, vol=vol, years=years, spread=vol * math.sqrt(years),
                                                  most=MAX_SPREAD))


MAX_PATHS = 100_000_000
"""Most Monte Carlo paths a run takes unless told otherwise (a few minutes on one core); a
mistyped ``--paths 1e12`` would run for days."""


def paths_within(value: Any, most: Any = MAX_PATHS) -> int:
    """The number of paths asked for, checked against the bound ``most`` (``--max-paths``)."""
    bound = whole(most, M.MAX_PATHS_OPTION, 1)
    n = whole(value, M.PATHS, 1)
    if n > bound:
        raise InputError(M.TOO_MANY_PATHS.format(value=value, paths=n, most=bound))
    return n


@dataclass(frozen=True)
class MarketInputs:
    """V, σ, T, r of the option pricing method (SPEC §7)."""

    equity_value: float
    volatility: float
    term: float
    rate: float

    @classmethod
    def read(cls, equity_value: Any, volatility_: Any, term_: Any, rate_: Any) -> MarketInputs:
        return cls(positive(equity_value, "equity value"), volatility(volatility_), term(term_), rate(rate_))

    @property
    def discount(self) -> float:
        """e^{−rT}: today's value of 1 paid at T."""
        return math.exp(-self.rate * self.term)

    def to_json(self) -> dict[str, float]:
        return {"volatility": self.volatility, "term": self.term, "rate": self.rate}


__all__ = ["MAX_PATHS", "MAX_RATE", "MAX_SPREAD", "MAX_TERM", "MAX_VOLATILITY", "MarketInputs", "nonnegative",
           "number", "paths_within", "positive", "rate", "spread", "term", "volatility", "whole"]
