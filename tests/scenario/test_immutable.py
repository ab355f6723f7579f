"""A validated scenario cannot be changed (DESIGN habit 2): every model is frozen, every
sequence a tuple and every mapping read-only, at any depth. Changes are copies
(``model_copy(update=...)``) or a new validation."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

import stakeflow as sf
from stakeflow.scenario.fields import raw

TESTS = Path(__file__).resolve().parents[1]
EXAMPLES = TESTS.parent / "examples"
FILES = [*sorted(EXAMPLES.rglob("*.yaml")), TESTS / "io" / "instruments.yaml"]
SCENARIOS = [sf.load(f) for f in FILES]


def nodes(obj: Any, path: str = "sc") -> Iterator[tuple[str, Any]]:
    """Every model, sequence and mapping reachable from ``obj``, with its path."""
    if isinstance(obj, BaseModel):
        yield path, obj
        for name in type(obj).model_fields:
            yield from nodes(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, tuple | list):
        yield path, obj
        for i, x in enumerate(obj):
            yield from nodes(x, f"{path}[{i}]")
    elif isinstance(obj, Mapping | dict | set):
        yield path, obj
        for k, v in obj.items() if isinstance(obj, Mapping | dict) else ():
            yield from nodes(v, f"{path}[{k!r}]")


NODES = [(i, p, n) for i, sc in enumerate(SCENARIOS) for p, n in nodes(sc)]


def test_the_examples_reach_every_kind_of_container() -> None:
    kinds = {type(n).__name__ for _, _, n in NODES}
    assert {"Scenario", "Entity", "Holding", "Tier", "FrozenMap", "tuple"} <= kinds, kinds
    assert {"CommonClass", "PreferredClass", "SafeClass", "NoteClass", "PoolClass"} <= kinds, kinds


def test_no_mutable_container_is_left_in_a_scenario() -> None:
    mutable = [(FILES[i].name, p) for i, p, n in NODES if isinstance(n, list | dict | set)]
    assert mutable == []


def _attempts(node: Any, key: Any) -> list[tuple[str, Any]]:
    """Ways of changing ``node`` in place, each a (name, thunk)."""
    out: list[tuple[str, Any]] = [("setattr", lambda: setattr(node, "id", "changed"))]
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            out.append((f"setattr {name}", lambda name=name: setattr(node, name, getattr(node, name))))
        out.append(("delattr", lambda: delattr(node, next(iter(type(node).model_fields)))))
    if isinstance(node, tuple):
        out += [
            ("append", lambda: node.append(key)),  # type: ignore[attr-defined]
            ("setitem", lambda: node.__setitem__(0, key)),  # type: ignore[index]
            ("extend", lambda: node.extend([key])),  # type: ignore[attr-defined]
            ("delitem", lambda: node.__delitem__(0)),  # type: ignore[attr-defined]
        ]
    if isinstance(node, Mapping):
        existing = next(iter(node), key)
        out += [
            ("setitem new", lambda: node.__setitem__(key, Fraction(1))),  # type: ignore[index]
            ("setitem existing", lambda: node.__setitem__(existing, Fraction(1))),  # type: ignore[index]
            ("update", lambda: node.update({key: Fraction(1)})),  # type: ignore[attr-defined]
            ("pop", lambda: node.pop(existing)),  # type: ignore[attr-defined]
            ("delitem", lambda: node.__delitem__(existing)),  # type: ignore[attr-defined]
            ("clear", lambda: node.clear()),  # type: ignore[attr-defined]
        ]
    return out


@given(at=st.integers(0, len(NODES) - 1), which=st.integers(0, 40), key=st.text(min_size=1, max_size=5))
def test_any_attempted_mutation_raises_and_changes_nothing(at: int, which: int, key: str) -> None:
    i, path, node = NODES[at]
    sc = SCENARIOS[i]
    before = raw(sc)
    attempts = _attempts(node, key)
    name, attempt = attempts[which % len(attempts)]
    with pytest.raises((TypeError, AttributeError, ValueError)):
        attempt()
    assert raw(sc) == before, (FILES[i].name, path, name)


def test_the_issue_example_raises_and_the_waterfall_sees_the_file() -> None:
    sc = sf.load(EXAMPLES / "venture_stacked.yaml")
    ent = sc.entities[0]
    assert ent.holdings is not None
    before = sf.waterfall(sc, exit_value="50M").holders
    with pytest.raises(AttributeError):
        ent.holdings.append(ent.holdings[0])  # type: ignore[attr-defined]
    assert sf.waterfall(sc, exit_value="50M").holders == before


def test_a_changed_copy_is_made_by_model_copy_and_leaves_the_original() -> None:
    sc = sf.load(EXAMPLES / "venture_stacked.yaml")
    ent = sc.entities[0]
    assert ent.holdings is not None
    doubled = tuple(h.model_copy(update={"shares": h.shares * 2}) for h in ent.holdings)
    copy = sc.model_copy(update={"entities": (ent.model_copy(update={"holdings": doubled}), *sc.entities[1:])})
    assert copy.entities[0].class_shares(ent.holdings[0].class_) == 2 * ent.class_shares(ent.holdings[0].class_)
    assert sf.load(EXAMPLES / "venture_stacked.yaml").model_dump() == sc.model_dump()


def test_read_only_mappings_dump_as_plain_mappings() -> None:
    sc = next(s for s in SCENARIOS if any(e.distribution for e in s.entities))
    tier = next(e for e in sc.entities if e.distribution).distribution[0]  # type: ignore[index]
    dumped = tier.model_dump()
    assert type(dumped["shares"]) is dict and list(dumped["shares"]) == list(tier.shares)
    assert sf.Scenario.model_validate(raw(sc)) == sc
