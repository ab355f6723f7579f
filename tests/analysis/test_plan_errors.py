"""Mistakes in an analysis plan are reported like a scenario file's: one located line each."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis.restructuring import analyze_plan, plan_problems, read_plan
from stakeflow.cli import app
from stakeflow.scenario.errors import InputError, ScenarioError


def test_every_problem_on_its_own_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("before: a.yaml\nafter: b.yaml\nseed: -x\nrevenue_scales: [1, two]\n")
    with pytest.raises(ScenarioError) as info:
        read_plan(plan)
    assert info.value.lines() == [
        f"error: {plan}:4: revenue_scales[1]: expected a number, got 'two'",
        f"error: {plan}:3: seed: expected a whole number, got '-x'",
    ]


def test_a_plan_that_is_not_text(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"before: \xff\n")
    with pytest.raises(InputError) as info:
        read_plan(plan)
    assert info.value.lines() == [f"error: {plan}: not a text file (UTF-8 expected)"]


def test_a_plan_that_is_a_list(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("- before: a.yaml\n")
    with pytest.raises(ScenarioError) as info:
        read_plan(plan)
    assert info.value.lines() == [f"error: {plan}:1: the file must be a mapping (key: value) at the top level"]


ROOT = Path(__file__).resolve().parents[2]
OPENAI = ROOT / "examples" / "openai"


def test_a_plan_names_its_own_keys_never_a_flag(tmp_path: Path) -> None:
    # Each of these was a command-line flag (--shift, --paths, --seed) without a line, or a traceback
    # (a zero revenue scale divided by zero; no revenue scales or exit values failed drawing the report).
    plan = tmp_path / "plan.yaml"
    plan.write_text("before: a.yaml\nafter: b.yaml\n"
                    "shifts: [growth, 'bad=', growthh, {label: x, field: projection.margin, low: lots, high: 1}]\n"
                    "revenue_scales: [1, 0]\npaths: 0\nsensitivity_paths: 1\nbreakeven_paths: -1\nseed: -1\n"
                    "exit_values: []\n")
    with pytest.raises(ScenarioError) as info:
        read_plan(plan)
    assert info.value.lines() == [
        f"error: {plan}:9: exit_values: give at least one exit value (e.g. [100B, 1T]), or leave exit_values out",
        f"error: {plan}:3: shifts[1]: 'bad=': write NAME or PATH=LOW:HIGH (e.g. projection.discount_rate=10%:20%)",
        f"error: {plan}:3: shifts[2]: unknown assumption 'growthh' (known: growth, volatility, margin, "
        "discount_rate, horizon, caps, terminal)",
        f"error: {plan}:3: shifts[3].low: 'lots' is not a number (write e.g. 2500000, 2_500_000, 2.5M, 13B, 49% "
        "or 3x)",
        f"error: {plan}:4: revenue_scales[1]: must be positive, got 0",
        f"error: {plan}:5: paths: must be a whole number of at least 2, got 0",
        f"error: {plan}:6: sensitivity_paths: must be a whole number of at least 2, got 1",
        f"error: {plan}:7: breakeven_paths: must be a whole number of at least 0, got -1",
        f"error: {plan}:8: seed: must be a whole number of at least 0, got -1",
    ]
    plan.write_text("before: a.yaml\nafter: b.yaml\nrevenue_scales: []\nbreakeven_paths: 0\n")
    with pytest.raises(ScenarioError) as info:
        read_plan(plan)
    assert info.value.lines() == [f"error: {plan}:3: revenue_scales: give at least one revenue scale factor "
                                  "(e.g. [0.5, 1, 2]), or leave revenue_scales out"]


PARTIES = """before: {before}
after: {after}
map:
  openai_nonprofit: ghost
fair_stakes:
  - party: microsoft
    field: "entities[openai_group].holdings[nobody].shares"
  - party: microsoft
    field: "entities[openai_group].holdings[microsoft].shares"
shifts:
  - growth
  - {{label: Nothing, field: projection.nope, low: 1, high: 2}}
  - "projection.entity=1:2"
"""
AFTER_PARTIES = "coreweave, employees_and_investors, microsoft, openai_foundation, openai_group"
ITEMS = ("openai_foundation/common, microsoft/common, employees_and_investors/common, "
         "openai_foundation/foundation_warrant")
PROJECTION_KEYS = "entity, start, horizon, revenue, margin, discount_rate, terminal, events"


def test_what_the_two_structures_lack_is_located_in_the_plan(tmp_path: Path) -> None:
    # Found once the structures are read, before any valuation: the map was "--map 'openai_nonprofit=ghost'",
    # the fair stake and the shifts were found minutes later, without the plan's line.
    plan = tmp_path / "plan.yaml"
    plan.write_text(PARTIES.format(before=OPENAI / "capped_profit_2025.yaml", after=OPENAI / "pbc_2025.yaml"))
    stages: list[str] = []
    with pytest.raises(ScenarioError) as info:
        analyze_plan(plan, paths=10, progress=lambda stage, done, total: stages.append(stage))
    assert stages == []
    assert info.value.lines() == [
        f"error: {plan}:4: map.openai_nonprofit: 'ghost' is not a party of AFTER (its parties: {AFTER_PARTIES})",
        f"error: {plan}:7: fair_stakes[0].field: AFTER: entities[openai_group].holdings[nobody]: no such item "
        f"(items: {ITEMS})",
        f"error: {plan}:12: shifts[1].field: AFTER: projection.nope: not set in this scenario (keys here: "
        f"{PROJECTION_KEYS})",
        f"error: {plan}:13: shifts[2]: AFTER: projection.entity: is text ('openai_group'), not a number; name one "
        "number to solve for",
    ]


def test_the_callers_mapping_and_a_run_without_sensitivity_leave_those_out(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(PARTIES.format(before="b.yaml", after="a.yaml"))
    plan, _ = read_plan(plan_file)
    before, after = sf.load(OPENAI / "capped_profit_2025.yaml"), sf.load(OPENAI / "pbc_2025.yaml")
    assert [p for p, _ in plan_problems(plan, before, after)] == [
        "map.openai_nonprofit", "fair_stakes[0].field", "shifts[1].field", "shifts[2]"]
    # --map openai_nonprofit=openai_foundation replaces the plan's entry; --no-sensitivity moves nothing.
    assert [p for p, _ in plan_problems(plan, before, after, overridden={"openai_nonprofit"},
                                        with_sensitivity=False)] == ["fair_stakes[0].field"]


def test_the_command_line_says_the_same_lines(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PARTIES.format(before=OPENAI / "capped_profit_2025.yaml", after=OPENAI / "pbc_2025.yaml"))
    with pytest.raises(ScenarioError) as info:
        analyze_plan(plan, paths=10)
    out = CliRunner().invoke(app, ["run", str(plan), "--no-progress", "--paths", "10"])
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr == "".join(f"{line}\n" for line in info.value.lines())
    assert "--" not in out.stderr


def test_a_no_conversion_weight_is_a_probability(tmp_path: Path) -> None:
    # The weight x mixes the two outcomes, x·(conversion fails) + (1 − x)·(after): 150% is no probability.
    plan = tmp_path / "plan.yaml"
    plan.write_text("before: a.yaml\nafter: b.yaml\nno_conversion:\n  contracts: []\n  weights: [25%, 150%]\n")
    with pytest.raises(ScenarioError) as info:
        read_plan(plan)
    assert info.value.lines() == [
        f"error: {plan}:5: no_conversion.weights: a weight is the probability that the conversion fails, "
        "from 0% to 100%; got 1.5"]


def test_a_fair_stake_for_a_party_the_new_structure_never_pays(tmp_path: Path) -> None:
    # Found before any valuation, on the plan's line: it was one unlocated line after the first valuation.
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"before: {OPENAI / 'capped_profit_2025.yaml'}\nafter: {OPENAI / 'pbc_2025.yaml'}\n"
                    "fair_stakes:\n  - party: microsof\n    field: entities[openai_group].holdings[microsoft].shares\n")
    stages: list[str] = []
    with pytest.raises(ScenarioError) as info:
        analyze_plan(plan, paths=10, progress=lambda stage, done, total: stages.append(stage))
    assert stages == []
    assert info.value.lines() == [
        f"error: {plan}:4: fair_stakes[0].party: party 'microsof' receives nothing in AFTER (its parties: "
        "coreweave, employees_and_investors, microsoft, openai_foundation)"]


NO_CONVERSION = """before: {before}
after: {after}
no_conversion:
  contracts:
    - id: refund
      kind: payment
      payer: openai_global
      payee: {payee}
      total: {total}
      start: 2026-10-02
      end: 2026-10-02
"""


@pytest.mark.parametrize(("payee", "total", "line", "detail"), [
    ("microsoft", "lots", 9, "no_conversion.contracts[0].total: 'lots' is not a number (write e.g. 2500000, "
                             "2_500_000, 2.5M, 13B, 49% or 3x)"),
    ("microsoftt", "1B", 8, "no_conversion.contracts[0].payee: unknown claimant 'microsoftt' (known holders and "
                            "entities: coreweave, microsoft, openai_global, openai_gp, openai_nonprofit, "
                            "other_investors)"),
])
def test_the_contracts_a_failed_conversion_adds_are_located_in_the_plan(tmp_path: Path, payee: str, total: str,
                                                                        line: int, detail: str) -> None:
    # Was one line naming neither the file nor the line, with the contract's index among BEFORE's own.
    plan = tmp_path / "plan.yaml"
    plan.write_text(NO_CONVERSION.format(before=OPENAI / "capped_profit_2025.yaml", after=OPENAI / "pbc_2025.yaml",
                                         payee=payee, total=total))
    stages: list[str] = []
    with pytest.raises(ScenarioError) as info:
        analyze_plan(plan, paths=10, progress=lambda stage, done, total: stages.append(stage))
    assert stages == []
    assert info.value.lines() == [f"error: {plan}:{line}: {detail}"]


def test_text_where_a_plan_expects_text(tmp_path: Path) -> None:
    # Was pydantic's own "Input should be a valid string".
    plan = tmp_path / "plan.yaml"
    plan.write_text("before: a.yaml\nafter: b.yaml\nnotes: [[1, 2]]\nno_conversion:\n  label: [1]\n  contracts: []\n")
    with pytest.raises(ScenarioError) as info:
        read_plan(plan)
    assert info.value.lines() == [f"error: {plan}:3: notes[0]: expected text, got a list",
                                  f"error: {plan}:5: no_conversion.label: expected text, got a list"]
