"""Heavy work in processes the server can stop: every computation of the web app runs in a
process of its own, forked from a server process that has stakeflow already imported, so
that it starts in milliseconds and can be killed when it passes the time limit, when its
client goes away, or when the server stops (SPEC §11: work past ``--time-limit`` is stopped).
A thread cannot be stopped from outside; a process can.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import multiprocessing as mp
import os
import queue
import threading
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ..io.flags import error_lines
from ..scenario import errors as E
from ..scenario.errors import StakeflowError
from . import _messages as M

log = logging.getLogger("stakeflow.web")


@dataclass(frozen=True)
class Done:
    """A computation's result: a JSON document (or bytes for a download)."""

    doc: Any


@dataclass(frozen=True)
class Failed:
    """A computation that ended with the user's errors (``status`` 422) or was stopped (503)."""

    status: int
    errors: list[str]


class JobError(Exception):
    """A problem found by a job itself, with its ``error:`` lines and HTTP status."""

    def __init__(self, lines: list[str], status: int = 422) -> None:
        super().__init__(lines)
        self.lines = lines
        self.status = status


def _run_one(conn: Connection, name: str, kwargs: dict[str, Any], with_progress: bool) -> None:
    from . import jobs

    def progress(n: int) -> None:
        conn.send(("progress", n))

    try:
        fn = getattr(jobs, name)
        doc = fn(**kwargs, progress=progress) if with_progress else fn(**kwargs)
        if isinstance(doc, dict | list):
            try:
                doc = json.dumps(doc, allow_nan=False)
            except ValueError:
                conn.send(("errors", (422, [M.AMOUNT_TOO_BIG])))
                return
        conn.send(("ok", doc))
    except StakeflowError as exc:
        conn.send(("errors", (422, error_lines(exc, "scenario"))))
    except JobError as exc:
        conn.send(("errors", (exc.status, exc.lines)))
    except OverflowError:
        conn.send(("errors", (422, [M.AMOUNT_TOO_BIG])))
    except RecursionError:
        conn.send(("errors", (422, [f"error: scenario: {E.TOO_DEEP}"])))
    except MemoryError:
        conn.send(("errors", (503, [M.INTERNAL.format(detail="out of memory")])))
    except Exception:
        conn.send(("bug", traceback.format_exc()))


def _serve(conn: Connection) -> None:
    """A worker process: runs one job after another until its pipe closes."""
    while True:
        try:
            name, kwargs, with_progress = conn.recv()
        except (EOFError, OSError):
            return
        _run_one(conn, name, kwargs, with_progress)


class _Process:
    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child,), daemon=True)
        self.proc.start()
        child.close()

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


class Workers:
    """A pool of worker processes running the functions of :mod:`stakeflow.web.jobs`, one job
    at a time each, ``time_limit`` seconds at most per request (waiting for a free worker
    included). A worker whose job passes the limit, or whose client goes away, is killed, and
    a fresh one takes its place when next needed."""

    def __init__(self, time_limit: float, size: int | None = None) -> None:
        self.time_limit = time_limit
        self.size = size or max(2, min(8, os.cpu_count() or 2))
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(["stakeflow.web.jobs"])
        self._idle: queue.Queue[_Process] = queue.Queue()
        self._all: set[_Process] = set()
        self._lock = threading.Lock()
        self.progress: dict[str, list[int]] = {}
        """Paths simulated so far by the request that gave each progress key."""

    def _take(self, timeout: float) -> _Process | None:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = len(self._all) < self.size
            if grow:
                placeholder = object()
                self._all.add(placeholder)  # type: ignore[arg-type]
        if grow:
            try:
                worker = _Process(self._ctx)
            finally:
                with self._lock:
                    self._all.discard(placeholder)  # type: ignore[arg-type]
            with self._lock:
                self._all.add(worker)
            return worker
        try:
            return self._idle.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None

    def _discard(self, worker: _Process) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)

    def warm(self) -> None:
        """Start one worker now, so that the first request does not wait for it."""
        worker = self._take(0)
        if worker is not None:
            self._idle.put(worker)

    async def run(self, name: str, kwargs: dict[str, Any], *,
                  disconnected: Callable[[], Awaitable[bool]] | None = None,
                  progress_key: str | None = None) -> Done | Failed | None:
        """Run ``jobs.name(**kwargs)``; None when the client went away first (the work is stopped)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.time_limit
        late = Failed(503, [M.TIME_LIMIT.format(seconds=self.time_limit)])
        worker = await asyncio.to_thread(self._take, self.time_limit)
        if worker is None:
            return late
        conn = worker.conn
        healthy = False
        ready = asyncio.Event()
        counter = self.progress.setdefault(progress_key, [0]) if progress_key else None
        try:
            conn.send((name, kwargs, progress_key is not None))
            loop.add_reader(conn.fileno(), ready.set)
            try:
                while True:
                    left = deadline - loop.time()
                    if left <= 0:
                        log.warning("stopped %s after %.1f s", name, self.time_limit)
                        return late
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(ready.wait(), timeout=min(left, 0.25))
                    ready.clear()
                    while conn.poll():
                        kind, payload = conn.recv()
                        if kind == "progress":
                            if counter is not None:
                                counter[0] += int(payload)
                            continue
                        healthy = True
                        if kind == "ok":
                            return Done(payload)
                        if kind == "errors":
                            status, lines = payload
                            return Failed(status, list(lines))
                        log.error("%s failed:\n%s", name, payload)
                        return Failed(500, [M.INTERNAL.format(detail=str(payload).strip().splitlines()[-1])])
                    if disconnected is not None and await disconnected():
                        return None
            finally:
                loop.remove_reader(conn.fileno())
        except (EOFError, OSError) as exc:
            return Failed(503, [M.INTERNAL.format(detail=f"the worker process ended ({exc or worker.proc.exitcode})")])
        finally:
            if progress_key:
                self.progress.pop(progress_key, None)
            if healthy:
                self._idle.put(worker)
            else:
                await asyncio.to_thread(self._discard, worker)

    def stop_all(self) -> None:
        """Kill every worker (the server is stopping)."""
        with self._lock:
            live = [w for w in self._all if isinstance(w, _Process)]
        for worker in live:
            self._discard(worker)


__all__ = ["Done", "Failed", "JobError", "Workers"]
