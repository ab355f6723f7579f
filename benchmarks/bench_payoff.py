"""Payoff curves: how long compiling takes, and how fast a compiled curve evaluates.

Figures printed (all measured in this run, on this machine):

* compile: wall time and exact engine evaluations to find the breakpoints of every example
  and shared case file;
* evaluate: ``curve.evaluate(x, out=out)`` on N = 2,000,000 proceeds and H = 10 holders,
  against the least work that produces an (N, H) float64 array from x, a broadcast multiply
  ``np.multiply(x[:, None], w[None, :], out=out)`` into the same preallocated array (target:
  ratio ≥ 0.5), and against a straightforward vectorised numpy waterfall that redoes
  preferences, participation, caps, exercises and the conversion equilibrium per value
  (``numpy_waterfall.py``; checked against the exact engine first);
* search by breakpoints: evaluate on one thread at 8 to 4,096 breakpoints (a synthetic
  table of H = 10 columns, lognormal proceeds as Monte Carlo draws them, 65,536 a call: one
  block) against a branching bisection compiled the same way (the kernel's search before it
  counted), with the log-log slope of each against the number of breakpoints.

Each timing is the best of several repetitions (the least disturbed by other work).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import numpy_waterfall  # noqa: E402

import stakeflow as sf  # noqa: E402
from stakeflow.engine import reference_waterfall as waterfall  # noqa: E402

N = 2_000_000
SEED = 20251028


def best(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def compile_figures() -> None:
    files = sorted([*(ROOT / "examples").rglob("*.yaml"), *(ROOT / "tests" / "cases").glob("*.yaml"),
                    HERE / "cap_table_10.yaml"])
    print("compile (exact breakpoints from the engine)")
    print(f"  {'file (root entity)':<58} {'breakpoints':>11} {'engine calls':>12} {'ms':>8}")
    total = 0.0
    for path in files:
        sc = sf.load(path)
        held = {h.holder for e in sc.entities for h in e.holdings or ()}
        held |= {k for e in sc.entities for t in e.distribution or () for k in [*t.shares, t.overflow] if k}
        for ent in (e for e in sc.entities if e.distributes and e.id not in held):
            t0 = time.perf_counter()
            curve = sf.payoff_curve(sc, ent.id)
            dt = time.perf_counter() - t0
            total += dt
            name = f"{path.relative_to(ROOT)} ({ent.id})"
            print(f"  {name:<58} {len(curve.breakpoints):>11} {curve.evaluations:>12} {dt * 1000:>8.1f}")
    print(f"  {'all files':<58} {'':>11} {'':>12} {total * 1000:>8.1f}")


def evaluate_figures() -> None:
    sc = sf.load(HERE / "cap_table_10.yaml")
    curve = sf.payoff_curve(sc)
    h = len(curve.holders)
    rng = np.random.default_rng(SEED)
    top = float(curve.breakpoints[-1]) * 1.5
    x = rng.uniform(0.0, top, N)
    out = np.empty((N, h))
    w = rng.uniform(0.0, 1.0, h)

    # The baseline must produce the same numbers before its time means anything.
    terms = numpy_waterfall.terms_of(sc.entity(curve.entity), curve.holders)
    check = np.concatenate([[float(b) for b in curve.breakpoints], x[:200]])
    exact = np.array([[float(waterfall(sc, Fraction(v), curve.entity, explain=False).holders[k])
                       for k in curve.holders] for v in check])
    err_base = np.max(np.abs(numpy_waterfall.holder_amounts(terms, check) - exact) / np.maximum(np.abs(exact), 1.0))
    err_curve = np.max(np.abs(curve.evaluate(check) - exact) / np.maximum(np.abs(exact), 1.0))

    curve.evaluate(x[:10], out=out[:10])  # compile (or load the cached kernel) outside the timing
    t_mul = best(lambda: np.multiply(x[:, None], w[None, :], out=out))
    t_eval = best(lambda: curve.evaluate(x, out=out))
    t_alloc = best(lambda: curve.evaluate(x))
    from numba import get_num_threads, set_num_threads

    threads = get_num_threads()
    set_num_threads(1)
    t_one = best(lambda: curve.evaluate(x, out=out))
    set_num_threads(threads)
    t_numpy = best(lambda: numpy_waterfall.holder_amounts(terms, x), repeat=2)

    gb = out.nbytes / 1e9
    print(f"evaluate (N = {N:,}, H = {h} holders, {len(curve.breakpoints)} breakpoints, "
          f"{threads} numba threads)")
    print(f"  {'method':<52} {'ms':>8} {'GB/s out':>9} {'Mvalues/s':>10}")
    for label, t in [
        ("broadcast multiply x[:, None] * w into out (reference)", t_mul),
        ("curve.evaluate(x, out=out)", t_eval),
        ("curve.evaluate(x, out=out), 1 thread", t_one),
        ("curve.evaluate(x) (allocates its output)", t_alloc),
        ("numpy waterfall per value (baseline)", t_numpy),
    ]:
        print(f"  {label:<52} {t * 1000:>8.1f} {gb / t:>9.2f} {N / t / 1e6:>10.1f}")
    print(f"  speed of evaluate relative to the broadcast multiply: {t_mul / t_eval:.2f} (target >= 0.5)")
    print(f"  same, on 1 thread:                                    {t_mul / t_one:.2f}")
    print(f"  evaluate is {t_numpy / t_eval:.0f}x faster than the numpy waterfall "
          f"({t_numpy / t_one:.0f}x on 1 thread)")
    print(f"  max relative error against the exact engine on {len(check)} values: "
          f"curve {err_curve:.1e}, numpy waterfall {err_base:.1e}")


def _bisection() -> Callable[..., None]:
    from numba import njit

    @njit(cache=True, nogil=True)  # type: ignore[misc]
    def fill(x, b, v, s, out):  # type: ignore[no-untyped-def]
        n = b.shape[0]
        for i in range(x.shape[0]):
            xi = x[i]
            lo, hi = 0, n
            while hi - lo > 1:
                mid = (lo + hi) >> 1
                if b[mid] <= xi:
                    lo = mid
                else:
                    hi = mid
            d = xi - b[lo]
            for j in range(v.shape[1]):
                out[i, j] = v[lo, j] + s[lo, j] * d

    return fill  # type: ignore[no-any-return]


def search_figures() -> None:
    from numba import get_num_threads, set_num_threads

    from stakeflow.payoff._kernel import COUNT_UP_TO, piecewise

    bisect = _bisection()
    rng = np.random.default_rng(SEED)
    n, h = 65_536, 10
    x = 200e6 * np.exp(0.6 * np.sqrt(3.0) * rng.standard_normal(n))
    out, ref = np.empty((n, h)), np.empty((n, h))
    threads = get_num_threads()
    set_num_threads(1)
    print(f"search by breakpoints (one thread, {n:,} lognormal proceeds, H = {h}; the kernel counts up to "
          f"{COUNT_UP_TO} breakpoints, then bisects)")
    print(f"  {'breakpoints':>11} {'evaluate ms':>12} {'bisection ms':>13} {'speed-up':>9}")
    sizes, mine, theirs = [8, 16, 32, 64, 128, 256, 512, 1024, 4096], [], []
    for k in sizes:
        b = np.concatenate([[0.0], np.sort(np.exp(rng.uniform(np.log(5e6), np.log(5e9), k - 1)))])
        v = np.cumsum(rng.uniform(0.0, 1e6, (k, h)), axis=0)
        s = rng.uniform(0.0, 1.0, (k, h))
        piecewise(x, b, v, s, out)
        bisect(x, b, v, s, ref)
        assert np.array_equal(out, ref), "the two searches disagree"
        t_mine = best(lambda b=b, v=v, s=s: piecewise(x, b, v, s, out))
        t_theirs = best(lambda b=b, v=v, s=s: bisect(x, b, v, s, ref))
        mine.append(t_mine)
        theirs.append(t_theirs)
        print(f"  {k:>11,} {t_mine * 1000:>12.3f} {t_theirs * 1000:>13.3f} {t_theirs / t_mine:>8.1f}x")
    set_num_threads(threads)
    lk = np.log(sizes)
    print(f"  log-log slope against breakpoints: evaluate {np.polyfit(lk, np.log(mine), 1)[0]:.2f}, "
          f"bisection {np.polyfit(lk, np.log(theirs), 1)[0]:.2f}")


if __name__ == "__main__":
    compile_figures()
    print()
    evaluate_figures()
    print()
    search_figures()
