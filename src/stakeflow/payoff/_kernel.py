"""The float64 kernel behind ``PayoffCurve.evaluate``, compiled by numba on first use.

For proceeds ``x`` in ``[b_k, b_{k+1})`` every column is ``v_k + s_k·(x − b_k)``: one binary
search over the breakpoints per value, then one multiply-add per column, written straight into
the output. Measured from ``b_k`` rather than from 0 so that large intercepts do not cancel.
numba is imported only here, and only when a curve is first evaluated, so that importing
stakeflow stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_compiled: Callable[..., int] | None = None


def _build() -> Callable[..., int]:
    from numba import njit, prange

    @njit(parallel=True, cache=True, nogil=True)  # type: ignore[misc]
    def piecewise(x: Any, b: Any, v: Any, s: Any, out: Any) -> int:  # pragma: no cover - compiled
        n = x.shape[0]
        k = b.shape[0]
        h = v.shape[1]
        negative = 0
        for i in prange(n):
            xi = x[i]
            if xi < 0.0:
                negative += 1
            lo = 0
            hi = k
            while hi - lo > 1:
                mid = (lo + hi) >> 1
                if b[mid] <= xi:
                    lo = mid
                else:
                    hi = mid
            d = xi - b[lo]
            for j in range(h):
                out[i, j] = v[lo, j] + s[lo, j] * d
        return negative

    return piecewise  # type: ignore[no-any-return]


def piecewise(x: np.ndarray, b: np.ndarray, v: np.ndarray, s: np.ndarray, out: np.ndarray) -> int:
    """Fill ``out[i, j] = v[k, j] + s[k, j]·(x[i] − b[k])`` with ``b[k] ≤ x[i] < b[k+1]``;
    return how many ``x[i]`` were negative (outside the curve's domain)."""
    global _compiled
    if _compiled is None:
        _compiled = _build()
    return int(_compiled(x, b, v, s, out))
