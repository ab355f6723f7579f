"""The paths and seed of structures valued side by side: read once, with the messages of the
command line (analysis/values.py)."""

from __future__ import annotations

import pytest

from stakeflow.analysis.values import COMPARE_PATHS, compare_paths
from stakeflow.io.flags import error_lines
from stakeflow.scenario.errors import InputError


def test_compare_paths_default_and_spellings() -> None:
    assert compare_paths(None) == COMPARE_PATHS
    assert compare_paths(None, 5_000) == 5_000
    assert compare_paths("2") == 2 and compare_paths("1M") == 1_000_000
    # No most: unlike value --paths (bounded by --max-paths), a large count is the caller's to ask.
    assert compare_paths("1e12") == 10**12


@pytest.mark.parametrize("bad", ["1", "0", "-3", "1.5", "x"])
def test_compare_paths_refuses_fewer_than_two_on_the_command_line(bad: str) -> None:
    with pytest.raises(InputError) as exc:
        compare_paths(bad)
    assert error_lines(exc.value) == [f"error: --paths must be a whole number of at least 2, got {bad}"]


def test_the_library_takes_a_single_path() -> None:
    assert compare_paths("1", least=1) == 1
    with pytest.raises(InputError, match=r"^paths must be a whole number of at least 1, got 0$"):
        compare_paths(0, least=1)
