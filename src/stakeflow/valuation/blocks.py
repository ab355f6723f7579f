"""A block of Monte Carlo paths: drawn from its own stream, priced on the payoff curve, reduced
to moments (:mod:`~stakeflow.valuation.moments`).

Block i of a run draws from the i-th child of ``SeedSequence(seed)`` (see
:mod:`~stakeflow.valuation.streams`) and is reduced on its own to (count, mean, sum of squared
deviations); blocks are merged with Chan, Golub and LeVeque's pairwise update, always left to
right. These are the pieces every chunk of every run is made of, wherever it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .black_scholes import FloatArray
from .distributions import Distribution
from .moments import Moments
from .streams import BLOCK, block_generator

Payouts = Callable[[FloatArray], list[FloatArray]]


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


@dataclass(frozen=True)
class CurveSource:
    """A compiled payoff curve as sent to workers: holders' columns, then classes' totals."""

    curve: Any

    def build(self) -> Payouts:
        return CurvePayouts(self.curve)


def simulate_blocks(payouts: Payouts, law: Distribution, paths: int, seed: int, first: int, count: int,
                    antithetic: bool, work: Workspace | None = None) -> list[Moments]:
    """Moments of blocks ``first … first + count − 1`` of a run of ``paths`` paths.

    Each block draws from its own stream; the chunk's payouts are evaluated in one call (the
    payout of a path does not depend on its neighbours) and reduced block by block.
    """
    work = work or Workspace()
    moments = []
    for i in range(first, first + count):
        # Block by block: a block's proceeds and payouts stay in cache between the curve and
        # the moments, instead of a whole chunk's streaming through memory twice.
        n = min(BLOCK, paths - i * BLOCK)
        x = work.proceeds(n)
        gen, _ = block_generator(seed, paths, i)
        law.draw(gen, n, antithetic, out=x)
        moments.append(block_moments(payouts(x), antithetic))
    return moments


__all__ = ["CurvePayouts", "CurveSource", "Payouts", "Workspace", "block_moments", "simulate_blocks"]
