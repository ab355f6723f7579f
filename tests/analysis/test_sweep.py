"""Sweeps (SPEC §12): every point is the valuation `stakeflow value` gives with the same inputs,
to the last bit; the grid parser's mistakes each have their message; outputs are whole or absent.

Random tests state their seed; Monte Carlo is checked against the OPM within 4 standard errors.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis.sweep import axis_values, grid_axes, parse_grid
from stakeflow.cli import app
from stakeflow.scenario.errors import InputError
from stakeflow.scenario.fields import replace

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed.yaml"
STACKED = ROOT / "examples" / "venture_stacked.yaml"
SHARES = "entities[company].holdings[seed_investors].shares"
MARKET = {"equity_value": "12M", "volatility": "60%", "term": 3, "rate": "4%"}
RANGE = "a range is LOW:HIGH:COUNT (both ends included), e.g. 30%:70%:5"
NUMBERS = "(write e.g. 0.4, 40%, 25M; 1_000 in a list)"
OPTIONS = "equity_value, volatility, term, rate"


@pytest.fixture(scope="module")
def seed() -> sf.Scenario:
    return sf.load(SEED)


def test_a_range_is_evenly_spaced_exactly_with_both_ends() -> None:
    assert axis_values("volatility", "30%:70%:5") == tuple(Fraction(k, 10) for k in (3, 4, 5, 6, 7))
    # 1/3 steps stay exact: no float drift at the top end.
    assert axis_values("term", "0:1:4") == (0, Fraction(1, 3), Fraction(2, 3), 1)
    assert axis_values("rate", "5%, 4%,3%") == (Fraction(1, 20), Fraction(1, 25), Fraction(3, 100))
    assert axis_values("equity_value", [10_000_000, "12M", 0.5]) == (10**7, 12 * 10**6, Fraction(1, 2))


@pytest.mark.parametrize(("grid", "message"), [
    (["volatility"], "grid 'volatility': write NAME=LOW:HIGH:COUNT or NAME=V1,V2,... (e.g. volatility=30%:70%:5)"),
    (["=1,2"], "grid '=1,2': write NAME=LOW:HIGH:COUNT or NAME=V1,V2,... (e.g. volatility=30%:70%:5)"),
    (["volatility="], "grid 'volatility=': write NAME=LOW:HIGH:COUNT or NAME=V1,V2,... (e.g. volatility=30%:70%:5)"),
    (["volatility=30%:90%"], f"grid volatility=30%:90%: {RANGE}"),
    (["volatility=1:2:3:4"], f"grid volatility=1:2:3:4: {RANGE}"),
    (["volatility=30%:x:5"], f"grid volatility=30%:x:5: 'x' is not a number {NUMBERS}"),
    (["volatility=30%:90%:1"], "grid volatility=30%:90%:1: COUNT must be a whole number of at least 2, got '1'"),
    (["volatility=30%:90%:2.5"], "grid volatility=30%:90%:2.5: COUNT must be a whole number of at least 2, got '2.5'"),
    (["volatility=30%:90%:many"],
     "grid volatility=30%:90%:many: COUNT must be a whole number of at least 2, got 'many'"),
    (["volatility=0.3,,0.5"], "grid volatility=0.3,,0.5: an empty value in the list"),
    (["term=1,two"], f"grid term=1,two: 'two' is not a number {NUMBERS}"),
    (["term=1,2", "term=3"], "grid term is given twice: give each axis once"),
    ([], "a sweep needs at least one grid (e.g. grid volatility=30%:70%:5)"),
    (["volatility=0.1:0.9:1001", "term=1:5:1000"],
     "grid: 1,001,000 points is more than 1,000,000 in one sweep; use fewer values or split the grid"),
])
def test_bad_grid_specs_each_say_what_is_wrong(seed: sf.Scenario, grid: list[str], message: str) -> None:
    with pytest.raises(InputError) as err:
        grid_axes(seed, grid)
    assert str(err.value) == message


def test_a_count_past_the_most_points_is_refused_before_its_values_are_made(seed: sf.Scenario) -> None:
    # COUNT is read as every whole number is (valuation.parameters.whole), and a range of 10^12
    # values is refused at once as a grid of that many points, not built first.
    with pytest.raises(InputError) as err:
        grid_axes(seed, ["volatility=30%:60%:1e12"])
    assert str(err.value) == ("grid: 1,000,000,000,000 points is more than 1,000,000 in one sweep; use fewer values "
                              "or split the grid")
    with pytest.raises(InputError) as err:
        axis_values("volatility", "30%:60%:1000001")
    assert str(err.value) == ("grid: 1,000,001 points is more than 1,000,000 in one sweep; use fewer values or split "
                              "the grid")


def test_an_axis_that_names_nothing_lists_what_is_there(seed: sf.Scenario) -> None:
    with pytest.raises(InputError) as err:
        grid_axes(seed, ["volatilty=1,2"])
    assert str(err.value) == (
        f"grid volatilty: names neither a value option ({OPTIONS}) nor a field of the scenario (volatilty: not set "
        "in this scenario (keys here: stakeflow, name, currency, as_of, holders, entities, exit))")
    with pytest.raises(InputError) as err:
        grid_axes(seed, ["entities[company].holdings[nobody].shares=1,2"])
    assert str(err.value) == (
        f"grid entities[company].holdings[nobody].shares: names neither a value option ({OPTIONS}) nor a field of "
        "the scenario (entities[company].holdings[nobody]: no such item (items: founders/common, "
        "employees/options_2024, seed_investors/seed))")
    with pytest.raises(InputError) as err:
        grid_axes(seed, ["entities[company].classes[seed].kind=1,2"])
    assert str(err.value) == (
        "grid entities[company].classes[seed].kind: an axis moves one number, and this field is not one "
        "(entities[company].classes[seed].kind: is not a number (it is str))")


def test_parse_grid_keeps_the_order_given() -> None:
    assert list(parse_grid(["term=1,2", f"{SHARES}=1M,2M", "volatility=1:2:3"])) == ["term", SHARES, "volatility"]


def test_options_the_method_needs_or_does_not_take(seed: sf.Scenario) -> None:
    with pytest.raises(InputError, match=r"^method opm needs term \(or a grid term=\.\.\. axis\)$"):
        sf.sweep(seed, "opm", {"volatility": "1,2"}, equity_value="12M", rate="4%")
    with pytest.raises(InputError) as err:
        sf.sweep(seed, "opm", {"volatility": "1,2"}, **{**MARKET, "paths": 100})  # type: ignore[arg-type]
    assert str(err.value) == "paths does not apply to method opm (it is for montecarlo)"
    with pytest.raises(InputError) as err:
        sf.sweep(seed, "pwerm", {"volatility": "1,2"}, **MARKET)  # type: ignore[arg-type]
    assert str(err.value) == "method 'pwerm': a sweep values by opm or montecarlo"
    # A value on an axis out of its range is the value command's own message.
    with pytest.raises(InputError, match=r"^volatility must be positive, got -0\.1$"):
        sf.sweep(seed, "opm", {"volatility": "-10%,20%"}, **MARKET)  # type: ignore[arg-type]


def test_opm_points_equal_the_value_command_to_the_last_bit(seed: sf.Scenario) -> None:
    s = sf.sweep(seed, "opm", {"volatility": "30%:90%:4", "term": "1,3"}, equity_value="12M", rate="4%")
    assert [p.params for p in s.points][:3] == [
        {"volatility": Fraction(3, 10), "term": 1}, {"volatility": Fraction(3, 10), "term": 3},
        {"volatility": Fraction(1, 2), "term": 1}]  # the last axis fastest
    for p in s.points:
        want = sf.value(seed, "opm", equity_value="12M", volatility=float(p.params["volatility"]),
                        term=float(p.params["term"]), rate="4%")
        assert p.result.holders == want.holders and p.result.classes == want.classes


def test_a_field_axis_values_the_changed_structure(seed: sf.Scenario) -> None:
    s = sf.sweep(seed, "opm", {SHARES: "2M:3M:3", "equity_value": "10M,20M"}, volatility="60%", term=3, rate="4%")
    assert len(s.points) == 6
    for p in s.points:
        changed = replace(seed, SHARES, p.params[SHARES])
        want = sf.value(changed, "opm", equity_value=float(p.params["equity_value"]), volatility="60%", term=3,
                        rate="4%")
        assert p.result.holders == want.holders
    # More seed shares, more value to the seed investors (at the same equity value).
    seed_values = [p.result.holders["seed_investors"] for p in s.points if p.params["equity_value"] == 10**7]
    assert seed_values == sorted(seed_values) and seed_values[0] < seed_values[-1]


def test_montecarlo_points_equal_the_value_command_and_lie_near_the_opm(seed: sf.Scenario) -> None:
    kw = {"equity_value": "12M", "rate": "4%", "paths": 200_000, "seed": 2026}
    s = sf.sweep(seed, "montecarlo", {"volatility": "40%,80%", "term": "2,4"}, **kw)  # type: ignore[arg-type]
    opm = sf.sweep(seed, "opm", {"volatility": "40%,80%", "term": "2,4"}, equity_value="12M", rate="4%")
    for p, o in zip(s.points, opm.points, strict=True):
        want = sf.value(seed, "montecarlo", volatility=float(p.params["volatility"]), term=float(p.params["term"]),
                        **kw)  # type: ignore[arg-type]
        assert p.result.holders == want.holders and p.result.standard_errors == want.standard_errors
        se = p.result.standard_errors
        assert se is not None
        for h, v in o.result.holders.items():
            assert abs(p.result.holders[h] - v) <= 4 * se[h], (p.params, h)


def test_json_is_spec_12s_document(seed: sf.Scenario) -> None:
    s = sf.sweep(seed, "montecarlo", {"volatility": "40%,60%", "term": "1,2"}, equity_value="12M", rate="4%",
                 paths=70_000, seed=3)
    doc = json.loads(json.dumps(s.to_json()))
    assert doc["entity"] == "company" and doc["method"] == "montecarlo" and doc["axes"] == ["volatility", "term"]
    assert [p["params"] for p in doc["points"]] == [
        {"volatility": 0.4, "term": 1.0}, {"volatility": 0.4, "term": 2.0},
        {"volatility": 0.6, "term": 1.0}, {"volatility": 0.6, "term": 2.0}]
    first = doc["points"][0]
    assert set(first["holders"]) == {"founders", "employees", "seed_investors"}
    assert set(first["standard_errors"]) == set(first["holders"])
    assert doc["inputs"] == {"paths": 70_000, "seed": 3, "antithetic": False, "equity_value": 12e6, "rate": 0.04}


def test_the_tidy_frame_has_a_row_per_point_and_holder(seed: sf.Scenario) -> None:
    s = sf.sweep(seed, "opm", {"volatility": "40%:60%:3"}, equity_value="12M", term=3, rate="4%")
    frame = s.to_frame()
    assert list(frame.columns) == ["point", "volatility", "holder", "name", "value"]
    assert len(frame) == 3 * 3
    row = frame[(frame.point == 1) & (frame.holder == "founders")]
    assert row["value"].item() == s.points[1].result.holders["founders"] and row["volatility"].item() == 0.5


def run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["sweep", str(SEED), *args])


BASE = ["--equity-value", "12M", "--rate", "4%", "--term", "3"]


def test_command_writes_parquet_csv_and_a_chart(tmp_path: Path) -> None:
    parquet, csv, html = tmp_path / "s.parquet", tmp_path / "s.csv", tmp_path / "s.html"
    args = [*BASE, "--grid", "volatility=40%:80%:3", "--grid", f"{SHARES}=2M,3M"]
    out = run([*args, "-o", str(parquet), "--plot", str(html)])
    assert out.exit_code == 0, out.output
    assert "table written to" in out.stdout and "chart written to" in out.stdout
    frame = pd.read_parquet(parquet)
    assert len(frame) == 6 * 3 and list(frame.columns[:3]) == ["point", "volatility", SHARES]
    assert "Heatmap" in html.read_text() or "heatmap" in html.read_text()
    assert run([*args, "-o", str(csv)]).exit_code == 0
    assert pd.read_csv(csv).equals(frame)
    doc = json.loads(run([*args, "--json"]).stdout)
    assert [p["holders"] for p in doc["points"]] == [
        {h: float(v) for h, v in g.set_index("holder")["value"].items()} for _, g in frame.groupby("point")]


@pytest.mark.parametrize(("args", "line"), [
    (["--grid", "volatility=40%:80%"], f"error: --grid volatility=40%:80%: {RANGE}"),
    (["--grid", "nothing=1,2"], "error: --grid nothing: names neither a value option"),
    ([], "error: a sweep needs at least one --grid NAME=SPEC (e.g. --grid volatility=30%:70%:5)"),
    (["--grid", "volatility=1,2", "--grid", "term=1,2", "--grid", "rate=1%,2%", "--plot", "x.html"],
     "error: --plot draws one axis (lines) or two (a heatmap), and this sweep has 3: write the table with -o "
     "instead"),
    (["--grid", "volatility=1,2", "-o", "x.xlsx"],
     "error: cannot write x.xlsx: a table's name ends in .parquet or .csv"),
    (["--grid", "volatility=1,2", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
     "error: give --scheduler ADDRESS or --workers W, not both"),
])
def test_command_errors_are_error_lines_and_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          args: list[str], line: str) -> None:
    monkeypatch.chdir(tmp_path)
    out = run([*BASE, *args, "-o", "t.parquet"] if "-o" not in args else [*BASE, *args])
    assert out.exit_code == 2
    assert out.stderr.startswith(line), out.stderr
    assert out.stdout == "" and list(tmp_path.iterdir()) == []


def test_a_bad_point_leaves_no_file(tmp_path: Path) -> None:
    out = run([*BASE, "--volatility", "60%", "--grid", f"{SHARES}=2M,-1", "-o", str(tmp_path / "t.csv")])
    assert out.exit_code == 2
    assert out.stderr == (f"error: {SHARES} = -1: entities[0].holdings[2].shares: must not be negative, got -1\n")
    assert list(tmp_path.iterdir()) == []


def test_outputs_are_written_together_or_not_at_all(tmp_path: Path) -> None:
    # The table can be written, the chart cannot (its folder is missing): neither is left behind.
    out = run([*BASE, "--grid", "volatility=40%,60%", "-o", str(tmp_path / "t.parquet"),
               "--plot", str(tmp_path / "missing" / "c.html")])
    assert out.exit_code == 2 and out.stderr.startswith(f"error: cannot write {tmp_path / 'missing' / 'c.html'}")
    assert list(tmp_path.iterdir()) == []


def test_on_dask_workers_the_numbers_are_the_same(seed: sf.Scenario) -> None:
    # Two in-process Dask workers (separate processes and a killed worker: tests/valuation/test_cluster.py).
    from dask.distributed import Client, LocalCluster

    # 4 points of 9 chunks on 2 worker threads: tasks of 2 chunks (simulation.bundles), one chunk of 1 path.
    mc = {"equity_value": "12M", "rate": "4%", "term": 3, "paths": 8 * 65_536 + 1, "seed": 9, "chunk_size": 65_536}
    grid = {"volatility": "40%,60%", SHARES: "2M,3M"}
    here_mc = sf.sweep(seed, "montecarlo", grid, **mc)  # type: ignore[arg-type]
    here_opm = sf.sweep(seed, "opm", grid, equity_value="12M", rate="4%", term=3)
    with LocalCluster(n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        there_mc = sf.sweep(seed, "montecarlo", grid, client=client, **mc)  # type: ignore[arg-type]
        there_opm = sf.sweep(seed, "opm", grid, equity_value="12M", rate="4%", term=3, client=client)
    assert there_mc.to_json() == here_mc.to_json() and there_opm.to_json() == here_opm.to_json()
    assert there_mc.where.startswith("dask") and here_mc.where == "local"


def test_chunks_arriving_out_of_order_merge_as_in_order() -> None:
    import numpy as np

    from stakeflow.valuation.moments import Moments, merge_in_order
    from stakeflow.valuation.simulation import Chunk, InOrder

    rng = np.random.default_rng(0)
    blocks = [Moments.of(rng.lognormal(size=(1000, 3))) for _ in range(7)]
    chunks = [Chunk(0, 0, 3), Chunk(0, 3, 2), Chunk(1, 0, 2)]
    merged = InOrder(chunks, 2)
    merged.add(2, blocks[5:])
    merged.add(1, blocks[3:5])
    assert merged.next == 0  # nothing merged before the first chunk arrives
    merged.add(0, blocks[:3])
    first, second = merged.result()
    want = merge_in_order(blocks[:5])
    assert first.count == 5000 and np.array_equal(first.mean, want.mean) and np.array_equal(first.m2, want.m2)
    assert np.array_equal(second.mean, merge_in_order(blocks[5:]).mean)


def test_progress_counts_points_or_paths_up_to_the_whole_sweep(seed: sf.Scenario) -> None:
    seen: list[tuple[int, int]] = []
    sf.sweep(seed, "opm", {"volatility": "40%,60%", SHARES: "2M,3M"}, equity_value="12M", term=3, rate="4%",
             progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    seen.clear()
    sf.sweep(seed, "montecarlo", {"volatility": "40%,60%,80%"}, equity_value="12M", term=3, rate="4%",
             paths=2 * 65_536 + 5, seed=1, chunk_size=65_536, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3 * (2 * 65_536 + 5),) * 2 and len(seen) == 3 * 3  # three chunks a point


def test_chunks_group_into_tasks_in_order_without_passing_the_target() -> None:
    from stakeflow.valuation.distributions import RiskNeutralLognormal
    from stakeflow.valuation.simulation import Run, bundles, plan

    law = RiskNeutralLognormal(1e6, 0.5, 1.0, 0.0)
    runs = [Run(0, law, 100_000, 1), Run(0, law, 100_000, 1), Run(0, law, 5 * 65_536, 1), Run(0, law, 10, 1)]
    chunks = plan(runs, 2 * 65_536)
    assert [(c.run, c.first, c.count) for c in chunks] == [(0, 0, 2), (1, 0, 2), (2, 0, 2), (2, 2, 2), (2, 4, 1),
                                                           (3, 0, 1)]
    groups = bundles(chunks, runs, 4 * 65_536)
    assert groups == [[0, 1], [2, 3], [4, 5]]
    assert all(sum(chunks[i].paths(runs) for i in g) <= 4 * 65_536 for g in groups)
    assert bundles(chunks, runs, 1) == [[i] for i in range(len(chunks))]  # at least one chunk a task
