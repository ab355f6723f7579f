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
from ._moments_kernel import column_moments
from .black_scholes import FloatArray
from .curves import pricing_curve
from .distributions import Distribution, RiskNeutralLognormal, Sample, read_distribution
from .dlom import Dlom, dlom
from .result import ValuationResult
from .streams import BLOCK, block_generator, chunk_blocks, n_blocks
from .strip import CallStrip

Payouts = Callable[[FloatArray], list[FloatArray]]
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
        """Two-pass moments of the rows of ``y`` (n ≥ 1 rows, M columns)."""
        mean, m2 = column_moments(y)
        return cls(y.shape[0], mean, m2)

    @classmethod
    def side_by_side(cls, parts: Sequence[Moments]) -> Moments:
        """The columns of several moments over the same paths, in order."""
        return cls(parts[0].count, np.concatenate([p.mean for p in parts]), np.concatenate([p.m2 for p in parts]))

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


def block_moments(outs: Sequence[FloatArray], antithetic: bool) -> Moments:
    """A block's moments over the columns of ``outs``; with antithetic pairs (i, i + n/2) the
    unit is the pair average."""
    parts = []
    for out in outs:
        if antithetic:
            half = out.shape[0] // 2
            out = 0.5 * (out[:half] + out[half:])
        parts.append(Moments.of(out))
    return Moments.side_by_side(parts)


class Workspace:
    """The proceeds buffer, reused from chunk to chunk.

    Fresh multi-megabyte arrays come from the system zeroed page by page; reusing them keeps a
    simulation's cost in the draws and the curve, and its memory flat.
    """

    def __init__(self) -> None:
        self.x = np.empty(0)

    def proceeds(self, n: int) -> FloatArray:
        if self.x.shape[0] < n:
            self.x = np.empty(n)
        return self.x[:n]


class PayoutsRecipe(Protocol):
    """What a worker process needs to rebuild the payout function (it must pickle)."""

    def build(self) -> Payouts: ...


@dataclass(frozen=True)
class CurveRecipe:
    """Payouts from the scenario's exact payoff curve: holders' columns, then classes' totals."""

    scenario: Scenario
    entity: str | None

    def build(self) -> Payouts:
        return CurvePayouts(pricing_curve(self.scenario, self.entity).curve)


@dataclass(frozen=True)
class StripRecipe:
    """Payouts of call strips (hand-built curves)."""

    strips: tuple[CallStrip, ...]

    def build(self) -> Payouts:
        strips = self.strips
        return lambda x: [s.payout(x) for s in strips]


class CurvePayouts:
    """``curve.evaluate`` and ``curve.evaluate_classes`` into buffers reused from call to call.

    Returns views ``[(n, H), (n, C)]`` that the next call overwrites.
    """

    def __init__(self, curve: Any) -> None:
        self.curve = curve
        self.h = np.empty((0, len(curve.holders)))
        self.c = np.empty((0, len(curve.classes)))

    def __call__(self, x: FloatArray) -> list[FloatArray]:
        n = x.shape[0]
        if self.h.shape[0] < n:
            self.h = np.empty((n, self.h.shape[1]))
            self.c = np.empty((n, self.c.shape[1]))
        h, c = self.h[:n], self.c[:n]
        self.curve.evaluate(x, out=h)
        if c.shape[1]:
            self.curve.evaluate_classes(x, out=c)
        return [h, c]


def simulate_blocks(payouts: Payouts, law: Distribution, paths: int, seed: int, first: int, count: int,
                    antithetic: bool, work: Workspace | None = None) -> list[Moments]:
    """Moments of blocks ``first … first + count − 1`` of a run of ``paths`` paths.

    Each block draws from its own stream; the chunk's payouts are evaluated in one call (the
    payout of a path does not depend on its neighbours) and reduced block by block.
    """
    work = work or Workspace()
    sizes = [min(BLOCK, paths - i * BLOCK) for i in range(first, first + count)]
    x = work.proceeds(sum(sizes))
    start = 0
    for i, n in zip(range(first, first + count), sizes, strict=True):
        gen, _ = block_generator(seed, paths, i)
        law.draw(gen, n, antithetic, out=x[start : start + n])
        start += n
    outs = payouts(x)
    moments, start = [], 0
    for n in sizes:
        moments.append(block_moments([o[start : start + n] for o in outs], antithetic))
        start += n
    return moments


_worker_payouts: Payouts | None = None
_worker_space = Workspace()


def _start_worker(recipe: PayoutsRecipe) -> None:
    global _worker_payouts
    import numba

    # One process per core already: threads inside each would only contend.
    numba.set_num_threads(1)
    _worker_payouts = recipe.build()


def _worker_task(law: Distribution, paths: int, seed: int, first: int, count: int,
                 antithetic: bool) -> tuple[int, list[Moments]]:
    assert _worker_payouts is not None
    return first, simulate_blocks(_worker_payouts, law, paths, seed, first, count, antithetic, _worker_space)


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
        work = Workspace()
        for j, first in enumerate(starts):
            count = min(per, nb - first)
            results[j] = simulate_blocks(payouts, law, paths, seed, first, count, antithetic, work)
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
        blocks.append(block_moments(payouts(x), False))
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
    payouts = CurvePayouts(pc.curve)
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


__all__ = ["CurvePayouts", "CurveRecipe", "Moments", "StripRecipe", "sample_moments", "simulate", "value_montecarlo"]
