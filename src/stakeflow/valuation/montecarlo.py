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
worker process.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..scenario.errors import InputError
from ..scenario.models import Scenario
from . import _messages as M
from . import parameters as P
from .black_scholes import FloatArray
from .curves import PricingCurve, pricing_curve
from .distributions import Distribution, RiskNeutralLognormal, Sample, read_distribution
from .dlom import Dlom, dlom
from .result import ValuationResult
from .streams import BLOCK, block_generator, chunk_blocks, n_blocks
from .strip import CallStrip

Payouts = Callable[[FloatArray], FloatArray]
Progress = Callable[[int], None]

DEFAULT_PATHS = 1_000_000
DEFAULT_CHUNK = 4 * BLOCK


@dataclass(frozen=True)
class Moments:
    """Count, mean and sum of squared deviations of M payout columns over some paths."""

    count: int
    mean: FloatArray
    m2: FloatArray

    @classmethod
    def of(cls, y: FloatArray) -> Moments:
        mean = y.sum(axis=0) / y.shape[0]
        d = y - mean
        np.square(d, out=d)
        return cls(y.shape[0], mean, d.sum(axis=0))

    def merge(self, other: Moments) -> Moments:
        """Both sets of paths together (Chan, Golub & LeVeque 1979)."""
        n = self.count + other.count
        delta = other.mean - self.mean
        mean = self.mean + delta * (other.count / n)
        return Moments(n, mean, self.m2 + other.m2 + delta * delta * (self.count * other.count / n))

    def standard_error(self) -> FloatArray:
        """s / √n, the standard error of the mean."""
        if self.count < 2:
            return np.zeros_like(self.mean)
        return np.asarray(np.sqrt(self.m2 / (self.count - 1) / self.count))


def merge_in_order(blocks: Sequence[Moments]) -> Moments:
    """Blocks merged left to right: the one order every run uses."""
    total = blocks[0]
    for b in blocks[1:]:
        total = total.merge(b)
    return total


def block_moments(out: FloatArray, antithetic: bool) -> Moments:
    """A block's moments; with antithetic pairs (i, i + n/2) the unit is the pair average."""
    if antithetic:
        half = out.shape[0] // 2
        out = 0.5 * (out[:half] + out[half:])
    return Moments.of(out)


class PayoutsRecipe(Protocol):
    """What a worker process needs to rebuild the payout function (it must pickle)."""

    def build(self) -> Payouts: ...


@dataclass(frozen=True)
class CurveRecipe:
    """Payouts from the scenario's exact payoff curve: holders' columns, then classes' totals."""

    scenario: Scenario
    entity: str | None

    def build(self) -> Payouts:
        return curve_payouts(pricing_curve(self.scenario, self.entity))


@dataclass(frozen=True)
class StripRecipe:
    """Payouts of call strips (hand-built curves)."""

    strips: tuple[CallStrip, ...]

    def build(self) -> Payouts:
        strips = self.strips
        return lambda x: np.concatenate([s.payout(x) for s in strips], axis=1)


def curve_payouts(pc: PricingCurve) -> Payouts:
    curve = pc.curve

    def payouts(x: FloatArray) -> FloatArray:
        return np.concatenate([curve.evaluate(x), curve.evaluate_classes(x)], axis=1)

    return payouts


def simulate_blocks(payouts: Payouts, law: Distribution, paths: int, seed: int, first: int, count: int,
                    antithetic: bool) -> list[Moments]:
    """Moments of blocks ``first … first + count − 1`` of a run of ``paths`` paths.

    Each block draws from its own stream; the chunk's payouts are evaluated in one call (the
    payout of a path does not depend on its neighbours) and reduced block by block.
    """
    draws = []
    for i in range(first, first + count):
        gen, n = block_generator(seed, paths, i)
        draws.append(law.draw(gen, n, antithetic))
    out = payouts(np.concatenate(draws) if len(draws) > 1 else draws[0])
    moments, start = [], 0
    for x in draws:
        moments.append(block_moments(out[start : start + len(x)], antithetic))
        start += len(x)
    return moments


_worker_payouts: Payouts | None = None


def _start_worker(recipe: PayoutsRecipe) -> None:
    global _worker_payouts
    import numba

    # One process per core already: threads inside each would only contend.
    numba.set_num_threads(1)
    _worker_payouts = recipe.build()


def _worker_task(law: Distribution, paths: int, seed: int, first: int, count: int,
                 antithetic: bool) -> tuple[int, list[Moments]]:
    assert _worker_payouts is not None
    return first, simulate_blocks(_worker_payouts, law, paths, seed, first, count, antithetic)


def simulate(payouts: Payouts, recipe: PayoutsRecipe | None, law: Distribution, paths: int, seed: int, *,
             chunk_size: int = DEFAULT_CHUNK, workers: int = 1, antithetic: bool = False,
             progress: Progress | None = None) -> Moments:
    """Moments of the payouts over ``paths`` paths of ``law`` seeded by ``seed``.

    ``payouts`` runs in this process; with ``workers`` > 1, chunks of ``chunk_size`` paths
    (rounded up to whole blocks) go to a pool of worker processes that rebuild the payouts
    from ``recipe``. The result does not depend on ``chunk_size`` or ``workers``.
    """
    nb, per = n_blocks(paths), chunk_blocks(chunk_size)
    starts = list(range(0, nb, per))
    results: list[list[Moments] | None] = [None] * len(starts)
    if workers <= 1 or len(starts) == 1 or recipe is None:
        for j, first in enumerate(starts):
            count = min(per, nb - first)
            results[j] = simulate_blocks(payouts, law, paths, seed, first, count, antithetic)
            if progress is not None:
                progress(min(paths, (first + count) * BLOCK) - first * BLOCK)
    else:
        # spawn, not fork: the parent may hold threads (numba, BLAS) that fork would copy mid-state.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                                 initargs=(recipe,)) as pool:
            futures = [pool.submit(_worker_task, law, paths, seed, first, min(per, nb - first), antithetic)
                       for first in starts]
            for fut in as_completed(futures):
                first, blocks = fut.result()
                results[first // per] = blocks
                if progress is not None:
                    progress(min(paths, (first + len(blocks)) * BLOCK) - first * BLOCK)
    return merge_in_order([m for chunk in results if chunk is not None for m in chunk])


def sample_moments(payouts: Payouts, sample: Sample, progress: Progress | None = None) -> Moments:
    """Moments of the payouts over every value of a sample file, a block at a time."""
    blocks = []
    for x in sample.blocks():
        blocks.append(Moments.of(payouts(x)))
        if progress is not None:
            progress(len(x))
    return merge_in_order(blocks)


def value_montecarlo(
    scenario: Scenario, equity_value: Any = None, volatility: Any = None, term: Any = None, rate: Any = None, *,
    paths: Any = DEFAULT_PATHS, seed: Any = 0, chunk_size: Any = DEFAULT_CHUNK, workers: Any = 1,
    antithetic: bool = False, distribution: str | Path | Distribution | None = None, entity: str | None = None,
    dlom: str | None = None, dlom_volatility: Any = None, dlom_term: Any = None, progress: Progress | None = None,
) -> ValuationResult:
    """Value every holder and class by Monte Carlo over the proceeds at the liquidity event.

    Without ``distribution`` the proceeds follow the OPM's risk-neutral lognormal from
    ``equity_value`` with ``volatility`` over ``term`` at ``rate`` (SPEC §7), and the values
    converge to :func:`value_opm`'s. ``distribution`` is a file (see
    :func:`~stakeflow.valuation.distributions.read_distribution`) or a law object; its payouts
    are discounted at ``rate`` over ``term``. Results carry ``standard_errors`` per holder and
    ``class_standard_errors`` per share, and depend only on ``paths`` and ``seed``.
    """
    t = P.term(term if term is not None else _missing("--term T"))
    r = P.rate(rate if rate is not None else _missing("--rate R"))
    n = P.whole(paths, M.PATHS, 1)
    k = P.whole(seed, M.SEED, 0)
    chunk = P.whole(chunk_size, M.CHUNK, 1)
    w = P.whole(workers, M.WORKERS, 1)
    law: Distribution | Sample
    if distribution is None:
        if equity_value is None:
            _missing("--equity-value V (or --distribution FILE)")
        if volatility is None:
            _missing("--volatility S")
        law = RiskNeutralLognormal(P.positive(equity_value, "equity value"), P.volatility(volatility), t, r)
    elif isinstance(distribution, str | Path):
        if equity_value is not None:
            raise InputError(M.DISTRIBUTION_WITH_VALUE)
        law = read_distribution(distribution, t)
    else:
        law = distribution
    if antithetic and (isinstance(law, Sample) or not law.supports_antithetic):
        raise InputError(M.NOT_WITH.format(option="--antithetic", method="montecarlo with this distribution"))
    if antithetic and n % 2:
        raise InputError(M.ANTITHETIC_ODD.format(value=n))

    pc = pricing_curve(scenario, entity)
    payouts = curve_payouts(pc)
    if isinstance(law, Sample):
        mom = sample_moments(payouts, law, progress)
        inputs: dict[str, Any] = {"term": t, "rate": r, "paths": mom.count, **law.to_json()}
    else:
        mom = simulate(payouts, CurveRecipe(scenario, entity), law, n, k, chunk_size=chunk, workers=w,
                       antithetic=antithetic, progress=progress)
        inputs = {"term": t, "rate": r, "paths": n, "seed": k, "antithetic": antithetic, **law.to_json()}
    disc = math.exp(-r * t)
    h = len(pc.holders.columns)
    value, se = disc * mom.mean, disc * mom.standard_error()
    if isinstance(law, RiskNeutralLognormal):
        equity = law.equity_value
    else:
        equity = float(np.sum(value[:h]))
    vol_for_dlom = law.volatility if isinstance(law, RiskNeutralLognormal) else None
    discount = _stated_dlom(dlom, dlom_volatility if dlom_volatility is not None else vol_for_dlom,
                            dlom_term if dlom_term is not None else t, r)
    return ValuationResult(
        entity=pc.entity, method="montecarlo", currency=pc.currency, equity_value=equity,
        holders=pc.by_holder(value[:h]), classes=pc.per_share(value[h:]), class_values=pc.totals(value[h:]),
        class_shares=dict(pc.class_shares), inputs=inputs, standard_errors=pc.by_holder(se[:h]),
        class_standard_errors=pc.per_share(se[h:]), dlom=discount, names=dict(pc.names),
    )


def _stated_dlom(method: str | None, volatility: Any, term: Any, rate: float) -> Dlom | None:
    if method is None:
        return None
    if volatility is None:
        raise InputError(M.DLOM_NEEDS.format(name=method, what="--dlom-volatility S with this distribution"))
    return dlom(method, P.volatility(volatility, "DLOM volatility"), P.term(term, "DLOM term"), rate)


def _missing(what: str) -> Any:
    raise InputError(M.NEEDS.format(method="montecarlo", what=what))


__all__ = ["CurveRecipe", "Moments", "StripRecipe", "sample_moments", "simulate", "value_montecarlo"]
