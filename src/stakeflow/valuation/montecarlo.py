"""Monte Carlo valuation: payouts averaged over simulated (or sampled) terminal values.

Each path draws the entity's proceeds X at the liquidity event from a law (by default the
OPM's risk-neutral lognormal, SPEC §7), every holder's and class's payout is read off the
exact payoff curve (``curve.evaluate``, the memory-speed path), and the present value is::

    value ≈ e^{−rT} · (1/N) Σ_i payout(X_i),   standard error e^{−rT} · s / √N

with s the sample standard deviation of the payouts (of the pair averages with antithetic
variates, where path i + n/2 of a block is path i with Z → −Z).

Reproducibility. Paths are cut into blocks of ``streams.BLOCK``; block i draws from the i-th
child of ``SeedSequence(seed)`` whoever computes it; each block is reduced on its own to
(count, mean, sum of squared deviations) and the blocks are merged in block order (Chan,
Golub and LeVeque's pairwise update). So the same seed gives bitwise the same numbers for any
chunk size and any number of workers, and memory stays that of a few blocks however many
paths are asked for. Chunks (whole numbers of blocks) are the unit of work handed to a
worker of a Dask cluster (:mod:`~stakeflow.valuation.simulation`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from ..scenario.models import Scenario
from . import _messages as M
from . import parameters as P
from .blocks import CurvePayouts, CurveSource, Payouts, block_moments
from .cluster import cluster
from .curves import PricingCurve, pricing_curve
from .distributions import Distribution, RiskNeutralLognormal, Sample, read_distribution
from .dlom import Dlom, dlom
from .errors import Param, ParameterError
from .moments import Moments, merge_in_order
from .parameters import DEFAULT_CHUNK, DEFAULT_PATHS, DEFAULT_SEED, DEFAULT_WORKERS, MonteCarloSettings, Spelled
from .progress import Advance
from .result import ValuationResult
from .simulation import Run, simulate_runs

if TYPE_CHECKING:
    from dask.distributed import Client


def sample_moments(payouts: Payouts, sample: Sample, progress: Advance | None = None) -> Moments:
    """Moments of the payouts over every value of a sample file, a block at a time."""
    blocks = []
    for x in sample.blocks():
        blocks.append(block_moments(payouts(x), False))
        if progress is not None:
            progress(len(x))
    return merge_in_order(blocks)


def read_law(equity_value: Spelled | None, volatility: Spelled | None, term: float, rate: float,
             distribution: str | Path | Distribution | None = None) -> Distribution | Sample:
    """The law of the proceeds: the OPM's risk-neutral lognormal from ``equity_value`` and
    ``volatility`` over ``term`` at ``rate`` (SPEC §7), or the ``distribution`` given (a file or
    a law object)."""
    if distribution is None:
        if equity_value is None:
            raise ParameterError(M.NEEDS_EITHER, m=M.METHOD, method="montecarlo", what=M.EQUITY_VALUE,
                                 other=M.DISTRIBUTION)
        if volatility is None:
            _missing(M.VOLATILITY)
        return RiskNeutralLognormal(P.positive(equity_value, "equity value"), P.volatility(volatility), term, rate)
    if isinstance(distribution, str | Path):
        if equity_value is not None:
            raise ParameterError(M.DISTRIBUTION_WITH_VALUE, equity_value=M.EQUITY_VALUE, distribution=M.DISTRIBUTION)
        return read_distribution(distribution, term)
    return distribution


def check_antithetic(law: Distribution | Sample, antithetic: bool, paths: int) -> None:
    """Antithetic pairs need a law that mirrors its draws and an even number of paths."""
    if antithetic and (isinstance(law, Sample) or not law.supports_antithetic):
        raise ParameterError(M.NOT_WITH, option=M.ANTITHETIC, m=M.METHOD, method="montecarlo with this distribution")
    if antithetic and paths % 2:
        raise ParameterError(M.ANTITHETIC_ODD, antithetic=M.ANTITHETIC, value=paths)


def montecarlo_result(pc: PricingCurve, law: Distribution | Sample, mom: Moments, term: float, rate: float,
                      inputs: dict[str, Any], discount: Dlom | None = None) -> ValuationResult:
    """The valuation that the payouts' moments ``mom`` (holders' columns, then classes') give,
    discounted at ``rate`` over ``term``."""
    disc = math.exp(-rate * term)
    h = len(pc.holders.columns)
    value, se = disc * mom.mean, disc * mom.standard_error()
    if isinstance(law, RiskNeutralLognormal):
        equity = law.equity_value
    else:
        equity = float(np.sum(value[:h]))
    return ValuationResult(
        entity=pc.entity, method="montecarlo", currency=pc.currency, equity_value=equity,
        holders=pc.by_holder(value[:h]), classes=pc.per_share(value[h:]), class_values=pc.totals(value[h:]),
        class_shares=dict(pc.class_shares), inputs=inputs, standard_errors=pc.by_holder(se[:h]),
        class_standard_errors=pc.per_share(se[h:]), dlom=discount, names=dict(pc.names),
    )


def run_inputs(law: Distribution, term: float, rate: float, paths: int, seed: int, antithetic: bool) -> dict[str, Any]:
    """What a simulated valuation records of its inputs."""
    return {"term": term, "rate": rate, "paths": paths, "seed": seed, "antithetic": antithetic, **law.to_json()}


def value_montecarlo(
    scenario: Scenario, equity_value: Spelled | None = None, volatility: Spelled | None = None,
    term: Spelled | None = None, rate: Spelled | None = None, *,
    paths: Spelled | None = DEFAULT_PATHS, seed: Spelled | None = DEFAULT_SEED,
    chunk_size: Spelled | None = DEFAULT_CHUNK, workers: Spelled | None = DEFAULT_WORKERS,
    scheduler: str | None = None, client: Client | None = None,
    antithetic: bool = False, distribution: str | Path | Distribution | None = None, entity: str | None = None,
    dlom: str | None = None, dlom_volatility: Spelled | None = None, dlom_term: Spelled | None = None,
    progress: Advance | None = None, settings: MonteCarloSettings | None = None,
) -> ValuationResult:
    """Value every holder and class by Monte Carlo over the proceeds at the liquidity event.

    Without ``distribution`` the proceeds follow the OPM's risk-neutral lognormal from
    ``equity_value`` with ``volatility`` over ``term`` at ``rate`` (SPEC §7), and the values
    converge to :func:`value_opm`'s. ``distribution`` is a file (see
    :func:`~stakeflow.valuation.distributions.read_distribution`) or a law object; its payouts
    are discounted at ``rate`` over ``term``. Results carry ``standard_errors`` per holder and
    ``class_standard_errors`` per share, and depend only on ``paths`` and ``seed``.

    The chunks run in this process, on a local Dask cluster of ``workers`` processes, on the
    Dask scheduler at ``scheduler``, or on an open Dask ``client``: the numbers are the same to
    the last bit (see :mod:`~stakeflow.valuation.simulation`). ``settings`` gives paths, seed,
    chunk size, workers, scheduler and antithetic pairs at once, in place of those arguments
    (``None`` for one of them takes its default).
    """
    t = P.term(term if term is not None else _missing(M.TERM))
    r = P.rate(rate if rate is not None else _missing(M.RATE))
    if settings is None:
        settings = MonteCarloSettings.read(paths, seed, chunk_size, workers, scheduler, antithetic)
    n, k, antithetic = settings.paths, settings.seed, settings.antithetic
    law = read_law(equity_value, volatility, t, r, distribution)
    check_antithetic(law, antithetic, n)
    pc = pricing_curve(scenario, entity)
    payouts = CurvePayouts(pc.curve)
    if isinstance(law, Sample):
        mom = sample_moments(payouts, law, progress)
        inputs: dict[str, Any] = {"term": t, "rate": r, "paths": mom.count, **law.to_json()}
    else:
        runs = [Run(0, law, n, k, antithetic)]
        if client is not None:
            mom = simulate_runs([CurveSource(pc.curve)], runs, chunk_size=settings.chunk_size, client=client,
                                progress=progress)[0]
        else:
            with cluster(settings.scheduler, settings.workers) as here:
                mom = simulate_runs([CurveSource(pc.curve)], runs, chunk_size=settings.chunk_size, client=here,
                                    payouts=[payouts],
                                    progress=progress)[0]
        inputs = run_inputs(law, t, r, n, k, antithetic)
    vol_for_dlom = law.volatility if isinstance(law, RiskNeutralLognormal) else None
    discount = _stated_dlom(dlom, dlom_volatility if dlom_volatility is not None else vol_for_dlom,
                            dlom_term if dlom_term is not None else t, r)
    return montecarlo_result(pc, law, mom, t, r, inputs, discount)


def _stated_dlom(method: str | None, volatility: Spelled | None, term: Spelled, rate: float) -> Dlom | None:
    if method is None:
        return None
    if volatility is None:
        raise ParameterError(M.DLOM_NEEDS_VOLATILITY, dlom=M.DLOM, name=method, volatility=M.DLOM_VOLATILITY)
    return dlom(method, P.volatility(volatility, "DLOM volatility"), P.term(term, "DLOM term"), rate)


def _missing(what: Param) -> NoReturn:
    raise ParameterError(M.NEEDS, m=M.METHOD, method="montecarlo", what=what)


__all__ = ["check_antithetic", "montecarlo_result", "read_law", "run_inputs", "sample_moments",
           "value_montecarlo"]
