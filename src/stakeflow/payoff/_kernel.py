"""The float64 kernel behind ``PayoffCurve.evaluate``, compiled by numba on first use.

For proceeds ``x`` in ``[b_k, b_{k+1})`` every column is ``v_k + s_k·(x − b_k)``: one search
of the breakpoints per value, then one multiply-add per column. Measured from ``b_k`` rather
than from 0 so that large intercepts do not cancel. Proceeds drawn at random would mispredict
half of a bisection's branches, which cost more than the columns' arithmetic; so while there
are few breakpoints the search counts them instead, without a branch.

This module imports numba, so stakeflow imports it only when a curve is first evaluated;
compiled code is cached on disk, so later processes skip the compilation.
"""

from __future__ import annotations

import numpy as np
from numba import get_num_threads, njit, prange

PARALLEL_FROM = 1 << 20
"""From this many values an evaluation is split across numba's threads. Each split waits for the
slowest thread, and a thread that another process keeps off its core is slow: a block of 65,536
values took 14 times as long split in two as on one thread on a machine with other work, where
a million values (about 10 ms of work a thread) lose little. Monte Carlo runs its chunks on
threads of their own instead (:mod:`stakeflow.valuation.simulation`)."""

COUNT_UP_TO = 384
"""Up to this many breakpoints a value's segment is found by counting the breakpoints at or
below it (compares the CPU makes several at a time, with no branch to mispredict); beyond, by
bisection. For lognormal proceeds, counting is 4x faster at 16 breakpoints and breaks even
near 400 (benchmarks/bench_payoff.py)."""


@njit(cache=True, nogil=True, inline="always")  # type: ignore[misc]
def _segment(b, xi):  # type: ignore[no-untyped-def]  # pragma: no cover - compiled
    # The last k with b[k] <= xi, b[0] = 0 (0 when there is none: xi negative, or NaN).
    n = b.shape[0]
    if n <= COUNT_UP_TO:
        k = 0
        for j in range(1, n):
            k += b[j] <= xi
        return k
    lo = 0
    hi = n
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if b[mid] <= xi:
            lo = mid
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)  # type: ignore[misc]
def _fill(x, b, v, s, out, start, stop):  # type: ignore[no-untyped-def]  # pragma: no cover - compiled
    h = v.shape[1]
    negative = 0
    for i in range(start, stop):
        xi = x[i]
        if xi < 0.0:
            negative += 1
        k = _segment(b, xi)
        d = xi - b[k]
        for j in range(h):
            out[i, j] = v[k, j] + s[k, j] * d
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
