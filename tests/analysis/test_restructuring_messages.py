"""The messages of compare, solve, sensitivity and run name parameters as the Python API spells
them (``mapping``, ``scale``, ``move``, ...), and the command line says the same messages with its
flags (``--map``, ``--scale``, ``--move``, ...): one family at a time, a library call and the
command that reaches the same check, the command's stderr written out in full."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis import _restructuring_messages as M
from stakeflow.analysis.compare import parse_mapping
from stakeflow.analysis.restructuring import fair_stake_targets
from stakeflow.analysis.sensitivity import dask_client, parse_scales, parse_shift
from stakeflow.cli import app
from stakeflow.io.flags import error_lines
from stakeflow.valuation.errors import Param, ParameterError

ROOT = Path(__file__).resolve().parents[2]
BEFORE_FILE = str(ROOT / "examples" / "openai" / "capped_profit_2025.yaml")
AFTER_FILE = str(ROOT / "examples" / "openai" / "pbc_2025.yaml")
BEFORE, AFTER = sf.load(BEFORE_FILE), sf.load(AFTER_FILE)
MS = "entities[openai_group].holdings[microsoft].shares"
BEFORE_PARTIES = "coreweave, microsoft, openai_global, openai_gp, openai_nonprofit, other_investors"
AFTER_PARTIES = "coreweave, employees_and_investors, microsoft, openai_foundation, openai_group"
PROJECTION_KEYS = "entity, start, horizon, revenue, margin, discount_rate, terminal, events"
MOVE = ("must be after (a field of AFTER, matching the party's value in BEFORE) or before (a field of BEFORE, "
        "matching its value in AFTER), got 'sideways'")
MOVE_BEFORE = "the field moves in BEFORE and the party's value in AFTER is the target"
BASIS = "must be total (everything the party receives) or structure (without contracts), got 'all'"
SCALES = "write positive revenue scale factors separated by commas, e.g. 0.5,1,2"
SHIFT = "write NAME or PATH=LOW:HIGH (e.g. projection.discount_rate=10%:20%)"
SOLVE = ["solve", AFTER_FILE, "--party", "microsoft", "--paths", "10"]
SENSITIVITY = ["sensitivity", BEFORE_FILE, AFTER_FILE, "--paths", "10"]


def target(**options: Any) -> Callable[[], object]:
    return lambda: sf.solve_field(AFTER, MS, "microsoft", paths=10, seed=0, **options)


def scale(fields: str) -> Callable[[], object]:
    return lambda: sf.solve_scale(AFTER, fields, "microsoft", target=1e9, paths=10, seed=0)


def request(**fields: Any) -> Callable[[], object]:
    return lambda: sf.SolveRequest("microsoft", **fields)


# (library call, what it says, a command reaching the same check, what the command says)
CASES = [
    pytest.param(lambda: sf.compare(BEFORE, AFTER, {"ghost": "x"}, paths=10),
                 f"mapping 'ghost=x': 'ghost' is not a party of BEFORE (its parties: {BEFORE_PARTIES})",
                 ["compare", BEFORE_FILE, AFTER_FILE, "--map", "ghost=x", "--paths", "10"],
                 f"--map 'ghost=x': 'ghost' is not a party of BEFORE (its parties: {BEFORE_PARTIES})",
                 id="compare-map-before"),
    pytest.param(lambda: sf.compare(BEFORE, AFTER, {"openai_nonprofit": "ghost"}, paths=10),
                 f"mapping 'openai_nonprofit=ghost': 'ghost' is not a party of AFTER (its parties: {AFTER_PARTIES})",
                 ["compare", BEFORE_FILE, AFTER_FILE, "--map", "openai_nonprofit=ghost", "--paths", "10"],
                 f"--map 'openai_nonprofit=ghost': 'ghost' is not a party of AFTER (its parties: {AFTER_PARTIES})",
                 id="compare-map-after"),
    pytest.param(lambda: sf.analyze_restructuring(BEFORE, AFTER, mapping={"ghost": "x"}),
                 f"mapping 'ghost=x': 'ghost' is not a party of BEFORE (its parties: {BEFORE_PARTIES})",
                 ["run", BEFORE_FILE, AFTER_FILE, "--map", "ghost=x"],
                 f"--map 'ghost=x': 'ghost' is not a party of BEFORE (its parties: {BEFORE_PARTIES})",
                 id="run-map"),
    pytest.param(lambda: parse_mapping(["openai_nonprofit"]),
                 "mapping 'openai_nonprofit': write old_id=new_id (e.g. mapping openai_nonprofit=openai_foundation)",
                 ["compare", BEFORE_FILE, AFTER_FILE, "--map", "openai_nonprofit"],
                 "--map 'openai_nonprofit': write old_id=new_id (e.g. --map openai_nonprofit=openai_foundation)",
                 id="map-item"),
    pytest.param(target(), "give exactly one of before or target", [*SOLVE, "--field", MS],
                 "give exactly one of --equals-value-in FILE or --equals AMOUNT", id="solve-field-target"),
    pytest.param(request(field=MS), "give exactly one of before or equals", [*SOLVE, "--field", MS],
                 "give exactly one of --equals-value-in FILE or --equals AMOUNT", id="request-target"),
    pytest.param(request(equals="1B"), "give exactly one of field or scale", [*SOLVE, "--equals", "1B"],
                 "give exactly one of --field PATH or --scale caps|PATH,PATH,...", id="field-or-scale"),
    pytest.param(target(target=1e9, move="sideways"), f"move {MOVE}",
                 [*SOLVE, "--field", MS, "--equals", "1B", "--move", "sideways"], f"--move {MOVE}", id="move"),
    pytest.param(request(field=MS, equals="1B", move="before"), f"move before needs before: {MOVE_BEFORE}",
                 [*SOLVE, "--field", MS, "--equals", "1B", "--move", "before"],
                 f"--move before needs --equals-value-in BEFORE: {MOVE_BEFORE}", id="move-needs-before"),
    pytest.param(request(field=MS, equals="1B", basis="all"), f"basis {BASIS}",
                 [*SOLVE, "--field", MS, "--equals", "1B", "--basis", "all"], f"--basis {BASIS}", id="solve-basis"),
    pytest.param(lambda: fair_stake_targets(BEFORE, AFTER, {}, basis="all"),  # type: ignore[arg-type]
                 f"basis {BASIS}", [*SENSITIVITY, "--basis", "all"], f"--basis {BASIS}", id="sensitivity-basis"),
    pytest.param(lambda: sf.solve(AFTER, sf.SolveRequest("microsoft", field=MS, equals="-5"), paths=10),
                 "equals '-5': must not be negative", [*SOLVE, "--field", MS, "--equals", "-5"],
                 "--equals '-5': must not be negative", id="equals-negative"),
    pytest.param(lambda: sf.solve(AFTER, sf.SolveRequest("microsoft", field=MS, equals="1e400"), paths=10),
                 "equals '1e400': '1e400' is out of range: numbers must lie between 1e-30 and 1e30 in size",
                 [*SOLVE, "--field", MS, "--equals", "1e400"],
                 "--equals '1e400': '1e400' is out of range: numbers must lie between 1e-30 and 1e30 in size",
                 id="equals-out-of-range"),
    pytest.param(scale("x,"), "scale 'x,': write caps or field paths separated by commas (e.g. scale caps)",
                 [*SOLVE, "--scale", "x,", "--equals", "1B"],
                 "--scale 'x,': write caps or field paths separated by commas (e.g. --scale caps)", id="scale-empty"),
    pytest.param(scale("caps"), "scale caps: AFTER has no tier caps to scale",
                 [*SOLVE, "--scale", "caps", "--equals", "1B"], "--scale caps: AFTER has no tier caps to scale",
                 id="scale-no-caps"),
    pytest.param(scale("projection.nope"),
                 f"scale: AFTER: projection.nope: not set in this scenario (keys here: {PROJECTION_KEYS})",
                 [*SOLVE, "--scale", "projection.nope", "--equals", "1B"],
                 f"--scale: AFTER: projection.nope: not set in this scenario (keys here: {PROJECTION_KEYS})",
                 id="scale-field"),
    pytest.param(scale("projection.entity"),
                 "scale: AFTER: projection.entity: is text ('openai_group'), not a number or a schedule of numbers",
                 [*SOLVE, "--scale", "projection.entity", "--equals", "1B"],
                 "--scale: AFTER: projection.entity: is text ('openai_group'), not a number or a schedule of numbers",
                 id="scale-not-a-number"),
    pytest.param(scale("projection.margin,projection.margin"),
                 "scale: projection.margin names the same field as projection.margin; give each field once",
                 [*SOLVE, "--scale", "projection.margin,projection.margin", "--equals", "1B"],
                 "--scale: projection.margin names the same field as projection.margin; give each field once",
                 id="scale-twice"),
    pytest.param(lambda: parse_scales("0,1"), f"scales '0,1': {SCALES}", [*SENSITIVITY, "--scales", "0,1"],
                 f"--scales '0,1': {SCALES}", id="scales"),
    pytest.param(lambda: parse_shift("a=1"), f"shift 'a=1': {SHIFT}", [*SENSITIVITY, "--shift", "a=1"],
                 f"--shift 'a=1': {SHIFT}", id="shift"),
    pytest.param(lambda: fair_stake_targets(BEFORE, AFTER, {}, field=MS),
                 "field needs party (whose value the field should make whole)", [*SENSITIVITY, "--field", MS],
                 "--field needs --party (whose value the field should make whole)", id="field-needs-party"),
    pytest.param(lambda: dask_client(True, "tcp://127.0.0.1:1"), "give dask or scheduler, not both",
                 [*SENSITIVITY, "--dask", "--scheduler", "tcp://127.0.0.1:1"],
                 "give --dask or --scheduler ADDRESS, not both", id="dask-sensitivity"),
    pytest.param(lambda: dask_client(True, "tcp://127.0.0.1:1"), "give dask or scheduler, not both",
                 ["run", BEFORE_FILE, AFTER_FILE, "--dask", "--scheduler", "tcp://127.0.0.1:1"],
                 "give --dask or --scheduler ADDRESS, not both", id="dask-run"),
]


@pytest.mark.parametrize(("call", "said", "args", "line"), CASES)
def test_the_library_names_keywords_and_the_command_line_flags(call: Callable[[], object], said: str,
                                                               args: list[str], line: str) -> None:
    with pytest.raises(ParameterError) as err:
        call()
    assert str(err.value) == said and "--" not in said
    assert error_lines(err.value) == [f"error: {line}"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr == f"error: {line}\n"


def test_no_message_spells_a_flag() -> None:
    # Flags are the command line's (stakeflow.io.flags); a message names a parameter by a placeholder.
    templates = {k: v for k, v in vars(M).items() if k.isupper() and isinstance(v, str)}
    assert templates and not [k for k, v in templates.items() if "--" in v]
    assert all(isinstance(v, Param) for k, v in vars(M).items() if k.isupper() and not isinstance(v, str))


@pytest.mark.parametrize("scales", [[1, 0], []])
def test_revenue_scales_a_python_caller_gives_are_checked_before_any_valuation(scales: list[float]) -> None:
    # A zero factor divided by zero once everything else had run; none left the report's chart empty.
    # The command line's --scales is read (and refused) by parse_scales first.
    stages: list[str] = []
    with pytest.raises(ParameterError) as err:
        sf.analyze_restructuring(BEFORE, AFTER, scales=scales, paths=10,
                                 progress=lambda stage, done, total: stages.append(stage))
    assert stages == []
    assert str(err.value) == f"scales must be one or more positive revenue scale factors, got {scales}"
    assert error_lines(err.value) == [f"error: --scales must be one or more positive revenue scale factors, got "
                                      f"{scales}"]
