"""Solve: fair terms found by Brent's method on common random numbers, and their round trips."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from restructuring_cases import CAPPED, DATA, EQUITY, FLAGSHIP_MAP, capped, equity, flagship, projection
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis.compare import compare
from stakeflow.analysis.solve import holding_stake, solve_field, solve_scale
from stakeflow.cli import app
from stakeflow.scenario.errors import InputError
from stakeflow.scenario.fields import get_number, replace

F = Fraction
MS = "entities[openai_group].holdings[microsoft].shares"
FOUNDATION = "entities[openai_group].holdings[openai_foundation/common].shares"


def test_closed_form_fair_stake() -> None:
    # Zero volatility: before, the investor is worth I = 22/1.1 + 24.2/1.21 + 3.8/1.331; after,
    # a stake q of one common class is worth q · E with E = 22/1.1 + 24.2/1.21 + 126.62/1.331.
    # The fair stake is I / E, i.e. shares x with x / (x + 40) = I / E.
    v = [F(1) / F(11, 10) ** t for t in (1, 2, 3)]
    i = 22 * v[0] + F(242, 10) * v[1] + F(38, 10) * v[2]
    e = 22 * v[0] + F(242, 10) * v[1] + (F(2662, 100) + 100) * v[2]
    res = solve_field(equity(), "entities[co].holdings[inv].shares", "inv", before=capped(), paths=3, seed=0)
    assert res.bound == "root"
    assert res.stake == pytest.approx(float(i / e), rel=1e-9)
    assert res.value == pytest.approx(float(40 * (i / e) / (1 - i / e)), rel=1e-8)


@pytest.mark.parametrize(("party", "field"), [("microsoft", MS), ("openai_foundation", FOUNDATION)])
def test_round_trip_on_the_flagship(party: str, field: str) -> None:
    # Solve with seed 8 and 3,000 paths (structure basis for Microsoft, whose contracts alone
    # already exceed its value before), set the field to the answer, and compare: the party's
    # transfer is zero well within one standard error of the paired difference.
    before, after = flagship()
    basis = "structure" if party == "microsoft" else "total"
    res = solve_field(after, field, party, before=before, mapping=FLAGSHIP_MAP, basis=basis, paths=3_000, seed=8)
    assert res.bound == "root"
    solved = replace(after, field, F(res.value))
    assert float(get_number(solved, field)) == pytest.approx(res.value)
    again = compare(before, solved, FLAGSHIP_MAP, paths=3_000, seed=8)
    if basis == "total":
        t = again.transfers[party]
        assert abs(t.change) < 0.01 * t.change_se + 1e-6 * t.before
    else:
        after_structure = again.after.components[party]["structure"]
        before_structure = again.before.components[party]["structure"]
        assert after_structure == pytest.approx(before_structure, rel=1e-7)
    assert res.stake == pytest.approx(holding_stake(solved, field), rel=1e-9)
    assert res.stake_se is not None and 0 < res.stake_se < 0.05


def test_party_better_off_with_nothing_gives_zero_and_an_implied_stake() -> None:
    before, after = flagship()
    res = solve_field(after, MS, "microsoft", before=before, mapping=FLAGSHIP_MAP, paths=2_000, seed=8)
    assert res.bound == "lower" and res.value == 0.0 and res.stake == 0.0
    assert res.implied_stake is not None and res.implied_stake < 0
    assert res.achieved > res.target


def test_solve_a_cap_for_a_given_value() -> None:
    # The investor's cap at which it is worth exactly 30 (zero volatility; it receives its
    # whole cap over the three years and the terminal year, so the answer is a cap c with
    # PV = 30): checked by setting the cap and valuing again.
    sc = capped()
    field = "entities[co].distribution[0].caps.inv"
    res = solve_field(sc, field, "inv", target=30.0, paths=2, seed=0)
    again = solve_field(replace(sc, field, F(res.value)), field, "inv", target=30.0, paths=2, seed=0)
    assert again.value == pytest.approx(res.value, rel=1e-8)
    assert res.achieved == pytest.approx(30.0, rel=1e-9)


def test_solve_errors() -> None:
    before, after = flagship()
    with pytest.raises(InputError, match=r"^give exactly one of before or target$"):
        solve_field(after, MS, "microsoft", paths=10, seed=0)
    with pytest.raises(InputError, match="not set in this scenario"):
        solve_field(after, "entities[openai_group].holdings[microsoft].votes", "microsoft", target=1.0, paths=10,
                    seed=0)
    with pytest.raises(InputError, match="receives nothing in BEFORE"):
        solve_field(after, MS, "nobody", before=before, paths=10, seed=0)


def test_solve_command() -> None:
    runner = CliRunner()
    args = ["solve", str(DATA / "pbc_2025.yaml"), "--field", FOUNDATION, "--party", "openai_foundation",
            "--equals-value-in", str(DATA / "capped_profit_2025.yaml"), "--map",
            "openai_nonprofit=openai_foundation,other_investors=employees_and_investors", "--paths", "1000"]
    out = runner.invoke(app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["bound"] == "root" and 0.5 < doc["stake"] < 1
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "fair stake" in table.stdout
    bad = runner.invoke(app, ["solve", str(DATA / "pbc_2025.yaml"), "--field", "projection.nope", "--party",
                              "microsoft", "--equals", "10B"])
    assert bad.exit_code == 2 and "error: AFTER: projection.nope: not set" in bad.stderr


# Closed forms on the small scenarios of restructuring_cases (zero volatility, so one path is
# exact): revenue 110, 121, 133.1; profits 22, 24.2, 26.62, so cumulative distributions reach
# 22, 46.2 and 72.82; the terminal value 100 flows at year 3 on top; discount 10% a year.
V = [F(1) / F(11, 10) ** t for t in (1, 2, 3)]
WHOLE = 22 * V[0] + F(242, 10) * V[1] + (F(2662, 100) + 100) * V[2]  # the company: E ≈ 135.13
CAP = "entities[co].distribution[0].caps.inv"


def first_dollars(x: Fraction) -> Fraction:
    """Present value of the first x dollars the company distributes, for 22 ≤ x ≤ 172.82: all of
    year 1, then year 2's up to 46.2, then the rest at year 3 (profit and terminal value alike)."""
    if x <= F(462, 10):
        return 22 * V[0] + (x - 22) * V[1]
    return 22 * V[0] + F(242, 10) * V[1] + (x - F(462, 10)) * V[2]


def test_increasing_relation_a_cap_for_the_capped_party() -> None:
    # The investor takes the first c dollars: its value 20 + (c − 22)/1.21 = 30 gives
    # c = 22 + 10 · 1.21 = 34.1. Starting from c = 50 the search goes down.
    res = solve_field(capped(), CAP, "inv", target=30.0, paths=2, seed=0, no_root="error")
    expected = 22 + (30 - 22 * V[0]) / V[1]
    assert res.bound == "root" and res.is_root
    assert res.value == pytest.approx(float(expected), rel=1e-8)
    assert float(first_dollars(F(res.value))) == pytest.approx(30.0, rel=1e-9)


def test_decreasing_relation_a_cap_for_the_party_above_it() -> None:
    # The nonprofit receives everything above the investor's cap c, worth E − PV(first c
    # dollars): it falls as c rises. Value 100 needs PV(first c) = E − 100 ≈ 35.13, in year 2:
    # c = 22 + (E − 100 − 20) · 1.21 ≈ 40.31. (A search that assumed the value rises with the
    # field stopped at c = 0, where the nonprofit is worth E, far from 100.)
    res = solve_field(capped(), CAP, "np", target=100.0, paths=2, seed=0, no_root="error")
    expected = 22 + (WHOLE - 100 - 22 * V[0]) / V[1]
    assert res.bound == "root"
    assert res.value == pytest.approx(float(expected), rel=1e-8)
    assert res.achieved == pytest.approx(100.0, rel=1e-9)
    assert res.searched[0] <= res.value <= res.searched[1]
    assert res.values_at_ends[0] >= 100.0 >= res.values_at_ends[1]


def test_no_root_is_an_error_naming_the_target_the_range_and_the_values_at_its_ends() -> None:
    # Even with a cap of zero the nonprofit is worth only E ≈ 135.13 (all of the company); 140 is
    # out of reach, and with an unbounded cap it receives nothing.
    with pytest.raises(InputError) as err:
        solve_field(capped(), CAP, "np", target=140.0, paths=2, seed=0, no_root="error")
    text = str(err.value)
    assert text.startswith(f"no value of {CAP} between 0 and ")
    assert f"makes np's value 140.00: it is {float(WHOLE):,.2f} at 0 and 0.00 at " in text


def test_no_root_as_a_bound_is_never_the_target() -> None:
    # The library's default: the end nearer the target, marked as such, with the value reached.
    res = solve_field(capped(), CAP, "np", target=140.0, paths=2, seed=0)
    assert res.bound == "lower" and not res.is_root and res.value == 0.0
    assert res.achieved == pytest.approx(float(WHOLE), rel=1e-12)
    assert res.to_json()["bound"] == "lower" and res.to_json()["searched"][0] == 0.0


def test_no_stake_reaches_more_than_the_company() -> None:
    # A stake q of the one class is worth q · E: nothing in [0, 1) reaches 140 > E.
    with pytest.raises(InputError) as err:
        solve_field(equity(), "entities[co].holdings[inv].shares", "inv", target=140.0, paths=2, seed=0,
                    no_root="error")
    assert str(err.value) == (
        f"no stake of entities[co].holdings[inv].shares between 0.00% and 100.00% makes inv's value 140.00: "
        f"it is 0.00 at 0.00% and {float(WHOLE):,.2f} at 100.00%")


TWO_CAPS = """
stakeflow: 1
holders: [{{id: inv}}, {{id: inv2}}]
entities:
  - {{id: np, legal_form: nonprofit}}
  - id: co
    distribution:
      - {{shares: {{inv: 1}}, caps: {{inv: 10}}}}
      - {{shares: {{inv2: 1}}, caps: {{inv2: 15}}}}
      - {{shares: {{np: 1}}}}
projection:
{projection}
"""


def two_caps() -> sf.Scenario:
    return sf.loads(TWO_CAPS.format(projection=projection()))


def test_scale_every_cap_by_one_factor() -> None:
    # With both caps × k the nonprofit receives everything above the first 25k dollars; worth 100
    # when PV(first 25k) = E − 100: k = (22 + (E − 100 − 20) · 1.21) / 25 ≈ 1.61.
    res = solve_scale(two_caps(), "caps", "np", target=100.0, paths=2, seed=0, no_root="error")
    expected = (22 + (WHOLE - 100 - 22 * V[0]) / V[1]) / 25
    assert res.bound == "root" and res.search == "factor" and res.start == 1.0
    assert res.value == pytest.approx(float(expected), rel=1e-8)
    assert res.scale == ("entities[co].distribution[0].caps.inv", "entities[co].distribution[1].caps.inv2")
    listed = solve_scale(two_caps(), ",".join(res.scale), "np", target=100.0, paths=2, seed=0)
    assert listed.value == pytest.approx(res.value, rel=1e-10)
    # Only the named field moves: with the first cap alone × k the investors take the first
    # 10k + 15 dollars, so k = (c − 15) / 10 for the same c = 22 + (E − 100 − 20) · 1.21.
    alone = solve_scale(two_caps(), [res.scale[0]], "np", target=100.0, paths=2, seed=0)
    assert alone.value == pytest.approx(float((22 + (WHOLE - 100 - 22 * V[0]) / V[1] - 15) / 10), rel=1e-8)


def test_scale_stops_where_a_field_leaves_its_range() -> None:
    # A revenue share of 20% to the investor can be scaled by at most 5 (a rate of 100%). Its
    # value is then at most 300 (all revenue, 100 a year in present value) plus its capped claim.
    sc = capped(contracts="contracts:\n  - {id: rs, kind: revenue_share, payer: co, payee: inv, rate: 20%}")
    res = solve_scale(sc, "contracts[rs].rate", "inv", target=10_000.0, paths=2, seed=0)
    assert res.bound == "upper" and res.searched[1] == pytest.approx(5.0, rel=1e-12)
    with pytest.raises(InputError, match=r"^no factor k on contracts\[rs\]\.rate \(1 field\) between 0 and 5 makes"):
        solve_scale(sc, "contracts[rs].rate", "inv", target=10_000.0, paths=2, seed=0, no_root="error")


def test_move_a_field_of_before_against_the_value_after() -> None:
    # After, the investor holds 60% of the company, worth 0.6 E ≈ 81.08. Its cap before that is
    # worth as much: PV(first c) = 0.6 E with c in year 3: c = 46.2 + (0.6 E − 40) · 1.331.
    res = solve_field(equity(), CAP, "inv", before=capped(), move="before", paths=2, seed=0, no_root="error")
    expected = F(462, 10) + (F(6, 10) * WHOLE - 22 * V[0] - F(242, 10) * V[1]) / V[2]
    assert res.move == "before" and res.bound == "root"
    assert res.target == pytest.approx(float(F(6, 10) * WHOLE), rel=1e-12)
    assert res.value == pytest.approx(float(expected), rel=1e-8)
    with pytest.raises(InputError, match=r"^move before needs before: the field moves in BEFORE"):
        solve_field(equity(), CAP, "inv", target=1.0, move="before", paths=2, seed=0)
    with pytest.raises(InputError, match=r"^BEFORE: entities\[co\]\.holdings: not set in this scenario"):
        solve_field(equity(), "entities[co].holdings[inv].shares", "inv", before=capped(), move="before",
                    paths=2, seed=0)


def test_move_before_with_monte_carlo_round_trips() -> None:
    # 40% volatility, 2,000 paths, seed 3: set the cap before to the answer and compare on the
    # same paths; the investor's transfer is zero to Brent's tolerance, and the root has a
    # positive standard error.
    before, after = capped(volatility="40%"), equity(volatility="40%")
    res = solve_field(after, CAP, "inv", before=before, move="before", paths=2_000, seed=3, no_root="error")
    assert res.bound == "root" and 0 < res.standard_error < res.value
    again = compare(replace(before, CAP, F(res.value)), after, paths=2_000, seed=3)
    t = again.transfers["inv"]
    assert abs(t.change) < 1e-6 * t.before and t.change_se > 0


def test_a_jump_across_the_target_is_not_a_root() -> None:
    # The revenue share to the investor ends in the year cumulative operating profit reaches the
    # event's threshold: 22, 46.2 or 72.82. Its value jumps at 46.2 (one more year of payments);
    # a target between the two levels has no root, and Brent's method would stop at the jump.
    field = "projection.events[agi].cumulative_profit"
    sc = capped(contracts="contracts:\n  - {id: rs, kind: revenue_share, payer: co, payee: inv, rate: 10%, "
                "end_event: agi}", events="[{id: agi, cumulative_profit: 40}]")
    values = [sf.value_parties(replace(sc, field, x), paths=2, seed=0).values["inv"] for x in (40, 50)]
    assert values[1] > values[0]
    with pytest.raises(InputError, match=rf"^inv's value jumps across .* at value of {re.escape(field)} = 46\.2 "):
        solve_field(sc, field, "inv", target=(values[0] + values[1]) / 2, paths=2, seed=0)


def test_scale_errors() -> None:
    with pytest.raises(InputError) as err:
        solve_scale(two_caps(), f"{CAP},entities[co].distribution[0].caps", "np", target=1.0, paths=2, seed=0)
    assert str(err.value) == ("scale: AFTER: entities[co].distribution[0].caps: is a mapping (its keys: inv), "
                              "not a number or a schedule of numbers")
    with pytest.raises(InputError) as err:
        solve_scale(two_caps(), f"{CAP},entities[co].distribution[0].caps.inv", "np", target=1.0, paths=2, seed=0)
    assert str(err.value) == f"scale: {CAP} names the same field as {CAP}; give each field once"
    with pytest.raises(InputError) as err:
        solve_scale(equity(), "caps", "inv", target=1.0, paths=2, seed=0)
    assert str(err.value) == "scale caps: AFTER has no tier caps to scale"
    with pytest.raises(InputError) as err:
        solve_scale(two_caps(), "projection.nope", "np", target=1.0, paths=2, seed=0)
    assert str(err.value) == ("scale: AFTER: projection.nope: not set in this scenario (keys here: entity, start, "
                              "horizon, revenue, margin, discount_rate, terminal, events)")


def write(tmp: Path, name: str, text: str) -> str:
    path = tmp / name
    path.write_text(text)
    return str(path)


def run(*args: str) -> Any:
    return CliRunner().invoke(app, ["solve", *args])


def test_command_scale_and_move(tmp_path: Path) -> None:
    # The closed forms above through the command line: --scale caps, a comma list, --move before.
    caps2 = write(tmp_path, "two.yaml", TWO_CAPS.format(projection=projection()))
    out = run(caps2, "--scale", "caps", "--party", "np", "--equals", "100", "--paths", "2", "--json")
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["value"] == pytest.approx(float((22 + (WHOLE - 100 - 22 * V[0]) / V[1]) / 25), rel=1e-8)
    assert doc["scale"] == [CAP, "entities[co].distribution[1].caps.inv2"] and doc["field"] == "caps"
    assert doc["search"] == "factor" and doc["bound"] == "root" and doc["move"] == "after"
    listed = run(caps2, "--scale", ",".join(doc["scale"]), "--party", "np", "--equals", "100", "--paths", "2")
    assert listed.exit_code == 0 and "fair factor k" in listed.stdout and "1.61" in listed.stdout
    before = write(tmp_path, "before.yaml", CAPPED.format(projection=projection(), contracts=""))
    after = write(tmp_path, "after.yaml", EQUITY.format(projection=projection(), contracts="", inv_shares=60,
                                                         np_shares=40))
    moved = run(after, "--field", CAP, "--move", "before", "--party", "inv", "--equals-value-in", before,
                "--paths", "2", "--json")
    assert moved.exit_code == 0, moved.output
    expected = F(462, 10) + (F(6, 10) * WHOLE - 22 * V[0] - F(242, 10) * V[1]) / V[2]
    assert json.loads(moved.stdout)["value"] == pytest.approx(float(expected), rel=1e-8)
    table = run(after, "--field", CAP, "--move", "before", "--party", "inv", "--equals-value-in", before,
                "--paths", "2")
    assert table.exit_code == 0 and "BEFORE" in table.stdout and "value in AFTER (target)" in table.stdout


def test_command_no_root_exits_2(tmp_path: Path) -> None:
    after = write(tmp_path, "after.yaml", EQUITY.format(projection=projection(), contracts="", inv_shares=60,
                                                         np_shares=40))
    out = run(after, "--field", "entities[co].holdings[inv].shares", "--party", "inv", "--equals", "140",
              "--paths", "2", "--json")
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr == (
        f"error: no stake of entities[co].holdings[inv].shares between 0.00% and 100.00% makes inv's value "
        f"140.00: it is 0.00 at 0.00% and {float(WHOLE):,.2f} at 100.00%\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--field", "entities[ghost].holdings[inv].shares"], "AFTER: entities[ghost]: no such item (items: np, co)"),
    (["--field", "projection.nope"], "AFTER: projection.nope: not set in this scenario (keys here: entity, start, "
                                     "horizon, revenue, margin, discount_rate, terminal, events)"),
    (["--field", "entities[co"], "AFTER: cannot read field path 'entities[co' (write e.g. "
                                 "entities[company].holdings[founders].shares)"),
    (["--field", "entities[co].distribution[0].caps"],
     "AFTER: entities[co].distribution[0].caps: is a mapping (its keys: inv), not a number; name one number to "
     "solve for"),
    (["--scale", f"{CAP},entities[co].distribution[0]"],
     "--scale: AFTER: entities[co].distribution[0]: is a mapping (its keys: shares, caps), not a number or a "
     "schedule of numbers"),
    (["--scale", f"{CAP},projection.entity"],
     "--scale: AFTER: projection.entity: is text ('co'), not a number or a schedule of numbers"),
    (["--scale", f"{CAP},"], f"--scale '{CAP},': write caps or field paths separated by commas (e.g. --scale caps)"),
    (["--scale", "caps", "--field", CAP], "give exactly one of --field PATH or --scale caps|PATH,PATH,..."),
    ([], "give exactly one of --field PATH or --scale caps|PATH,PATH,..."),
    (["--field", CAP, "--move", "sideways"],
     "--move must be after (a field of AFTER, matching the party's value in BEFORE) or before (a field of BEFORE, "
     "matching its value in AFTER), got 'sideways'"),
    (["--field", CAP, "--move", "before"],
     "--move before needs --equals-value-in BEFORE: the field moves in BEFORE and the party's value in AFTER is "
     "the target"),
])
def test_command_bad_inputs(tmp_path: Path, args: list[str], message: str) -> None:
    after = write(tmp_path, "capped.yaml", CAPPED.format(projection=projection(), contracts=""))
    out = run(after, *args, "--party", "inv", "--equals", "30", "--paths", "2")
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr == f"error: {message}\n"


def test_scale_a_schedule_with_a_number() -> None:
    # One class held 60/40 and margins [20%, 20%, 20%] (each year's profit worth 20 today). Margins
    # × k alone: the holder's value 0.6 · (60k + 100/1.331) = 70 gives k = (70/0.6 − 100 v₃)/60;
    # the margins and the terminal value × k together scale the whole company: k = 70/(0.6 E).
    sc = equity(margin="[20%, 20%, 20%]")
    margins = solve_scale(sc, "projection.margin", "inv", target=70.0, paths=2, seed=0, no_root="error")
    assert margins.value == pytest.approx(float((F(70) / F(6, 10) - 100 * V[2]) / 60), rel=1e-8)
    assert margins.searched[1] <= 5.0  # a margin of at most 100%
    both = solve_scale(sc, ["projection.margin", "projection.terminal.value"], "inv", target=70.0, paths=2,
                       seed=0, no_root="error")
    assert both.value == pytest.approx(float(70 / (F(6, 10) * WHOLE)), rel=1e-8)


def test_caps_as_one_item_of_a_scale_list() -> None:
    # The two caps and the terminal value × k: the nonprofit's value is then that of the same
    # structure with terminal value 100k; checked against the solve over the fields by name.
    named = "entities[co].distribution[0].caps.inv,entities[co].distribution[1].caps.inv2,projection.terminal.value"
    mixed = solve_scale(two_caps(), "caps,projection.terminal.value", "np", target=80.0, paths=2, seed=0)
    by_name = solve_scale(two_caps(), named, "np", target=80.0, paths=2, seed=0)
    assert mixed.bound == "root" and mixed.scale == by_name.scale and len(mixed.scale or ()) == 3
    assert mixed.value == pytest.approx(by_name.value, rel=1e-12)
    again = solve_scale(replace(two_caps(), "projection.terminal.value", F(mixed.value) * 100), "caps", "np",
                        target=80.0, paths=2, seed=0)
    assert again.value == pytest.approx(mixed.value, rel=1e-6)


def test_solve_entry_point_against_the_closed_form() -> None:
    # The closed form of test_closed_form_fair_stake, reached through sf.solve and its request.
    v = [F(1) / F(11, 10) ** t for t in (1, 2, 3)]
    i = 22 * v[0] + F(242, 10) * v[1] + F(38, 10) * v[2]
    e = 22 * v[0] + F(242, 10) * v[1] + (F(2662, 100) + 100) * v[2]
    request = sf.SolveRequest("inv", field="entities[co].holdings[inv].shares", before=capped())
    res = sf.solve(equity(), request, paths=3, seed=0)
    assert res.bound == "root" and res.stake == pytest.approx(float(i / e), rel=1e-9)
    # A target amount instead of a structure, written as the command line writes it.
    cap = "entities[co].distribution[0].caps.inv"
    by_amount = sf.solve(capped(), sf.SolveRequest("inv", field=cap, equals="30"), paths=2, seed=0)
    assert by_amount.achieved == pytest.approx(30.0, rel=1e-9)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"field": "x"}, "give exactly one of before or equals"),
    ({"equals": "1M"}, "give exactly one of field or scale"),
    ({"field": "x", "scale": "caps", "equals": "1M"}, "give exactly one of field or scale"),
    ({"field": "x", "equals": "1M", "move": "sideways"}, "move must be after"),
    ({"field": "x", "equals": "1M", "move": "before"}, "move before needs before: "),
    ({"field": "x", "equals": "1M", "basis": "all"}, "basis must be total"),
])
def test_solve_request_checks_itself(kwargs: dict[str, Any], message: str) -> None:
    # Said by the request's keywords; the command line's flags: tests/analysis/test_messages_by_caller.py.
    with pytest.raises(InputError, match="^" + re.escape(message)):
        sf.SolveRequest("inv", **kwargs)
