"""Solve: fair terms found by Brent's method on common random numbers, and their round trips."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from restructuring_cases import DATA, FLAGSHIP_MAP, capped, equity, flagship
from typer.testing import CliRunner

from stakeflow.analysis.compare import compare
from stakeflow.analysis.solve import holding_stake, solve_field
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
    with pytest.raises(InputError, match="exactly one of --equals-value-in"):
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
