"""The ``stakeflow`` entry point: usage mistakes are bad input like any other (SPEC §8: ``error:``
lines on stderr, exit status 2, nothing on stdout), and running one command loads only its module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stakeflow.cli import main

CASE = str(Path(__file__).resolve().parents[1] / "cases" / "gust_participating.yaml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        main(list(args))
    out, err = capsys.readouterr()
    return int(ended.value.code or 0), out, err


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["waterfall", CASE, "--exitt", "10M"],
         "error: No such option: --exitt (Possible options: --entity, --exit, --exits)"),
        (["waterfal"], "error: No such command 'waterfal'. Did you mean 'waterfall'?"),
        (["waterfall"], "error: Missing argument 'file'."),
        (["waterfall", CASE, "--exit"], "error: Option '--exit' requires an argument."),
    ],
)
def test_usage_mistakes_are_error_lines_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                                   first_line: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == first_line
    assert all(line.startswith("error: ") for line in lines)
    assert "Traceback" not in err


def test_no_arguments_and_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0 and "waterfall" in out and "control" in out
    code, out, _ = run(capsys, "waterfall", "--help")
    assert code == 0 and "--exits" in out


def test_a_command_runs_through_main(capsys: pytest.CaptureFixture[str]) -> None:
    # Gust docs: $2M for 30% at 1x participating, exit $10M: investor $2M + 30% of $8M = $4.4M.
    code, out, _ = run(capsys, "waterfall", CASE, "--exit", "10M", "--json")
    assert code == 0 and '"investor": 4400000.0' in out


def test_one_command_does_not_load_the_others() -> None:
    code = (
        "import sys; from stakeflow.cli import main\n"
        f"try:\n    main(['waterfall', {CASE!r}, '--exit', '10M', '--json'])\nexcept SystemExit:\n    pass\n"
        "print('\\nLOADED', sorted(m for m in sys.modules if m.startswith('stakeflow.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = out.split("LOADED", 1)[1]
    assert "stakeflow.cli.waterfall" in loaded
    for other in ("stakeflow.cli.run", "stakeflow.cli.value", "stakeflow.cli.ocf", "stakeflow.cli.serve"):
        assert other not in loaded


def test_every_bad_exit_value_is_reported_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "waterfall", CASE, "--exits", "10M,abc,-5,20M")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: exit value 'abc': 'abc' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)",
        "error: exit value '-5': must not be negative",
    ]
