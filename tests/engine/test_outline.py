"""``sf.outline``: the names, entities, default entity, exit and date the pages show."""

from __future__ import annotations

from pathlib import Path

import stakeflow as sf

CASES = Path(__file__).parents[1] / "cases"

TWO_ROOTS = """\
stakeflow: 1
holders:
  - {id: a, name: Alice}
  - {id: b}
entities:
  - id: first
    name: First Co
    classes: [{id: common, kind: common, name: Common stock}]
    holdings: [{holder: a, class: common, shares: 1}]
  - id: second
    classes: [{id: common2, kind: common}]
    holdings: [{holder: b, class: common2, shares: 1}]
"""


def test_nested_structure() -> None:
    o = sf.outline(sf.load(CASES / "nested_holdco.yaml"))
    assert o.entities == ("company", "vehicle")  # the vehicle is a holder of the company: the company is the root
    assert o.entity == "company"
    assert (o.exit, o.date, o.currency, o.name) == ("40000000", None, "USD", "Nested vehicle")
    assert o.classes == {"company": ["common", "series_a"]}
    assert o.names["fund_manager"] == "fund_manager"
    assert not o.has_projection
    doc = o.to_json()
    assert doc["entities"] == ["company", "vehicle"] and doc["exit"] == "40000000"


def test_two_roots_default_to_the_first() -> None:
    o = sf.outline(sf.loads(TWO_ROOTS))
    assert o.entities == ("first", "second")
    assert o.entity == "first"  # no single root and no exit.entity: the first root is shown
    assert o.exit is None
    assert o.names == {"a": "Alice", "b": "b", "first": "First Co", "second": "second",
                       "common": "Common stock", "common2": "common2"}
