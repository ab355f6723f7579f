"""`stakeflow validate`, `waterfall` and `explain` as a user runs them (SPEC §7, §8).

Amounts in the expectations are worked by hand in the comments from SPEC §3–4; the JSON must
have exactly the shape SPEC §7 fixes.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stakeflow as sf
from stakeflow.cli import app

CASES = Path(__file__).resolve().parents[1] / "cases"

# One file with every kind of step: two preferred series at two seniorities (one participating
# with a 2x cap), options, a fund vehicle with a capped tier that overflows to a nonprofit, a
# holder that the money never reaches.
EVERYTHING = """\
stakeflow: 1
name: Everything at once
currency: EUR
holders:
  - {id: founders, name: Founders}
  - {id: staff}
  - {id: fund_a}
  - {id: lp}
  - {id: gp}
  - {id: idle}
entities:
  - id: company
    classes:
      - {id: common, kind: common}
      - {id: seed, kind: preferred, price_per_share: 1, seniority: 1}
      - id: series_a
        kind: preferred
        price_per_share: 2
        seniority: 2
        participating: true
        participation_cap_multiple: 2
      - {id: pool, kind: option, strike: 0.5}
    holdings:
      - {holder: founders, class: common, shares: 6M}
      - {holder: staff, class: pool, shares: 1M}
      - {holder: fund_a, class: seed, shares: 1M}
      - {holder: vehicle, class: series_a, shares: 2M}
  - id: vehicle
    distribution:
      - {name: Capital back, shares: {lp: 1}, caps: {lp: 4M}}
      - {name: Capped carry, shares: {lp: 80%, gp: 20%}, caps: {gp: 500k, lp: 7M}, overflow: charity}
      - {name: Rest, shares: {lp: 1}}
  - id: charity
    legal_form: nonprofit
  - id: elsewhere
    classes: [{id: common, kind: common}]
    holdings: [{holder: idle, class: common, shares: 1}]
exit: {entity: company, value: 30M}
"""


@pytest.fixture
def everything(tmp_path: Path) -> Path:
    p = tmp_path / "everything.yaml"
    p.write_text(EVERYTHING)
    return p


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def by_hand_at_30m() -> dict[str, Fraction]:
    """SPEC §3–4 at $30M. Series A (senior, $4M preference, cap 2 x $4M = $8M) is paid first;
    the seed (1M at $1) converts. Residual $26M over common 6M, seed 1M, series A 2M, options
    1M at $0.50: with A uncapped, 9P + (P − 0.5) = 26 would give P = 2.65 and A 4M + 5.3M over
    its cap, so A stops at $8M ($4M of residual) and 7P + (P − 0.5) = 22 gives P = 2.8125.
    The seed converted gets $2.8125M > $1M (it converts); unconverted it would take $1M.
    The vehicle's $8M: lp $4M capital; then lp 80% / gp 20% until gp has $500k (after $2.5M,
    lp at $6M); gp's 20% then overflows to the charity until lp reaches $7M ($1.25M more:
    charity $250k); the remaining $250k goes to lp in the last tier."""
    p = Fraction(22 + Fraction(1, 2), 8)
    assert p == Fraction(45, 16)
    return {
        "founders": 6_000_000 * p,
        "staff": 1_000_000 * (p - Fraction(1, 2)),
        "fund_a": 1_000_000 * p,
        "lp": Fraction(7_250_000),
        "gp": Fraction(500_000),
        "charity": Fraction(250_000),
    }


def test_the_hand_calculation_matches_the_engine(everything: Path) -> None:
    assert sf.waterfall(sf.load(everything), "30M").holders == by_hand_at_30m()


# --- waterfall --json: SPEC §7 ----------------------------------------------------------------
def test_waterfall_json_is_one_document_of_the_spec_shape(everything: Path) -> None:
    code, out, err = run("waterfall", everything, "--json")  # exit.value and exit.entity
    assert (code, err) == (0, "")
    doc = json.loads(out)  # exactly one JSON document: json.loads rejects anything after it
    assert set(doc) == {"entity", "exit_value", "holders", "entities"}
    assert doc["entity"] == "company" and doc["exit_value"] == 30_000_000.0
    # Every ultimate recipient reachable from the entity, zeros included; `idle` is not reached.
    assert doc["holders"] == {k: float(v) for k, v in by_hand_at_30m().items()}
    assert all(isinstance(v, float) for v in doc["holders"].values())
    assert list(doc["entities"]) == ["company", "vehicle"]
    company = doc["entities"]["company"]
    assert set(company) == {"classes", "converted"}
    assert company["converted"] == ["seed"]
    assert company["classes"]["series_a"] == 8_000_000.0
    assert sum(company["classes"].values()) == pytest.approx(30_000_000.0, rel=1e-15)
    vehicle = doc["entities"]["vehicle"]
    assert set(vehicle) == {"tiers"}
    assert vehicle["tiers"] == [
        {"name": "Capital back", "paid": {"lp": 4_000_000.0}},
        {"name": "Capped carry", "paid": {"lp": 3_000_000.0, "gp": 500_000.0, "charity": 250_000.0}},
        {"name": "Rest", "paid": {"lp": 250_000.0}},
    ]


def test_waterfall_json_matches_the_spec_example() -> None:
    # SPEC §7's example: founders 8M common, Acme 2M series A at $1, exit $20M.
    code, out, _ = run("waterfall", Path(__file__).with_name("spec_example.yaml"), "--exit", "20M", "--json")
    assert code == 0
    assert json.loads(out) == {
        "entity": "company", "exit_value": 20000000.0,
        "holders": {"founders": 16000000.0, "acme_ventures": 4000000.0},
        "entities": {"company": {"classes": {"common": 16000000.0, "series_a": 4000000.0},
                                 "converted": ["series_a"]}},
    }


def test_unnamed_tiers_are_numbered_in_json(tmp_path: Path) -> None:
    p = tmp_path / "t.yaml"
    p.write_text("stakeflow: 1\nholders: [{id: a}]\nentities:\n  - id: p\n    distribution:\n"
                 "      - {shares: {a: 1}, limit: 5}\n      - {shares: {a: 1}}\n")
    code, out, _ = run("waterfall", p, "--exit", "7", "--json")
    assert code == 0
    assert json.loads(out)["entities"]["p"]["tiers"] == [
        {"name": "tier 1", "paid": {"a": 5.0}}, {"name": "tier 2", "paid": {"a": 2.0}}
    ]


def test_waterfall_exits_table_and_json(everything: Path) -> None:
    code, out, err = run("waterfall", everything, "--exits", "5M,30M", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["entity"] == "company"
    assert [d["exit_value"] for d in doc["exits"]] == [5_000_000.0, 30_000_000.0]
    assert doc["exits"][1]["holders"] == {k: float(v) for k, v in by_hand_at_30m().items()}
    # At $5M: series A's $4M preference, then the seed's $1M; nothing for common.
    assert doc["exits"][0]["holders"]["fund_a"] == 1_000_000.0
    assert doc["exits"][0]["holders"]["founders"] == 0.0
    code, out, _ = run("waterfall", everything, "--exits", "5M,30M")
    assert code == 0
    assert "payouts by exit value (EUR)" in out
    assert "16,875,000" in out and "5,000,000" in out and "30,000,000" in out
    header = next(line for line in out.splitlines() if "holder" in line)
    assert header.index("5,000,000") < header.index("30,000,000")


def test_waterfall_human_table(everything: Path) -> None:
    code, out, _ = run("waterfall", everything, "--exit", "30M")
    assert code == 0
    assert "company at EUR 30,000,000.00" in out
    assert "Founders" in out  # display names
    assert "16,875,000.00" in out and "56.25%" in out  # founders: 6M x 2.8125, 56.25%
    assert "seed (converted)" in out
    assert "Capped carry" in out


# --- explain ----------------------------------------------------------------------------------
def test_explain_traces_every_dollar(everything: Path) -> None:
    code, out, _ = run("explain", everything, "--exit", "30M", "--json")
    assert code == 0
    doc = json.loads(out)
    steps = doc["steps"]
    received = [s for s in steps if s["kind"] == "received"]
    assert sum(Fraction(s["amount"]) for s in received) == 30_000_000  # floats exact here
    kinds = {s["kind"] for s in steps}
    assert {"proceeds", "preference", "conversion", "residual", "participation", "cap", "exercise",
            "tier", "tier_cap", "pass_through", "received"} <= kinds
    text = " | ".join(s["text"] for s in steps)
    for phrase in ("preference to series_a (seniority 2)", "seed converts to common",
                   "shared per as-converted share", "series_a reached its participation cap",
                   "pool exercised (strike 0.5000)", "gp reaches its cap in 'Capped carry'",
                   "charity (overflow included)", "series_a passes through to entity vehicle",
                   "on 6,000,000 as-converted shares"):
        assert phrase in text, phrase
    (residual,) = [s for s in steps if s["kind"] == "residual"]
    assert residual["amount"] == 2.8125  # the residual price per common share, 45/16
    (through,) = [s for s in steps if s["kind"] == "pass_through"]
    assert (through["entity"], through["claimant"], through["amount"]) == ("company", "vehicle", 8_000_000.0)


def test_explain_human_output_lays_out_each_entity(everything: Path) -> None:
    code, out, _ = run("explain", everything)  # defaults: exit.entity, exit.value
    assert code == 0
    for word in ("company", "vehicle", "proceeds", "preference", "conversion", "residual", "participation",
                 "cap", "exercise", "tier", "pass through", "received", "/sh"):
        assert word in out, word
    assert "Paid to ultimate recipients: EUR 30,000,000.00 of EUR 30,000,000.00 (adds up" in out.replace("\n", " ")


def test_explain_partial_preference_low_exit(everything: Path) -> None:
    code, out, _ = run("explain", everything, "--exit", "4.5M", "--json")
    assert code == 0
    texts = [s["text"] for s in json.loads(out)["steps"]]
    assert "preference to seed (seniority 1) (50.00% of its preference)" in texts


# --- --entity defaults (SPEC §7) ---------------------------------------------------------------
def test_entity_defaults_to_exit_entity_then_the_single_root(everything: Path, tmp_path: Path) -> None:
    assert json.loads(run("waterfall", everything, "--exit", "1M", "--json")[1])["entity"] == "company"
    code, out, _ = run("waterfall", everything, "--exit", "1M", "--entity", "elsewhere", "--json")
    assert code == 0 and json.loads(out)["holders"] == {"idle": 1_000_000.0}
    # Without exit.entity two roots remain (company, elsewhere): an error that lists them.
    two_roots = tmp_path / "two.yaml"
    two_roots.write_text(EVERYTHING.replace("exit: {entity: company, value: 30M}\n", ""))
    assert run("waterfall", two_roots, "--exit", "1M") == (
        2, "", f"error: {two_roots}: several root entities (company, elsewhere); choose one with --entity\n"
    )
    # With one root left, it is the default.
    one_root = tmp_path / "one.yaml"
    one_root.write_text(two_roots.read_text().split("  - id: elsewhere")[0])
    assert json.loads(run("waterfall", one_root, "--exit", "1M", "--json")[1])["entity"] == "company"
    # The vehicle is held by the company, so it is not a root, but it can be asked for.
    code, out, _ = run("waterfall", one_root, "--exit", "8M", "--entity", "vehicle", "--json")
    assert json.loads(out)["holders"] == {"lp": 7_250_000.0, "gp": 500_000.0, "charity": 250_000.0}


# --- validate ----------------------------------------------------------------------------------
def test_validate_ok(everything: Path) -> None:
    code, out, err = run("validate", everything)
    assert (code, err) == (0, "")
    flat = " ".join(out.split())
    assert flat.startswith(f"ok {everything}: Everything at once; 6 holders; entities: company (equity),")
    assert "vehicle (tiers)" in flat and "charity (terminal)" in flat
    code, out, _ = run("validate", everything, "--json")
    assert json.loads(out) == {
        "file": str(everything), "valid": True, "name": "Everything at once", "holders": 6,
        "entities": {"company": "equity", "vehicle": "tiers", "charity": "terminal", "elsewhere": "equity"},
    }


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shared_case_validates_and_adds_up(path: Path) -> None:
    assert run("validate", path)[0] == 0
    checks = json.loads(path.with_suffix("").with_suffix(".expect.json").read_text())["checks"]
    exits = ",".join(str(c["exit"]) for c in checks)
    code, out, _ = run("waterfall", path, "--exits", exits, "--json")
    assert code == 0
    doc = json.loads(out)
    for check, result in zip(checks, doc.get("exits", [doc]), strict=True):
        assert sum(result["holders"].values()) == pytest.approx(float(check["exit"]), rel=1e-12)
