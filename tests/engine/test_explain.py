"""``sf.explain``: the waterfall step by step at the exit asked for, else the file's (SPEC §7)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

import stakeflow as sf
from stakeflow.scenario.errors import NoExitValue, StructureError

CASES = Path(__file__).parents[1] / "cases"


@pytest.fixture(scope="module")
def nested() -> sf.Scenario:
    return sf.load(CASES / "nested_holdco.yaml")


def test_default_exit_is_the_files(nested: sf.Scenario) -> None:
    # nested_holdco.expect.json at 40M: the Series A converts (25% of 40M beats its 5M preference);
    # the vehicle recoups 6M for its investors and splits the other 4M 80/20.
    e = sf.explain(nested)
    assert e.result.exit_value == 40_000_000
    assert e.result.holders == {"founders": Fraction(30_000_000), "fund_investors": Fraction(9_200_000),
                                "fund_manager": Fraction(800_000)}
    assert e.adds_up
    assert {s.entity for s in e.steps} == {"company", "vehicle"}


def test_given_exit_wins(nested: sf.Scenario) -> None:
    e = sf.explain(nested, "10M")
    assert e.result.holders["founders"] == 5_000_000  # expect.json at 10M
    assert e.result.holders["fund_investors"] == 5_000_000


def test_to_json_is_the_waterfall_document_with_its_steps(nested: sf.Scenario) -> None:
    doc = sf.explain(nested, "40M").to_json()
    plain = sf.waterfall(nested, "40M").to_json()
    assert {k: v for k, v in doc.items() if k != "steps"} == plain
    assert doc["steps"] and all({"entity", "kind"} <= set(s) for s in doc["steps"])


def test_no_exit_anywhere_is_a_problem_of_the_scenario(nested: sf.Scenario) -> None:
    bare = nested.model_copy(update={"exit": None})
    with pytest.raises(NoExitValue) as info:
        sf.explain(bare)
    assert isinstance(info.value, StructureError)  # the command line names the file
    assert info.value.lines() == ["error: no exit value: give exit_value or set exit.value in the scenario"]


def test_exit_value_for(nested: sf.Scenario) -> None:
    assert sf.exit_value_for(nested) == nested.exit.value  # type: ignore[union-attr]
    assert sf.exit_value_for(nested, "7M") == "7M"
    assert sf.exit_value_for(nested, "  ") == nested.exit.value  # type: ignore[union-attr]


def test_exit_value_of_is_the_files_exit_only_for_its_entity(nested: sf.Scenario) -> None:
    # exit.entity is the company: its 40M are not the vehicle's proceeds.
    assert sf.exit_value_of(nested, "company") == nested.exit.value  # type: ignore[union-attr]
    assert sf.exit_value_of(nested, "vehicle") is None
    unnamed = nested.model_copy(update={"exit": nested.exit.model_copy(update={"entity": None})})  # type: ignore[union-attr]
    assert sf.exit_value_of(unnamed, "vehicle") == nested.exit.value  # type: ignore[union-attr]
    assert sf.exit_value_of(nested.model_copy(update={"exit": None}), "company") is None
