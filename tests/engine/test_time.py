"""Time in tier programs (SPEC §10): the compounding convention, the cap forms, catch-up,
history and clawback, checked against published fund waterfalls and closed forms.

Every amount is exact (Fraction); tolerances are zero.
"""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stakeflow as sf
from stakeflow import Scenario
from stakeflow.engine import compound, waterfall
from stakeflow.payoff import payoff_curve

FUNDS = Path(__file__).resolve().parents[2] / "examples" / "funds"
M = 10**6


def fund(tiers: list[dict[str, Any]], contributions: list[tuple[str, str, Any]],
         history: list[tuple[str, Any]] | None = None, clawback: Any = None) -> Scenario:
    ent: dict[str, Any] = {
        "id": "fund", "legal_form": "lp", "distribution": tiers,
        "contributions": [{"claimant": c, "date": d, "amount": a} for c, d, a in contributions],
    }
    if history is not None:
        ent["history"] = [{"date": d, "amount": a} for d, a in history]
    if clawback is not None:
        ent["clawback"] = clawback
    return Scenario.model_validate({"stakeflow": 1, "holders": [{"id": "lps"}, {"id": "gp"}], "entities": [ent]})


def european(catch_up: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    tiers: list[dict[str, Any]] = [
        {"name": "Return of capital", "shares": {"lps": 1}, "caps": {"lps": {"multiple": 1}}},
        {"name": "Preferred return", "shares": {"lps": 1}, "caps": {"lps": {"hurdle": "8%"}}},
    ]
    if catch_up is not None:
        tiers.append(catch_up)
    tiers.append({"name": "Carried interest", "shares": {"lps": 80, "gp": 20}})
    return tiers


# --- the compounding convention ---------------------------------------------------------------

def test_compounding_counts_actual_days_across_leap_years() -> None:
    # 2019-03-01 -> 2026-06-30: seven years to 2026-03-01 (2,555 days plus the leap days of 2020
    # and 2024) and 121 days (March to June): 2,678 days = 7 x 365 + 123, so n = 7, f = 123/365.
    a, b = dt.date(2019, 3, 1), dt.date(2026, 6, 30)
    assert (b - a).days == 7 * 365 + 2 + 121 == 7 * 365 + 123
    assert compound(F(80 * M), F(8, 100), a, b) == 80 * M * F(108, 100) ** 7 * (1 + F(8, 100) * F(123, 365))
    # A leap year has 366 days: one calendar year over 29 February is 1 year and 1/365.
    assert compound(F(100), F(1, 10), dt.date(2023, 6, 1), dt.date(2024, 6, 1)) == F(110) * (1 + F(1, 10) / 365)
    # Across 29 February 2024 alone: 2 days of simple interest.
    assert compound(F(365), F(1, 10), dt.date(2024, 2, 28), dt.date(2024, 3, 1)) == 365 + F(2, 10)
    # No growth backwards or on the same day; the factor does not chain.
    assert compound(F(7), F(1, 2), b, a) == 7 == compound(F(7), F(1, 2), a, a)
    mid = dt.date(2021, 9, 1)
    assert compound(compound(F(1), F(1, 10), a, mid), F(1, 10), mid, b) != compound(F(1), F(1, 10), a, b)


# --- published fund waterfalls ----------------------------------------------------------------

def test_published_preferred_return_without_catch_up() -> None:
    # Plumule Advisory, "How investment fund carried interest works, part 2" (preferred returns,
    # GP catch-ups and clawbacks): LP invests $100, one year later the fund distributes $200;
    # 100% to LPs until capital, then 8% compounded annually, then 80/20. Published result:
    # LP $181.60 (100 + 8 + 73.60), GP $18.40. One year = 365 days (2023 is not a leap year).
    sc = fund(european(), [("lps", "2023-01-01", 100)])
    r = waterfall(sc, 200, date="2024-01-01")
    assert r.holders == {"lps": F("181.60"), "gp": F("18.40")}
    paid = {t.name: t.paid for t in r.entities["fund"].tiers}  # type: ignore[union-attr]
    assert paid["Preferred return"] == {"lps": 8}
    assert paid["Carried interest"] == {"lps": F("73.60"), "gp": F("18.40")}


def test_full_catch_up_gives_the_gp_its_carry_share_of_all_profits() -> None:
    # Deal Academy, "Carried interest explained" (2024): with a soft hurdle and a 100% catch-up
    # "the GP ends up with 20% of all the profit, including the first 8%". Same fund as above:
    # profit 100, so GP 20 (catch-up 2 = 8 x 20/80, then 20% of the remaining 90) and LP 180.
    cu = {"name": "GP catch-up", "shares": {"gp": 1}, "catch_up": {"claimant": "gp", "share": "20%"}}
    sc = fund(european(cu), [("lps", "2023-01-01", 100)])
    r = waterfall(sc, 200, date="2024-01-01")
    assert r.holders == {"lps": 180, "gp": 20}
    assert r.entities["fund"].tiers[2].paid == {"gp": 2}  # type: ignore[union-attr]
    # Stopping inside the catch-up: LP 108, GP the rest.
    assert waterfall(sc, 109, date="2024-01-01").holders == {"lps": 108, "gp": 1}


def test_eighty_percent_catch_up_closed_form() -> None:
    # GP takes 80% of the catch-up tier until GP = 20% of profits: 0.8 x = 0.2 (8 + x), x = 8/3.
    cu = {"name": "GP catch-up", "shares": {"gp": 80, "lps": 20}, "catch_up": {"claimant": "gp", "share": "20%"}}
    sc = fund(european(cu), [("lps", "2023-01-01", 100)])
    r = waterfall(sc, 200, date="2024-01-01")
    assert r.entities["fund"].tiers[2].paid == {"gp": F(32, 15), "lps": F(8, 15)}  # type: ignore[union-attr]
    assert r.holders == {"lps": 180, "gp": 20}


def test_european_example_with_history_by_hand() -> None:
    # examples/funds/european.yaml, checked by hand in docs/funds.md: contributions 80M (2019-03-01)
    # and 20M (2020-03-01), 40M distributed 2023-06-30, 150M on 2026-06-30.
    sc = sf.load(FUNDS / "european.yaml")
    r = waterfall(sc, 150 * M)
    r8 = F(8, 100)
    owed = 80 * M * (1 + r8) ** 7 * (1 + r8 * F(123, 365)) + 20 * M * (1 + r8) ** 6 * (1 + r8 * F(122, 365))
    back = 40 * M * (1 + r8) ** 3 * (1 + r8 * F(1, 365))  # 1,096 days: 2024 is a leap year
    hurdle = owed - back + 40 * M
    assert r.entities["fund"].history == {"lps": 40 * M, "gp": 0}  # type: ignore[union-attr]
    paid = [t.paid for t in r.entities["fund"].tiers]  # type: ignore[union-attr]
    assert paid[0] == {"lps": 60 * M}
    assert paid[1] == {"lps": hurdle - 100 * M}
    profits = 190 * M - 100 * M
    assert r.holders["gp"] == profits / 5 == 18 * M
    assert sum(r.holders.values()) == 150 * M
    doc = r.to_json()["entities"]["fund"]
    assert doc["history"] == {"lps": 40e6, "gp": 0.0}
    steps = [s for s in waterfall(sc, 150 * M, explain=True).steps if s.kind in ("hurdle", "catch_up")]
    # The catch-up ends when the GP has 20% of the profits so far: x = 0.2 (hurdle - 100M + x).
    assert steps[-1].amount == (hurdle - 100 * M) / 4 and any(s.amount == hurdle for s in steps)


def test_eighty_percent_example_file_reaches_the_same_split() -> None:
    r = waterfall(sf.load(FUNDS / "catch_up_80.yaml"), 150 * M)
    assert r.holders == {"lps": 132 * M, "gp": 18 * M}


def test_clawback_returns_what_the_gp_holds_beyond_its_share() -> None:
    # examples/funds/clawback.yaml: contributions 200M, distributions 150M (2021) + 80M (2026):
    # lifetime profit 30M; the GP received 10M of carry in 2021 and keeps 20% x 30M = 6M.
    sc = sf.load(FUNDS / "clawback.yaml")
    r = waterfall(sc, 80 * M)
    assert r.entities["fund"].history == {"lps": 140 * M, "gp": 10 * M}  # type: ignore[union-attr]
    assert r.holders == {"lps": 80 * M, "gp": 0}
    assert r.entities["fund"].clawback == ("gp", 4 * M)  # type: ignore[union-attr]
    assert r.to_json()["entities"]["fund"]["clawback"] == {"claimant": "gp", "amount": 4e6}
    # Enough proceeds and there is nothing to give back.
    assert waterfall(sc, 300 * M).entities["fund"].clawback == ("gp", 0)  # type: ignore[union-attr]


def test_american_deal_by_deal_through_look_through() -> None:
    # Deal A: 30M in 2020, exits for 60M: profit 30M, GP 20% = 6M. Deal B: 70M in 2021, 40M back:
    # the LPs take it all. Deal by deal the GP keeps 6M although the fund as a whole only broke even.
    r = waterfall(sf.load(FUNDS / "american.yaml"), 100 * M)
    assert r.holders == {"lps": 94 * M, "gp": 6 * M}


# --- cap forms --------------------------------------------------------------------------------

def test_multiple_and_growing_caps() -> None:
    tiers: list[dict[str, Any]] = [
        {"shares": {"lps": 1}, "caps": {"lps": {"multiple": 2, "growth": "20%"}}},
        {"shares": {"gp": 1}},
    ]
    sc = fund(tiers, [("lps", "2019-07-01", 10), ("lps", "2021-07-01", 20)])
    # Only the first contribution counts in 2020; growth from the first contribution (366 days).
    assert waterfall(sc, 1000, date="2020-07-01").holders["lps"] == 20 * F(12, 10) * (1 + F(2, 10) / 365)
    # Before the growth starts, the cap is the plain amount.
    grow = [{"shares": {"lps": 1}, "caps": {"lps": {"amount": 100, "growth": "20%", "from": "2025-01-01"}}},
            {"shares": {"gp": 1}}]
    sc2 = fund(grow, [("lps", "2019-07-01", 10)])
    assert waterfall(sc2, 1000, date="2024-12-31").holders["lps"] == 100
    assert waterfall(sc2, 1000, date="2026-01-01").holders["lps"] == 120


def test_a_tier_completed_by_history_pays_again_when_its_cap_has_grown() -> None:
    tiers = [{"shares": {"lps": 1}, "caps": {"lps": {"amount": 100, "growth": "10%", "from": "2020-01-01"}}},
             {"shares": {"gp": 1}}]
    sc = fund(tiers, [("lps", "2020-01-01", 1)], history=[("2020-01-01", 150)])
    r = waterfall(sc, 50, date="2021-01-01")  # 366 days: the cap is 100 x 1.1 x (1 + 0.1/365)
    assert r.entities["fund"].history == {"lps": 100, "gp": 50}  # type: ignore[union-attr]
    assert r.holders["lps"] == 110 + F(11, 365) - 100


def test_a_limit_counts_what_its_tier_paid_before() -> None:
    tiers = [{"shares": {"lps": 1}, "limit": 100}, {"shares": {"gp": 1}}]
    sc = fund(tiers, [], history=[("2020-01-01", 70)])
    assert waterfall(sc, 50, date="2021-01-01").holders == {"lps": 30, "gp": 20}


# --- history replay -------------------------------------------------------------------------

amounts = st.integers(0, 400).map(F)


@settings(max_examples=60, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=4), amounts, st.sampled_from([0, 1, 2]))
def test_history_replay_equals_one_distribution_when_nothing_depends_on_time(
    history: list[F], v: F, which: int
) -> None:
    programs: list[list[dict[str, Any]]] = [
        [{"shares": {"lps": 3, "gp": 1}, "caps": {"lps": 120}, "overflow": "gp"},
         {"shares": {"lps": 1}, "limit": 90}, {"shares": {"lps": 1, "gp": 1}}],
        [{"shares": {"lps": 1}, "caps": {"lps": {"amount": 200}}}, {"shares": {"gp": 1}, "caps": {"gp": 50}},
         {"shares": {"lps": 4, "gp": 1}}],
        [{"shares": {"lps": 1, "gp": 1}, "caps": {"lps": 30, "gp": 70}}, {"shares": {"lps": 1}}],
    ]
    dates = [f"202{i}-01-01" for i in range(len(history))]
    with_history = fund(programs[which], [], history=list(zip(dates, history, strict=True)))
    at_once = fund(programs[which], [])
    r = waterfall(with_history, v, date="2026-01-01")
    hist = r.entities["fund"].history  # type: ignore[union-attr]
    past = sum(history, F(0))
    total = waterfall(at_once, past + v).holders
    assert {k: hist[k] + r.holders[k] for k in r.holders} == total  # type: ignore[index]
    assert waterfall(at_once, past).holders == hist


# --- properties of generated programs with the new forms --------------------------------------

@st.composite
def timed_funds(draw: Any) -> Scenario:
    rate = draw(st.sampled_from(["0%", "5%", "8%", "12.5%"]))
    tiers: list[dict[str, Any]] = []
    if draw(st.booleans()):
        cap: dict[str, Any] = {"multiple": draw(st.sampled_from([1, "1.5", 2]))}
        if draw(st.booleans()):
            cap["growth"] = "10%"  # from the first contribution
        tiers.append({"shares": {"lps": 1}, "caps": {"lps": cap}})
    tiers.append({"shares": {"lps": draw(st.sampled_from([1, 9])), "gp": draw(st.sampled_from([0, 1]))},
                  "caps": {"lps": {"hurdle": rate}}})
    if draw(st.booleans()):
        gp = draw(st.sampled_from([1, 4]))
        tiers.append({"shares": {"gp": gp, "lps": 1 if gp == 4 else 0},
                      "catch_up": {"claimant": "gp", "share": draw(st.sampled_from(["10%", "20%", "30%"]))}})
    if draw(st.booleans()):
        tier: dict[str, Any] = {
            "shares": {"lps": 1, "gp": 1},
            "caps": {"gp": {"amount": draw(st.integers(1, 50)), "growth": "20%", "from": "2021-01-01"}}}
        if draw(st.booleans()):
            # Two caps: once one claimant is capped the other takes the whole tier until its own.
            tier["caps"]["lps"] = {"multiple": 3}
        tiers.append(tier)
    if draw(st.booleans()):
        # A limit counts what the tier paid in earlier distributions (the history).
        tiers.append({"shares": {"lps": 1, "gp": 1}, "limit": draw(st.integers(1, 60))})
    tiers.append({"shares": {"lps": 80, "gp": 20}})
    days = draw(st.lists(st.integers(0, 2000), min_size=1, max_size=3))
    start = dt.date(2019, 1, 1)
    contributions = [("lps", str(start + dt.timedelta(days=d)), draw(st.integers(1, 100))) for d in days]
    hist = sorted(draw(st.lists(st.integers(0, 2500), max_size=2)))
    history = [(str(start + dt.timedelta(days=d)), draw(st.integers(0, 150))) for d in hist]
    return fund(tiers, contributions, history=history or None)


DATE = "2026-03-01"


@settings(max_examples=40, deadline=None)
@given(timed_funds(), st.integers(0, 600).map(F), st.integers(1, 50).map(F))
def test_generated_timed_programs_add_up_and_are_monotone(sc: Scenario, v: F, dv: F) -> None:
    lo, hi = waterfall(sc, v, date=DATE).holders, waterfall(sc, v + dv, date=DATE).holders
    assert sum(lo.values()) == v and sum(hi.values()) == v + dv
    assert all(x >= 0 for x in lo.values())
    assert all(hi[k] >= lo[k] for k in lo)
    assert all(x == 0 for x in waterfall(sc, 0, date=DATE).holders.values())


@settings(max_examples=25, deadline=None)
@given(timed_funds())
def test_generated_timed_programs_curve_matches_the_engine(sc: Scenario) -> None:
    # Piecewise linear and continuous: the curve's values at every breakpoint and midpoint, and
    # beyond the last one, are the engine's.
    curve = payoff_curve(sc, date=DATE)
    pts = curve.breakpoints
    probes = [*pts, *((a + b) / 2 for a, b in itertools.pairwise(pts)), pts[-1] * 2 + 7]
    for x in probes:
        exact = waterfall(sc, x, date=DATE).holders
        assert curve.value_at(x) == exact
        # Continuity at the kinks: just either side the engine moves by at most the step.
        eps = F(1, 10**6)
        near = waterfall(sc, x + eps, date=DATE).holders
        assert all(0 <= near[k] - exact[k] <= eps for k in exact)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(timed_funds(), st.integers(0, 900).map(F), st.integers(1, 90).map(F))
def test_generated_timed_programs_at_length(sc: Scenario, v: F, dv: F) -> None:
    test_generated_timed_programs_add_up_and_are_monotone.hypothesis.inner_test(sc, v, dv)  # type: ignore[attr-defined]
    curve = payoff_curve(sc, date=DATE)
    assert curve.value_at(v) == waterfall(sc, v, date=DATE).holders
