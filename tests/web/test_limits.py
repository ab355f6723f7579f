"""SPEC §11's limits and checks: body size (413), Monte Carlo paths (422), time (503, the work
really stopped), Host (400, first), Origin (403), security headers, hostile input (422 before
it is read, never run), and a server that stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from web_helpers import BASE, ROOT, LiveServer, free_port, make_client

GUST = (ROOT / "tests" / "cases" / "gust_participating.yaml").read_text()
VENTURE = (ROOT / "examples" / "venture_stacked.yaml").read_text()
LONG = "500M"
"""Monte Carlo paths that take minutes: work still running when a limit, a client or a signal stops it."""
MONTE_CARLO = {"method": "montecarlo", "equity_value": "250M", "volatility": "60%", "term": 3, "rate": "4%"}


def test_bodies_over_a_million_bytes_are_413(client: TestClient) -> None:
    text = "#" * 999_000
    assert client.post("/api/validate", json={"scenario": text}).status_code != 413
    big = {"scenario": "#" * 1_000_001}
    r = client.post("/api/waterfall", json=big)
    assert r.status_code == 413 and r.json() == {"errors": ["error: the request body is larger than 1,000,000 bytes"]}
    r = client.post("/api/scenarios", json={"name": "x", "text": "#" * 1_000_001})
    assert r.status_code == 413 and client.get("/api/scenarios").json() == {"scenarios": []}


def test_413_without_a_content_length(live: LiveServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"scenario": "'
        for _ in range(30):
            yield b"#" * 50_000
        yield b'"}'

    with httpx.Client(base_url=live.url) as c:
        r = c.post("/api/waterfall", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert r.json()["errors"] == ["error: the request body is larger than 1,000,000 bytes"]
    # A Content-Length over the limit is refused before the body is read.
    with socket.create_connection(("127.0.0.1", live.port)) as s:
        s.sendall(f"POST /api/waterfall HTTP/1.1\r\nHost: 127.0.0.1:{live.port}\r\nContent-Type: application/json"
                  "\r\nContent-Length: 5000000\r\n\r\n{}".encode())
        head = s.recv(4096).decode()
    assert head.startswith("HTTP/1.1 413")


def test_max_paths_is_422() -> None:
    with make_client(max_paths=50_000) as c:
        r = c.post("/api/value", json={"scenario": VENTURE, **MONTE_CARLO, "paths": "50001"})
        assert r.status_code == 422
        assert r.json() == {"errors": ["error: --paths 50,001 is more than this server allows (50,000; --max-paths)"]}
        r = c.post("/api/value", json={"scenario": VENTURE, **MONTE_CARLO})  # the default is a million paths
        assert r.status_code == 422
        assert c.post("/api/value", json={"scenario": VENTURE, **MONTE_CARLO, "paths": "50k"}).status_code == 200
        r = c.post("/api/compare", json={"before": VENTURE, "after": VENTURE, "paths": "1M"})
        assert r.status_code == 422 and "--max-paths" in r.json()["errors"][0]


@contextmanager
def watching(workers: Any) -> Iterator[set[Any]]:
    """Every worker process seen while the block runs."""
    seen: set[Any] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.update(w for w in list(workers._all) if hasattr(w, "proc"))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield seen
    finally:
        done.set()
        watcher.join()


def test_work_past_the_time_limit_is_stopped_with_503() -> None:
    with make_client(time_limit=1.0, max_paths=10**9) as c:
        workers = c.app.app.state.workers  # type: ignore[attr-defined]
        with watching(workers) as seen:
            r = c.post("/api/value", json={"scenario": VENTURE, **MONTE_CARLO, "paths": LONG})
        assert r.status_code == 503
        assert r.json() == {"errors": ["error: the computation took longer than this server's limit of 1 s "
                                       "(--time-limit) and was stopped"]}
        # The process that ran it is gone: nothing keeps computing after the answer.
        killed = [w for w in seen if w not in workers._all]
        assert killed and not any(w.proc.is_alive() for w in killed)  # type: ignore[attr-defined]
        # And the server goes on answering.
        assert c.post("/api/waterfall", json={"scenario": GUST, "exit": "5M"}).status_code == 200


def test_host_is_checked_first(client: TestClient) -> None:
    for host in ("evil.example", "127.0.0.1:9999", "localhost", "127.0.0.1.nip.io:8000"):
        r = client.post("/api/scenarios", content=b"x" * 2_000_000,
                        headers={"host": host, "origin": "http://evil.example", "content-type": "application/json"})
        assert r.status_code == 400, host
        assert r.json()["errors"][0].startswith("error: this server answers to 127.0.0.1:8000")
        assert client.get("/", headers={"host": host}).status_code == 400
    for host in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000"):
        assert client.get("/api/scenarios", headers={"host": host}).status_code == 200


def test_host_of_a_server_not_on_loopback() -> None:
    with make_client(host="10.1.2.3", port=8080) as c:
        assert c.get("/api/scenarios", headers={"host": "10.1.2.3:8080"}).status_code == 200
        assert c.get("/api/scenarios", headers={"host": "localhost:8080"}).status_code == 400


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:9999", "https://127.0.0.1:8000",
                                    "http://127.0.0.1:8000.evil.example"])
def test_changes_from_other_origins_are_403(client: TestClient, origin: str) -> None:
    sid = client.post("/api/scenarios", json={"name": "kept", "text": GUST}).json()["id"]
    h = {"origin": origin}
    for method, url, body in [("POST", "/api/scenarios", {"name": "planted", "text": GUST}),
                              ("PUT", f"/api/scenarios/{sid}", {"text": GUST, "revision": 1}),
                              ("DELETE", f"/api/scenarios/{sid}", None), ("PATCH", f"/api/scenarios/{sid}", None),
                              ("POST", "/api/waterfall", {"scenario": GUST})]:
        r = client.request(method, url, json=body, headers=h)
        assert r.status_code == 403, (method, url)
        assert r.json()["errors"][0].startswith(f"error: requests from '{origin}' are refused")
    assert client.get("/api/scenarios").json()["scenarios"] == [{"id": sid, "name": "kept", "revision": 1}]
    assert client.get("/api/scenarios", headers=h).status_code == 200  # reading is not a change
    # The server's own pages (and clients that send no Origin) are served.
    for own in (BASE, "http://localhost:8000"):
        assert client.post("/api/waterfall", json={"scenario": GUST, "exit": "5M"},
                           headers={"origin": own}).status_code == 200


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/", "/api/scenarios", "/docs", "/static/app.js", "/api/nothing", "/new"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert "http" not in csp and "*" not in csp  # no other host is allowed anything
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
    scripts = client.get("/").headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in scripts


ALIAS_BOMB = """a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize(("name", "text", "message"), [
    ("alias bomb", ALIAS_BOMB, "aliases (*name) would repeat more than 100,000 values"),
    ("self reference", "stakeflow: 1\nholders: &h [*h]\n", "an alias (*name) refers to a value that contains it"),
    ("nesting 101 deep", "stakeflow: 1\nname: " + "[" * 101 + "]" * 101 + "\n", "nested too deeply"),
    ("block nesting", "stakeflow: 1\nx:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 120)) + "  " * 120
     + "v: 1\n", "nested too deeply"),
    ("nesting 100000 deep", "stakeflow: 1\nname: " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
])
def test_hostile_yaml_is_422_before_it_is_read(client: TestClient, name: str, text: str, message: str) -> None:
    # Refused from the node graph, in time linear in the text, before the reader expands
    # anything: no worker is ever asked (benchmarks/bench_web.py prints how long it takes).
    workers = client.app.app.state.workers  # type: ignore[attr-defined]
    asked: list[str] = []
    run = workers.run

    async def counting(job: str, *args: object, **kwargs: object) -> object:
        asked.append(job)
        return await run(job, *args, **kwargs)

    workers.run = counting
    for path, body in [("/api/waterfall", {"scenario": text, "exit": "1M"}),
                       ("/api/scenarios", {"name": "x", "text": text}), ("/api/validate", {"scenario": text})]:
        r = client.post(path, json=body)
        assert r.status_code == 422, (name, r.text)
        assert message in r.json()["errors"][0]
    assert asked == []
    assert client.get("/api/scenarios").json() == {"scenarios": []}


def test_nesting_of_100_is_read(client: TestClient) -> None:
    text = "stakeflow: 1\nname: x\nsources: {a: " + "[" * 98 + "]" * 98 + "}\n"
    r = client.post("/api/validate", json={"scenario": text})
    assert "nested too deeply" not in r.text


def test_python_tags_never_run(client: TestClient, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"stakeflow: 1\nname: !!python/object/apply:os.system ['touch {marker}']\n"
    r = client.post("/api/waterfall", json={"scenario": text, "exit": "1M"})
    assert r.status_code == 422
    assert r.json()["errors"][0].startswith("error: scenario:2:")
    assert not marker.exists()


def test_sigterm_stops_the_server(tmp_path: Path) -> None:
    port = free_port()
    exe = str(Path(sys.executable).with_name("stakeflow"))
    proc = subprocess.Popen([exe, "serve", "--port", str(port), "--db", str(tmp_path / "lib.db"), "--time-limit", "600",
                             "--max-paths", str(10**9)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "200"})
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/api/scenarios", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.2)

        def busy() -> None:  # a long computation in flight when the signal comes
            try:
                httpx.post(url + "/api/value", json={"scenario": VENTURE, **MONTE_CARLO, "paths": LONG}, timeout=60)
            except httpx.HTTPError:
                pass

        t = threading.Thread(target=busy, daemon=True)
        t.start()
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert proc.returncode is not None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_work_stops_when_the_client_goes_away(tmp_path: Path) -> None:
    with LiveServer(tmp_path / "lib.db", seed_examples=False, time_limit=120, max_paths=10**9) as srv:
        workers = srv.app.app.state.workers  # type: ignore[attr-defined]
        with httpx.Client(base_url=srv.url, timeout=120) as c:  # a worker ready, as on a server in use
            assert c.post("/api/validate", json={"scenario": GUST}).status_code == 200
        with watching(workers) as seen:
            with pytest.raises(httpx.ReadTimeout), httpx.Client(base_url=srv.url, timeout=2) as c:
                c.post("/api/value", json={"scenario": VENTURE, **MONTE_CARLO, "paths": LONG})
            # The client has gone: within a few polls of the connection its worker is killed,
            # long before the computation (tens of seconds) or the time limit (two minutes) ends.
            deadline = time.monotonic() + 60
            while not [w for w in seen if w not in workers._all and not w.proc.is_alive()]:
                assert time.monotonic() < deadline, "the computation went on after its client left"
                time.sleep(0.1)
