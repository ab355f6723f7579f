"""One way in to every valuation method: ``value(scenario, method, ...)``.

The command line (``stakeflow value``), the web API (``POST /api/value``) and sweeps all call
this function, so which options each method takes, which are required and how they combine is
decided here once. Options take any spelling of SPEC §1 (``"25M"``, ``"60%"``, ``3``),
read once into :class:`~stakeflow.valuation.parameters.MarketInputs` and
:class:`~stakeflow.valuation.parameters.MonteCarloSettings`. Messages name the options as the
Python API spells them; the command line and the web say them with its flags
(:mod:`stakeflow.valuation.errors`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from ..scenario.errors import InputError
from ..scenario.models import Scenario
from . import _messages as M
from .backsolve import backsolve
from .dlom import METHODS as DLOM_METHODS
from .errors import Param, ParameterError, Params
from .montecarlo import value_montecarlo
from .opm import value_opm
from .parameters import MarketInputs, Spelled
from .parameters import rate as read_rate
from .progress import Advance
from .pwerm import PwermScenarios, value_pwerm
from .result import ValuationResult

METHODS = ("opm", "montecarlo", "pwerm")

# The options each method takes, by the Python API's names.
ALLOWED: Mapping[str, frozenset[str]] = {
    "opm": frozenset({"equity_value", "volatility", "term", "rate", "backsolve_class", "price", "dlom_volatility",
                      "dlom_term"}),
    "montecarlo": frozenset({"equity_value", "volatility", "term", "rate", "dlom_volatility", "dlom_term", "paths",
                             "seed", "chunk_size", "workers", "scheduler", "antithetic", "distribution"}),
    "pwerm": frozenset({"scenarios", "volatility", "term", "rate", "dlom_volatility", "dlom_term"}),
}

SAMPLE_SUFFIXES = (".csv", ".txt", ".npy")


def _check_options(method: str, given: Mapping[str, object], allowed: frozenset[str] | set[str]) -> None:
    for option, val in given.items():
        if val is not None and val is not False and option not in allowed:
            raise ParameterError(M.NOT_WITH, option=Param(option), m=M.METHOD, method=method)


def _missing(method: str, what: Param, other: Param | Params | None = None) -> NoReturn:
    if other is not None:
        raise ParameterError(M.NEEDS_EITHER, m=M.METHOD, method=method, what=what, other=other)
    raise ParameterError(M.NEEDS, m=M.METHOD, method=method, what=what)


def is_sample_file(distribution: str | Path | None) -> bool:
    """Whether a ``distribution`` names a sample of terminal values (its values are the paths)."""
    return distribution is not None and Path(distribution).suffix.lower() in SAMPLE_SUFFIXES


def value(
    scenario: Scenario,
    method: str = "opm",
    *,
    equity_value: Spelled | None = None,
    volatility: Spelled | None = None,
    term: Spelled | None = None,
    rate: Spelled | None = None,
    backsolve_class: str | None = None,
    price: Spelled | None = None,
    dlom: str | None = None,
    dlom_volatility: Spelled | None = None,
    dlom_term: Spelled | None = None,
    paths: Spelled | None = None,
    seed: Spelled | None = None,
    chunk_size: Spelled | None = None,
    workers: Spelled | None = None,
    scheduler: str | None = None,
    antithetic: bool = False,
    distribution: str | Path | None = None,
    scenarios: str | Path | PwermScenarios | None = None,
    entity: str | None = None,
    progress: Advance | None = None,
) -> ValuationResult:
    """Value every holder and every class of an entity by ``method``.

    - ``"opm"``: the option pricing method on the exact payoff curve (SPEC §7) at
      ``equity_value``, or, with ``backsolve_class`` and ``price``, at the equity value where
      that class is worth ``price`` a share;
    - ``"montecarlo"``: the same lognormal law simulated over ``paths`` paths with ``seed``
      (default 1,000,000 paths, seed 0), or terminal values from a ``distribution`` file; on a
      local Dask cluster of ``workers`` processes or the Dask ``scheduler`` at an address, with
      the same numbers to the last bit;
    - ``"pwerm"``: probability-weighted scenarios from a ``scenarios`` file (the hybrid method
      where a scenario is valued by the OPM).

    ``dlom`` (``"finnerty"`` or ``"put"``) adds a discount for lack of marketability. An option
    that does not apply to the method, or a missing one, is an :class:`InputError`.

    >>> import stakeflow as sf                                                # doctest: +SKIP
    >>> sf.value(sf.load("examples/seed.yaml"), "opm", equity_value="12M", volatility="60%",
    ...          term=3, rate="4%").holders                                   # doctest: +SKIP
    """
    given = {"equity_value": equity_value, "volatility": volatility, "term": term, "rate": rate,
             "backsolve_class": backsolve_class, "price": price, "dlom_volatility": dlom_volatility,
             "dlom_term": dlom_term, "paths": paths, "seed": seed, "chunk_size": chunk_size, "workers": workers,
             "scheduler": scheduler, "antithetic": antithetic, "distribution": distribution, "scenarios": scenarios}
    if method not in METHODS:
        raise InputError(M.UNKNOWN_METHOD.format(method=method, valid=", ".join(METHODS)))
    if dlom is not None and dlom not in DLOM_METHODS:
        raise InputError(M.UNKNOWN_DLOM.format(name=dlom))
    _check_options(method, given, ALLOWED[method])
    if method == "opm":
        if volatility is None:
            _missing(method, M.VOLATILITY)
        if term is None:
            _missing(method, M.TERM)
        if rate is None:
            _missing(method, M.RATE)
        if backsolve_class is not None and equity_value is not None:
            raise ParameterError(M.EITHER_VALUE_OR_BACKSOLVE, equity_value=M.EQUITY_VALUE,
                                 backsolve=M.BACKSOLVE_AT_PRICE)
        if price is not None and backsolve_class is None:
            raise ParameterError(M.PRICE_WITHOUT_BACKSOLVE, price=M.PRICE, backsolve=M.BACKSOLVE)
        if backsolve_class is not None:
            if price is None:
                raise ParameterError(M.BACKSOLVE_NEEDS_PRICE, backsolve=M.BACKSOLVE, cls=backsolve_class, price=M.PRICE)
            return backsolve(scenario, backsolve_class, price, volatility, term, rate, entity=entity, dlom=dlom,
                             dlom_volatility=dlom_volatility, dlom_term=dlom_term)
        if equity_value is None:
            _missing(method, M.EQUITY_VALUE, M.BACKSOLVE_AT_PRICE)
        market = MarketInputs.read(equity_value, volatility, term, rate)
        return value_opm(scenario, market=market, entity=entity, dlom=dlom,
                         dlom_volatility=dlom_volatility, dlom_term=dlom_term)
    if method == "montecarlo":
        if is_sample_file(distribution):
            unused = {"paths": paths, "seed": seed, "antithetic": antithetic, "scheduler": scheduler}
            _check_options("montecarlo with a sample file", unused, set())
        if term is None:
            _missing(method, M.TERM)
        if rate is None:
            _missing(method, M.RATE)
        return value_montecarlo(
            scenario, equity_value, volatility, term, rate, paths=paths, seed=seed, chunk_size=chunk_size,
            workers=workers, scheduler=scheduler, antithetic=antithetic, distribution=distribution, entity=entity,
            progress=progress, dlom=dlom, dlom_volatility=dlom_volatility, dlom_term=dlom_term)
    if scenarios is None:
        _missing(method, M.SCENARIOS)
    return value_pwerm(scenario, scenarios, entity=entity, dlom=dlom, dlom_volatility=dlom_volatility or volatility,
                       dlom_term=dlom_term or term, dlom_rate=read_rate(rate) if rate is not None else 0)


__all__ = ["ALLOWED", "METHODS", "is_sample_file", "value"]
