"""Anti-dilution in a down round against a published example.

Source: Gust Equity Management documentation, "Anti-Dilution" (docs.equity.gust.com/article/
71-anti-dilution). Broad-based weighted average, CP2 = CP1 · (A + B) / (A + C) with A the common
outstanding before the deal (fully diluted: here 1,500,000 common, 2,500,000 Series A issued at
$1, 2,000,000 Series B at $2 and 1,000,000 options, 7,000,000 in all), B the common issuable for
the amount raised at the old conversion price, C the common issued in the deal. A Series C of
2,000,000 shares at $0.50 ($1,000,000): "Series A Conversion Price = $1.00 · (7,000,000 +
1,000,000) / (7,000,000 + 2,000,000) = $1.00 · (8/9)", "the number of shares of common issuable
upon conversion of Series A is 2,812,500", "a Series A Conversion Rate of 1.125:1". Full
ratchet: "Share price is adjusted all the way down to the new round price". The same formula
(NVCA model certificate of incorporation, §4.4.4) gives the Series B's price,
$2 · (7,000,000 + 500,000) / 9,000,000 = $5/3.
"""

from __future__ import annotations

from fractions import Fraction

import stakeflow as sf
from stakeflow.analysis.antidilution import adjusted_price, adjustments
from stakeflow.analysis.rounds import price_round
from stakeflow.scenario.models import PreferredClass

GUST = """
stakeflow: 1
holders: [{{id: founders}}, {{id: fund_a}}, {{id: fund_b}}, {{id: staff}}]
entities:
  - id: company
    classes:
      - {{id: common, kind: common}}
      - {{id: series_a, kind: preferred, price_per_share: 1, anti_dilution: {a}}}
      - {{id: series_b, kind: preferred, price_per_share: 2, anti_dilution: {b}}}
      - {{id: options, kind: option, strike: 0.1}}
    holdings:
      - {{holder: founders, class: common, shares: 1_500_000}}
      - {{holder: fund_a, class: series_a, shares: 2_500_000}}
      - {{holder: fund_b, class: series_b, shares: 2_000_000}}
      - {{holder: staff, class: options, shares: 1_000_000}}
"""


def gust(a: str = "broad_based", b: str = "broad_based") -> sf.Scenario:
    return sf.loads(GUST.format(a=a, b=b))


def test_gust_broad_based_formula() -> None:
    assert adjusted_price("broad_based", Fraction(1), Fraction(1, 2), Fraction(7_000_000), Fraction(1_000_000),
                          Fraction(2_000_000)) == Fraction(8, 9)


def test_gust_adjustments_of_series_a_and_b() -> None:
    adj = {a.class_id: a for a in adjustments(gust().entities[0], Fraction(1, 2), Fraction(1_000_000),
                                              Fraction(2_000_000))}
    assert adj["series_a"].conversion_price_after == Fraction(8, 9)  # "$1.00 * (8/9)"
    assert adj["series_a"].ratio_after == Fraction(9, 8)  # "Series A Conversion Rate of 1.125:1"
    assert 2_500_000 * adj["series_a"].ratio_after == 2_812_500  # "2,812,500"
    assert adj["series_b"].conversion_price_after == Fraction(5, 3)
    assert adj["series_b"].ratio_after == Fraction(6, 5)


def test_gust_down_round_through_the_round_command() -> None:
    # The Series C as a round: a $3.5M pre-money on the 7,000,000 fully diluted shares prices it
    # at $0.50, and $1M buys the 2,000,000 shares of the example.
    r = price_round(gust(), "3.5M", {"series_c": "1M"}, new_class="series_c")
    assert r.price_per_share == Fraction(1, 2) and r.issued == {"series_c": 2_000_000}
    ratios = {c.id: c.conversion_ratio for c in r.scenario.entities[0].classes or () if isinstance(c, PreferredClass)}
    assert ratios["series_a"] == Fraction(9, 8) and ratios["series_b"] == Fraction(6, 5)
    assert r.shares["fund_a"] == 2_812_500 and r.shares["fund_b"] == 2_400_000
    assert r.post_money_shares == 1_500_000 + 2_812_500 + 2_400_000 + 1_000_000 + 2_000_000


def test_full_ratchet_and_none() -> None:
    r = price_round(gust("full_ratchet", "none"), "3.5M", {"series_c": "1M"}, new_class="series_c")
    ratios = {c.id: c.conversion_ratio for c in r.scenario.entities[0].classes or () if isinstance(c, PreferredClass)}
    assert ratios["series_a"] == 2  # $1.00 down to $0.50: each share converts into 2
    assert ratios["series_b"] == 1  # no protection
    assert [a.class_id for a in r.adjustments] == ["series_a"]


def test_narrow_based_counts_only_preferred() -> None:
    # A = 2,500,000 + 2,000,000 preferred: $1 · (4.5M + 1M) / (4.5M + 2M) = 11/13.
    r = price_round(gust("narrow_based", "none"), "3.5M", {"series_c": "1M"}, new_class="series_c")
    (adj,) = r.adjustments
    assert adj.conversion_price_after == Fraction(11, 13)


def test_no_adjustment_in_an_up_round() -> None:
    r = price_round(gust("full_ratchet", "full_ratchet"), "14M", {"series_c": "1M"}, new_class="series_c")
    assert r.price_per_share == 2 and r.adjustments == []
