"""Properties of SAFEs, notes, pools and dividends on generated cap tables, and of priced rounds.

At an exit (SPEC §3, DESIGN habit 7): the payouts add up to the proceeds exactly, none is
negative, none decreases when the proceeds rise (the SAFE and note terms are standard: a claim
of a fixed amount or an as-converted share count, converting where it gains), the unissued pool
receives nothing, and the reported conversions are an equilibrium (no class, SAFE or note gains
by switching alone, with the post-money liquidity capitalization recomputed for the switch).

In a round solved exactly (``exact=True``): the price times the pre-money capitalisation is the
pre-money valuation; the new money owns ``I / (V + I)`` of the post-money capitalisation; the
pool reaches its target when it is topped up; every SAFE and note converts at the lower of its
cap price (as its own documents define the capitalisation) and the discounted round price, and
a post-money SAFE at its cap owns purchase/cap of the company just before the new money.

Each property runs a few dozen generated tables (Hypothesis); ``INSTRUMENT_EXAMPLES=1500`` runs
1,500 of each (the count they were last run with in full, all passing).
"""

from __future__ import annotations

import datetime as dt
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import stakeflow as sf
from stakeflow.analysis.rounds import price_round
from stakeflow.engine import claims_of, is_equilibrium
from stakeflow.engine.instruments import fixed_capitalization
from stakeflow.engine.instruments import owed as owed_at
from stakeflow.scenario.models import Entity, InstrumentClass

AS_OF = dt.date(2025, 6, 30)
HOLDERS = ["founders", "staff", "angel", "fund", "lender", "option_pool"]


@st.composite
def tables(draw: Any) -> dict[str, Any]:
    """A cap table with common, maybe options, a pool, preferred, SAFEs and notes."""
    classes: list[dict[str, Any]] = [{"id": "common", "kind": "common"}, {"id": "pool", "kind": "pool"}]
    holdings: list[dict[str, Any]] = [
        {"holder": "founders", "class": "common", "shares": draw(st.integers(1_000_000, 10_000_000))},
        {"holder": "option_pool", "class": "pool", "shares": draw(st.integers(0, 2_000_000))},
    ]
    if draw(st.booleans()):
        classes.append({"id": "grants", "kind": "option", "strike": Fraction(draw(st.integers(0, 200)), 100)})
        holdings.append({"holder": "staff", "class": "grants", "shares": draw(st.integers(1, 1_000_000))})
    for i in range(draw(st.integers(0, 2))):
        c: dict[str, Any] = {"id": f"pref_{i}", "kind": "preferred", "price_per_share":
                             Fraction(draw(st.integers(10, 300)), 100), "seniority": draw(st.integers(0, 2))}
        if draw(st.booleans()):
            c |= {"dividend_rate": Fraction(draw(st.integers(1, 12)), 100),
                  "dividend": draw(st.sampled_from(["simple", "compound"])),
                  "dividend_start": AS_OF - dt.timedelta(days=draw(st.integers(0, 2000)))}
        if draw(st.booleans()):
            c["anti_dilution"] = draw(st.sampled_from(["broad_based", "narrow_based", "full_ratchet"]))
        classes.append(c)
        holdings.append({"holder": "fund", "class": c["id"], "shares": draw(st.integers(1, 3_000_000))})
    sold = Fraction(0)
    for i in range(draw(st.integers(0, 3))):
        amount = draw(st.integers(10_000, 2_000_000))
        c = {"id": f"safe_{i}", "kind": "safe", "invested": amount,
             "basis": draw(st.sampled_from(["post_money", "pre_money"]))}
        terms = draw(st.sampled_from(["cap", "discount", "both"]))
        if terms != "discount":
            cap = draw(st.integers(amount * 4, amount * 60))
            if c["basis"] == "post_money" and sold + Fraction(amount, cap) >= Fraction(9, 10):
                continue
            c["valuation_cap"] = cap
            sold += Fraction(amount, cap) if c["basis"] == "post_money" else 0
        if terms != "cap":
            c["discount"] = Fraction(draw(st.integers(5, 30)), 100)
        classes.append(c)
        holdings.append({"holder": draw(st.sampled_from(["angel", "fund"])), "class": c["id"], "shares": amount})
    for i in range(draw(st.integers(0, 2))):
        principal = draw(st.integers(10_000, 1_000_000))
        c = {"id": f"note_{i}", "kind": "note", "principal": principal,
             "interest_rate": Fraction(draw(st.integers(0, 10)), 100),
             "interest": draw(st.sampled_from(["simple", "compound"])),
             "issue_date": AS_OF - dt.timedelta(days=draw(st.integers(0, 1000)))}
        if draw(st.booleans()):
            c["valuation_cap"] = draw(st.integers(principal * 4, principal * 60))
        if draw(st.booleans()):
            c["discount"] = Fraction(draw(st.integers(5, 30)), 100)
        if draw(st.booleans()):
            c["seniority"] = draw(st.integers(0, 3))
        classes.append(c)
        holdings.append({"holder": "lender", "class": c["id"], "shares": principal})
    return {"stakeflow": 1, "as_of": AS_OF, "holders": [{"id": h} for h in HOLDERS],
            "entities": [{"id": "company", "classes": classes, "holdings": holdings}]}


exits = st.one_of(st.integers(0, 60).map(lambda i: Fraction(i * 500_000)),
                  st.fractions(min_value=0, max_value=10**9, max_denominator=100))


@settings(max_examples=int(os.environ.get("INSTRUMENT_EXAMPLES", 40)))
@given(doc=tables(), v=exits, dv=st.integers(1, 20_000_000).map(Fraction))
def test_exit_invariants(doc: dict[str, Any], v: Fraction, dv: Fraction) -> None:
    sc = sf.Scenario.model_validate(doc)
    lo, hi = sf.waterfall(sc, v), sf.waterfall(sc, v + dv)
    assert sum(lo.holders.values()) == v and sum(hi.holders.values()) == v + dv
    assert all(x >= 0 for x in lo.holders.values())
    assert lo.holders["option_pool"] == 0 and hi.holders["option_pool"] == 0
    for k in lo.holders:
        assert hi.holders[k] >= lo.holders[k], k
    ent = sc.entities[0]
    claims = claims_of(ent, sc.as_of)
    conv = frozenset(lo.entities["company"].converted)  # type: ignore[union-attr]
    assert is_equilibrium("company", claims, v, conv)


@settings(max_examples=int(os.environ.get("INSTRUMENT_EXAMPLES", 30)))
@given(doc=tables(), pre=st.integers(2, 200).map(lambda m: Fraction(m * 1_000_000)),
       lead=st.integers(1, 50).map(lambda m: Fraction(m * 500_000)),
       target=st.one_of(st.none(), st.integers(0, 20).map(lambda p: Fraction(p, 100))))
def test_round_solved_exactly(doc: dict[str, Any], pre: Fraction, lead: Fraction, target: Fraction | None) -> None:
    sc = sf.Scenario.model_validate(doc)
    ent = sc.entities[0]
    # Instruments whose discounted amounts reach the pre-money would own all of it: no price.
    instruments = [c for c in ent.classes or () if isinstance(c, InstrumentClass)]
    owed = sum((owed_at(c, None) * 2 / (1 - (c.discount or 0)) for c in instruments), Fraction(0))
    assume(owed < pre)
    # Nor can instruments whose amounts over their caps add up to the whole company.
    capped = sum((owed_at(c, None) * 2 / c.valuation_cap for c in instruments if c.valuation_cap), Fraction(0))
    assume(capped < 1)
    # A pool target and new money that together take the whole post-money cannot be met.
    assume(target is None or target * (1 + lead / pre) < 1)
    r = price_round(sc, pre, {"lead": lead}, pool_class="pool", pool_target=target, exact=True)
    p = r.price_per_share
    assert p * r.pre_money_shares == pre
    new = r.issued["lead"]
    assert new == lead / p
    # No anti-dilution adjustment changes the count when the round is not down for anyone.
    extra = sum((a.ratio_after - a.ratio_before) * ent.class_shares(a.class_id) for a in r.adjustments)
    assert r.post_money_shares == r.pre_money_shares + new + extra
    if not r.adjustments:
        assert r.ownership["lead"] == lead / (pre + lead)
    pool_after = r.scenario.entities[0].class_shares("pool")
    if target is not None and r.pool_increase > 0:
        assert pool_after == target * (r.pre_money_shares + new)
    e = sum(n for k, n in _fully_diluted(ent).items())
    s = sum(r.converted.values(), Fraction(0))
    for conv in r.conversions:
        cls = ent.stock_class(conv.class_id)
        assert isinstance(cls, InstrumentClass)
        disc = p * (1 - (cls.discount or 0))
        if cls.valuation_cap is None:
            assert conv.price == disc
            continue
        shares = {"post_money": e + s, "pre_money": e + r.pool_increase}.get(cls.conversion_basis)
        if cls.kind == "note":
            shares = r.pre_money_shares
        assert shares is not None
        assert conv.price == min(cls.valuation_cap / shares, disc)
        if cls.is_post_money and conv.basis == "cap":
            assert conv.total / (e + s) == owed_at(cls, None) / cls.valuation_cap


def _fully_diluted(ent: Entity) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for c in ent.classes or ():
        if c.kind in ("safe", "note"):
            continue
        n = ent.class_shares(c.id)
        out[c.id] = n * c.conversion_ratio if c.kind == "preferred" else n
    return out


def test_fixed_capitalization_leaves_out_instruments_and_pool() -> None:
    # YC example: 9,250,000 common and 650,000 granted options; not the SAFEs, not the 100,000
    # unissued options.
    sc = sf.load(Path(__file__).resolve().parents[2] / "examples" / "yc_safe.yaml")
    assert fixed_capitalization(sc.entities[0]) == 9_250_000 + 650_000
