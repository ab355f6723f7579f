"""``stakeflow breakpoints``: SPEC §7's JSON, the tranche tables, charts, and exit status 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app

ROOT = Path(__file__).resolve().parents[2]
MERCER = str(Path(__file__).resolve().parent / "cases" / "mercer_complexco.yaml")
NESTED = str(ROOT / "tests" / "cases" / "nested_holdco.yaml")


def run(args: list[str]) -> tuple[int, str, str]:
    res = CliRunner().invoke(app, args)
    return res.exit_code, res.stdout, res.stderr


def test_json_is_the_curve_json() -> None:
    code, out, _ = run(["breakpoints", MERCER, "--json"])
    assert code == 0
    doc = json.loads(out)
    assert doc == sf.payoff_curve(sf.load(MERCER)).to_json()
    assert list(doc) == ["entity", "breakpoints", "holders"]
    assert doc["breakpoints"] == [0.0, 2500.0, 5500.0, 11500.0, 23000.0]
    assert doc["holders"]["warrant_holders"] == {"values": [0.0] * 5, "slope_after": 250 / 2550}


def test_entity_option_picks_the_entity() -> None:
    code, out, _ = run(["breakpoints", NESTED, "--entity", "vehicle", "--json"])
    assert code == 0
    doc = json.loads(out)
    assert doc["entity"] == "vehicle" and doc["breakpoints"] == [0.0, 6e6]


def test_table_shows_tranches_by_holder_and_by_class() -> None:
    code, out, _ = run(["breakpoints", MERCER])
    assert code == 0
    words = " ".join(out.split())  # titles wrap to the width of their table
    assert "share of each tranche of proceeds by holder" in words
    assert "share of each tranche of proceeds by class" in words
    assert "payout of each holder at each breakpoint" in words
    # Mercer's Exhibit 9, tranche D: Class A 21.7%, Class B 13.0%, common 65.2%.
    line = next(r for r in out.splitlines() if r.lstrip("│ ").startswith("11.5k"))
    assert "21.7%" in line and "13.0%" in line and "65.2%" in line


def test_html_chart_is_self_contained(tmp_path: Path) -> None:
    target = tmp_path / "curve.html"
    code, out, _ = run(["breakpoints", NESTED, "--plot", str(target)])
    assert code == 0 and "chart written to" in out
    html = target.read_text()
    assert "plotly.js" in html or "Plotly.newPlot" in html
    assert '<script src="https://cdn.plot.ly' not in html  # works offline: the library is embedded
    assert len(html) > 1_000_000
    assert "b1" in html and "b3" in html  # breakpoints marked
    assert not list(tmp_path.glob(".stakeflow-*"))  # no temporary file left behind


@pytest.mark.browser
def test_png_chart(tmp_path: Path) -> None:
    target = tmp_path / "curve.png"
    code, _, err = run(["breakpoints", MERCER, "--plot", str(target)])
    assert code == 0, err
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_input_exits_2_with_an_error_line(tmp_path: Path) -> None:
    code, out, err = run(["breakpoints", NESTED, "--entity", "nobody"])
    assert code == 2 and err.startswith("error:") and "nobody" in err and out == ""
    code, _, err = run(["breakpoints", NESTED, "--plot", str(tmp_path / "chart.txt")])
    assert code == 2 and err.startswith("error:")
    assert not (tmp_path / "chart.txt").exists()
    code, _, err = run(["breakpoints", NESTED, "--plot", str(tmp_path / "missing" / "chart.html")])
    assert code == 2 and err.startswith("error:")
    bad = tmp_path / "bad.yaml"
    bad.write_text("stakeflow: 1\nentities: [{id: x, classes: [{id: c, kind: commonn}]}]\n")
    code, _, err = run(["breakpoints", str(bad)])
    assert code == 2 and err.startswith("error:")
