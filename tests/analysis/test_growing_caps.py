"""The OpenAI variant with Microsoft's cap growing 20% a year from 2025 (secondary reporting)
through the restructuring analysis: the commands run it with each year's profit distributed on its
year-end (the method itself is checked against the exact engine in tests/payoff/test_dated.py)."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

from restructuring_cases import DATA, FLAGSHIP_MAP, ROOT
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis.sensitivity import parse_shift
from stakeflow.cli import app

GROWING = ROOT / "examples" / "openai" / "capped_profit_growing_caps.yaml"
MAP = ["--map", ",".join(f"{k}={v}" for k, v in FLAGSHIP_MAP.items())]


def test_caps_shift_scales_dated_caps_as_solve_does() -> None:
    # Each cap's amount or multiple is scaled; its growth, its start and a hurdle rate are not.
    sc = sf.load(GROWING)
    tiers = parse_shift("caps").apply(sc, "high").entity("openai_global").distribution
    assert tiers is not None
    first, second = tiers[0].caps["microsoft"], tiers[1].caps["microsoft"]
    assert first.multiple == 2  # type: ignore[union-attr]
    assert (second.amount, second.growth) == (210 * 10**9, F(20, 100))  # type: ignore[union-attr]
    assert tiers[1].caps["other_investors"] == 300 * 10**9


def test_compare_runs_the_growing_caps_year_by_year() -> None:
    # The same paths (seed 3) before with fixed and with growing caps: the growing cap lets
    # Microsoft's capped claims take more, and the nonprofit less, while the equity value of the
    # structure (what it distributes in all) is the same.
    runner = CliRunner()
    docs = []
    for before in (DATA / "capped_profit_2025.yaml", GROWING):
        res = runner.invoke(app, ["compare", str(before), str(DATA / "pbc_2025.yaml"), *MAP,
                                  "--paths", "400", "--seed", "3", "--json"])
        assert res.exit_code == 0, res.output
        docs.append(json.loads(res.stdout))
    fixed, growing = (d["parties"] for d in docs)
    assert growing["microsoft"]["before"] > fixed["microsoft"]["before"]
    assert growing["openai_foundation"]["before"] < fixed["openai_foundation"]["before"]


def test_run_the_growing_caps_plan(tmp_path: Path) -> None:
    plan = DATA / "analysis_growing_caps.yaml"
    res = CliRunner().invoke(app, ["run", str(plan), "--paths", "300", "--no-sensitivity", "--no-progress",
                                   "-o", str(tmp_path / "r.html"), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["before"]["file"].endswith("capped_profit_growing_caps.yaml")
    assert {f["party"] for f in doc["fair_stakes"]} == {"microsoft", "openai_foundation"}
    assert (tmp_path / "r.html").exists()
