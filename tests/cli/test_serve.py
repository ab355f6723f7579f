"""``stakeflow serve``'s options refused before anything starts (exit 2, one ``error:`` line)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from stakeflow.cli import app


@pytest.mark.parametrize(("args", "line"), [
    (["--max-paths", "0"], "error: --max-paths must be a positive whole number, got 0"),
    (["--max-paths", "-1"], "error: --max-paths must be a positive whole number, got -1"),
    (["--port", "0"], "error: --port must be between 1 and 65535, got 0"),
    (["--time-limit", "0"], "error: --time-limit must be a positive number of seconds, got 0"),
])
def test_bad_options_exit_2_before_serving(args: list[str], line: str) -> None:
    res = CliRunner().invoke(app, ["serve", *args])
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.splitlines() == [line]
