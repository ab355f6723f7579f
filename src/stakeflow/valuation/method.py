"""One way in to every valuation method: ``value(scenario, method, ...)``.

The command line (``stakeflow value``), the web API (``POST /api/value``) and sweeps all call
this function, so which options each method takes, which are required and how they combine is
decided here once. Options take any spelling of SPEC §1 (``"25M"``, ``"60%"``, ``3``).
Messages name the options as the command line spells them (SPEC §11: the web answers with the
lines the command line prints).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..scenario.errors import InputError
from ..scenario.models import Scenario
from . import _messages as M
from .backsolve import backsolve
from .dlom import METHODS as DLOM_METHODS
from .montecarlo import DEFAULT_CHUNK, DEFAULT_PATHS, Progress, value_montecarlo
from .opm import value_opm
from .parameters import rate as read_rate
from .pwerm import PwermScenarios, value_pwerm
from .result import ValuationResult

METHODS = ("opm", "montecarlo", "pwerm")

# The options each method takes, by the command line's names.
ALLOWED: Mapping[str, frozenset[str]] = {
    "opm": frozenset({"--equity-value", "--volatility", "--term", "--rate", "--backsolve", "--price",
                      "--dlom-volatility", "--dlom-term"}),
    "montecarlo": frozenset({"--equity-value", "--volatility", "--term", "--rate", "--dlom-volatility",
                             "--dlom-term", "--paths", "--seed", "--chunk-size", "--workers", "--scheduler",
                             "--antithetic", "--distribution"}),
    "pwerm": frozenset({"--scenarios", "--volatility", "--term", "--rate", "--dlom-volatility", "--dlom-term"}),
}

SAMPLE_SUFFIXES = (".csv", ".txt", ".npy")


def _check_options(method: str, given: Mapping[str, Any], allowed: frozenset[str] | set[str]) -> None:
    for option, val in given.items():
        if val is not None and val is not False and option not in allowed:
            raise InputError(M.NOT_WITH.format(option=option, method=method))


def _need(method: str, what: str, val: Any) -> Any:
    if val is None:
        raise InputError(M.NEEDS.format(method=method, what=what))
    return val


def is_sample_file(distribution: str | Path | None) -> bool:
    """Whether a ``distribution`` names a sample of terminal values (its values are the paths)."""
    return distribution is not None and Path(distribution).suffix.lower() in SAMPLE_SUFFIXES


def value(
    scenario: Scenario,
    method: str = "opm",
    *,
    equity_value: Any = None,
    volatility: Any = None,
    term: Any = None,
    rate: Any = None,
    backsolve_class: str | None = None,
    price: Any = None,
    dlom: str | None = None,
    dlom_volatility: Any = None,
    dlom_term: Any = None,
    paths: Any = None,
    seed: Any = None,
    chunk_size: Any = None,
    workers: Any = None,
    scheduler: str | None = None,
    antithetic: bool = False,
    distribution: str | Path | None = None,
    scenarios: str | Path | PwermScenarios | None = None,
    entity: str | None = None,
    progress: Progress | None = None,
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
    given = {"--equity-value": equity_value, "--volatility": volatility, "--term": term, "--rate": rate,
             "--backsolve": backsolve_class, "--price": price, "--dlom-volatility": dlom_volatility,
             "--dlom-term": dlom_term, "--paths": paths, "--seed": seed, "--chunk-size": chunk_size,
             "--workers": workers, "--scheduler": scheduler, "--antithetic": antithetic, "--distribution": distribution,
             "--scenarios": scenarios}
    if method not in METHODS:
        raise InputError(M.UNKNOWN_METHOD.format(method=method, valid=", ".join(METHODS)))
    if dlom is not None and dlom not in DLOM_METHODS:
        raise InputError(M.UNKNOWN_DLOM.format(name=dlom))
    _check_options(method, given, ALLOWED[method])
    if method == "opm":
        vol = _need(method, "--volatility S", volatility)
        t = _need(method, "--term T", term)
        r = _need(method, "--rate R", rate)
        if backsolve_class is not None and equity_value is not None:
            raise InputError(M.EITHER_VALUE_OR_BACKSOLVE)
        if price is not None and backsolve_class is None:
            raise InputError(M.PRICE_WITHOUT_BACKSOLVE)
        if backsolve_class is not None:
            if price is None:
                raise InputError(M.BACKSOLVE_NEEDS_PRICE.format(cls=backsolve_class))
            return backsolve(scenario, backsolve_class, price, vol, t, r, entity=entity, dlom=dlom,
                             dlom_volatility=dlom_volatility, dlom_term=dlom_term)
        v = _need(method, "--equity-value V (or --backsolve CLASS --price P)", equity_value)
        return value_opm(scenario, v, vol, t, r, entity=entity, dlom=dlom, dlom_volatility=dlom_volatility,
                         dlom_term=dlom_term)
    if method == "montecarlo":
        if is_sample_file(distribution):
            unused = {"--paths": paths, "--seed": seed, "--antithetic": antithetic, "--scheduler": scheduler}
            _check_options("montecarlo with a sample file", unused, set())
        return value_montecarlo(
            scenario, equity_value, volatility, _need(method, "--term T", term), _need(method, "--rate R", rate),
            paths=DEFAULT_PATHS if paths is None else paths, seed=0 if seed is None else seed,
            chunk_size=DEFAULT_CHUNK if chunk_size is None else chunk_size,
            workers=1 if workers is None else workers, scheduler=scheduler, antithetic=antithetic,
            distribution=distribution, entity=entity, progress=progress, dlom=dlom,
            dlom_volatility=dlom_volatility, dlom_term=dlom_term)
    spec = _need(method, "--scenarios FILE", scenarios)
    return value_pwerm(scenario, spec, entity=entity, dlom=dlom, dlom_volatility=dlom_volatility or volatility,
                       dlom_term=dlom_term or term, dlom_rate=read_rate(rate) if rate is not None else 0)


__all__ = ["ALLOWED", "METHODS", "is_sample_file", "value"]
