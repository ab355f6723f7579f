"""Priced rounds against published worked examples, each cited.

Sources:

* **YC** — Kirsty Nathoo (Y Combinator), "Understanding SAFEs and Priced Equity Rounds",
  Startup School 2018 (ycombinator.com/library/6m-understanding-safes-and-priced-equity-rounds;
  transcript: xdworks/startup-school-2018, 22.md). Founders 2 × 4,625,000; a pool of 750,000 with
  650,000 granted; SAFEs of $200k at a $4M and $800k at an $8M post-money cap; a Series A of $5M
  ($4M lead) at $15M pre-money with the pool topped up to 10% post-money. Stated: 11,764,705
  shares after the SAFEs convert (5% and 10%), a pool increase of "1.695 million", "13.5 million"
  pre-money shares, a price of "$1.114", "4.48 million" new shares, "3.59 million" for the lead;
  lead 20%, others 5%, founders 51.5%; with investor B's cap at $10M the founders would own 52.7%.
* **FundersClub / YC SAFE Primer** — "Numerical Example: SAFE, cap, no discount"
  (fundersclub.com/learn/safe-primer/safe-numerical-examples/safe-cap-no-discount): a $100,000
  (pre-money) SAFE with a $5M cap; $1M of Series A at $10M pre-money; 11,000,000 fully diluted
  shares including a 1,000,000-share pool adopted in the financing; 1,100,110 Series A shares at
  $0.909 and 220,022 Series A-1 shares at $0.4545.
* **1984 Ventures** — the tests of their cap table library (github.com/1984vc/cap-table,
  src/__tests__/financial-correctness.test.ts): a $1M SAFE at a $10M cap, 10,000,000 founder
  shares, $5M at $20M pre-money. Post-money SAFE: 10% just before the round, 8% after, the new
  money 20%. Original pre-money SAFE: converts at $1.00 into 1,000,000 shares, 1/11 before the
  round ("diluted by its own investment"). A 10% post-money pool refresh: pool 10%, new money
  20%, common 70%.
* **Startup Percolator** — A. Shawber, "What is the Difference Between 'Pre-Money' and
  'Post-Money' Valuation Cap SAFEs?" (startuppercolator.com): 8,000,000 founder shares and a
  2,000,000-share pool; $2.5M of pre-money SAFEs at a $10M cap leave the founders 64%.
* **FundersClub** — "Numerical Example: $25k convertible note with $5M cap, 20% discount"
  (fundersclub.com/learn/convertible-notes/convertible-notes-numerical-examples/
  convertible-note-cap-discount): at $10M pre-money and $5.00 a share the cap gives $2.50 and
  10,000 shares; at $6M pre-money and $5.00 the discount gives $4.00 and 6,250 shares.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

import stakeflow as sf
from stakeflow.analysis.rounds import RoundResult, price_round

ROOT = Path(__file__).resolve().parents[2]
YC = ROOT / "examples" / "yc_safe.yaml"
ROUND = {"lead": "4M", "others": "1M"}


def yc_round(exact: bool = False) -> RoundResult:
    return price_round(sf.load(YC), "15M", ROUND, pool_class="pool", pool_target="10%", exact=exact)


def near(x: Fraction, published: float, unit: float) -> bool:
    """Within one unit of the last digit the source gives (the talk rounds some figures and
    truncates others as it speaks: 1.69457 million is "1.695", 4.48672 million "4.48")."""
    return abs(float(x) - published) <= unit


def test_yc_safes_convert_into_5_and_10_percent() -> None:
    r = yc_round()
    conv = r.converted
    assert conv == {"safe_a": 588_235, "safe_b": 1_176_470}  # ⌊0.05 · 10M/0.85⌋, ⌊0.10 · 10M/0.85⌋
    assert 10_000_000 + sum(conv.values()) == 11_764_705  # YC: "11,764,705 shares in total"
    assert near(Fraction(conv["safe_a"], 1_000_000), 0.588, 0.001)  # "588,000 shares"
    assert [c.basis for c in r.conversions] == ["cap", "cap"]


def test_yc_round_figures() -> None:
    r = yc_round()
    assert near(r.pool_increase / 10**6, 1.695, 0.001)  # "increase our option pool by 1.695 million"
    assert near(r.pre_money_shares / 10**6, 13.5, 0.1)  # "that gives us 13.5 million total shares"
    assert near(r.price_per_share, 1.114, 0.001)  # "$1.114"
    assert r.price_per_share == Fraction("1.1144")  # 15M / 13,459,275 = 1.11447… rounded down
    new = sum(r.issued.values(), Fraction(0))
    assert near(new / 10**6, 4.48, 0.01)  # "will buy 4.48 million shares"
    assert near(r.issued["lead"] / 10**6, 3.59, 0.01)  # "will get 3.59 million of those shares"
    own = r.ownership
    assert near(own["lead"] * 100, 20, 0.1) and near(own["others"] * 100, 5, 0.1)
    assert near(own["option_pool"] * 100, 10, 0.01)
    assert near((own["founder_1"] + own["founder_2"]) * 100, 51.5, 0.1)  # "now own 51.5%"


def test_yc_round_exact_meets_every_target_exactly() -> None:
    r = yc_round(exact=True)
    own = r.ownership
    assert own["lead"] == Fraction(1, 5) and own["others"] == Fraction(1, 20)
    assert own["option_pool"] == Fraction(1, 10)
    # Closed form of the pool: 100,000 + x = (2/15)·(E + S + x), S = 10M·15/85 exactly.
    s = Fraction(10**7) * Fraction(15, 85)
    assert r.pool_increase == (Fraction(2, 15) * (10**7 + s) - 100_000) / Fraction(13, 15)
    assert r.price_per_share * r.pre_money_shares == 15_000_000


def test_yc_higher_cap_for_investor_b() -> None:
    # "if we'd have changed that 800,000 ... to a $10 million cap, the ownership at the close,
    # for the founders, would have been 52.7% rather than 51.5."
    text = YC.read_text().replace("valuation_cap: 8M", "valuation_cap: 10M")
    r = price_round(sf.loads(text), "15M", ROUND, pool_class="pool", pool_target="10%")
    assert near((r.ownership["founder_1"] + r.ownership["founder_2"]) * 100, 52.7, 0.1)


def test_yc_shadow_series_keep_the_purchase_amount_as_preference() -> None:
    # YC SAFE: "Safe Preferred Stock" has the per share liquidation preference of the
    # Conversion Price, so at a sale below the preferences each SAFE is owed its purchase amount
    # (up to the shares rounded down).
    r = yc_round()
    res = sf.waterfall(r.scenario, "3M")
    a = res.entities["company"].classes  # type: ignore[union-attr]
    total_pref = Fraction("0.34") * 588_235 + Fraction("0.68") * 1_176_470 + Fraction("1.1144") * (3_589_375 + 897_343)
    assert a["safe_a"] == Fraction(3_000_000) * Fraction("0.34") * 588_235 / total_pref
    assert Fraction("0.34") * 588_235 == Fraction("199999.90")


FUNDERSCLUB_SAFE = """
stakeflow: 1
holders: [{id: founders}, {id: option_pool}, {id: safe_holder}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: pool, kind: pool}
      - {id: safe, kind: safe, invested: 100000, valuation_cap: 5M, basis: pre_money}
    holdings:
      - {holder: founders, class: common, shares: 10_000_000}
      - {holder: option_pool, class: pool, shares: 1_000_000}
      - {holder: safe_holder, class: safe, shares: 100000}
"""


def test_fundersclub_primer_pre_money_safe() -> None:
    # The primer prices the Series A on the 11,000,000 shares before the SAFE converts ($10M / 11M
    # = $0.90909…, printed "$0.909") and converts the SAFE at $5M / 11M = $0.454545… ("$0.4545"):
    # the pool adopted in the financing is in both capitalisations, the SAFE's own shares in
    # neither. Series A price to 3 decimals and the SAFE price to 4, both rounded down, give the
    # published share counts.
    sc = sf.loads(FUNDERSCLUB_SAFE)
    r = price_round(sc, "10M", {"series_a_investors": "1M"}, pool_class="pool", pool_target=None,
                    conversions_in_pre_money=False, price_decimals=3, conversion_price_decimals=4)
    assert r.price_per_share == Fraction("0.909")  # "$0.909 per share"
    assert r.issued["series_a_investors"] == 1_100_110  # "1,100,110 shares of Series A Preferred"
    (conv,) = r.conversions
    assert conv.price == Fraction("0.4545") and conv.total == 220_022  # "220,022 shares of Series A-1"
    # In a change of control the two series are paid pari passu: $1,000,000 and $100,000 ("Aggregate
    # payout"), up to the rounding of the shares.
    res = sf.waterfall(r.scenario, "1.1M")
    classes = res.entities["company"].classes  # type: ignore[union-attr]
    assert abs(classes["series_a"] - 1_000_000) < 10 and abs(classes["safe"] - 100_000) < 10


SAFE_1984 = """
stakeflow: 1
holders: [{{id: founders}}, {{id: seed}}]
entities:
  - id: company
    classes:
      - {{id: common, kind: common}}
      - {{id: safe, kind: safe, invested: 1M, valuation_cap: 10M, basis: {basis}}}
    holdings:
      - {{holder: founders, class: common, shares: 10_000_000}}
      - {{holder: seed, class: safe, shares: 1M}}
"""


def test_1984_post_money_safe_owns_investment_over_cap() -> None:
    r = price_round(sf.loads(SAFE_1984.format(basis="post_money")), "20M", {"series": "5M"}, exact=True)
    (conv,) = r.conversions
    assert conv.total / (10_000_000 + conv.total) == Fraction(1, 10)  # 10% just before the round
    assert r.ownership["seed"] == Fraction(8, 100)  # 8% after
    assert r.ownership["series"] == Fraction(20, 100)  # the new money 20%


def test_1984_pre_money_safe_is_diluted_by_its_own_investment() -> None:
    r = price_round(sf.loads(SAFE_1984.format(basis="pre_money")), "20M", {"series": "5M"})
    (conv,) = r.conversions
    assert conv.price == 1  # "ppss = 1"
    assert conv.total == 1_000_000
    assert conv.total / (10_000_000 + conv.total) == Fraction(1, 11)


def test_1984_pool_refresh_reaches_its_target() -> None:
    doc = """
stakeflow: 1
holders: [{id: founders}]
entities:
  - id: company
    classes: [{id: common, kind: common}]
    holdings: [{holder: founders, class: common, shares: 10_000_000}]
"""
    r = price_round(sf.loads(doc), "20M", {"series": "5M"}, pool_class="pool", pool_target="10%", exact=True)
    assert r.ownership == {"founders": Fraction(7, 10), "option_pool": Fraction(1, 10), "series": Fraction(2, 10)}


def test_startup_percolator_pre_money_safes_leave_founders_64_percent() -> None:
    doc = """
stakeflow: 1
holders: [{id: founders}, {id: option_pool}, {id: safes}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: pool, kind: pool}
      - {id: safe, kind: safe, invested: 2.5M, valuation_cap: 10M, basis: pre_money}
    holdings:
      - {holder: founders, class: common, shares: 8_000_000}
      - {holder: option_pool, class: pool, shares: 2_000_000}
      - {holder: safes, class: safe, shares: 2.5M}
"""
    # A round far above the cap: the SAFEs convert at $10M / 10,000,000 = $1.00.
    r = price_round(sf.loads(doc), "100M", {"series": "1M"})
    (conv,) = r.conversions
    assert conv.total == 2_500_000
    assert Fraction(8_000_000) / (10_000_000 + conv.total) == Fraction(64, 100)  # "Founders 8,000,000 64%"


NOTE = """
stakeflow: 1
as_of: 2024-01-01
holders: [{{id: founders}}, {{id: noteholder}}]
entities:
  - id: company
    classes:
      - {{id: common, kind: common}}
      - {{id: note, kind: note, principal: 25000, valuation_cap: 5M, discount: 20%}}
    holdings:
      - {{holder: founders, class: common, shares: {founders}}}
      - {{holder: noteholder, class: note, shares: 25000}}
"""


@pytest.mark.parametrize(("pre", "founders", "price", "shares"), [
    ("10M", 1_990_000, Fraction("2.50"), 10_000),  # cap: $5.00 × 5M/10M = $2.50 → 10,000 shares
    ("6M", 1_193_750, Fraction("4.00"), 6_250),  # discount: $5.00 × 80% = $4.00 → 6,250 shares
])
def test_fundersclub_note_cap_and_discount(pre: str, founders: int, price: Fraction, shares: int) -> None:
    # Founders' shares chosen so that the pre-money capitalisation (founders + note shares)
    # prices the round at the example's $5.00 a share: 10M / 2,000,000 and 6M / 1,200,000.
    sc = sf.loads(NOTE.format(founders=founders))
    r = price_round(sc, pre, {"vc": "1M"})
    assert r.price_per_share == 5
    (conv,) = r.conversions
    assert conv.price == price and conv.total == shares
    assert conv.basis == ("cap" if pre == "10M" else "price")
