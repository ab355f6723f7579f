"""Restructuring analysis: how fast projections are valued, against the exact engine, and how long
`stakeflow run` (the OpenAI example) takes stage by stage.

Figures printed:
- both structures of the example valued on 100,000 paths (paths × years per second);
- the same valuation with the exact engine as the payoff curve (Fractions, one waterfall per
  path, year and structure) on a few hundred paths, and the ratio of the two per path;
- the per-year walk of a tier program whose caps grow (each year's profit on its year-end, the
  earlier years as history; `stakeflow.payoff.dated`) against the one payoff curve F of the
  same structure (`F(C_t) − F(C_{t−1})`), on the same projected paths, and how the ratio grows
  with the number of paths and of years;
- the whole analysis of `stakeflow run` without the report, by stage;
- the break-even table (every lever for every reported stake) on 20,000 paths, as `run` does it,
  and on the main run's 100,000, each as a ratio to the valuation of both structures above, with
  the standard error of the foundation's caps multiple at each.

`python benchmarks/bench_restructuring.py dated` runs only the per-year walk's figures.
"""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path

import numpy as np

import stakeflow as sf
from stakeflow.analysis.breakeven import breakeven
from stakeflow.analysis.projection import distribution_dates, simulate, structure_payouts
from stakeflow.analysis.restructuring import analyze_plan, flagship_plan
from stakeflow.analysis.values import joint_values
from stakeflow.engine import waterfall
from stakeflow.payoff.dated import DatedPayouts
from stakeflow.scenario.fields import replace
from stakeflow.valuation.streams import Block

DATA = Path(sf.__file__).parent / "data" / "openai"


class ExactCurve:
    """The exact engine behind the payoff-curve interface: one waterfall per value."""

    def __init__(self, sc: sf.Scenario, entity: str) -> None:
        self.sc, self.entity = sc, entity
        self.holders = list(waterfall(sc, 0, entity, explain=False).holders)

    def evaluate(self, values: np.ndarray) -> np.ndarray:
        rows = [waterfall(self.sc, Fraction(float(v)), self.entity, explain=False).holders for v in values]
        return np.array([[float(r[h]) for h in self.holders] for r in rows])


def timed(fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def dated_walk() -> None:
    """The per-year walk against the payoff curve of the same structure on the same paths."""
    sc = sf.load(DATA / "capped_profit_growing_caps.yaml")
    curve = sf.payoff_curve(sc, "openai_global")
    print("per-year walk (growing caps, each year on its year-end) vs one payoff curve F, same paths:")
    print(f"{'paths':>9} {'years':>5} {'F(C_t)-F(C_t-1)':>16} {'per-year walk':>14} {'ratio':>6}")
    for years in (5, 10, 20):
        sy = replace(sc, "projection.horizon", years)
        assert sy.projection is not None
        t = time.perf_counter()
        dated = DatedPayouts(sy, "openai_global", distribution_dates(sy.projection))
        compile_s = time.perf_counter() - t
        for n in (10_000, 65_536):
            paths = simulate(sy, Block(1, 0, n, 0, n))
            f_s, _ = timed(lambda p=paths: structure_payouts(p, curve), repeat=5)
            w_s, _ = timed(lambda p=paths, d=dated: structure_payouts(p, d), repeat=5)
            print(f"{n:>9,} {years:>5} {f_s * 1e3:>13.1f} ms {w_s * 1e3:>11.1f} ms {w_s / f_s:>5.1f}x")
        print(f"{'':>9} {years:>5} compile: walk {compile_s * 1e3:.1f} ms")
    before, after = sc, sf.load(DATA / "pbc_2025.yaml")
    fixed = sf.load(DATA / "capped_profit_2025.yaml")
    n = 100_000
    g_s, _ = timed(lambda: joint_values([before, after], n, 1), repeat=2)
    f_s, _ = timed(lambda: joint_values([fixed, after], n, 1), repeat=2)
    print(f"both structures valued on {n:,} paths: growing caps per year {g_s:.2f} s, fixed caps (F) {f_s:.2f} s; "
          f"ratio {g_s / f_s:.2f}x")


def main() -> None:
    before, after = sf.load(DATA / "capped_profit_2025.yaml"), sf.load(DATA / "pbc_2025.yaml")
    years = before.projection.horizon if before.projection else 0
    joint_values([before, after], 1_000, 1)  # compile the kernels first
    n = 100_000
    fast, _ = timed(lambda: joint_values([before, after], n, 1))
    print(f"projection, 2 structures, {n:,} paths x {years} years: {fast:.3f} s "
          f"({2 * n * years / fast / 1e6:.2f} M path-years per second)")
    m = 300
    curves = [ExactCurve(before, "openai_global"), ExactCurve(after, "openai_group")]
    exact, _ = timed(lambda: joint_values([before, after], m, 1, curves=curves), repeat=1)
    per_fast, per_exact = fast / n, exact / m
    print(f"same with the exact engine as the curve, {m} paths: {exact:.3f} s")
    print(f"per path: payoff curves {per_fast * 1e6:.1f} us, exact engine {per_exact * 1e3:.2f} ms; "
          f"ratio {per_exact / per_fast:,.0f}x")
    t = time.perf_counter()
    res = analyze_plan(flagship_plan())
    total = time.perf_counter() - t
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in res.seconds.items())
    print(f"stakeflow run analysis (no report): {total:.1f} s; {stages}")
    targets = [f.target for f in res.fair_stakes]
    for paths in (20_000, 100_000):
        took, found = timed(lambda p=paths: breakeven(before, after, targets, mapping=res.mapping, paths=p,  # type: ignore[misc]
                                                      seed=2025), repeat=1)
        caps = next(b for s in found if s.target.party == "openai_foundation" for b in s.levers
                    if b.lever.key == "caps")
        solves = sum(len(s.levers) for s in found)
        print(f"break-even table, {solves} levers, {paths:,} paths: {took:.1f} s "
              f"({took / fast:.1f}x valuing both structures on {n:,} paths); foundation's caps {caps.text()}")


if __name__ == "__main__":
    import sys

    dated_walk()
    if sys.argv[1:] != ["dated"]:
        main()
