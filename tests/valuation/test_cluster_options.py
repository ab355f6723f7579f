"""Where Monte Carlo runs, as options: the mistakes, each with its message, found before any
work starts (the runs themselves on a cluster: test_cluster.py, marked slow)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import numpy as np
import pytest

import stakeflow as sf
from stakeflow.io.flags import error_lines
from stakeflow.scenario.errors import InputError
from stakeflow.valuation.cluster import cluster, connect

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed.yaml"
MARKET = {"equity_value": "12M", "volatility": "60%", "term": 3, "rate": "4%"}


def test_a_scheduler_and_local_workers_together_is_an_error() -> None:
    with pytest.raises(InputError) as err:
        sf.value(sf.load(SEED), "montecarlo", scheduler="tcp://127.0.0.1:1", workers=2, **MARKET)  # type: ignore[arg-type]
    assert str(err.value) == "give scheduler or workers, not both (the scheduler's workers do the work)"
    assert error_lines(err.value) == [
        "error: give --scheduler ADDRESS or --workers W, not both (the scheduler's workers do the work)"]
    with pytest.raises(InputError) as err, cluster("tcp://127.0.0.1:1", 3):
        pass
    assert str(err.value) == "give scheduler or workers, not both (the scheduler's workers do the work)"


@pytest.mark.parametrize("workers", ["1e12", 4 * (os.cpu_count() or 1) + 1])
def test_more_local_workers_than_four_a_core_is_an_error_before_any_start(workers: str | int) -> None:
    cores = os.cpu_count() or 1
    n = int(float(workers))
    with pytest.raises(InputError) as err:
        sf.value(sf.load(SEED), "montecarlo", workers=workers, paths=1000, **MARKET)  # type: ignore[arg-type]
    tail = (f"a cluster on this machine runs at most {4 * cores} worker processes (4 a core, and it has {cores}); "
            "for more, start workers on other machines and give")
    assert str(err.value) == f"workers {n}: {tail} scheduler (docs/scale.md)"
    assert error_lines(err.value) == [f"error: --workers {n}: {tail} --scheduler ADDRESS (docs/scale.md)"]


def test_one_worker_and_no_scheduler_runs_here() -> None:
    with cluster(None, 1) as client:
        assert client is None


def test_a_sample_file_is_read_here_not_on_a_cluster(tmp_path: Path) -> None:
    sample = tmp_path / "values.npy"
    np.save(sample, np.linspace(1e6, 3e7, 1000))
    with pytest.raises(InputError) as err:
        sf.value(sf.load(SEED), "montecarlo", distribution=sample, term=3, rate="4%", scheduler="tcp://127.0.0.1:1")
    assert str(err.value) == "scheduler does not apply to method montecarlo with a sample file"
    assert error_lines(err.value) == ["error: --scheduler does not apply to --method montecarlo with a sample file"]


def test_an_unreachable_scheduler_says_where_and_how_long() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"  # nothing listens there any more
    with pytest.raises(InputError) as err:
        connect(address, timeout=0.5)
    assert str(err.value).startswith(f"cannot reach the Dask scheduler at {address} within 0.5 s: ")
    with pytest.raises(InputError) as err:
        connect("not an address", timeout=0.5)
    assert error_lines(err.value) == [
        "error: --scheduler 'not an address': not a scheduler address (missing port number in address "
        "'not an address'); write tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786"]
    with pytest.raises(InputError) as err:
        connect("tcp://127.0.0.1:port", timeout=0.5)
    assert str(err.value).startswith("scheduler 'tcp://127.0.0.1:port': not a scheduler address (")
