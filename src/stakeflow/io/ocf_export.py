"""Scenario → Open Cap Table Format: one equity entity as an OCF 1.2.0 package.

The entity becomes the issuer; each claimant holding in it a stakeholder; ``common`` and
``preferred`` classes stock classes (a preferred class's conversion ratio a ratio conversion
right into the first common class); each holding of them a stock issuance; each ``option``
class a stock plan with one option grant per holding; each ``warrant`` holding a warrant
issuance; each ``safe`` and ``note`` holding a convertible issuance; each ``pool`` class a stock
plan reserve. Values OCF cannot hold exactly (more than 10 decimal places, a participating
class without a cap, which class a grant belongs to) travel as ``stakeflow:`` comments
(:mod:`.ocf_marks`) so that importing the package gives back the same waterfall.

What the package leaves out (other entities, boards, tier programs, exit defaults, class terms
with no OCF field) is listed, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from pyocf.files.stakeholdersfile import StakeholdersFile
from pyocf.files.stockclassesfile import StockClassesFile
from pyocf.files.stockplansfile import StockPlansFile
from pyocf.files.transactionsfile import TransactionsFile
from pyocf.objects.issuer import Issuer

from ..engine.instruments import owed
from ..engine.lookthrough import resolve_entity
from ..scenario import errors as E
from ..scenario.errors import InputError
from ..scenario.models import (
    CommonClass,
    Entity,
    Holding,
    NoteClass,
    OptionClass,
    PoolClass,
    PreferredClass,
    SafeClass,
    Scenario,
    StockClass,
    WarrantClass,
)
from . import _messages as M
from .decimals import fraction_text
from .ocf_import import OcfItem
from .ocf_marks import comments_with, numeric_text
from .ocf_package import package_files, write_package

_RELATIONSHIP = {"founder": "FOUNDER", "employee": "EMPLOYEE", "investor": "INVESTOR", "other": "OTHER"}
_INDIVIDUAL = ("founder", "employee")
# The class fields each kind carries into OCF; any other field set on a class is reported.
_EXPORTED = {
    "common": {"id", "name", "kind", "votes_per_share", "seniority"},
    "preferred": {"id", "name", "kind", "price_per_share", "invested", "liquidation_preference_multiple",
                  "seniority", "participating", "participation_cap_multiple", "conversion_ratio",
                  "votes_per_share"},
    "option": {"id", "name", "kind", "strike", "votes_per_share"},
    "warrant": {"id", "name", "kind", "strike", "votes_per_share"},
    "pool": {"id", "name", "kind", "votes_per_share"},
    "safe": {"id", "name", "kind", "invested", "valuation_cap", "discount", "basis", "seniority"},
    "note": {"id", "name", "kind", "principal", "interest_rate", "interest", "issue_date", "maturity_date",
             "valuation_cap", "discount", "liquidation_preference_multiple", "seniority"},
}


@dataclass(frozen=True)
class OcfExport:
    """An OCF package made from one entity of a scenario, and what it leaves out."""

    entity: str
    files: dict[str, bytes]
    left_out: list[OcfItem]
    notes: list[str]
    counts: dict[str, int]

    def write(self, path: str | Path) -> None:
        """Write the package as a zip at ``path``, whole or not at all."""
        write_package(path, self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "counts": dict(self.counts),
            "left_out": [o.to_json() for o in self.left_out],
            "notes": list(self.notes),
        }


@dataclass
class _Exporter:
    sc: Scenario
    ent: Entity
    date: dt.date
    currency: str
    left_out: list[OcfItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    transactions: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    serial: int = 0

    def number(self, x: Fraction, key: str, marks: dict[str, str]) -> str:
        """The OCF Numeric of ``x``; when rounded, the exact value goes into ``marks``."""
        text, exact = numeric_text(x)
        if not exact:
            marks[key] = fraction_text(x)
        return text

    def amount(self, x: Fraction, key: str, marks: dict[str, str]) -> dict[str, str]:
        return {"amount": self.number(x, key, marks), "currency": self.currency}

    def next_id(self, cls_id: str, holder: str) -> str:
        self.serial += 1
        return f"{cls_id}-{holder}-{self.serial}"

    def base(self, h: Holding, object_type: str) -> dict[str, Any]:
        sid = self.next_id(h.class_, h.holder)
        return {
            "object_type": object_type,
            "id": sid,
            "security_id": sid,
            "custom_id": sid,
            "stakeholder_id": h.holder,
            "date": self.date.isoformat(),
            "security_law_exemptions": [],
        }

    # --- classes -------------------------------------------------------------------------------
    def stock_class(self, c: StockClass, common_id: str) -> dict[str, Any]:
        marks: dict[str, str] = {}
        shares = self.ent.class_shares(c.id)
        out: dict[str, Any] = {
            "object_type": "STOCK_CLASS",
            "id": c.id,
            "name": c.name or c.id,
            "class_type": "COMMON" if c.is_common else "PREFERRED",
            "default_id_prefix": ("CS-" if c.is_common else "PS-"),
            "initial_shares_authorized": numeric_text(shares)[0],
            "votes_per_share": self.number(c.votes, "votes_per_share", marks),
            "seniority": str(c.seniority),
        }
        if isinstance(c, PreferredClass):
            price = self.issue_price(c, shares, marks)
            price_marks = marks if c.invested is None else {}
            out["price_per_share"] = self.amount(price, "price_per_share", price_marks) if price is not None else None
            out["liquidation_preference_multiple"] = self.number(
                c.liquidation_preference_multiple, "liquidation_preference_multiple", marks)
            if c.participating and c.participation_cap_multiple is not None:
                out["participation_cap_multiple"] = self.number(
                    c.participation_cap_multiple, "participation_cap_multiple", marks)
            elif c.participating:
                marks["participating"] = "true"
            ratio = c.conversion_ratio
            conversion_price = price / ratio if price is not None else Fraction(0)
            out["conversion_rights"] = [{
                "type": "STOCK_CLASS_CONVERSION_RIGHT",
                "conversion_mechanism": {
                    "type": "RATIO_CONVERSION",
                    "conversion_price": self.amount(conversion_price, "conversion_price", {}),
                    "ratio": {"numerator": str(ratio.numerator), "denominator": str(ratio.denominator)},
                    "rounding_type": "NORMAL",
                },
                "converts_to_stock_class_id": common_id,
            }]
            if out["price_per_share"] is None:
                del out["price_per_share"]
        out["comments"] = comments_with(marks)
        if out["comments"] is None:
            del out["comments"]
        return out

    def issue_price(self, c: PreferredClass, shares: Fraction, marks: dict[str, str]) -> Fraction | None:
        """The original issue price per share; a class given by ``invested`` keeps it exactly in a mark."""
        if c.invested is not None:
            marks["invested"] = fraction_text(c.invested)
            return c.invested / shares if shares else None
        return c.price_per_share

    # --- holdings ------------------------------------------------------------------------------
    def stock(self, h: Holding, c: StockClass) -> None:
        marks: dict[str, str] = {}
        tx = self.base(h, "TX_STOCK_ISSUANCE")
        shares = self.ent.class_shares(c.id)
        price = self.issue_price(c, shares, {}) if isinstance(c, PreferredClass) else Fraction(0)
        tx.update({
            "stock_class_id": c.id,
            "share_price": self.amount(price or Fraction(0), "share_price", {}),
            "quantity": self.number(h.shares, "quantity", marks),
            "stock_legend_ids": [],
        })
        self.finish(tx, marks)

    def option_plan(self, c: StockClass, common_id: str) -> None:
        marks: dict[str, str] = {}
        plan = {
            "object_type": "STOCK_PLAN",
            "id": c.id,
            "plan_name": c.name or c.id,
            "initial_shares_reserved": self.number(self.ent.class_shares(c.id), "initial_shares_reserved", marks),
            "stock_class_ids": [common_id],
        }
        self.plans.append(plan)

    def option(self, h: Holding, c: OptionClass) -> None:
        marks: dict[str, str] = {"class": c.id}
        tx = self.base(h, "TX_EQUITY_COMPENSATION_ISSUANCE")
        tx.update({
            "stock_plan_id": c.id,
            "compensation_type": "OPTION",
            "quantity": self.number(h.shares, "quantity", marks),
            "exercise_price": self.amount(c.strike or Fraction(0), "exercise_price", marks),
            "expiration_date": None,
            "termination_exercise_windows": [],
        })
        self.finish(tx, marks)

    def warrant(self, h: Holding, c: WarrantClass, common_id: str) -> None:
        marks: dict[str, str] = {"class": c.id}
        tx = self.base(h, "TX_WARRANT_ISSUANCE")
        quantity = self.number(h.shares, "quantity", marks)
        tx.update({
            "quantity": quantity,
            "exercise_price": self.amount(c.strike or Fraction(0), "exercise_price", marks),
            "purchase_price": {"amount": "0", "currency": self.currency},
            "exercise_triggers": [{
                "type": "ELECTIVE_AT_WILL",
                "trigger_id": "exercise",
                "conversion_right": {
                    "type": "WARRANT_CONVERSION_RIGHT",
                    "conversion_mechanism": {"type": "FIXED_AMOUNT_CONVERSION", "converts_to_quantity": quantity},
                    "converts_to_stock_class_id": common_id,
                },
            }],
        })
        self.finish(tx, marks)

    def convertible(self, h: Holding, c: SafeClass | NoteClass) -> None:
        marks: dict[str, str] = {"class": c.id, "shares": fraction_text(h.shares)}
        tx = self.base(h, "TX_CONVERTIBLE_ISSUANCE")
        total = owed(c, None)
        shares = self.ent.class_shares(c.id)
        mine = total * h.shares / shares if shares else Fraction(0)
        mech: dict[str, Any]
        if isinstance(c, SafeClass):
            mech = {"type": "SAFE_CONVERSION", "conversion_mfn": False,
                    "conversion_timing": "PRE_MONEY" if c.conversion_basis == "pre_money" else "POST_MONEY"}
        else:
            rates = []
            if c.interest_rate and c.issue_date is not None:
                rates.append({"rate": self.number(c.interest_rate, "interest_rate", marks),
                              "accrual_start_date": c.issue_date.isoformat()})
            mech = {
                "type": "CONVERTIBLE_NOTE_CONVERSION",
                "interest_rates": rates,
                "day_count_convention": "ACTUAL_365",
                "interest_payout": "DEFERRED",
                "interest_accrual_period": "ANNUAL",
                "compounding_type": "COMPOUNDING" if c.interest == "compound" else "SIMPLE",
            }
            lpm = c.liquidation_preference_multiple
            if lpm != 1:
                mech["exit_multiple"] = {"numerator": str(lpm.numerator), "denominator": str(lpm.denominator)}
            if c.maturity_date is not None:
                marks["maturity_date"] = c.maturity_date.isoformat()
        if c.valuation_cap is not None:
            mech["conversion_valuation_cap"] = self.amount(c.valuation_cap, "valuation_cap", marks)
        if c.discount is not None:
            mech["conversion_discount"] = self.number(c.discount, "discount", marks)
        tx.update({
            "convertible_type": "SAFE" if isinstance(c, SafeClass) else "NOTE",
            "investment_amount": self.amount(mine, "investment_amount", marks),
            "conversion_triggers": [{
                "type": "UNSPECIFIED",
                "trigger_id": "conversion",
                "conversion_right": {"type": "CONVERTIBLE_CONVERSION_RIGHT", "conversion_mechanism": mech,
                                     "converts_to_future_round": True},
            }],
            "seniority": c.seniority,
        })
        self.finish(tx, marks)

    def pool(self, c: StockClass, holdings: list[Holding], common_id: str) -> None:
        for h in holdings:
            marks: dict[str, str] = {"pool": c.id, "holder": h.holder}
            plan = {
                "object_type": "STOCK_PLAN",
                "id": f"{c.id}-{h.holder}",
                "plan_name": c.name or c.id,
                "initial_shares_reserved": self.number(h.shares, "initial_shares_reserved", marks),
                "stock_class_ids": [common_id],
                "comments": comments_with(marks),
            }
            self.plans.append(plan)

    def finish(self, tx: dict[str, Any], marks: dict[str, str]) -> None:
        comments = comments_with(marks)
        if comments:
            tx["comments"] = comments
        self.transactions.append(tx)


@functools.singledispatch
def _export_class(c: StockClass, ex: _Exporter, mine: list[Holding], common_id: str) -> list[dict[str, Any]]:
    """Each kind's OCF objects: its stock class (returned), and its plans and transactions (kept
    by ``ex``); a kind with no OCF form is reported as left out."""
    ex.left_out.append(OcfItem("class", c.id, M.LEFT_CLASS_KIND.format(kind=c.kind)))
    return []


@_export_class.register(CommonClass)
@_export_class.register(PreferredClass)
def _(c: CommonClass | PreferredClass, ex: _Exporter, mine: list[Holding], common_id: str) -> list[dict[str, Any]]:
    out = [ex.stock_class(c, common_id)]
    for h in mine:
        ex.stock(h, c)
    return out


@_export_class.register
def _(c: OptionClass, ex: _Exporter, mine: list[Holding], common_id: str) -> list[dict[str, Any]]:
    ex.option_plan(c, common_id)
    for h in mine:
        ex.option(h, c)
    return []


@_export_class.register
def _(c: WarrantClass, ex: _Exporter, mine: list[Holding], common_id: str) -> list[dict[str, Any]]:
    for h in mine:
        ex.warrant(h, c, common_id)
    return []


@_export_class.register(SafeClass)
@_export_class.register(NoteClass)
def _(c: SafeClass | NoteClass, ex: _Exporter, mine: list[Holding], common_id: str) -> list[dict[str, Any]]:
    for h in mine:
        ex.convertible(h, c)
    return []


@_export_class.register
def _(c: PoolClass, ex: _Exporter, mine: list[Holding], common_id: str) -> list[dict[str, Any]]:
    ex.pool(c, mine, common_id)
    return []


def export_ocf(sc: Scenario, entity: str | None = None) -> OcfExport:
    """The OCF package of ``entity`` of ``sc`` (default as SPEC §7), and what it leaves out."""
    ent = resolve_entity(sc, entity)
    if not ent.is_equity:
        equity = [e.id for e in sc.entities if e.is_equity]
        raise InputError(M.NOT_EQUITY.format(id=ent.id, known=E.join_ids(equity)))
    date = sc.as_of or dt.date.today()
    ex = _Exporter(sc, ent, date, sc.currency)
    classes = list(ent.classes or ())
    common_id = next(c.id for c in classes if c.is_common)
    holdings = list(ent.holdings or ())
    _left_out(sc, ent, ex)

    stakeholders = []
    names = {h.id: h for h in sc.holders}
    for cid in dict.fromkeys(h.holder for h in holdings):
        holder = names.get(cid)
        kind = holder.kind if holder is not None else None
        marks: dict[str, str] = {}
        if kind is not None and kind not in _RELATIONSHIP:
            marks["kind"] = kind
        item: dict[str, Any] = {
            "object_type": "STAKEHOLDER",
            "id": cid,
            "name": {"legal_name": sc.display_name(cid)},
            "stakeholder_type": "INDIVIDUAL" if kind in _INDIVIDUAL else "INSTITUTION",
        }
        if kind is not None:
            item["current_relationship"] = _RELATIONSHIP.get(kind, "OTHER")
        if marks:
            item["comments"] = comments_with(marks)
        stakeholders.append(item)

    stock_classes = []
    for c in classes:
        mine = [h for h in holdings if h.class_ == c.id]
        extra = sorted((c.model_fields_set - _EXPORTED.get(c.kind, set())) - {"class_"})
        for name in extra:
            if getattr(c, name) is not None:
                ex.left_out.append(OcfItem("class", c.id, M.LEFT_FIELD.format(field=name, kind=c.kind)))
        stock_classes += _export_class(c, ex, mine, common_id)

    issuer = Issuer.model_validate({
        "object_type": "ISSUER",
        "id": ent.id,
        "legal_name": ent.name or ent.id,
        "formation_date": date.isoformat(),
        "country_of_formation": "US",
        "comments": [M.ISSUER_PLACEHOLDERS],
    })
    ex.notes.append(M.ISSUER_PLACEHOLDERS)
    cap = _captable(stakeholders, stock_classes, ex.plans, ex.transactions)
    comments = [M.EXPORTED_BY.format(name=sc.name or ent.id, entity=ent.id)]
    files = package_files(cap, issuer, date, comments)
    counts = {
        "stakeholders": len(stakeholders),
        "stock_classes": len(stock_classes),
        "stock_plans": len(ex.plans),
        "transactions": len(ex.transactions),
    }
    return OcfExport(ent.id, files, ex.left_out, ex.notes, counts)


def _captable(stakeholders: list[Any], stock_classes: list[Any], plans: list[Any], transactions: list[Any]) -> Any:
    """A pyocf cap table, every object validated by pyocf's OCF 1.2.0 models."""
    from pyocf.captable import Captable

    return Captable(
        stakeholders=StakeholdersFile.model_validate({"items": stakeholders}).items,
        stock_classes=StockClassesFile.model_validate({"items": stock_classes}).items,
        stock_plans=StockPlansFile.model_validate({"items": plans}).items,
        transactions=TransactionsFile.model_validate({"items": transactions}).items,
    )


def _left_out(sc: Scenario, ent: Entity, ex: _Exporter) -> None:
    for other in sc.entities:
        if other.id != ent.id:
            ex.left_out.append(OcfItem("entity", other.id, M.LEFT_ENTITY.format(id=ent.id)))
    if ent.governance is not None and ent.governance.board is not None:
        ex.left_out.append(OcfItem("governance", ent.id, M.LEFT_GOVERNANCE))
    if ent.mission or ent.legal_form not in ("corporation", "other"):
        ex.left_out.append(OcfItem("entity", ent.id, M.LEFT_MISSION))
    if sc.exit is not None:
        ex.left_out.append(OcfItem("scenario", "exit", M.LEFT_EXIT))
    held = {h.holder for h in ent.holdings or ()}
    for h in sc.holders:
        if h.id not in held:
            ex.left_out.append(OcfItem("holder", h.id, M.LEFT_HOLDER.format(id=ent.id)))
    for name in sorted(sc.model_fields_set - {"stakeflow", "name", "currency", "as_of", "holders", "entities", "exit"}):
        value = getattr(sc, name)
        if value:
            ex.left_out.append(OcfItem("scenario", name, M.LEFT_SECTION.format(field=name)))
