"""The corpus of bad input in tests/bad (SPEC §8): the exact stderr, exit status 2, no stdout.

See tests/bad/README.md for the layout. Every case runs through the real command line (Typer's
test runner, in process); a few also run as a separate ``stakeflow`` process, as a user would.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stakeflow.cli import app
from stakeflow.scenario import models

BAD = Path(__file__).resolve().parents[1] / "bad"
CASES = sorted(p.stem for p in BAD.glob("*.expected"))

# Every kind of mistake the corpus must keep covering (SPEC §8 and the reader's checks).
REQUIRED = {
    "unknown_key_top", "unknown_key_holder", "unknown_key_class", "unknown_key_holding", "unknown_key_tier",
    "unknown_holder", "unknown_class", "unknown_tier_claimant", "unknown_overflow", "unknown_board_appointee",
    "unknown_exit_entity", "duplicate_holder_ids", "duplicate_holder_entity_ids", "duplicate_class_ids",
    "bad_ids", "negative_amounts", "preferred_without_price", "preferred_with_price_and_invested",
    "option_without_strike", "cap_on_non_participating", "entity_cycle", "stranded_money", "unreachable_tier",
    "holdings_without_classes", "classes_and_distribution", "no_common_class", "invalid_yaml", "invalid_json",
    "duplicate_key", "empty_file", "file_is_a_list", "missing_file", "exit_not_a_number", "exit_negative",
    "several_roots", "unknown_entity_option", "many_problems", "many_structural_problems", "cannot_absorb",
    # Time in tier programs (SPEC §10).
    "cap_two_forms", "cap_growth_rules", "multiple_without_contributions", "catch_up_rules", "catch_up_share",
    "history_rules", "negative_rates", "no_distribution_date", "history_after_date_option", "bad_date_option",
    "contributions_without_program",
    # Numbers past the range of each quantity (format.md, "Numbers"; cli.md, "Ranges").
    "exit_past_range", "exit_past_range_json", "exits_past_range", "explain_exit_past_range",
    "round_pre_money_past_range", "solve_equals_past_range", "shares_past_range", "price_past_range",
    "safe_invested_past_range", "contract_rate_past_range", "opm_term_too_long", "opm_rate_too_high",
    "paths_past_range", "paths_past_bound", "pwerm_past_range", "distribution_past_range",
    # Text that would break the terminal, one line per problem naming the file, limits.
    "no_entity", "nul_character", "surrogate_text", "error_on_line_100", "markup_and_emoji_in_ids",
    "sensitivity_shift_names_nothing",
    # The analysis plan of `stakeflow run`, read like a scenario file.
    "plan_many_problems", "plan_invalid_yaml", "plan_numbers_and_shifts", "plan_parties_and_fields",
}


def command(name: str) -> list[str]:
    args = BAD / f"{name}.args"
    files = [p.name for p in BAD.glob(f"{name}.*") if p.suffix in (".yaml", ".json")]
    line = args.read_text().strip() if args.exists() else "validate {file}"
    if "{file}" in line:
        (file,) = files
        line = line.replace("{file}", file)
    return shlex.split(line)


def _choices(name: str) -> str:
    values = [repr(v) for v in typing.get_args(getattr(models, name))]
    return ", ".join(values[:-1]) + f" or {values[-1]}"


def _keys(name: str) -> str:
    model = getattr(models, name)
    # A class is read as the model of its kind; an unknown key lists what any kind takes.
    keys = getattr(model, "union_keys", None) or [f.alias or n for n, f in model.model_fields.items()]
    return ", ".join(keys)


def expected(name: str) -> str:
    text = (BAD / f"{name}.expected").read_text()
    text = re.sub(r"\{choices:(\w+)\}", lambda m: _choices(m.group(1)), text)
    return re.sub(r"\{keys:(\w+)\}", lambda m: _keys(m.group(1)), text)


def test_the_corpus_covers_every_kind_of_mistake() -> None:
    assert REQUIRED <= set(CASES), sorted(REQUIRED - set(CASES))
    for name in CASES:
        assert command(name)  # each case names its file or its command line


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gives_exactly_the_expected_errors(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    result = CliRunner().invoke(app, command(name))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == expected(name)
    assert all(line.startswith("error: ") for line in result.stderr.splitlines())


def stakeflow_command() -> list[str]:
    exe = Path(sys.executable).with_name("stakeflow")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("stakeflow")
    assert found, "the stakeflow command is not installed"
    return [found]


@pytest.mark.parametrize(
    "name", ["invalid_yaml", "missing_file", "many_problems", "exit_not_a_number", "error_on_line_100",
             "surrogate_text", "markup_and_emoji_in_ids", "exit_past_range", "nul_character"]
)
def test_bad_input_through_a_real_process(name: str) -> None:
    proc = subprocess.run(
        [*stakeflow_command(), *command(name)], cwd=BAD, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == expected(name)
    assert "Traceback" not in proc.stderr


def test_all_independent_problems_are_reported_in_one_go() -> None:
    # Cross-reference problems: a duplicate id, an unknown holder, an unknown class, a tier
    # program that strands money and an unknown exit entity, in different parts of one file.
    lines = expected("many_problems").splitlines()
    assert [re.search(r":(\d+): ", line).group(1) for line in lines] == ["5", "13", "14", "16", "20"]  # type: ignore[union-attr]
    # Structural problems: an unknown key, a bad kind, two classes missing terms, a non-number
    # and a missing key.
    assert len(expected("many_structural_problems").splitlines()) == 6
    assert len(expected("negative_amounts").splitlines()) == 5
