"""Distributions on a sequence of dates with the earlier ones as history (SPEC §10), walked in floats
over many paths at once (``stakeflow.payoff.dated``), against the exact engine.

The reference for each date is ``sf.waterfall(..., date=d)`` on the scenario whose tier programs
carry, as ``history``, what each of them received on the earlier dates (worked out by the exact
engine itself, date after date). Amounts are floats turned into exact Fractions, so the only
difference is the walk's rounding: the tolerance is 1e-9 of everything the path distributes.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stakeflow as sf
from stakeflow import Scenario
from stakeflow.analysis.projection import distribution_dates, projection_payouts, simulate, structure_payouts
from stakeflow.analysis.values import joint_values
from stakeflow.engine import resolve_entity, waterfall
from stakeflow.payoff import PayoffCurve, payoff_curve
from stakeflow.payoff.dated import DatedPayouts, dated_terms_below
from stakeflow.scenario.errors import InputError
from stakeflow.scenario.fields import replace
from stakeflow.scenario.models import Distribution
from stakeflow.valuation.streams import Block

ROOT = Path(__file__).resolve().parents[2]
FUNDS = ROOT / "examples" / "funds"
OPENAI = ROOT / "examples" / "openai"
RTOL = 1e-9


def exact_sequence(sc: Scenario, entity: str | None, dates: list[dt.date], amounts: list[F]
                   ) -> list[dict[str, F]]:
    """Each holder's receipts from each distribution by the exact engine, every tier program
    carrying what it received on the earlier dates as history (after the file's own)."""
    root = resolve_entity(sc, entity).id
    received: dict[str, list[Distribution]] = {e.id: [] for e in sc.entities if e.distribution}
    out = []
    for d, a in zip(dates, amounts, strict=True):
        ents = []
        for e in sc.entities:
            if received.get(e.id):
                e = e.model_copy(update={"history": (*(e.history or ()), *received[e.id])})
            ents.append(e)
        r = waterfall(sc.model_copy(update={"entities": tuple(ents)}), a, root, explain=False, date=d)
        out.append(dict(r.holders))
        for eid, flow in r.entities.items():
            if eid in received and flow.proceeds:
                received[eid].append(Distribution(date=d, amount=flow.proceeds))
    return out


def check_against_engine(sc: Scenario, entity: str | None, dates: list[dt.date], amounts: np.ndarray,
                         dp: DatedPayouts | None = None) -> None:
    dp = dp or DatedPayouts(sc, entity, dates)
    got = dp.evaluate(amounts)
    for i, row in enumerate(amounts):
        exact = exact_sequence(sc, entity, dates, [F(float(x)) for x in row])
        scale = max(float(row.sum()), 1.0)
        for j, holders in enumerate(exact):
            want = np.array([float(holders[h]) for h in dp.holders])
            np.testing.assert_allclose(got[i, j], want, rtol=0, atol=RTOL * scale,
                                       err_msg=f"path {i}, date {dates[j]}")
        np.testing.assert_allclose(got[i].sum(axis=1), row, rtol=0, atol=RTOL * scale)
    assert (got >= -RTOL * max(float(amounts.sum(axis=1).max()), 1.0)).all()


def year_ends(first: int, last: int) -> list[dt.date]:
    ends = [dt.date(y, 12, 31) for y in range(first, last + 1)]
    return [*ends, ends[-1]]


# --- published and example fund waterfalls, year by year -------------------------------------

def test_european_fund_year_by_year_matches_the_engine() -> None:
    # examples/funds/european.yaml (checked by hand in docs/funds.md): its 2023 history first,
    # then distributions at each year-end 2024-2028 and a final one; hurdles compound earlier
    # receipts, the catch-up counts every earlier payment.
    sc = sf.load(FUNDS / "european.yaml")
    dates = year_ends(2024, 2028)
    amounts = np.array([[10e6, 0, 25e6, 60e6, 5e6, 80e6], [0, 0, 0, 0, 0, 200e6], [150e6, 1e6, 0, 3e6, 0, 0],
                        [1e6, 2e6, 3e6, 4e6, 5e6, 6e6]])
    check_against_engine(sc, None, dates, amounts)


def test_published_fund_split_in_two_years_adds_up_to_the_one_year_figures() -> None:
    # Plumule Advisory, "How investment fund carried interest works, part 2": LP invests $100 on
    # 2023-01-01, the fund distributes $200 a year later; 100% to capital, 8% compounded, then
    # 80/20: LP $181.60, GP $18.40. Paid as $150 then $50 on the same date, the sequence gives the
    # same totals (nothing compounds between them).
    sc = Scenario.model_validate({
        "stakeflow": 1, "holders": [{"id": "lps"}, {"id": "gp"}],
        "entities": [{"id": "fund", "contributions": [{"claimant": "lps", "date": "2023-01-01", "amount": 100}],
                      "distribution": [{"shares": {"lps": 1}, "caps": {"lps": {"multiple": 1}}},
                                       {"shares": {"lps": 1}, "caps": {"lps": {"hurdle": "8%"}}},
                                       {"shares": {"lps": 80, "gp": 20}}]}]})
    day = dt.date(2024, 1, 1)
    dp = DatedPayouts(sc, None, [day, day])
    got = dp.evaluate(np.array([[150.0, 50.0]]))[0].sum(axis=0)
    np.testing.assert_allclose(got, [181.60, 18.40], rtol=1e-12)
    check_against_engine(sc, None, [day, day], np.array([[150.0, 50.0], [90.0, 110.0]]), dp)


def test_american_fund_deals_walk_their_own_history() -> None:
    # examples/funds/american.yaml: the fund's program has fixed terms (a limit) and passes money
    # to two deals whose programs have hurdles and catch-ups; each deal carries what it received
    # on earlier dates as its own history.
    sc = sf.load(FUNDS / "american.yaml")
    assert dated_terms_below(sc)
    dates = year_ends(2022, 2026)
    amounts = np.array([[20e6, 30e6, 0, 40e6, 10e6, 50e6], [0, 70e6, 0, 0, 5e6, 1e6], [5e6] * 6])
    check_against_engine(sc, None, dates, amounts)


def test_an_equity_entity_passes_its_yearly_distributions_to_a_fund_below_it() -> None:
    # A company (preferred with a 1x preference, then common) holds no program itself; a fund
    # holding its common stock has a hurdle and a catch-up. The company's distributions are
    # cumulative proceeds, G(C_t) - G(C_{t-1}) (section 2.2 of docs/restructuring.md), worked out
    # by the exact engine at each C_t; what reaches the fund each year is then its own yearly
    # distribution, the earlier years as its history.
    fund = {"id": "fund", "contributions": [{"claimant": "lps", "date": "2020-01-01", "amount": 30}],
            "distribution": [{"shares": {"lps": 1}, "caps": {"lps": {"multiple": 1}}},
                             {"shares": {"lps": 1}, "caps": {"lps": {"hurdle": "8%"}}},
                             {"shares": {"gp": 1}, "catch_up": {"claimant": "gp", "share": "20%"}},
                             {"shares": {"lps": 80, "gp": 20}}]}
    co = {"id": "co", "classes": [{"id": "common", "kind": "common"},
                                  {"id": "pref", "kind": "preferred", "invested": 25}],
          "holdings": [{"holder": "founders", "class": "common", "shares": 60},
                       {"holder": "fund", "class": "common", "shares": 40},
                       {"holder": "angel", "class": "pref", "shares": 10}]}
    sc = Scenario.model_validate({"stakeflow": 1, "holders": [{"id": h} for h in ("founders", "angel", "lps", "gp")],
                                  "entities": [co, fund]})
    dates = year_ends(2021, 2025)
    row = [F(10), F(0), F(40), F(25), F(70), F(300)]
    dp = DatedPayouts(sc, "co", dates)
    got = dp.evaluate(np.array([[float(x) for x in row]]))[0]
    cum = [sum(row[: j + 1], F(0)) for j in range(len(row))]
    flows = [waterfall(sc, c, "co", explain=False, date=dates[-1]) for c in cum]
    to_fund = [f.entities["co"].holdings for f in flows]  # type: ignore[union-attr]
    fund_cum = [sum((a for h, _, a in hs if h == "fund"), F(0)) for hs in to_fund]
    fund_in = [b - a for a, b in zip([F(0), *fund_cum], fund_cum, strict=False)]
    below = exact_sequence(sc, "fund", dates, fund_in)
    for j in range(len(row)):
        before = flows[j - 1].holders if j else dict.fromkeys(flows[0].holders, F(0))
        for h in ("founders", "angel"):
            assert got[j, dp.holders.index(h)] == pytest.approx(float(flows[j].holders[h] - before[h]), abs=1e-9)
        for h in ("lps", "gp"):
            assert got[j, dp.holders.index(h)] == pytest.approx(float(below[j][h]), abs=1e-9)


def test_the_walk_equals_the_cumulative_curve_without_terms_in_time() -> None:
    # A program with fixed caps (the capped-profit tiers as Fortune reported them, and a tier
    # limit): walking each year with the earlier years as history is F(C_t) - F(C_{t-1}).
    sc = sf.load(OPENAI / "capped_profit_2025.yaml")
    assert not dated_terms_below(sc)
    dates = year_ends(2026, 2035)
    rng = np.random.default_rng(7)
    amounts = rng.exponential(20e9, size=(500, len(dates))) * (rng.random((500, len(dates))) < 0.7)
    walk = DatedPayouts(sc, None, dates, every_program=True)
    curve = payoff_curve(sc)
    cum = np.cumsum(amounts, axis=1)
    f = curve.evaluate(np.concatenate([np.zeros(500), cum.reshape(-1)])).reshape(-1, len(curve.holders))
    want = np.diff(np.concatenate([f[:1].repeat(500, 0)[:, None, :], f[500:].reshape(500, len(dates), -1)], 1),
                   axis=1)
    assert walk.holders == curve.holders
    np.testing.assert_allclose(walk.evaluate(amounts), want, rtol=0, atol=RTOL * cum[:, -1].max())


# --- in a projection: the OpenAI variant with Microsoft's cap growing 20% a year --------------

def test_projection_picks_the_method_from_the_scenario() -> None:
    growing = sf.load(OPENAI / "capped_profit_growing_caps.yaml")
    pay = projection_payouts(growing)
    assert isinstance(pay, DatedPayouts)
    assert pay.dates == (*(dt.date(y, 12, 31) for y in range(2026, 2036)), dt.date(2035, 12, 31))
    assert isinstance(projection_payouts(sf.load(OPENAI / "capped_profit_2025.yaml")), PayoffCurve)
    assert isinstance(projection_payouts(sf.load(OPENAI / "pbc_2025.yaml")), PayoffCurve)


def test_growing_caps_projection_matches_the_engine_year_by_year() -> None:
    # Seeded paths of the file's own projection (seed 2025); a sample from the smallest to the
    # largest profits, where Microsoft's grown cap binds early, late, or not within the horizon.
    sc = sf.load(OPENAI / "capped_profit_growing_caps.yaml")
    assert sc.projection is not None
    p = simulate(sc, Block(2025, 0, 4000, 0, 4000))
    pay = projection_payouts(sc)
    assert isinstance(pay, DatedPayouts)
    yearly, terminal = structure_payouts(p, pay)
    total = p.cumulative[:, -1] + p.terminal
    order = np.argsort(total)
    picks = sorted({int(order[int(q * (len(order) - 1))]) for q in (0, 0.25, 0.5, 0.9, 0.99, 1)}
                   | {int(np.argmax(p.cumulative[:, -1]))})
    dates = distribution_dates(sc.projection)
    mi = pay.holders.index("microsoft")
    cap = 105e9 * 1.2**11 * (1 + 0.2 / 365)
    bound = 0
    for i in picks:
        amounts = [*p.distributed[i], p.terminal[i]]
        exact = exact_sequence(sc, None, dates, [F(float(x)) for x in amounts])
        got = np.concatenate([yearly[i], terminal[i][None, :]])
        for j, holders in enumerate(exact):
            want = [float(holders[h]) for h in pay.holders]
            np.testing.assert_allclose(got[j], want, rtol=0, atol=RTOL * total[i], err_msg=f"path {i}, {dates[j]}")
        bound += any(0 < float(e["microsoft"]) < 0.49 * float(a) for e, a in zip(exact, amounts, strict=True))
        assert got[:, mi].sum() <= cap * (1 + RTOL)
    assert bound, "no sampled path reaches Microsoft's grown cap"
    # On the largest path Microsoft ends at its cap on 2035-12-31: $105B grown 20% a year from
    # 2025-01-01 over 4,016 days (to 2036-01-01 it would be 11 x 365 plus the leap days of 2028
    # and 2032), 11 x 365 + 1, so 105B x 1.2^11 x (1 + 0.2/365) (SPEC §10's convention).
    top = int(order[-1])
    assert yearly[top, :, mi].sum() + terminal[top, mi] == pytest.approx(cap, rel=RTOL)


def test_growing_caps_with_no_growth_value_like_the_fixed_caps() -> None:
    # With growth 0% the dated file's caps are the fixed file's ($13B = 1x contributions of $1B +
    # $2B + $10B, $105B), so the per-year walk must give F(C_t) − F(C_{t−1}) of the fixed caps.
    growing = sf.load(OPENAI / "capped_profit_growing_caps.yaml")
    flat = replace(growing, "entities[openai_global].distribution[1].caps.microsoft.growth", F(0))
    fixed = sf.load(OPENAI / "capped_profit_2025.yaml")
    assert isinstance(projection_payouts(flat), DatedPayouts)
    a = joint_values([flat, fixed], 3000, 11)
    for party in ("microsoft", "openai_nonprofit", "other_investors"):
        for part in ("structure", "revenue_share"):
            if part in a.components(1, party):
                np.testing.assert_allclose(a.component(0, party, part)[0], a.component(1, party, part)[0], rtol=1e-9)
    # ... and with the growth, Microsoft's capped claims are worth more, the nonprofit's less.
    c = joint_values([growing, fixed], 3000, 11)
    assert c.component(0, "microsoft", "structure")[0] > c.component(1, "microsoft", "structure")[0]
    assert c.value(0, "openai_nonprofit")[0] < c.value(1, "openai_nonprofit")[0]


# --- generated programs with every form of SPEC §10 -------------------------------------------

@st.composite
def programs(draw: Any) -> Scenario:
    tiers: list[dict[str, Any]] = []
    if draw(st.booleans()):
        cap: dict[str, Any] = {"multiple": draw(st.sampled_from([1, "1.5"]))}
        if draw(st.booleans()):
            cap.update(growth="10%")
        tiers.append({"shares": {"lps": 1}, "caps": {"lps": cap}})
    tiers.append({"shares": {"lps": draw(st.sampled_from([1, 9])), "gp": draw(st.sampled_from([0, 1]))},
                  "caps": {"lps": {"hurdle": draw(st.sampled_from(["0%", "8%", "12.5%"]))}}})
    if draw(st.booleans()):
        gp = draw(st.sampled_from([1, 4]))
        tiers.append({"shares": {"gp": gp, "lps": 1 if gp == 4 else 0},
                      "catch_up": {"claimant": "gp", "share": draw(st.sampled_from(["10%", "20%"]))}})
    if draw(st.booleans()):
        tier: dict[str, Any] = {
            "shares": {"lps": 1, "gp": 1, "keeper": 1},
            "caps": {"gp": {"amount": draw(st.integers(1, 40)), "growth": "20%", "from": "2021-06-30"},
                     "lps": {"multiple": 3}}}
        if draw(st.booleans()):
            tier["overflow"] = "keeper"
        tiers.append(tier)
    if draw(st.booleans()):
        tiers.append({"shares": {"lps": 1, "gp": 1}, "limit": draw(st.integers(1, 60))})
    tiers.append({"shares": {"lps": 80, "gp": 20}})
    start = dt.date(2019, 1, 1)
    days = draw(st.lists(st.integers(0, 2200), min_size=1, max_size=3))  # some after the first dates
    contributions = [{"claimant": "lps", "date": str(start + dt.timedelta(days=d)), "amount": draw(st.integers(1, 100))}
                     for d in days]
    contributions.append({"claimant": "gp", "date": "2019-01-01", "amount": 1})
    fund: dict[str, Any] = {"id": "fund", "contributions": contributions, "distribution": tiers}
    if draw(st.booleans()):
        fund["history"] = [{"date": "2020-06-30", "amount": draw(st.integers(0, 80))}]
    entities = [fund]
    holders = [{"id": "lps"}, {"id": "a"}, {"id": "b"}, {"id": "keeper"}]
    if draw(st.booleans()):
        # The GP is an entity whose own program (fixed or growing cap) pays two partners.
        cap = draw(st.sampled_from([{"amount": 10, "growth": "10%", "from": "2022-01-01"}, 10]))
        entities.append({"id": "gp", "distribution": [{"shares": {"a": 1}, "caps": {"a": cap}},
                                                      {"shares": {"a": 1, "b": 1}}]})
    else:
        holders.append({"id": "gp"})
    return Scenario.model_validate({"stakeflow": 1, "holders": holders, "entities": entities})


@settings(max_examples=60, deadline=None)
@given(programs(), st.lists(st.lists(st.integers(0, 120), min_size=7, max_size=7), min_size=1, max_size=3))
def test_generated_programs_year_by_year_match_the_engine(sc: Scenario, rows: list[list[int]]) -> None:
    dates = year_ends(2020, 2025)
    check_against_engine(sc, "fund", dates, np.array(rows, dtype=np.float64) * 1.37)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(programs(), st.lists(st.lists(st.integers(0, 120), min_size=7, max_size=7), min_size=1, max_size=4))
def test_generated_programs_year_by_year_at_length(sc: Scenario, rows: list[list[int]]) -> None:
    test_generated_programs_year_by_year_match_the_engine.hypothesis.inner_test(sc, rows)  # type: ignore[attr-defined]


def test_bad_calls() -> None:
    sc = sf.load(FUNDS / "european.yaml")
    with pytest.raises(ValueError, match="in date order"):
        DatedPayouts(sc, None, [dt.date(2025, 1, 1), dt.date(2024, 1, 1)])
    dp = DatedPayouts(sc, None, year_ends(2024, 2025))
    with pytest.raises(ValueError, match=r"shape \(paths, 3\)"):
        dp.evaluate(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="negative"):
        dp.evaluate(-np.ones((1, 3)))
    with pytest.raises(InputError, match="after the distribution date"):
        DatedPayouts(sc, None, [dt.date(2023, 1, 1)])
