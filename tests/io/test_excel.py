"""Excel and CSV output: sheets, headers, number formats, frozen header rows, the inputs sheet,
and numbers equal to the exact engine's results.

The exact engine's amounts are rationals; a table holds each as the nearest double. CSV keeps
that double exactly (its shortest decimal). openpyxl writes a workbook's numbers to 16
significant digits ("%.16g", openpyxl.compat.strings.safe_string), one more than Excel shows,
so a cell read back equals the engine's double rounded to 16 significant digits: that is
what the workbook tests compare, exactly.
"""

from __future__ import annotations

import csv
import json
import re
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app
from stakeflow.io import _messages as M
from stakeflow.io.atomic import write_all
from stakeflow.io.excel import number_format, sheet_names, write_csv, write_xlsx
from stakeflow.io.tables import breakpoints_tables, export, inputs, waterfall_tables
from stakeflow.payoff import payoff_curve
from stakeflow.scenario.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed.yaml"
STACKED = ROOT / "examples" / "venture_stacked.yaml"


def xl(x: object) -> float:
    """The engine's value as a workbook cell holds it: the double, to 16 significant digits."""
    return float(f"{float(x):.16g}")  # type: ignore[arg-type]


def rows(ws) -> list[list[object]]:
    return [[c.value for c in r] for r in ws.iter_rows()]


def test_workbook_layout(tmp_path: Path) -> None:
    df = pd.DataFrame({"holder": ["a", "b"], "amount": [1234567.891, 0.5], "share": [0.25, 0.75],
                       "shares": [1000, 2000], "per_share": [1.23456, 2.0]})
    out = write_xlsx(tmp_path / "t.xlsx", {"payouts": df}, {"scenario": "Test", "exit values": [10, 20]},
                     currency="EUR")
    wb = load_workbook(out)
    assert wb.sheetnames == ["payouts", "inputs"]
    ws = wb["payouts"]
    assert rows(ws)[0] == ["holder", "amount", "share", "shares", "per_share"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert [ws.cell(2, j).number_format for j in range(2, 6)] == [
        '"€"#,##0.00', "0.00%", "#,##0", '"€"#,##0.0000']
    assert ws["B2"].value == 1234567.891 and ws["C3"].value == 0.75
    assert ws.column_dimensions["B"].width >= len("€ 1,234,567.89")
    assert rows(wb["inputs"]) == [["input", "value", None], ["scenario", "Test", None], ["exit values", 10, 20]]
    assert wb["inputs"]["B3"].number_format == '"€"#,##0.00'  # an exit value is an amount


def test_number_formats() -> None:
    assert number_format("money", "USD") == '"$"#,##0.00'
    assert number_format("money", "SEK") == '#,##0.00 "SEK"'
    assert number_format("price", "GBP") == '"£"#,##0.0000'
    assert number_format("shares", decimals=4) == "#,##0.0000"
    assert number_format("0.000") == "0.000"


def test_sheet_names_follow_excel_rules() -> None:
    assert sheet_names(["a/b", "x" * 40, "x" * 40, "Inputs", "inputs"]) == [
        "a_b", "x" * 31, "x" * 27 + " (2)", "Inputs", "inputs (2)"]


def test_waterfall_numbers_are_the_exact_engines(tmp_path: Path) -> None:
    sc = sf.load(STACKED)
    results = [sf.waterfall(sc, v) for v in ("100M", "181.92M", "1B")]
    given = inputs(sc, STACKED, "company", exit_values=[r.exit_value for r in results])
    export(tmp_path / "w.xlsx", tmp_path / "w", waterfall_tables(results), given, say=lambda _: None)
    wb = load_workbook(tmp_path / "w.xlsx")
    assert wb.sheetnames == ["payouts", "shares", "classes", "inputs"]
    pay = rows(wb["payouts"])
    assert pay[0] == ["holder", "name", "100,000,000", "181,920,000", "1,000,000,000"]
    for line in pay[1:]:
        assert line[2:] == [xl(r.holders[str(line[0])]) for r in results]
    assert wb["payouts"]["C2"].number_format == '"$"#,##0.00' and wb["shares"]["C2"].number_format == "0.00%"
    share = rows(wb["shares"])
    assert share[1][2:] == [xl(r.holders[str(share[1][0])] / r.exit_value) for r in results]
    given_rows = {r[0]: r[1:] for r in rows(wb["inputs"])}
    assert given_rows["exit values"] == [1e8, 1.8192e8, 1e9] and given_rows["entity"][0] == "company"
    with (tmp_path / "w" / "payouts.csv").open() as f:
        table = list(csv.reader(f))
    assert table[0] == pay[0]
    for line in table[1:]:
        assert [float(x) for x in line[2:]] == [float(r.holders[line[0]]) for r in results]
    classes = rows(wb["classes"])
    assert classes[0] == ["exit_value", "entity", "part", "claimant", "amount", "converted"]
    total = sum(float(line[4]) for line in classes[1:] if line[0] == 1e9)
    assert total == pytest.approx(1e9, rel=1e-15)


def test_breakpoints_tables(tmp_path: Path) -> None:
    sc = sf.load(SEED)
    curve = payoff_curve(sc)
    export(tmp_path / "b.xlsx", None, breakpoints_tables(curve), inputs(sc, SEED, curve.entity), say=lambda _: None)
    wb = load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames == ["holders", "classes", "payouts", "slope after", "inputs"]
    holders = rows(wb["holders"])
    # Seed example header: breakpoints at $2.5M (preference), $4.1M (options) and $11.7M (conversion).
    assert [line[1] for line in holders[1:]] == [0, 2.5e6, 4.1e6, 11.7e6]
    assert holders[-1][2] is None  # the last tranche is open-ended
    assert holders[1][3:] == [xl(curve.slopes[h][0]) for h in curve.holders]
    pay = rows(wb["payouts"])
    assert pay[-1][1:] == [xl(curve.values[h][-1]) for h in curve.holders]
    assert wb["holders"]["D2"].number_format == "0.00%" and wb["payouts"]["B2"].number_format == '"$"#,##0.00'


def test_csv_paths_and_errors(tmp_path: Path) -> None:
    df = pd.DataFrame({"x": [Fraction(1, 3)]})
    written = write_csv(tmp_path / "one.csv", {"main": df, "other": df}, {"k": "v"})
    assert [p.name for p in written] == ["one.csv", "one-other.csv", "one-inputs.csv"]
    assert (tmp_path / "one.csv").read_text().splitlines() == ["x", repr(1 / 3)]
    folder = write_csv(tmp_path / "tables", {"main": df})
    assert [p.name for p in folder] == ["main.csv"]
    with pytest.raises(InputError, match=re.escape(M.CSV_SUFFIX.format(path=tmp_path / "x.txt"))):
        write_csv(tmp_path / "x.txt", {"main": df})
    with pytest.raises(InputError, match=re.escape(M.XLSX_SUFFIX.format(path=tmp_path / "x.xls"))):
        write_xlsx(tmp_path / "x.xls", {"main": df}, {})
    with pytest.raises(InputError, match="does not exist"):
        write_xlsx(tmp_path / "no" / "x.xlsx", {"main": df}, {})


def test_all_or_nothing(tmp_path: Path) -> None:
    """A failure while writing the second file leaves neither file behind."""
    def boom(_: Path) -> None:
        raise OSError("disk full")

    first = tmp_path / "first.csv"
    with pytest.raises(InputError, match=r"cannot write .*second\.csv: disk full"):
        write_all([(first, lambda p: p.write_text("ok")), (tmp_path / "second.csv", boom)])
    assert list(tmp_path.iterdir()) == []


def test_cli_waterfall_xlsx_and_csv(tmp_path: Path) -> None:
    out, folder = tmp_path / "seed.xlsx", tmp_path / "seed"
    res = CliRunner().invoke(app, ["waterfall", str(SEED), "--exit", "50M", "--xlsx", str(out), "--csv", str(folder),
                                   "--json"])
    assert res.exit_code == 0, res.output
    sf_res = sf.waterfall(sf.load(SEED), "50M")
    pay = {line[0]: line[2] for line in rows(load_workbook(out)["payouts"])[1:]}
    assert pay == {k: xl(v) for k, v in sf_res.holders.items()}
    with (folder / "payouts.csv").open() as f:
        table = list(csv.reader(f))
    assert {line[0]: float(line[2]) for line in table[1:]} == {k: float(v) for k, v in sf_res.holders.items()}
    assert sorted(p.name for p in folder.iterdir()) == ["classes.csv", "inputs.csv", "payouts.csv"]
    assert f"wrote {out}" in res.stderr


def test_cli_bad_table_path_exits_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["waterfall", str(SEED), "--exit", "50M", "--xlsx", str(tmp_path / "x.ods")])
    assert res.exit_code == 2
    assert res.stderr.startswith("error: ") and M.XLSX_SUFFIX.format(path=tmp_path / "x.ods") in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_breakpoints_tables(tmp_path: Path) -> None:
    out = tmp_path / "bp.xlsx"
    res = CliRunner().invoke(app, ["breakpoints", str(SEED), "--xlsx", str(out), "--csv", str(tmp_path / "bp.csv")])
    assert res.exit_code == 0, res.output
    curve = payoff_curve(sf.load(SEED))
    got = [line[1] for line in rows(load_workbook(out)["payouts"])[1:]]
    assert got == [xl(curve.values["founders"][k]) for k in range(len(curve.breakpoints))]
    assert sorted(p.name for p in tmp_path.glob("bp*.csv")) == [
        "bp-classes.csv", "bp-inputs.csv", "bp-payouts.csv", "bp-slope_after.csv", "bp.csv"]


def test_cli_value_tables(tmp_path: Path) -> None:
    out = tmp_path / "v.xlsx"
    args = ["value", str(SEED), "--method", "opm", "--equity-value", "25M", "--volatility", "60%", "--term", "3",
            "--rate", "4%"]
    res = CliRunner().invoke(app, [*args, "--xlsx", str(out), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    wb = load_workbook(out)
    assert wb.sheetnames == ["holders", "classes", "inputs"]
    assert {line[0]: line[2] for line in rows(wb["holders"])[1:]} == {k: xl(v) for k, v in doc["holders"].items()}
    assert {line[0]: line[3] for line in rows(wb["classes"])[1:]} == {k: xl(v) for k, v in doc["classes"].items()}
    assert wb["classes"]["D2"].number_format == '"$"#,##0.0000'
    given = {r[0]: r[1] for r in rows(wb["inputs"])}
    assert (given["method"], given["equity value"], given["volatility"]) == ("opm", 25e6, 0.6)


def test_cli_round_tables(tmp_path: Path) -> None:
    """The YC example's Series A (examples/yc_safe.yaml): the tables hold the round's own figures."""
    out = tmp_path / "r.xlsx"
    args = ["round", str(ROOT / "examples" / "yc_safe.yaml"), "--pre-money", "15M", "--invest", "lead=4M",
            "--invest", "others=1M", "--pool-class", "pool", "--pool-target", "10%", "--new-class", "series_a"]
    res = CliRunner().invoke(app, [*args, "--xlsx", str(out), "--csv", str(tmp_path / "r"), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    wb = load_workbook(out)
    assert wb.sheetnames == ["round", "conversions", "issued", "ownership", "inputs"]
    head, line = rows(wb["round"])
    fig = dict(zip(head, line, strict=True))
    assert (fig["price_per_share"], fig["pool_increase"]) == (xl(doc["price_per_share"]), xl(doc["pool_increase"]))
    assert {r[0]: r[3] for r in rows(wb["ownership"])[1:]} == {k: xl(v) for k, v in doc["ownership"].items()}
    assert {r[0]: r[2] for r in rows(wb["issued"])[1:]} == {k: xl(v) for k, v in doc["issued"].items()}
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "conversions.csv", "inputs.csv", "issued.csv", "ownership.csv", "round.csv"]


def test_cli_tables_all_or_nothing(tmp_path: Path) -> None:
    """A bad CSV destination stops the command before the workbook is written."""
    res = CliRunner().invoke(app, ["waterfall", str(SEED), "--exit", "50M", "--xlsx", str(tmp_path / "ok.xlsx"),
                                   "--csv", str(tmp_path / "tables.txt")])
    assert res.exit_code == 2
    assert M.CSV_SUFFIX.format(path=tmp_path / "tables.txt") in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_many_exits_make_whole_frames_without_pandas_warnings(tmp_path: Path) -> None:
    # 150 exits: past the 100 column insertions after which pandas warns that a frame is fragmented.
    import warnings

    sc = sf.load(SEED)
    results = [sf.waterfall(sc, 1_000_000 * (i + 1)) for i in range(150)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sheets, formats = waterfall_tables(results)
        write_xlsx(tmp_path / "w.xlsx", sheets, {"exits": 150}, formats)
    pay = rows(load_workbook(tmp_path / "w.xlsx")["payouts"])
    assert len(pay[0]) == 2 + 150
    assert [line[2 + 149] for line in pay[1:]] == [xl(v) for v in results[-1].holders.values()]
