"""Equity waterfalls checked against closed forms worked by hand from SPEC §3.

Each test states the SPEC rule and derives the expected amounts with Fractions in the test
itself (the derivation is the citation); the engine must match exactly.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

import stakeflow as sf
from stakeflow.engine import CannotAbsorb, EquityFlow, claims_of, split

M = 10**6


def company(classes: str, holdings: str, holders: str = "[founders, fund_a, fund_b, staff, lender]") -> sf.Scenario:
    ids = [h.strip() for h in holders.strip("[]").split(",")]
    text = (
        "stakeflow: 1\nholders:\n"
        + "".join(f"  - id: {h}\n" for h in ids)
        + "entities:\n  - id: company\n    classes:\n"
        + "".join(f"      - {line}\n" for line in classes.strip().splitlines())
        + "    holdings:\n"
        + "".join(f"      - {line}\n" for line in holdings.strip().splitlines())
    )
    return sf.loads(text)


def flow(r: sf.WaterfallResult, eid: str = "company") -> EquityFlow:
    f = r.entities[eid]
    assert isinstance(f, EquityFlow)
    return f


# --- preferences: stacked vs pari passu (SPEC §3 rule 1) -----------------------------------
TWO_SERIES = """
{id: common, kind: common}
{id: series_a, kind: preferred, price_per_share: 2, seniority: {a}}
{id: series_b, kind: preferred, price_per_share: 4, seniority: {b}}
"""
TWO_SERIES_HOLDINGS = """
{holder: founders, class: common, shares: 8M}
{holder: fund_a, class: series_a, shares: 1M}
{holder: fund_b, class: series_b, shares: 1M}
"""


def two_series(a: int, b: int) -> sf.Scenario:
    return company(TWO_SERIES.replace("{a}", str(a)).replace("{b}", str(b)), TWO_SERIES_HOLDINGS)


def test_stacked_preferences_pay_the_senior_class_first() -> None:
    # Preferences: A 1M x $2 = $2M, B 1M x $4 = $4M. B senior. At $3M B takes all of it.
    r = sf.waterfall(two_series(1, 2), 3 * M)
    assert r.holders == {"founders": 0, "fund_a": 0, "fund_b": 3 * M}
    # At $5M: B is paid its $4M in full, A the $1M left (half its preference).
    r = sf.waterfall(two_series(1, 2), 5 * M)
    assert r.holders == {"founders": 0, "fund_a": 1 * M, "fund_b": 4 * M}


def test_pari_passu_preferences_share_pro_rata_to_preference() -> None:
    # Equal seniority: $3M shared 2:4 by preference -> A $1M, B $2M.
    r = sf.waterfall(two_series(0, 0), 3 * M)
    assert r.holders == {"founders": 0, "fund_a": 1 * M, "fund_b": 2 * M}
    # Above $6M both preferences are paid and common takes the residual.
    r = sf.waterfall(two_series(0, 0), 9 * M)
    assert r.holders == {"founders": 3 * M, "fund_a": 2 * M, "fund_b": 4 * M}


@pytest.mark.parametrize("seniorities", [(1, 2), (0, 0)], ids=["stacked", "pari_passu"])
def test_conversion_points_of_two_non_participating_series(seniorities: tuple[int, int]) -> None:
    sc = two_series(*seniorities)
    # A converts when, with B still taking its $4M, the price (V - 4M)/9M exceeds $2: V > $22M.
    # B converts when, with A converted, V/10M exceeds $4: V > $40M.
    v = 30 * M
    r = sf.waterfall(sc, v)
    price = F(v - 4 * M, 9 * M)
    assert flow(r).converted == ["series_a"]
    assert flow(r).price_per_share == price
    assert r.holders == {"founders": 8 * M * price, "fund_a": 1 * M * price, "fund_b": 4 * M}
    # At exactly $22M series A is indifferent ($2M either way) and is reported as not converting.
    r = sf.waterfall(sc, 22 * M)
    assert flow(r).converted == []
    assert r.holders["fund_a"] == 2 * M
    r = sf.waterfall(sc, 100 * M)
    assert flow(r).converted == ["series_a", "series_b"]
    assert r.holders == {"founders": 80 * M, "fund_a": 10 * M, "fund_b": 10 * M}


def test_partial_preference_at_low_value_is_recorded_in_the_ledger() -> None:
    r = sf.waterfall(two_series(1, 2), 5 * M, explain=True)
    texts = [s.text for s in r.steps if s.kind == "preference"]
    assert any("series_a" in t and "50.00% of its preference" in t for t in texts), texts


# --- participation and its cap (SPEC §3 rule 2, 3) ------------------------------------------
CAPPED = """
{id: common, kind: common}
{id: series_a, kind: preferred, price_per_share: 1, participating: true, participation_cap_multiple: 3}
"""
CAPPED_HOLDINGS = """
{holder: founders, class: common, shares: 3M}
{holder: fund_a, class: series_a, shares: 1M}
"""


@pytest.mark.parametrize(
    ("v", "investor", "converted"),
    [
        # 1x preference $1M, then 1/4 of the rest, until $3M in all: (V - 1M)/4 = 2M at V = $9M.
        (F(5 * M), F(1 * M) + F(4 * M, 4), []),
        (F(9 * M), F(3 * M), []),
        # The grey zone: between $9M and $12M the investor is stuck at its $3M cap.
        (F(10 * M), F(3 * M), []),
        (F(23 * M, 2), F(3 * M), []),
        # At $12M converting pays V/4 = $3M, the same as the cap: indifferent, not converting.
        (F(12 * M), F(3 * M), []),
        # Above $12M it converts and takes a quarter.
        (F(13 * M), F(13 * M, 4), ["series_a"]),
    ],
)
def test_capped_participation_and_its_grey_zone(v: F, investor: F, converted: list[str]) -> None:
    r = sf.waterfall(company(CAPPED, CAPPED_HOLDINGS), v)
    assert r.holders == {"founders": v - investor, "fund_a": investor}
    assert flow(r).converted == converted


def test_cap_hit_is_recorded_in_the_ledger() -> None:
    r = sf.waterfall(company(CAPPED, CAPPED_HOLDINGS), 10 * M, explain=True)
    caps = [s for s in r.steps if s.kind == "cap"]
    assert [s.class_id for s in caps] == ["series_a"]


def test_uncapped_participating_class_never_converts() -> None:
    sc = company(CAPPED.replace(", participation_cap_multiple: 3", ""), CAPPED_HOLDINGS)
    v = F(1000 * M)
    r = sf.waterfall(sc, v)
    assert flow(r).converted == []
    assert r.holders["fund_a"] == M + (v - M) / 4


# --- conversion ratios other than 1 ----------------------------------------------------------
RATIO = """
{id: common, kind: common}
{id: series_a, kind: preferred, price_per_share: 3, conversion_ratio: 2, participating: {p}}
"""
RATIO_HOLDINGS = """
{holder: founders, class: common, shares: 8M}
{holder: fund_a, class: series_a, shares: 1M}
"""


def test_conversion_ratio_two_non_participating() -> None:
    sc = company(RATIO.replace("{p}", "false"), RATIO_HOLDINGS)
    # Preference $3M; converted, 1M preferred = 2M common of 10M: 20% of V. Converts above $15M.
    r = sf.waterfall(sc, 10 * M)
    assert r.holders == {"founders": 7 * M, "fund_a": 3 * M} and flow(r).converted == []
    r = sf.waterfall(sc, 20 * M)
    assert r.holders == {"founders": 16 * M, "fund_a": 4 * M} and flow(r).converted == ["series_a"]
    assert flow(r).price_per_share == 2  # per common share: $20M / 10M


def test_conversion_ratio_two_participating() -> None:
    sc = company(RATIO.replace("{p}", "true"), RATIO_HOLDINGS)
    # $3M preference, then the residual per as-converted share: 2M of 10M.
    r = sf.waterfall(sc, 10 * M)
    assert r.holders == {"founders": F(7 * M) * 8 / 10, "fund_a": 3 * M + F(7 * M) * 2 / 10}


# --- options and warrants: exercised exactly when P > K (SPEC §3 rule 2) ---------------------
OPTIONS = """
{id: common, kind: common}
{id: pool, kind: option, strike: 1}
"""
OPTION_HOLDINGS = """
{holder: founders, class: common, shares: 9M}
{holder: staff, class: pool, shares: 1M}
"""


def test_options_not_exercised_below_the_strike() -> None:
    r = sf.waterfall(company(OPTIONS, OPTION_HOLDINGS), 5 * M, explain=True)
    assert flow(r).price_per_share == F(5, 9)
    assert r.holders == {"founders": 5 * M, "staff": 0}
    assert not [s for s in r.steps if s.kind == "exercise"]


def test_options_at_the_strike_receive_nothing() -> None:
    r = sf.waterfall(company(OPTIONS, OPTION_HOLDINGS), 9 * M)
    assert flow(r).price_per_share == 1
    assert r.holders["staff"] == 0


def test_options_exercised_above_the_strike_and_price_solves_the_equation() -> None:
    # 9M·P + 1M·(P − 1) = 20M  =>  P = 21/10; options receive 1M·(P − 1) = $1.1M.
    r = sf.waterfall(company(OPTIONS, OPTION_HOLDINGS), 20 * M, explain=True)
    p = F(21, 10)
    assert flow(r).price_per_share == p
    assert 9 * M * p + 1 * M * (p - 1) == 20 * M
    assert r.holders == {"founders": 9 * M * p, "staff": 1 * M * (p - 1)}
    assert [s.class_id for s in r.steps if s.kind == "exercise"] == ["pool"]


def test_warrants_and_options_at_two_strikes() -> None:
    classes = OPTIONS + "{id: lender_warrant, kind: warrant, strike: 0.50}\n"
    holdings = OPTION_HOLDINGS + "{holder: lender, class: lender_warrant, shares: 500k}\n"
    sc = company(classes, holdings)
    # Trying 0.5 < P <= 1: 9P + 0.5(P − 0.5) = 10 gives P = 41/38 > 1, so P > 1 and
    # 9P + 0.5(P − 0.5) + (P − 1) = 10  =>  10.5 P = 11.25  =>  P = 15/14.
    r = sf.waterfall(sc, 10 * M)
    p = F(15, 14)
    assert flow(r).price_per_share == p
    assert r.holders == {
        "founders": 9 * M * p,
        "staff": 1 * M * (p - 1),
        "lender": F(M, 2) * (p - F(1, 2)),
    }
    # At $6M only the warrant is exercised: 9P + 0.5(P − 0.5) = 6  =>  P = 25/38, between the
    # strikes (with neither exercised, P = 6/9 would already exceed 0.5).
    r = sf.waterfall(sc, 6 * M)
    p = F(25, 38)
    assert flow(r).price_per_share == p
    assert r.holders == {"founders": 9 * M * p, "staff": 0, "lender": F(M, 2) * (p - F(1, 2))}


def test_preferred_converts_at_the_price_net_of_option_exercise() -> None:
    # Series A 1M at $2 (non-participating), common 8M, options 1M at $1.
    sc = company(
        "{id: common, kind: common}\n{id: series_a, kind: preferred, price_per_share: 2}\n"
        "{id: pool, kind: option, strike: 1}",
        "{holder: founders, class: common, shares: 8M}\n{holder: fund_a, class: series_a, shares: 1M}\n"
        "{holder: staff, class: pool, shares: 1M}",
    )
    # Converted: 8P + P + (P − 1) = V  =>  P = (V + 1M)/10M; A converts when P > 2: V > $19M.
    r = sf.waterfall(sc, 29 * M)
    p = F(3)
    assert flow(r).converted == ["series_a"] and flow(r).price_per_share == p
    assert r.holders == {"founders": 8 * M * p, "fund_a": 1 * M * p, "staff": 1 * M * (p - 1)}
    # At $19M, P = 2 exactly: indifferent, not converting; unconverted P solves 8P + (P − 1) = 17M.
    r = sf.waterfall(sc, 19 * M)
    assert flow(r).converted == []
    assert flow(r).price_per_share == 2


# --- a class with zero shares ----------------------------------------------------------------
def test_a_preferred_class_nobody_holds_receives_nothing() -> None:
    # An `invested` amount on a class with no holdings used to take its preference, which then
    # reached no holder: the recipients received less than the exit value.
    sc = company(
        "{id: common, kind: common}\n{id: series_a, kind: preferred, invested: 2M}\n"
        "{id: pool, kind: option, strike: 0.1}",
        "{holder: founders, class: common, shares: 1M}",
    )
    r = sf.waterfall(sc, 5 * M)
    assert r.holders == {"founders": 5 * M}
    assert flow(r).classes == {"common": 5 * M, "series_a": 0, "pool": 0}
    assert claims_of(sc.entity("company"))[1].preference == 0


def test_a_common_class_with_zero_shares_takes_nothing() -> None:
    sc = company(
        "{id: common, kind: common}\n{id: common_b, kind: common}",
        "{holder: founders, class: common, shares: 1M}\n{holder: staff, class: common_b, shares: 0}",
    )
    r = sf.waterfall(sc, 5 * M)
    assert r.holders == {"founders": 5 * M, "staff": 0}


def test_proceeds_that_no_class_can_absorb_are_an_error() -> None:
    # SPEC §3 rule 4: the only residual participant is capped at 2 x $1M and common has no
    # shares, so at most $2M can be paid out.
    sc = company(
        "{id: common, kind: common}\n"
        "{id: series_a, kind: preferred, invested: 1M, participating: true, participation_cap_multiple: 2}",
        "{holder: fund_a, class: series_a, shares: 1M}",
    )
    assert sf.waterfall(sc, 2 * M).holders == {"fund_a": 2 * M}
    with pytest.raises(CannotAbsorb) as exc:
        sf.waterfall(sc, 3 * M)
    assert str(exc.value) == (
        "entity 'company' cannot absorb proceeds of 3,000,000.00: every residual participant is capped "
        "(at most 2,000,000.00 can be paid out)"
    )


def test_split_follows_the_given_conversion_choice() -> None:
    # The engine's split for a fixed choice is what the equilibrium check compares against.
    sc = two_series(0, 0)
    claims = claims_of(sc.entity("company"))
    s = split("company", claims, F(30 * M), {"series_a", "series_b"})
    assert s.amounts == {"common": 24 * M, "series_a": 3 * M, "series_b": 3 * M}
    assert s.preference_paid == {"common": 0, "series_a": 0, "series_b": 0}
