"""Monte Carlo valuation: memory stays flat as the number of paths grows, and how fast it runs.

Figures printed (all measured in this run, on this machine), for examples/venture_stacked.yaml
(7 holders, 8 classes) at V = $200M, σ = 60%, T = 3, r = 4%, seed 20251028:

* for N = 10^6, 10^7 and 10^8 paths, each in a fresh interpreter: wall time, paths per second
  and the peak resident memory (``ru_maxrss``) of the process, against the peak of the same
  process doing everything except simulating (import, load, compile the curve: the
  baseline); with 2 worker processes, the workers' peak too. Holding every payout of 10^8
  paths at once would take N × 15 columns × 8 bytes = 12 GB;
* the largest gap between the Monte Carlo values and the OPM's, in standard errors;
* ``threads`` is numba's threads inside each process evaluating the curve (worker processes
  use one each);
* per block of 65,536 paths: time to draw, to evaluate the curve and to reduce, so the share
  of the simulation spent in ``curve.evaluate`` is visible.

Timings under other load on the machine vary; memory figures do not.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "examples" / "venture_stacked.yaml"
ARGS = ("200M", "60%", 3, "4%")
SEED = 20251028


def child(paths: int, workers: int) -> None:
    """Run inside a fresh interpreter; print one JSON line of figures."""
    import stakeflow as sf
    from stakeflow.valuation.curves import pricing_curve

    sc = sf.load(FILE)
    # Compiling the curve and its kernel is part of the baseline.
    pricing_curve(sc).curve.evaluate(__import__("numpy").array([1.0]))
    if paths == 0:
        print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        return
    t0 = time.perf_counter()
    res = sf.value_montecarlo(sc, *ARGS, paths=paths, seed=SEED, workers=workers)
    wall = time.perf_counter() - t0
    opm = sf.value_opm(sc, *ARGS)
    assert res.standard_errors is not None
    gap = max(abs(res.holders[h] - opm.holders[h]) / res.standard_errors[h]
              for h in res.holders if res.standard_errors[h] > 0)
    print(json.dumps({
        "wall": wall, "gap_se": gap,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def run_child(paths: int, workers: int = 1, threads: int | None = None) -> dict[str, float]:
    env = dict(os.environ)
    if threads is not None:
        env["NUMBA_NUM_THREADS"] = str(threads)
    out = subprocess.run([sys.executable, __file__, "--child", str(paths), str(workers)], check=True,
                         capture_output=True, text=True, cwd=ROOT, env=env)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def block_profile() -> None:
    import numpy as np

    import stakeflow as sf
    from stakeflow.valuation.blocks import CurvePayouts, Workspace, block_moments
    from stakeflow.valuation.curves import pricing_curve
    from stakeflow.valuation.distributions import RiskNeutralLognormal
    from stakeflow.valuation.streams import BLOCK, block_generator

    pc = pricing_curve(sf.load(FILE))
    payouts = CurvePayouts(pc.curve)
    work = Workspace()
    law = RiskNeutralLognormal(200e6, 0.6, 3.0, 0.04)
    payouts(np.array([1.0]))

    def best(fn, repeat: int = 20) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    x = work.proceeds(BLOCK)
    law.draw(block_generator(SEED, BLOCK, 0)[0], BLOCK, out=x)
    outs = payouts(x)
    draw = best(lambda: law.draw(block_generator(SEED, BLOCK, 0)[0], BLOCK, out=x))
    evaluate = best(lambda: payouts(x))
    reduce = best(lambda: block_moments(outs, False))
    columns = sum(o.shape[1] for o in outs)
    total = draw + evaluate + reduce
    print(f"per block of {BLOCK:,} paths ({columns} columns): draw {draw * 1e3:.2f} ms, "
          f"evaluate {evaluate * 1e3:.2f} ms, reduce {reduce * 1e3:.2f} ms "
          f"(evaluate is {evaluate / total:.0%} of {total * 1e3:.2f} ms; "
          f"{BLOCK / total / 1e6:.1f} M paths/s in one process)")


def main() -> None:
    base = run_child(0)
    print(f"baseline (import, load, compile the curve): peak RSS {base['peak_mb']:.0f} MB")
    print(f"{'paths':>12} {'workers':>7} {'threads':>7} {'wall s':>8} {'M paths/s':>10} {'peak MB':>8} "
          f"{'over base':>9} {'worker peak MB':>14} {'max |MC-OPM|/se':>16}")
    runs = [(10**6, 1, None), (10**7, 1, None), (10**8, 1, None), (10**7, 1, 1), (10**7, 2, None),
            (10**8, 2, None)]
    for paths, workers, threads in runs:
        r = run_child(paths, workers, threads)
        worker_peak = f"{r['children_peak_mb']:.0f}" if workers > 1 else "-"
        shown = "1" if threads == 1 or workers > 1 else str(os.cpu_count() or 1)
        print(f"{paths:>12,} {workers:>7} {shown:>7} {r['wall']:>8.1f} {paths / r['wall'] / 1e6:>10.2f} "
              f"{r['peak_mb']:>8.0f} {r['peak_mb'] / base['peak_mb']:>8.2f}x {worker_peak:>14} "
              f"{r['gap_se']:>16.2f}", flush=True)
    print(f"holding every payout of 10^8 paths at once would need {10**8 * 15 * 8 / 1e9:.0f} GB")
    block_profile()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
