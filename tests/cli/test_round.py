"""``stakeflow round``: the YC example in three commands, the JSON document, the written scenario,
and every bad option with its message, exit status 2 and no output file.

Sources of the figures: see test_round_published.py (Y Combinator, Kirsty Nathoo, "Understanding
SAFEs and Priced Equity Rounds", Startup School 2018) and test_antidilution.py (Gust, "Anti-Dilution").
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.analysis import _instrument_messages as M
from stakeflow.analysis.rounds import price_round
from stakeflow.cli import app
from stakeflow.scenario import errors as E

ROOT = Path(__file__).resolve().parents[2]
YC_PATH = ROOT / "examples" / "yc_safe.yaml"


def run(args: list[str]) -> tuple[int, str, str]:
    res = CliRunner().invoke(app, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout, res.stderr


def test_yc_three_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(YC_PATH)]).exit_code == 0
    out = tmp_path / "yc_series_a.yaml"
    res = runner.invoke(app, ["round", str(YC_PATH), "--pre-money", "15M", "--invest", "lead=4M", "--invest",
                              "others=1M", "--pool-class", "pool", "--pool-target", "10%", "--new-class",
                              "series_a", "-o", str(out), "--json"])
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert list(doc) == ["price_per_share", "pool_increase", "issued", "converted", "post_money_shares", "ownership"]
    assert doc["price_per_share"] == 1.1144 and doc["issued"] == {"lead": 3_589_375.0, "others": 897_343.0}
    assert doc["converted"] == {"safe_a": 588_235.0, "safe_b": 1_176_470.0}
    assert abs(sum(doc["ownership"].values()) - 1) < 1e-12
    after = sf.load(out)  # the written scenario loads and is the one the round computed
    same = price_round(sf.load(YC_PATH), "15M", {"lead": "4M", "others": "1M"}, pool_class="pool", pool_target="10%")
    assert after == same.scenario
    res = runner.invoke(app, ["waterfall", str(out), "--exit", "100M", "--json"])
    assert res.exit_code == 0
    w = json.loads(res.stdout)
    assert abs(sum(w["holders"].values()) - 100e6) < 1e-6
    assert sorted(w["entities"]["company"]["converted"]) == ["safe_a", "safe_b", "series_a"]


GUST = """
stakeflow: 1
holders: [{id: founders}, {id: fund_a}, {id: fund_b}, {id: staff}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: series_a, kind: preferred, price_per_share: 1, anti_dilution: broad_based}
      - {id: series_b, kind: preferred, price_per_share: 2, anti_dilution: broad_based}
      - {id: options, kind: option, strike: 0.1}
    holdings:
      - {holder: founders, class: common, shares: 1_500_000}
      - {holder: fund_a, class: series_a, shares: 2_500_000}
      - {holder: fund_b, class: series_b, shares: 2_000_000}
      - {holder: staff, class: options, shares: 1_000_000}
"""


def test_adjusted_file_reads_back(tmp_path: object) -> None:
    # 9/8 and 6/5 are exact decimals (1.125, 1.2): the written scenario is the computed one.
    from pathlib import Path

    src = Path(str(tmp_path)) / "gust.yaml"
    src.write_text(GUST)
    out = Path(str(tmp_path)) / "after.yaml"
    res = CliRunner().invoke(app, ["round", str(src), "--pre-money", "3.5M", "--invest", "series_c=1M",
                                   "--new-class", "series_c", "-o", str(out), "--json"])
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["post_money_shares"] == 9_712_500
    after = sf.load(out)
    assert after.entities[0].stock_class("series_a").conversion_ratio == Fraction(9, 8)


YC = str(YC_PATH)
SAFE_ONLY = """stakeflow: 1
holders: [{id: founders}, {id: inv}]
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: x, kind: safe, invested: 1.5M, discount: 25%}
    holdings:
      - {holder: founders, class: common, shares: 1M}
      - {holder: inv, class: x, shares: 100}
"""
ROUND = ["round", YC, "--pre-money", "15M", "--invest", "lead=4M"]

ROUND_CASES = [
    # The command line's own reading of its options (cli/_messages.py); the library's checks, said
    # with flags here and keywords in Python: tests/analysis/test_instrument_messages.py.
    (["round", YC, "--pre-money", "15M", "--invest", "lead"],
     "--invest 'lead': write HOLDER=AMOUNT, e.g. --invest lead=4M"),
    ([*ROUND, "--invest", "lead=1M"], "investor 'lead' is given twice; give one --invest per investor"),
    ([*ROUND, "--date", "2025-13-01"], "--date '2025-13-01' is not a date (write YYYY-MM-DD, e.g. 2025-06-30)"),
    (["round", YC, "--pre-money", "15M", "--invest", "company=4M"], M.INVEST_SELF.format(id="company")),
    ([*ROUND, "--pool-class", "pool", "--pool-target", "90%"],
     M.POOL_TOO_LARGE.format(target="90.00%", sold="21.05%")),
    ([*ROUND, "--price-decimals", "0", "--conversion-price-decimals", "0"],
     M.PRICE_ROUNDS_TO_ZERO.format(what="conversion price of safe_a", decimals=0)),
    # A problem of the file, found when it is used: the line names the file.
    ([*ROUND, "--entity", "nowhere"], f"{YC_PATH}: " + E.UNKNOWN_ENTITY.format(id="nowhere", known="company")),
]


@pytest.mark.parametrize(("args", "message"), ROUND_CASES, ids=[m[:40] for _, m in ROUND_CASES])
def test_bad_round(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "after.yaml"
    code, stdout, err = run([*args, "-o", str(out)])
    assert code == 2 and stdout == "", err
    assert err.strip().splitlines() == [f"error: {message}"]
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no partial output


def test_discounted_conversions_worth_the_whole_pre_money(tmp_path: Path) -> None:
    # $1.5M at a 25% discount converts at 75% of the price: worth $2M of a $2M pre-money.
    f = tmp_path / "s.yaml"
    f.write_text(SAFE_ONLY)
    code, _, err = run(["round", str(f), "--pre-money", "2M", "--invest", "vc=1M"])
    assert code == 2 and err.strip() == "error: " + M.NO_CONSISTENT_PRICE.format(ids="x")


def test_round_output_to_a_missing_folder_writes_nothing(tmp_path: Path) -> None:
    code, _, err = run([*ROUND, "-o", str(tmp_path / "no" / "after.yaml")])
    assert code == 2 and err.startswith("error: ") and not (tmp_path / "no").exists()


def test_round_bad_output_leaves_no_spreadsheet_behind(tmp_path: Path) -> None:
    code, _, err = run([*ROUND, "--xlsx", str(tmp_path / "round.xlsx"), "-o", str(tmp_path / "no" / "after.yaml")])
    assert code == 2 and "does not exist" in err
    assert list(tmp_path.iterdir()) == []


def test_round_tables_without_json() -> None:
    code, out, _ = run(["round", YC, "--pre-money", "15M", "--invest", "lead=4M", "--invest", "others=1M",
                        "--pool-class", "pool", "--pool-target", "10%"])
    assert code == 0
    for text in ("price per share", "1.1144", "SAFEs and notes converted", "588,235", "3,589,375", "20.00%"):
        assert text in out
