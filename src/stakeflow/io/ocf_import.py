"""Open Cap Table Format → scenario: one equity entity, the issuer, and its holders.

What is read (docs/data.md has the full table):

- the issuer becomes the entity; every stakeholder a holder;
- stock classes become ``common`` and ``preferred`` classes: price per share (the original
  issue price), ``liquidation_preference_multiple``, ``seniority``, votes per share; OCF has no
  participation flag, so a preferred class participates exactly when it has a
  ``participation_cap_multiple`` (its cap); the conversion ratio is that of its ratio
  conversion right into common (where there are several, into the common class with the
  fewest non-zero votes per share, the rule of the OCF law-firm working group's OCX reports);
- stock issuances become holdings, net of the cancellations, repurchases, retractions,
  transfers, conversions, reissuances and consolidations recorded against them (the shares
  such transactions move elsewhere appear as the new securities they name); splits scale the
  shares issued before them (and the price per share, conversion ratios into the class and
  option strikes, so that no claim changes in value);
- options, RSUs and stock appreciation rights become ``option`` classes, one per stock plan and
  exercise price (RSUs at exercise price 0), net of cancellations, exercises, releases,
  transfers, retractions and repricings; warrants become ``warrant`` classes, one per exercise
  price;
- SAFEs and convertible notes become ``safe`` and ``note`` classes where the scenario format
  has those kinds and the terms fit (see :func:`_convertible_terms`).

Everything else is listed by object type and id with the reason — as *unmapped* when it could
change the payouts, as *ignored* when it cannot (acceptances, vesting, authorized shares) —
and never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..scenario import models
from ..scenario.errors import InputErrors, ScenarioError
from ..scenario.models import Entity, Holder, Holding, Scenario, make_class
from . import _messages as M
from .decimals import fraction_text
from .ocf_marks import exact, marks_of, read_fraction
from .ocf_package import read_package
from .scenario_yaml import SIGNIFICANT_DIGITS, Loc, dump_scenario

_ID = re.compile(r"^[a-z][a-z0-9_]*$")

_KIND_OF_RELATIONSHIP = {
    "FOUNDER": "founder",
    "EMPLOYEE": "employee",
    "EX_EMPLOYEE": "employee",
    "NON_US_EMPLOYEE": "employee",
    "EXECUTIVE": "employee",
    "OFFICER": "employee",
    "INVESTOR": "investor",
    "ADVISOR": "other",
    "EX_ADVISOR": "other",
    "CONSULTANT": "other",
    "EX_CONSULTANT": "other",
    "BOARD_MEMBER": "other",
    "OTHER": "other",
}

_NO_EFFECT = {
    "TX_STOCK_ACCEPTANCE": M.NO_EFFECT_ACCEPTANCE,
    "TX_WARRANT_ACCEPTANCE": M.NO_EFFECT_ACCEPTANCE,
    "TX_CONVERTIBLE_ACCEPTANCE": M.NO_EFFECT_ACCEPTANCE,
    "TX_EQUITY_COMPENSATION_ACCEPTANCE": M.NO_EFFECT_ACCEPTANCE,
    "TX_PLAN_SECURITY_ACCEPTANCE": M.NO_EFFECT_ACCEPTANCE,
    "TX_VESTING_START": M.NO_EFFECT_VESTING,
    "TX_VESTING_EVENT": M.NO_EFFECT_VESTING,
    "TX_VESTING_ACCELERATION": M.NO_EFFECT_VESTING,
    "TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT": M.NO_EFFECT_AUTHORIZED,
    "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT": M.NO_EFFECT_AUTHORIZED,
    "TX_STOCK_PLAN_POOL_ADJUSTMENT": M.NO_EFFECT_POOL,
    "TX_STOCK_PLAN_RETURN_TO_POOL": M.NO_EFFECT_POOL,
}

_ISSUANCES = {
    "TX_STOCK_ISSUANCE": "stock",
    "TX_EQUITY_COMPENSATION_ISSUANCE": "option",
    "TX_PLAN_SECURITY_ISSUANCE": "option",
    "TX_WARRANT_ISSUANCE": "warrant",
    "TX_CONVERTIBLE_ISSUANCE": "convertible",
}
# Transactions that take a quantity out of a security and put it nowhere in the cap table.
_REMOVALS = {
    "TX_STOCK_CANCELLATION", "TX_STOCK_REPURCHASE", "TX_WARRANT_CANCELLATION",
    "TX_EQUITY_COMPENSATION_CANCELLATION", "TX_PLAN_SECURITY_CANCELLATION",
}
# Transactions that move a quantity of a security into the new securities they name.
_MOVES = {
    "TX_STOCK_TRANSFER": "quantity", "TX_STOCK_CONVERSION": "quantity_converted",
    "TX_STOCK_REISSUANCE": None, "TX_WARRANT_TRANSFER": "quantity", "TX_WARRANT_EXERCISE": None,
    "TX_EQUITY_COMPENSATION_TRANSFER": "quantity", "TX_PLAN_SECURITY_TRANSFER": "quantity",
    "TX_EQUITY_COMPENSATION_EXERCISE": "quantity", "TX_PLAN_SECURITY_EXERCISE": "quantity",
    "TX_EQUITY_COMPENSATION_RELEASE": "quantity", "TX_PLAN_SECURITY_RELEASE": "quantity",
    "TX_CONVERTIBLE_TRANSFER": None, "TX_CONVERTIBLE_CONVERSION": None,
}
_RETRACTIONS = {
    "TX_STOCK_RETRACTION", "TX_WARRANT_RETRACTION", "TX_CONVERTIBLE_RETRACTION",
    "TX_EQUITY_COMPENSATION_RETRACTION", "TX_PLAN_SECURITY_RETRACTION",
}


@dataclass(frozen=True)
class OcfItem:
    """An object of one format and what became of it in the other (or why nothing did)."""

    object_type: str
    id: str
    reason: str

    def line(self) -> str:
        return f"{self.object_type} {self.id}: {self.reason}"

    def to_json(self) -> dict[str, str]:
        return {"object_type": self.object_type, "id": self.id, "reason": self.reason}


@dataclass(frozen=True)
class OcfImport:
    """A scenario read from an OCF package, with what was left out and how fields were read.

    ``unmapped`` lists objects that could change the payouts but that the scenario cannot
    hold; ``ignored`` lists objects with no effect on payouts as the scenario models them;
    ``notes`` say how fields were read where OCF leaves room for interpretation; ``applied``
    lists the transactions that changed the holdings or the classes. Every OCF object is in
    exactly one of ``applied``, ``unmapped`` and ``ignored``, or is a stakeholder, a stock class,
    a stock issuance, an option, warrant or convertible issuance that became part of the scenario.
    """

    scenario: Scenario
    source: str
    unmapped: list[OcfItem]
    ignored: list[OcfItem]
    notes: list[str]
    counts: dict[str, int]
    applied: list[OcfItem] = field(default_factory=list)
    line_notes: dict[Loc, str] = field(default_factory=dict)

    def to_yaml(self) -> tuple[str, list[str]]:
        """The scenario file text, with a header saying where it came from and what it leaves out,
        and the notes of any value rounded in writing it."""
        pre_notes = list(self.notes)
        text, rounded = dump_scenario(self.scenario, self._header(pre_notes), self.line_notes)
        if not rounded:
            return text, []
        extra = [M.NOTE_ROUNDED.format(path=r.path, exact=r.exact, digits=SIGNIFICANT_DIGITS) for r in rounded]
        text, _ = dump_scenario(self.scenario, self._header(pre_notes + extra), self.line_notes)
        return text, extra

    def _header(self, notes: list[str]) -> list[str]:
        c = self.counts
        lines = [
            "Imported by `stakeflow import-ocf` from an Open Cap Table Format 1.2.0 package:",
            f"  {self.source}",
            f"Read: {c['stakeholders']} stakeholders, {c['stock_classes']} stock classes, "
            f"{c['stock_plans']} stock plans, {c['transactions']} transactions.",
            f"Written: {c['holders']} holders, {c['classes']} classes, {c['holdings']} holdings.",
        ]
        if notes:
            lines += ["", "How fields were read:"] + [f"  - {n}" for n in notes]
        lines += ["", f"Not imported: could change payouts, cannot be represented ({len(self.unmapped)}):"]
        lines += [f"  - {o.line()}" for o in self.unmapped] or ["  (none)"]
        lines += ["", f"Not imported: no effect on payouts ({len(self.ignored)}):"]
        lines += [f"  - {o.line()}" for o in self.ignored] or ["  (none)"]
        return [*lines, ""]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "counts": dict(self.counts),
            "unmapped": [o.to_json() for o in self.unmapped],
            "ignored": [o.to_json() for o in self.ignored],
            "applied": [o.to_json() for o in self.applied],
            "notes": list(self.notes),
        }


def import_ocf(path: str | Path) -> OcfImport:
    """Read the OCF package at ``path`` (a .zip, a folder or a manifest) as a scenario."""
    cap = read_package(path)
    return from_captable(cap, str(path))


# --- reading helpers ---------------------------------------------------------------------------------
def _num(value: Any) -> Fraction | None:
    """An OCF Numeric (or Monetary amount, or Percentage) as an exact rational."""
    if value is None:
        return None
    if hasattr(value, "amount"):
        value = value.amount
    if hasattr(value, "root"):
        value = value.root
    if isinstance(value, Decimal | int | str):
        return Fraction(Decimal(value) if isinstance(value, str) else value)
    raise TypeError(f"not an OCF number: {value!r}")


def _currency(money: Any) -> str | None:
    cur = getattr(money, "currency", None)
    return getattr(cur, "root", cur)


def _enum(value: Any) -> str | None:
    return getattr(value, "value", value)


def _date(value: Any) -> dt.date | None:
    d = getattr(value, "root", value)
    return d if isinstance(d, dt.date) else None


def slug(text: str) -> str:
    """An id of the scenario format made from ``text`` (``Series Seed Preferred`` ->
    ``series_seed_preferred``)."""
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not s:
        return ""
    return s if s[0].isalpha() else f"x_{s}"


class _Ids:
    """Unique ids across holders and entities (SPEC §1), and per entity for classes."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, candidates: Iterable[str | None], fallback: str) -> str:
        options = [c for c in candidates if c]
        for c in options:
            if _ID.match(c) and c not in self.used:
                self.used.add(c)
                return c
        base = next((slug(c) for c in options if slug(c)), fallback)
        n, out = 2, base
        while out in self.used:
            out, n = f"{base}_{n}", n + 1
        self.used.add(out)
        return out


def _candidates(ocf_id: str, name: str | None) -> list[str | None]:
    """Ids to try, best first: the OCF id where it is already a valid id (so a package exported by
    stakeflow keeps its ids), else the name, else the OCF id made valid."""
    return [ocf_id if _ID.match(ocf_id) else None, slug(name or ""), slug(ocf_id)]


# --- drafts ----------------------------------------------------------------------------------------
@dataclass
class _Class:
    ocf_id: str
    id: str
    name: str
    kind: str
    votes: Fraction | None = None
    price: Fraction | None = None
    invested: Fraction | None = None
    lpm: Fraction = Fraction(1)
    seniority: Fraction = Fraction(0)
    participating: bool = False
    cap: Fraction | None = None
    ratio: Fraction = Fraction(1)
    conversion_price: Fraction | None = None
    problem: str | None = None


@dataclass
class _Security:
    sid: str
    tx_type: str
    tx_id: str
    kind: str
    holder: str
    group: tuple[Any, ...]
    quantity: Fraction
    issued: dt.date | None
    strike: Fraction | None = None
    underlying: str | None = None
    open: bool = True
    terms: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    weight: Fraction | None = None
    """A SAFE's or note's holding shares as exported by stakeflow (a weight: the class's amount is
    shared pro rata to it); else its amount is its weight."""


def _weights(secs: list[_Security]) -> dict[str, Fraction]:
    """Holding shares of a convertible class's securities: the exported weights while they stay
    proportional to the amounts, else the amounts."""
    ws = [s.weight for s in secs]
    if all(w for w in ws):
        ratios = {s.quantity / s.weight for s in secs if s.weight}
        if len(ratios) == 1:
            return {s.sid: s.weight or Fraction(0) for s in secs}
    return {s.sid: s.quantity for s in secs}


class _Importer:
    def __init__(self, cap: Any, source: str) -> None:
        self.cap = cap
        self.source = source
        self.unmapped: list[OcfItem] = []
        self.ignored: list[OcfItem] = []
        self.applied: list[OcfItem] = []
        self.notes: list[str] = []
        self.ids = _Ids()
        self.line_notes: dict[Loc, str] = {}
        self.holder_of: dict[str, str] = {}
        self.classes: dict[str, _Class] = {}
        self.plans: dict[str, Any] = {p.id: p for p in cap.stock_plans}
        self.securities: dict[str, _Security] = {}
        self.issued: dict[str, str] = {}  # every issued security id -> the issuing transaction id
        self.not_mapped: dict[str, str] = {}  # security id -> why its issuance was not mapped
        self.currency = self._pick_currency()
        self.kinds = set(typing.get_args(models.ClassKind))
        self.extra_ids: list[str] = []
        self.pools: dict[str, dict[str, Any]] = {}

    # --- bookkeeping ---------------------------------------------------------------------------
    def unmap(self, obj: Any, reason: str) -> None:
        self.unmapped.append(OcfItem(str(obj.object_type), str(obj.id), reason))

    def ignore(self, obj: Any, reason: str) -> None:
        self.ignored.append(OcfItem(str(obj.object_type), str(obj.id), reason))

    def apply(self, obj: Any, what: str) -> None:
        self.applied.append(OcfItem(str(obj.object_type), str(obj.id), what))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def _pick_currency(self) -> str:
        seen: Counter[str] = Counter()
        for c in self.cap.stock_classes:
            if c.price_per_share is not None:
                seen[str(_currency(c.price_per_share))] += 1
        for t in self.cap.transactions:
            for name in ("share_price", "exercise_price", "investment_amount"):
                money = getattr(t, name, None)
                if money is not None:
                    seen[str(_currency(money))] += 1
        if not seen:
            return "USD"
        currency = seen.most_common(1)[0][0]
        if len(seen) > 1:
            self.note(M.NOTE_CURRENCIES.format(found=", ".join(sorted(seen)), currency=currency))
        return currency

    def money(self, value: Any) -> tuple[Fraction | None, str | None]:
        """An amount in the scenario's currency, or the reason it cannot be read."""
        if value is None:
            return None, None
        cur = _currency(value)
        if cur is not None and cur != self.currency:
            return None, M.OTHER_CURRENCY.format(found=cur, currency=self.currency)
        return _num(value), None

    # --- the pieces ----------------------------------------------------------------------------
    def run(self) -> OcfImport:
        cap = self.cap
        issuer = cap.manifest.issuer
        for obj in cap.stakeholders:
            self.holder_of[obj.id] = self.ids.take(_candidates(obj.id, obj.name.legal_name), "holder")
        entity_id = self.ids.take(_candidates(issuer.id, issuer.legal_name), "company")
        for obj in cap.stock_classes:
            self._stock_class(obj)
        for group, reason in (
            (cap.valuations, M.NO_EFFECT_VALUATION), (cap.documents, M.NO_EFFECT_DOCUMENT),
            (cap.stock_legend_templates, M.NO_EFFECT_DOCUMENT), (cap.vesting_terms, M.NO_EFFECT_DOCUMENT),
            (cap.financings, M.NO_EFFECT_FINANCING),
        ):
            for obj in group:
                self.ignore(obj, reason)
        txs = list(cap.transactions)
        for tx in txs:
            if tx.object_type in _ISSUANCES:
                self._issuance(tx)
        self._infer_prices()
        self._pools()
        order = sorted(range(len(txs)), key=lambda i: (_date(txs[i].date) or dt.date.min, i))
        for i in order:
            tx = txs[i]
            if tx.object_type not in _ISSUANCES:
                self._event(tx)
        return self._build(entity_id)

    def _stock_class(self, obj: Any) -> None:
        marks = marks_of(obj)
        kind = "common" if _enum(obj.class_type) == "COMMON" else "preferred"
        cid = self.ids_for_class(obj.id, obj.name)
        draft = _Class(ocf_id=obj.id, id=cid, name=obj.name, kind=kind, votes=_num(obj.votes_per_share))
        draft.seniority = _num(obj.seniority) or Fraction(0)
        self.classes[obj.id] = draft
        if kind == "common":
            if obj.conversion_rights or _num(obj.liquidation_preference_multiple) not in (None, 1) or (
                obj.participation_cap_multiple is not None
            ):
                self.note(M.NOTE_COMMON_TERMS.format(id=cid))
            return
        price, why = self.money(obj.price_per_share)
        if why:
            draft.problem = why
        draft.price = self._exact(obj, marks, "price_per_share", price)
        draft.invested = self._exact(obj, marks, "invested", None)
        if draft.invested is not None:
            draft.price = None
        lpm = self._exact(obj, marks, "liquidation_preference_multiple", _num(obj.liquidation_preference_multiple))
        draft.lpm = Fraction(1) if lpm is None else lpm
        cap_multiple = self._exact(obj, marks, "participation_cap_multiple", _num(obj.participation_cap_multiple))
        participating = marks.get("participating")
        if participating is not None:
            draft.participating = participating == "true"
            draft.cap = cap_multiple if draft.participating else None
        else:
            draft.participating = cap_multiple is not None and cap_multiple > 0
            draft.cap = cap_multiple if draft.participating else None
        ratio, conversion_price = self._ratio(obj)
        mark_ratio, _ = exact(marks, "conversion_ratio", ratio)
        draft.ratio = mark_ratio if mark_ratio is not None else Fraction(1)
        draft.conversion_price = conversion_price
        if ratio is None and mark_ratio is None:
            self.note(M.NOTE_NO_CONVERSION_RIGHT.format(id=cid))

    def ids_for_class(self, ocf_id: str, name: str | None) -> str:
        taken = {c.id for c in self.classes.values()}
        ids = _Ids()
        ids.used = set(taken)
        return ids.take(_candidates(ocf_id, name), "class")

    def _exact(self, obj: Any, marks: dict[str, str], key: str, value: Fraction | None) -> Fraction | None:
        out, stale = exact(marks, key, value)
        if stale:
            self.note(M.NOTE_STALE_MARK.format(object=obj.object_type, id=obj.id, field=key))
        return out

    def _ratio(self, obj: Any) -> tuple[Fraction | None, Fraction | None]:
        """The conversion ratio into common (and the conversion price) of a preferred class."""
        commons = {c.id: c for c in self.cap.stock_classes if _enum(c.class_type) == "COMMON"}
        rights = []
        for r in obj.conversion_rights or ():
            mech = r.conversion_mechanism
            target = getattr(r, "converts_to_stock_class_id", None)
            if getattr(mech, "type", None) == "RATIO_CONVERSION" and (target in commons or target is None):
                rights.append((r, mech, target))
        if not rights:
            return None, None

        def votes(item: tuple[Any, Any, Any]) -> Fraction:
            target = item[2]
            v = _num(commons[target].votes_per_share) if target in commons else None
            return v if v else Fraction(10**9)

        _, mech, _ = min(rights, key=votes)
        num, den = _num(mech.ratio.numerator), _num(mech.ratio.denominator)
        ratio = num / den if num is not None and den else None
        price, _why = self.money(mech.conversion_price)
        return ratio, price

    def _infer_prices(self) -> None:
        """Original issue prices of preferred classes that OCF leaves without ``price_per_share``."""
        for draft in self.classes.values():
            if draft.kind != "preferred" or draft.price is not None or draft.invested is not None:
                continue
            prices = {
                s.terms["share_price"] for s in self.securities.values()
                if s.kind == "stock" and s.group == ("stock", draft.ocf_id) and s.terms.get("share_price") is not None
            }
            if len(prices) == 1:
                draft.price = prices.pop()
                self.note(M.NOTE_PRICE_FROM_ISSUANCES.format(id=draft.id, price=_show(draft.price)))
            elif draft.conversion_price is not None:
                draft.price = draft.conversion_price * draft.ratio
                self.note(M.NOTE_PRICE_FROM_CONVERSION.format(id=draft.id, price=_show(draft.price)))
            elif draft.problem is None:
                draft.problem = M.NO_PRICE
        for draft in self.classes.values():
            if draft.problem is not None:
                self.unmapped.append(OcfItem("STOCK_CLASS", draft.ocf_id, draft.problem))

    def _pools(self) -> None:
        """The unissued reserve of each stock plan, as a ``pool`` class where the format has one:
        the shares reserved (the last pool adjustment, else the initial reserve), less every
        grant and stock issuance made under the plan, plus the shares returned to it."""
        if "pool" not in self.kinds:
            for plan in self.cap.stock_plans:
                self.ignore(plan, M.NO_EFFECT_PLAN)
            return
        txs = sorted(self.cap.transactions, key=lambda t: _date(t.date) or dt.date.min)
        for plan in self.cap.stock_plans:
            marks = marks_of(plan)
            reserved = self._exact(plan, marks, "initial_shares_reserved", _num(plan.initial_shares_reserved))
            granted = returned = Fraction(0)
            for t in txs:
                if getattr(t, "stock_plan_id", None) != plan.id:
                    continue
                if t.object_type == "TX_STOCK_PLAN_POOL_ADJUSTMENT":
                    reserved = _num(t.shares_reserved)
                elif t.object_type == "TX_STOCK_PLAN_RETURN_TO_POOL":
                    returned += _num(t.quantity) or Fraction(0)
                elif t.object_type in _ISSUANCES and t.object_type != "TX_CONVERTIBLE_ISSUANCE":
                    granted += _num(getattr(t, "quantity", None)) or Fraction(0)
            available = (reserved or Fraction(0)) - granted + returned
            if available <= 0:
                self.ignore(plan, M.POOL_EMPTY.format(granted=_show(granted), reserved=_show(reserved or Fraction(0))))
                continue
            holder = marks.get("holder")
            if holder not in self.holder_of.values():
                holder = None
            mark = marks.get("pool")
            same = next((p["class"] for p in self.pools.values() if mark and p["mark"] == mark), None)
            cid = same or self._new_class_id(mark if mark and _ID.match(mark) else slug(f"pool {plan.plan_name}"))
            self.pools[plan.id] = {"class": cid, "mark": mark, "name": plan.plan_name, "holder": holder,
                                   "shares": available}
            self.apply(plan, M.APPLIED_POOL_PLAN.format(shares=_show(available)))

    # --- issuances -----------------------------------------------------------------------------
    def _issuance(self, tx: Any) -> None:
        sid = tx.security_id
        if sid in self.issued:
            self.unmap(tx, M.DUPLICATE_SECURITY.format(ref=sid, other=self.issued[sid]))
            return
        self.issued[sid] = tx.id
        kind = _ISSUANCES[tx.object_type]
        reasons: list[str] = []
        holder = self.holder_of.get(tx.stakeholder_id)
        if holder is None:
            reasons.append(M.UNKNOWN_STAKEHOLDER.format(ref=tx.stakeholder_id))
        marks = marks_of(tx)
        sec: _Security | None = None
        if kind == "stock":
            sec = self._stock(tx, marks, reasons)
        elif kind == "option":
            sec = self._option(tx, marks, reasons)
        elif kind == "warrant":
            sec = self._warrant(tx, marks, reasons)
        else:
            sec = self._convertible(tx, marks, reasons)
        if reasons or sec is None:
            why = "; ".join(reasons)
            self.unmap(tx, why)
            self.not_mapped[sid] = why
            return
        sec.holder = holder or ""
        self.securities[sid] = sec
        for text in sec.notes:
            self.note(text)

    def _quantity(self, tx: Any, marks: dict[str, str], value: Any, reasons: list[str]) -> Fraction:
        q = self._exact(tx, marks, "quantity", _num(value))
        if q is None:
            reasons.append(M.NO_QUANTITY)
            return Fraction(0)
        if q < 0:
            reasons.append(M.NEGATIVE_QUANTITY.format(quantity=_show(q)))
        return q

    def _stock(self, tx: Any, marks: dict[str, str], reasons: list[str]) -> _Security | None:
        draft = self.classes.get(tx.stock_class_id)
        if draft is None:
            reasons.append(M.UNKNOWN_STOCK_CLASS.format(ref=tx.stock_class_id))
        elif draft.problem is not None:
            reasons.append(M.UNMAPPED_STOCK_CLASS.format(ref=tx.stock_class_id))
        q = self._quantity(tx, marks, tx.quantity, reasons)
        price, why = self.money(tx.share_price)
        terms = {"share_price": price if not why else None}
        return _Security(tx.security_id, tx.object_type, tx.id, "stock", "", ("stock", tx.stock_class_id), q,
                         _date(tx.date), terms=terms)

    def _option(self, tx: Any, marks: dict[str, str], reasons: list[str]) -> _Security | None:
        ctype = _enum(tx.compensation_type)
        if ctype not in ("OPTION", "OPTION_ISO", "OPTION_NSO", "RSU", "CSAR", "SSAR"):
            reasons.append(M.COMPENSATION_UNKNOWN.format(kind=ctype))
        q = self._quantity(tx, marks, tx.quantity, reasons)
        strike: Fraction | None
        notes: list[str] = []
        if ctype == "RSU":
            strike = Fraction(0)
            notes.append(M.NOTE_RSU)
        else:
            price_field = tx.exercise_price if tx.exercise_price is not None else getattr(tx, "base_price", None)
            strike, why = self.money(price_field)
            if why:
                reasons.append(why)
            strike = self._exact(tx, marks, "exercise_price", strike)
            if strike is None and not why:
                reasons.append(M.NO_EXERCISE_PRICE)
        plan = self.plans.get(tx.stock_plan_id) if tx.stock_plan_id else None
        underlying = tx.stock_class_id
        if underlying is None and plan is not None:
            ids = list(plan.stock_class_ids or ()) or ([plan.stock_class_id] if plan.stock_class_id else [])
            underlying = ids[0] if ids else None
        self._check_underlying(tx, underlying, reasons, M.OPTION_ON_PREFERRED, notes)
        group = ("option", marks.get("class"), tx.stock_plan_id, strike)
        return _Security(tx.security_id, tx.object_type, tx.id, "option", "", group, q, _date(tx.date),
                         strike=strike, underlying=underlying, notes=notes)

    def _check_underlying(
        self, tx: Any, underlying: str | None, reasons: list[str], preferred_msg: str, notes: list[str]
    ) -> None:
        if underlying is None:
            notes.append(M.NOTE_UNDERLYING_ASSUMED.format(object=tx.object_type, id=tx.id))
            return
        draft = self.classes.get(underlying)
        if draft is None:
            reasons.append(M.UNKNOWN_STOCK_CLASS.format(ref=underlying))
        elif draft.kind != "common":
            reasons.append(preferred_msg.format(ref=underlying))

    def _warrant(self, tx: Any, marks: dict[str, str], reasons: list[str]) -> _Security | None:
        strike, why = self.money(tx.exercise_price)
        if why:
            reasons.append(why)
        strike = self._exact(tx, marks, "exercise_price", strike)
        if strike is None and not why:
            reasons.append(M.NO_EXERCISE_PRICE)
        quantity = tx.quantity
        underlying: str | None = None
        future = False
        for trig in tx.exercise_triggers or ():
            right = trig.conversion_right
            mech: Any = getattr(right, "conversion_mechanism", None)
            if getattr(right, "converts_to_future_round", None):
                future = True
            target = getattr(right, "converts_to_stock_class_id", None)
            underlying = underlying or target
            if quantity is None and getattr(mech, "type", None) == "FIXED_AMOUNT_CONVERSION":
                quantity = mech.converts_to_quantity
        if quantity is None and future:
            reasons.append(M.FUTURE_ROUND)
            q = Fraction(0)
        else:
            q = self._quantity(tx, marks, quantity, reasons)
        notes: list[str] = []
        self._check_underlying(tx, underlying, reasons, M.WARRANT_ON_PREFERRED, notes)
        group = ("warrant", marks.get("class"), strike)
        return _Security(tx.security_id, tx.object_type, tx.id, "warrant", "", group, q, _date(tx.date),
                         strike=strike, underlying=underlying, notes=notes)

    def _convertible(self, tx: Any, marks: dict[str, str], reasons: list[str]) -> _Security | None:
        kind = {"SAFE": "safe", "NOTE": "note"}.get(str(_enum(tx.convertible_type)))
        label = str(_enum(tx.convertible_type))
        if kind is None or kind not in self.kinds:
            reasons.append(M.CONVERTIBLE_NOT_SUPPORTED.format(kind=label))
            return None
        amount, why = self.money(tx.investment_amount)
        if why:
            reasons.append(why)
            return None
        terms, problem, notes = _convertible_terms(kind, tx, self.currency)
        if problem:
            reasons.append(M.CONVERTIBLE_TERMS.format(kind=label, detail=problem))
            return None
        amount = self._exact(tx, marks, "investment_amount", amount)
        for key in ("valuation_cap", "discount", "interest_rate"):
            if key in terms:
                terms[key] = self._exact(tx, marks, key, terms[key])
        if kind == "note" and "maturity_date" in marks:
            try:
                terms["maturity_date"] = dt.date.fromisoformat(marks["maturity_date"])
            except ValueError:
                notes.append(M.NOTE_STALE_MARK.format(object=tx.object_type, id=tx.id, field="maturity_date"))
        group = ("convertible", marks.get("class"), kind, tuple(sorted(terms.items())))
        weight = read_fraction(marks["shares"]) if "shares" in marks else None
        return _Security(tx.security_id, tx.object_type, tx.id, kind, "", group, amount or Fraction(0),
                         _date(tx.date), terms=terms, notes=notes, weight=weight)

    # --- events --------------------------------------------------------------------------------
    def _event(self, tx: Any) -> None:
        t = tx.object_type
        if t in ("TX_STOCK_PLAN_POOL_ADJUSTMENT", "TX_STOCK_PLAN_RETURN_TO_POOL") and tx.stock_plan_id in self.pools:
            self.apply(tx, M.APPLIED_POOL.format(cls=self.pools[tx.stock_plan_id]["class"]))
        elif t in _NO_EFFECT:
            self.ignore(tx, _NO_EFFECT[t])
        elif t == "TX_STOCK_CLASS_SPLIT":
            self._split(tx)
        elif t == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT":
            self._ratio_adjustment(tx)
        else:
            sec = self._target(tx, tx.security_id)
            if sec is None:
                return
            if t in _RETRACTIONS:
                sec.open = False
                self.apply(tx, M.APPLIED_CLOSED.format(ref=sec.sid))
            elif t in _REMOVALS:
                self._remove(tx, sec, _num(tx.quantity))
            elif t in _MOVES:
                field_name = _MOVES[t]
                q = _num(getattr(tx, field_name)) if field_name else None
                results = list(tx.resulting_security_ids or ())
                missing = [r for r in results if r not in self.issued]
                if missing or not results:
                    self.unmap(tx, M.MISSING_RESULTS.format(refs=", ".join(missing) or "(none)"))
                    return
                self._remove(tx, sec, q)
            else:  # a transaction type of a later pyocf
                self.unmap(tx, M.UNKNOWN_TRANSACTION.format(type=t))

    def _target(self, tx: Any, sid: str) -> _Security | None:
        sec = self.securities.get(sid)
        if sec is not None:
            if not sec.open:
                self.unmap(tx, M.UNKNOWN_SECURITY.format(ref=sid) + " (it is no longer outstanding)")
                return None
            return sec
        if sid in self.not_mapped:
            self.unmap(tx, M.UNMAPPED_SECURITY.format(ref=sid, why=self.not_mapped[sid]))
        else:
            self.unmap(tx, M.UNKNOWN_SECURITY.format(ref=sid))
        return None

    def _remove(self, tx: Any, sec: _Security, quantity: Fraction | None) -> None:
        """Take ``quantity`` out of ``sec`` (all of it when None). A balance security issued in the
        package holds what remains, so the original closes."""
        balance = getattr(tx, "balance_security_id", None)
        if quantity is None or (balance and balance in self.issued):
            sec.open = False
            self.apply(tx, M.APPLIED_CLOSED.format(ref=sec.sid))
            return
        if quantity < 0:
            self.unmap(tx, M.NEGATIVE_QUANTITY.format(quantity=_show(quantity)))
            return
        if quantity > sec.quantity:
            self.unmap(tx, M.TOO_MUCH.format(quantity=_show(quantity), ref=sec.sid, outstanding=_show(sec.quantity)))
            return
        sec.quantity -= quantity
        if sec.quantity == 0:
            sec.open = False
        self.apply(tx, M.APPLIED_REDUCED.format(ref=sec.sid, quantity=_show(quantity), left=_show(sec.quantity)))

    def _split(self, tx: Any) -> None:
        """A split of ``r`` new shares for one: the class's securities issued before it and not
        reissued under it (a reissuance names the post-split securities itself) are multiplied
        by ``r``; options and warrants on the class too, their strikes divided by ``r``; the
        class's price per share is divided by ``r``, and conversion ratios change so that
        every class converts into the same part of the company as before, unless the package
        records the class's new ratio itself on or after the split."""
        draft = self.classes.get(tx.stock_class_id)
        if draft is None:
            self.unmap(tx, M.UNKNOWN_STOCK_CLASS.format(ref=tx.stock_class_id))
            return
        num, den = _num(tx.split_ratio.numerator), _num(tx.split_ratio.denominator)
        if not num or not den:
            self.unmap(tx, M.SPLIT_UNREADABLE)
            return
        r = num / den
        when = _date(tx.date)
        reissued = {t.security_id for t in self.cap.transactions
                    if t.object_type == "TX_STOCK_REISSUANCE" and getattr(t, "split_transaction_id", None) == tx.id}
        count = 0
        for s in self.securities.values():
            before = s.issued is None or when is None or s.issued < when
            if not s.open or not before or s.sid in reissued:
                continue
            if s.kind == "stock" and s.group == ("stock", draft.ocf_id):
                s.quantity *= r
                count += 1
            elif s.kind in ("option", "warrant") and s.underlying == draft.ocf_id:
                s.quantity *= r
                if s.strike is not None:
                    s.strike /= r
                    s.group = (*s.group[:-1], s.strike)
                count += 1
        adjusted = []
        if draft.kind == "preferred":
            if draft.price is not None:
                draft.price /= r
            if not self._ratio_recorded(draft, when):
                draft.ratio /= r
                adjusted.append(draft.id)
        else:
            for other in self.classes.values():
                if other.kind == "preferred" and not self._ratio_recorded(other, when):
                    other.ratio *= r
                    adjusted.append(other.id)
        text = M.NOTE_SPLIT.format(id=tx.id, cls=draft.id, ratio=_show(r), count=count, date=when)
        if adjusted:
            text += M.NOTE_SPLIT_RATIOS.format(ids=", ".join(adjusted))
        self.note(text)
        self.apply(tx, text)

    def _ratio_recorded(self, draft: _Class, when: dt.date | None) -> bool:
        return any(
            t.object_type == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT" and t.stock_class_id == draft.ocf_id
            and (when is None or (_date(t.date) or dt.date.min) >= when)
            for t in self.cap.transactions
        )

    def _ratio_adjustment(self, tx: Any) -> None:
        draft = self.classes.get(tx.stock_class_id)
        if draft is None:
            self.unmap(tx, M.UNKNOWN_STOCK_CLASS.format(ref=tx.stock_class_id))
            return
        if draft.kind == "common":
            self.unmap(tx, M.RATIO_ON_COMMON)
            return
        mech = tx.new_ratio_conversion_mechanism
        num, den = _num(mech.ratio.numerator), _num(mech.ratio.denominator)
        if not num or not den:
            self.unmap(tx, M.RATIO_UNREADABLE)
            return
        draft.ratio = num / den
        self.apply(tx, M.APPLIED_RATIO.format(cls=draft.id, ratio=_show(draft.ratio)))

    # --- the scenario --------------------------------------------------------------------------
    def _build(self, entity_id: str) -> OcfImport:
        cap = self.cap
        issuer = cap.manifest.issuer
        holders = []
        for i, obj in enumerate(cap.stakeholders):
            marks = marks_of(obj)
            kind = marks.get("kind")
            if kind not in typing.get_args(models.HolderKind):
                kind = _KIND_OF_RELATIONSHIP.get(str(_enum(obj.current_relationship)))
            holders.append(Holder.model_validate({"id": self.holder_of[obj.id], "name": obj.name.legal_name,
                                                  "kind": kind}))
            self.line_notes[("holders", i)] = f"OCF stakeholder {obj.id}"
        classes: list[dict[str, Any]] = []
        class_notes: list[str] = []
        mapped = [d for d in self.classes.values() if d.problem is None]
        needs_common = bool(mapped) or any(s.open for s in self.securities.values())
        if needs_common and not any(d.kind == "common" for d in mapped):
            classes.append({"id": self._new_class_id("common"), "kind": "common"})
            class_notes.append("added: every equity entity has a common class")
            self.note(M.NOTE_ADDED_COMMON)
        ranks = self._seniorities(mapped)
        class_of: dict[tuple[Any, ...], str] = {}
        for d in mapped:
            classes.append(self._class_fields(d, ranks))
            class_notes.append(f"OCF stock class {d.ocf_id}")
            class_of[("stock", d.ocf_id)] = d.id
        for spec, note in self._derived_classes(class_of):
            classes.append(spec)
            class_notes.append(note)
        holdings: dict[tuple[str, str], Fraction] = {}
        sources: dict[tuple[str, str], list[str]] = {}
        pool_holder = ""
        pool_keys: set[tuple[str, str]] = set()
        if any(p["holder"] is None for p in self.pools.values()):
            pool_holder = self.ids.take(["unallocated_pool"], "pool")
            holders.append(Holder(id=pool_holder, name=M.POOL_HOLDER_NAME, kind="pool"))
            self.line_notes[("holders", len(holders) - 1)] = M.POOL_HOLDER_NOTE
            self.note(M.NOTE_POOL_HOLDER.format(id=pool_holder))
        for plan_id, pool in self.pools.items():
            cid = pool["class"]
            if cid not in {c["id"] for c in classes}:
                classes.append({"id": cid, "name": f"{pool['name']} (unissued reserve)", "kind": "pool"})
                class_notes.append(f"OCF stock plan {plan_id}: reserve not yet granted")
            key = (pool["holder"] or pool_holder, cid)
            holdings[key] = holdings.get(key, Fraction(0)) + pool["shares"]
            sources.setdefault(key, []).append(plan_id)
            pool_keys.add(key)
        weights: dict[str, Fraction] = {}
        for group in {s.group for s in self.securities.values() if s.kind in ("safe", "note") and s.open}:
            weights.update(_weights([s for s in self.securities.values() if s.group == group and s.open]))
        for s in self.securities.values():
            if not s.open:
                continue
            key = (s.holder, class_of[s.group])
            holdings[key] = holdings.get(key, Fraction(0)) + weights.get(s.sid, s.quantity)
            sources.setdefault(key, []).append(s.sid)
        order = {c["id"]: i for i, c in enumerate(classes)}
        holder_order = {h.id: i for i, h in enumerate(holders)}
        keys = sorted(holdings, key=lambda k: (order[k[1]], holder_order[k[0]]))
        hold_list = [Holding.model_validate({"holder": h, "class": c, "shares": holdings[(h, c)]}) for h, c in keys]
        for j, key in enumerate(keys):
            sids = sources[key]
            shown = ", ".join(sids[:3]) + (f" and {len(sids) - 3} more" if len(sids) > 3 else "")
            word = ("stock plan" if len(sids) == 1 else "stock plans") if key in pool_keys else (
                "security" if len(sids) == 1 else "securities")
            self.line_notes[("entities", 0, "holdings", j)] = f"OCF {word} {shown}"
        for j, note in enumerate(class_notes):
            self.line_notes[("entities", 0, "classes", j)] = note
        self.line_notes[("entities", 0)] = f"OCF issuer {issuer.id}"
        entity = Entity(
            id=entity_id,
            name=issuer.legal_name,
            legal_form="corporation",
            classes=tuple(make_class(c) for c in classes) or None,
            holdings=tuple(hold_list) or None,
        )
        sc = Scenario(
            stakeflow=1,
            name=issuer.legal_name,
            currency=self.currency,
            as_of=_date(cap.manifest.as_of),
            holders=tuple(holders),
            entities=(entity,),
        )
        counts = {
            "stakeholders": len(cap.stakeholders),
            "stock_classes": len(cap.stock_classes),
            "stock_plans": len(cap.stock_plans),
            "transactions": len(cap.transactions),
            "holders": len(holders),
            "classes": len(classes),
            "holdings": len(hold_list),
            "unmapped": len(self.unmapped),
            "ignored": len(self.ignored),
        }
        return OcfImport(sc, self.source, self.unmapped, self.ignored, self.notes, counts, self.applied,
                         self.line_notes)

    def _new_class_id(self, base: str) -> str:
        taken = {c.id for c in self.classes.values()} | set(self.extra_ids)
        out, n = base, 2
        while out in taken:
            out, n = f"{base}_{n}", n + 1
        self.extra_ids.append(out)
        return out

    def _seniorities(self, drafts: list[_Class]) -> dict[str, int]:
        values = sorted({d.seniority for d in drafts if d.kind == "preferred"})
        if all(v.denominator == 1 for v in values):
            return {d.ocf_id: int(d.seniority) for d in drafts}
        self.note(M.NOTE_SENIORITY_RANKED.format(values=", ".join(_show(v) for v in values)))
        rank = {v: i + 1 for i, v in enumerate(values)}
        return {d.ocf_id: rank.get(d.seniority, 0) for d in drafts}

    def _class_fields(self, d: _Class, ranks: dict[str, int]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": d.id, "name": d.name, "kind": d.kind}
        if d.votes is not None and d.votes != 1:
            out["votes_per_share"] = d.votes
        if d.kind == "common":
            return out
        if d.invested is not None:
            out["invested"] = d.invested
        else:
            out["price_per_share"] = d.price
        out["liquidation_preference_multiple"] = d.lpm
        out["seniority"] = ranks[d.ocf_id]
        out["participating"] = d.participating
        if d.participating and d.cap is not None:
            out["participation_cap_multiple"] = d.cap
        out["conversion_ratio"] = d.ratio
        return out

    def _derived_classes(self, class_of: dict[tuple[Any, ...], str]) -> list[tuple[dict[str, Any], str]]:
        """Option, warrant and convertible classes, one per group of securities with the same terms."""
        groups: dict[tuple[Any, ...], list[_Security]] = {}
        for s in self.securities.values():
            if s.kind != "stock" and s.open:
                groups.setdefault(s.group, []).append(s)
        out: list[tuple[dict[str, Any], str]] = []
        taken = {c.id for c in self.classes.values() if c.problem is None} | set(self.extra_ids)
        strikes_per_plan: Counter[tuple[Any, Any]] = Counter((g[1], g[2]) for g in groups if g[0] == "option")
        strikes_of_warrants: Counter[Any] = Counter(g[1] for g in groups if g[0] == "warrant")
        for group, secs in groups.items():
            kind = secs[0].kind
            spec: dict[str, Any]
            if kind == "option":
                _, mark, plan_id, strike = group
                plan = self.plans.get(plan_id) if plan_id else None
                plan_name = plan.plan_name if plan is not None else None
                several = strikes_per_plan[(mark, plan_id)] > 1
                base = [mark] if mark else []
                if not several:
                    base += [plan_id if plan_id and _ID.match(plan_id) else None, slug(plan_name or ""), "options"]
                else:
                    stem = slug(plan_name or "") or "options"
                    base += [slug(f"{stem} at {_show(strike)}")]
                name = plan_name if plan_name and not several else f"{plan_name or 'Options'} at {_show(strike)}"
                spec = {"kind": "option", "name": name, "strike": strike}
                note = f"OCF equity compensation under plan {plan_id}" if plan_id else "OCF equity compensation"
            elif kind == "warrant":
                _, mark, strike = group
                several = strikes_of_warrants[mark] > 1
                base = [mark] if mark else []
                base += [slug(f"warrants at {_show(strike)}") if several else "warrants"]
                spec = {"kind": "warrant", "name": f"Warrants at {_show(strike)}", "strike": strike}
                note = "OCF warrant issuances"
            else:
                _, mark, ckind, terms = group
                base = [mark] if mark else []
                base += [f"{ckind}s"]
                spec = {"kind": ckind, **dict(terms)}
                total = sum((s.quantity for s in secs), Fraction(0))
                spec["invested" if ckind == "safe" else "principal"] = total
                note = f"OCF convertible issuances ({ckind})"
            ids = _Ids()
            ids.used = taken
            spec = {"id": ids.take(base, kind), **spec}
            out.append((spec, note))
            for s in secs:
                class_of[s.group] = spec["id"]
        return out


def _show(x: Fraction) -> str:
    return fraction_text(x)


def _convertible_terms(kind: str, tx: Any, currency: str) -> tuple[dict[str, Any], str | None, list[str]]:
    """The class terms of a SAFE or a note from its OCF conversion mechanism, or why they do not
    fit the scenario format, and notes on how they were read.

    SAFE (``SAFE_CONVERSION``): ``conversion_valuation_cap`` → ``valuation_cap``,
    ``conversion_discount`` → ``discount``, ``conversion_timing`` → ``basis``. An
    ``exit_multiple`` other than 1 does not fit (a SAFE is owed its purchase amount).
    Note (``CONVERTIBLE_NOTE_CONVERSION``): one interest rate → ``interest_rate`` from its
    ``accrual_start_date`` (→ ``issue_date``), simple or compounding annually, actual/365, interest
    deferred; ``exit_multiple`` → ``liquidation_preference_multiple``. The OCF seniority of a
    convertible ranks it among convertibles only, so it is not read.
    """
    mechs = [t.conversion_right.conversion_mechanism for t in tx.conversion_triggers or ()
             if getattr(t.conversion_right, "conversion_mechanism", None) is not None]
    wanted = "SAFE_CONVERSION" if kind == "safe" else "CONVERTIBLE_NOTE_CONVERSION"
    mine = [m for m in mechs if getattr(m, "type", None) == wanted]
    if not mine:
        found = ", ".join(sorted({str(getattr(m, "type", "?")) for m in mechs})) or "none"
        return {}, M.CONVERTIBLE_MECHANISM.format(wanted=wanted, found=found), []
    if len({repr(m) for m in mine}) > 1:
        return {}, M.CONVERTIBLE_SEVERAL, []
    m = mine[0]
    terms: dict[str, Any] = {}
    notes: list[str] = []
    cap = getattr(m, "conversion_valuation_cap", None)
    if cap is not None:
        if _currency(cap) not in (None, currency):
            return {}, M.OTHER_CURRENCY.format(found=_currency(cap), currency=currency), []
        terms["valuation_cap"] = _num(cap)
    discount = _num(getattr(m, "conversion_discount", None))
    if discount:
        terms["discount"] = discount
    if terms.get("valuation_cap") == 0 or (discount is not None and discount >= 1):
        return {}, M.CONVERTIBLE_RANGE, []
    multiple = getattr(m, "exit_multiple", None)
    exit_multiple = None
    if multiple is not None:
        num, den = _num(multiple.numerator), _num(multiple.denominator)
        exit_multiple = num / den if num is not None and den else None
    if kind == "safe":
        if exit_multiple not in (None, 1):
            return {}, M.SAFE_EXIT_MULTIPLE.format(multiple=_show(exit_multiple or Fraction(0))), []
        timing = _enum(getattr(m, "conversion_timing", None))
        if timing is not None:
            terms["basis"] = "pre_money" if timing == "PRE_MONEY" else "post_money"
        else:
            notes.append(M.NOTE_SAFE_BASIS.format(id=tx.id))
        if "valuation_cap" not in terms and "discount" not in terms:
            return {}, M.SAFE_NO_TERMS, []
        return terms, None, notes
    if exit_multiple not in (None, 1):
        terms["liquidation_preference_multiple"] = exit_multiple
    rates = list(m.interest_rates or ())
    if len(rates) > 1 or any(getattr(r, "accrual_end_date", None) for r in rates):
        return {}, M.NOTE_RATES, []
    if rates and _num(rates[0].rate):
        if _enum(m.day_count_convention) != "ACTUAL_365":
            return {}, M.NOTE_DAY_COUNT.format(found=_enum(m.day_count_convention)), []
        compounding = _enum(m.compounding_type)
        if compounding == "COMPOUNDING" and _enum(m.interest_accrual_period) != "ANNUAL":
            return {}, M.NOTE_COMPOUNDING.format(found=_enum(m.interest_accrual_period)), []
        if _enum(m.interest_payout) == "CASH":
            notes.append(M.NOTE_INTEREST_PAID.format(id=tx.id))
        else:
            terms["interest_rate"] = _num(rates[0].rate)
            terms["interest"] = "compound" if compounding == "COMPOUNDING" else "simple"
            terms["issue_date"] = _date(rates[0].accrual_start_date)
    return terms, None, notes


def from_captable(cap: Any, source: str) -> OcfImport:
    """The scenario of a pyocf :class:`~pyocf.captable.Captable`."""
    try:
        return _Importer(cap, source).run()
    except ScenarioError as exc:
        details = [f"{p.path}: {p.message}" if p.path else p.message for p in exc.problems]
        raise InputErrors([M.NOT_A_SCENARIO.format(path=source, detail=d) for d in details]) from None
    except ValidationError as exc:
        raise InputErrors([M.NOT_A_SCENARIO.format(path=source, detail=str(e["msg"]).removeprefix("Value error, "))
                           for e in exc.errors(include_url=False)]) from None
