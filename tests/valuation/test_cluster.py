"""Monte Carlo and sweeps on a real Dask cluster: a scheduler and two workers started here as
separate processes (the ``dask scheduler`` and ``dask worker`` commands) on 127.0.0.1.

The claim tested is SPEC §12's: the same numbers, to the last bit, as on one process, with any
number of workers, and when a worker is killed (SIGKILL) while its tasks run. Seeds are stated;
equality is exact (``==`` on floats), no tolerance.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app
from stakeflow.valuation import _messages as M
from stakeflow.valuation.cluster import ClusterError, connect
from stakeflow.valuation.montecarlo import value_montecarlo

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed.yaml"
STACKED = ROOT / "examples" / "venture_stacked.yaml"
DASK = Path(sys.executable).parent / "dask"
ONE_THREAD = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]


def start_worker(address: str, tmp: Path, name: str) -> subprocess.Popen[bytes]:
    # --no-nanny: the worker is this very process, so killing it kills the worker (no restart).
    return subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
                             "--no-dashboard", "--name", name, "--local-directory", str(tmp)],
                            cwd=tmp, env={**os.environ, **ONE_THREAD}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = [start_worker(address, tmp, f"w{i}") for i in range(2)]
    started = [scheduler, *workers]
    try:
        client = connect(address, timeout=60)
        client.wait_for_workers(2, timeout=60)
        client.close()
        yield Cluster(address, scheduler, workers)
    finally:
        for p in started:
            if p.poll() is None:
                p.terminate()
        for p in started:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def cli_json(args: list[str]) -> dict[str, object]:
    out = CliRunner().invoke(app, [*args, "--json", "--no-progress"])
    assert out.exit_code == 0, out.output
    return dict(json.loads(out.stdout))


def test_value_montecarlo_on_the_cluster_equals_one_process(cluster: Cluster) -> None:
    args = ["value", str(STACKED), "--method", "montecarlo", "--equity-value", "200M", "--volatility", "60%",
            "--term", "3", "--rate", "4%", "--paths", "1000000", "--seed", "20251028", "--chunk-size", "131072"]
    here = cli_json(args)
    there = cli_json([*args, "--scheduler", cluster.address])
    assert there == here
    # Another chunking on the cluster: still the same numbers.
    assert cli_json([*args[:-2], "--chunk-size", "65536", "--scheduler", cluster.address]) == here


def test_sweep_on_the_cluster_equals_one_process(cluster: Cluster) -> None:
    args = ["sweep", str(SEED), "--method", "montecarlo", "--equity-value", "12M", "--rate", "4%",
            "--grid", "volatility=30%:90%:3", "--grid", "term=1,3", "--paths", "300000", "--seed", "7"]
    here = cli_json(args)
    there = cli_json([*args, "--scheduler", cluster.address])
    assert there == here
    assert len(here["points"]) == 6  # type: ignore[arg-type]
    opm = ["sweep", str(SEED), "--equity-value", "12M", "--rate", "4%", "--grid", "volatility=30%:90%:4",
           "--grid", "entities[company].holdings[seed_investors].shares=2M,2.5M,3M", "--term", "3"]
    assert cli_json([*opm, "--scheduler", cluster.address]) == cli_json(opm)


def test_a_worker_killed_mid_sweep_changes_nothing(cluster: Cluster, tmp_path: Path) -> None:
    sc = sf.load(STACKED)
    kw = {"equity_value": "200M", "rate": "4%", "term": 3, "paths": 4_000_000, "seed": 11, "chunk_size": 65_536}
    grid = {"volatility": "40%,60%,80%"}
    here = sf.sweep(sc, "montecarlo", grid, **kw)  # type: ignore[arg-type]

    client = connect(cluster.address, timeout=30)
    killed_at: list[int] = []
    victims: list[int] = []

    def kill_once(done: int, total: int) -> None:
        # A fifth of the way through, SIGKILL a worker that has tasks running at that moment.
        if killed_at or done < total // 5:
            return
        names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
        busy = [names[a] for a, tasks in client.processing().items() if tasks and a in names]
        if not busy:  # between two batches of tasks: try again at the next chunk
            return
        victim = int(str(busy[0]).removeprefix("w"))
        os.kill(cluster.workers[victim].pid, signal.SIGKILL)
        cluster.workers[victim].wait(timeout=10)
        killed_at.append(done)
        victims.append(victim)

    try:
        there = sf.sweep(sc, "montecarlo", grid, client=client, progress=kill_once, **kw)  # type: ignore[arg-type]
        assert killed_at and killed_at[0] < 3 * 4_000_000 // 2  # well before the end
        deadline = time.monotonic() + 30
        while len(client.scheduler_info()["workers"]) != 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(client.scheduler_info()["workers"]) == 1
    finally:
        client.close()
        # Bring the cluster back to two workers for any test after this one.
        for v in victims:
            cluster.workers[v] = start_worker(cluster.address, tmp_path, f"w{v}")
    assert there.to_json() == here.to_json()
    assert [p.result.holders for p in there.points] == [p.result.holders for p in here.points]
    assert there.where.startswith("dask tcp://127.0.0.1:")


def test_an_unreachable_scheduler_is_an_error_line() -> None:
    port = free_port()  # nothing listens there
    address = f"tcp://127.0.0.1:{port}"
    with pytest.raises(sf.StakeflowError) as err:
        connect(address, timeout=1)
    assert str(err.value).startswith(M.SCHEDULER_UNREACHABLE.format(address=address, seconds=1, detail="")[:-2])
    out = CliRunner().invoke(app, ["value", str(SEED), "--method", "montecarlo", "--equity-value", "12M",
                                   "--volatility", "60%", "--term", "3", "--rate", "4%", "--scheduler", address])
    assert out.exit_code == 2
    assert out.stderr.startswith(f"error: cannot reach the Dask scheduler at {address} within 10 s")
    assert out.stdout == ""


def test_workers_start_a_local_cluster_with_the_same_numbers() -> None:
    sc = sf.load(SEED)
    kw = {"paths": 5 * 65_536 + 17, "seed": 5, "chunk_size": 65_536}
    here = sf.value(sc, "montecarlo", equity_value="12M", volatility="60%", term=3, rate="4%", **kw)  # type: ignore[arg-type]
    there = sf.value(sc, "montecarlo", equity_value="12M", volatility="60%", term=3, rate="4%", workers=2,
                     **kw)  # type: ignore[arg-type]
    assert there.holders == here.holders and there.standard_errors == here.standard_errors
    s_here = sf.sweep(sc, "montecarlo", {"volatility": "40%,60%"}, equity_value="12M", term=3, rate="4%", **kw)  # type: ignore[arg-type]
    s_there = sf.sweep(sc, "montecarlo", {"volatility": "40%,60%"}, equity_value="12M", term=3, rate="4%", workers=2,
                       **kw)  # type: ignore[arg-type]
    assert s_there.to_json() == s_here.to_json() and s_there.where.startswith("dask")


def test_workers_dying_more_often_than_allowed_is_an_error_line(tmp_path: Path) -> None:
    # A scheduler that allows no failure: its only worker killed mid-run fails the run, cleanly.
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    scheduler = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = start_worker(address, tmp_path, "only")
    try:
        client = connect(address, timeout=60)
        try:
            def kill(n: int) -> None:
                if worker.poll() is None:
                    os.kill(worker.pid, signal.SIGKILL)
                    worker.wait(timeout=10)

            with pytest.raises(ClusterError) as err:
                value_montecarlo(sf.load(SEED), "12M", "60%", 3, "4%", paths=40 * 65_536, seed=1, chunk_size=65_536,
                                 client=client, progress=kill)
            assert str(err.value) == M.WORKERS_LOST.format(address=address)
        finally:
            client.close()
    finally:
        for p in (worker, scheduler):
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=20)
