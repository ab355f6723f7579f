"""Laws of terminal values read from YAML: every problem located as in a scenario file, by the
scenario reader (scenario/loader.parse_model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakeflow.scenario.errors import ScenarioError
from stakeflow.valuation.distributions import Discrete, Lognormal, read_distribution


def lines(path: Path, text: str) -> list[str]:
    path.write_text(text)
    with pytest.raises(ScenarioError) as exc:
        read_distribution(path, 2.0)
    return exc.value.lines()


def test_problems_of_a_law_are_located(tmp_path: Path) -> None:
    p = tmp_path / "law.yaml"
    assert lines(p, "distribution: discrete\nvalues: [1M, x]\nprobabilities: {a: 1}\n") == [
        f"error: {p}:2: values: 'x' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)",
        f"error: {p}:3: probabilities: expected a list, got a mapping",
    ]
    assert lines(p, "distribution: lognormal\nmedian: 1M\nvolatility: 50%\nspread: 2\n") == [
        f"error: {p}:4: spread: unknown key 'spread' (valid keys here: distribution, median, mean, volatility)",
    ]


def test_a_folder_is_not_a_law(tmp_path: Path) -> None:
    folder = tmp_path / "law.yaml"
    folder.mkdir()
    with pytest.raises(ScenarioError) as exc:
        read_distribution(folder, 1.0)
    assert exc.value.lines() == [f"error: {folder}: is a folder, not a file"]


def test_good_laws_read_as_their_kinds(tmp_path: Path) -> None:
    p = tmp_path / "law.yaml"
    p.write_text("distribution: discrete\nvalues: [2M, 10M]\n")
    assert read_distribution(p, 1.0) == Discrete((2e6, 10e6), (0.5, 0.5))
    p.write_text("distribution: lognormal\nmedian: 150M\nvolatility: 45%\n")
    assert read_distribution(p, 4.0) == Lognormal(150e6, 0.45, 4.0)
