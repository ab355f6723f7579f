"""Properties of the exact engine on generated cap tables, tier programs and nested entities.

What is asserted, and why (SPEC §2–4; DESIGN, habits 7 and 8):

* **Adds up**: the ultimate recipients receive exactly the exit value V, and inside every entity
  the class (or tier) amounts add up exactly to that entity's proceeds (SPEC §3 rule 4, §4).
* **None negative.**
* **None decreases when V rises**, for every term the format's classes and tiers can express
  (the "standard terms" of the engine's contract; the generator includes pari passu groups,
  partial preferences, caps below the preference, conversion ratios other than 1, options and
  warrants). Why it holds: in a tier program the first V dollars are allocated the same way
  whatever comes after them, so each claimant's cumulative receipts only grow. In an equity
  entity, for a fixed set of converted classes every payout is continuous and non-decreasing
  in V (preferences fill in order, and the residual price P rises with the residual). A class
  switches where it is indifferent, and there the price per share is the same on both sides,
  so every payout is continuous across a switch too, hence non-decreasing everywhere.
  Look-through composes non-decreasing maps. The argument needs the equilibrium to be unique
  in payouts (the format's rule that equilibria pay everyone the same); a term that makes a
  payout fall as V rises (a preference clawed back above some value, a pay-to-play penalty)
  cannot be written in the format.
* **Scaling**: multiplying every amount of money in the file (prices, invested amounts,
  strikes, tier caps and limits) and V by k multiplies every payout by k, and the same classes
  convert.
* **Equilibrium** (SPEC §3 rule 3): at the reported conversion choices no convertible class
  gains by switching alone, checked by recomputing the split with that one class switched;
  a class that converts gains strictly (a class indifferent between the choices is reported as
  not converting).
* **Options** are exercised exactly when the residual price P exceeds the strike K, and then
  receive ``shares × (P − K)``.
* **The explain ledger traces every dollar**: what reaches ultimate recipients adds up to V,
  and each entity's recorded proceeds equal what was passed through to it.

The default run keeps Hypothesis to 100 examples per property; the ``slow`` versions
(CI, ``HYPOTHESIS_PROFILE=ci``) run many more.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_strategies import (
    Doc,
    build,
    cap_tables,
    exit_values,
    nested_scenarios,
    scale_doc,
    tier_scenarios,
)

import stakeflow as sf
from stakeflow.engine import EquityFlow, TierFlow, claims_of, split

FAST = settings(max_examples=100)
SLOW = settings(max_examples=10 * settings.default.max_examples)

any_terms = st.one_of(cap_tables(), tier_scenarios(), nested_scenarios())
equity_only = st.one_of(cap_tables(), nested_scenarios())


def check_adds_up(doc: Doc, v: Fraction) -> None:
    sc = build(doc)
    r = sf.waterfall(sc, v, explain=False)
    assert sum(r.holders.values()) == v
    assert all(x >= 0 for x in r.holders.values()), r.holders
    for eid, flow in r.entities.items():
        if isinstance(flow, EquityFlow):
            assert sum(flow.classes.values()) == flow.proceeds, eid
            assert all(x >= 0 for x in flow.classes.values())
            assert sum(a for _, _, a in flow.holdings) == flow.proceeds, eid
        else:
            assert isinstance(flow, TierFlow)
            assert sum(flow.totals.values()) == flow.proceeds, eid
            assert sum(x for t in flow.tiers for x in t.paid.values()) == flow.proceeds
            assert all(x >= 0 for t in flow.tiers for x in t.paid.values())


def check_monotone(doc: Doc, v: Fraction, dv: Fraction) -> None:
    sc = build(doc)
    low = sf.waterfall(sc, v, explain=False)
    high = sf.waterfall(sc, v + dv, explain=False)
    for h, x in low.holders.items():
        assert high.holders[h] >= x, (h, v, v + dv, x, high.holders[h])
    for eid, flow in low.entities.items():
        other = high.entities[eid]
        if isinstance(flow, EquityFlow):
            assert isinstance(other, EquityFlow)
            for cid, x in flow.classes.items():
                assert other.classes[cid] >= x, (eid, cid, v, v + dv)


def check_scaling(doc: Doc, v: Fraction, k: Fraction) -> None:
    base = sf.waterfall(build(doc), v, explain=False)
    scaled = sf.waterfall(build(scale_doc(doc, k)), v * k, explain=False)
    assert scaled.holders == {h: x * k for h, x in base.holders.items()}
    for eid, flow in base.entities.items():
        if isinstance(flow, EquityFlow):
            other = scaled.entities[eid]
            assert isinstance(other, EquityFlow)
            assert other.converted == flow.converted
            assert other.classes == {c: x * k for c, x in flow.classes.items()}


def check_equilibrium(doc: Doc, v: Fraction) -> None:
    sc = build(doc)
    r = sf.waterfall(sc, v, explain=False)
    for eid, flow in r.entities.items():
        if not isinstance(flow, EquityFlow):
            continue
        claims = claims_of(sc.entity(eid))
        conv = frozenset(flow.converted)
        base = split(eid, claims, flow.proceeds, conv)
        assert base.amounts == flow.classes
        for c in claims:
            if c.kind != "preferred" or (c.participating and c.cap is None):
                assert c.id not in conv  # only convertible classes may convert
                continue
            alt = split(eid, claims, flow.proceeds, conv ^ {c.id}).amounts[c.id]
            if c.id in conv:
                assert base.amounts[c.id] > alt, (eid, c.id, "converted without gaining")
            else:
                assert alt <= base.amounts[c.id], (eid, c.id, "would gain by converting")
        for c in claims:
            if c.strike is not None:
                want = c.shares * max(base.price_per_share - c.strike, Fraction(0))
                assert flow.classes[c.id] == want
                assert (flow.classes[c.id] > 0) == (c.shares > 0 and base.price_per_share > c.strike)


def check_ledger(doc: Doc, v: Fraction) -> None:
    sc = build(doc)
    r = sf.waterfall(sc, v, explain=True)
    received = sum(s.amount for s in r.steps if s.kind == "received" and s.amount is not None)
    assert received == v
    for eid, flow in r.entities.items():
        recorded = [s.amount for s in r.steps if s.entity == eid and s.kind == "proceeds"]
        assert recorded == [flow.proceeds]
        passed = sum(
            (s.amount for s in r.steps if s.kind == "pass_through" and s.claimant == eid and s.amount is not None),
            Fraction(0),
        )
        if eid == r.entity:
            assert (flow.proceeds, passed) == (v, 0)
        else:
            assert passed == flow.proceeds, eid


scales = st.sampled_from([Fraction(2), Fraction(1, 3), Fraction(7, 5), Fraction(1000), Fraction(1, 10**6)])


# --- default run ----------------------------------------------------------------------------
@FAST
@given(doc=any_terms, data=st.data())
def test_adds_up_exactly_and_none_negative(doc: Doc, data: st.DataObject) -> None:
    check_adds_up(doc, data.draw(exit_values(doc)))


@FAST
@given(doc=any_terms, data=st.data())
def test_no_payout_decreases_when_proceeds_rise(doc: Doc, data: st.DataObject) -> None:
    check_monotone(doc, data.draw(exit_values(doc)), data.draw(exit_values(doc)))


@FAST
@given(doc=any_terms, data=st.data(), k=scales)
def test_scaling_every_amount_scales_every_payout(doc: Doc, data: st.DataObject, k: Fraction) -> None:
    check_scaling(doc, data.draw(exit_values(doc)), k)


@FAST
@given(doc=equity_only, data=st.data())
def test_conversion_outcome_is_an_equilibrium(doc: Doc, data: st.DataObject) -> None:
    check_equilibrium(doc, data.draw(exit_values(doc)))


@FAST
@given(doc=any_terms, data=st.data())
def test_ledger_traces_every_dollar(doc: Doc, data: st.DataObject) -> None:
    check_ledger(doc, data.draw(exit_values(doc)))


# --- heavier versions (CI) ------------------------------------------------------------------
@pytest.mark.slow
@SLOW
@given(doc=any_terms, data=st.data())
def test_adds_up_exactly_and_none_negative_many(doc: Doc, data: st.DataObject) -> None:
    check_adds_up(doc, data.draw(exit_values(doc)))


@pytest.mark.slow
@SLOW
@given(doc=any_terms, data=st.data())
def test_no_payout_decreases_when_proceeds_rise_many(doc: Doc, data: st.DataObject) -> None:
    check_monotone(doc, data.draw(exit_values(doc)), data.draw(exit_values(doc)))


@pytest.mark.slow
@SLOW
@given(doc=any_terms, data=st.data(), k=scales)
def test_scaling_every_amount_scales_every_payout_many(doc: Doc, data: st.DataObject, k: Fraction) -> None:
    check_scaling(doc, data.draw(exit_values(doc)), k)


@pytest.mark.slow
@SLOW
@given(doc=equity_only, data=st.data())
def test_conversion_outcome_is_an_equilibrium_many(doc: Doc, data: st.DataObject) -> None:
    check_equilibrium(doc, data.draw(exit_values(doc)))
