"""Hostile input (SPEC §8): the examples, mutated as a careless or hostile user would, never get a
traceback, a line that is not an ``error:`` line, a message without the file's name, or a hang.

Each mutated file runs through the real command line (in process) with one of the commands that
read a scenario. The command must either succeed (status 0) or exit with status 2 and print only
``error:`` lines on stderr, each naming the file, and nothing on stdout. A few examples run in the
fast suite; the many-example run is marked ``slow``. Every run counts the inputs it tried in
``TRIED`` (printed at the end of the slow run, with ``-s``).
"""

from __future__ import annotations

import re
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stakeflow.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.yaml"))
SECONDS = 60
"""No single command may take longer than this on a mutated example (a hang, not a slow run:
the examples take well under a second each)."""

TRIED = [0]

_NUMBER = re.compile(r"(?<![\w.])-?\d[\d_,.]*(?:[eE][+-]?\d+)?[kKmMbBtT%x]?(?![\w.])")
_ID = re.compile(r"\b(holder|class|entity|claimant|payer|payee|overflow|id|appointee|to): *([a-z][a-z0-9_]*)")

REPLACEMENTS = ["-1", "0", "1e400", "1e309", "-1e400", "1e-400", "lots", '"[/x]"', ":100:", "1" + "0" * 400,
                "null", "[]", "{}", "1e30", "0.000000000000000000000000000001", "1e6"]
UNICODE = ['"\\ud800"', '"[/x]"', '"x:thumbs_up:y"', '"\\x00"', "é", "名前", '"\\u202e"', "[bold]x[/bold]"]
COMMANDS = [
    ["validate"],
    ["waterfall", "--json"],
    ["waterfall"],
    ["explain"],
    ["breakpoints", "--json"],
    ["control", "--json"],
    ["value", "--method", "opm", "--equity-value", "50M", "--volatility", "0.6", "--term", "3", "--rate", "4%",
     "--json"],
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """(example name, mutated text): a few of the mutations a user's file goes through."""
    path = draw(st.sampled_from(EXAMPLES))
    text = path.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "number", "id", "unicode", "bom", "crlf",
                                     "truncate", "tab"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        j = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "delete" and lines:
            del lines[i]
        elif kind == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif kind == "swap" and lines:
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "number":
            lines = _replace_one(lines, _NUMBER, draw(st.sampled_from(REPLACEMENTS)), draw)
        elif kind == "id":
            lines = _replace_one(lines, _ID, draw(st.sampled_from(["ghost", "x_y", "[/x]", "a:100:"])), draw, group=2)
        elif kind == "unicode" and lines:
            lines[i] = _replace_value(lines[i], draw(st.sampled_from(UNICODE)))
        elif kind == "tab" and lines:
            lines[i] = lines[i].replace("  ", "\t", 1)
        text = "\n".join(lines)
        if kind == "bom":
            text = "\ufeff" + text
        elif kind == "crlf":
            text = text.replace("\n", "\r\n")
        elif kind == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
    return path.stem, text


def _replace_one(lines: list[str], pattern: re.Pattern[str], new: str, draw: st.DrawFn, group: int = 0) -> list[str]:
    spots = [(n, m) for n, line in enumerate(lines) if not line.lstrip().startswith("#")
             for m in pattern.finditer(line)]
    if not spots:
        return lines
    n, m = draw(st.sampled_from(spots))
    start, end = m.span(group)
    return [*lines[:n], lines[n][:start] + new + lines[n][end:], *lines[n + 1:]]


def _replace_value(line: str, new: str) -> str:
    head, sep, _ = line.partition(": ")
    return f"{head}: {new}" if sep else line + new


class _Hang(Exception):
    pass


@contextmanager
def time_bound(seconds: int) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise _Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check(tmp: Path, name: str, text: str, command: list[str]) -> None:
    path = tmp / f"{name}.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    args = [command[0], str(path), *command[1:]]
    TRIED[0] += 1
    with time_bound(SECONDS):
        result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {type(result.exception).__name__}: {result.exception}\n{text}")
    assert result.exit_code in (0, 2), (args, result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert result.stdout == "", args
        lines = result.stderr.splitlines()
        assert lines, args
        for line in lines:
            assert line.startswith("error: "), (args, line)
            assert str(path) in line, (args, line)  # every problem here is one of the file


def fuzz_settings(examples: int) -> settings:
    """A fixed sequence of inputs (the same on every run), with no deadline: the time bound is
    :func:`time_bound`'s."""
    return settings(max_examples=examples, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _run(tmp_path_factory: pytest.TempPathFactory, examples: int) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")

    @fuzz_settings(examples)
    @given(mutated(), st.sampled_from(COMMANDS))
    def one(case: tuple[str, str], command: list[str]) -> None:
        check(tmp, *case, command)

    one()


# A few inputs in the fast suite, many in the slow one.
SIZES = [40, pytest.param(10_000, marks=pytest.mark.slow, id="many")]
OCF_SIZES = [15, pytest.param(500, marks=pytest.mark.slow, id="many")]


@pytest.mark.parametrize("examples", SIZES)
def test_mutated_examples_get_a_result_or_error_lines(tmp_path_factory: pytest.TempPathFactory, examples: int) -> None:
    before = TRIED[0]
    _run(tmp_path_factory, examples)
    print(f"\nmutated scenario files tried: {TRIED[0] - before}")


OCF_SAMPLES = ROOT.parent / "shared" / "ocf-samples" / "v1.2.0"
OCF_PARTS = ["Stakeholders.ocf.json", "StockClasses.ocf.json", "StockPlans.ocf.json", "Transactions.ocf.json"]
OCF_VALUES: list[object] = ["-1", "0", "1e400", "1" + "0" * 5000, "lots", None, [], {}, "[/x]", "\ud800", 1e308]


@st.composite
def mutated_package(draw: st.DrawFn) -> dict[str, str]:
    """The OCF sample package with a few of its objects' fields changed, objects dropped or given twice."""
    import json

    parts = {name: json.loads((OCF_SAMPLES / name).read_text(encoding="utf-8")) for name in OCF_PARTS}
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(OCF_PARTS))
        items = parts[name]["items"]
        if not items:
            continue
        i = draw(st.integers(0, len(items) - 1))
        kind = draw(st.sampled_from(["field", "drop", "twice"]))
        if kind == "drop":
            del items[i]
        elif kind == "twice":
            items.insert(i, items[i])
        else:
            key = draw(st.sampled_from(sorted(items[i])))
            items[i][key] = draw(st.sampled_from(OCF_VALUES))
    return {name: json.dumps(doc, ensure_ascii=False) for name, doc in parts.items()}


def _run_ocf(tmp_path_factory: pytest.TempPathFactory, examples: int) -> None:
    tmp = tmp_path_factory.mktemp("ocf-fuzz")

    @fuzz_settings(examples)
    @given(mutated_package())
    def one(parts: dict[str, str]) -> None:
        folder = tmp / f"pkg{TRIED[0]}"
        shutil.copytree(OCF_SAMPLES, folder)
        for name, text in parts.items():
            (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        TRIED[0] += 1
        with time_bound(SECONDS):
            result = CliRunner().invoke(app, ["import-ocf", str(folder), "-o", str(tmp / "out.yaml")])
        shutil.rmtree(folder)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{type(result.exception).__name__}: {result.exception}")
        assert result.exit_code in (0, 2), result.stderr
        lines = result.stderr.splitlines()
        assert all(line.startswith(("error: ", "warning: ", "note: ", "wrote ")) for line in lines), result.stderr
        if result.exit_code == 2:
            assert any(line.startswith("error: ") for line in lines)
            assert all(str(folder) in line for line in lines if line.startswith("error: ")), result.stderr

    one()


@pytest.mark.parametrize("examples", OCF_SIZES)
def test_mutated_ocf_packages_get_a_scenario_or_error_lines(tmp_path_factory: pytest.TempPathFactory,
                                                           examples: int) -> None:
    before = TRIED[0]
    _run_ocf(tmp_path_factory, examples)
    print(f"\nmutated OCF packages tried: {TRIED[0] - before}")
