"""Mistakes in an analysis plan are reported like a scenario file's: one located line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakeflow.analysis.restructuring import read_plan
from stakeflow.scenario.errors import InputError, ScenarioError


def test_every_problem_on_its_own_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("before: a.yaml\nafter: b.yaml\nseed: -x\nrevenue_scales: [1, two]\n")
    with pytest.raises(ScenarioError) as info:
        read_plan(plan)
    assert info.value.lines() == [
        f"error: {plan}:4: revenue_scales[1]: expected a number, got 'two'",
        f"error: {plan}:3: seed: expected a whole number, got '-x'",
    ]


def test_a_plan_that_is_not_text(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"before: \xff\n")
    with pytest.raises(InputError) as info:
        read_plan(plan)
    assert info.value.lines() == [f"error: {plan}: not a text file (UTF-8 expected)"]


def test_a_plan_that_is_a_list(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("- before: a.yaml\n")
    with pytest.raises(ScenarioError) as info:
        read_plan(plan)
    assert info.value.lines() == [f"error: {plan}:1: the file must be a mapping (key: value) at the top level"]
