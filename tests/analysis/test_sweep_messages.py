"""A sweep's messages name its parameters as ``sf.sweep`` spells them (``grid``, ``method``,
``term``), and ``stakeflow sweep`` says the same messages with its flags (``--grid``, ``--method``,
``--term T``): each grid mistake through the library and through the command, stderr in full."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis import _sweep_messages as M
from stakeflow.cli import app
from stakeflow.io.flags import error_lines
from stakeflow.scenario.errors import InputError
from stakeflow.valuation.errors import Param, ParameterError

ROOT = Path(__file__).resolve().parents[2]
SEED_FILE = str(ROOT / "examples" / "seed.yaml")
SEED = sf.load(SEED_FILE)
MARKET: dict[str, Any] = {"equity_value": "12M", "volatility": "60%", "term": 3, "rate": "4%"}
FLAGS = ["--equity-value", "12M", "--volatility", "60%", "--term", "3", "--rate", "4%"]
FORM = "write NAME=LOW:HIGH:COUNT or NAME=V1,V2,... (e.g. volatility=30%:70%:5)"
RANGE = "a range is LOW:HIGH:COUNT (both ends included), e.g. 30%:70%:5"
NUMBERS = "(write e.g. 0.4, 40%, 25M; 1_000 in a list)"
OPTIONS = "equity_value, volatility, term, rate"
KEYS = "stakeflow, name, currency, as_of, holders, entities, exit"
KIND = "entities[company].classes[seed].kind"


def grid(*items: str) -> list[str]:
    return [a for item in items for a in ("--grid", item)]


# (the grid as Python gives it, the message after "grid" (after "--grid" on the command line), the
# command's --grid options)
CASES = [
    pytest.param({}, None, [], id="no-grid"),
    pytest.param(["volatility"], f" 'volatility': {FORM}", grid("volatility"), id="form"),
    pytest.param({"volatility": "30%:90%"}, f" volatility=30%:90%: {RANGE}", grid("volatility=30%:90%"),
                 id="range"),
    pytest.param({"volatility": "30%:x:5"}, f" volatility=30%:x:5: 'x' is not a number {NUMBERS}",
                 grid("volatility=30%:x:5"), id="number"),
    pytest.param({"term": [1, "two"]}, f" term=1,two: 'two' is not a number {NUMBERS}", grid("term=1,two"),
                 id="number-in-a-list"),
    pytest.param({"volatility": "30%:90%:1"}, " volatility=30%:90%:1: COUNT must be a whole number of at least 2, "
                 "got '1'", grid("volatility=30%:90%:1"), id="count"),
    pytest.param({"volatility": "0.3,,0.5"}, " volatility=0.3,,0.5: an empty value in the list",
                 grid("volatility=0.3,,0.5"), id="empty-value"),
    pytest.param(["term=1,2", "term=3"], " term is given twice: give each axis once", grid("term=1,2", "term=3"),
                 id="twice"),
    pytest.param({"volatilty": "1,2"}, f" volatilty: names neither a value option ({OPTIONS}) nor a field of the "
                 f"scenario (volatilty: not set in this scenario (keys here: {KEYS}))", grid("volatilty=1,2"),
                 id="nothing"),
    pytest.param({KIND: "1,2"}, f" {KIND}: an axis moves one number, and this field is not one ({KIND}: is not a "
                 "number (it is str))", grid(f"{KIND}=1,2"), id="not-a-number"),
    pytest.param({"volatility": "0.1:0.9:1001", "term": "1:5:1000"}, ": 1,001,000 points is more than 1,000,000 in "
                 "one sweep; use fewer values or split the grid", grid("volatility=0.1:0.9:1001", "term=1:5:1000"),
                 id="too-large"),
]


@pytest.mark.parametrize(("axes", "said", "options"), CASES)
def test_grid_mistakes_name_grid_in_the_library_and_the_flag_on_the_command_line(
        axes: Mapping[str, str] | Sequence[str], said: str | None, options: list[str]) -> None:
    with pytest.raises(ParameterError) as err:
        sf.sweep(SEED, "opm", axes, **MARKET)
    if said is None:  # no axis at all
        assert str(err.value) == "a sweep needs at least one grid (e.g. grid volatility=30%:70%:5)"
        expected = "error: a sweep needs at least one --grid NAME=SPEC (e.g. --grid volatility=30%:70%:5)"
    else:
        assert str(err.value) == f"grid{said}"
        expected = f"error: --grid{said}"
    assert "--" not in str(err.value)
    assert error_lines(err.value) == [expected]
    out = CliRunner().invoke(app, ["sweep", SEED_FILE, *FLAGS, *options])
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr == expected + "\n"


@pytest.mark.parametrize(("call", "said", "args", "line"), [
    pytest.param({"method": "pwerm"}, "method 'pwerm': a sweep values by opm or montecarlo",
                 ["--method", "pwerm"], "--method 'pwerm': a sweep values by opm or montecarlo", id="method"),
    pytest.param({"term": None}, "method opm needs term (or a grid term=... axis)", [],
                 "--method opm needs --term T (or a --grid term=... axis)", id="needs"),
    pytest.param({"paths": 100}, "paths does not apply to method opm (it is for montecarlo)", ["--paths", "100"],
                 "--paths does not apply to --method opm (it is for montecarlo)", id="not-with-opm"),
])
def test_options_are_named_as_each_caller_spells_them(call: dict[str, Any], said: str, args: list[str],
                                                      line: str) -> None:
    options = {**MARKET, **call}
    method = options.pop("method", "opm")
    with pytest.raises(ParameterError) as err:
        sf.sweep(SEED, method, {"volatility": "1,2"}, **options)
    assert str(err.value) == said
    assert error_lines(err.value) == [f"error: {line}"]
    flags = [f for f in FLAGS if f not in ("--term", "3")] if call.get("term", 3) is None else FLAGS
    out = CliRunner().invoke(app, ["sweep", SEED_FILE, *flags, "--grid", "volatility=1,2", *args])
    assert out.exit_code == 2 and out.stderr == f"error: {line}\n"


def test_a_chart_of_three_axes_is_refused_in_each_callers_terms(tmp_path: Path) -> None:
    # The library's chart has no --plot or -o to speak of; the command line checks before any work.
    three = sf.sweep(SEED, "opm", {"volatility": "1,2", "term": "1,2", "rate": "1%,2%"}, equity_value="12M")
    with pytest.raises(InputError) as err:
        sf.sweep_figure(three)
    assert str(err.value) == ("a chart of a sweep draws one axis (lines) or two (a heatmap), and this sweep has 3: "
                              "use its table (to_frame()) instead")
    out = CliRunner().invoke(app, ["sweep", SEED_FILE, *FLAGS, *grid("volatility=1,2", "term=1,2", "rate=1%,2%"),
                                   "--plot", str(tmp_path / "x.html")])
    assert out.exit_code == 2 and out.stderr == (
        "error: --plot draws one axis (lines) or two (a heatmap), and this sweep has 3: write the table with -o "
        "instead\n")
    assert list(tmp_path.iterdir()) == []


def test_no_message_spells_a_flag() -> None:
    templates = {k: v for k, v in vars(M).items() if k.isupper() and isinstance(v, str)}
    assert templates and not [k for k, v in templates.items() if "--" in v]
    assert all(isinstance(v, Param) for k, v in vars(M).items() if k.isupper() and not isinstance(v, str))
