"""Scaling out on Dask: Monte Carlo and sweeps on one process and on a local cluster of workers.

Figures printed (all measured in this run, on this machine; the machine's load, from
``os.getloadavg``, is printed with them, since other work on the same cores slows every
figure), for examples/venture_stacked.yaml (7 holders, 8 classes) at V = $200M, σ = 60%,
T = 3, r = 4%, seed 20251028:

* **paths per second**, at 10^7 and at 10^8 paths: one process on one thread (the baseline),
  one process on numba's default number of threads (its chunks on that many threads), and a
  local Dask cluster of 2 single-threaded worker processes; the **scaling ratio** is the
  cluster's rate over the baseline's (at 10^7 a run is under half a second, and the cluster's
  fixed costs show; at 10^8 the rate is the cluster's own). ``--rates`` prints these alone. The cluster is
  started and warmed up (its curve kernels compiled) before the clock starts; the numbers of
  every run are checked equal to the baseline's to the last bit. The CPU seconds of each
  process say how the work was shared and what the cluster itself cost, which the wall clock
  of a machine shared with other work does not;
* the **per-chunk cost** on a worker (262,144 paths) and the **scheduler overhead** per task
  (a round trip of a task that does nothing), the two figures docs/scale.md extrapolates from;
* a **1,000-point OPM grid** (40 volatilities × 25 terms; and 10 holdings of the seed
  investors × 100 volatilities, so 10 structures each compiled once), here and on the cluster;
* a **100-point Monte Carlo grid** (10 volatilities × 10 terms, 100,000 paths a point);
* the **memory high-water mark** of 10^6, 10^7 and 10^8 paths through the 2-worker cluster,
  each in a fresh interpreter with a fresh cluster: the peak resident memory of this process
  (the client) and of each worker, against a run of 10^6: flat in paths means the same.
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
SEED_FILE = ROOT / "examples" / "seed.yaml"
MARKET = {"equity_value": "200M", "volatility": "60%", "term": 3, "rate": "4%"}
SEED = 20251028
CHUNK = 262_144


def load() -> object:
    import stakeflow as sf

    return sf.load(FILE)


def timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def load_text() -> str:
    a, b, c = os.getloadavg()
    return f"load average {a:.2f} {b:.2f} {c:.2f} on {os.cpu_count()} cores"


def throughput(rates_only: bool = False) -> None:
    from stakeflow.valuation.cluster import close, local_cluster

    client = local_cluster(2)
    try:
        for n in (10**7, 10**8):
            rates(client, n)
        if not rates_only:
            per_chunk(client, load())
            grids(client)
    finally:
        close(client)
    print(f"({load_text()} after the runs)")


def rates(client, n: int) -> None:  # type: ignore[no-untyped-def]
    import numba

    import stakeflow as sf
    from stakeflow.valuation.montecarlo import value_montecarlo

    sc = load()
    kw = {**MARKET, "paths": n, "seed": SEED, "chunk_size": CHUNK}
    sf.value(sc, "montecarlo", **{**kw, "paths": 10_000})  # type: ignore[arg-type]  # compile the kernels
    default_threads = numba.get_num_threads()
    value_montecarlo(sc, client=client, **{**kw, "paths": 8 * CHUNK})  # type: ignore[arg-type]  # warm up
    print(f"({load_text()} before the runs)")
    # Interleaved, best of 3 each: the other load on the machine changes from second to second.
    t1 = td = tc = float("inf")
    cpu_local = cpu_client = float("inf")
    cpu_workers: list[float] = []
    for _ in range(3):
        numba.set_num_threads(1)
        c0 = time.process_time()
        t, base = timed(lambda: sf.value(sc, "montecarlo", **kw))  # type: ignore[arg-type]
        t1, cpu_local = min(t1, t), min(cpu_local, time.process_time() - c0)
        numba.set_num_threads(default_threads)
        t, multi = timed(lambda: sf.value(sc, "montecarlo", **kw))  # type: ignore[arg-type]
        td = min(td, t)
        w0, c0 = client.run(_cpu), time.process_time()
        t, there = timed(lambda: value_montecarlo(sc, client=client, **kw))  # type: ignore[arg-type]
        w1 = client.run(_cpu)
        if t < tc:
            cpu_client, cpu_workers = time.process_time() - c0, [w1[k] - w0[k] for k in sorted(w0)]
        tc = min(tc, t)
        assert there.holders == base.holders == multi.holders, "cluster and local runs differ"
        assert there.standard_errors == base.standard_errors
    print(f"{n:,} paths")
    print(f"one process, one thread:          {n / t1 / 1e6:6.2f} M paths/s ({t1:.2f} s for {n:,} paths)")
    print(f"one process, {default_threads} threads:            {n / td / 1e6:6.2f} M paths/s ({td:.2f} s)")
    print(f"local cluster, 2 workers × 1:     {n / tc / 1e6:6.2f} M paths/s ({tc:.2f} s)")
    print(f"scaling ratio, 2 workers / 1 thread: {t1 / tc:.2f}x   (2 workers / {default_threads} threads in one "
          f"process: {td / tc:.2f}x)")
    # CPU time says how much work the cluster added, whatever else held the cores meanwhile: on
    # two otherwise idle cores its run would take about half its CPU seconds (the workers',
    # and the client's and scheduler's, which a local cluster runs on the same cores).
    idle = cpu_local / (sum([*cpu_workers, cpu_client]) / 2)
    print(f"CPU seconds: one process {cpu_local:.2f}; cluster: workers "
          f"{' + '.join(f'{w:.2f}' for w in cpu_workers)}, client and scheduler {cpu_client:.2f} "
          f"(on two otherwise idle cores: about {idle:.2f}x)")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _noop(x: int) -> int:
    return x


def _time_chunk(source, law, blocks: int) -> float:  # type: ignore[no-untyped-def]
    from stakeflow.valuation.simulation import chunk_task

    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        chunk_task(source, law, 10**7, SEED, 0, blocks, False)
        best = min(best, time.perf_counter() - t0)
    return best


def per_chunk(client, sc) -> None:  # type: ignore[no-untyped-def]
    from stakeflow.valuation.blocks import CurveSource
    from stakeflow.valuation.curves import pricing_curve
    from stakeflow.valuation.distributions import RiskNeutralLognormal

    src = client.scatter(CurveSource(pricing_curve(sc).curve), broadcast=True, hash=False)
    law = RiskNeutralLognormal(200e6, 0.6, 3.0, 0.04)
    blocks = CHUNK // 65_536

    # The chunk's own cost, measured on a worker (no scheduling in it): the best of 5.
    worker = next(iter(client.scheduler_info()["workers"]))
    cost = min(client.submit(_time_chunk, src, law, blocks, workers=[worker], pure=False).result() for _ in range(2))
    m = 400
    t0 = time.perf_counter()
    client.gather(client.map(_noop, range(m), pure=False))
    overhead = (time.perf_counter() - t0) / m
    print(f"per chunk of {CHUNK:,} paths on a worker: {cost * 1e3:.1f} ms; scheduler round trip per task "
          f"(400 empty tasks): {overhead * 1e3:.2f} ms")


def grids(client) -> None:  # type: ignore[no-untyped-def]
    import stakeflow as sf

    seed = sf.load(SEED_FILE)
    opm = {"equity_value": "12M", "rate": "4%"}
    grid_a = {"volatility": "20%:100%:40", "term": "1:5:25"}
    ta, a_here = timed(lambda: sf.sweep(seed, "opm", grid_a, **opm), 2)
    tb, a_there = timed(lambda: sf.sweep(seed, "opm", grid_a, client=client, **opm), 2)
    assert a_here.to_json() == a_there.to_json()
    print(f"1,000-point OPM grid (volatility × term, one structure): here {ta:.2f} s ({1000 / ta:,.0f} points/s), "
          f"cluster {tb:.2f} s")
    grid_b = {"entities[company].holdings[seed_investors].shares": "1M:4M:10", "volatility": "20%:100%:100"}
    tc, b_here = timed(lambda: sf.sweep(seed, "opm", grid_b, term=3, **opm))
    td, b_there = timed(lambda: sf.sweep(seed, "opm", grid_b, term=3, client=client, **opm))
    assert b_here.to_json() == b_there.to_json()
    print(f"1,000-point OPM grid (10 structures × 100 volatilities): here {tc:.2f} s, cluster {td:.2f} s")
    sc = load()
    mc = {"equity_value": "200M", "rate": "4%", "paths": 100_000, "seed": SEED}
    grid_c = {"volatility": "20%:110%:10", "term": "1:10:10"}
    te, c_here = timed(lambda: sf.sweep(sc, "montecarlo", grid_c, **mc))  # type: ignore[arg-type]
    tf, c_there = timed(lambda: sf.sweep(sc, "montecarlo", grid_c, client=client, **mc))  # type: ignore[arg-type]
    assert c_here.to_json() == c_there.to_json()
    print(f"100-point Monte Carlo grid (10^5 paths a point, 10^7 in all): here {te:.2f} s, cluster {tf:.2f} s "
          f"({te / tf:.2f}x)")


def memory_child(paths: int) -> None:
    """In a fresh interpreter: ``paths`` paths through a fresh 2-worker cluster; print peaks."""
    from stakeflow.valuation.cluster import close, local_cluster
    from stakeflow.valuation.montecarlo import value_montecarlo

    sc = load()
    client = local_cluster(2)
    try:
        t0 = time.perf_counter()
        value_montecarlo(sc, client=client, **{**MARKET, "paths": paths, "seed": SEED})  # type: ignore[arg-type]
        wall = time.perf_counter() - t0
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    finally:
        close(client)
    print(json.dumps({"wall": wall, "client_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_mb": sorted(peaks.values())}))


def memory() -> None:
    print(f"{'paths':>12} {'wall s':>7} {'M paths/s':>9} {'client peak MB':>14} {'worker peaks MB':>16}")
    for paths in (10**6, 10**7, 10**8):
        out = subprocess.run([sys.executable, __file__, "--memory", str(paths)], check=True, capture_output=True,
                             text=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        workers = " ".join(f"{w:.0f}" for w in r["worker_mb"])
        print(f"{paths:>12,} {r['wall']:>7.1f} {paths / r['wall'] / 1e6:>9.2f} {r['client_mb']:>14.0f} "
              f"{workers:>16}", flush=True)
    print(f"(holding every payout of 10^8 paths at once would need {10**8 * 15 * 8 / 1e9:.0f} GB; {load_text()})")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--memory":
        memory_child(int(sys.argv[2]))
    elif len(sys.argv) == 2 and sys.argv[1] == "--memory":
        memory()
    elif len(sys.argv) == 2 and sys.argv[1] == "--rates":
        throughput(rates_only=True)
    else:
        throughput()
        memory()
