"""Payoff curves of every distributing entity of every shared case and example file, against the
exact engine.

The engine is the reference (SPEC §5): at every breakpoint, every midpoint between two of them
and beyond the last, the curve read exactly (``value_at``) must equal the engine exactly, and
the float kernel (``evaluate``) within 1e-9 relative; the same for the classes' totals.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

import stakeflow as sf
from stakeflow.engine import EquityFlow
from stakeflow.engine import reference_waterfall as waterfall

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*(ROOT / "tests" / "cases").glob("*.yaml"), *(ROOT / "examples").rglob("*.yaml"),
                *(Path(__file__).parent / "cases").glob("*.yaml"), ROOT / "benchmarks" / "cap_table_10.yaml"])
CURVES = [(path, e.id) for path in FILES for e in sf.load(path).entities if e.distributes]


def probe_points(points: list[Fraction]) -> list[Fraction]:
    mids = [(a + b) / 2 for a, b in pairwise(points)]
    last = points[-1]
    return [*points, *mids, last + 1, 2 * last + Fraction(7, 3), 10 * last + 10**6]


@pytest.mark.parametrize(("path", "entity"), CURVES, ids=[f"{p.stem}-{e}" for p, e in CURVES])
def test_curve_equals_engine(path: Path, entity: str) -> None:
    sc = sf.load(path)
    curve = sf.payoff_curve(sc, entity)
    assert curve.entity == entity
    assert curve.breakpoints[0] == 0
    assert all(a < b for a, b in pairwise(curve.breakpoints))
    pts = probe_points(curve.breakpoints)
    exact = [waterfall(sc, p, entity, explain=False) for p in pts]
    for p, res in zip(pts, exact, strict=True):
        assert curve.value_at(p) == res.holders
    got = curve.evaluate(np.array([float(p) for p in pts]))
    want = np.array([[float(r.holders[h]) for h in curve.holders] for r in exact]).reshape(got.shape)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
    for p in probe_points(curve.class_breakpoints):
        flow = waterfall(sc, p, entity, explain=False).entities[entity]
        want_cls = flow.classes if isinstance(flow, EquityFlow) else {}
        assert curve.class_value_at(p) == want_cls
