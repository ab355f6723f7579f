"""Chunks of Monte Carlo runs on threads of this process: the same bits as one after another.

Seeds are stated; equality is exact (``==`` on floats), no tolerance: a chunk is a pure function
of its indices and chunks are merged in block order, whichever thread finishes first.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import stakeflow as sf
from stakeflow.valuation.blocks import CurveSource
from stakeflow.valuation.curves import pricing_curve
from stakeflow.valuation.distributions import Discrete, RiskNeutralLognormal
from stakeflow.valuation.simulation import Run, simulate_runs
from stakeflow.valuation.streams import BLOCK

ROOT = Path(__file__).resolve().parents[2]


def runs_and_sources() -> tuple[list[CurveSource], list[Run]]:
    seed = pricing_curve(sf.load(ROOT / "examples" / "seed.yaml"))
    stacked = pricing_curve(sf.load(ROOT / "examples" / "venture_stacked.yaml"))
    sources = [CurveSource(seed.curve), CurveSource(stacked.curve)]
    runs = [
        Run(0, RiskNeutralLognormal(12e6, 0.6, 3.0, 0.04), 7 * BLOCK + 11, 20251028),
        Run(1, RiskNeutralLognormal(200e6, 0.5, 2.0, 0.04), 4 * BLOCK, 7, antithetic=True),
        Run(0, RiskNeutralLognormal(30e6, 0.9, 5.0, 0.04), 1_000, 8),
    ]
    return sources, runs


@pytest.mark.parametrize("threads", [2, 3, 5])
@pytest.mark.parametrize("chunk_size", [BLOCK, 3 * BLOCK])
def test_threads_give_the_bits_of_one_thread(threads: int, chunk_size: int) -> None:
    sources, runs = runs_and_sources()
    one = simulate_runs(sources, runs, chunk_size=chunk_size, threads=1)
    many = simulate_runs(sources, runs, chunk_size=chunk_size, threads=threads)
    for a, b in zip(one, many, strict=True):
        assert a.count == b.count
        assert np.array_equal(a.mean, b.mean) and np.array_equal(a.m2, b.m2)


def test_threads_report_every_path_once() -> None:
    sources, runs = runs_and_sources()
    seen: list[int] = []
    simulate_runs(sources, runs, chunk_size=2 * BLOCK, threads=2, progress=seen.append)
    assert sum(seen) == sum(r.paths for r in runs)
    assert len(seen) == 4 + 2 + 1


def test_a_failing_chunk_fails_the_run_on_threads() -> None:
    # A law with a negative value: the curve refuses those proceeds in whichever chunk draws one.
    sources, _ = runs_and_sources()
    bad = Run(0, Discrete((1e6, -5.0), (0.5, 0.5)), 6 * BLOCK, 3)
    with pytest.raises(ValueError, match="negative"):
        simulate_runs(sources, [bad], chunk_size=BLOCK, threads=2)
