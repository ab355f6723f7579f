"""SPEC §11, row by row: the scenario library with revisions, and the documents of SPEC §7 from
a text or a saved scenario. Every answer is compared with the library call (or the command
line) that it must equal; every error is ``{"errors": ["error: ..."]}``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import ROOT, make_client

import stakeflow as sf
from stakeflow.payoff import payoff_curve

CASES = ROOT / "tests" / "cases"
VENTURE = (ROOT / "examples" / "venture_stacked.yaml").read_text()
GUST = (CASES / "gust_participating.yaml").read_text()
STAKEFLOW = str(Path(sys.executable).with_name("stakeflow"))


def save(client: TestClient, text: str = GUST, name: str = "mine") -> int:
    r = client.post("/api/scenarios", json={"name": name, "text": text})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


# --- the library ------------------------------------------------------------------------------

def test_create_list_read(client: TestClient) -> None:
    assert client.get("/api/scenarios").json() == {"scenarios": []}
    r = client.post("/api/scenarios", json={"name": "Gust example", "text": GUST})
    assert r.status_code == 201
    doc = r.json()
    assert doc == {"id": doc["id"], "name": "Gust example", "revision": 1}
    assert client.get("/api/scenarios").json() == {"scenarios": [{"id": doc["id"], "name": "Gust example",
                                                                   "revision": 1}]}
    got = client.get(f"/api/scenarios/{doc['id']}").json()
    assert got == {"id": doc["id"], "name": "Gust example", "text": GUST, "revision": 1}


def test_an_invalid_text_is_422_and_nothing_is_saved(client: TestClient) -> None:
    r = client.post("/api/scenarios", json={"name": "bad", "text": "stakeflow: 1\nholderz: []\n"})
    assert r.status_code == 422
    assert r.json()["errors"][0].startswith("error: scenario:2: holderz: unknown key 'holderz'")
    assert client.get("/api/scenarios").json() == {"scenarios": []}


@pytest.mark.parametrize("text", [
    GUST.replace("\n", "\r\n"),                       # Windows line endings
    GUST.rstrip("\n"),                                # no final newline
    "# a comment first\n" + GUST + "\n\n# and one last, with trailing spaces   ",
    GUST.replace("name:", "name:   ", 1) + "# tab\there, unicode \u00e9\u20ac\n",
])
def test_texts_are_kept_byte_for_byte(client: TestClient, text: str) -> None:
    sid = save(client, text)
    assert client.get(f"/api/scenarios/{sid}").json()["text"] == text
    r = client.put(f"/api/scenarios/{sid}", json={"text": text + "\r\n# more\r\n", "revision": 1})
    assert r.status_code == 200
    assert client.get(f"/api/scenarios/{sid}/revisions/1").json()["text"] == text
    assert client.get(f"/api/scenarios/{sid}").json()["text"] == text + "\r\n# more\r\n"
    raw = client.get(f"/scenarios/{sid}/download/text").content
    assert raw == (text + "\r\n# more\r\n").encode("utf-8")


def test_save_revisions_names_and_restore(client: TestClient) -> None:
    sid = save(client, GUST, "first name")
    second = GUST.replace("# ", "## ", 1)
    r = client.put(f"/api/scenarios/{sid}", json={"text": second, "revision": 1})
    assert r.status_code == 200 and r.json() == {"id": sid, "revision": 2}
    assert client.get(f"/api/scenarios/{sid}").json()["name"] == "first name"  # without name, kept
    r = client.put(f"/api/scenarios/{sid}", json={"text": GUST, "revision": 2, "name": "renamed"})
    assert r.json() == {"id": sid, "revision": 3}
    revs = client.get(f"/api/scenarios/{sid}/revisions").json()["revisions"]
    assert [(v["revision"], v["name"]) for v in revs] == [(1, "first name"), (2, "first name"), (3, "renamed")]
    assert client.get(f"/api/scenarios/{sid}/revisions/2").json() == {"id": sid, "name": "first name",
                                                                      "text": second, "revision": 2}
    assert client.get("/api/scenarios").json()["scenarios"] == [{"id": sid, "name": "renamed", "revision": 3}]
    diff = client.get(f"/api/scenarios/{sid}/revisions/2/diff").json()
    assert diff["against"] == 1 and "-# " in diff["diff"] and "+## " in diff["diff"]


def test_a_stale_save_is_409_with_the_current_revision_and_changes_nothing(client: TestClient) -> None:
    sid = save(client)
    assert client.put(f"/api/scenarios/{sid}", json={"text": GUST + "# a\n", "revision": 1}).status_code == 200
    r = client.put(f"/api/scenarios/{sid}", json={"text": GUST + "# b\n", "revision": 1, "name": "other"})
    assert r.status_code == 409
    assert r.json()["revision"] == 2
    assert r.json()["errors"][0].startswith("error: scenario")
    assert client.get(f"/api/scenarios/{sid}").json() == {"id": sid, "name": "mine", "text": GUST + "# a\n",
                                                          "revision": 2}
    for rev in (0, 3, 2**63, 2**64):
        assert client.put(f"/api/scenarios/{sid}", json={"text": GUST, "revision": rev}).status_code == 409
    assert len(client.get(f"/api/scenarios/{sid}/revisions").json()["revisions"]) == 2


def test_an_invalid_save_is_422_and_changes_nothing(client: TestClient) -> None:
    sid = save(client)
    r = client.put(f"/api/scenarios/{sid}", json={"text": "stakeflow: 2\n", "revision": 1})
    assert r.status_code == 422 and r.json()["errors"][0].startswith("error: scenario:1: stakeflow:")
    assert client.get(f"/api/scenarios/{sid}").json()["revision"] == 1
    r = client.put(f"/api/scenarios/{sid}", json={"text": GUST, "revision": 1, "name": "  "})
    assert r.status_code == 422 and r.json()["errors"] == ["error: name: must not be empty"]
    r = client.put(f"/api/scenarios/{sid}", json={"text": GUST})
    assert r.status_code == 422 and r.json()["errors"] == ["error: 'revision' is required"]


def test_delete(client: TestClient) -> None:
    sid = save(client)
    assert client.put(f"/api/scenarios/{sid}", json={"text": GUST, "revision": 1}).status_code == 200
    r = client.delete(f"/api/scenarios/{sid}")
    assert r.status_code == 204 and r.content == b""
    assert client.get(f"/api/scenarios/{sid}").status_code == 404
    assert client.get(f"/api/scenarios/{sid}/revisions/1").status_code == 404
    assert client.delete(f"/api/scenarios/{sid}").status_code == 404
    assert client.get("/api/scenarios").json() == {"scenarios": []}


@pytest.mark.parametrize("bad", ["99", "0", "-1", "abc", "1.5", str(2**63 - 1), str(2**63), str(2**64), "1e3",
                                 "%C2%B2"])
def test_unknown_ids_and_revisions_are_404(client: TestClient, bad: str) -> None:
    sid = save(client)
    for method, url in [("GET", f"/api/scenarios/{bad}"), ("DELETE", f"/api/scenarios/{bad}"),
                        ("GET", f"/api/scenarios/{bad}/revisions"), ("GET", f"/api/scenarios/{bad}/revisions/1"),
                        ("GET", f"/api/scenarios/{sid}/revisions/{bad}"),
                        ("GET", f"/api/scenarios/{sid}/revisions/{bad}/diff")]:
        r = client.request(method, url)
        assert r.status_code == 404, (method, url, r.text)
        assert r.json()["errors"][0].startswith("error: ")
    r = client.put(f"/api/scenarios/{bad}", json={"text": GUST, "revision": 1})
    assert r.status_code == 404
    for path in ("waterfall", "breakpoints", "control", "value"):
        r = client.post(f"/api/{path}", json={"scenario_id": bad})
        assert r.status_code == 404 and r.json()["errors"] == [f"error: no scenario {bad}"]
    assert client.get(f"/scenarios/{bad}").status_code == 404


# --- the documents of SPEC §7 -------------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(CASES.glob("*.expect.json")), ids=lambda p: p.name.split(".")[0])
def test_waterfall_is_the_engines(client: TestClient, case: Path) -> None:
    text = case.with_name(case.name.replace(".expect.json", ".yaml")).read_text()
    sc = sf.loads(text)
    for chk in json.loads(case.read_text())["checks"]:
        r = client.post("/api/waterfall", json={"scenario": text, "exit": str(chk["exit"])})
        assert r.status_code == 200
        assert r.json() == sf.waterfall(sc, chk["exit"]).to_json()


def test_a_saved_scenario_and_options_in_any_spelling(client: TestClient) -> None:
    sid = save(client, VENTURE)
    sc = sf.loads(VENTURE)
    expected = sf.waterfall(sc, "150M").to_json()
    for exit_ in ("150M", "150_000_000", 150000000, 150000000.0, "1.5e8"):
        assert client.post("/api/waterfall", json={"scenario_id": sid, "exit": exit_}).json() == expected
    assert client.post("/api/waterfall", json={"scenario_id": str(sid), "exit": "150M"}).json() == expected
    # Without an exit, the file's exit.value; the entity and the date by their long names.
    assert client.post("/api/waterfall", json={"scenario": VENTURE, "entity": "company"}).json() == \
        sf.waterfall(sc, sc.exit.value).to_json()


def test_breakpoints_control_explain(client: TestClient) -> None:
    text = (CASES / "venturesouth_capped.yaml").read_text()
    r = client.post("/api/breakpoints", json={"scenario": text})
    assert r.status_code == 200 and r.json() == payoff_curve(sf.loads(text)).to_json()
    recap = (ROOT / "examples/openai/recap_2025.yaml").read_text()
    r = client.post("/api/control", json={"scenario": recap})
    assert r.json() == sf.analyze_control(sf.loads(recap)).to_json()
    assert r.json()["entities"]["openai_group"]["controller"] == "openai_foundation"
    r = client.post("/api/explain", json={"scenario": VENTURE, "exit": "100M"})
    steps = r.json()["steps"]
    assert r.json() == sf.waterfall(sf.loads(VENTURE), "100M").explain_json()
    assert sum(s["amount"] for s in steps if s["kind"] == "received") == pytest.approx(100e6, abs=0.01)


def test_dates_by_their_long_name(client: TestClient) -> None:
    text = (ROOT / "examples" / "funds" / "european.yaml").read_text()
    sc = sf.loads(text)
    for date in ("2027-06-30", "2030-01-01"):
        r = client.post("/api/waterfall", json={"scenario": text, "exit": "150M", "date": date})
        assert r.status_code == 200
        assert r.json() == sf.waterfall(sc, "150M", date=date).to_json()
        r = client.post("/api/breakpoints", json={"scenario": text, "date": date})
        assert r.json() == payoff_curve(sc, date=date).to_json()


def test_value_opm_backsolve_montecarlo(client: TestClient) -> None:
    sc = sf.loads(VENTURE)
    market = {"volatility": "60%", "term": 3, "rate": 0.04}
    r = client.post("/api/value", json={"scenario": VENTURE, "method": "opm", "equity_value": "250M", **market})
    assert r.status_code == 200
    assert r.json() == sf.value(sc, "opm", equity_value="250M", volatility="60%", term=3, rate="0.04").to_json()
    r = client.post("/api/value", json={"scenario": VENTURE, "backsolve": "series_c", "price": "12", **market})
    assert r.json() == sf.value(sc, "opm", backsolve_class="series_c", price="12", volatility="60%", term=3,
                                rate="0.04").to_json()
    r = client.post("/api/value", json={"scenario": VENTURE, "method": "montecarlo", "equity_value": "250M",
                                        "paths": "20k", "seed": 3, **market})
    assert r.json() == sf.value(sc, "montecarlo", equity_value="250M", paths="20k", seed=3, volatility="60%",
                                term=3, rate="0.04").to_json()
    assert "standard_errors" in r.json()


def _cli_lines(args: list[str], path: Path) -> list[str]:
    out = subprocess.run([STAKEFLOW, *args], capture_output=True, text=True)
    assert out.returncode == 2, out
    return [line.replace(str(path), "scenario") for line in out.stderr.splitlines()]


@pytest.mark.parametrize(("body", "args"), [
    ({"exit": "-5"}, ["waterfall", "--exit", "-5"]),
    ({"exit": "lots"}, ["waterfall", "--exit", "lots"]),
    ({"exit": "5M", "entity": "nope"}, ["waterfall", "--exit", "5M", "--entity", "nope"]),
    ({"exit": "5M", "date": "2025-13-45"}, ["waterfall", "--exit", "5M", "--date", "2025-13-45"]),
])
def test_errors_are_the_command_lines(client: TestClient, tmp_path: Path, body: dict[str, str],
                                      args: list[str]) -> None:
    path = tmp_path / "gust.yaml"
    path.write_text(GUST)
    r = client.post("/api/waterfall", json={"scenario": GUST, **body})
    assert r.status_code == 422
    assert r.json()["errors"] == _cli_lines([args[0], str(path), *args[1:]], path)


def test_scenario_errors_are_the_command_lines(client: TestClient, tmp_path: Path) -> None:
    text = GUST.replace("class: common", "class: commn", 1) + "extra_key: 1\n"
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    r = client.post("/api/breakpoints", json={"scenario": text})
    assert r.status_code == 422 and r.json()["errors"] == _cli_lines(["breakpoints", str(path)], path)
    r = client.post("/api/validate", json={"scenario": text})
    assert r.status_code == 422 and r.json()["errors"] == _cli_lines(["validate", str(path)], path)


@pytest.mark.parametrize(("options", "flags"), [
    ({}, []),
    ({"method": "montecarlo", "equity_value": "250M", "paths": 0},
     ["--method", "montecarlo", "--equity-value", "250M", "--paths", "0"]),
    ({"method": "montecarlo", "equity_value": "250M", "seed": "-1"},
     ["--method", "montecarlo", "--equity-value", "250M", "--seed", "-1"]),
    ({"equity_value": "250M", "backsolve": "series_c", "price": "12"},
     ["--equity-value", "250M", "--backsolve", "series_c", "--price", "12"]),
    ({"price": "12"}, ["--price", "12"]),
])
def test_value_errors_are_the_command_lines(client: TestClient, tmp_path: Path, options: dict[str, object],
                                            flags: list[str]) -> None:
    # The library names parameters as the Python API does; the web answers with the command
    # line's lines, flags and all (SPEC §11).
    path = tmp_path / "v.yaml"
    path.write_text(VENTURE)
    r = client.post("/api/value", json={"scenario": VENTURE, "volatility": "60%", "term": 3, "rate": "4%",
                                        **options})
    assert r.status_code == 422
    lines = _cli_lines(["value", str(path), "--volatility", "60%", "--term", "3", "--rate", "4%", *flags], path)
    assert r.json()["errors"] == lines and "--" in lines[0]


OPENAI = ROOT / "examples" / "openai"


@pytest.mark.parametrize(("body", "flags"), [
    ({"map": {"ghost": "x"}}, ["--map", "ghost=x"]),
    ({"map": {"openai_nonprofit": "ghost"}}, ["--map", "openai_nonprofit=ghost"]),
    ({"paths": 1}, ["--paths", "1"]),
    ({"seed": "-1"}, ["--seed", "-1"]),
])
def test_compare_errors_are_the_command_lines(client: TestClient, body: dict[str, object],
                                              flags: list[str]) -> None:
    # The analysis names `mapping` as the Python API does; the web answers with `--map`, as the
    # command line prints it (SPEC §11).
    before, after = OPENAI / "capped_profit_2025.yaml", OPENAI / "pbc_2025.yaml"
    r = client.post("/api/compare", json={"before": before.read_text(), "after": after.read_text(), "paths": 10,
                                          **body})
    assert r.status_code == 422
    lines = _cli_lines(["compare", str(before), str(after), "--paths", "10", *flags], before)
    assert r.json()["errors"] == lines and lines[0].startswith("error: --")


def test_compare_defaults_are_the_command_lines(client: TestClient) -> None:
    from stakeflow.analysis.values import COMPARE_PATHS, COMPARE_SEED

    before, after = OPENAI / "capped_profit_2025.yaml", OPENAI / "pbc_2025.yaml"
    mapping = {"openai_nonprofit": "openai_foundation", "other_investors": "employees_and_investors"}
    r = client.post("/api/compare", json={"before": before.read_text(), "after": after.read_text(), "map": mapping})
    assert r.status_code == 200, r.text
    doc = r.json()
    out = subprocess.run([STAKEFLOW, "compare", str(before), str(after), "--json", "--map",
                          ",".join(f"{k}={v}" for k, v in mapping.items())], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (doc["paths"], doc["seed"]) == (COMPARE_PATHS, COMPARE_SEED)
    assert doc["parties"] == json.loads(out.stdout)["parties"]
    assert f'name="paths" value="{COMPARE_PATHS}"' in client.get("/compare").text


@pytest.mark.parametrize("body", [
    {"exit": "1e400"}, {"exit": 1e400}, {"exit": "-1e400"}, {"exit": "nan"}, {"exit": "inf"}, {"exit": True},
    {"exit": []}, {"exit": {"a": 1}}, {"entity": 5}, {"date": "yesterday"}, {"exit": "9" * 5000},
])
def test_bad_options_are_422_never_500(client: TestClient, body: dict[str, object]) -> None:
    raw = json.dumps({"scenario": GUST, **body}).replace("Infinity", "1e400")
    r = client.post("/api/waterfall", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert all(line.startswith("error: ") for line in r.json()["errors"])


def test_control_refuses_options_it_does_not_take(client: TestClient) -> None:
    for extra in ({"entity": "nope"}, {"exit": "5M"}, {"exit": "1e400"}):
        r = client.post("/api/control", json={"scenario": GUST, **extra})
        key = next(iter(extra))
        assert r.status_code == 422
        assert r.json()["errors"] == [f"error: unknown option '{key}' (valid here: scenario, scenario_id)"]


@pytest.mark.parametrize(("raw", "message"), [
    (b"{not json", "error: the request body is not valid JSON"),
    (b"[1, 2]", "error: the request body must be a JSON object"),
    (b'{"scenario": "x", "exit": NaN}', "error: the request body is not valid JSON"),
    (b"\xff\xfe", "error: the request body is not UTF-8 text"),
    (b"{}", "error: give the scenario's text as 'scenario' or a saved one as 'scenario_id'"),
    (b'{"scenario": "x", "scenario_id": 1}', "error: give the scenario's text as 'scenario' or a saved one"),
    (b'{"scenario": "\\ud800"}', "error: scenario: the text holds characters that are not valid Unicode"),
    (b'{"scenario": 5}', "error: scenario:1: the file must be a mapping"),
])
def test_bad_bodies(client: TestClient, raw: bytes, message: str) -> None:
    r = client.post("/api/waterfall", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["errors"][0].startswith(message), r.json()
    r = client.post("/api/scenarios", content=raw.replace(b"scenario", b"text"),
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and client.get("/api/scenarios").json() == {"scenarios": []}


def test_unknown_paths_and_methods(client: TestClient) -> None:
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json() == {"errors": ["error: nothing at /api/nothing"]}
    r = client.patch("/api/scenarios")
    assert r.status_code == 405 and r.json()["errors"][0].startswith("error: PATCH is not allowed")


def test_the_json_download_reads_as_the_same_scenario(client: TestClient) -> None:
    sid = save(client, VENTURE)
    r = client.get(f"/scenarios/{sid}/download/json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert sf.loads(r.text) == sf.loads(VENTURE)
    r = client.get(f"/scenarios/{sid}/download/xlsx", params={"exit": "150M"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [c for ws in wb for row in ws.iter_rows(values_only=True) for c in row]
    # Series C's 1.5x preference on $50M at a $150M exit (examples/venture_stacked.yaml).
    assert 75_000_000 in cells


def test_bundled_examples_seed_the_library() -> None:
    with make_client(seed_examples=True) as c:
        saved = c.get("/api/scenarios").json()["scenarios"]
        assert saved and all(s["revision"] == 1 for s in saved)
        for s in saved:
            assert c.post("/api/waterfall", json={"scenario_id": s["id"], "exit": "500B"}).status_code == 200
            assert c.get(f"/scenarios/{s['id']}").status_code == 200


def test_library_persists_and_an_older_library_is_upgraded(tmp_path: Path) -> None:
    import sqlite3

    from stakeflow.web.store import Store

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE scenarios (id INTEGER PRIMARY KEY, name VARCHAR(200), text TEXT, created DATETIME)")
    con.execute("INSERT INTO scenarios VALUES (7, 'kept', ?, '2026-01-01 00:00:00')", (GUST,))
    con.commit()
    con.close()
    store = Store(f"sqlite:///{db}")
    assert [(e.id, e.name, e.revision) for e in store.all()] == [(7, "kept", 1)]
    assert store.get(7) is not None and store.get(7).text == GUST  # type: ignore[union-attr]
    assert store.save(7, 1, GUST + "# b\n") == 2
    store.close()
    again = Store(f"sqlite:///{db}")
    assert [(e.id, e.revision) for e in again.all()] == [(7, 2)]


def test_the_html_report_of_a_restructuring() -> None:
    with make_client(time_limit=600) as client:  # a loaded machine must not turn this into a test of the limit
        _report(client)


def _report(client: TestClient) -> None:
    before = save(client, (ROOT / "examples/openai/capped_profit_2025.yaml").read_text(), "before")
    after = save(client, (ROOT / "examples/openai/pbc_2025.yaml").read_text(), "after")
    mapping = "openai_nonprofit=openai_foundation,other_investors=employees_and_investors"
    r = client.get("/compare/report", params={"before_id": before, "after_id": after, "map": mapping,
                                              "paths": "2000", "seed": "3"})
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-disposition"] == 'attachment; filename="stakeflow-report.html"'
    assert r.text.lstrip().lower().startswith("<!doctype html") and "OpenAI Foundation" in r.text
    r = client.get("/compare/report", params={"before_id": before, "after_id": after, "map": "nobody=x"})
    assert r.status_code == 422 and r.json()["errors"][0].startswith("error: --map")
    r = client.get("/compare/report", params={"before_id": 999, "after_id": after})
    assert r.status_code == 404


@pytest.mark.parametrize("text", ["stakeflow: 1\n", "stakeflow: 1\nholders: [{id: a}]\nentities: [{id: shell}]\n"])
def test_a_scenario_with_nothing_to_distribute_answers_with_errors_everywhere(client: TestClient, text: str) -> None:
    sid = save(client, text)
    for path in ("waterfall", "explain", "breakpoints", "explorer", "value"):
        r = client.post(f"/api/{path}", json={"scenario_id": sid, "exit": "5M"} if path in ("waterfall", "explain")
                        else {"scenario_id": sid})
        assert r.status_code == 422, (path, r.text)
        assert r.json()["errors"][0].startswith("error: "), path
    for path in ("outline", "control", "control/view", "validate"):
        assert client.post(f"/api/{path}", json={"scenario_id": sid}).status_code == 200, path
    for page in ("", "/edit", "/value", "/control"):
        assert client.get(f"/scenarios/{sid}{page}").status_code == 200
    assert client.get(f"/scenarios/{sid}/download/xlsx").status_code == 422
    assert client.delete(f"/api/scenarios/{sid}").status_code == 204


def test_explorer_starts_at_the_files_exit_only_for_its_entity(client: TestClient) -> None:
    # nested_holdco's exit.value (40M) is the company's proceeds, not the vehicle's.
    text = (ROOT / "tests" / "cases" / "nested_holdco.yaml").read_text()
    company = client.post("/api/explorer", json={"scenario": text}).json()
    vehicle = client.post("/api/explorer", json={"scenario": text, "entity": "vehicle"}).json()
    assert company["default_exit"] == 40_000_000.0
    assert vehicle["default_exit"] is None


def test_validate_answers_the_command_lines_document(client: TestClient, tmp_path: Path) -> None:
    path = tmp_path / "gust.yaml"
    path.write_text(GUST)
    r = client.post("/api/validate", json={"scenario": GUST})
    assert r.status_code == 200
    out = subprocess.run([STAKEFLOW, "validate", str(path), "--json"], capture_output=True, text=True)
    assert out.returncode == 0, out
    # The same document, the text named as every web answer names it.
    assert r.json() == {**json.loads(out.stdout), "file": "scenario"}
