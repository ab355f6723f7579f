"""The web app calls the same functions as the CLI: its JSON equals the engine's, bad input is a
message (HTTP 422) with nothing saved and nothing the user typed lost, pages always render."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import stakeflow as sf
from stakeflow.payoff import payoff_curve
from stakeflow.web import create_app

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app("sqlite://", seed_examples=False))


def library(client: TestClient) -> list[tuple[str, str]]:
    return re.findall(r'href="/scenarios/(\d+)">([^<]*)</a>', client.get("/").text)


@pytest.mark.parametrize("case", sorted(CASES.glob("*.expect.json")), ids=lambda p: p.name.split(".")[0])
def test_api_waterfall_is_the_engines(client: TestClient, case: Path) -> None:
    text = case.with_name(case.name.replace(".expect.json", ".yaml")).read_text()
    sc = sf.loads(text)
    for chk in json.loads(case.read_text())["checks"]:
        r = client.post("/api/waterfall", json={"scenario": text, "exit": str(chk["exit"])})
        assert r.status_code == 200
        assert r.json() == sf.waterfall(sc, chk["exit"]).to_json()


def test_api_breakpoints_and_control(client: TestClient) -> None:
    text = (CASES / "venturesouth_capped.yaml").read_text()
    r = client.post("/api/breakpoints", json={"scenario": text})
    assert r.status_code == 200 and r.json() == payoff_curve(sf.loads(text)).to_json()
    recap = (ROOT / "examples/openai/recap_2025.yaml").read_text()
    r = client.post("/api/control", json={"scenario": recap})
    assert r.json()["entities"]["openai_group"]["controller"] == "openai_foundation"


def test_api_bad_input_is_422_with_spec_messages(client: TestClient) -> None:
    r = client.post("/api/waterfall", json={"scenario": "stakeflow: 1\nholderz: []\n", "exit": "1M"})
    assert r.status_code == 422
    assert r.json()["errors"][0].startswith("error: scenario:2: holderz: unknown key 'holderz'")
    text = (CASES / "gust_participating.yaml").read_text()
    r = client.post("/api/waterfall", json={"scenario": text, "exit": "-5"})
    assert r.status_code == 422 and r.json()["errors"] == ["error: exit value '-5': must not be negative"]
    r = client.post("/api/waterfall", json={"scenario": text})
    assert r.status_code == 422 and "no exit value" in r.json()["errors"][0]


def test_saving_a_bad_scenario_keeps_the_text_and_saves_nothing(client: TestClient) -> None:
    text = "stakeflow: 1\nholders: [{id: Bad}]\n"
    r = client.post("/scenarios", data={"text": text, "name": "mine"})
    assert r.status_code == 422
    assert "holders[0].id: id &#39;Bad&#39; must match" in r.text
    assert "holders: [{id: Bad}]" in r.text  # the form comes back with what was typed
    assert library(client) == []


def test_save_show_and_delete(client: TestClient) -> None:
    text = (CASES / "nested_holdco.yaml").read_text()
    r = client.post("/scenarios", data={"text": text, "name": ""}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert library(client) == [("1", "Nested vehicle")]
    # exit.value of the file (40M) is the default: founders 30M, fund investors 9.2M (shared case).
    rows = dict(re.findall(r'data-holder="(\w+)"><td>[^<]*</td><td class="num">([^<]*)', page))
    assert rows == {"founders": "30,000,000.00", "fund_investors": "9,200,000.00", "fund_manager": "800,000.00"}
    assert "series_a (converted)" in page and "Payoff curves" in page
    page = client.get("/scenarios/1", params={"exit": "3M"}).text
    rows = dict(re.findall(r'data-holder="(\w+)"><td>[^<]*</td><td class="num">([^<]*)', page))
    assert rows["fund_investors"] == "3,000,000.00" and rows["founders"] == "0.00"
    page = client.get("/scenarios/1", params={"exit": "lots"}).text
    assert "is not a number" in page and 'id="waterfall"' not in page
    client.post("/scenarios/1/delete")
    assert library(client) == []
    assert client.get("/scenarios/1").status_code == 404


def test_bundled_examples_seed_the_library_and_render() -> None:
    client = TestClient(create_app("sqlite://"))
    saved = library(client)
    assert saved, "the package ships example scenarios"
    for sid, _ in saved:
        page = client.get(f"/scenarios/{sid}", params={"exit": "500B"})
        assert page.status_code == 200 and 'id="waterfall"' in page.text and 'id="control"' in page.text
    assert client.get("/static/plotly.js").text.startswith("/**")


def test_library_persists_in_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lib.db'}"
    first = TestClient(create_app(url, seed_examples=False))
    first.post("/scenarios", data={"text": (CASES / "gust_participating.yaml").read_text(), "name": "kept"})
    again = TestClient(create_app(url, seed_examples=False))
    assert library(again) == [("1", "kept")]
