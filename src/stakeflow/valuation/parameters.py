"""The parameters of a valuation, read from any spelling of SPEC §1 and checked once.

- ``MarketInputs`` is what the option pricing method and the risk-neutral Monte Carlo share:
  the entity's equity value today V, the annual volatility σ of its value, the term T in years
  to the liquidity event, and the continuously compounded risk-free rate r.
- ``MonteCarloSettings`` is how a simulation runs: paths, seed, chunk size, antithetic pairs,
  and where the work runs (local workers or a Dask scheduler). The defaults are written here
  once.

Both are frozen and checked when made: ``read`` takes any spelling (``"60%"``, ``"25M"``, ``3``);
the constructor takes the numbers themselves. Messages name parameters as the Python API
spells them (:mod:`stakeflow.valuation.errors`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..scenario.errors import InputError
from ..scenario.numbers import NumberError, Spelled, parse_number
from . import _messages as M
from .errors import Param, ParameterError
from .streams import BLOCK

DEFAULT_PATHS = 1_000_000
DEFAULT_SEED = 0
DEFAULT_CHUNK = 4 * BLOCK
DEFAULT_WORKERS = 1

MAX_VOLATILITY = 10.0
"""A volatility above 1000% a year is taken for a percentage written without its ``%``."""

MAX_TERM = 100.0
"""Years to a liquidity event: beyond a century, e^{±rT} and the lognormal spread leave floating
point (``--term 1e6`` would overflow), and no valuation looks that far."""

MAX_RATE = 1.0
"""A rate above 100% a year, over the longest term, would carry e^{rT} past floating point."""


def number(value: Spelled, name: str) -> float:
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


def positive(value: Spelled, name: str) -> float:
    x = number(value, name)
    if not x > 0:
        raise InputError(M.NOT_POSITIVE.format(name=name, value=value))
    return x


def nonnegative(value: Spelled, name: str) -> float:
    x = number(value, name)
    if x < 0:
        raise InputError(M.NEGATIVE.format(name=name, value=value))
    return x


def volatility(value: Spelled, name: str = "volatility") -> float:
    """Annual volatility σ > 0 (``0.6`` or ``60%``)."""
    x = positive(value, name)
    if x > MAX_VOLATILITY:
        raise InputError(M.VOLATILITY_TOO_HIGH.format(value=value, percent=100 * x))
    return x


def term(value: Spelled, name: str = "term") -> float:
    """Years T > 0 to the liquidity event, at most a century."""
    x = positive(value, name)
    if x > MAX_TERM:
        raise InputError(M.TOO_HIGH.format(name=name, value=value, most=f"{MAX_TERM:g} years"))
    return x


def rate(value: Spelled, name: str = "rate") -> float:
    """A rate per year (``0.04`` or ``4%``), above −100%."""
    x = number(value, name)
    if x <= -1:
        raise InputError(M.RATE_TOO_LOW.format(name=name, value=value))
    if x > MAX_RATE:
        raise InputError(M.TOO_HIGH.format(name=name, value=value, most="100% a year"))
    return x


def whole(value: Spelled, message: str, minimum: int, name: Param | str, **fields: Any) -> int:
    """The parameter ``name``, a whole number ≥ ``minimum`` in any spelling of SPEC §1 (``1M``
    paths is fine, ``1.5`` is not); else ``message`` (with ``{name}`` and ``{value}``, and
    ``fields``). Every whole number read from a user's text is read here, each with its message
    and least value: paths, seeds, chunk sizes, workers, a grid's COUNT, a server's most paths."""
    try:
        x = parse_number(value)
    except NumberError:
        raise ParameterError(message, name=name, value=value, **fields) from None
    if x.denominator != 1 or x < minimum:
        raise ParameterError(message, name=name, value=value, **fields)
    return int(x)


def seed(value: Spelled | None, default: int = DEFAULT_SEED) -> int:
    """A seed of the random numbers, a whole number ≥ 0; ``default`` where none is given."""
    return default if value is None else whole(value, M.SEED, 0, M.SEED_PARAM)


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


def paths_within(value: Spelled, most: Spelled = MAX_PATHS) -> int:
    """The number of paths asked for, checked against the bound ``most`` (``max_paths``)."""
    bound = whole(most, M.PATHS, 1, M.MAX_PATHS_PARAM)
    n = whole(value, M.PATHS, 1, M.PATHS_PARAM)
    if n > bound:
        raise ParameterError(M.TOO_MANY_PATHS, paths=M.PATHS_PARAM, max_paths=M.MAX_PATHS_PARAM, value=value, count=n,
                             most=bound)
    return n


@dataclass(frozen=True)
class MarketInputs:
    """V, σ, T, r of the option pricing method (SPEC §7)."""

    equity_value: float
    volatility: float
    term: float
    rate: float

    def __post_init__(self) -> None:
        positive(self.equity_value, "equity value")
        volatility(self.volatility)
        term(self.term)
        rate(self.rate)

    @classmethod
    def read(cls, equity_value: Spelled, volatility_: Spelled, term_: Spelled, rate_: Spelled) -> MarketInputs:
        return cls(positive(equity_value, "equity value"), volatility(volatility_), term(term_), rate(rate_))

    @property
    def discount(self) -> float:
        """e^{−rT}: today's value of 1 paid at T."""
        return math.exp(-self.rate * self.term)

    def to_json(self) -> dict[str, float]:
        return {"volatility": self.volatility, "term": self.term, "rate": self.rate}


_WHOLE = ((M.PATHS, 1, M.PATHS_PARAM), (M.SEED, 0, M.SEED_PARAM), (M.CHUNK, 1, M.CHUNK_SIZE),
          (M.WORKERS, 1, M.WORKERS_PARAM))
"""The message, least value and parameter of paths, seed, chunk size and workers, in that order."""


@dataclass(frozen=True)
class MonteCarloSettings:
    """How a simulation runs: ``paths`` paths from ``seed`` in chunks of about ``chunk_size``
    paths, antithetic pairs or not, on ``workers`` local processes or the Dask ``scheduler`` at
    an address. Results depend on ``paths``, ``seed`` and ``antithetic`` alone."""

    paths: int = DEFAULT_PATHS
    seed: int = DEFAULT_SEED
    chunk_size: int = DEFAULT_CHUNK
    workers: int = DEFAULT_WORKERS
    scheduler: str | None = None
    antithetic: bool = False

    def __post_init__(self) -> None:
        for value, (message, least, name) in zip((self.paths, self.seed, self.chunk_size, self.workers), _WHOLE,
                                                 strict=True):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ParameterError(message, name=name, value=value)
            whole(value, message, least, name)

    @classmethod
    def read(cls, paths: Spelled | None = None, seed: Spelled | None = None, chunk_size: Spelled | None = None,
             workers: Spelled | None = None, scheduler: str | None = None,
             antithetic: bool = False) -> MonteCarloSettings:
        """The settings from any spelling; ``None`` takes the default."""
        given = (DEFAULT_PATHS if paths is None else paths, DEFAULT_SEED if seed is None else seed,
                 DEFAULT_CHUNK if chunk_size is None else chunk_size, DEFAULT_WORKERS if workers is None else workers)
        n, k, chunk, w = (whole(value, message, least, name)
                          for value, (message, least, name) in zip(given, _WHOLE, strict=True))
        return cls(n, k, chunk, w, scheduler, bool(antithetic))


__all__ = ["DEFAULT_CHUNK", "DEFAULT_PATHS", "DEFAULT_SEED", "DEFAULT_WORKERS", "MAX_PATHS", "MAX_RATE", "MAX_SPREAD",
           "MAX_TERM", "MAX_VOLATILITY", "MarketInputs", "MonteCarloSettings", "Spelled", "nonnegative", "number",
           "paths_within", "positive", "rate", "seed", "spread", "term", "volatility", "whole"]
