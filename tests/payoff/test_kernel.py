"""The evaluation kernel's search of the breakpoints, on both sides of where it stops counting
and starts bisecting, against numpy's ``searchsorted`` (an independent search)."""

from __future__ import annotations

import numpy as np
import pytest

from stakeflow.payoff._kernel import COUNT_UP_TO, piecewise


@pytest.mark.parametrize("k", [1, 2, 17, COUNT_UP_TO, COUNT_UP_TO + 1, 2_000])
def test_every_value_lands_on_the_segment_searchsorted_finds(k: int) -> None:
    rng = np.random.default_rng(k)
    b = np.concatenate([[0.0], np.sort(rng.uniform(1.0, 1e9, k - 1))])
    v = rng.uniform(0.0, 1e6, (k, 3))
    s = rng.uniform(0.0, 1.0, (k, 3))
    # The breakpoints themselves, the numbers just below them, beyond the last, and random values.
    x = np.concatenate([b, np.nextafter(b[1:], 0.0), [b[-1] * 2 + 1, 0.0], rng.uniform(0.0, 1.1e9, 5_000)])
    seg = np.searchsorted(b, x, side="right") - 1
    expected = v[seg] + s[seg] * (x - b[seg])[:, None]
    out = np.empty((x.shape[0], 3))
    assert piecewise(x, b, v, s, out) == 0
    assert np.array_equal(out, expected)


@pytest.mark.parametrize("k", [5, COUNT_UP_TO + 1])
def test_negative_proceeds_are_counted_and_read_on_the_first_segment(k: int) -> None:
    b = np.arange(k, dtype=np.float64) * 10.0
    v = np.arange(k, dtype=np.float64)[:, None]
    s = np.ones((k, 1))
    x = np.array([-5.0, 15.0, -1e-300])
    out = np.empty((3, 1))
    assert piecewise(x, b, v, s, out) == 2
    assert out[:, 0].tolist() == [-5.0, 1.0 + 5.0, -1e-300]


def test_an_evaluation_split_across_threads_gives_the_bits_of_one_thread() -> None:
    from numba import get_num_threads, set_num_threads

    from stakeflow.payoff._kernel import PARALLEL_FROM

    rng = np.random.default_rng(5)
    b = np.concatenate([[0.0], np.sort(rng.uniform(1.0, 1e9, 30))])
    v = rng.uniform(0.0, 1e6, (31, 2))
    s = rng.uniform(0.0, 1.0, (31, 2))
    x = np.concatenate([rng.uniform(0.0, 1.1e9, PARALLEL_FROM + 3), [-1.0, -2.0]])
    split, whole = np.empty((x.shape[0], 2)), np.empty((x.shape[0], 2))
    threads = get_num_threads()
    try:
        set_num_threads(1)
        assert piecewise(x, b, v, s, whole) == 2
        set_num_threads(threads)  # every thread numba has (two or more on any machine with two cores)
        assert piecewise(x, b, v, s, split) == 2
    finally:
        set_num_threads(threads)
    assert np.array_equal(split, whole)
