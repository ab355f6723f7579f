"""Open Cap Table Format import: the published OCF 1.2.0 samples, hand-made packages whose
holdings are computed by hand from their transactions, splits, and bad packages.

Sources: the OCF 1.2.0 sample files (Open Cap Table Coalition, ../shared/ocf-samples/v1.2.0,
README there: 4 stakeholders, common and Series Seed preferred with a 2x preference and a 2x
participation cap, 80 transactions); the OCF schema documentation for the meaning of each
transaction (a transfer or exercise moves a quantity into the new securities it names).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from ocf_packages import (
    SAMPLES,
    common,
    event,
    option,
    plan,
    preferred,
    safe,
    same_payouts,
    stakeholder,
    stock,
    warrant,
    write_package,
    zip_folder,
)
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app
from stakeflow.io import _messages as M
from stakeflow.io import import_ocf

MANIFEST = SAMPLES / "Manifest.ocf.json"


def holdings(sc: sf.Scenario) -> dict[tuple[str, str], Fraction]:
    return {(h.holder, h.class_): h.shares for h in sc.entities[0].holdings or ()}


def classes(sc: sf.Scenario) -> dict[str, sf.StockClass]:
    return {c.id: c for c in sc.entities[0].classes or ()}


# --- the published samples --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample() -> object:
    return import_ocf(MANIFEST)


def test_sample_counts(sample) -> None:
    c = sample.counts
    assert (c["stakeholders"], c["stock_classes"], c["transactions"]) == (4, 2, 80)
    names = {h.name for h in sample.scenario.holders}
    assert {"Person X", "Person Y", "XYZ Holdings Fund III", "XYZ Holdings Fund IV"} <= names
    kinds = Counter(cl.kind for cl in sample.scenario.entities[0].classes)
    assert kinds["common"] == 1 and kinds["preferred"] == 1


def test_sample_series_seed_terms(sample) -> None:
    seed = classes(sample.scenario)["series_seed_preferred"]
    assert seed.kind == "preferred"
    assert seed.liquidation_preference_multiple == 2  # "liquidation_preference_multiple": "2"
    assert seed.participating and seed.participation_cap_multiple == 2  # "participation_cap_multiple": "2"
    assert seed.seniority == 2
    # No price_per_share in the sample: conversion price 1.00 x ratio 1/1 gives the issue price.
    assert seed.price_per_share == 1
    assert any("conversion price" in n and "series_seed_preferred" in n for n in sample.notes)


def test_every_sample_transaction_is_mapped_or_listed(sample) -> None:
    items = json.loads((SAMPLES / "Transactions.ocf.json").read_text())["items"]
    want = Counter((t["object_type"], t["id"]) for t in items)
    got = Counter((o.object_type, o.id) for o in [*sample.applied, *sample.unmapped, *sample.ignored]
                  if o.object_type.startswith(("TX_", "CE_")))
    assert got == want
    assert sum(want.values()) == 80 and len({t for t, _ in want}) == 36  # 36 kinds of transaction


def test_sample_unmapped_named_by_type_and_id(sample) -> None:
    by_key = {(o.object_type, o.id): o.reason for o in sample.unmapped}
    assert by_key[("TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT", "change-conversion-ratio-following-down-round")] \
        == M.RATIO_ON_COMMON
    assert M.UNKNOWN_STAKEHOLDER.format(ref="stk_567890") in by_key[
        ("TX_CONVERTIBLE_ISSUANCE", "test-safe-issuance-all-fields")]
    assert M.UNKNOWN_STOCK_CLASS.format(ref="stock-class-id") in by_key[
        ("TX_WARRANT_ISSUANCE", "test-warrant-issuance-full-fields")]
    assert by_key[("TX_STOCK_ISSUANCE", "test-stock-issuance-minimal-RSA")] == M.DUPLICATE_SECURITY.format(
        ref="test-security-id", other="test-plan-security-issuance-any-of-block-for-compensation-type-option")
    ignored = {(o.object_type, o.id): o.reason for o in sample.ignored}
    assert ignored[("TX_VESTING_START", "test-plan-security-id-vesting-start")] == M.NO_EFFECT_VESTING


def test_sample_yaml_reads_back_and_lists_what_is_left_out(sample) -> None:
    text, rounded = sample.to_yaml()
    assert rounded == []
    assert sf.loads(text) == sample.scenario
    header = [line for line in text.splitlines() if line.startswith("#")]
    for o in [*sample.unmapped, *sample.ignored]:
        assert f"#   - {o.object_type} {o.id}: {o.reason}" in header


def test_zip_and_folder_give_the_same_scenario(tmp_path: Path, sample) -> None:
    folder = tmp_path / "pkg"
    shutil.copytree(SAMPLES, folder)
    assert import_ocf(folder).scenario == sample.scenario
    flat = zip_folder(SAMPLES, tmp_path / "flat.zip")
    assert import_ocf(flat).scenario == sample.scenario
    nested = zip_folder(SAMPLES, tmp_path / "nested.ocf.zip", prefix="acme-export/")
    assert import_ocf(nested).scenario == sample.scenario


# --- a coherent package, computed by hand -----------------------------------------------------------
def _acme(tmp_path: Path) -> Path:
    txs = [
        stock("s1", "alice", "cs", "6000000", "0.0001", date="2015-01-01"),
        stock("s2", "fund", "ser_a", "1000000", "2.00"),
        event("TX_STOCK_CANCELLATION", "c1", "s1", date="2020-06-01", quantity="100000", reason_text="forfeit"),
        event("TX_STOCK_TRANSFER", "t1", "s1", date="2021-01-01", quantity="400000", resulting_security_ids=["s3"]),
        stock("s3", "carol", "cs", "400000", "0.0001", date="2021-01-01"),
        event("TX_STOCK_REPURCHASE", "r1", "s3", date="2021-06-01", quantity="50000",
              price={"amount": "3.00", "currency": "USD"}),
        option("o1", "bob", "eip", "200000", "0.50"),
        event("TX_EQUITY_COMPENSATION_EXERCISE", "x1", "o1", date="2021-02-01", quantity="50000",
              resulting_security_ids=["s4"]),
        stock("s4", "bob", "cs", "50000", "0.50", date="2021-02-01"),
        event("TX_EQUITY_COMPENSATION_CANCELLATION", "oc1", "o1", date="2021-03-01", quantity="10000",
              reason_text="left"),
        option("o2", "carol", "eip", "100000", "0.50"),
        option("o3", "carol", "eip", "30000", "1.25"),
        option("u1", "bob", "eip", "10000", "0", kind="RSU"),
        warrant("w1", "fund", "cs", "25000", "2.00"),
        warrant("w2", "fund", "ser_a", "5000", "2.00"),
        stock("s5", "bob", "cs", "1000"),
        event("TX_STOCK_RETRACTION", "rt1", "s5", date="2020-02-01", reason_text="error"),
        stock("s6", "bob", "nonexistent", "1000"),
        event("TX_STOCK_TRANSFER", "t2", "s2", date="2022-01-01", quantity="1000", resulting_security_ids=["ghost"]),
        event("TX_STOCK_ACCEPTANCE", "a1", "s2"),
    ]
    return write_package(tmp_path / "acme", {
        "stakeholders": [stakeholder("alice", "Alice A.", "FOUNDER"), stakeholder("bob", "Bob B.", "EMPLOYEE"),
                         stakeholder("carol", "Carol C.", "EMPLOYEE"), stakeholder("fund", "Fund LP", "INVESTOR")],
        "stock_classes": [common("cs"), preferred("ser_a", "Series A Preferred", common_id="cs", price="2.00",
                                                  cap="3", conversion_price="2.00")],
        "stock_plans": [plan("eip", "Equity Incentive Plan", "1000000", "cs")],
        "transactions": txs,
    })


def test_holdings_net_of_transactions(tmp_path: Path) -> None:
    res = import_ocf(_acme(tmp_path))
    sc = res.scenario
    assert sc.entities[0].id == "acme"
    pool = "pool_equity_incentive_plan"
    assert holdings(sc) == {
        ("alice", "cs"): 6_000_000 - 100_000 - 400_000,  # cancelled 100k, transferred 400k
        ("bob", "cs"): 50_000,  # from the exercise
        ("carol", "cs"): 400_000 - 50_000,  # transferred in, 50k repurchased
        ("fund", "ser_a"): 1_000_000,  # the transfer to an unknown security is not applied
        ("bob", "equity_incentive_plan_at_0_5"): 200_000 - 50_000 - 10_000,
        ("carol", "equity_incentive_plan_at_0_5"): 100_000,
        ("carol", "equity_incentive_plan_at_1_25"): 30_000,
        ("bob", "equity_incentive_plan_at_0"): 10_000,  # the RSU
        ("fund", "warrants"): 25_000,
        ("unallocated_pool", pool): 1_000_000 - 340_000,  # reserve less every grant
    }
    cl = classes(sc)
    assert (cl["ser_a"].price_per_share, cl["ser_a"].participating, cl["ser_a"].participation_cap_multiple) == (
        2, True, 3)
    assert cl["equity_incentive_plan_at_1_25"].strike == Fraction(5, 4)
    assert cl["warrants"].strike == 2 and cl[pool].kind == "pool"
    unmapped = {o.id: o.reason for o in res.unmapped}
    assert unmapped == {
        "w2": M.WARRANT_ON_PREFERRED.format(ref="ser_a"),
        "s6": M.UNKNOWN_STOCK_CLASS.format(ref="nonexistent"),
        "t2": M.MISSING_RESULTS.format(refs="ghost"),
    }
    assert {o.id for o in res.applied} == {"c1", "t1", "r1", "x1", "oc1", "rt1", "eip"}
    assert {o.id for o in res.ignored} == {"a1"}


def _split_pair(tmp_path: Path, reissue: bool) -> tuple[Path, Path]:
    base = [
        stock("s1", "alice", "cs", "8000000", date="2019-01-01"),
        stock("s2", "fund", "ser_a", "2000000", "1.00", date="2019-06-01"),
        option("o1", "bob", "eip", "1000000", "0.40", date="2019-06-01"),
        warrant("w1", "fund", "cs", "100000", "1.00", date="2019-06-01"),
    ]
    parts = {
        "stakeholders": [stakeholder("alice", "Alice"), stakeholder("bob", "Bob"), stakeholder("fund", "Fund")],
        "stock_classes": [common("cs"), preferred("ser_a", "Series A", common_id="cs")],
        "stock_plans": [plan("eip", "Plan", "1000000", "cs")],
    }
    plain = write_package(tmp_path / "plain", {**parts, "transactions": base})
    split = [*base, {"object_type": "TX_STOCK_CLASS_SPLIT", "id": "sp", "date": "2020-01-01",
                     "stock_class_id": "cs", "split_ratio": {"numerator": "2", "denominator": "1"}}]
    if reissue:
        split += [event("TX_STOCK_REISSUANCE", "re1", "s1", date="2020-01-01", resulting_security_ids=["s1b"],
                        split_transaction_id="sp"),
                  stock("s1b", "alice", "cs", "16000000", date="2020-01-01")]
    return plain, write_package(tmp_path / "split", {**parts, "transactions": split})


@pytest.mark.parametrize("reissue", [False, True], ids=["split-only", "split-and-reissuance"])
def test_split_changes_no_payout(tmp_path: Path, reissue: bool) -> None:
    plain, split = _split_pair(tmp_path, reissue)
    before, after = import_ocf(plain).scenario, import_ocf(split).scenario
    assert holdings(after)[("alice", "cs")] == 16_000_000
    assert holdings(after)[("bob", "eip")] == 2_000_000
    assert classes(after)["eip"].strike == Fraction(1, 5)
    assert classes(after)["ser_a"].conversion_ratio == 2
    same_payouts(before, after)


def test_stale_mark_yields_to_the_ocf_value(tmp_path: Path) -> None:
    sc = sf.load(Path(__file__).resolve().parents[1] / "cases" / "gust_participating.yaml")
    folder = tmp_path / "pkg"
    folder.mkdir()
    for name, data in sf.io.export_ocf(sc).files.items():
        (folder / name).write_bytes(data)
    again = import_ocf(folder)
    assert classes(again.scenario)["series_a"].invested == 2_000_000  # exact, from the mark
    doc = json.loads((folder / "StockClasses.ocf.json").read_text())
    doc["items"][1]["comments"] = ["stakeflow: invested=2000000; participating=true; liquidation_preference_multiple=3"]
    (folder / "StockClasses.ocf.json").write_text(json.dumps(doc))
    edited = import_ocf(folder)
    assert classes(edited.scenario)["series_a"].liquidation_preference_multiple == 1
    assert M.NOTE_STALE_MARK.format(object="STOCK_CLASS", id="series_a", field="liquidation_preference_multiple") \
        in edited.notes


def test_safes_from_another_system(tmp_path: Path) -> None:
    """SAFEs with the same terms form one class; each holding is its purchase amount (the class's
    amount is shared pro rata to it); different terms make another class; a SAFE without cap or
    discount is listed."""
    path = write_package(tmp_path / "safes", {
        "stakeholders": [stakeholder("f", "Founder"), stakeholder("a", "Angel"), stakeholder("b", "Fund")],
        "stock_classes": [common("cs")],
        "transactions": [stock("s1", "f", "cs", "9000000"),
                         safe("v1", "a", "200000", cap="4000000"), safe("v2", "b", "300000", cap="4000000"),
                         safe("v3", "b", "800000", cap="8000000", discount="0.2", timing="PRE_MONEY"),
                         safe("v4", "a", "50000", timing=None)],
    })
    res = import_ocf(path)
    cl = classes(res.scenario)
    assert (cl["safes"].kind, cl["safes"].invested, cl["safes"].valuation_cap) == ("safe", 500_000, 4_000_000)
    assert (cl["safes_2"].basis, cl["safes_2"].discount) == ("pre_money", Fraction(1, 5))
    assert holdings(res.scenario)[("a", "safes")] == 200_000 and holdings(res.scenario)[("b", "safes")] == 300_000
    assert {o.id: o.reason for o in res.unmapped} == {
        "v4": M.CONVERTIBLE_TERMS.format(kind="SAFE", detail=M.SAFE_NO_TERMS)}


def test_terms_that_make_no_scenario_exit_2(tmp_path: Path) -> None:
    """Post-money SAFEs buying 120% of the company between them cannot be a scenario."""
    path = write_package(tmp_path / "too_much", {
        "stakeholders": [stakeholder("f", "Founder"), stakeholder("a", "Angel")],
        "stock_classes": [common("cs")],
        "transactions": [stock("s1", "f", "cs", "1000"), safe("v1", "a", "600000", cap="1000000"),
                         safe("v2", "a", "600000", cap="1000000", date="2022-02-01")],
    })
    res = CliRunner().invoke(app, ["import-ocf", str(path), "-o", str(tmp_path / "x.yaml")])
    assert res.exit_code == 2 and "the package's terms do not make a valid scenario" in res.stderr
    assert not (tmp_path / "x.yaml").exists()


# --- the command line ---------------------------------------------------------------------------------
def test_cli_import_writes_file_and_warns(tmp_path: Path) -> None:
    out = tmp_path / "acme.yaml"
    res = CliRunner().invoke(app, ["import-ocf", str(MANIFEST), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "warning: not imported: TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT " \
           "change-conversion-ratio-following-down-round: " + M.RATIO_ON_COMMON in res.stderr
    assert sf.load(out).entities[0].id == "acme_industries"
    res = CliRunner().invoke(app, ["import-ocf", str(MANIFEST), "--json"])
    doc = json.loads(res.stdout)
    assert {"object_type": "TX_WARRANT_ISSUANCE", "id": "test-warrant-issuance-full-fields",
            "reason": next(o.reason for o in import_ocf(MANIFEST).unmapped
                           if o.id == "test-warrant-issuance-full-fields")} in doc["unmapped"]
    assert doc["counts"]["transactions"] == 80 and sf.loads(doc["scenario"])


def _bad(tmp_path: Path, name: str) -> Path:
    p = tmp_path / name
    if name == "notes.txt":
        p.write_text("hello")
    elif name == "broken.zip":
        p.write_bytes(b"PK\x03\x04 this is not really a zip")
    elif name == "empty_folder":
        p.mkdir()
    elif name == "no_manifest.zip":
        zip_folder(SAMPLES, p)
        import zipfile

        with zipfile.ZipFile(p) as zf:
            names = [n for n in zf.namelist() if "Manifest" not in n]
            data = {n: zf.read(n) for n in names}
        with zipfile.ZipFile(p, "w") as zf:
            for n, d in data.items():
                zf.writestr(n, d)
    elif name == "bad_json":
        write_package(p, {})
        (p / "Manifest.ocf.json").write_text("{ not json")
    elif name == "missing_part":
        write_package(p, {})
        (p / "Transactions.ocf.json").unlink()
    elif name == "old_version":
        write_package(p, {}, version="1.0.0")
    elif name == "invalid":
        write_package(p, {"stakeholders": [{"object_type": "STAKEHOLDER", "id": "x"}]})
    return p


BAD = {
    "notes.txt": M.NOT_OCF.split(":")[1].strip()[:40],
    "broken.zip": "not a readable zip file",
    "empty_folder": "no OCF manifest found",
    "no_manifest.zip": "no OCF manifest found",
    "bad_json": "not valid JSON",
    "missing_part": "the manifest lists ./Transactions.ocf.json, which is not in the package",
    "old_version": "OCF version '1.0.0'; stakeflow reads OCF 1.2.0",
    "invalid": "invalid/Stakeholders.ocf.json:1: items[0].name (id 'x'): Field required",
    "does_not_exist": "no such file or folder",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, name: str) -> None:
    src = _bad(tmp_path, name)
    out = tmp_path / "out.yaml"
    res = CliRunner().invoke(app, ["import-ocf", str(src), "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith("error: ") and BAD[name] in res.stderr, res.stderr
    assert "Traceback" not in res.output
    assert not out.exists()


def test_output_folder_missing(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir" / "x.yaml"
    res = CliRunner().invoke(app, ["import-ocf", str(MANIFEST), "-o", str(out)])
    assert res.exit_code == 2
    assert M.NO_FOLDER.format(path=out, folder=out.parent) in res.stderr


def test_every_problem_is_located_in_the_part_file_the_user_has(tmp_path: Path) -> None:
    # Pretty-printed parts, as cap table systems write them, so that each object has its own lines.
    pref = preferred("series_a", "Series A", common_id="common")
    pref["seniority"] = "first"
    pref["votes_per_share"] = "one"
    other = common("other", "Other")
    other["initial_shares_authorized"] = [1]
    items = {
        "stakeholders": [stakeholder("alice", "Alice"), stakeholder("bob", "Bob"), stakeholder("alice", "Alice 2")],
        "stock_classes": [common("common"), pref, other, {"object_type": "STOCK_CLASS", "id": "bare", "name": "B",
                                                          "class_type": "COMMON", "default_id_prefix": "B-",
                                                          "initial_shares_authorized": "1", "votes_per_share": "1"}],
        "transactions": [stock("t1", "alice", "common", "1" + "0" * 5000)],
    }
    folder = tmp_path / "pkg"
    write_package(folder, items)
    for part in folder.glob("*.ocf.json"):
        part.write_text(json.dumps(json.loads(part.read_text()), indent=2))
    res = CliRunner().invoke(app, ["import-ocf", str(folder)])
    assert res.exit_code == 2 and res.stdout == ""
    classes, holders, txs = (f"{folder}/{n}" for n in ("StockClasses.ocf.json", "Stakeholders.ocf.json",
                                                       "Transactions.ocf.json"))

    def line_of(file: str, needle: str, after: str) -> int:
        text = Path(file).read_text().splitlines()
        start = next(i for i, t in enumerate(text) if after in t)
        return next(i for i, t in enumerate(text) if i >= start and needle in t) + 1

    lines = res.stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines)
    # One line per problem, no cap on their number, each in its own file with the object's id.
    assert [line.split(": ", 2)[1].rsplit(":", 1)[0] for line in lines] == [holders, classes, classes, classes,
                                                                              classes, txs]
    assert any("items[2].id (id 'alice'): duplicate id 'alice' (also at items[0], line " in line for line in lines)
    assert f"{classes}:{line_of(classes, 'votes_per_share', 'Series A')}: items[1].votes_per_share (id 'series_a'): " \
           "Input should be a valid decimal" in res.stderr
    assert f"{classes}:{line_of(classes, 'seniority', 'Series A')}: items[1].seniority (id 'series_a'): " \
           "Input should be a valid decimal" in res.stderr
    assert "items[2].initial_shares_authorized (id 'other'): Input should be 'NOT APPLICABLE' or 'UNLIMITED'; " \
           in res.stderr
    assert "items[3].seniority (id 'bare'): Field required" in res.stderr
    assert f"{txs}:{line_of(txs, 'quantity', 't1')}: items[0].quantity (id 't1'): '1000000000000000...00000000' is " \
           "out of range: numbers must lie between 1e-30 and 1e30 in size" in res.stderr


def test_a_zipped_package_names_the_part_inside_the_zip(tmp_path: Path) -> None:
    write_package(tmp_path / "pkg", {"stakeholders": [{"object_type": "STAKEHOLDER", "id": "x"}]})
    z = zip_folder(tmp_path / "pkg", tmp_path / "pkg.zip")
    res = CliRunner().invoke(app, ["import-ocf", str(z)])
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [
        f"error: {z}/Stakeholders.ocf.json:1: items[0].name (id 'x'): Field required",
        f"error: {z}/Stakeholders.ocf.json:1: items[0].stakeholder_type (id 'x'): Field required",
    ]
