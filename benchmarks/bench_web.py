"""The web app's answers, timed through the ASGI app in process: hostile texts (refused from the
node graph before they are read; SPEC §11 asks for a 422 within a second), and a waterfall and
a validation of examples/venture_stacked.yaml (in a warm worker process, none answered from
the cache), as a baseline measured in the same run."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from stakeflow.web import create_app

ROOT = Path(__file__).resolve().parents[1]
BOMB = "".join(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 10 if i else ['"x"'] * 10) + "]\n"
               for i in range(9))
HOSTILE = {
    "alias bomb (10^9 values, 350 bytes)": BOMB,
    "nesting 100,000 deep": "stakeflow: 1\nname: " + "[" * 100_000 + "]" * 100_000,
    "self-referencing alias": "stakeflow: 1\nholders: &h [*h]\n",
}


def timed(c: TestClient, body: dict[str, object], path: str = "/api/waterfall", n: int = 5) -> tuple[float, int]:
    """Best of ``n``; each request differs (a comment added), so that none is answered from the cache."""
    best = float("inf")
    status = 0
    for i in range(n):
        text = str(body["scenario"]) + f"\n# {time.perf_counter_ns()} {i}\n"
        t0 = time.perf_counter()
        status = c.post(path, json={**body, "scenario": text}).status_code
        best = min(best, time.perf_counter() - t0)
    return best, status


def main() -> None:
    venture = (ROOT / "examples" / "venture_stacked.yaml").read_text()
    with TestClient(create_app("sqlite://", seed_examples=False), base_url="http://127.0.0.1:8000") as c:
        c.post("/api/validate", json={"scenario": venture})  # a warm worker
        base, _ = timed(c, {"scenario": venture, "exit": "150M"})
        check, _ = timed(c, {"scenario": venture}, "/api/validate")
        print(f"{'waterfall, venture_stacked.yaml (baseline)':45s} {base * 1e3:8.1f} ms")
        print(f"{'validate, venture_stacked.yaml':45s} {check * 1e3:8.1f} ms")
        for name, text in HOSTILE.items():
            t, status = timed(c, {"scenario": text, "exit": "1M"})
            print(f"{name:45s} {t * 1e3:8.1f} ms  -> {status}  ({t / base:.2f} x baseline)")


if __name__ == "__main__":
    main()
