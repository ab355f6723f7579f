"""The exact engine and curve compilation, as ratios to one scalar float waterfall call.

The reference (``float_waterfall.py``) is the kind of pure-Python float calculator today's
open-source cap table tools ship, timed on the same table in the same run; every figure below
is a multiple of one of its calls. Targets:

* exact ``sf.waterfall`` per call (compiled regimes reused) ≤ 3× one float call;
* compiling the stacked table's payoff curve ≤ 200×;
* a late-stage table (20 series, 100 option strikes, 10 warrants, about 1,000 holders)
  compiled ≤ 4,000×;
* compile time against the number of classes (10, 20, 40, 80 mixed series, with strikes and
  warrants growing alongside) with a log-log slope ≤ 1.5; and against holders.

The black-box kink search over the plain engine (how curves were found before the sweep) is
timed once on the stacked table for comparison. Each timing is the best of several runs.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "engine"))

import float_waterfall  # noqa: E402
from large_tables import build, late_stage  # noqa: E402

import stakeflow as sf  # noqa: E402
from stakeflow.engine import claims_of, reference_waterfall  # noqa: E402
from stakeflow.payoff.bound import upper_bound  # noqa: E402
from stakeflow.payoff.kinks import Sampler, find_kinks  # noqa: E402

TABLE = ROOT / "examples" / "venture_stacked.yaml"


def best(fn: Callable[[], object], repeat: int = 5, inner: int = 1) -> float:
    """The best of ``repeat`` runs, in this process's CPU time: everything timed here is
    single-threaded, and CPU time is steadier than wall time on a shared machine."""
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        for _ in range(inner):
            fn()
        times.append((time.process_time() - t0) / inner)
    return min(times)


def fresh(sc: sf.Scenario) -> sf.Scenario:
    """An equal scenario object with nothing compiled yet."""
    return sc.model_copy(deep=True)


def kink_search(sc: sf.Scenario) -> int:
    """The curve's breakpoints found by probing the plain engine as a black box."""
    root = sc.entities[0]

    def engine(v: Fraction) -> tuple[Fraction, ...]:
        return tuple(reference_waterfall(sc, v, root.id, explain=False).holders.values())

    f = Sampler(engine)
    u = upper_bound([root], lambda v: {root.id: v})
    after = tuple((b - a) / u for a, b in zip(f(u), f(2 * u), strict=True))
    _, kinks = find_kinks(f, u, after)
    return len(kinks)


def slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def main() -> None:
    sc = sf.load(TABLE)
    ent = sc.entities[0]
    terms = float_waterfall.terms(claims_of(ent))
    exits = [1e6 * k for k in (0.5, 3, 12, 37, 80, 150, 400, 1200)]
    for v in exits:  # the reference must be right before its time means anything
        exact = reference_waterfall(sc, Fraction(v), explain=False).entities[ent.id]
        got = float_waterfall.waterfall(terms, v)
        assert all(abs(got[k] - float(a)) <= 1e-6 * max(1.0, v) for k, a in exact.classes.items()), v  # type: ignore[union-attr]
    t_float = best(lambda: [float_waterfall.waterfall(terms, v) for v in exits], inner=50) / len(exits)
    print(f"reference: one scalar float waterfall of {TABLE.relative_to(ROOT)} "
          f"({len(ent.classes or [])} classes): {t_float * 1e6:.1f} µs")

    sf.waterfall(sc, exits[0])
    values = [Fraction(int(v)) for v in exits]
    t_exact = best(lambda: [sf.waterfall(sc, v) for v in values], inner=50) / len(values)
    t_plain = best(lambda: [reference_waterfall(sc, v, explain=False) for v in values], repeat=3, inner=3) / len(values)
    print(f"  exact sf.waterfall per call:          {t_exact * 1e6:9.1f} µs  {t_exact / t_float:7.1f}x  (target <= 3x)")
    print(f"  plain engine per call (the reference): {t_plain * 1e6:8.1f} µs  {t_plain / t_float:7.1f}x")

    t_compile = best(lambda: sf.payoff_curve(fresh(sc)), repeat=7)
    t_parse = best(lambda: fresh(sc), repeat=7)
    t_compile -= t_parse
    curve = sf.payoff_curve(sc)
    print(f"  compile its payoff curve ({len(curve.breakpoints)} breakpoints): {t_compile * 1e3:8.2f} ms  "
          f"{t_compile / t_float:7.0f}x  (target <= 200x)")
    t_kinks = best(lambda: kink_search(fresh(sc)), repeat=1)
    print(f"  black-box kink search over the plain engine: {t_kinks * 1e3:8.1f} ms  {t_kinks / t_float:7.0f}x  "
          f"(the sweep is {t_kinks / t_compile:.0f}x faster)")

    doc = late_stage(7)
    big = build(doc)
    t_big = best(lambda: sf.payoff_curve(build(doc)), repeat=3) - best(lambda: build(doc), repeat=3)
    bc = sf.payoff_curve(big)
    print(f"late stage: {len(big.entities[0].classes or [])} classes, {len(big.holders)} holders, "
          f"{len(bc.breakpoints)} breakpoints: {t_big * 1e3:.1f} ms  {t_big / t_float:.0f}x  (target <= 4000x)")

    print("compile time against the table's size (mixed series; strikes and warrants alongside)")
    print(f"  {'series':>6} {'classes':>7} {'holders':>7} {'breakpoints':>11} {'ms':>9} {'x float':>8}")
    sizes, times = [], []
    for series in (10, 20, 40, 80):
        d = late_stage(11, series=series, strikes=series, warrants=series // 4, holders=10 * series,
                       safes=series // 10, notes=series // 20)
        t = best(lambda d=d: sf.payoff_curve(build(d)), repeat=3) - best(lambda d=d: build(d), repeat=3)
        s = build(d)
        n = len(s.entities[0].classes or [])
        print(f"  {series:>6} {n:>7} {len(s.holders):>7} {len(sf.payoff_curve(s).breakpoints):>11} "
              f"{t * 1e3:>9.1f} {t / t_float:>8.0f}")
        sizes.append(float(n))
        times.append(t)
    print(f"  log-log slope of compile time against classes: {slope(sizes, times):.2f} (target <= 1.5)")

    print("compile time against holders (20 series, 100 strikes)")
    hs, ht = [], []
    for holders in (10, 100, 1000, 5000):
        d = late_stage(13, holders=holders)
        t = best(lambda d=d: sf.payoff_curve(build(d)), repeat=3) - best(lambda d=d: build(d), repeat=3)
        print(f"  {holders:>6} holders: {t * 1e3:8.1f} ms")
        hs.append(float(holders))
        ht.append(t)
    print(f"  log-log slope of compile time against holders: {slope(hs, ht):.2f}")


if __name__ == "__main__":
    main()
