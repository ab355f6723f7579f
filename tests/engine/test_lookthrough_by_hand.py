"""Look-through across entities (SPEC §2), worked by hand.

company (equity) pays a fund vehicle (tier program) and a holding company ``sub`` (equity);
the vehicle pays ``sub`` too, so ``sub`` receives from two parents: its proceeds are the sum
of what both pay it, distributed once through its own classes. A nonprofit with neither
classes nor tiers keeps what it receives (a terminal claimant).
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

import stakeflow as sf
from stakeflow.engine import EquityFlow, TierFlow, reachable, resolve_entity
from stakeflow.scenario.errors import InputError

M = 10**6

NESTED = """
stakeflow: 1
holders: [{id: founders}, {id: lp}, {id: gp}, {id: alice}, {id: bob}, {id: bystander}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: series_a, kind: preferred, price_per_share: 5}
    holdings:
      - {holder: founders, class: common, shares: 5M}
      - {holder: sub, class: common, shares: 4M}
      - {holder: vehicle, class: series_a, shares: 1M}
  - id: vehicle
    legal_form: lp
    distribution:
      - {name: return of capital, shares: {lp: 1}, caps: {lp: 5M}}
      - {name: carry, shares: {lp: 80%, gp: 10%, sub: 5%, charity: 5%}}
  - id: sub
    classes: [{id: common, kind: common}]
    holdings:
      - {holder: alice, class: common, shares: 1M}
      - {holder: bob, class: common, shares: 3M}
  - id: charity
    legal_form: nonprofit
  - id: unrelated
    classes: [{id: common, kind: common}]
    holdings: [{holder: bystander, class: common, shares: 1}]
exit: {entity: company}
"""


def test_low_exit_preference_passes_through_the_vehicle() -> None:
    # $20M: series A (1M at $5) would get 1/10 converted, $2M < $5M: keeps its preference.
    # Residual $15M over 9M common: P = 5/3. sub gets 4M·5/3; vehicle's $5M is all capital.
    r = sf.waterfall(sf.loads(NESTED), 20 * M)
    p = F(5, 3)
    sub = 4 * M * p
    assert r.holders == {
        "founders": 5 * M * p,
        "lp": 5 * M,
        "gp": 0,
        "charity": 0,
        "alice": sub / 4,
        "bob": sub * 3 / 4,
    }


def test_an_entity_with_two_parents_aggregates_before_distributing() -> None:
    # $100M: series A converts (P = 10 > 5). vehicle gets $10M: lp $5M capital, then $5M of
    # carry: lp 80%, gp 10%, sub 5%, charity 5%. sub: 4M·10 from company + 0.25M from vehicle.
    r = sf.waterfall(sf.loads(NESTED), 100 * M, explain=True)
    sub = 40 * M + F(M, 4)
    assert r.holders == {
        "founders": 50 * M,
        "lp": 9 * M,
        "gp": F(M, 2),
        "charity": F(M, 4),
        "alice": sub / 4,
        "bob": sub * 3 / 4,
    }
    flow = r.entities["sub"]
    assert isinstance(flow, EquityFlow) and flow.proceeds == sub
    # One distribution for sub, after both parents: its proceeds step appears once.
    assert [s.amount for s in r.steps if s.entity == "sub" and s.kind == "proceeds"] == [sub]
    passes = sorted((s.entity, s.amount) for s in r.steps if s.kind == "pass_through" and s.claimant == "sub")
    assert passes == [("company", 40 * M), ("vehicle", F(M, 4))]
    assert sum(s.amount for s in r.steps if s.kind == "received" and s.amount) == 100 * M


def test_holders_are_the_terminal_claimants_reachable_from_the_entity() -> None:
    sc = sf.loads(NESTED)
    r = sf.waterfall(sc, 0)
    # Zero amounts included; a holder of an entity the money never reaches is not listed.
    assert set(r.holders) == {"founders", "lp", "gp", "charity", "alice", "bob"}
    assert all(v == 0 for v in r.holders.values())
    assert list(r.entities) == ["company", "vehicle", "sub"]
    assert isinstance(r.entities["vehicle"], TierFlow)
    order, terminals = reachable(sc, sc.entity("company"))
    assert [e.id for e in order] == ["company", "vehicle", "sub"]
    assert "bystander" not in terminals
    # From another entity, only what it reaches.
    assert sf.waterfall(sc, 10, entity="unrelated").holders == {"bystander": 10}


def test_default_entity_rules() -> None:
    # SPEC §7: --entity defaults to exit.entity, else the single root, else an error.
    sc = sf.loads(NESTED)
    assert resolve_entity(sc).id == "company"
    without_exit = sf.loads(NESTED.replace("exit: {entity: company}\n", ""))
    with pytest.raises(InputError) as exc:
        resolve_entity(without_exit)
    assert str(exc.value) == "several root entities (company, unrelated); choose one with --entity"
    single = sf.loads(NESTED.replace("exit: {entity: company}\n", "").split("  - id: unrelated")[0])
    assert resolve_entity(single).id == "company"
    with pytest.raises(InputError) as exc:
        resolve_entity(sc, "nowhere")
    assert str(exc.value) == "unknown entity 'nowhere' (entities: charity, company, sub, unrelated, vehicle)"
    with pytest.raises(InputError) as exc:
        resolve_entity(sc, "charity")
    assert str(exc.value) == (
        "entity 'charity' has no classes or distribution (valid: company, sub, unrelated, vehicle)"
    )
