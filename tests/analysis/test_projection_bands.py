"""The projection's spread (the report's chart), drawn from the run's own first paths."""

from __future__ import annotations

import numpy as np

from stakeflow import load
from stakeflow.analysis.projection import projection_of, simulate
from stakeflow.analysis.projection_bands import projection_bands
from stakeflow.analysis.restructuring import flagship_plan, read_plan
from stakeflow.valuation.streams import Block


def test_bands_are_percentiles_of_the_runs_first_paths() -> None:
    plan, folder = read_plan(flagship_plan())
    after = load(folder / plan.after)
    entity = projection_of(after).entity
    b = projection_bands(after, entity, seed=11, paths=2_000)
    assert b.paths == 2_000 and b.entity == entity
    assert b.years == projection_of(after).years
    assert b.revenue.shape == b.cumulative.shape == (3, len(b.years))
    # Ordered percentiles.
    assert np.all(b.revenue[0] <= b.revenue[1]) and np.all(b.revenue[1] <= b.revenue[2])
    assert np.all(b.cumulative[0] <= b.cumulative[1]) and np.all(b.cumulative[1] <= b.cumulative[2])
    # The same paths as every valuation of the run seeded 11 sees first (common random numbers).
    p = simulate(after, Block(11, 0, 2_000, 0, 2_000))
    assert b.revenue[1, -1] == np.median(p.revenue[:, -1])
    doc = b.to_json()
    assert set(doc["revenue"]) == {"p10", "p50", "p90"} and len(doc["cumulative"]["p90"]) == len(b.years)
