"""Revenue paths of a projection: the random part of a profit-path simulation.

Revenue follows the projection's lognormal growth model year by year,
``R_t = R_0 · exp(Σ_{u≤t} (log(1 + g_u) − σ_u²/2 + σ_u Z_u))`` with ``Z`` the block's standard
normals (:meth:`stakeflow.valuation.streams.Block.normals`), so ``E[R_t / R_{t−1}] = 1 + g_t``;
or the paths a projection gives are used in turn, path ``i`` of the run taking given path
``i mod k``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..scenario.projection import Projection, expand
from .streams import Block


def revenue_paths(p: Projection, block: Block) -> np.ndarray:
    """``(n, T)`` revenue: the lognormal growth model, or the given paths used in turn."""
    horizon = p.horizon
    given = p.revenue.given_paths
    if given is not None:
        table = np.array([[float(x) for x in path] for path in given], dtype=np.float64)
        rows = (block.first + np.arange(block.size)) % len(given)
        return table[rows]
    zero = (Fraction(0),)
    g = np.array([float(x) for x in expand(p.revenue.growth or zero, horizon)])
    sigma = np.array([float(x) for x in expand(p.revenue.volatility or zero, horizon)])
    drift = np.log1p(g) - 0.5 * sigma**2
    if np.any(sigma > 0):
        steps = drift[None, :] + sigma[None, :] * block.normals(horizon)
    else:
        steps = np.broadcast_to(drift[None, :], (block.size, horizon))
    return float(p.revenue.initial or 0) * np.exp(np.cumsum(steps, axis=1))


__all__ = ["revenue_paths"]
