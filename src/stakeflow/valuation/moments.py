"""The moments of Monte Carlo payouts: count, mean and sums of squared deviations, merged in order.

One type serves both kinds of estimate:

- **per column** (:meth:`Moments.of`): ``m2`` is the vector ``Σ (y_j − ȳ_j)²`` of each column,
  all a valuation's standard errors need;
- **jointly** (:meth:`Moments.joint`): ``m2`` is the co-moment matrix ``Σ (x − x̄)(x − x̄)ᵀ``,
  for the standard error of a difference or a sum of columns (values of several structures
  estimated on the same paths).

Blocks are merged with Chan, Golub and LeVeque's pairwise update (1979), always left to right,
so a total is the same bits however the blocks were computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._moments_kernel import column_moments
from .black_scholes import FloatArray


@dataclass(frozen=True)
class Moments:
    """Count, mean and sum of squared deviations (per column, or the co-moment matrix) of
    ``count`` observations of M columns."""

    count: int
    mean: FloatArray
    m2: FloatArray

    @classmethod
    def of(cls, y: FloatArray) -> Moments:
        """Two-pass moments of each column of ``y`` (n ≥ 1 rows, M columns)."""
        mean, m2 = column_moments(y)
        return cls(y.shape[0], mean, m2)

    @classmethod
    def joint(cls, x: FloatArray) -> Moments:
        """Mean and co-moment matrix of the rows of ``x`` (n ≥ 1 rows, M columns)."""
        mean = x.mean(axis=0)
        d = x - mean
        return cls(x.shape[0], mean, d.T @ d)

    @classmethod
    def side_by_side(cls, parts: Sequence[Moments]) -> Moments:
        """The columns of several per-column moments over the same paths, in order."""
        return cls(parts[0].count, np.concatenate([p.mean for p in parts]), np.concatenate([p.m2 for p in parts]))

    @property
    def is_joint(self) -> bool:
        return bool(self.m2.ndim == 2)

    def merge(self, other: Moments) -> Moments:
        """Both sets of paths together (Chan, Golub & LeVeque 1979)."""
        n = self.count + other.count
        delta = other.mean - self.mean
        mean = self.mean + delta * (other.count / n)
        spread = np.outer(delta, delta) if self.is_joint else delta * delta
        return Moments(n, mean, self.m2 + other.m2 + spread * (self.count * other.count / n))

    def standard_error(self) -> FloatArray:
        """s / √n of each column's mean."""
        m2 = np.diagonal(self.m2) if self.is_joint else self.m2
        if self.count < 2:
            return np.zeros_like(self.mean)
        return np.asarray(np.sqrt(m2 / (self.count - 1) / self.count))

    def covariance(self) -> FloatArray:
        """The sample covariance of one path's columns (divide by ``count`` for the means')."""
        if not self.is_joint:
            raise ValueError("per-column moments have no covariance: use Moments.joint")
        return self.m2 / (self.count - 1) if self.count > 1 else np.zeros_like(self.m2)


def merge_in_order(blocks: Sequence[Moments]) -> Moments:
    """Blocks merged left to right: the one order every run uses."""
    total = blocks[0]
    for b in blocks[1:]:
        total = total.merge(b)
    return total


__all__ = ["Moments", "merge_in_order"]
