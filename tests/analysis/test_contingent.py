"""Contingent terms valued through the outcomes of their events.

The shapes are those of the two OpenAI rounds in shared/FACTS.md: $6.6B at $157B post-money
(October 2024), returnable unless the for-profit conversion happens within two years (WSJ,
Reuters, FT); and $40B at $300B post-money (March 2025) that SoftBank could cut to $20B without
a restructuring by 31 December 2025 (OpenAI, Bloomberg). The cap table around them is an
assumption (one common class standing for everything else), so the checks are closed forms:
a returned round is a senior claim of its amount; a shrunk round keeps its price and loses
shares in proportion; the weighted waterfall is ``p·yes + (1 − p)·no``, exactly.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis.contingent import (
    ContingentValuation,
    contingent_waterfall,
    events,
    resolve,
    scenarios_for,
    value_contingent,
)
from stakeflow.cli import app
from stakeflow.scenario.errors import ScenarioError
from stakeflow.valuation.pwerm import PwermScenarios, value_pwerm

ROUNDS = """
stakeflow: 1
holders: [{id: others}, {id: oct_2024_investors}, {id: softbank}]
entities:
  - id: group
    classes:
      - {id: common, kind: common}
      - id: oct_2024
        kind: preferred
        invested: 6.6B                 # FACTS: $6.6B, Oct 2024
        contingent:
          event: restructuring
          deadline: 2026-10-02         # FACTS: "within two years"
          if_not: {returnable: true}
      - id: mar_2025
        kind: preferred
        price_per_share: 300           # assumption: $300B post-money over 1B shares
        contingent:
          event: restructuring
          deadline: 2025-12-31         # FACTS: "by 31 Dec 2025"
          if_not: {invested: 20B}      # FACTS: could be cut to $20B
    holdings:
      - {holder: others, class: common, shares: 842_000_000}          # assumption
      - {holder: oct_2024_investors, class: oct_2024, shares: 25_000_000}  # assumption
      - {holder: softbank, class: mar_2025, shares: 133_333_333}      # $40B / $300 a share
"""


def test_one_event_two_outcomes() -> None:
    sc = sf.loads(ROUNDS)
    assert events(sc) == ["restructuring"]
    yes, no = scenarios_for(sc, "60%")
    assert (yes.weight, no.weight) == (Fraction(3, 5), Fraction(2, 5))
    assert yes.happens == {"restructuring": True} and no.happens == {"restructuring": False}
    assert all(c.contingency is None for c in yes.scenario.entities[0].classes or ())
    returned = no.scenario.entities[0].stock_class("oct_2024")
    assert returned.kind == "note" and returned.principal == 6_600_000_000


def test_returned_round_is_a_senior_claim_of_its_amount() -> None:
    no = resolve(sf.loads(ROUNDS), {"restructuring": False})
    for v in ("5B", "500B"):
        res = sf.waterfall(no, v)
        assert res.holders["oct_2024_investors"] == min(sf.parse_number(v), Fraction(6_600_000_000))
        assert sum(res.holders.values()) == sf.parse_number(v)


def test_shrunk_round_keeps_its_price_and_loses_shares() -> None:
    no = resolve(sf.loads(ROUNDS), {"restructuring": False})
    ent = no.entities[0]
    shares = ent.class_shares("mar_2025")
    assert shares == Fraction(133_333_333) * Fraction(20_000_000_000, 133_333_333 * 300)
    assert shares * 300 == 20_000_000_000


def test_weighted_waterfall_is_the_probability_mix() -> None:
    sc = sf.loads(ROUNDS)
    p = Fraction(7, 10)
    res = contingent_waterfall(sc, "400B", p)
    yes = sf.waterfall(resolve(sc, {"restructuring": True}), "400B").holders
    no = sf.waterfall(resolve(sc, {"restructuring": False}), "400B").holders
    for k in yes:
        assert res.expected[k] == p * yes[k] + (1 - p) * no[k]
    assert sum(res.expected.values()) == 400_000_000_000


def test_invested_shrink_of_a_class_given_by_invested() -> None:
    text = ROUNDS.replace("if_not: {returnable: true}", "if_not: {invested: 3.3B}")
    no = resolve(sf.loads(text), {"restructuring": False})
    c = no.entities[0].stock_class("oct_2024")
    assert c.invested == 3_300_000_000 and no.entities[0].class_shares("oct_2024") == 25_000_000


def test_cli_event_and_contingent_commands(tmp_path: Path) -> None:
    f = tmp_path / "rounds.yaml"
    f.write_text(ROUNDS)
    runner = CliRunner()
    out = runner.invoke(app, ["waterfall", str(f), "--exit", "5B", "--event", "restructuring=no", "--json"])
    assert out.exit_code == 0
    assert json.loads(out.stdout)["holders"]["oct_2024_investors"] == 5e9
    out = runner.invoke(app, ["contingent", str(f), "--exit", "400B", "--probability", "restructuring=70%", "--json"])
    assert out.exit_code == 0
    doc = json.loads(out.stdout)
    assert [o["name"] for o in doc["outcomes"]] == ["restructuring=yes", "restructuring=no"]
    assert [o["probability"] for o in doc["outcomes"]] == [0.7, 0.3]
    exact = contingent_waterfall(sf.loads(ROUNDS), "400B", Fraction(7, 10)).expected
    assert doc["expected"] == {k: float(v) for k, v in exact.items()}
    out = runner.invoke(app, ["contingent", str(f), "--exit", "400B", "--probability", "restructuring=70%"])
    assert out.exit_code == 0 and "expected" in out.stdout


def test_pwerm_of_the_outcomes_matches_the_exact_waterfalls() -> None:
    # A PWERM scenario that pays X now (no discounting) values each holder at payout(X); the
    # contingent PWERM value is then p·payout_yes(X) + (1 − p)·payout_no(X), the exact mix.
    spec = PwermScenarios.model_validate(
        {"scenarios": [{"name": "sale", "probability": 1, "exit_value": "400B", "years": 0, "discount_rate": 0}]}
    )
    sc = sf.loads(ROUNDS)
    doc = value_contingent(sc, Fraction(7, 10), lambda s: value_pwerm(s, spec))
    exact = contingent_waterfall(sc, "400B", Fraction(7, 10)).expected
    for k, v in exact.items():
        assert abs(doc["holders"][k] - float(v)) <= 1e-9 * 400e9


def test_contingent_pwerm_is_a_result_with_its_own_document(tmp_path: Path) -> None:
    # The closed form above through the library function the command calls: each outcome valued by
    # PWERM on the file's scenarios, weighted 0.7 and 0.3, and the document of --json.
    spec = tmp_path / "scenarios.yaml"
    spec.write_text("scenarios:\n  - {name: sale, probability: 1, exit_value: 400B, years: 0, discount_rate: 0}\n")
    sc = sf.loads(ROUNDS)
    res = sf.contingent_pwerm(sc, "70%", spec)
    assert isinstance(res, ContingentValuation)
    assert (res.entity, res.method) == ("group", "pwerm")
    assert [(o.name, o.weight) for o in res.outcomes] == [("restructuring=yes", Fraction(7, 10)),
                                                           ("restructuring=no", Fraction(3, 10))]
    exact = contingent_waterfall(sc, "400B", Fraction(7, 10)).expected
    for k, v in exact.items():
        assert abs(res.holders[k] - float(v)) <= 1e-9 * 400e9
    assert res.to_json() == value_contingent(sc, "70%", lambda s: value_pwerm(s, spec))
    assert list(res.to_json()) == ["entity", "method", "outcomes", "holders", "class_values"]
    frame = res.to_frame()
    assert list(frame.columns) == ["restructuring=yes", "restructuring=no", "expected"]
    assert frame.loc["softbank", "expected"] == res.holders["softbank"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.holders = {}  # type: ignore[misc]
    with pytest.raises(ScenarioError, match="no such file"):
        sf.contingent_pwerm(sc, "70%", tmp_path / "missing.yaml")


def test_two_independent_events_weights_multiply() -> None:
    text = ROUNDS.replace("event: restructuring\n          deadline: 2025-12-31", "event: softbank_terms\n"
                          "          deadline: 2025-12-31")
    sc = sf.loads(text)
    outs = scenarios_for(sc, {"restructuring": "50%", "softbank_terms": "80%"})
    assert [o.weight for o in outs] == [Fraction(2, 5), Fraction(1, 10), Fraction(2, 5), Fraction(1, 10)]
    assert sum(o.weight for o in outs) == 1


def test_cli_contingent_through_a_pwerm_file(tmp_path: Path) -> None:
    f = tmp_path / "rounds.yaml"
    f.write_text(ROUNDS)
    spec = tmp_path / "scenarios.yaml"
    spec.write_text("scenarios:\n  - {name: sale, probability: 1, exit_value: 400B, years: 0, discount_rate: 0}\n")
    out = CliRunner().invoke(app, ["contingent", str(f), "--pwerm", str(spec), "--probability", "restructuring=70%",
                                   "--json"])
    assert out.exit_code == 0, out.stderr
    doc = json.loads(out.stdout)
    exact = contingent_waterfall(sf.loads(ROUNDS), "400B", Fraction(7, 10)).expected
    for k, v in exact.items():
        assert abs(doc["holders"][k] - float(v)) <= 1e-9 * 400e9
