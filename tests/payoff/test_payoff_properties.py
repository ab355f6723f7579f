"""Payoff curves of generated structures against the exact engine (the reference).

Hypothesis draws cap tables (preferred series with seniority, multiples, participation, caps,
conversion ratios and cumulative dividends; options and warrants with strikes; post- and
pre-money SAFEs and convertible notes with interest; several holders per class), tier
programs (caps, overflow, limits) and look-through (a fund vehicle holding a series, an equity
company under a tier program). For each curve:

* at every breakpoint, every midpoint and beyond the last, ``value_at`` equals the engine
  exactly and ``evaluate`` within 1e-9 relative (SPEC §5: exact and complete);
* completeness: at rationals drawn inside every interval, the engine equals the straight line
  between the two breakpoints (so no kink was missed);
* minimality: at every breakpoint after 0 some holder's slope changes;
* the same for the classes' totals and their own breakpoints.

The default run draws a few structures of each kind; the ``slow`` tests draw many more.
"""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stakeflow as sf
from stakeflow.engine import EquityFlow, reference_waterfall
from stakeflow.payoff import PayoffCurve

PRICES = ["0.05", "0.10", "0.25", "0.50", "1.00", "1.37", "2.00", "3.125", "5.00", "10.00"]
MULTIPLES = ["1", "1", "1", "1.5", "2", "3"]
CAPS = ["2", "2.5", "3", "4"]
RATIOS = ["1", "1", "1", "2", "0.5", "1.25"]


@st.composite
def equity_entity(draw: st.DrawFn, eid: str, holders: list[str], max_preferred: int) -> dict[str, Any]:
    classes: list[dict[str, Any]] = [{"id": "common", "kind": "common"}]
    holdings: list[dict[str, Any]] = []

    def hold(cls: str) -> None:
        owners = draw(st.lists(st.sampled_from(holders), min_size=1, max_size=2, unique=True))
        for who in owners:
            holdings.append({"holder": who, "class": cls, "shares": draw(st.integers(1, 40)) * 100_000})

    hold("common")
    for i in range(draw(st.integers(0, 2))):
        cid = f"option_{i}"
        classes.append({"id": cid, "kind": draw(st.sampled_from(["option", "warrant"])),
                        "strike": draw(st.sampled_from(PRICES))})
        hold(cid)
    for i in range(draw(st.integers(1, max_preferred))):
        cid = f"series_{i}"
        c: dict[str, Any] = {"id": cid, "kind": "preferred", "seniority": draw(st.integers(0, 3)),
                             "liquidation_preference_multiple": draw(st.sampled_from(MULTIPLES)),
                             "conversion_ratio": draw(st.sampled_from(RATIOS))}
        if draw(st.booleans()):
            c["price_per_share"] = draw(st.sampled_from(PRICES))
        else:
            c["invested"] = f"{draw(st.integers(1, 60)) * 250}k"
        if draw(st.booleans()):
            c["participating"] = True
            cap = draw(st.none() | st.sampled_from(CAPS))
            if cap is not None:
                c["participation_cap_multiple"] = cap
        if draw(st.integers(0, 4)) == 0:
            c["dividend_rate"] = draw(st.sampled_from(["6%", "8%"]))
            c["dividend"] = draw(st.sampled_from(["simple", "compound"]))
            c["dividend_start"] = "2022-03-01"
        classes.append(c)
        hold(cid)
    if draw(st.integers(0, 2)) == 0:
        # The cap a whole multiple (2x-40x) of the purchase amount, so that the SAFE converts
        # into less than the whole company (a larger one is a load error, tested elsewhere).
        invested = draw(st.integers(1, 20)) * 100_000
        safe: dict[str, Any] = {"id": "safe", "kind": "safe", "invested": invested,
                                "valuation_cap": invested * draw(st.integers(2, 40)),
                                "basis": draw(st.sampled_from(["post_money", "pre_money"]))}
        classes.append(safe)
        hold("safe")
    if draw(st.integers(0, 2)) == 0:
        note: dict[str, Any] = {"id": "note", "kind": "note", "principal": f"{draw(st.integers(1, 30)) * 100}k",
                                "interest_rate": "8%", "issue_date": "2023-01-15"}
        if draw(st.booleans()):
            note["valuation_cap"] = f"{draw(st.integers(2, 40))}M"
        classes.append(note)
        hold("note")
    return {"id": eid, "classes": classes, "holdings": holdings}


@st.composite
def tier_program(draw: st.DrawFn, eid: str, claimants: list[str]) -> dict[str, Any]:
    tiers: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 3))):
        who = draw(st.lists(st.sampled_from(claimants), min_size=1, max_size=3, unique=True))
        tier: dict[str, Any] = {"name": f"tier {i + 1}",
                                "shares": {k: draw(st.integers(1, 9)) for k in who}}
        capped = draw(st.lists(st.sampled_from(who), max_size=len(who), unique=True))
        tier["caps"] = {k: f"{draw(st.integers(1, 80))}M" for k in capped}
        if draw(st.booleans()):
            tier["overflow"] = draw(st.sampled_from(claimants))
        if not set(capped) - {tier.get("overflow")} or draw(st.booleans()):
            tier["limit"] = f"{draw(st.integers(1, 120))}M"
        tiers.append(tier)
    last = draw(st.lists(st.sampled_from(claimants), min_size=1, max_size=3, unique=True))
    tiers.append({"name": "residual", "shares": {k: draw(st.integers(1, 9)) for k in last}})
    return {"id": eid, "distribution": tiers}


@st.composite
def structures(draw: st.DrawFn, max_preferred: int = 3) -> sf.Scenario:
    holders = [f"h{i}" for i in range(draw(st.integers(2, 5)))]
    kind = draw(st.sampled_from(["equity", "equity_with_vehicle", "tiers", "tiers_over_equity"]))
    entities: list[dict[str, Any]] = []
    if kind.startswith("equity"):
        company = draw(equity_entity("company", holders, max_preferred))
        entities.append(company)
        if kind == "equity_with_vehicle":
            pref = [h for h in company["holdings"] if h["class"].startswith("series")]
            pref[0]["holder"] = "vehicle"
            entities.append(draw(tier_program("vehicle", ["lp", "gp", *holders[:1]])))
            holders += ["lp", "gp"]
        root = "company"
    else:
        claimants = list(holders)
        if kind == "tiers_over_equity":
            entities.append(draw(equity_entity("company", holders, max_preferred)))
            claimants.append("company")
        entities.insert(0, draw(tier_program("program", claimants)))
        root = "program"
    doc = {"stakeflow": 1, "name": f"generated {kind}", "as_of": "2025-06-30",
           "holders": [{"id": h} for h in holders],
           "entities": entities, "exit": {"entity": root}}
    return sf.loads(json.dumps(doc))


def _exact(sc: sf.Scenario, curve: PayoffCurve, v: Fraction) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    # The plain engine, not the compiled regimes the curve is made of.
    res = reference_waterfall(sc, v, curve.entity, explain=False)
    flow = res.entities[curve.entity]
    return res.holders, (flow.classes if isinstance(flow, EquityFlow) else {})


def check_against_engine(sc: sf.Scenario, interior: list[Fraction]) -> None:
    curve = sf.payoff_curve(sc)
    bp = curve.breakpoints
    assert bp[0] == 0 and all(a < b for a, b in pairwise(bp))
    last = max(bp[-1], curve.class_breakpoints[-1])
    beyond = [last + 1, 2 * last + Fraction(1, 3), 3 * curve.search_bound + 17]
    pts = [*bp, *((a + b) / 2 for a, b in pairwise(bp)), *beyond]
    # completeness: draws inside every interval (holder and class intervals)
    edges = sorted({*bp, *curve.class_breakpoints})
    pts += [a + (b - a) * t for a, b in pairwise(edges) for t in interior]
    cpts = [*curve.class_breakpoints, *((a + b) / 2 for a, b in pairwise(curve.class_breakpoints))]
    exact_holders = []
    for p in pts:
        holders, _ = _exact(sc, curve, p)
        assert curve.value_at(p) == holders, p
        exact_holders.append([float(holders[h]) for h in curve.holders])
    for p in cpts + beyond:
        _, classes = _exact(sc, curve, p)
        assert curve.class_value_at(p) == classes, p
    got = curve.evaluate(np.array([float(p) for p in pts]))
    want = np.array(exact_holders).reshape(len(pts), len(curve.holders))
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-6)
    # minimality: a breakpoint is where some slope changes
    for k in range(1, len(bp)):
        assert any(curve.slopes[h][k - 1] != curve.slopes[h][k] for h in curve.holders), bp[k]
    for k in range(1, len(curve.class_breakpoints)):
        assert any(curve.class_slopes[c][k - 1] != curve.class_slopes[c][k] for c in curve.classes)


interiors = st.lists(st.fractions(min_value=Fraction(1, 10**6), max_value=1 - Fraction(1, 10**6),
                                  max_denominator=10**7), min_size=1, max_size=2)


@settings(max_examples=12)
@given(sc=structures(max_preferred=2), interior=interiors)
def test_generated_structures_match_engine(sc: sf.Scenario, interior: list[Fraction]) -> None:
    check_against_engine(sc, interior)


@pytest.mark.slow
@settings(max_examples=250)
@given(sc=structures(max_preferred=4), interior=interiors)
def test_generated_structures_match_engine_many(sc: sf.Scenario, interior: list[Fraction]) -> None:
    check_against_engine(sc, interior)
