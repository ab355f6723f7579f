"""The spread of a projection: the 10th, 50th and 90th percentiles of revenue and of cumulative
distributable profit, year by year, over seeded paths (the report's projection chart)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..scenario.models import Scenario
from ..valuation.streams import Block
from .projection import simulate

BAND_PATHS = 20_000
"""Paths the bands are drawn from (fewer when the analysis itself ran fewer)."""

PERCENTILES = (10, 50, 90)


@dataclass(frozen=True)
class ProjectionBands:
    """Percentiles of one structure's projection by year: ``revenue`` and ``cumulative``
    (distributable profit, summed from the first year) are arrays of shape (3, years), one row
    per percentile of :data:`PERCENTILES`."""

    entity: str
    years: list[int]
    paths: int
    revenue: np.ndarray
    cumulative: np.ndarray

    def to_json(self) -> dict[str, Any]:
        def rows(a: np.ndarray) -> dict[str, list[float]]:
            return {f"p{q}": [float(x) for x in row] for q, row in zip(PERCENTILES, a, strict=True)}

        return {"entity": self.entity, "years": list(self.years), "paths": self.paths,
                "revenue": rows(self.revenue), "cumulative": rows(self.cumulative)}


def projection_bands(sc: Scenario, entity: str, seed: int, paths: int = BAND_PATHS) -> ProjectionBands:
    """The bands of ``sc``'s projection over the first ``paths`` paths of the run seeded ``seed``
    (the paths every valuation of that run sees first)."""
    p = simulate(sc, Block(seed, 0, min(paths, 65_536), 0, max(paths, 1)))
    return ProjectionBands(
        entity=entity, years=list(p.years), paths=paths,
        revenue=np.percentile(p.revenue, PERCENTILES, axis=0),
        cumulative=np.percentile(p.cumulative[:, 1:], PERCENTILES, axis=0),
    )
