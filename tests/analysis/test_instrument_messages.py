"""The messages of priced rounds and contingent terms name parameters as ``sf.price_round`` and
``sf.scenarios_for`` spell them (``pre_money``, ``investments``, ``pool_target``, ``p_event``, ...),
and ``stakeflow round`` / ``contingent`` say the same messages with their flags (``--pre-money``,
``--invest``, ``--pool-target``, ``--probability``): a library call and the command reaching the
same check, the command's stderr in full, and no file written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis import _instrument_messages as M
from stakeflow.cli import app
from stakeflow.io.flags import error_lines
from stakeflow.valuation.errors import Param, ParameterError

ROOT = Path(__file__).resolve().parents[2]
YC_FILE = str(ROOT / "examples" / "yc_safe.yaml")
YC = sf.load(YC_FILE)
ROUND = ["round", YC_FILE, "--pre-money", "15M", "--invest", "lead=4M"]
NOT_A_NUMBER = "'lots' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% or 3x)"
ID = "must match [a-z][a-z0-9_]* (lower case letters, digits, underscores)"
POOL_KIND = ("'common' is a common class of entity 'company'; name a pool class (options reserved, not granted) or "
             "a new id")
EXISTS = "class 'common' already exists in entity 'company'"
METHODS = "none, broad_based, narrow_based, full_ratchet"
TWO_EVENTS = """stakeflow: 1
holders: [{id: founders}, {id: fund}, {id: fund2}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: a, kind: preferred, invested: 1M, contingent: {event: ipo, if_not: {returnable: true}}}
      - {id: b, kind: preferred, invested: 1M, contingent: {event: merger, if_not: {invested: 500k}}}
    holdings:
      - {holder: founders, class: common, shares: 1M}
      - {holder: fund, class: a, shares: 1M}
      - {holder: fund2, class: b, shares: 1M}
"""


def priced(pre_money: str = "15M", investments: dict[str, str] | None = None, **terms: Any) -> Callable[[], object]:
    return lambda: sf.price_round(YC, pre_money, {"lead": "4M"} if investments is None else investments, **terms)


# (library call, what it says, the command's options after ROUND's or in its place, what the command says)
CASES = [
    pytest.param(priced("0"), "pre_money: must be positive, got 0",
                 ["round", YC_FILE, "--pre-money", "0", "--invest", "lead=4M"], "--pre-money: must be positive, got 0",
                 id="pre-money"),
    pytest.param(priced("lots"), f"pre_money: {NOT_A_NUMBER}",
                 ["round", YC_FILE, "--pre-money", "lots", "--invest", "lead=4M"], f"--pre-money: {NOT_A_NUMBER}",
                 id="pre-money-number"),
    pytest.param(priced(investments={"lead": "-4M"}), "investments lead: must be positive, got -4M",
                 ["round", YC_FILE, "--pre-money", "15M", "--invest", "lead=-4M"],
                 "--invest lead: must be positive, got -4M", id="investment"),
    pytest.param(priced(investments={"lead": "lots"}), f"investments lead: {NOT_A_NUMBER}",
                 ["round", YC_FILE, "--pre-money", "15M", "--invest", "lead=lots"], f"--invest lead: {NOT_A_NUMBER}",
                 id="investment-number"),
    pytest.param(priced(investments={"Lead": "4M"}), f"investor 'Lead' {ID}",
                 ["round", YC_FILE, "--pre-money", "15M", "--invest", "Lead=4M"], f"investor 'Lead' {ID}",
                 id="investor-id"),
    pytest.param(priced(new_class="common"), f"{EXISTS}; give new_class a new id", [*ROUND, "--new-class", "common"],
                 f"{EXISTS}; give --new-class a new id", id="new-class-exists"),
    pytest.param(priced(new_class="Bad"), f"new_class 'Bad' {ID}", [*ROUND, "--new-class", "Bad"],
                 f"--new-class 'Bad' {ID}", id="new-class-id"),
    pytest.param(priced(pool_class="common"), f"pool_class {POOL_KIND}", [*ROUND, "--pool-class", "common"],
                 f"--pool-class {POOL_KIND}", id="pool-class-kind"),
    pytest.param(priced(pool_class="Bad"), f"pool_class 'Bad' {ID}", [*ROUND, "--pool-class", "Bad"],
                 f"--pool-class 'Bad' {ID}", id="pool-class-id"),
    pytest.param(priced(pool_target="10%"), "pool_target needs pool_class (the pool class to top up)",
                 [*ROUND, "--pool-target", "10%"], "--pool-target needs --pool-class (the pool class to top up)",
                 id="pool-target-needs-class"),
    pytest.param(priced(pool_class="pool", pool_target="100%"),
                 "pool_target must be at least 0% and below 100%, got 100%",
                 [*ROUND, "--pool-class", "pool", "--pool-target", "100%"],
                 "--pool-target must be at least 0% and below 100%, got 100%", id="pool-target-range"),
    pytest.param(priced(pool_class="pool", pool_target="lots"), f"pool_target: {NOT_A_NUMBER}",
                 [*ROUND, "--pool-class", "pool", "--pool-target", "lots"], f"--pool-target: {NOT_A_NUMBER}",
                 id="pool-target-number"),
    pytest.param(priced(price_decimals=13), "price_decimals must be a whole number from 0 to 12, got 13",
                 [*ROUND, "--price-decimals", "13"], "--price-decimals must be a whole number from 0 to 12, got 13",
                 id="price-decimals"),
    pytest.param(priced(conversion_price_decimals=-1),
                 "conversion_price_decimals must be a whole number from 0 to 12, got -1",
                 [*ROUND, "--conversion-price-decimals", "-1"],
                 "--conversion-price-decimals must be a whole number from 0 to 12, got -1",
                 id="conversion-price-decimals"),
    pytest.param(priced(anti_dilution="ratchet"), f"anti_dilution 'ratchet' is not one of {METHODS}",
                 [*ROUND, "--anti-dilution", "ratchet"], f"--anti-dilution 'ratchet' is not one of {METHODS}",
                 id="anti-dilution"),
]


@pytest.mark.parametrize(("call", "said", "args", "line"), CASES)
def test_the_library_names_keywords_and_stakeflow_round_its_flags(call: Callable[[], object], said: str,
                                                                  args: list[str], line: str, tmp_path: Path) -> None:
    with pytest.raises(ParameterError) as err:
        call()
    assert str(err.value) == said and "--" not in said
    assert error_lines(err.value) == [f"error: {line}"]
    out = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "after.yaml")])
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr == f"error: {line}\n"
    assert list(tmp_path.iterdir()) == []


def test_an_event_without_a_probability_names_p_event_and_on_the_command_line_probability(tmp_path: Path) -> None:
    f = tmp_path / "two.yaml"
    f.write_text(TWO_EVENTS)
    with pytest.raises(ParameterError) as err:
        sf.contingent_waterfall(sf.loads(TWO_EVENTS), "5M", {"ipo": "50%"})
    assert str(err.value) == "no probability given for event 'merger': p_event needs one for every event (ipo, merger)"
    out = CliRunner().invoke(app, ["contingent", str(f), "--exit", "5M", "--probability", "ipo=50%"])
    assert out.exit_code == 2 and out.stdout == ""
    # `contingent` has no --event: the probability is what is missing.
    assert out.stderr == ("error: no probability given for event 'merger': --probability needs one for every event "
                          "(ipo, merger)\n")


@pytest.mark.parametrize(("call", "said", "line"), [
    pytest.param(priced(investments={}), "investments is empty: a round needs at least one investor and the amount it "
                 "invests", "--invest is empty: a round needs at least one investor and the amount it invests",
                 id="no-investment"),
    pytest.param(lambda: sf.scenarios_for(sf.loads(TWO_EVENTS), "50%"),
                 "this scenario has several events (ipo, merger); give p_event as a mapping from each event to its "
                 "probability", "this scenario has several events (ipo, merger); give --probability as a mapping from "
                 "each event to its probability", id="one-probability-for-two-events"),
])
def test_checks_only_a_python_caller_reaches_still_name_the_keyword(call: Callable[[], object], said: str,
                                                                    line: str) -> None:
    # The command line cannot reach these (--invest is required; --probability is always per event),
    # but a library message never spells a flag, and error_lines would.
    with pytest.raises(ParameterError) as err:
        call()
    assert str(err.value) == said
    assert error_lines(err.value) == [f"error: {line}"]


def test_no_message_spells_a_flag() -> None:
    # What only the command line reads (--invest HOLDER=AMOUNT, --event, --probability NAME=P,
    # --date) it words itself, in cli/_messages.py.
    templates = {k: v for k, v in vars(M).items() if k.isupper() and isinstance(v, str)}
    assert templates and not [k for k, v in templates.items() if "--" in v]
    assert all(isinstance(v, Param) for k, v in vars(M).items() if k.isupper() and not isinstance(v, str))
