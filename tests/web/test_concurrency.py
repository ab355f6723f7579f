"""SPEC §11: of concurrent saves from the current revision exactly one lands, the others get
409, and the one that lands adds exactly one revision. Twenty clients at once against a real
server on 127.0.0.1 with its library in a SQLite file."""

from __future__ import annotations

import threading

import httpx
from web_helpers import ROOT, LiveServer

GUST = (ROOT / "tests" / "cases" / "gust_participating.yaml").read_text()


def test_twenty_simultaneous_saves_on_one_revision(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        sid = c.post("/api/scenarios", json={"name": "shared", "text": GUST}).json()["id"]
    start = threading.Barrier(20)
    answers: dict[int, httpx.Response] = {}

    def save(i: int) -> None:
        with httpx.Client(base_url=live.url, timeout=60) as c:
            start.wait()
            answers[i] = c.put(f"/api/scenarios/{sid}", json={"text": GUST + f"# editor {i}\n", "revision": 1})

    threads = [threading.Thread(target=save, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in answers.values())
    assert codes == [200] + [409] * 19
    (winner,) = [i for i, r in answers.items() if r.status_code == 200]
    assert answers[winner].json() == {"id": sid, "revision": 2}
    assert all(r.json()["revision"] == 2 for r in answers.values() if r.status_code == 409)
    with httpx.Client(base_url=live.url) as c:
        revs = c.get(f"/api/scenarios/{sid}/revisions").json()["revisions"]
        assert [v["revision"] for v in revs] == [1, 2]
        assert c.get(f"/api/scenarios/{sid}").json()["text"] == GUST + f"# editor {winner}\n"
        assert c.get(f"/api/scenarios/{sid}/revisions/1").json()["text"] == GUST


def test_monte_carlo_reports_its_progress(live: LiveServer) -> None:
    venture = (ROOT / "examples" / "venture_stacked.yaml").read_text()
    body = {"scenario": venture, "method": "montecarlo", "equity_value": "250M", "volatility": "60%", "term": 3,
            "rate": "4%", "paths": "4M", "seed": 1}
    answer: list[httpx.Response] = []

    def run() -> None:
        with httpx.Client(base_url=live.url, timeout=60) as c:
            answer.append(c.post("/api/value", json=body, headers={"X-Progress-Key": "k1"}))

    t = threading.Thread(target=run)
    t.start()
    seen = []
    with httpx.Client(base_url=live.url) as c:
        while t.is_alive():
            seen.append(c.get("/api/progress/k1").json()["done"])
    t.join()
    assert answer[0].status_code == 200
    partial = [n for n in seen if 0 < n < 4_000_000]
    assert partial, seen[-5:]
    assert partial == sorted(partial)  # paths done only grow
