"""stakeflow run and its HTML report: the promised sections, figures, assumptions and JSON keys."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from restructuring_cases import DATA, FLAGSHIP_MAP, ROOT, flagship
from typer.testing import CliRunner

from stakeflow.analysis.restructuring import analyze, flagship_plan, read_plan
from stakeflow.analysis.sensitivity import FairStake, parse_shift
from stakeflow.cli import app
from stakeflow.io.report import approx, first_paragraph, percent, projection_figure, render

SECTIONS = {"summary", "breakeven", "values", "fair-stakes", "no-conversion", "estimates", "calibration", "governance",
            "payouts", "contracts", "projection", "sensitivity", "appendix"}
FIGURES = {"fig-control-before", "fig-control-after", "fig-transfer", "fig-payoff", "fig-timeline",
           "fig-projection", "fig-tornado", "fig-stake-value", "fig-static"}
RUN_KEYS = {"name", "before", "after", "map", "paths", "seed", "control", "values", "equity_value", "fair_stakes",
            "payouts", "sensitivity", "valuations", "assumptions", "timeline", "seconds", "report", "breakeven",
            "no_conversion", "static_split", "contracts_value", "calibration", "fair_stake_ranges", "estimates",
            "governance", "summary"}


class Page(HTMLParser):
    """The parts of the report the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: set[str] = set()
        self.figures: set[str] = set()
        self.rows: list[list[str]] = []
        self.scripts_with_src: list[str] = []
        self._in_table = False
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._depth = 0
        self.numbers: dict[str, str] = {}
        self.lead: list[str] | None = None
        self.first = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("data-key") is not None:
            self.numbers[a["data-key"] or ""] = a.get("data-value") or ""
        if tag == "p" and a.get("id") == "first-paragraph":
            self.lead = []
        if tag == "section" and a.get("id"):
            self.sections.add(a["id"] or "")
        if tag == "div" and "plotly-graph-div" in (a.get("class") or ""):
            self.figures.add(a.get("id") or "")
        if tag == "script" and a.get("src"):
            self.scripts_with_src.append(a["src"] or "")
        if tag == "table" and a.get("id") == "assumptions-table":
            self._in_table = True
        if self._in_table and tag == "tr":
            self._row = []
        if self._in_table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.lead is not None:
            self.first = "".join(self.lead)
            self.lead = None
        if self._in_table and tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if self._in_table and tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        if tag == "table":
            self._in_table = False

    def handle_data(self, data: str) -> None:
        if self.lead is not None:
            self.lead.append(data)
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def small_run():  # type: ignore[no-untyped-def]
    before, after = flagship()
    plan, _ = read_plan(flagship_plan())
    targets = [FairStake(t.party, t.field, t.basis, float(t.reported), t.label) for t in plan.fair_stakes
               if t.reported is not None]
    return analyze(before, after, mapping=FLAGSHIP_MAP, targets=targets, paths=600, sensitivity_paths=300, seed=5,
                   shifts=[parse_shift("caps"), parse_shift("discount_rate")], scales=(0.5, 1.0),
                   marks=plan.valuations, exit_values=plan.exit_values, breakeven_paths=600,
                   no_conversion=plan.no_conversion, estimates=plan.estimates, governance=plan.governance)


def test_report_has_every_section_figure_and_assumption(small_run) -> None:  # type: ignore[no-untyped-def]
    html = render(small_run)
    page = Page()
    page.feed(html)
    assert page.sections == SECTIONS
    assert page.figures == FIGURES
    assert page.scripts_with_src == []  # plotly's JavaScript is embedded: the report works offline
    assert "Plotly" in html
    header, *rows = page.rows
    assert header == ["structure", "field", "value", "source"]
    files = [r for r in rows if r[0] in ("before", "after")]
    assert len(files) == len(small_run.assumptions)
    assert all(r[3] for r in rows)  # a source, or the word assumption, on every row
    by_field = {(r[0], r[1]): r for r in files}
    assert "Fortune" in by_field[("before", "entities[openai_global].distribution[0].shares.microsoft")][3]
    assert by_field[("after", "projection.discount_rate")][2] == "15%"
    assert by_field[("after", "projection.discount_rate")][3].startswith("assumption")
    assert any(r[1].startswith("valuation:") and "CNBC" in r[3] for r in rows)


def _at(doc: Any, key: str) -> Any:
    """The value at a report cell's ``data-key``: a path through the run's JSON, ``/`` between
    keys and list indices."""
    for part in key.split("/"):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def test_report_draws_the_runs_projection(small_run) -> None:  # type: ignore[no-untyped-def]
    # The report renders the analysis' own projection bands: it simulates nothing itself.
    fig = projection_figure(small_run)
    bands = small_run.projection
    assert bands.paths == 600  # the run's paths, fewer than the chart's 20,000
    medians = [t for t in fig.data if t.name == "median"]
    assert [list(t.y) for t in medians] == [list(bands.revenue[1]), list(bands.cumulative[1])]
    assert "600 paths" in fig.layout.title.text


def test_report_figures_are_the_json_figures(small_run) -> None:  # type: ignore[no-untyped-def]
    # Every figure the report's tables mark is the run's JSON figure at that place, to the last
    # bit (the cell keeps it beside the rounded text); and the sections promised are all there.
    doc = json.loads(json.dumps(small_run.to_json()))
    page = Page()
    page.feed(render(small_run))
    assert len(page.numbers) > 60
    for key, text in page.numbers.items():
        assert float(text) == _at(doc, key), key
    prefixes = {k.split("/")[0] for k in page.numbers}
    assert prefixes >= {"breakeven", "values", "fair_stakes", "no_conversion", "contracts_value", "static_split",
                        "calibration", "equity_value"}
    # Every lever of every reported stake is in the break-even table.
    levers = {(i, k) for i, s in enumerate(doc["breakeven"]["stakes"]) for k, v in s["levers"].items()
              if v["value"] is not None}
    assert {(int(k.split("/")[2]), k.split("/")[4]) for k in page.numbers if k.startswith("breakeven/")} == levers


def test_first_paragraph_quotes_the_run(small_run) -> None:  # type: ignore[no-untyped-def]
    # The first paragraph is plain words: names, not ids or field paths; the foundation's fair
    # stake and its range, the break-even multiple of the caps and the valuation read once, as the
    # JSON has them (rounded); and the main caveat.
    doc = small_run.to_json()
    page = Page()
    page.feed(render(small_run))
    text = page.first
    assert text == first_paragraph(small_run)
    assert "openai_foundation" not in text and "entities[" not in text and "OpenAI Foundation" in text
    fair = next(f for f in doc["fair_stakes"] if f["party"] == "openai_foundation")
    rng = next(x for x in doc["fair_stake_ranges"] if x["party"] == "openai_foundation")
    assert f"about {percent(fair['stake'], 0)} of the company" in text
    assert f"({percent(rng['low'], 0)} to {percent(rng['high'], 0)} as the main assumptions" in text
    levers = next(s for s in doc["breakeven"]["stakes"] if s["party"] == "openai_foundation")["levers"]
    assert f"about {levers['caps']['value']:.0f} times as large" in text
    assert f"one payout of the company at {approx(levers['static']['value'])}" in text
    assert "The main caveat: these figures read the profit caps as fixed dollar amounts" in text


def test_the_transfers_add_up_to_the_change_in_equity_and_contracts(small_run) -> None:  # type: ignore[no-untyped-def]
    # The parties' changes add up to the change in what the company distributes plus the change in
    # what the contracts are worth to their payees. The contracts' value is checked against the
    # projection directly: the revenue share's payments on the same paths, discounted, averaged.
    import numpy as np

    from stakeflow.analysis.projection import simulate
    from stakeflow.valuation.streams import Block

    cv = small_run.contracts_value()
    assert cv["transfers_total"] == pytest.approx(cv["equity_change"] + cv["change"], rel=1e-9)
    assert cv["parties_after"] - cv["parties_before"] == pytest.approx(cv["transfers_total"], rel=1e-9)
    assert cv["change"] > 0 and cv["contracts"]["azure_commitment"]["before"] == 0.0
    p = simulate(small_run.before, Block(5, 0, 600, 0, 600))
    direct = float(np.mean(p.contracts["revenue_share"] @ p.discount))
    assert cv["contracts"]["revenue_share"]["before"] == pytest.approx(direct, rel=1e-9)


def test_every_assumption_of_the_flagship_names_a_source_or_says_assumption() -> None:
    before, after = flagship()
    from stakeflow.analysis.restructuring import assumptions

    rows = assumptions(before, "before") + assumptions(after, "after")
    unsourced = [a.path for a in rows if a.source is None]
    assert unsourced == [], unsourced


def test_run_json_has_the_promised_keys(tmp_path: Path) -> None:
    # The packaged plan, with its files named absolutely, few paths and a short tornado.
    doc = yaml.safe_load((DATA / "analysis.yaml").read_text())
    doc.update(before=str(DATA / doc["before"]), after=str(DATA / doc["after"]), paths=800, sensitivity_paths=200,
               shifts=doc["shifts"][:1] + doc["shifts"][-1:], revenue_scales=[1.0])
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(doc))
    report = tmp_path / "out.html"
    out = CliRunner().invoke(app, ["run", str(plan), "--json", "-o", str(report)])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert set(doc) == RUN_KEYS
    assert doc["report"] == str(report) and report.exists()
    assert doc["control"]["summary"]["after"]["ultimate_controller"] == "openai_foundation"
    assert doc["control"]["summary"]["before"]["ultimate_controller"] == "openai_nonprofit"
    assert [f["reported_stake"] for f in doc["fair_stakes"]] == [0.27, 0.27, 0.26]
    assert doc["payouts"]["exit_values"] == [1e11, 2.5e11, 5e11, 1e12, 2e12]
    assert set(doc["values"]) >= {"microsoft", "openai_foundation", "employees_and_investors"}
    assert [t["assumption"] for t in doc["sensitivity"]["tornado"]] == ["growth",
                                                                      "projection.events[agi_verified].annual_probability"]
    assert doc["breakeven"]["paths"] == 800 and len(doc["breakeven"]["stakes"]) == 3
    assert doc["summary"].startswith("On the projection of the company's profits")
    assert set(doc["no_conversion"]["parties"]) >= {"microsoft", "openai_foundation", "employees_and_investors"}


def test_run_two_files_as_a_table(tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    out = CliRunner().invoke(app, ["run", str(DATA / "capped_profit_2025.yaml"), str(DATA / "pbc_2025.yaml"),
                                   "--map", "openai_nonprofit=openai_foundation", "--map",
                                   "other_investors=employees_and_investors", "--paths", "500", "--no-sensitivity",
                                   "-o", str(report)])
    assert out.exit_code == 0, out.output
    assert "Fair stakes" in out.stdout and "Report written to" in out.stdout
    assert report.exists()


def test_run_errors_leave_no_report(tmp_path: Path) -> None:
    runner = CliRunner()
    three = runner.invoke(app, ["run", "a.yaml", "b.yaml", "c.yaml"])
    assert three.exit_code == 2 and "error: give both files" in three.stderr
    missing = runner.invoke(app, ["run", "--paths", "100", "-o", str(tmp_path / "no" / "r.html")])
    assert missing.exit_code == 2 and "folder" in missing.stderr
    bad = runner.invoke(app, ["run", str(DATA / "capped_profit_2025.yaml"), str(ROOT / "examples" / "seed.yaml"),
                              "-o", str(tmp_path / "r.html")])
    assert bad.exit_code == 2 and "no 'projection' section" in bad.stderr
    assert not (tmp_path / "r.html").exists()


def test_packaged_example_is_the_documented_one() -> None:
    # The package data is the canonical copy; examples/openai/ shows the same scenario files
    # (the analysis plans stay in the package: the examples folder holds scenarios only).
    for path in sorted(DATA.glob("*.yaml")):
        if path.name.startswith("analysis"):
            continue
        assert (ROOT / "examples" / "openai" / path.name).read_text() == path.read_text(), path.name


@pytest.mark.slow
def test_flagship_run_with_no_arguments(tmp_path: Path) -> None:
    report = tmp_path / "stakeflow-report.html"
    out = CliRunner().invoke(app, ["run", "--json", "-o", str(report)])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert set(doc) == RUN_KEYS
    page = Page()
    page.feed(report.read_text())
    assert page.figures == FIGURES


def test_the_notebook_and_the_terminal_word_a_fair_stake_alike(small_run) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    import html as h

    page = small_run._repr_html_()
    for f in small_run.fair_stakes:
        assert h.escape(f.result.stake_text()) in page
    r = dataclasses.replace(small_run.fair_stakes[0].result, bound="root", stake=0.2714, stake_se=0.0035)
    assert r.stake_text() == "27.14% ± 0.35%"
    assert dataclasses.replace(r, bound="upper").stake_text() == "not reachable"
    assert dataclasses.replace(r, bound="lower", implied_stake=0.031).stake_text() == "0% (none needed; implied 3.10%)"
    assert dataclasses.replace(r, bound="lower", implied_stake=None).stake_text() == "0% (none needed)"
    field = dataclasses.replace(r, stake=None, value=1234.5, standard_error=0.25)
    assert field.stake_text() == "1,234.5 ± 0.25"
