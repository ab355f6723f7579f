"""Compare: the value transfer between two structures on the same random numbers."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from restructuring_cases import DATA, FLAGSHIP_MAP, capped, equity, flagship
from typer.testing import CliRunner

from stakeflow.analysis.compare import compare, parse_mapping
from stakeflow.cli import app
from stakeflow.scenario.errors import InputError

F = Fraction


def test_identical_structures_transfer_exactly_nothing() -> None:
    before, _ = flagship()
    res = compare(before, before, paths=3_000, seed=17)
    assert res.transfers
    for t in res.transfers.values():
        assert t.change == 0.0
        assert t.change_se <= 1e-6 * max(1.0, t.before)
        assert t.before == t.after


def test_transfer_in_a_deterministic_case_is_the_closed_form() -> None:
    # Zero volatility. Before: the investor takes everything up to 50 (capped program); after:
    # 60% of one class of common. Profits 22, 24.2, 26.62 and a terminal value of 100 (see
    # test_projection): before the investor gets 22, 24.2, 3.8; after 60% of 22, 24.2, 126.62.
    v = [F(1) / F(11, 10) ** t for t in (1, 2, 3)]
    inv_before = 22 * v[0] + F(242, 10) * v[1] + F(38, 10) * v[2]
    inv_after = F(3, 5) * (22 * v[0] + F(242, 10) * v[1] + (F(2662, 100) + 100) * v[2])
    res = compare(capped(), equity(), paths=4, seed=0)
    t = res.transfers["inv"]
    assert t.before == pytest.approx(float(inv_before), rel=1e-12)
    assert t.after == pytest.approx(float(inv_after), rel=1e-12)
    assert t.change == pytest.approx(float(inv_after - inv_before), rel=1e-12)
    assert t.change_se == pytest.approx(0.0, abs=1e-9)
    # Value is conserved when no contract changes: the transfers add up to zero.
    assert sum(x.change for x in res.transfers.values()) == pytest.approx(0.0, abs=1e-9)


def test_common_random_numbers_make_the_paired_error_small() -> None:
    # Seed 3, 4,000 paths: the transfer's standard error is far below either value's.
    before, after = flagship()
    res = compare(before, after, FLAGSHIP_MAP, paths=4_000, seed=3)
    t = res.transfers["openai_foundation"]
    assert t.was == ("openai_nonprofit",)
    assert t.change_se < 0.8 * t.before_se
    assert res.transfers["microsoft"].change > 0


def test_mapping_sums_several_old_parties_into_one() -> None:
    before, after = flagship()
    res = compare(before, after, {**FLAGSHIP_MAP, "microsoft": "employees_and_investors"}, paths=500, seed=1)
    t = res.transfers["employees_and_investors"]
    assert set(t.was) == {"other_investors", "microsoft"}
    expected = res.before.values["other_investors"] + res.before.values["microsoft"]
    assert t.before == pytest.approx(expected, rel=1e-12)


def test_bad_mappings() -> None:
    before, after = flagship()
    with pytest.raises(InputError, match="write old_id=new_id"):
        parse_mapping(["openai_nonprofit"])
    with pytest.raises(InputError, match="'nobody' is not a party of BEFORE"):
        compare(before, after, {"nobody": "microsoft"}, paths=10, seed=0)
    assert parse_mapping(["a=b,c=d", "e = f"]) == {"a": "b", "c": "d", "e": "f"}


def test_compare_command_json_and_errors() -> None:
    runner = CliRunner()
    args = ["compare", str(DATA / "capped_profit_2025.yaml"), str(DATA / "pbc_2025.yaml"), "--paths", "800",
            "--seed", "2", "--map", "openai_nonprofit=openai_foundation", "--map",
            "other_investors=employees_and_investors", "--json"]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert set(doc) >= {"before", "after", "map", "paths", "seed", "parties"}
    assert doc["parties"]["openai_foundation"]["change"] < 0
    table = runner.invoke(app, args[:-1])
    assert table.exit_code == 0 and "transfer" in table.stdout
    bad = runner.invoke(app, [*args[:3], "--paths", "lots"])
    assert bad.exit_code == 2
    assert "error: --paths must be a whole number" in bad.stderr
