"""Validating a file (``sf.validate``, ``stakeflow validate``): a result with its own document, or
every problem of the file."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app
from stakeflow.scenario.errors import ScenarioError

ROOT = Path(__file__).resolve().parents[2]
SPEC_EXAMPLE = ROOT / "tests" / "cli" / "spec_example.yaml"
NESTED = ROOT / "tests" / "cases" / "nested_holdco.yaml"


def test_a_valid_file_is_summarised() -> None:
    res = sf.validate(NESTED)
    sc = sf.load(NESTED)
    assert isinstance(res, sf.Validation) and res.valid
    assert (res.file, res.name, res.holders) == (str(NESTED), sc.name, len(sc.holders))
    assert list(res.entities) == [e.id for e in sc.entities]
    assert set(res.entities.values()) <= {"equity", "tiers", "terminal"}
    assert list(res.to_json()) == ["file", "valid", "name", "holders", "entities"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.holders = 0  # type: ignore[misc]


def test_the_command_prints_the_results_document() -> None:
    out = CliRunner().invoke(app, ["validate", str(SPEC_EXAMPLE), "--json"])
    assert out.exit_code == 0
    assert json.loads(out.stdout) == sf.validate(SPEC_EXAMPLE).to_json()


def test_a_file_with_problems_raises_every_one(tmp_path: Path) -> None:
    bad = ROOT / "tests" / "bad" / "many_problems.yaml"
    with pytest.raises(ScenarioError) as exc:
        sf.validate(bad)
    with pytest.raises(ScenarioError) as direct:
        sf.load(bad)
    assert exc.value.lines() == direct.value.lines() and len(exc.value.lines()) > 1
    out = CliRunner().invoke(app, ["validate", str(bad)])
    assert out.exit_code == 2 and out.stderr.splitlines() == exc.value.lines()
