"""``stakeflow value``: SPEC §7's JSON, the human tables, and exit status 2 with a message on bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app
from stakeflow.valuation import _messages as M
from stakeflow.valuation.opm import value_opm

ROOT = Path(__file__).resolve().parents[2]
SEED = str(ROOT / "examples" / "seed.yaml")
OPM = ["value", SEED, "--method", "opm", "--equity-value", "12M", "--volatility", "60%", "--term", "3", "--rate", "4%"]
MC = ["value", SEED, "--method", "montecarlo", "--equity-value", "12M", "--volatility", "0.6", "--term", "3",
      "--rate", "0.04"]


def run(args: list[str]) -> tuple[int, str, str]:
    res = CliRunner().invoke(app, args)
    return res.exit_code, res.stdout, res.stderr


def test_opm_json_is_spec_shape() -> None:
    code, out, _ = run([*OPM, "--json"])
    assert code == 0
    doc = json.loads(out)
    assert list(doc)[:5] == ["entity", "method", "equity_value", "holders", "classes"]
    assert doc["entity"] == "company" and doc["method"] == "opm" and doc["equity_value"] == 12e6
    want = value_opm(sf.load(SEED), 12e6, 0.6, 3, 0.04)
    assert doc["holders"] == want.holders and doc["classes"] == want.classes
    # The same numbers whatever the spelling of the inputs (SPEC §1).
    code, out2, _ = run(["value", SEED, "--equity-value", "12_000_000", "--volatility", "0.6", "--term", "3",
                         "--rate", "0.04", "--json"])
    assert code == 0 and json.loads(out2)["holders"] == doc["holders"]


def test_opm_tables() -> None:
    code, out, _ = run([*OPM, "--dlom", "finnerty"])
    assert code == 0
    for text in ("value by holder", "value by class", "Founders (two, combined)", "options_2024",
                 "Finnerty (2012) average-strike put", "after DLOM"):
        assert text in out


def test_backsolve_json() -> None:
    code, out, _ = run(["value", SEED, "--backsolve", "seed", "--price", "1.00", "--volatility", "60%",
                        "--term", "3", "--rate", "4%", "--json"])
    assert code == 0
    doc = json.loads(out)
    assert doc["classes"]["seed"] == pytest.approx(1.0, rel=1e-10)
    assert doc["backsolve"] == {"class": "seed", "price": 1.0}
    assert sum(doc["holders"].values()) == pytest.approx(doc["equity_value"], rel=1e-12)


def test_montecarlo_json_has_standard_errors_and_ignores_chunking() -> None:
    code, out, _ = run([*MC, "--paths", "200k", "--seed", "5", "--json"])
    assert code == 0
    doc = json.loads(out)
    assert set(doc["standard_errors"]) == set(doc["holders"])
    code, out2, _ = run([*MC, "--paths", "200k", "--seed", "5", "--chunk-size", "65536", "--json"])
    assert json.loads(out2)["holders"] == doc["holders"]


def test_pwerm_json(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("scenarios:\n  - {name: sale, probability: 1, exit_value: 50M, years: 0, discount_rate: 0}\n")
    code, out, _ = run(["value", SEED, "--method", "pwerm", "--scenarios", str(spec), "--json"])
    assert code == 0
    doc = json.loads(out)
    # At a certain $50M exit today the values are the waterfall's (examples/seed.yaml header).
    exact = sf.waterfall(sf.load(SEED), "50M").holders
    assert doc["holders"] == pytest.approx({k: float(v) for k, v in exact.items()}, rel=1e-12)


@pytest.mark.parametrize(("args", "message"), [
    ([*OPM[:7], "-20%", *OPM[8:]], M.NOT_POSITIVE.format(name="volatility", value="-20%")),
    ([*OPM[:7], "60", *OPM[8:]], M.VOLATILITY_TOO_HIGH.format(value="60", percent=6000)),
    ([*OPM[:5], "abc", *OPM[6:]], "equity value 'abc':"),
    (OPM[:8], "--method opm needs --term T"),
    ([*OPM, "--paths", "1000"], "--paths does not apply to --method opm"),
    ([*OPM, "--method", "binomial"], M.UNKNOWN_METHOD.format(method="binomial", valid="opm, montecarlo, pwerm")),
    ([*OPM, "--dlom", "longstaff"], M.UNKNOWN_DLOM.format(name="longstaff")),
    ([*OPM, "--backsolve", "seed", "--price", "1"], "give --equity-value or --backsolve CLASS --price P, not both"),
    (["value", SEED, "--backsolve", "series_z", "--price", "1", "--volatility", "60%", "--term", "3", "--rate", "4%"],
     M.UNKNOWN_CLASS.format(cls="series_z", entity="company", known="common, options_2024, seed")),
    (["value", SEED, "--backsolve", "seed", "--price", "-1", "--volatility", "60%", "--term", "3", "--rate", "4%"],
     M.PRICE_NOT_POSITIVE.format(price="-1", cls="seed")),
    (["value", SEED, "--backsolve", "seed", "--price", "1e400", "--volatility", "60%", "--term", "3", "--rate", "4%"],
     M.BAD_NUMBER.format(name="price", value="1e400",
                         detail="'1e400' is out of range: numbers must lie between 1e-30 and 1e30 in size")),
    (["value", SEED, "--backsolve", "seed", "--volatility", "60%", "--term", "3", "--rate", "4%"],
     "--backsolve seed needs --price P (the price per share of seed)"),
    ([*MC, "--paths", "0"], "--paths must be a positive whole number, got 0"),
    ([*MC, "--workers", "0"], "--workers must be a positive whole number, got 0"),
    (["value", SEED, "--method", "pwerm"], "--method pwerm needs --scenarios FILE"),
])
def test_bad_input_exits_2_with_the_message(args: list[str], message: str) -> None:
    code, out, err = run(args)
    assert code == 2, (code, out, err)
    assert out == ""
    assert err.startswith("error: ")
    assert message in err.replace("\n", " ") or re.sub(r"\s+", " ", message) in re.sub(r"\s+", " ", err)


def test_bad_scenarios_file_exits_2(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("scenarios:\n  - {name: a, probability: 60%, exit_value: 5M, years: 1, discount_rate: 20%}\n"
                    "  - {name: b, probability: 30%, exit_value: 9M, years: 2, discount_rate: 20%}\n")
    code, out, err = run(["value", SEED, "--method", "pwerm", "--scenarios", str(spec)])
    assert code == 2 and out == ""
    assert err.strip() == f"error: {spec}:1: " + M.SCENARIOS_PROBABILITY_SUM.format(total="0.9")


def test_progress_bar_goes_to_stderr_and_json_stays_clean() -> None:
    code, out, err = run([*MC, "--paths", "140000", "--seed", "2", "--progress", "--json"])
    assert code == 0
    assert json.loads(out)["inputs"]["paths"] == 140_000
    assert "{" not in err


def test_progress_bar_is_the_one_every_command_draws() -> None:
    # Asked for on a stderr that is not a terminal (here, captured), the bar is drawn anyway and left
    # in place, as compare, sweep and run draw theirs: one stage, "simulating", up to every path.
    code, _, err = run([*MC, "--paths", "140000", "--seed", "2", "--progress", "--json"])
    assert code == 0
    last = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", err).replace("\r", "\n").strip().splitlines()[-1]
    assert re.fullmatch(r"simulating ━+ 140000/140000 \d+:\d\d:\d\d", last.strip()), last
    code, _, err = run([*MC, "--paths", "140000", "--seed", "2", "--no-progress", "--json"])
    assert code == 0 and err == ""


NOTE = """\
stakeflow: 1
name: A company with a plain note (repaid, never converted)
currency: USD
holders:
  - id: founders
  - id: lender
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: loan, kind: note, principal: 1M}
    holdings:
      - {holder: founders, class: common, shares: 1M}
      - {holder: lender, class: loan, shares: 1M}
"""


def test_unattainable_price_exits_2(tmp_path: Path) -> None:
    # A note with neither cap nor discount is only ever repaid: its payout is capped at the
    # $1M principal, so its OPM value stays below e^{−rT}·$1M = $0.8869 per unit of weight.
    path = tmp_path / "note.yaml"
    path.write_text(NOTE)
    args = ["value", str(path), "--backsolve", "loan", "--volatility", "60%", "--term", "3", "--rate", "4%"]
    code, out, err = run([*args, "--price", "0.9"])
    assert code == 2 and out == ""
    assert err.strip() == "error: " + M.PRICE_UNATTAINABLE.format(cls="loan", price="0.9", bound="0.88692")
    code, out, _ = run([*args, "--price", "0.8", "--json"])
    assert code == 0 and json.loads(out)["classes"]["loan"] == pytest.approx(0.8, rel=1e-10)
