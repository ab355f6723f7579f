"""Monte Carlo runs cut into chunks, on this process's threads or on a Dask cluster, reduced in
block order.

A **run** is one Monte Carlo estimate: a payout function (a compiled payoff curve), a law of
the proceeds, a number of paths and a seed. Its paths are cut into blocks of
:data:`~stakeflow.valuation.streams.BLOCK`, block i drawing from the i-th child of
``SeedSequence(seed)`` (``SeedSequence.spawn``), and the blocks are grouped into chunks of
about ``chunk_size`` paths: a chunk is the unit of work, and returns the moments of each of its
blocks. The blocks of a run are merged strictly left to right, so a run's numbers are a pure
function of (payouts, law, paths, seed): the same on one process, with any number of threads,
on a local cluster or on a remote one, with any number of workers.

On this process (:func:`simulate_runs` without a ``client``) the chunks run on a pool of threads,
each chunk on one thread (:func:`_on_threads`), or one after another when there is one thread.

On a cluster (:func:`simulate_runs` with a ``client``): every payout function is compiled once,
here, and scattered to every worker (``Client.scatter(broadcast=True)``); consecutive chunks are
grouped into tasks of up to sixteen chunks' worth of paths (so a sweep of many small points, or a
long run, does not pay the scheduler's cost per chunk; a worker still holds one block at a time)
and submitted with at most a window of tasks in flight; each chunk's moments are
merged into its run's total as soon as every chunk before it has arrived, so this process holds
only the few that arrived early and memory stays flat however many paths are asked for. A
worker that dies takes its running tasks with it; the scheduler runs them again on another
worker (``distributed.scheduler.allowed-failures``), and since a chunk is a pure function of
its indices the numbers do not change.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .blocks import Payouts, Workspace, simulate_blocks
from .cluster import cluster_failures, single_threaded
from .distributions import Distribution
from .moments import Moments
from .progress import Advance
from .streams import BLOCK, chunk_blocks, n_blocks

if TYPE_CHECKING:
    from dask.distributed import Client

TASK_CHUNKS = 16
"""Chunks' worth of paths in a task at most. Each task costs the client and the scheduler a few
milliseconds of CPU on the cores the workers use on one machine (measured: 0.35 against 0.17
CPU seconds for 5·10^7 paths in tasks of 1M and of 4M paths); a worker still holds one block
at a time whatever the task's size."""


class PayoutSource(Protocol):
    """What a worker is sent to evaluate payouts (it must pickle): ``build()`` gives the payout
    function, with buffers of its own, for one thread."""

    def build(self) -> Payouts: ...


@dataclass(frozen=True)
class Run:
    """One Monte Carlo estimate: payouts ``source`` (an index into the sources), the ``law`` of
    the proceeds, ``paths`` paths drawn from ``seed``, optionally antithetic."""

    source: int
    law: Distribution
    paths: int
    seed: int
    antithetic: bool = False


@dataclass(frozen=True)
class Chunk:
    """Blocks ``first`` … ``first + count − 1`` of run ``run``."""

    run: int
    first: int
    count: int

    def paths(self, runs: Sequence[Run]) -> int:
        total = runs[self.run].paths
        return min(total, (self.first + self.count) * BLOCK) - self.first * BLOCK


def plan(runs: Sequence[Run], chunk_size: int) -> list[Chunk]:
    """Every chunk of every run, runs in order and each run's blocks in order."""
    per = chunk_blocks(chunk_size)
    out: list[Chunk] = []
    for j, r in enumerate(runs):
        nb = n_blocks(r.paths)
        out.extend(Chunk(j, first, min(per, nb - first)) for first in range(0, nb, per))
    return out


def bundles(chunks: Sequence[Chunk], runs: Sequence[Run], target: int) -> list[list[int]]:
    """Consecutive chunks grouped into tasks of about ``target`` paths (at least one chunk each).

    A worker runs a task's chunks one after another in its one buffer, so memory stays that of
    a chunk; grouping only spares the scheduler a task per chunk when chunks are small (a sweep
    of many points of few paths) or many.
    """
    out: list[list[int]] = []
    size = 0
    for i, c in enumerate(chunks):
        n = c.paths(runs)
        if out and size + n <= target:
            out[-1].append(i)
            size += n
        else:
            out.append([i])
            size = n
    return out


class InOrder:
    """Each run's total, merging a chunk's blocks only once every chunk before it is merged.

    Chunks may arrive in any order; they are held until their turn, then folded into their
    run's total block by block (:meth:`Moments.merge`): the same sequence of operations as
    merging every block of the run left to right.
    """

    def __init__(self, chunks: Sequence[Chunk], runs: int) -> None:
        self.chunks = chunks
        self.totals: list[Moments | None] = [None] * runs
        self.waiting: dict[int, list[Moments]] = {}
        self.next = 0

    def add(self, index: int, blocks: list[Moments]) -> None:
        self.waiting[index] = blocks
        while self.next in self.waiting:
            run = self.chunks[self.next].run
            for b in self.waiting.pop(self.next):
                total = self.totals[run]
                self.totals[run] = b if total is None else total.merge(b)
            self.next += 1

    def result(self) -> list[Moments]:
        assert self.next == len(self.chunks) and all(t is not None for t in self.totals)
        return [t for t in self.totals if t is not None]


_here = threading.local()


def _payouts_here(source: PayoutSource) -> tuple[Payouts, Workspace]:
    """This thread's payout function for ``source`` (built once per thread and source) and its
    reusable buffer: a worker's threads never share buffers."""
    if getattr(_here, "source", None) is not source:
        single_threaded()
        _here.source = source
        _here.payouts = source.build()
        _here.work = getattr(_here, "work", None) or Workspace()
    return _here.payouts, _here.work


def chunk_task(source: PayoutSource, law: Distribution, paths: int, seed: int, first: int, count: int,
               antithetic: bool) -> list[Moments]:
    """One chunk on a worker: the moments of blocks ``first`` … of one run."""
    payouts, work = _payouts_here(source)
    return simulate_blocks(payouts, law, paths, seed, first, count, antithetic, work)


Piece = tuple[PayoutSource, Distribution, int, int, int, int, bool]
"""A chunk as a task carries it: (source, law, paths, seed, first block, blocks, antithetic)."""


def bundle_task(pieces: Sequence[Piece]) -> list[list[Moments]]:
    """The unit of work a worker runs: several chunks (of one run or of several), in order."""
    return [chunk_task(*piece) for piece in pieces]


def threads(client: Client) -> int:
    """Worker threads on the cluster now (at least one)."""
    return sum(client.nthreads().values()) or 1


def in_flight(client: Client) -> int:
    """How many chunks to keep submitted: enough to keep every worker thread busy while results
    travel back, few enough that the scheduler's queue and the results waiting here stay small."""
    return max(8, 4 * threads(client))


def simulate_runs(sources: Sequence[PayoutSource], runs: Sequence[Run], *, chunk_size: int,
                  client: Client | None = None, payouts: Sequence[Payouts] | None = None,
                  progress: Advance | None = None, threads: int | None = None) -> list[Moments]:
    """The moments of every run, in order.

    Without ``client`` the chunks run in this process: on ``threads`` threads (by default
    numba's, ``NUMBA_NUM_THREADS``, which is the number of cores), or one after another when
    that is one (``payouts``, when given, are then the sources' payout functions already built).
    With a Dask ``client`` they run on its workers. Either way, and whatever ``chunk_size``, the
    numbers are the same.
    """
    chunks = plan(runs, chunk_size)
    merged = InOrder(chunks, len(runs))
    if client is None:
        if threads is None:
            threads = _numba_threads()
        if threads > 1 and len(chunks) > 1:
            _on_threads(sources, runs, chunks, merged, threads, progress)
            return merged.result()
        built = list(payouts) if payouts is not None else [s.build() for s in sources]
        work = Workspace()
        for i, c in enumerate(chunks):
            r = runs[c.run]
            merged.add(i, simulate_blocks(built[r.source], r.law, r.paths, r.seed, c.first, c.count,
                                          r.antithetic, work))
            if progress is not None:
                progress(c.paths(runs))
        return merged.result()
    with cluster_failures(client):
        _on_cluster(client, sources, runs, chunks, merged, chunk_size, progress)
    return merged.result()


def _numba_threads() -> int:
    import numba

    return int(numba.get_num_threads())


def _on_threads(sources: Sequence[PayoutSource], runs: Sequence[Run], chunks: Sequence[Chunk], merged: InOrder,
                threads: int, progress: Advance | None) -> None:
    """The chunks on a pool of ``threads`` threads of this process, each with its own payout
    function and buffers, each evaluating on one numba thread.

    The draws, the curve and the moments all run without the GIL, so the threads share the
    cores as worker processes would, without starting any. Parallel work comes from whole
    chunks, not from threads inside each evaluation: a chunk's few milliseconds need no
    synchronisation, where an evaluation split across threads waits for the slowest of them
    at every block (and waits long when other work holds a core).
    """
    from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

    def one(i: int) -> list[Moments]:
        c = chunks[i]
        r = runs[c.run]
        return chunk_task(sources[r.source], r.law, r.paths, r.seed, c.first, c.count, r.antithetic)

    window = 2 * threads
    with ThreadPoolExecutor(threads, thread_name_prefix="stakeflow-chunk") as pool:
        pending: dict[Future[list[Moments]], int] = {}
        todo = iter(range(len(chunks)))
        for i in todo:
            pending[pool.submit(one, i)] = i
            if len(pending) >= window:
                break
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = pending.pop(fut)
                    merged.add(i, fut.result())
                    if progress is not None:
                        progress(chunks[i].paths(runs))
                    nxt = next(todo, None)
                    if nxt is not None:
                        pending[pool.submit(one, nxt)] = nxt
        finally:
            for fut in pending:
                fut.cancel()


def _on_cluster(client: Client, sources: Sequence[PayoutSource], runs: Sequence[Run], chunks: Sequence[Chunk],
                merged: InOrder, chunk_size: int, progress: Advance | None) -> None:
    from dask.distributed import as_completed

    # Compiled once, here; every worker gets a copy, so losing one worker loses no curve.
    shipped = [client.scatter(s, broadcast=True, hash=False) for s in sources]
    # Tasks of up to 16 chunks' worth of paths, while leaving every worker thread 8 tasks or more
    # (the last tasks to finish should be short, so that no worker waits long for another).
    total = sum(c.paths(runs) for c in chunks)
    groups = bundles(chunks, runs, max(chunk_size, min(TASK_CHUNKS * chunk_size, total // (8 * threads(client)))))
    index: dict[Any, int] = {}

    def piece(i: int) -> Piece:
        c = chunks[i]
        r = runs[c.run]
        return (shipped[r.source], r.law, r.paths, r.seed, c.first, c.count, r.antithetic)

    def submit(batch: list[int]) -> list[Any]:
        # One message to the scheduler for a whole batch of tasks.
        futures = client.map(bundle_task, [[piece(i) for i in groups[g]] for g in batch], pure=False)
        index.update((f.key, g) for f, g in zip(futures, batch, strict=True))
        return list(futures)

    window = in_flight(client)
    refill = max(1, window // 2)
    todo = list(range(len(groups)))
    pending = as_completed(submit(todo[:window]), loop=client.loop, with_results=True)
    queued, running = window, min(window, len(todo))
    for fut, results in pending:
        g = index.pop(fut.key)
        for i, blocks in zip(groups[g], results, strict=True):
            merged.add(i, blocks)
        fut.release()
        running -= 1
        if running <= window - refill and queued < len(todo):
            batch = todo[queued : queued + refill]
            queued += len(batch)
            running += len(batch)
            pending.update(submit(batch))
        if progress is not None:
            progress(sum(chunks[i].paths(runs) for i in groups[g]))
    for s in shipped:
        s.release()


__all__ = ["Chunk", "InOrder", "PayoutSource", "Piece", "Run", "bundle_task", "bundles", "chunk_task", "plan",
           "simulate_runs"]
