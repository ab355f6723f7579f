"""Each class kind is its own model (docs/internals.md): it reads and checks its own fields, says
what it means to the rest of the code, and has its own claim in the engine."""

from __future__ import annotations

import json
import typing
from fractions import Fraction
from typing import Any

import pytest

import stakeflow as sf
from stakeflow.engine import claims as C
from stakeflow.scenario import errors as E
from stakeflow.scenario import models as m
from stakeflow.scenario.errors import ScenarioError

# One valid class of each kind, with every term its kind takes beyond the required ones left out.
VALID: dict[str, dict[str, Any]] = {
    "common": {"id": "x", "kind": "common"},
    "preferred": {"id": "x", "kind": "preferred", "price_per_share": 2},
    "option": {"id": "x", "kind": "option", "strike": "0.5"},
    "warrant": {"id": "x", "kind": "warrant", "strike": 1},
    "pool": {"id": "x", "kind": "pool"},
    "safe": {"id": "x", "kind": "safe", "invested": "1M", "valuation_cap": "10M"},
    "note": {"id": "x", "kind": "note", "principal": "1M", "valuation_cap": "8M"},
}
# A value each key of a class accepts, to put it on a class of a kind that does not take it.
VALUE: dict[str, Any] = {
    "price_per_share": 1, "invested": 1, "liquidation_preference_multiple": 2, "seniority": 3,
    "participating": True, "participation_cap_multiple": 3, "conversion_ratio": 2, "votes_per_share": 1,
    "strike": 1, "valuation_cap": "5M", "discount": "20%", "basis": "pre_money", "principal": 1,
    "interest_rate": "5%", "interest": "simple", "issue_date": "2024-01-01", "maturity_date": "2026-01-01",
    "dividend_rate": "8%", "dividend": "simple", "dividend_start": "2024-01-01", "anti_dilution": "broad_based",
    "contingent": {"event": "ipo", "if_not": {"returnable": True}},
}


def text(cls: dict[str, Any]) -> str:
    """A scenario (JSON is YAML) with a common class and ``cls``, both held."""
    classes = [{"id": "common", "kind": "common"}, cls]
    return json.dumps({
        "stakeflow": 1, "as_of": "2025-06-30", "holders": [{"id": "a"}],
        "entities": [{"id": "co", "classes": classes,
                      "holdings": [{"holder": "a", "class": "common", "shares": 100},
                                   {"holder": "a", "class": cls["id"], "shares": 10}]}],
    })


def problems(cls: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        sf.loads(text(cls))
    return [p.message for p in exc.value.problems]


def read(cls: dict[str, Any]) -> m.StockClass:
    return sf.loads(text(cls)).entities[0].stock_class(cls["id"])


def test_every_kind_of_the_format_has_its_model_and_its_claim() -> None:
    assert set(m.CLASS_MODELS) == set(typing.get_args(m.ClassKind)) == set(VALID)
    for kind, model in m.CLASS_MODELS.items():
        assert model in C.claim.registry, kind
    taken = {f.alias or n for model in m.CLASS_MODELS.values() for n, f in model.model_fields.items()}
    assert set(m.CLASS_KEYS) == taken
    assert set(VALUE) == set(m.CLASS_KEYS) - {"id", "name", "kind"}


@pytest.mark.parametrize("kind", sorted(VALID))
def test_each_kind_reads_as_its_own_model(kind: str) -> None:
    c = read(VALID[kind])
    assert type(c) is m.CLASS_MODELS[kind] and c.kind == kind
    assert set(type(c).model_fields) < set(m.CLASS_KEYS)  # no kind takes every key


@pytest.mark.parametrize("kind", sorted(VALID))
def test_a_term_of_another_kind_is_named_as_not_applying(kind: str) -> None:
    own = {f.alias or n for n, f in m.CLASS_MODELS[kind].model_fields.items()}
    foreign = [k for k in VALUE if k not in own]
    assert foreign or kind == "preferred"
    for key in foreign:
        got = problems({**VALID[kind], key: VALUE[key]})
        assert got == [E.FIELD_NOT_FOR_KIND.format(field=key, kind=kind, id="x")], key


@pytest.mark.parametrize("kind", sorted(VALID))
def test_a_term_of_another_kind_given_as_null_says_nothing(kind: str) -> None:
    own = {f.alias or n for n, f in m.CLASS_MODELS[kind].model_fields.items()}
    for key in (k for k in VALUE if k not in own):
        assert read({**VALID[kind], key: None}).kind == kind


@pytest.mark.parametrize("kind", sorted(VALID))
def test_an_unknown_key_lists_every_class_key(kind: str) -> None:
    got = problems({**VALID[kind], "liquidation_multiple": 2})
    assert got == [E.UNKNOWN_KEY.format(key="liquidation_multiple", valid=", ".join(m.CLASS_KEYS))]


@pytest.mark.parametrize(("cls", "message"), [
    ({"id": "x", "kind": "preferred"}, E.PREFERRED_PRICE.format(id="x")),
    ({"id": "x", "kind": "preferred", "price_per_share": 1, "invested": 1}, E.PREFERRED_PRICE.format(id="x")),
    ({"id": "x", "kind": "preferred", "price_per_share": 1, "participation_cap_multiple": 2},
     E.CAP_NEEDS_PARTICIPATING.format(id="x")),
    ({"id": "x", "kind": "preferred", "price_per_share": 1, "conversion_ratio": 0}, E.CONVERSION_RATIO.format(id="x")),
    ({"id": "x", "kind": "preferred", "price_per_share": 1, "dividend_rate": "8%"}, E.DIVIDEND_START.format(id="x")),
    ({"id": "x", "kind": "preferred", "price_per_share": 1, "dividend": "simple"},
     E.DIVIDEND_RATE.format(field="dividend", id="x")),
    ({"id": "x", "kind": "option"}, E.STRIKE_REQUIRED.format(kind="option", id="x")),
    ({"id": "x", "kind": "warrant"}, E.STRIKE_REQUIRED.format(kind="warrant", id="x")),
    ({"id": "x", "kind": "safe", "valuation_cap": 1}, E.SAFE_INVESTED.format(id="x")),
    ({"id": "x", "kind": "safe", "invested": 1}, E.SAFE_TERMS.format(id="x")),
    ({"id": "x", "kind": "safe", "invested": 1, "discount": 1}, E.DISCOUNT_RANGE.format(id="x", value="100.00%")),
    ({"id": "x", "kind": "safe", "invested": 1, "valuation_cap": 0}, E.VALUATION_CAP.format(id="x")),
    ({"id": "x", "kind": "note"}, E.NOTE_PRINCIPAL.format(id="x")),
    ({"id": "x", "kind": "note", "principal": 1, "interest_rate": "5%"}, E.NOTE_ISSUE_DATE.format(id="x")),
    ({"id": "x", "kind": "note", "principal": 1, "issue_date": "2025-01-01", "maturity_date": "2024-01-01"},
     E.NOTE_MATURITY.format(id="x", maturity="2024-01-01", issue="2025-01-01")),
])
def test_each_kind_checks_its_own_terms(cls: dict[str, Any], message: str) -> None:
    assert problems(cls) == [message]


def test_problems_of_one_class_come_in_one_order_whatever_the_kind() -> None:
    # Other kinds' instrument terms, then the kind's own instrument checks, then share terms,
    # then the strike: as the format has always listed them.
    got = problems({"id": "x", "kind": "safe", "strike": 1, "dividend_rate": "8%", "price_per_share": 1})
    assert got == ["; ".join([
        E.FIELD_NOT_FOR_KIND.format(field="dividend_rate", kind="safe", id="x"),
        E.SAFE_INVESTED.format(id="x"), E.SAFE_TERMS.format(id="x"),
        E.FIELD_NOT_FOR_KIND.format(field="price_per_share", kind="safe", id="x"),
        E.FIELD_NOT_FOR_KIND.format(field="strike", kind="safe", id="x"),
    ])]


@pytest.mark.parametrize(("kind", "votes", "preferred_like", "stock"), [
    ("common", 1, False, True), ("preferred", 1, True, True), ("option", 0, False, False),
    ("warrant", 0, False, False), ("pool", 0, False, False), ("safe", 0, True, False), ("note", 0, True, False),
])
def test_what_each_kind_means(kind: str, votes: int, preferred_like: bool, stock: bool) -> None:
    c = read(VALID[kind])
    assert (c.votes, c.is_preferred_like, c.is_stock) == (votes, preferred_like, stock)
    assert read({**VALID[kind], "votes_per_share": 3}).votes == 3
    shares = Fraction(10)
    counted = {"common": shares, "preferred": shares, "option": shares, "warrant": shares}.get(kind, Fraction(0))
    assert c.capitalization_shares(shares) == counted
    if kind == "preferred":
        assert read({**VALID[kind], "conversion_ratio": 2}).capitalization_shares(shares) == 2 * shares


def test_each_kind_makes_its_own_claim() -> None:
    sc = sf.loads("""
stakeflow: 1
as_of: 2025-06-30
holders: [{id: a}]
entities:
  - id: co
    classes:
      - {id: common, kind: common}
      - {id: pref, kind: preferred, invested: 3M, participating: true, participation_cap_multiple: 2, seniority: 2}
      - {id: opt, kind: option, strike: 0.5}
      - {id: war, kind: warrant, strike: 2}
      - {id: pool, kind: pool}
      - {id: safe, kind: safe, invested: 1M, valuation_cap: 10M, basis: pre_money}
      - {id: note, kind: note, principal: 1M, liquidation_preference_multiple: 2}
    holdings:
      - {holder: a, class: common, shares: 6M}
      - {holder: a, class: pref, shares: 2M}
      - {holder: a, class: opt, shares: 1M}
      - {holder: a, class: war, shares: 1M}
      - {holder: a, class: pool, shares: 5M}
      - {holder: a, class: safe, shares: 1}
      - {holder: a, class: note, shares: 1}
""")
    ent = sc.entities[0]
    claims = {c.id: c for c in C.claims_of(ent, sc.as_of)}
    assert {k: c.kind for k, c in claims.items()} == {c.id: c.kind for c in ent.classes or ()}
    assert (claims["common"].as_converted, claims["common"].preference) == (6_000_000, 0)
    pref = claims["pref"]
    assert (pref.preference, pref.cap, pref.seniority, pref.participating) == (3_000_000, 6_000_000, 2, True)
    assert (claims["opt"].strike, claims["war"].strike) == (Fraction(1, 2), 2)
    assert (claims["pool"].shares, claims["pool"].as_converted) == (5_000_000, 0)
    # The pre-money SAFE converts against common, options, warrants and preferred (10M shares).
    assert claims["safe"].preference == 1_000_000 and claims["safe"].as_converted == 1_000_000
    # A note that states no seniority is debt: above the highest stated rank.
    assert (claims["note"].preference, claims["note"].seniority) == (2_000_000, 3)
    assert [c.is_preferred for c in claims.values()] == [False, True, False, False, False, True, True]


def test_a_kind_without_a_registered_claim_is_an_error_not_a_silent_zero() -> None:
    class Other(m.StockClass):
        kind: typing.Literal["other"]  # type: ignore[assignment]

    with pytest.raises(TypeError, match="no claim"):
        C.claim(Other(id="x", kind="other"), m.Entity(id="co"), None)
