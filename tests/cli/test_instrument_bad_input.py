"""Every new bad input gives its own message, exit status 2, no traceback and no output file.

Messages are matched against the constants they are written in (scenario/errors.py for the
format, analysis/_instrument_messages.py for the commands), or written out where the command line
words them itself (cli/_messages.py), with the field path and line where the reader gives them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stakeflow.analysis import _instrument_messages as M
from stakeflow.cli import app
from stakeflow.scenario import errors as E
from stakeflow.scenario.numbers import NumberError, parse_number

HEAD = """stakeflow: 1
{as_of}holders: [{{id: founders}}, {{id: inv}}]
entities:
  - id: company
    classes:
      - {{id: common, kind: common}}
      - {cls}
    holdings:
      - {{holder: founders, class: common, shares: 1M}}
      - {{holder: inv, class: x, shares: 100}}
"""


def number_error(text: str) -> str:
    """The reader's own message for a value that is not a number (scenario/numbers.py)."""
    try:
        parse_number(text)
    except NumberError as exc:
        return str(exc)
    raise AssertionError(text)


def run(args: list[str]) -> tuple[int, str, str]:
    res = CliRunner().invoke(app, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout, res.stderr


def check(tmp_path: Path, cls: str, message: str, as_of: bool = True) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(HEAD.format(cls=cls, as_of="as_of: 2025-01-01\n" if as_of else ""))
    code, out, err = run(["validate", str(f)])
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines)
    assert any(line.endswith(message) for line in lines), (err, message)
    assert "Traceback" not in err


CLASS_CASES = [
    ("{id: x, kind: note, principal: 1M, interest_rate: -5%, issue_date: 2024-01-01}",
     "entities[0].classes[1].interest_rate: " + E.NEGATIVE.format(value="-5%")),
    ("{id: x, kind: preferred, price_per_share: 1, dividend_rate: -1%, dividend_start: 2024-01-01}",
     "entities[0].classes[1].dividend_rate: " + E.NEGATIVE.format(value="-1%")),
    ("{id: x, kind: safe, invested: 1M}", E.SAFE_TERMS.format(id="x")),
    ("{id: x, kind: safe, valuation_cap: 5M}", E.SAFE_INVESTED.format(id="x")),
    ("{id: x, kind: note, valuation_cap: 5M}", E.NOTE_PRINCIPAL.format(id="x")),
    ("{id: x, kind: note, principal: 1M, interest_rate: 5%}", E.NOTE_ISSUE_DATE.format(id="x")),
    ("{id: x, kind: note, principal: 1M, issue_date: 2025-01-01, maturity_date: 2024-01-01}",
     E.NOTE_MATURITY.format(id="x", maturity="2024-01-01", issue="2025-01-01")),
    ("{id: x, kind: safe, invested: 1M, discount: 100%}", E.DISCOUNT_RANGE.format(id="x", value="100.00%")),
    ("{id: x, kind: safe, invested: 1M, valuation_cap: 0}", E.VALUATION_CAP.format(id="x")),
    ("{id: x, kind: pool, price_per_share: 1}",
     E.FIELD_NOT_FOR_KIND.format(field="price_per_share", kind="pool", id="x")),
    ("{id: x, kind: pool, strike: 1}", E.FIELD_NOT_FOR_KIND.format(field="strike", kind="pool", id="x")),
    ("{id: x, kind: preferred, price_per_share: 1, valuation_cap: 5M}",
     E.FIELD_NOT_FOR_KIND.format(field="valuation_cap", kind="preferred", id="x")),
    ("{id: x, kind: safe, invested: 1M, valuation_cap: 5M, conversion_ratio: 2}",
     E.FIELD_NOT_FOR_KIND.format(field="conversion_ratio", kind="safe", id="x")),
    ("{id: x, kind: safe, invested: 1M, valuation_cap: 5M, liquidation_preference_multiple: 2x}",
     E.FIELD_NOT_FOR_KIND.format(field="liquidation_preference_multiple", kind="safe", id="x")),
    ("{id: x, kind: safe, invested: 1M, valuation_cap: 5M, interest_rate: 5%}",
     E.FIELD_NOT_FOR_KIND.format(field="interest_rate", kind="safe", id="x")),
    ("{id: x, kind: common, dividend_rate: 8%}",
     E.FIELD_NOT_FOR_KIND.format(field="dividend_rate", kind="common", id="x")),
    ("{id: x, kind: option, strike: 1, anti_dilution: full_ratchet}",
     E.FIELD_NOT_FOR_KIND.format(field="anti_dilution", kind="option", id="x")),
    ("{id: x, kind: preferred, price_per_share: 1, dividend_rate: 8%}", E.DIVIDEND_START.format(id="x")),
    ("{id: x, kind: preferred, price_per_share: 1, dividend: compound}",
     E.DIVIDEND_RATE.format(field="dividend", id="x")),
    ("{id: x, kind: safe, invested: 1M, valuation_cap: 1M}",
     "entities[0]: " + E.SAFES_TOO_LARGE.format(id="company", total=1.0)),
    ("{id: x, kind: preferred, invested: 1M, contingent: {event: ipo, if_not: {}}}", E.CONTINGENT_IF_NOT),
    ("{id: x, kind: preferred, invested: 1M, contingent: {event: ipo, if_not: {returnable: true, invested: 1}}}",
     E.CONTINGENT_IF_NOT),
    ("{id: x, kind: common, contingent: {event: ipo, if_not: {returnable: true}}}",
     E.FIELD_NOT_FOR_KIND.format(field="contingent", kind="common", id="x")),
    ("{id: x, kind: safe, invested: 1M, valuation_cap: 5M, basis: pre}",
     "'pre' is not valid here; expected 'post_money' or 'pre_money'"),
]


@pytest.mark.parametrize(("cls", "message"), CLASS_CASES, ids=[m[:40] for _, m in CLASS_CASES])
def test_bad_class(tmp_path: Path, cls: str, message: str) -> None:
    check(tmp_path, cls, message)


def test_accrual_needs_a_date(tmp_path: Path) -> None:
    cls = "{id: x, kind: preferred, price_per_share: 1, dividend_rate: 8%, dividend_start: 2024-01-01}"
    check(tmp_path, cls, "entities[0].classes[1]: " + E.ACCRUAL_DATE.format(id="x", what="dividends"), as_of=False)
    cls = "{id: x, kind: note, principal: 1M, interest_rate: 5%, issue_date: 2024-01-01}"
    check(tmp_path, cls, E.ACCRUAL_DATE.format(id="x", what="interest"), as_of=False)


CONTINGENT = """stakeflow: 1
holders: [{id: founders}, {id: fund}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: a, kind: preferred, invested: 1M, contingent: {event: ipo, if_not: {returnable: true}}}
    holdings:
      - {holder: founders, class: common, shares: 1M}
      - {holder: fund, class: a, shares: 1M}
"""

EVENT_CASES = [
    (["waterfall", "{f}", "--exit", "5M", "--event", "merger=yes"], M.UNKNOWN_EVENT.format(name="merger", known="ipo")),
    (["waterfall", "{f}", "--exit", "5M", "--event", "ipo=maybe"], "--event 'ipo=maybe': write NAME=yes or NAME=no"),
    (["contingent", "{f}", "--exit", "5M", "--probability", "ipo=150%"],
     M.PROBABILITY_RANGE.format(name="ipo", value="150%")),
    (["contingent", "{f}", "--exit", "5M", "--probability", "ipo"],
     "--probability 'ipo': write NAME=P with P between 0 and 1 (e.g. restructuring=60%)"),
    (["contingent", "{f}", "--exit", "5M", "--probability", "merger=50%"],
     M.UNKNOWN_EVENT.format(name="merger", known="ipo")),
    (["contingent", "{f}", "--probability", "ipo=50%"],
     "give --exit VALUE (exact waterfalls) or --pwerm SCENARIOS.yaml, one of them"),
]


@pytest.mark.parametrize(("args", "message"), EVENT_CASES, ids=[m[:40] for _, m in EVENT_CASES])
def test_bad_event(tmp_path: Path, args: list[str], message: str) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(CONTINGENT)
    code, stdout, err = run([a.format(f=f) for a in args])
    assert code == 2 and stdout == ""
    assert err.strip().splitlines() == [f"error: {message}"]


def test_no_events(tmp_path: Path) -> None:
    yc = str(Path(__file__).resolve().parents[2] / "examples" / "yc_safe.yaml")
    code, _, err = run(["contingent", yc, "--exit", "5M", "--probability", "ipo=50%"])
    assert code == 2 and err.strip() == f"error: {M.NO_EVENTS}"
