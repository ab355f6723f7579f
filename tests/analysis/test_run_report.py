"""stakeflow run and its HTML report: the promised sections, figures, assumptions and JSON keys."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from restructuring_cases import DATA, FLAGSHIP_MAP, ROOT, flagship
from typer.testing import CliRunner

from stakeflow.analysis.restructuring import analyze, flagship_plan, read_plan
from stakeflow.analysis.sensitivity import parse_shift
from stakeflow.cli import app
from stakeflow.io.report import render

SECTIONS = {"summary", "control", "values", "fair-stakes", "payouts", "contracts", "projection", "sensitivity",
            "assumptions", "method"}
FIGURES = {"fig-control-before", "fig-control-after", "fig-transfer", "fig-payoff", "fig-timeline",
           "fig-projection", "fig-tornado", "fig-stake-value"}
RUN_KEYS = {"name", "before", "after", "map", "paths", "seed", "control", "values", "equity_value", "fair_stakes",
            "payouts", "sensitivity", "valuations", "assumptions", "timeline", "seconds", "report"}


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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
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
        if self._in_table and tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if self._in_table and tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        if tag == "table":
            self._in_table = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def small_run():  # type: ignore[no-untyped-def]
    before, after = flagship()
    plan, _ = read_plan(flagship_plan())
    return analyze(before, after, mapping=FLAGSHIP_MAP, paths=600, sensitivity_paths=300, seed=5,
                   shifts=[parse_shift("caps"), parse_shift("discount_rate")], scales=(0.5, 1.0),
                   marks=plan.valuations, exit_values=plan.exit_values)


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
