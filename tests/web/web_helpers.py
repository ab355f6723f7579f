"""The web app under test: in-process (httpx through TestClient) and as a real server on
127.0.0.1 (uvicorn in a thread) with a SQLite file."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from stakeflow.web import create_app

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://127.0.0.1:8000"


# Tests of the time limit set their own; the others must not fail on a busy machine.
TEST_TIME_LIMIT = 300.0


def make_client(**options: Any) -> TestClient:
    options.setdefault("seed_examples", False)
    options.setdefault("time_limit", TEST_TIME_LIMIT)
    return TestClient(create_app("sqlite://", **options), base_url=BASE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, db: Path, **options: Any) -> None:
        import uvicorn

        options.setdefault("time_limit", TEST_TIME_LIMIT)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(f"sqlite:///{db}", port=self.port, **options)
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
