"""The web app in a real browser: Chromium (the system's, driven by Playwright) pastes a scenario,
saves it, distributes an exit and reads the waterfall table and the chart."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    import uvicorn

    from stakeflow.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app("sqlite://", seed_examples=False), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_paste_save_distribute(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is needed: apt-get install chromium"
    text = (ROOT / "tests/cases/venturesouth_capped.yaml").read_text()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(server + "/")
        # A broken file first: the errors show, the text stays.
        page.fill("#scenario-text", text.replace("participating: true", "participating: yes please"))
        page.click("#save")
        assert "not saved" in page.inner_text("#errors")
        assert "yes please" in page.input_value("#scenario-text")
        page.fill("#scenario-text", text)
        page.click("#save")
        page.wait_for_selector("#hint")
        page.fill("#exit", "10M")
        page.click("#compute")
        page.wait_for_selector("#waterfall")
        # VentureSouth: at $10M capped participation pays the investor $4.0M.
        assert page.inner_text("tr[data-holder=investor] td.num") == "4,000,000.00"
        assert page.inner_text("tr[data-holder=founders] td.num") == "6,000,000.00"
        page.wait_for_selector(".js-plotly-plot .main-svg")
        page.screenshot(path=str(tmp_path / "web.png"), full_page=True)
        browser.close()
    assert (tmp_path / "web.png").stat().st_size > 10_000
