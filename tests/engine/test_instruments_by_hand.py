"""SAFEs, notes, the unissued pool and cumulative dividends at an exit, checked by hand.

The SAFE's terms are those of Y Combinator's post-money SAFE (Valuation Cap version, 2018 and
later): at a Liquidity Event the investor receives "the greater of (i) the Purchase Amount (the
'Cash-Out Amount') or (ii) the amount payable on the number of shares of Common Stock equal to
the Purchase Amount divided by the Liquidity Price (the 'Conversion Amount')"; "Liquidity
Price" is the Post-Money Valuation Cap divided by the Liquidity Capitalization (shares,
options and converting securities as converted, not the Unissued Option Pool); the Cash-Out
Amount is "on par with payments for other Safes and/or Preferred Stock" and "senior to payments
for Common Stock". The Liquidity Capitalization here counts every convertible security as
converting (stakeflow.engine.instruments explains why: the SAFE's exclusion of securities that
take their cash-out amount would make payouts jump, against SPEC §5).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

import stakeflow as sf
from stakeflow.engine import claims_of, is_equilibrium
from stakeflow.engine.instruments import accrued, years

SAFE_AND_SEED = """
stakeflow: 1
holders: [{id: founders}, {id: angel}, {id: seed_fund}, {id: option_pool}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: pool, kind: pool}
      - {id: safe, kind: safe, invested: 1M, valuation_cap: 10M}
      - {id: seed, kind: preferred, price_per_share: 1}
    holdings:
      - {holder: founders, class: common, shares: 9M}
      - {holder: option_pool, class: pool, shares: 500_000}
      - {holder: angel, class: safe, shares: 1M}
      - {holder: seed_fund, class: seed, shares: 2M}
"""


def pay(text: str, v: str | int) -> dict[str, Fraction]:
    res = sf.waterfall(sf.loads(text), v)
    assert sum(res.holders.values()) == sf.parse_number(v)
    return res.holders


def test_safe_shares_the_preference_pari_passu_with_preferred() -> None:
    # $1.5M < $1M + $2M of preferences: pro rata to them, 1/3 and 2/3; nothing to common or the pool.
    h = pay(SAFE_AND_SEED, "1.5M")
    assert h == {"founders": 0, "option_pool": 0, "angel": 500_000, "seed_fund": 1_000_000}


def test_safe_cash_out_when_conversion_is_worth_less() -> None:
    # Liquidity capitalization, every convertible counted as converted: (9M + 2M) / (1 − 10%) =
    # 110M/9 shares, of which the SAFE converts into 10%, 11M/9. At $10M the seed keeps its $2M
    # (with everyone converting it would get 10M·18/110 = $1.64M); the SAFE converting would get
    # 8M·(11/9)/(9 + 11/9) = 8M·11/92 = $0.96M, less than its $1M Cash-Out Amount.
    res = sf.waterfall(sf.loads(SAFE_AND_SEED), "10M")
    assert res.holders == {"founders": 7_000_000, "option_pool": 0, "angel": 1_000_000, "seed_fund": 2_000_000}
    assert res.entities["company"].converted == []  # type: ignore[union-attr]


def test_safe_converts_while_preferred_keeps_its_preference() -> None:
    # $12.1M: the seed keeps its $2M (converting: 12.1M·18/110 = $1.98M); the SAFE converts and
    # shares the remaining $10.1M with the common, 11/92 of it: $1.2076M > $1M.
    res = sf.waterfall(sf.loads(SAFE_AND_SEED), "12.1M")
    rest = Fraction(10_100_000)
    assert res.holders == {"founders": rest * Fraction(81, 92), "option_pool": 0, "angel": rest * Fraction(11, 92),
                           "seed_fund": 2_000_000}
    assert res.entities["company"].converted == ["safe"]  # type: ignore[union-attr]


def test_payouts_are_continuous_where_a_safe_switches() -> None:
    # The SAFE is indifferent where (V − 2M)·11/92 = 1M, V* = 2M + 92M/11; every payout is the
    # same on both sides (SPEC §5: continuous payoffs), and none falls as V rises through V*.
    sc = sf.loads(SAFE_AND_SEED)
    star = Fraction(2_000_000) + Fraction(92_000_000, 11)
    eps = Fraction(1, 1000)
    below, at, above = (sf.waterfall(sc, v).holders for v in (star - eps, star, star + eps))
    for k in at:
        assert below[k] <= at[k] <= above[k]
        assert above[k] - below[k] <= 2 * eps
    assert sf.waterfall(sc, star + eps).entities["company"].converted == ["safe"]  # type: ignore[union-attr]


def test_everyone_converts_and_the_safe_owns_purchase_over_cap() -> None:
    # $13M: everything converts; LC = (9M + 2M)/0.9 and the SAFE owns exactly 1M/10M of it:
    # "post-money" ownership of 10%; the seed 2M·0.9/11M and the founders 9M·0.9/11M of the rest.
    h = pay(SAFE_AND_SEED, "13M")
    v = Fraction(13_000_000)
    assert h["angel"] == v / 10
    assert h["seed_fund"] == v * Fraction(18, 110) and h["founders"] == v * Fraction(81, 110)
    assert h["option_pool"] == 0


def test_reported_conversions_are_an_equilibrium_with_the_liquidity_capitalization() -> None:
    sc = sf.loads(SAFE_AND_SEED)
    claims = claims_of(sc.entities[0])
    for v in ("10M", "10.3M", "10.4M", "12M", "12.1M", "12.3M", "13M", "100M"):
        res = sf.waterfall(sc, v)
        conv = frozenset(res.entities["company"].converted)  # type: ignore[union-attr]
        assert is_equilibrium("company", claims, sf.parse_number(v), conv), v


def test_pre_money_safe_converts_against_the_fixed_capitalization() -> None:
    # A pre-money SAFE's Liquidity Price is cap / (shares outstanding assuming conversion of all
    # options and preferred, excluding SAFEs, notes and the unissued pool): 10M / 11M here, so
    # $1M converts into 1.1M shares; at $24.1M with everything converted the SAFE holds
    # 1.1/12.1 of the company.
    text = SAFE_AND_SEED.replace("valuation_cap: 10M}", "valuation_cap: 10M, basis: pre_money}")
    h = pay(text, "24.1M")
    assert h["angel"] == Fraction(24_100_000) * Fraction(11, 121)


def test_discount_only_safe_is_owed_its_purchase_amount() -> None:
    # Without a cap the YC Liquidity Price is the sale's own price: the Conversion Amount equals
    # the Purchase Amount, so the SAFE is paid $1M and takes no part above it.
    text = SAFE_AND_SEED.replace("valuation_cap: 10M}", "discount: 20%}")
    for v in ("2M", "50M"):
        assert pay(text, v)["angel"] == min(sf.parse_number(v) / 3, Fraction(1_000_000))


NOTE = """
stakeflow: 1
as_of: 2025-01-01
holders: [{id: founders}, {id: lender}, {id: seed_fund}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: seed, kind: preferred, price_per_share: 1, seniority: 2}
      - id: note
        kind: note
        principal: 1M
        interest_rate: 10%
        issue_date: 2023-01-01
        valuation_cap: 8M
    holdings:
      - {holder: founders, class: common, shares: 6M}
      - {holder: seed_fund, class: seed, shares: 2M}
      - {holder: lender, class: note, shares: 1M}
"""


def test_note_is_senior_debt_with_simple_interest() -> None:
    # 2023-01-01 to 2025-01-01 is 731 days: interest 1M · 10% · 731/365. A note that states no
    # seniority ranks above every equity class, here above the seed's seniority 2.
    owed = Fraction(1_000_000) * (1 + Fraction(1, 10) * Fraction(731, 365))
    h = pay(NOTE, "1.5M")
    assert h["lender"] == owed and h["seed_fund"] == Fraction(1_500_000) - owed and h["founders"] == 0


def test_note_converts_at_its_cap_when_worth_more() -> None:
    # Conversion: owed · 8M shares (6M common + 2M seed, the fixed capitalization) / 8M cap =
    # owed shares. Far above the preferences everyone converts and the note holds
    # owed / (8M + owed) of the company.
    owed = Fraction(1_000_000) * (1 + Fraction(1, 10) * Fraction(731, 365))
    h = pay(NOTE, "500M")
    assert h["lender"] == Fraction(500_000_000) * owed / (8_000_000 + owed)


def test_note_seniority_as_written_overrides_the_debt_default() -> None:
    text = NOTE.replace("valuation_cap: 8M", "valuation_cap: 8M\n        seniority: 1")
    h = pay(text, "1.5M")
    assert h["seed_fund"] == 1_500_000 and h["lender"] == 0


def test_compound_interest_by_hand() -> None:
    # 10% compounded annually for 2 years and 1 day (actual/365): 1.1² · (1 + 0.1/365).
    text = NOTE.replace("interest_rate: 10%", "interest_rate: 10%\n        interest: compound")
    owed = Fraction(1_000_000) * Fraction(121, 100) * (1 + Fraction(1, 10) / 365)
    assert pay(text, "1M")["lender"] == 1_000_000  # all the proceeds, less than it is owed
    assert pay(text, "3M")["lender"] == owed


DIVIDENDS = """
stakeflow: 1
as_of: 2026-07-01
holders: [{id: founders}, {id: fund}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - id: series_a
        kind: preferred
        price_per_share: 2
        liquidation_preference_multiple: 1.5x
        dividend_rate: 8%
        dividend: compound
        dividend_start: 2023-07-01
    holdings:
      - {holder: founders, class: common, shares: 8M}
      - {holder: fund, class: series_a, shares: 2M}
"""


def test_cumulative_dividends_by_hand() -> None:
    # Issue amount $4M; 2023-07-01 to 2026-07-01 is 1096 days (2024 is a leap year): t = 1096/365
    # = 3 years and 1 day. Compound: 1.08³ = 1.259712; 1.259712·(1 + 0.08/365) = 1.2599881…;
    # 4M·0.2599881… = $1,039,952.405…; simple: 4M·0.08·1096/365 = 320,000·3.0027397… = $960,876.71…
    t = Fraction(1096, 365)
    assert years(sf.loads(DIVIDENDS).entities[0].classes[1].dividend_start, sf.loads(DIVIDENDS).as_of) == t  # type: ignore[arg-type]
    compound = Fraction(4_000_000) * (Fraction(108, 100) ** 3 * (1 + Fraction(8, 100) / 365) - 1)
    assert abs(compound - Fraction("1039952.405")) < Fraction(1, 1000)
    simple = Fraction(4_000_000) * Fraction(8, 100) * t
    assert abs(simple - Fraction("960876.712")) < Fraction(1, 1000)
    pref = Fraction(6_000_000) + compound  # 1.5x of the issue amount plus the dividends
    (claim,) = [c for c in claims_of(sf.loads(DIVIDENDS).entities[0], sf.loads(DIVIDENDS).as_of) if c.id == "series_a"]
    assert claim.preference == pref
    h = pay(DIVIDENDS, "10M")
    assert h["fund"] == pref and h["founders"] == 10_000_000 - pref
    text = DIVIDENDS.replace("dividend: compound", "dividend: simple")
    assert pay(text, "5M")["fund"] == 5_000_000
    assert pay(text, "10M")["fund"] == 6_000_000 + simple


def test_dividends_are_forfeited_on_conversion() -> None:
    # Converting, the series takes 2M/10M of the proceeds and gives up preference and
    # dividends: it converts once V/5 exceeds 6M + dividends.
    h = pay(DIVIDENDS, "100M")
    assert h["fund"] == 20_000_000


def test_exit_date_overrides_as_of_for_accrual() -> None:
    # Accrual stops at exit.date: one year to 2024-07-01 (366 days, a leap year): 4M·0.08·366/365.
    text = DIVIDENDS.replace("dividend: compound", "dividend: simple") + "exit: {date: 2024-07-01}\n"
    assert pay(text, "10M")["fund"] == 6_000_000 + Fraction(4_000_000) * Fraction(8, 100) * Fraction(366, 365)


@pytest.mark.parametrize(("rate", "method", "days", "want"), [
    (Fraction(1, 10), "simple", 365, Fraction(100)),
    (Fraction(1, 10), "compound", 730, Fraction(210)),  # 1000·(1.1² − 1)
    (Fraction(1, 10), "compound", 365 + 73, Fraction(1000) * (Fraction(11, 10) * (1 + Fraction(1, 10) / 5) - 1)),
    (Fraction(1, 10), "simple", -10, Fraction(0)),  # a start after the date accrues nothing
])
def test_accrual_formula(rate: Fraction, method: str, days: int, want: Fraction) -> None:
    import datetime as dt

    start = dt.date(2020, 1, 1)
    assert accrued(Fraction(1000), rate, method, start, start + dt.timedelta(days=days)) == want


def test_pool_is_paid_nothing_and_has_no_votes() -> None:
    sc = sf.loads(SAFE_AND_SEED)
    assert pay(SAFE_AND_SEED, "1B")["option_pool"] == 0
    assert sc.entities[0].stock_class("pool").votes == 0 and sc.entities[0].stock_class("safe").votes == 0
