"""Where the work of a simulation or a sweep runs: this process, a local Dask cluster, or the
Dask scheduler at an address (``dask.distributed``).

``--workers W`` (W > 1) starts a :class:`~dask.distributed.LocalCluster` of W worker processes
with one thread each; ``--scheduler ADDRESS`` connects to a running scheduler (``dask
scheduler`` and ``dask worker`` on other machines, dask-jobqueue on a batch system,
dask-kubernetes). The numbers never depend on which: every unit of work is a pure function of
its inputs, and results are reduced in one fixed order.

Each worker thread evaluates curves on one numba thread (:func:`single_threaded`) and each
worker process started here uses one BLAS/OpenMP thread: parallelism comes from tasks, and a
worker whose threads competed with its neighbours' would only slow both down.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..scenario.errors import InputError, StakeflowError
from . import _messages as M
from .errors import ParameterError

if TYPE_CHECKING:
    from dask.distributed import Client

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a scheduler to answer (and for it to have a worker) before giving up."""

WORKERS_PER_CORE = 4
"""Most local worker processes per core: each is a Python process of about 200 MB, and more of
them than cores only share the same cores (a mistyped ``--workers 1e12`` would start processes
until the machine gave out)."""


def local_workers_most() -> int:
    """The most worker processes :func:`local_cluster` starts on this machine."""
    import os

    return WORKERS_PER_CORE * (os.cpu_count() or 1)

def connect(scheduler: str, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A client of the scheduler at ``scheduler`` (``tcp://host:8786``), or an :class:`InputError`
    saying it could not be reached within ``timeout`` seconds or has no worker."""
    from dask.distributed import Client

    _check_address(scheduler)
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(M.SCHEDULER_UNREACHABLE.format(address=scheduler, seconds=timeout,
                                                        detail=str(exc) or type(exc).__name__)) from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        client.close()
        raise InputError(M.SCHEDULER_NO_WORKERS.format(address=scheduler, seconds=timeout)) from None
    return client


def _check_address(address: str) -> None:
    # A malformed address fails before any connection (a half-made client would complain at exit).
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise ParameterError(M.SCHEDULER_ADDRESS, scheduler=M.SCHEDULER, address=address, detail=exc) from None


def local_cluster(workers: int) -> Client:
    """A client of a new cluster of ``workers`` single-threaded worker processes on this machine;
    closing the client (:func:`close`) stops the cluster.

    Dask starts each worker process with ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS`` and
    ``OPENBLAS_NUM_THREADS`` at 1 (``distributed.nanny.pre-spawn-environ``), setting them in this
    process on the way; they are put back once the workers run. numba's threads are set per task
    thread (:func:`single_threaded`): numba refuses a change of ``NUMBA_NUM_THREADS`` in a process
    whose threads have started, so it is not one of the variables passed.
    """
    import os

    from dask.distributed import Client, LocalCluster

    before = dict(os.environ)
    try:
        # No dashboard; the scheduler's own small HTTP server on any free port, not 8787 (which
        # another cluster on the machine may hold: Dask would warn on stderr).
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               host="127.0.0.1", scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
    finally:
        os.environ.clear()
        os.environ.update(before)
    return Client(cluster, set_as_default=False)


def close(client: Client) -> None:
    """Close ``client``, and the local cluster it started if any."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


@contextmanager
def cluster(scheduler: str | None = None, workers: int | None = None, *,
            timeout: float = CONNECT_TIMEOUT) -> Iterator[Client | None]:
    """The Dask client to run on for the length of a ``with`` block: the scheduler at
    ``scheduler``, a local cluster of ``workers`` processes (more than one), or ``None`` for
    this process alone."""
    if scheduler and workers is not None and workers > 1:
        raise ParameterError(M.SCHEDULER_AND_WORKERS, scheduler=M.SCHEDULER, workers=M.WORKERS_PARAM)
    if not scheduler and workers is not None and workers > local_workers_most():
        import os

        raise ParameterError(M.TOO_MANY_WORKERS, workers=M.WORKERS_PARAM, value=workers, most=local_workers_most(),
                             per=WORKERS_PER_CORE, cores=os.cpu_count() or 1, scheduler=M.SCHEDULER)
    if not scheduler and (workers is None or workers <= 1):
        yield None
        return
    client = connect(scheduler, timeout) if scheduler else local_cluster(workers or 1)
    try:
        yield client
    finally:
        close(client)


class ClusterError(StakeflowError):
    """The cluster failed during a run (not bad input): workers kept dying, or the scheduler
    went away. Reported as an ``error:`` line like every other failure the user can act on."""


@contextmanager
def cluster_failures(client: Client) -> Iterator[None]:
    """Turn a cluster's failure during a run into a :class:`ClusterError` that says what to do."""
    from distributed import KilledWorker

    address = where(client).removeprefix("dask ")
    try:
        yield
    except KilledWorker:
        raise ClusterError(M.WORKERS_LOST.format(address=address)) from None
    except OSError as exc:  # the scheduler's connection closed or timed out
        raise ClusterError(M.SCHEDULER_LOST.format(address=address, detail=str(exc) or type(exc).__name__)) from None


_threads = threading.local()


def single_threaded() -> None:
    """Let this thread evaluate curves on one numba thread (once per thread; numba's setting is
    per thread). Elementwise kernels give the same numbers on any number of threads."""
    if getattr(_threads, "single", False):
        return
    import numba

    numba.set_num_threads(1)
    _threads.single = True


def where(client: Client | None) -> str:
    """Where the work ran, for a result's record: ``local`` or ``dask tcp://…``."""
    if client is None:
        return "local"
    address = getattr(getattr(client, "scheduler", None), "address", "") or ""
    return f"dask {address}".strip()


__all__ = ["CONNECT_TIMEOUT", "WORKERS_PER_CORE", "ClusterError", "close", "cluster", "cluster_failures", "connect",
           "local_cluster", "local_workers_most", "single_threaded", "where"]
