"""Export to the Open Cap Table Format, import back: the same waterfall at every exit, exactly.

Every equity entity of every example and every worked case goes out as an OCF 1.2.0 zip and
comes back through the scenario file text. The payouts are compared with exact arithmetic at
every class breakpoint of both structures, between them and beyond the last one, which for
piecewise-linear payouts (SPEC §5) is every exit.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from ocf_packages import direct_payouts, same_payouts
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app
from stakeflow.io import _messages as M
from stakeflow.io import export_ocf, import_ocf

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FILES = sorted([*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/cases/*.yaml")])
ENTITIES = [(f, e.id) for f in FILES for e in sf.load(f).entities if e.is_equity]


def _through_ocf(sc: sf.Scenario, entity: str, tmp_path: Path) -> sf.Scenario:
    package = tmp_path / "out.ocf.zip"
    export_ocf(sc, entity).write(package)
    text, rounded = import_ocf(package).to_yaml()
    assert rounded == []
    return sf.loads(text)


@pytest.mark.parametrize(("path", "entity"), ENTITIES, ids=[f"{p.stem}-{e}" for p, e in ENTITIES])
def test_round_trip_same_waterfall(path: Path, entity: str, tmp_path: Path) -> None:
    sc = sf.load(path)
    back = _through_ocf(sc, entity, tmp_path)
    assert back.entities[0].id == entity
    same_payouts(sc, back, entity, entity)


def test_round_trip_of_safes_notes_and_pool(tmp_path: Path) -> None:
    """SAFEs (post- and pre-money), a compounding note and an unissued pool. Compared on a grid of
    exits from 0 to 10^10, fractions of a dollar included, and at the worked example's own scale."""
    sc = sf.load(HERE / "instruments.yaml")
    back = _through_ocf(sc, "company", tmp_path)
    kinds = {c.id: c.kind for c in back.entities[0].classes or ()}
    assert kinds == {"common": "common", "series_a": "preferred", "safe_a": "safe", "safe_b": "safe",
                     "note_a": "note", "pool": "pool"}
    for cid in ("safe_a", "safe_b", "note_a"):
        a, b = sc.entities[0].stock_class(cid), back.entities[0].stock_class(cid)
        assert a.model_dump(exclude={"name", "basis"}) == b.model_dump(exclude={"name", "basis"}), cid
        assert a.conversion_basis == b.conversion_basis  # post-money is a SAFE's default basis
    exits = sorted({Fraction(m * 10**k, 7) for m in range(1, 71) for k in range(0, 11, 2)} | {Fraction(0)})
    for v in exits:
        assert direct_payouts(sc, "company", v) == direct_payouts(back, "company", v), v


def test_round_trip_keeps_exact_values_ocf_rounds(tmp_path: Path) -> None:
    """Values beyond OCF's 10 decimal places come back exactly (through the stakeflow comments)."""
    sc = sf.loads("""
stakeflow: 1
holders: [{id: founders}, {id: fund}, {id: staff}]
entities:
  - id: co
    classes:
      - {id: common, kind: common}
      - {id: pref, kind: preferred, invested: 1M, participating: true, conversion_ratio: 1.00000000004}
      - {id: opts, kind: option, strike: 0.123456789012345}
    holdings:
      - {holder: founders, class: common, shares: 3_000_000.5}
      - {holder: fund, class: pref, shares: 3_000_000}
      - {holder: staff, class: opts, shares: 700_000.000000000001}
""")
    back = _through_ocf(sc, "co", tmp_path)
    pref = back.entities[0].stock_class("pref")
    assert (pref.invested, pref.participating, pref.participation_cap_multiple) == (1_000_000, True, None)
    assert pref.conversion_ratio == Fraction("1.00000000004")
    assert back.entities[0].stock_class("opts").strike == Fraction("0.123456789012345")
    assert back.entities[0].class_shares("opts") == Fraction("700000.000000000001")
    same_payouts(sc, back, "co", "co")


def test_export_lists_what_it_leaves_out(tmp_path: Path) -> None:
    sc = sf.load(ROOT / "examples/openai/capped_profit_2023.yaml")
    res = export_ocf(sc, "openai_gp")
    left = {(o.object_type, o.id): o.reason for o in res.left_out}
    assert left[("entity", "openai_global")] == M.LEFT_ENTITY.format(id="openai_gp")
    assert left[("entity", "openai_nonprofit")] == M.LEFT_ENTITY.format(id="openai_gp")
    assert left[("governance", "openai_gp")] == M.LEFT_GOVERNANCE
    assert left[("holder", "microsoft")] == M.LEFT_HOLDER.format(id="openai_gp")


def test_cli_round_trip(tmp_path: Path) -> None:
    example = ROOT / "examples/venture_stacked.yaml"
    package, again = tmp_path / "v.ocf.zip", tmp_path / "v.yaml"
    runner = CliRunner()
    res = runner.invoke(app, ["export-ocf", str(example), "-o", str(package)])
    assert res.exit_code == 0, res.output
    assert "warning: not exported: governance company: " + M.LEFT_GOVERNANCE in res.stderr
    res = runner.invoke(app, ["import-ocf", str(package), "-o", str(again)])
    assert res.exit_code == 0, res.output
    for exit_ in ("100M", "181.92M", "1B"):
        a = runner.invoke(app, ["waterfall", str(example), "--exit", exit_, "--json"])
        b = runner.invoke(app, ["waterfall", str(again), "--exit", exit_, "--json"])
        assert json.loads(a.stdout)["holders"] == json.loads(b.stdout)["holders"]


def test_cli_export_of_a_tier_program_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "x.zip"
    res = CliRunner().invoke(app, ["export-ocf", str(ROOT / "examples/openai/capped_profit_2023.yaml"),
                                   "--entity", "openai_global", "-o", str(out)])
    assert res.exit_code == 2
    assert M.NOT_EQUITY.format(id="openai_global", known="openai_gp") in res.stderr
    assert not out.exists()
