"""Sensitivity: each assumption moved as stated, tornado and sweep, locally and on Dask alike."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from restructuring_cases import DATA, capped, equity
from typer.testing import CliRunner

from stakeflow.analysis.sensitivity import FairStake, default_shifts, parse_scales, parse_shift, sensitivity
from stakeflow.cli import app
from stakeflow.io.flags import error_lines
from stakeflow.scenario.errors import InputError

F = Fraction
TARGET = [FairStake("inv", "entities[co].holdings[inv].shares", "total", 0.6)]


def shift(name: str):  # type: ignore[no-untyped-def]
    return next(s for s in default_shifts() if s.name == name)


def test_shifts_move_what_they_say() -> None:
    sc = capped(growth="[10%, 20%]", volatility="30%", margin="[20%, 25%]")
    p = sc.projection
    assert p is not None
    low = shift("growth").apply(sc, "low").projection
    assert low is not None and low.revenue.growth == (F(5, 100), F(15, 100))
    vol = shift("volatility").apply(sc, "high").projection
    assert vol is not None and vol.revenue.volatility == (F(45, 100),)
    mar = shift("margin").apply(sc, "high").projection
    assert mar is not None and mar.margin == (F(25, 100), F(30, 100))
    dr = shift("discount_rate").apply(sc, "low").projection
    assert dr is not None and dr.discount_rate == F(5, 100)
    hz = shift("horizon").apply(sc, "high").projection
    assert hz is not None and hz.horizon == 6
    caps = shift("caps").apply(sc, "high")
    assert caps.entity("co").distribution[0].caps == {"inv": F(100)}  # type: ignore[index]
    term = shift("terminal").apply(sc, "low").projection
    assert term is not None and term.terminal is not None and term.terminal.value == 50
    custom = parse_shift("projection.discount_rate=2%:30%")
    assert custom.apply(sc, "high").projection.discount_rate == F(3, 10)  # type: ignore[union-attr]
    # An assumption a structure does not have leaves it unchanged.
    assert parse_shift("contracts[nothing].rate=1%:2%").apply(sc, "low") == sc


def test_shift_errors() -> None:
    with pytest.raises(InputError, match="unknown assumption 'speed'"):
        parse_shift("speed")
    with pytest.raises(InputError, match="write NAME or PATH=LOW:HIGH"):
        parse_shift("projection.discount_rate=10%")
    with pytest.raises(InputError, match="horizon shifted to 0 years"):
        shift("horizon").apply(capped(horizon=3), "low")


def test_tornado_and_sweep_in_a_deterministic_case() -> None:
    # Zero volatility, so each point is a closed form; the checks here are of direction: a
    # higher cap before makes the investor's fair stake after larger; so does a lower terminal
    # value (the investor's capped claim is worth more relative to the company).
    res = sensitivity(capped(), equity(), TARGET, shifts=[shift("caps"), shift("terminal")], scales=(0.5, 1.0, 2.0),
                      paths=3, seed=0)
    base = res.measure(res.base.stakes[0])
    caps, term = res.bars
    assert res.measure(caps.low.stakes[0]) < base < res.measure(caps.high.stakes[0])
    assert res.measure(term.low.stakes[0]) > base > res.measure(term.high.stakes[0])
    assert [k for k, _ in res.sweep] == [0.5, 1.0, 2.0]
    assert res.sweep[1][1].stakes[0].stake == pytest.approx(base, rel=1e-12)
    values = [p.equity_after for _, p in res.sweep]
    assert values[0] < values[1] < values[2]
    frame = res.to_frame()
    assert list(frame["assumption"]) == ["Profit caps", "Terminal multiple"]
    assert json.loads(json.dumps(res.to_json()))["tornado"][0]["assumption"] == "caps"


def test_dask_gives_the_same_numbers_as_local() -> None:
    # A small run on a local Dask cluster (threads, no processes) against the same run here.
    from dask.distributed import Client, LocalCluster

    kw = {"shifts": [shift("margin")], "scales": (1.0, 2.0), "paths": 300, "seed": 4}
    before, after = capped(volatility="40%"), equity(volatility="40%")
    local = sensitivity(before, after, TARGET, **kw)  # type: ignore[arg-type]
    with LocalCluster(n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        remote = sensitivity(before, after, TARGET, client=client, **kw)  # type: ignore[arg-type]
    assert remote.where.startswith("dask")
    assert remote.to_json()["base"] == local.to_json()["base"]
    assert remote.to_json()["tornado"] == local.to_json()["tornado"]
    assert remote.to_json()["company_value"] == local.to_json()["company_value"]


def test_sensitivity_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    plot = tmp_path / "tornado.html"
    args = ["sensitivity", str(DATA / "capped_profit_2025.yaml"), str(DATA / "pbc_2025.yaml"), "--map",
            "openai_nonprofit=openai_foundation,other_investors=employees_and_investors", "--party",
            "openai_foundation", "--shift", "caps", "--shift", "projection.discount_rate=10%:20%", "--scales",
            "0.5,1", "--paths", "400", "--seed", "3"]
    out = runner.invoke(app, [*args, "--json", "--plot", str(plot)])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert [t["assumption"] for t in doc["tornado"]] == ["caps", "projection.discount_rate"]
    assert plot.exists() and "plotly" in plot.read_text()[:5000].lower()
    bad = runner.invoke(app, [*args[:3], "--scales", "0,1"])
    assert bad.exit_code == 2 and "error: --scales" in bad.stderr
    both = runner.invoke(app, [*args, "--dask", "--scheduler", "tcp://127.0.0.1:1"])
    assert both.exit_code == 2 and "not both" in both.stderr


def test_parse_scales() -> None:
    assert parse_scales("0.5, 1,200%") == [0.5, 1.0, 2.0]
    for bad in ("", "0,1", "-1", "x"):
        with pytest.raises(InputError) as info:
            parse_scales(bad)
        assert str(info.value) == (f"scales {bad!r}: write positive revenue scale factors separated by commas, "
                                   "e.g. 0.5,1,2")
        assert error_lines(info.value) == [f"error: --scales {bad!r}: write positive revenue scale factors "
                                           "separated by commas, e.g. 0.5,1,2"]


def test_fair_stake_targets() -> None:
    from restructuring_cases import FLAGSHIP_MAP, flagship

    from stakeflow.analysis.restructuring import default_targets, fair_stake_targets

    before, after = flagship()
    every = fair_stake_targets(before, after, FLAGSHIP_MAP)
    assert [t.party for t in every] == [t.party for t in default_targets(before, after, FLAGSHIP_MAP)]
    (ms,) = fair_stake_targets(before, after, FLAGSHIP_MAP, party="microsoft", basis="structure")
    assert ms.basis == "structure" and ms.field == "entities[openai_group].holdings[microsoft].shares"
    with pytest.raises(InputError, match=r"^basis must be total"):
        fair_stake_targets(before, after, FLAGSHIP_MAP, basis="all")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="cannot find a holding of 'nobody'"):
        fair_stake_targets(before, after, FLAGSHIP_MAP, party="nobody")
