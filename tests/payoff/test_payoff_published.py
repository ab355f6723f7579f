"""Breakpoints and tranche allocations that a published source states, or that follow from a
case's own text by SPEC.md's rules in closed form (derivation beside each figure)."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest

import stakeflow as sf

HERE = Path(__file__).resolve().parent
CASES = HERE.parents[0] / "cases"


def test_mercer_complexco_breakpoints_and_tranche_allocations() -> None:
    """Mercer Capital, "A Layperson's Guide to the Option Pricing Model" (Harms, 2016), Exhibit 9:
    breakpoints $2,500, $5,500, $11,500, $23,000 (thousands) and the marginal allocation of each
    tranche, published to 0.1%. The exact shares are the fractions behind those percentages:
    pari passu preferences 1,000/2,500 and 1,500/2,500; Class A converted 500/2,000; then
    500/2,300, 300/2,300, 1,500/2,300; then 500/2,550, 300/2,550, 1,500/2,550, 250/2,550."""
    curve = sf.payoff_curve(sf.load(HERE / "cases" / "mercer_complexco.yaml"))
    assert curve.class_breakpoints == [0, 2500, 5500, 11500, 23000]
    assert curve.breakpoints == [0, 2500, 5500, 11500, 23000]
    published = {  # Exhibit 9, percent of marginal proceeds, tranches A to E
        "class_a": [40.0, 0.0, 25.0, 21.7, 19.6],
        "class_b": [60.0, 0.0, 0.0, 13.0, 11.8],
        "common": [0.0, 100.0, 75.0, 65.2, 58.8],
        "warrants": [0.0, 0.0, 0.0, 0.0, 9.8],
    }
    for cls, row in published.items():
        assert [round(float(s) * 100, 1) for s in curve.class_slopes[cls]] == row, cls
    exact = {
        "class_a": [F(2, 5), 0, F(1, 4), F(5, 23), F(10, 51)],
        "class_b": [F(3, 5), 0, 0, F(3, 23), F(6, 51)],
        "common": [0, 1, F(3, 4), F(15, 23), F(30, 51)],
        "warrants": [0, 0, 0, 0, F(5, 51)],
    }
    assert curve.class_slopes == exact
    # Each class is held by one holder, so the holders' tranche shares are the same.
    assert curve.slopes["class_a_holders"] == exact["class_a"]
    assert curve.to_frame()["warrant_holders"].round(3).tolist() == [0.0, 0.0, 0.0, 0.0, 0.098]


@pytest.mark.parametrize(
    ("case", "points", "after"),
    [
        # VentureSouth (case header): the investor takes everything up to its $2M preference;
        # capped at $8M (4x) from $26M (2M + 25% of 24M = 8M); converts above $32M (25% of 32M).
        ("venturesouth_capped", [0, 2_000_000, 26_000_000, 32_000_000], {"investor": F(1, 4)}),
        # Gust, $2M for 30%, 1x non-participating: preference to $2M; converts once 30% of V
        # exceeds $2M, at V = $6,666,666.67 (= 20M/3).
        ("gust_single_investor", [0, 2_000_000, F(20_000_000, 3)], {"investor": F(3, 10)}),
        # Gust 2x non-participating: $4M preference; converts at 30%·V = 4M, V = 40M/3.
        ("gust_2x_nonparticipating", [0, 4_000_000, F(40_000_000, 3)], {"investor": F(3, 10)}),
        # Gust 1x participating: preference to $2M, then 30% of everything above, uncapped.
        ("gust_participating", [0, 2_000_000], {"investor": F(3, 10)}),
        # Supernova 2x participating: $20M preference, then 20% of the rest.
        ("supernova_2x_participating", [0, 20_000_000], {"investor": F(1, 5)}),
        # Nested vehicle: Series A preference 2M × $2.50 = $5M; converts when (V − 5M)/6M
        # exceeds $2.50, at V = $20M; the vehicle's investors reach their $6M at V/4 = 6M,
        # V = $24M; then 80/20 of the vehicle's quarter.
        ("nested_holdco", [0, 5_000_000, 20_000_000, 24_000_000],
         {"founders": F(3, 4), "fund_investors": F(1, 5), "fund_manager": F(1, 20)}),
        # Capped-profit tiers (Fortune, Jan 2023, as modelled in the case): Microsoft's 75%
        # reaches $13B at 13B/0.75 = 17.33B; in the 49/49/2 tier Microsoft needs 92B more at
        # 49%, V = 17.33B + 92B/0.49 = 205.09B; other investors, at 92B then, need 58B more at
        # 49%, V = 205.09B + 58B/0.49 = 323.46B; then all to the nonprofit.
        ("capped_profit_tiers",
         [0, F(52, 3) * 10**9, F(52, 3) * 10**9 + F(92, 49) * 10**11, F(52, 3) * 10**9 + F(150, 49) * 10**11],
         {"microsoft": 0, "other_investors": 0, "openai_nonprofit": 1}),
    ],
)
def test_breakpoints_of_the_shared_cases(case: str, points: list[F], after: dict[str, F]) -> None:
    curve = sf.payoff_curve(sf.load(CASES / f"{case}.yaml"))
    assert curve.breakpoints == points
    for holder, slope in after.items():
        assert curve.slope_after[holder] == slope


def test_capped_profit_values_at_the_breakpoints() -> None:
    """At each breakpoint of the capped-profit tiers: Microsoft has $13B, then $105B; the other
    investors $92B, then $150B (the caps reported by Fortune, as modelled in the case)."""
    curve = sf.payoff_curve(sf.load(CASES / "capped_profit_tiers.yaml"))
    assert curve.values["microsoft"] == [0, 13 * 10**9, 105 * 10**9, 105 * 10**9]
    assert curve.values["other_investors"] == [0, 0, 92 * 10**9, 150 * 10**9]
    assert curve.classes == [] and curve.class_breakpoints == [0]
