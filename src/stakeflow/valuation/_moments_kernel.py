"""The float64 kernel behind ``Moments.of``: column means and squared deviations in two passes.

numpy's reduction along the first axis of an (n, m) array with few columns spends its time
on per-row overhead; two plain loops over rows do the same sums at memory speed. The loops
are sequential (no fast-math reassociation), so a block's moments are the same bits whoever
computes them. numba is imported on first use only, so importing stakeflow stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_compiled: Callable[..., None] | None = None


def _build() -> Callable[..., None]:
    from numba import njit

    @njit(cache=True, nogil=True)  # type: ignore[misc]
    def kernel(y: Any, mean: Any, m2: Any) -> None:  # pragma: no cover - compiled
        n, m = y.shape
        for j in range(m):
            mean[j] = 0.0
            m2[j] = 0.0
        for i in range(n):
            for j in range(m):
                mean[j] += y[i, j]
        for j in range(m):
            mean[j] /= n
        for i in range(n):
            for j in range(m):
                d = y[i, j] - mean[j]
                m2[j] += d * d

    return kernel  # type: ignore[no-any-return]


def column_moments(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, Σ (y − mean)²) of each column of a 2-D float64 array with at least one row."""
    global _compiled
    if _compiled is None:
        _compiled = _build()
    y = np.ascontiguousarray(y, dtype=np.float64)
    mean = np.empty(y.shape[1])
    m2 = np.empty(y.shape[1])
    _compiled(y, mean, m2)
    return mean, m2
