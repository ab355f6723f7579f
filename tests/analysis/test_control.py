"""Governance and control (SPEC §6): board majority, else vote majority, chains to the top."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis.control import analyze_control, control_figure
from stakeflow.cli import app

ROOT = Path(__file__).resolve().parents[2]


def scenario(entities: str, holders: str = "[{id: a}, {id: b}, {id: c}]") -> sf.Scenario:
    return sf.loads(f"stakeflow: 1\nholders: {holders}\nentities:\n{entities}")


EQUITY = """
  - id: co
    classes:
      - {{id: common, kind: common}}
      - {{id: pref, kind: preferred, price_per_share: 1, votes_per_share: {pv}}}
      - {{id: opt, kind: option, strike: 1}}
    holdings:
      - {{holder: a, class: common, shares: {a}}}
      - {{holder: b, class: pref, shares: {b}}}
      - {{holder: c, class: opt, shares: 1000}}
"""


def test_board_majority_decides() -> None:
    sc = scenario("""
  - id: co
    classes: [{id: common, kind: common}]
    holdings: [{holder: a, class: common, shares: 100}]
    governance:
      board:
        seats: 5
        appointed_by: [{claimant: b, seats: 3}, {claimant: a, seats: 2}]
""")
    f = analyze_control(sc).entities["co"]
    # b appoints 3 of 5 seats although a holds every vote: the board decides.
    assert (f.controller, f.ultimate_controller, f.basis) == ("b", "b", "board")
    assert f.weights == {"b": Fraction(3, 5), "a": Fraction(2, 5)}


def test_half_the_seats_is_not_a_majority_and_vacant_seats_count() -> None:
    sc = scenario("""
  - id: co
    classes: [{id: common, kind: common}]
    governance:
      board:
        seats: 7
        appointed_by: [{claimant: a, seats: 3}, {claimant: b, seats: 3}]
""")
    f = analyze_control(sc).entities["co"]
    assert (f.controller, f.ultimate_controller, f.basis) == (None, None, "none")
    sc2 = scenario("""
  - id: co
    classes: [{id: common, kind: common}]
    governance: {board: {seats: 8, appointed_by: [{claimant: a, seats: 4}]}}
""")
    assert analyze_control(sc2).entities["co"].controller is None  # 4 of 8 is not more than half


def test_votes_without_board_sum_classes_and_ignore_options() -> None:
    # a: 600 common votes; b: 500 preferred at 1 vote; options carry no votes by default.
    f = analyze_control(scenario(EQUITY.format(a=600, b=500, pv=1))).entities["co"]
    assert (f.controller, f.basis) == ("a", "votes")
    assert f.weights["a"] == Fraction(600, 1100)
    assert "c" not in f.weights
    # Two votes per preferred share give b the majority: 1000 of 1600.
    f2 = analyze_control(scenario(EQUITY.format(a=600, b=500, pv=2))).entities["co"]
    assert (f2.controller, f2.weights["b"]) == ("b", Fraction(1000, 1600))
    # Exactly half: no controller.
    f3 = analyze_control(scenario(EQUITY.format(a=500, b=500, pv=1))).entities["co"]
    assert (f3.controller, f3.basis) == (None, "none")


def test_chain_to_ultimate_controller_through_entities() -> None:
    sc = scenario("""
  - id: top
    legal_form: nonprofit
  - id: gp
    classes: [{id: common, kind: common}]
    holdings: [{holder: top, class: common, shares: 1}]
  - id: fund
    classes: [{id: common, kind: common}]
    holdings: [{holder: a, class: common, shares: 99}, {holder: gp, class: common, shares: 1}]
    governance: {board: {seats: 3, appointed_by: [{claimant: gp, seats: 2}, {claimant: a, seats: 1}]}}
""")
    res = analyze_control(sc)
    assert res.entities["gp"].controller == "top" and res.entities["gp"].basis == "votes"
    fund = res.entities["fund"]
    assert (fund.controller, fund.ultimate_controller, fund.chain) == ("gp", "top", ["fund", "gp", "top"])
    assert res.entities["top"].to_json() == {"controller": None, "ultimate_controller": None, "basis": "none"}


def test_control_loop_stops() -> None:
    sc = scenario("""
  - id: x
    classes: [{id: common, kind: common}]
    governance: {board: {seats: 1, appointed_by: [{claimant: y, seats: 1}]}}
  - id: y
    classes: [{id: common, kind: common}]
    governance: {board: {seats: 1, appointed_by: [{claimant: x, seats: 1}]}}
""")
    res = analyze_control(sc)
    assert res.entities["x"].chain == ["x", "y"] and res.entities["x"].ultimate_controller == "y"


def test_tier_entity_without_board_has_no_controller() -> None:
    sc = sf.load(ROOT / "tests/cases/capped_profit_tiers.yaml")
    assert analyze_control(sc).to_json()["entities"]["openai_global"] == {
        "controller": None, "ultimate_controller": None, "basis": "none"}


def test_openai_examples_foundation_keeps_control() -> None:
    # FACTS.md: the nonprofit board controls the GP, which manages the capped-profit company (2019);
    # after the 2025 recapitalisation the foundation appoints every director of the PBC.
    before = analyze_control(sf.load(ROOT / "examples/openai/capped_profit_2023.yaml"))
    assert before.entities["openai_global"].ultimate_controller == "openai_nonprofit"
    after = analyze_control(sf.load(ROOT / "examples/openai/recap_2025.yaml"))
    assert after.entities["openai_group"].to_json() == {
        "controller": "openai_foundation", "ultimate_controller": "openai_foundation", "basis": "board"}


def test_cli_json_and_plot(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["control", str(ROOT / "examples/openai/recap_2025.yaml"), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["entities"]["openai_group"]["basis"] == "board"
    out = tmp_path / "control.html"
    res = runner.invoke(app, ["control", str(ROOT / "examples/openai/capped_profit_2023.yaml"), "--plot", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "plotly" in html.lower()
    # Display names are in the figure's data (plotly escapes '/', so compare the leading words).
    assert sc_name(ROOT / "examples/openai/capped_profit_2023.yaml", "openai_gp").split(" (")[0] in html


def sc_name(path: Path, party: str) -> str:
    return sf.load(path).display_name(party)


def test_cli_bad_plot_suffix_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "control.txt"
    res = CliRunner().invoke(app, ["control", str(ROOT / "examples/seed.yaml"), "--plot", str(out)])
    assert res.exit_code == 2
    assert "use a name ending in .html" in res.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_figure_has_every_party() -> None:
    sc = sf.load(ROOT / "examples/openai/capped_profit_2023.yaml")
    fig = control_figure(sc)
    names = [t.replace("<br>", " ") for tr in fig.data for t in (tr.text or ())]
    for party in [*sc.holder_ids, *sc.entity_ids]:
        assert sc.display_name(party) in names


@pytest.mark.parametrize("path", sorted((ROOT / "examples").rglob("*.yaml")), ids=lambda p: p.name)
def test_every_example_has_a_control_finding(path: Path) -> None:
    sc = sf.load(path)
    res = analyze_control(sc)
    assert set(res.entities) == set(sc.entity_ids)


def test_diagram_labels_count_stock_not_options_or_warrants() -> None:
    from stakeflow.analysis.control import _ownership_edges

    # FACTS.md: foundation about 26%, Microsoft about 27%, others about 47% of the PBC; the
    # foundation's warrant is shown as an instrument, not added to its stock.
    edges = {(a, b): label for a, b, label in _ownership_edges(sf.load(ROOT / "examples/openai/recap_2025.yaml"))}
    assert edges[("openai_foundation", "openai_group")] == "26.0% of stock, warrants"
    assert edges[("microsoft", "openai_group")] == "27.0% of stock"
    sc = scenario(EQUITY.format(a=600, b=400, pv=1))
    edges = {(a, b): label for a, b, label in _ownership_edges(sc)}
    assert edges == {("a", "co"): "60.0% of stock", ("b", "co"): "40.0% of stock", ("c", "co"): "options"}


def test_a_crowded_diagram_keeps_its_labels_apart() -> None:
    holders = [f"holder_{i}" for i in range(15)]
    text = ("stakeflow: 1\nholders:\n" + "".join(f"  - {{id: {h}}}\n" for h in holders)
            + "entities:\n  - id: co\n    classes: [{id: common, kind: common}]\n    holdings:\n"
            + "".join(f"      - {{holder: {h}, class: common, shares: {i + 1}M}}\n" for i, h in enumerate(holders)))
    sc = sf.loads(text)
    fig = control_figure(sc)
    # Fifteen edges into one entity: their labels go to the owners' hover text, not on the edges.
    assert [a.text for a in fig.layout.annotations if a.text] == []
    people = next(tr for tr in fig.data if tr.name == "holders")
    assert "0.8% of stock of co" in people.hovertext[0]  # 1M of 120M shares
    # Fifteen nodes in a row: names alternate above and below.
    assert list(people.textposition[:4]) == ["top center", "bottom center", "top center", "bottom center"]
    # A small diagram keeps its edge labels.
    small = control_figure(sf.load(ROOT / "examples/openai/recap_2025.yaml"))
    assert "27.0% of stock" in [a.text for a in small.layout.annotations]
