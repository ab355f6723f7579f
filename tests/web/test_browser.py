"""The web app in a real browser (the system's Chromium, driven by Playwright) as an analyst
uses it: the exit slider moves the payouts table without a page load, an error is marked on
its line as one types, saves make revisions that a reload shows and a restore brings back, a
valuation and a comparison run, HTML in names never runs — and no request leaves 127.0.0.1."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from web_helpers import ROOT, LiveServer

import stakeflow as sf

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
VENTURE = (ROOT / "examples" / "venture_stacked.yaml").read_text()
BEFORE = (ROOT / "examples" / "openai" / "capped_profit_2025.yaml").read_text()
AFTER = (ROOT / "examples" / "openai" / "pbc_2025.yaml").read_text()
XSS = (Path(__file__).with_name("xss_scenario.yaml")).read_text()

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with LiveServer(tmp_path_factory.mktemp("web") / "library.db", seed_examples=False) as srv:
        ids = {}
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            for key, text in (("venture", VENTURE), ("before", BEFORE), ("after", AFTER), ("xss", XSS)):
                ids[key] = c.post("/api/scenarios", json={"name": "", "text": text}).json()["id"]
        yield {"url": srv.url, "ids": ids}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is needed: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A browser tab that records every request, and refuses (and remembers) any that would
    leave the server."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1366, "height": 768})
        self.outside: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.navigations = 0
        self.page.on("framenavigated", lambda f: self._navigated(f))

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.navigations += 1

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept()

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.base + "/") or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"requests outside 127.0.0.1: {self.outside}"
        assert self.errors == [], self.errors


@pytest.fixture
def tab(browser: Any, server: dict[str, Any]) -> Iterator[Page]:
    t = Page(browser, server["url"])
    yield t
    t.close()


def payouts(page: Any) -> dict[str, str]:
    rows = page.query_selector_all("#payouts tbody tr")
    return {r.get_attribute("data-holder"): r.query_selector(".amount").inner_text() for r in rows}


def cents(x: float) -> str:
    return f"{x:,.2f}"


def test_the_slider_moves_the_table_without_a_page_load(tab: Page, server: dict[str, Any]) -> None:
    page = tab.page
    page.goto(f"{server['url']}/scenarios/{server['ids']['venture']}")
    page.wait_for_selector("#exactness.exact")
    sc = sf.loads(VENTURE)
    first = payouts(page)
    # Names, not ids, in the table; the file's exit ($100M) exactly, to the cent.
    assert page.inner_text("#payouts tbody tr[data-holder=acme_ventures] td.name") == "Acme Ventures (Series A lead)"
    exact = sf.waterfall(sc, "100M").holders
    assert first == {h: cents(float(v)) for h, v in exact.items()}
    loaded = tab.navigations
    url = page.url
    box = page.locator("#exit-slider").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.10, y)
    page.mouse.down()
    seen = []
    for frac in (0.15, 0.25, 0.4):
        page.mouse.move(box["x"] + box["width"] * frac, y)
        # Evaluated in the page from the compiled curve, while the slider moves.
        table = payouts(page)
        x = float(page.input_value("#exit-slider"))
        expected = sf.waterfall(sc, repr(x)).holders
        for h, shown in table.items():
            assert abs(float(shown.replace(",", "")) - float(expected[h])) <= 0.02, (x, h)
        seen.append(table)
    page.mouse.up()
    assert seen[0] != seen[1] != seen[2] and seen[2] != first
    page.wait_for_selector("#exactness.exact")
    x = float(page.input_value("#exit-slider"))
    assert payouts(page) == {h: cents(float(v)) for h, v in sf.waterfall(sc, repr(x)).holders.items()}
    assert tab.navigations == loaded and page.url == url  # no page load
    # The number box takes any spelling; the breakdown, breakpoints and ledger show.
    page.fill("#exit-box", "250M")
    page.press("#exit-box", "Enter")
    page.wait_for_function("() => document.querySelector('#exactness').textContent.includes('250,000,000.00')")
    assert payouts(page) == {h: cents(float(v)) for h, v in sf.waterfall(sc, "250M").holders.items()}
    assert "Series C Preferred" in page.inner_text("#breakdown")
    assert page.locator("#breakpoints tbody tr").count() == len(sf.payoff_curve(sc).breakpoints)
    page.click("#explain")
    page.wait_for_selector("#ledger-table tbody tr")
    assert "preference" in page.inner_text("#ledger-table")
    page.wait_for_selector("#payoff-chart .main-svg")
    assert page.locator("#payoff-chart .legend .traces").count() == len(exact)


def test_an_error_is_marked_on_its_line_then_save_reload_restore(tab: Page, server: dict[str, Any]) -> None:
    page = tab.page
    with httpx.Client(base_url=server["url"]) as c:
        sid = c.post("/api/scenarios", json={"name": "to edit", "text": VENTURE}).json()["id"]
    page.goto(f"{server['url']}/scenarios/{sid}/edit")
    page.wait_for_function("() => document.querySelector('#status').textContent.startsWith('valid')")
    lines = VENTURE.split("\n")
    n = next(i for i, line in enumerate(lines) if "price_per_share" in line)
    broken = "\n".join([*lines[:n], lines[n].replace("price_per_share", "price_per_shar"), *lines[n + 1:]])
    page.click("#editor")
    page.fill("#editor", broken)
    page.wait_for_selector(".gutter div.bad")
    bad = [int(d.get_attribute("data-line")) for d in page.query_selector_all(".gutter div.bad")]
    assert bad == [n + 1]
    mark = page.locator(f".marks div[data-line='{n + 1}']")
    assert "price_per_shar" in mark.inner_text()
    # The mark stands beside its line: same offset from the top as the line in the text area.
    assert mark.bounding_box()["y"] == pytest.approx(
        page.locator(f".gutter div[data-line='{n + 1}']").bounding_box()["y"], abs=2)
    assert "error: scenario:" in page.inner_text("#problems")
    # Fixed as one types on: the mark goes.
    page.fill("#editor", VENTURE + "# reviewed\n")
    page.wait_for_function("() => document.querySelectorAll('.gutter div.bad').length === 0")
    page.click("#save")
    page.wait_for_function("() => document.querySelector('#status').textContent === 'saved as revision 2'")
    page.reload()
    page.wait_for_selector("#revisions tbody tr")
    assert page.input_value("#editor") == VENTURE + "# reviewed\n"
    assert page.inner_text("#revision") == "2"
    assert page.locator("#revisions tbody tr").count() == 2
    page.click("#revisions tr[data-revision='2'] .diff-button")
    page.wait_for_selector("#diff .add")
    assert "+# reviewed" in page.inner_text("#diff")
    page.click("#revisions tr[data-revision='1'] .restore-button")
    page.wait_for_function("() => document.querySelector('#revision').textContent === '3'")
    assert page.input_value("#editor") == VENTURE
    with httpx.Client(base_url=server["url"]) as c:
        assert c.get(f"/api/scenarios/{sid}").json()["text"] == VENTURE
        assert [v["revision"] for v in c.get(f"/api/scenarios/{sid}/revisions").json()["revisions"]] == [1, 2, 3]


def test_a_new_scenario_from_the_editor_and_an_upload(tab: Page, server: dict[str, Any], tmp_path: Path) -> None:
    page = tab.page
    page.goto(f"{server['url']}/new")
    page.fill("#name", "Typed in")
    page.click("#save")
    page.wait_for_url(re.compile(r".*/scenarios/\d+$"))
    page.wait_for_selector("#exactness.exact")
    assert page.inner_text("#scenario-name") == "Typed in"
    upload = tmp_path / "uploaded.yaml"
    upload.write_text(VENTURE)
    page.goto(server["url"] + "/")
    page.set_input_files("#upload", str(upload))
    page.wait_for_url(re.compile(r".*/scenarios/\d+$"))
    page.goto(server["url"] + "/")
    page.fill("#search", "typed")
    visible = [r for r in page.query_selector_all("#library tbody tr[data-id]") if r.is_visible()]
    assert [r.query_selector("a.name").inner_text() for r in visible] == ["Typed in"]


def test_a_valuation(tab: Page, server: dict[str, Any]) -> None:
    page = tab.page
    page.goto(f"{server['url']}/scenarios/{server['ids']['venture']}/value")
    page.wait_for_selector("#entity option", state="attached")
    page.fill("input[name=equity_value]", "250M")
    page.click("#run-value")
    page.wait_for_selector("#value-holders tbody tr")
    res = sf.value(sf.loads(VENTURE), "opm", equity_value="250M", volatility="60%", term=3, rate="4%")
    shown = {r.get_attribute("data-holder"): r.query_selector("td:nth-child(2)").inner_text()
             for r in page.query_selector_all("#value-holders tbody tr")}
    assert shown == {h: f"{v:,.0f}" for h, v in res.holders.items()}
    page.select_option("#method", "montecarlo")
    page.fill("input[name=paths]", "100000")
    page.click("#run-value")
    page.wait_for_selector("#value-holders td.se:not(:empty)")
    assert not page.locator("#value-progress").is_hidden()


def test_compare_two_scenarios(tab: Page, server: dict[str, Any]) -> None:
    page = tab.page
    page.goto(f"{server['url']}/compare")
    page.select_option("#before", str(server["ids"]["before"]))
    page.select_option("#after", str(server["ids"]["after"]))
    page.fill("#map", "openai_nonprofit=openai_foundation, other_investors=employees_and_investors")
    page.fill("input[name=paths]", "2000")
    page.click("#run-compare")
    page.wait_for_selector("#transfer tbody tr")
    text = page.inner_text("#transfer")
    assert "Microsoft" in text and "OpenAI Foundation" in text
    page.wait_for_selector("#transfer-chart .main-svg")
    # The report runs the whole analysis (break-even solves included) in a worker: on a loaded
    # machine that takes longer than a click's default wait; the download is what is tested.
    with page.expect_download(timeout=240_000) as download:
        page.click("#report", no_wait_after=True)
    report = Path(download.value.path()).read_text()
    assert "OpenAI Foundation" in report and "Microsoft" in report


def test_control_page(tab: Page, server: dict[str, Any]) -> None:
    page = tab.page
    page.goto(f"{server['url']}/scenarios/{server['ids']['after']}/control")
    page.wait_for_selector("#control tbody tr")
    row = page.inner_text("#control tr[data-entity=openai_group]")
    assert "OpenAI Foundation" in row and "board" in row
    page.wait_for_selector("#control-chart .main-svg")


def test_html_in_names_never_runs(tab: Page, server: dict[str, Any]) -> None:
    page = tab.page
    sid = server["ids"]["xss"]
    for path in (f"/scenarios/{sid}", f"/scenarios/{sid}/edit", f"/scenarios/{sid}/value", f"/scenarios/{sid}/control",
                 "/", "/compare"):
        page.goto(server["url"] + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => window.__xss") is None, path
        assert page.query_selector("main img, main svg[onload], main iframe, main b[onmouseover]") is None, path
    page.goto(f"{server['url']}/scenarios/{sid}")
    page.wait_for_selector("#exactness.exact")
    assert "<img src=x" in page.inner_text("#payouts")  # shown as text
    page.click("#explain")
    page.wait_for_selector("#ledger-table tbody tr")
    assert page.evaluate("() => window.__xss") is None
    assert tab.dialogs == []


def test_the_api_documentation_works_offline(tab: Page, server: dict[str, Any]) -> None:
    page = tab.page
    page.goto(server["url"] + "/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    text = page.inner_text(".swagger-ui")
    assert "/api/waterfall" in text and "/api/scenarios/{scenario_id}" in text


def test_layouts_fit_a_laptop_screen(tab: Page, server: dict[str, Any]) -> None:
    """Every page of the OpenAI example and of a generated table with about 30 holders and 40
    classes fits 1,366 px: nothing scrolls sideways."""
    import sys

    import yaml

    sys.path.insert(0, str(ROOT / "tests" / "engine"))
    from large_tables import late_stage

    doc = late_stage(7, series=14, strikes=20, warrants=5, holders=33)
    doc["name"] = "Generated late-stage table"
    with httpx.Client(base_url=server["url"], timeout=60) as c:
        large = c.post("/api/scenarios", json={"name": "", "text": yaml.safe_dump(doc, sort_keys=False)}).json()["id"]
    page = tab.page
    for sid in (server["ids"]["after"], large):
        for path, ready in (("", "#exactness.exact"), ("/edit", "#revisions tbody tr"), ("/value", "#run-value"),
                            ("/control", "#control-chart .main-svg")):
            page.goto(f"{server['url']}/scenarios/{sid}{path}")
            page.wait_for_selector(ready)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366, (sid, path)
        page.goto(f"{server['url']}/scenarios/{sid}")
        page.wait_for_selector("#payoff-chart .main-svg")
    assert page.locator("#payouts tbody tr").count() >= 28
