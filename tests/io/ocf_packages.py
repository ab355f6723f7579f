"""Small Open Cap Table Format 1.2.0 packages written by hand for the import tests.

Each builder returns plain OCF JSON objects as the OCF schemas define them; ``write_package``
writes them with a manifest into a folder (or a zip), the way a cap table system exports.
"""

from __future__ import annotations

import itertools
import json
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import stakeflow as sf
from stakeflow.engine.result import EquityFlow
from stakeflow.payoff import payoff_curve

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "ocf-samples" / "v1.2.0"
"""The OCF sample files, in the shared folder beside the checkout (as the shared cases are)."""

FILES = {
    "stakeholders": ("Stakeholders.ocf.json", "OCF_STAKEHOLDERS_FILE"),
    "stock_classes": ("StockClasses.ocf.json", "OCF_STOCK_CLASSES_FILE"),
    "stock_plans": ("StockPlans.ocf.json", "OCF_STOCK_PLANS_FILE"),
    "transactions": ("Transactions.ocf.json", "OCF_TRANSACTIONS_FILE"),
    "stock_legend_templates": ("StockLegends.ocf.json", "OCF_STOCK_LEGEND_TEMPLATES_FILE"),
    "vesting_terms": ("VestingTerms.ocf.json", "OCF_VESTING_TERMS_FILE"),
    "valuations": ("Valuations.ocf.json", "OCF_VALUATIONS_FILE"),
}


def usd(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "USD"}


def stakeholder(sid: str, name: str, relationship: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"object_type": "STAKEHOLDER", "id": sid, "name": {"legal_name": name},
                           "stakeholder_type": "INDIVIDUAL"}
    if relationship:
        out["current_relationship"] = relationship
    return out


def common(cid: str, name: str = "Common Stock") -> dict[str, Any]:
    return {"object_type": "STOCK_CLASS", "id": cid, "name": name, "class_type": "COMMON",
            "default_id_prefix": "CS-", "initial_shares_authorized": "100000000", "votes_per_share": "1",
            "seniority": "1"}


def preferred(cid: str, name: str, *, common_id: str, price: str | None = "1.00", lpm: str = "1",
              cap: str | None = None, seniority: str = "2", ratio: tuple[str, str] = ("1", "1"),
              conversion_price: str = "1.00") -> dict[str, Any]:
    out: dict[str, Any] = {
        "object_type": "STOCK_CLASS", "id": cid, "name": name, "class_type": "PREFERRED",
        "default_id_prefix": "PS-", "initial_shares_authorized": "10000000", "votes_per_share": "1",
        "seniority": seniority, "liquidation_preference_multiple": lpm,
        "conversion_rights": [{
            "type": "STOCK_CLASS_CONVERSION_RIGHT",
            "conversion_mechanism": {"type": "RATIO_CONVERSION", "conversion_price": usd(conversion_price),
                                     "ratio": {"numerator": ratio[0], "denominator": ratio[1]},
                                     "rounding_type": "NORMAL"},
            "converts_to_stock_class_id": common_id,
        }],
    }
    if price is not None:
        out["price_per_share"] = usd(price)
    if cap is not None:
        out["participation_cap_multiple"] = cap
    return out


def plan(pid: str, name: str, reserved: str, class_id: str) -> dict[str, Any]:
    return {"object_type": "STOCK_PLAN", "id": pid, "plan_name": name, "initial_shares_reserved": reserved,
            "stock_class_ids": [class_id]}


def stock(tid: str, holder: str, class_id: str, quantity: str, price: str = "1.00",
          date: str = "2020-01-01") -> dict[str, Any]:
    return {"object_type": "TX_STOCK_ISSUANCE", "id": tid, "security_id": tid, "custom_id": tid,
            "stakeholder_id": holder, "date": date, "security_law_exemptions": [], "stock_class_id": class_id,
            "share_price": usd(price), "quantity": quantity, "stock_legend_ids": []}


def option(tid: str, holder: str, plan_id: str, quantity: str, strike: str, kind: str = "OPTION_ISO",
           date: str = "2020-01-01") -> dict[str, Any]:
    return {"object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "id": tid, "security_id": tid, "custom_id": tid,
            "stakeholder_id": holder, "date": date, "security_law_exemptions": [], "stock_plan_id": plan_id,
            "compensation_type": kind, "quantity": quantity, "exercise_price": usd(strike),
            "expiration_date": None, "termination_exercise_windows": []}


def warrant(tid: str, holder: str, class_id: str, quantity: str, strike: str,
            date: str = "2020-01-01") -> dict[str, Any]:
    return {"object_type": "TX_WARRANT_ISSUANCE", "id": tid, "security_id": tid, "custom_id": tid,
            "stakeholder_id": holder, "date": date, "security_law_exemptions": [], "quantity": quantity,
            "exercise_price": usd(strike), "purchase_price": usd("0"),
            "exercise_triggers": [{"type": "ELECTIVE_AT_WILL", "trigger_id": "t1", "conversion_right": {
                "type": "WARRANT_CONVERSION_RIGHT",
                "conversion_mechanism": {"type": "FIXED_AMOUNT_CONVERSION", "converts_to_quantity": quantity},
                "converts_to_stock_class_id": class_id}}]}


def event(object_type: str, tid: str, security: str, date: str = "2021-01-01", **fields: Any) -> dict[str, Any]:
    return {"object_type": object_type, "id": tid, "security_id": security, "date": date, **fields}


def manifest(issuer: str = "acme", name: str = "Acme Inc.", version: str = "1.2.0",
             files: dict[str, str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file_type": "OCF_MANIFEST_FILE", "ocf_version": version,
        "issuer": {"object_type": "ISSUER", "id": issuer, "legal_name": name, "formation_date": "2015-01-01",
                   "country_of_formation": "US"},
        "as_of": "2024-06-30", "generated_at": "2024-06-30T00:00:00Z",
    }
    for key, (fname, _) in FILES.items():
        out[f"{key}_files"] = [{"filepath": f"./{fname}", "md5": "0" * 32}]
    return out


def write_package(folder: Path, items: dict[str, list[dict[str, Any]]], **manifest_args: Any) -> Path:
    """Write a package into ``folder``; return the manifest's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for key, (fname, file_type) in FILES.items():
        (folder / fname).write_text(json.dumps({"file_type": file_type, "items": items.get(key, [])}))
    path = folder / "Manifest.ocf.json"
    path.write_text(json.dumps(manifest(**manifest_args)))
    return path


def zip_folder(folder: Path, dest: Path, prefix: str = "") -> Path:
    """Zip the files of ``folder`` into ``dest``, under ``prefix`` (a top folder, as archivers do)."""
    with zipfile.ZipFile(dest, "w") as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, prefix + str(p.relative_to(folder)))
    return dest


def direct_payouts(sc: sf.Scenario, entity: str, value: Fraction) -> dict[str, Fraction]:
    """What each claimant holding in ``entity`` receives from it when its proceeds are ``value``."""
    flow = sf.waterfall(sc, value, entity, explain=False).entities[entity]
    assert isinstance(flow, EquityFlow)
    out: dict[str, Fraction] = {h.holder: Fraction(0) for h in sc.entity(entity).holdings or ()}
    for holder, _cls, amount in flow.holdings:
        out[holder] += amount
    return out


def decisive_exits(a: sf.Scenario, b: sf.Scenario, entity_a: str, entity_b: str) -> list[Fraction]:
    """Exits at which equal payouts mean equal payouts everywhere: each claimant's payout is a
    sum of class payouts, piecewise linear and zero at zero (SPEC §5), so equality at every
    class breakpoint of both structures, half way between them and once beyond the last one
    is equality at every exit."""
    points = sorted(set(payoff_curve(a, entity_a).class_breakpoints) | set(payoff_curve(b, entity_b).class_breakpoints))
    return points + [(x + y) / 2 for x, y in itertools.pairwise(points)] + [points[-1] * 2 + 1]


def same_payouts(a: sf.Scenario, b: sf.Scenario, entity_a: str | None = None, entity_b: str | None = None) -> None:
    """Assert that ``a`` and ``b`` pay every claimant of the entity exactly the same at every exit."""
    ea = entity_a or sf.waterfall(a, 0, explain=False).entity
    eb = entity_b or sf.waterfall(b, 0, explain=False).entity
    for v in decisive_exits(a, b, ea, eb):
        assert direct_payouts(a, ea, v) == direct_payouts(b, eb, v), v


def safe(tid: str, holder: str, amount: str, cap: str | None = None, discount: str | None = None,
         timing: str | None = "POST_MONEY", date: str = "2022-01-01") -> dict[str, Any]:
    mech: dict[str, Any] = {"type": "SAFE_CONVERSION", "conversion_mfn": False}
    if timing:
        mech["conversion_timing"] = timing
    if cap:
        mech["conversion_valuation_cap"] = usd(cap)
    if discount:
        mech["conversion_discount"] = discount
    return {"object_type": "TX_CONVERTIBLE_ISSUANCE", "id": tid, "security_id": tid, "custom_id": tid,
            "stakeholder_id": holder, "date": date, "security_law_exemptions": [], "convertible_type": "SAFE",
            "investment_amount": usd(amount), "seniority": 1,
            "conversion_triggers": [{"type": "AUTOMATIC_ON_CONDITION", "trigger_id": "next-financing",
                                     "trigger_condition": "next equity financing",
                                     "conversion_right": {"type": "CONVERTIBLE_CONVERSION_RIGHT",
                                                          "conversion_mechanism": mech,
                                                          "converts_to_future_round": True}}]}
