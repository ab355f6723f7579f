"""Tier programs (SPEC §4) checked against amounts worked by hand with Fractions."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest

import stakeflow as sf
from stakeflow.engine import TierFlow

B = 10**9


def program(tiers: str, claimants: tuple[str, ...] = ("a", "b", "c", "d")) -> sf.Scenario:
    text = (
        "stakeflow: 1\nholders:\n"
        + "".join(f"  - id: {h}\n" for h in claimants)
        + "entities:\n  - id: program\n    distribution:\n"
        + "".join(f"      {line}\n" for line in tiers.strip().splitlines())
    )
    return sf.loads(text)


def paid(r: sf.WaterfallResult) -> list[dict[str, F]]:
    f = r.entities["program"]
    assert isinstance(f, TierFlow)
    return [{k: v for k, v in t.paid.items() if v} for t in f.tiers]


def test_weights_are_normalised() -> None:
    a = sf.waterfall(program("- shares: {a: 75%, b: 25%}"), 100)
    b = sf.waterfall(program("- shares: {a: 3, b: 1}"), 100)
    assert a.holders == b.holders == {"a": 75, "b": 25}


def test_limit_ends_a_tier() -> None:
    sc = program("""
- {name: first, shares: {a: 1, b: 3}, limit: 100}
- {name: rest, shares: {c: 1}}
""")
    r = sf.waterfall(sc, 250)
    assert paid(r) == [{"a": 25, "b": 75}, {"c": 150}]
    r = sf.waterfall(sc, 40)
    assert paid(r) == [{"a": 10, "b": 30}, {}]


def test_capped_claimant_share_goes_to_the_others_without_overflow() -> None:
    # a reaches 10 after 20 has flowed in; then b takes the whole tier until it has 30 (20 more).
    sc = program("""
- {shares: {a: 1, b: 1}, caps: {a: 10, b: 30}}
- {shares: {d: 1}}
""")
    assert paid(sf.waterfall(sc, 100)) == [{"a": 10, "b": 30}, {"d": 60}]


def test_overflow_to_a_claimant_not_in_shares() -> None:
    # After a reaches its cap (20 in), a's half goes to c until b reaches 30: 40 more, b 20, c 20.
    sc = program("""
- {shares: {a: 1, b: 1}, caps: {a: 10, b: 30}, overflow: c}
- {shares: {d: 1}}
""")
    r = sf.waterfall(sc, 100, explain=True)
    assert paid(r) == [{"a": 10, "b": 30, "c": 20}, {"d": 40}]
    assert [s.claimant for s in r.steps if s.kind == "tier_cap"] == ["a", "b"]
    assert any("c (overflow included)" in s.text for s in r.steps if s.kind == "tier")


def test_caps_are_cumulative_across_tiers() -> None:
    # a reaches its cap of 10 in the first tier; in the second, which caps a at 10 again and b
    # at 20, a is already at its cap, so its share goes to the overflow c while b fills up:
    # b and c take 20 each, then the tier ends (both capped claimants at their caps).
    sc = program("""
- {shares: {a: 1}, caps: {a: 10}}
- {shares: {a: 1, b: 1}, caps: {a: 10, b: 20}, overflow: c}
- {shares: {d: 1}}
""")
    r = sf.waterfall(sc, 100)
    assert paid(r) == [{"a": 10}, {"b": 20, "c": 20}, {"d": 50}]
    assert r.holders == {"a": 10, "b": 20, "c": 20, "d": 50}


def test_a_tier_whose_caps_are_all_reached_already_pays_nothing() -> None:
    sc = program("""
- {shares: {a: 1}, caps: {a: 10}}
- {shares: {a: 1, b: 1}, caps: {a: 5}}
- {shares: {d: 1}}
""")
    assert paid(sf.waterfall(sc, 100)) == [{"a": 10}, {}, {"d": 90}]


def test_a_cap_on_the_overflow_claimant_is_ignored_in_that_tier() -> None:
    # SPEC §4: the overflow claimant has no cap in its tier. The tier ends when a (the only
    # other capped claimant) reaches 10, after 20 in: c has then 10, above its "cap" of 5.
    sc = program("""
- {shares: {a: 1, c: 1}, caps: {a: 10, c: 5}, overflow: c}
- {shares: {d: 1}}
""")
    assert paid(sf.waterfall(sc, 100)) == [{"a": 10, "c": 10}, {"d": 80}]


def test_a_tier_capping_only_its_overflow_claimant_takes_everything() -> None:
    # Such a tier never ends before the money does, so it may be the last tier. (The reader
    # used to count it as bounded and report the program as able to strand money.)
    sc = program("- {shares: {a: 1, b: 1}, caps: {b: 5}, overflow: b}")
    r = sf.waterfall(sc, 100)
    assert r.holders == {"a": 50, "b": 50}
    with pytest.raises(sf.ScenarioError) as exc:
        program("""
- {shares: {a: 1, b: 1}, caps: {b: 5}, overflow: b}
- {shares: {d: 1}}
""")
    assert [p.message for p in exc.value.problems] == [
        "tier 1 of 'program' is never reached: tier 0 already takes everything"
    ]


def capped_profit_by_hand(v: F) -> dict[str, F]:
    """tests/cases/capped_profit_tiers.yaml worked by hand from SPEC §4 (caps cumulative,
    capped shares to the overflow claimant, a tier ends when all its capped claimants are at
    their caps):

    1. Microsoft 75%, nonprofit 25%, until Microsoft has $13B: the tier takes 13B / 0.75.
    2. Microsoft 49%, other investors 49%, nonprofit 2% until Microsoft has $105B in all and
       the others $150B; a capped share overflows to the nonprofit.
    3. The nonprofit takes the rest.
    """
    ms, oi, np_ = F(0), F(0), F(0)
    t1 = min(v, F(13 * B) / F(3, 4))
    ms += t1 * F(3, 4)
    np_ += t1 * F(1, 4)
    left = v - t1
    # Tier 2, phase 1: both capped claimants below their caps. Microsoft needs 92B more at
    # 49%, the others 150B at 49%: Microsoft gets there first.
    ph1 = min(left, (105 * B - ms) / F(49, 100))
    ms, oi, np_ = ms + ph1 * F(49, 100), oi + ph1 * F(49, 100), np_ + ph1 * F(2, 100)
    left -= ph1
    # Phase 2: Microsoft's 49% overflows to the nonprofit until the others reach 150B.
    ph2 = min(left, (150 * B - oi) / F(49, 100))
    oi, np_ = oi + ph2 * F(49, 100), np_ + ph2 * F(51, 100)
    left -= ph2
    return {"microsoft": ms, "other_investors": oi, "openai_nonprofit": np_ + left}


@pytest.mark.parametrize("v", [F(0), F(10 * B), F(52 * B, 3), F(100 * B), F(300 * B), F(1000 * B)])
def test_capped_profit_tiers_by_hand(v: F, cases_dir: Path) -> None:
    sc = sf.load(cases_dir / "capped_profit_tiers.yaml")
    r = sf.waterfall(sc, v)
    assert r.holders == capped_profit_by_hand(v)
    if v == 1000 * B:
        assert r.holders["microsoft"] == 105 * B and r.holders["other_investors"] == 150 * B
