"""``--date`` on waterfall, explain, breakpoints and value (SPEC §7, §10), checked against the exact
engine at the same date."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app
from stakeflow.engine import waterfall
from stakeflow.payoff import payoff_curve

EUROPEAN = str(Path(__file__).resolve().parents[2] / "examples" / "funds" / "european.yaml")
DATE = "2027-12-31"


def run(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_waterfall_and_explain_take_the_date() -> None:
    sc = sf.load(EUROPEAN)
    exact = waterfall(sc, "150M", date=DATE)
    assert exact.holders != waterfall(sc, "150M").holders  # the hurdle has grown
    doc = run("waterfall", EUROPEAN, "--date", DATE, "--json")
    assert doc["holders"] == {k: float(v) for k, v in exact.holders.items()}
    assert doc["entities"]["fund"]["history"] == {"lps": 40e6, "gp": 0.0}
    steps = run("explain", EUROPEAN, "--date", DATE, "--json")["steps"]
    assert any(s["kind"] == "hurdle" and DATE in s["text"] for s in steps)


def test_breakpoints_and_value_take_the_date() -> None:
    sc = sf.load(EUROPEAN)
    curve = payoff_curve(sc, date=DATE)
    doc = run("breakpoints", EUROPEAN, "--date", DATE, "--json")
    assert doc["breakpoints"] == [float(b) for b in curve.breakpoints]
    assert doc["breakpoints"] != run("breakpoints", EUROPEAN, "--json")["breakpoints"]
    opm = ["value", EUROPEAN, "--method", "opm", "--equity-value", "150M", "--volatility", "40%",
           "--term", "2", "--rate", "4%", "--json"]
    assert run(*opm, "--date", DATE)["holders"] != run(*opm)["holders"]
