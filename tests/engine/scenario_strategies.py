"""Hypothesis strategies for scenarios: cap tables, tier programs and nested entities.

A generated scenario is a plain document (the dict a YAML file would give, with exact
Fractions for numbers), so that a test can both validate it into a :class:`Scenario` and build
the same structure with every amount multiplied by ``k`` (:func:`scale_doc`).

The terms cover the class kinds of the format's section 3: any seniority (ties make pari passu
groups), preference multiples, participation with and without caps (caps below the preference
multiple included), conversion ratios other than 1, options and warrants with strikes, and
classes nobody holds. (SAFEs, notes and pools have their own tests, with the instruments.)
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from stakeflow import Scenario

Doc = dict[str, Any]

HOLDERS = ["founders", "angel", "fund_a", "fund_b", "staff", "lender"]

# Money fields: multiplied by k when every amount is scaled. Shares, weights, multiples and
# conversion ratios are pure numbers and stay as they are.
MONEY_CLASS_FIELDS = ("price_per_share", "invested", "strike")

_multiples = st.sampled_from([Fraction(1), Fraction(1), Fraction(3, 2), Fraction(2), Fraction(1, 2)])
_ratios = st.sampled_from([Fraction(1), Fraction(1), Fraction(2), Fraction(1, 2), Fraction(3, 2)])
_caps = st.sampled_from([Fraction(2), Fraction(3), Fraction(5, 2), Fraction(4), Fraction(3, 2)])
_prices = st.integers(1, 500).map(lambda c: Fraction(c, 100))  # $0.01 .. $5.00 per share
_shares = st.one_of(st.just(0), st.integers(1, 2_000_000)).map(Fraction)
_positive_shares = st.integers(1, 2_000_000).map(Fraction)


def _holdings(draw: Callable[..., Any], class_id: str, holders: list[str], allow_zero: bool) -> list[Doc]:
    who = draw(st.lists(st.sampled_from(holders), min_size=1, max_size=3, unique=True))
    out = []
    for h in who:
        shares = draw(_shares if allow_zero else _positive_shares)
        out.append({"holder": h, "class": class_id, "shares": shares})
    return out


@st.composite
def equity_entity(
    draw: Callable[..., Any],
    eid: str = "company",
    holders: list[str] | None = None,
    max_preferred: int = 4,
) -> Doc:
    """An equity entity: common, up to ``max_preferred`` preferred series, options, warrants."""
    holders = holders or HOLDERS
    classes: list[Doc] = [{"id": "common", "kind": "common"}]
    holdings = _holdings(draw, "common", holders, allow_zero=True)
    if draw(st.booleans()):
        classes.append({"id": "common_b", "kind": "common", "votes_per_share": 0})
        holdings += _holdings(draw, "common_b", holders, allow_zero=True)
    for i in range(draw(st.integers(0, max_preferred))):
        cid = f"series_{i}"
        c: Doc = {"id": cid, "kind": "preferred"}
        if draw(st.booleans()):
            c["price_per_share"] = draw(_prices)
        else:
            c["invested"] = draw(st.integers(1, 5_000_000).map(Fraction))
        lp = draw(_multiples)
        c["liquidation_preference_multiple"] = lp
        c["seniority"] = draw(st.integers(0, 3))
        c["conversion_ratio"] = draw(_ratios)
        if draw(st.booleans()):
            c["participating"] = True
            if draw(st.booleans()):
                c["participation_cap_multiple"] = draw(_caps)  # sometimes below the preference
        classes.append(c)
        # A class nobody holds happens (e.g. a series authorised but not issued).
        if draw(st.integers(0, 9)) > 0:
            holdings += _holdings(draw, cid, holders, allow_zero=False)
    for i in range(draw(st.integers(0, 2))):
        cid = f"grant_{i}"
        kind = draw(st.sampled_from(["option", "warrant"]))
        classes.append({"id": cid, "kind": kind, "strike": draw(st.integers(0, 800).map(lambda c: Fraction(c, 100)))})
        holdings += _holdings(draw, cid, holders, allow_zero=False)
    # At least one share of common stock somewhere, so that any proceeds can be absorbed.
    if not any(h["class"] == "common" and h["shares"] > 0 for h in holdings):
        holdings.append({"holder": holders[0], "class": "common", "shares": draw(_positive_shares)})
    return {"id": eid, "classes": classes, "holdings": holdings}


@st.composite
def tier_program(draw: Callable[..., Any], claimants: list[str], max_bounded: int = 3) -> list[Doc]:
    """Tiers with random weights, cumulative caps, overflow and limits, then a final tier that
    takes everything left (so that no money can be stranded)."""
    tiers: list[Doc] = []
    for i in range(draw(st.integers(0, max_bounded))):
        names = draw(st.lists(st.sampled_from(claimants), min_size=1, max_size=4, unique=True))
        shares = {k: Fraction(draw(st.integers(1, 100))) for k in names}
        if draw(st.booleans()):
            shares[names[0]] = shares[names[0]] / 100  # a percentage-style weight
        tier: Doc = {"name": f"tier {i}", "shares": shares}
        capped = draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True))
        if capped:
            tier["caps"] = {k: Fraction(draw(st.integers(1, 50_000_000))) for k in capped}
        if draw(st.booleans()):
            tier["overflow"] = draw(st.sampled_from(claimants))
        # A cap on the tier's own overflow claimant never ends the tier (SPEC §4), so a tier
        # whose only caps are on it needs a limit to be bounded.
        if not set(capped) - {tier.get("overflow")} or draw(st.booleans()):
            tier["limit"] = Fraction(draw(st.integers(0, 30_000_000)))
        tiers.append(tier)
    last = draw(st.lists(st.sampled_from(claimants), min_size=1, max_size=3, unique=True))
    tiers.append({"name": "residual", "shares": {k: Fraction(draw(st.integers(1, 10))) for k in last}})
    return tiers


def _scenario(entities: list[Doc], holders: list[str]) -> Doc:
    return {"stakeflow": 1, "holders": [{"id": h} for h in holders], "entities": entities}


@st.composite
def cap_tables(draw: Callable[..., Any]) -> Doc:
    """A single equity entity."""
    return _scenario([draw(equity_entity())], HOLDERS)


@st.composite
def tier_scenarios(draw: Callable[..., Any]) -> Doc:
    """A single tier program whose claimants are holders and a terminal entity."""
    claimants = ["fund_a", "fund_b", "staff", "charity"]
    ent = {"id": "program", "distribution": draw(tier_program(claimants))}
    return _scenario([ent, {"id": "charity", "legal_form": "nonprofit"}], ["fund_a", "fund_b", "staff"])


@st.composite
def nested_scenarios(draw: Callable[..., Any]) -> Doc:
    """company (equity) -> vehicle (tiers) and sub (equity); vehicle -> sub as well, so that
    ``sub`` receives from two parents; a terminal nonprofit may receive from the vehicle."""
    people = ["founders", "fund_a", "fund_b", "staff"]
    company = draw(equity_entity("company", [*people, "vehicle", "sub"], max_preferred=3))
    vehicle = {"id": "vehicle", "distribution": draw(tier_program(["fund_a", "staff", "sub", "charity"]))}
    sub = draw(equity_entity("sub", ["fund_b", "staff", "founders"], max_preferred=2))
    charity = {"id": "charity", "legal_form": "nonprofit"}
    return _scenario([company, vehicle, sub, charity], people) | {"exit": {"entity": "company"}}


def build(doc: Doc) -> Scenario:
    return Scenario.model_validate(doc)


def scale_doc(doc: Doc, k: Fraction) -> Doc:
    """The same structure with every amount of money multiplied by ``k``: prices, invested
    amounts, strikes, tier caps and limits (shares, weights, multiples and ratios unchanged)."""

    def ent(e: Doc) -> Doc:
        e = dict(e)
        if "classes" in e:
            e["classes"] = [
                {f: (v * k if f in MONEY_CLASS_FIELDS else v) for f, v in c.items()} for c in e["classes"]
            ]
        if "distribution" in e:
            tiers = []
            for t in e["distribution"]:
                t = dict(t)
                if "caps" in t:
                    t["caps"] = {c: v * k for c, v in t["caps"].items()}
                if "limit" in t:
                    t["limit"] = t["limit"] * k
                tiers.append(t)
            e["distribution"] = tiers
        return e

    return doc | {"entities": [ent(e) for e in doc["entities"]]}


def exit_values(doc: Doc) -> st.SearchStrategy[Fraction]:
    """Exit values spread over the interesting range: around the preferences and caps, and far
    above them."""
    scale = Fraction(1)
    for e in doc["entities"]:
        for c in e.get("classes", ()):
            if "invested" in c:
                scale += c["invested"] * c.get("liquidation_preference_multiple", 1)
        for t in e.get("distribution", ()):
            scale += sum(t.get("caps", {}).values(), Fraction(0)) + t.get("limit", 0)
    return st.one_of(
        st.integers(0, 400).map(lambda i: scale * Fraction(i, 40)),
        st.integers(0, 10**9).map(Fraction),
        st.fractions(min_value=0, max_value=10**8, max_denominator=1000),
    )
