"""Projections over time: closed forms in deterministic cases, and the exact engine year by year.

The closed forms are hand computations of the rules in ``stakeflow.analysis.projection``
(revenue R_t = R_{t-1}(1+g) at zero volatility, profit m·R_t, losses carried forward without
clawback, cumulative caps F(C_t) − F(C_{t−1}), terminal value on top), written out in exact
fractions below.
"""

from __future__ import annotations

from fractions import Fraction
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from restructuring_cases import ROOT, capped, equity

import stakeflow as sf
from stakeflow.analysis.projection import simulate, structure_payouts
from stakeflow.analysis.values import joint_values, value_parties
from stakeflow.engine import waterfall
from stakeflow.valuation.revenue import revenue_paths
from stakeflow.valuation.streams import Block

F = Fraction


def one(sc: sf.Scenario, seed: int = 1, n: int = 1) -> object:
    return simulate(sc, Block(seed, 0, n, 0, n))


def test_closed_form_capped_investor_zero_volatility() -> None:
    # R = 110, 121, 133.1; profit 20%: 22, 24.2, 26.62; cumulative C = 22, 46.2, 72.82.
    # The investor's cap of 50 is reached in year 3 (it gets 3.8 of the 26.62); the terminal
    # value of 100 all goes to the nonprofit.
    sc = capped()
    p = one(sc)
    np.testing.assert_allclose(p.revenue[0], [110, 121, 133.1], rtol=1e-12)
    np.testing.assert_allclose(p.cumulative[0], [0, 22, 46.2, 72.82], rtol=1e-12)
    v = [F(1) / F(11, 10) ** t for t in (1, 2, 3)]
    inv = F(22) * v[0] + F(242, 10) * v[1] + F(38, 10) * v[2]
    nonprofit = (F(2282, 100) + 100) * v[2]
    val = value_parties(sc, paths=3, seed=5)
    assert val.values["inv"] == pytest.approx(float(inv), rel=1e-12)
    assert val.values["np"] == pytest.approx(float(nonprofit), rel=1e-12)
    assert val.standard_errors["inv"] == 0.0
    assert val.equity_value == pytest.approx(float(inv + nonprofit), rel=1e-12)


def test_losses_are_carried_forward() -> None:
    # Margins −10%, 20%, 20%: net −11, 24.2, 26.62; cumulative −11, 13.2, 39.82; the loss of
    # year 1 comes off year 2's profit: distributions 0, 13.2, 26.62. The terminal 100 then
    # brings the investor from 39.82 to its cap of 50 (10.18) and the rest (89.82) goes on.
    sc = capped(margin="[-10%, 20%, 20%]")
    p = one(sc)
    np.testing.assert_allclose(p.distributed[0], [0, 13.2, 26.62], rtol=1e-12, atol=1e-12)
    yearly, terminal = structure_payouts(p, sf.payoff_curve(sc, "co"))
    np.testing.assert_allclose(yearly[0, :, 0], [0, 13.2, 26.62], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(terminal[0], [10.18, 89.82], rtol=1e-12)


def test_no_clawback_of_past_distributions() -> None:
    # Margins 20%, −30%, 20%: net 22, −36.3, 26.62; cumulative 22, −14.3, 12.32. The 22 paid in
    # year 1 is not clawed back; the year-2 loss is carried forward and absorbs year 3.
    p = one(capped(margin="[20%, -30%, 20%]"))
    np.testing.assert_allclose(p.cumulative[0], [0, 22, 22, 22], rtol=1e-12)
    np.testing.assert_allclose(p.distributed[0], [22, 0, 0], atol=1e-12)


def test_revenue_share_with_end_date_and_cap_comes_before_profit() -> None:
    # 10% of revenue to np during 2026-2027 (11 and 12.1 due), capped at 20 in all: 11 then 9.
    contract = """contracts:
  - {id: rs, kind: revenue_share, payer: co, payee: np, rate: 10%, end: 2027-12-31, cap: 20}"""
    sc = capped(contracts=contract)
    p = one(sc)
    np.testing.assert_allclose(p.contracts["rs"][0], [11, 9, 0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(p.distributed[0], [22 - 11, 24.2 - 9, 26.62], rtol=1e-12)
    val = value_parties(sc, paths=2, seed=0)
    v = [F(1) / F(11, 10) ** t for t in (1, 2, 3)]
    assert val.components["np"]["rs"] == pytest.approx(float(11 * v[0] + 9 * v[1]), rel=1e-12)


def test_revenue_share_ends_with_an_event_on_cumulative_profit() -> None:
    # Operating profit 22, 24.2, 26.62 adds up to 46.2 ≥ 40 in year 2: the share pays years 1-2.
    contract = """contracts:
  - {id: rs, kind: revenue_share, payer: co, payee: np, rate: 10%, end_event: agi}"""
    sc = capped(contracts=contract, events="[{id: agi, cumulative_profit: 40}]")
    p = one(sc)
    assert int(p.events["agi"][0]) == 2
    np.testing.assert_allclose(p.contracts["rs"][0], [11, 12.1, 0], rtol=1e-12, atol=1e-12)


def test_event_in_a_fixed_year_and_never() -> None:
    sc = capped(events="[{id: early, year: 2027}, {id: late, year: 2040}, {id: before, year: 2020}]")
    p = one(sc)
    assert (int(p.events["early"][0]), int(p.events["late"][0]), int(p.events["before"][0])) == (2, 4, 0)


def test_payments_inside_and_outside_the_margin() -> None:
    # A payment of 5 a year in 2026-2027 with a 50% margin to its payee: outside the margin it
    # comes off profit; inside it does not. Either way the payee is worth 2.5 a year.
    for in_margin, net in (("false", [17, 19.2, 26.62]), ("true", [22, 24.2, 26.62])):
        contract = f"""contracts:
  - {{id: pay, kind: payment, payer: co, payee: inv, amounts: {{2026: 5, 2027: 5}}, payee_margin: 50%,
      in_margin: {in_margin}}}"""
        sc = capped(contracts=contract)
        p = one(sc)
        np.testing.assert_allclose(p.distributed[0], net, rtol=1e-12)
        val = value_parties(sc, paths=2, seed=0)
        assert val.components["inv"]["pay"] == pytest.approx(2.5 / 1.1 + 2.5 / 1.21, rel=1e-12)


def test_total_payment_spread_over_days() -> None:
    # 731 in all from 2026-07-02 to 2028-07-01 (731 days): 183 days of 2026, 365 of 2027, 183 of 2028
    # (a leap year: 31 + 29 + 31 + 30 + 31 + 30 + 1).
    contract = """contracts:
  - {id: pay, kind: payment, payer: co, payee: inv, total: 731, start: 2026-07-02, end: 2028-07-01}"""
    p = one(capped(contracts=contract))
    np.testing.assert_allclose(p.contracts["pay"][0], [183, 365, 183], rtol=1e-12)


def test_lognormal_mean_growth() -> None:
    # E[R_t] = R_0 Π(1 + g_s) for R_t = R_{t−1} exp(ln(1+g) − σ²/2 + σZ). Seed 11, 40,000 paths,
    # within 4 standard errors.
    sc = capped(growth="[50%, 20%, 10%]", volatility="40%")
    p = simulate(sc, Block(11, 0, 40_000, 0, 40_000))
    expected = 100 * np.cumprod([1.5, 1.2, 1.1])
    se = p.revenue.std(axis=0, ddof=1) / np.sqrt(40_000)
    assert np.all(np.abs(p.revenue.mean(axis=0) - expected) < 4 * se)


def test_a_longer_horizon_keeps_the_early_years() -> None:
    short = capped(horizon=3, volatility="30%").projection
    long = capped(horizon=6, volatility="30%").projection
    assert short is not None and long is not None
    b = Block(3, 0, 50, 0, 50)
    np.testing.assert_array_equal(revenue_paths(short, b), revenue_paths(long, b)[:, :3])


def test_given_paths_are_used_in_turn() -> None:
    sc = sf.loads("""
stakeflow: 1
holders: [{id: inv}]
entities:
  - id: co
    classes: [{id: common, kind: common}]
    holdings: [{holder: inv, class: common, shares: 1}]
projection:
  entity: co
  start: 2026
  horizon: 2
  revenue: {paths: [[10, 20], [30, 40]]}
  margin: 50%
  discount_rate: 0
""")
    p = simulate(sc, Block(0, 0, 5, 0, 5))
    np.testing.assert_array_equal(p.revenue, [[10, 20], [30, 40], [10, 20], [30, 40], [10, 20]])
    # No discounting, no terminal: the holder is worth half the revenue, on average over paths.
    val = value_parties(sc, paths=4, seed=0)
    assert val.values["inv"] == pytest.approx((15 + 35) / 2, rel=1e-12)


def _exact_yearly(sc: sf.Scenario, entity: str, cumulative: np.ndarray, terminal: float) -> list[dict[str, Fraction]]:
    points = [F(float(c)) for c in cumulative] + [F(float(cumulative[-1])) + F(float(terminal))]
    paid = [waterfall(sc, x, entity, explain=False).holders for x in points]
    return [{h: paid[t][h] - paid[t - 1][h] for h in paid[t]} for t in range(1, len(points))]


CASES = [
    ("flagship before", "src/stakeflow/data/openai/capped_profit_2025.yaml"),
    ("flagship after", "src/stakeflow/data/openai/pbc_2025.yaml"),
]


@pytest.mark.parametrize(("label", "path"), CASES)
def test_yearly_payouts_match_the_exact_engine(label: str, path: str) -> None:
    # Each year's payout on each path is F(C_t) − F(C_{t−1}) with F the exact engine's waterfall
    # of the cumulative profits (and the terminal value on top): checked on 6 simulated paths.
    sc = sf.load(ROOT / path)
    assert sc.projection is not None
    ent = sc.projection.entity
    p = simulate(sc, Block(7, 0, 6, 0, 6))
    curve = sf.payoff_curve(sc, ent)
    yearly, terminal = structure_payouts(p, curve)
    scale = float(p.cumulative.max() + p.terminal.max())
    for i in range(6):
        exact = _exact_yearly(sc, ent, p.cumulative[i], float(p.terminal[i]))
        for t in range(sc.projection.horizon):
            for j, h in enumerate(curve.holders):
                assert yearly[i, t, j] == pytest.approx(float(exact[t][h]), abs=1e-9 * scale), (label, i, t, h)
        for j, h in enumerate(curve.holders):
            assert terminal[i, j] == pytest.approx(float(exact[-1][h]), abs=1e-9 * scale), (label, i, h)


def test_yearly_payouts_of_participating_preferred_match_the_exact_engine() -> None:
    # A capped participating preferred that converts (VentureSouth's example, tests/cases): the
    # payoff curve kinks at the preference, the cap and the conversion; profits cross them.
    text = (ROOT / "tests" / "cases" / "venturesouth_capped.yaml").read_text()
    text += """
projection:
  entity: company
  start: 2026
  horizon: 5
  revenue: {initial: 5M, growth: 40%, volatility: 60%}
  margin: [-20%, 10%, 30%]
  discount_rate: 20%
  terminal: {profit_multiple: 6x}
"""
    sc = sf.loads(text)
    p = simulate(sc, Block(2, 0, 8, 0, 8))
    curve = sf.payoff_curve(sc, "company")
    yearly, terminal = structure_payouts(p, curve)
    scale = float(p.cumulative.max() + p.terminal.max())
    for i in range(8):
        exact = _exact_yearly(sc, "company", p.cumulative[i], float(p.terminal[i]))
        for t in range(5):
            for j, h in enumerate(curve.holders):
                assert yearly[i, t, j] == pytest.approx(float(exact[t][h]), abs=1e-9 * scale)
        for j, h in enumerate(curve.holders):
            assert terminal[i, j] == pytest.approx(float(exact[-1][h]), abs=1e-9 * scale)


def test_monte_carlo_with_the_exact_engine_as_the_curve() -> None:
    # The whole valuation with the exact engine evaluating F (a slow, exact curve) gives the
    # same present values as the compiled payoff curve, path for path.
    sc = equity(volatility="50%", margin="[-10%, 30%]", horizon=4)

    class ExactCurve:
        holders: ClassVar[list[str]] = ["inv", "np"]

        def evaluate(self, values: np.ndarray) -> np.ndarray:
            rows = [waterfall(sc, F(float(v)), "co", explain=False).holders for v in values]
            return np.array([[float(r[h]) for h in self.holders] for r in rows])

    fast = joint_values([sc], 200, 9)
    exact = joint_values([sc], 200, 9, curves=[ExactCurve()])
    np.testing.assert_allclose(fast.mean, exact.mean, rtol=1e-9)
    np.testing.assert_allclose(fast.cov, exact.cov, rtol=1e-7)


def test_values_do_not_depend_on_anything_but_paths_and_seed() -> None:
    sc = capped(volatility="30%", growth="[40%, 10%]")
    a = joint_values([sc], 70_000, 4)
    b = joint_values([sc], 70_000, 4)
    np.testing.assert_array_equal(a.mean, b.mean)
    c = joint_values([sc], 70_000, 5)
    assert not np.array_equal(a.mean, c.mean)


def test_no_projection_is_a_clear_error() -> None:
    sc = sf.loads("stakeflow: 1\nholders: [{id: a}]\nentities:\n  - id: co\n    classes: [{id: c, kind: common}]\n"
                  "    holdings: [{holder: a, class: c, shares: 1}]\n")
    with pytest.raises(sf.StakeflowError, match="has no 'projection' section"):
        value_parties(sc, paths=10, seed=0)


def test_monte_carlo_value_of_a_linear_structure_against_the_closed_form() -> None:
    # One class of common, a constant positive margin m, no contracts: every year's profit is
    # distributed, so the company's value is Σ_t v_t m E[R_t] + v_T M E[R_T] with
    # E[R_t] = R_0 Π_{s≤t}(1 + g_s) (lognormal growth) and M the terminal revenue multiple; a 60%
    # holder gets 60% of it. Seed 21, 50,000 paths, within 4 standard errors.
    sc = sf.loads(EQUITY_WITH_MULTIPLE)
    growth = [1.3, 1.2, 1.1, 1.05]
    er = 100 * np.cumprod(growth)
    v = 1.1 ** -np.arange(1, 5)
    closed = float(np.sum(v * 0.25 * er) + v[-1] * 3 * er[-1])
    val = value_parties(sc, paths=50_000, seed=21)
    assert abs(val.equity_value - closed) < 4 * val.equity_value_se
    assert abs(val.values["inv"] - 0.6 * closed) < 4 * val.standard_errors["inv"]


EQUITY_WITH_MULTIPLE = """
stakeflow: 1
holders: [{id: inv}]
entities:
  - {id: np, legal_form: nonprofit}
  - id: co
    classes: [{id: common, kind: common}]
    holdings: [{holder: inv, class: common, shares: 60}, {holder: np, class: common, shares: 40}]
projection:
  entity: co
  start: 2026
  horizon: 4
  revenue: {initial: 100, growth: [30%, 20%, 10%, 5%], volatility: 45%}
  margin: 25%
  discount_rate: 10%
  terminal: {revenue_multiple: 3x}
"""


def test_an_event_with_an_annual_probability_happens_at_that_rate() -> None:
    # P(event by year t) = 1 − (1 − p)^t; seed 5, 40,000 paths, within 4 standard errors.
    sc = capped(horizon=5, events="[{id: e, annual_probability: 20%}]")
    p = simulate(sc, Block(5, 0, 40_000, 0, 40_000))
    for t in range(1, 6):
        share = float(np.mean(p.events["e"] <= t))
        expected = 1 - 0.8**t
        assert abs(share - expected) < 4 * np.sqrt(expected * (1 - expected) / 40_000)


@settings(max_examples=25, deadline=None)
@given(
    revenue=st.lists(st.integers(0, 1_000), min_size=4, max_size=4),
    margins=st.lists(st.integers(-60, 60), min_size=4, max_size=4),
    caps=st.tuples(st.integers(1, 300), st.integers(1, 600)),
    weights=st.tuples(st.integers(1, 9), st.integers(1, 9), st.integers(0, 9)),
    terminal=st.integers(0, 2_000),
)
def test_generated_tier_programs_match_the_exact_engine_year_by_year(
    revenue: list[int], margins: list[int], caps: tuple[int, int], weights: tuple[int, int, int], terminal: int
) -> None:
    # Random given revenue, margins with losses, cumulative caps and an overflow: every year's
    # payout from the payoff curve equals the exact engine's F(C_t) − F(C_{t−1}), and what the
    # structure pays each year adds up to the profit distributed.
    wa, wb, wc = weights
    sc = sf.loads(f"""
stakeflow: 1
holders: [{{id: a}}, {{id: b}}, {{id: c}}]
entities:
  - id: co
    distribution:
      - {{shares: {{a: {wa}, b: {wb}}}, caps: {{a: {caps[0]}}}}}
      - {{shares: {{a: 1, b: 1, c: {wc}}}, caps: {{a: {caps[0] + caps[1]}, b: {caps[1]}}}, overflow: c}}
      - {{shares: {{c: 1}}}}
projection:
  entity: co
  start: 2026
  horizon: 4
  revenue: {{values: {revenue}}}
  margin: [{", ".join(f"{m}%" for m in margins)}]
  discount_rate: 0
  terminal: {{value: {terminal}}}
""")
    p = simulate(sc, Block(0, 0, 1, 0, 1))
    curve = sf.payoff_curve(sc, "co")
    yearly, term = structure_payouts(p, curve)
    exact = _exact_yearly(sc, "co", p.cumulative[0], float(p.terminal[0]))
    scale = max(1.0, float(p.cumulative.max() + terminal))
    for t in range(4):
        for j, h in enumerate(curve.holders):
            assert yearly[0, t, j] == pytest.approx(float(exact[t][h]), abs=1e-9 * scale)
        assert yearly[0, t].sum() == pytest.approx(float(p.distributed[0, t]), abs=1e-9 * scale)
    for j, h in enumerate(curve.holders):
        assert term[0, j] == pytest.approx(float(exact[-1][h]), abs=1e-9 * scale)
