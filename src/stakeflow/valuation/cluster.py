"""Where the work of a simulation or a sweep runs: this process, a local Dask cluster, or the
Dask scheduler at an address (``dask.distributed``).

``--workers W`` (W > 1) starts a :class:`~dask.distributed.LocalCluster` of W worker processes
with one thread each; ``--scheduler ADDRESS`` connects to a running scheduler (``dask
scheduler`` and ``dask worker`` on other machines, dask-jobqueue on a batch system,
dask-kubernetes). The numbers never depend on which: every unit of work is a pure function of
its inputs, and results are reduced in one fixed order.

Each worker thread evaluates curves on one numba thread (:func:`single_threaded`): parallelism
comes from tasks, and a worker process whose numba or BLAS threads competed with its
neighbours' would only slow both down.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..scenario.errors import InputError
from . import _messages as M

if TYPE_CHECKING:
    from dask.distributed import Client

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a scheduler to answer (and for it to have a worker) before giving up."""

# Threads of numerical libraries inside each worker process started here: one, since the
# cluster already runs one process per core.
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                     "NUMBA_NUM_THREADS": "1"}


def connect(scheduler: str, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A client of the scheduler at ``scheduler`` (``tcp://host:8786``), or an :class:`InputError`
    saying it could not be reached within ``timeout`` seconds or has no worker."""
    from dask.distributed import Client

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


def local_cluster(workers: int) -> Client:
    """A client of a new cluster of ``workers`` single-threaded worker processes on this machine;
    closing the client (:func:`close`) stops the cluster."""
    import dask
    from dask.distributed import Client, LocalCluster

    env = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {})
    with dask.config.set({"distributed.nanny.pre-spawn-environ": {**env, **SINGLE_THREAD_ENV}}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               host="127.0.0.1")
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
        raise InputError(M.SCHEDULER_AND_WORKERS)
    if not scheduler and (workers is None or workers <= 1):
        yield None
        return
    client = connect(scheduler, timeout) if scheduler else local_cluster(workers or 1)
    try:
        yield client
    finally:
        close(client)


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


__all__ = ["CONNECT_TIMEOUT", "close", "cluster", "connect", "local_cluster", "single_threaded", "where"]
