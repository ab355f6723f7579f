"""The float64 kernel behind ``PayoffCurve.evaluate``, compiled by numba on first use.

For proceeds ``x`` in ``[b_k, b_{k+1})`` every column is ``v_k + s_k·(x − b_k)``: one binary
search over the breakpoints per value, then one multiply-add per column, written straight into
the output. Measured from ``b_k`` rather than from 0 so that large intercepts do not cancel.
This module imports numba, so stakeflow imports it only when a curve is first evaluated;
compiled code is cached on disk, so later processes skip the compilation.
"""

from __future__ import annotations

import numpy as np
from numba import get_num_threads, njit, prange

# Below this many values, starting threads costs more than it saves.
PARALLEL_FROM = 1 << 16


@njit(cache=True, nogil=True)  # type: ignore[misc]
def _fill(x, b, v, s, out, start, stop):  # type: ignore[no-untyped-def]  # pragma: no cover - compiled
    k = b.shape[0]
    h = v.shape[1]
    negative = 0
    for i in range(start, stop):
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


@njit(cache=True, nogil=True, parallel=True)  # type: ignore[misc]
def _fill_parallel(x, b, v, s, out, parts):  # type: ignore[no-untyped-def]  # pragma: no cover - compiled
    n = x.shape[0]
    size = (n + parts - 1) // parts
    negative = 0
    for p in prange(parts):
        start = p * size
        stop = min(n, start + size)
        if start < stop:
            negative += _fill(x, b, v, s, out, start, stop)
    return negative


def piecewise(x: np.ndarray, b: np.ndarray, v: np.ndarray, s: np.ndarray, out: np.ndarray) -> int:
    """Fill ``out[i, j] = v[k, j] + s[k, j]·(x[i] − b[k])`` with ``b[k] ≤ x[i] < b[k+1]``;
    return how many ``x[i]`` were negative (outside the curve's domain)."""
    n = x.shape[0]
    threads = get_num_threads()
    if n >= PARALLEL_FROM and threads > 1:
        return int(_fill_parallel(x, b, v, s, out, threads))
    return int(_fill(x, b, v, s, out, 0, n))
