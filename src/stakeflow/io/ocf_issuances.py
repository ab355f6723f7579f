"""OCF issuances: stock, options (and RSUs, SARs), warrants, SAFEs and convertible notes as
securities of the scenario's classes."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from . import _messages as M
from .decimals import fraction_text
from .ocf_marks import marks_of, read_fraction
from .ocf_state import ISSUANCES, ImportState, SecurityDraft, currency_of, enum_value, ocf_date, ocf_number


class Issuances(ImportState):
    # --- issuances -----------------------------------------------------------------------------
    def _issuance(self, tx: Any) -> None:
        sid = tx.security_id
        if sid in self.issued:
            self.unmap(tx, M.DUPLICATE_SECURITY.format(ref=sid, other=self.issued[sid]))
            return
        self.issued[sid] = tx.id
        kind = ISSUANCES[tx.object_type]
        reasons: list[str] = []
        holder = self.holder_of.get(tx.stakeholder_id)
        if holder is None:
            reasons.append(M.UNKNOWN_STAKEHOLDER.format(ref=tx.stakeholder_id))
        marks = marks_of(tx)
        sec: SecurityDraft | None = None
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
        q = self._exact(tx, marks, "quantity", ocf_number(value))
        if q is None:
            reasons.append(M.NO_QUANTITY)
            return Fraction(0)
        if q < 0:
            reasons.append(M.NEGATIVE_QUANTITY.format(quantity=fraction_text(q)))
        return q

    def _stock(self, tx: Any, marks: dict[str, str], reasons: list[str]) -> SecurityDraft | None:
        draft = self.classes.get(tx.stock_class_id)
        if draft is None:
            reasons.append(M.UNKNOWN_STOCK_CLASS.format(ref=tx.stock_class_id))
        elif draft.problem is not None:
            reasons.append(M.UNMAPPED_STOCK_CLASS.format(ref=tx.stock_class_id))
        q = self._quantity(tx, marks, tx.quantity, reasons)
        price, why = self.money(tx.share_price)
        terms = {"share_price": price if not why else None}
        return SecurityDraft(tx.security_id, tx.object_type, tx.id, "stock", "", ("stock", tx.stock_class_id), q,
                         ocf_date(tx.date), terms=terms)

    def _option(self, tx: Any, marks: dict[str, str], reasons: list[str]) -> SecurityDraft | None:
        ctype = enum_value(tx.compensation_type)
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
        return SecurityDraft(tx.security_id, tx.object_type, tx.id, "option", "", group, q, ocf_date(tx.date),
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

    def _warrant(self, tx: Any, marks: dict[str, str], reasons: list[str]) -> SecurityDraft | None:
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
        return SecurityDraft(tx.security_id, tx.object_type, tx.id, "warrant", "", group, q, ocf_date(tx.date),
                         strike=strike, underlying=underlying, notes=notes)

    def _convertible(self, tx: Any, marks: dict[str, str], reasons: list[str]) -> SecurityDraft | None:
        kind = {"SAFE": "safe", "NOTE": "note"}.get(str(enum_value(tx.convertible_type)))
        label = str(enum_value(tx.convertible_type))
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
        return SecurityDraft(tx.security_id, tx.object_type, tx.id, kind, "", group, amount or Fraction(0),
                         ocf_date(tx.date), terms=terms, notes=notes, weight=weight)


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
        if currency_of(cap) not in (None, currency):
            return {}, M.OTHER_CURRENCY.format(found=currency_of(cap), currency=currency), []
        terms["valuation_cap"] = ocf_number(cap)
    discount = ocf_number(getattr(m, "conversion_discount", None))
    if discount:
        terms["discount"] = discount
    if terms.get("valuation_cap") == 0 or (discount is not None and discount >= 1):
        return {}, M.CONVERTIBLE_RANGE, []
    multiple = getattr(m, "exit_multiple", None)
    exit_multiple = None
    if multiple is not None:
        num, den = ocf_number(multiple.numerator), ocf_number(multiple.denominator)
        exit_multiple = num / den if num is not None and den else None
    if kind == "safe":
        if exit_multiple not in (None, 1):
            return {}, M.SAFE_EXIT_MULTIPLE.format(multiple=fraction_text(exit_multiple or Fraction(0))), []
        timing = enum_value(getattr(m, "conversion_timing", None))
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
    if rates and ocf_number(rates[0].rate):
        if enum_value(m.day_count_convention) != "ACTUAL_365":
            return {}, M.NOTE_DAY_COUNT.format(found=enum_value(m.day_count_convention)), []
        compounding = enum_value(m.compounding_type)
        if compounding == "COMPOUNDING" and enum_value(m.interest_accrual_period) != "ANNUAL":
            return {}, M.NOTE_COMPOUNDING.format(found=enum_value(m.interest_accrual_period)), []
        if enum_value(m.interest_payout) == "CASH":
            notes.append(M.NOTE_INTEREST_PAID.format(id=tx.id))
        else:
            terms["interest_rate"] = ocf_number(rates[0].rate)
            terms["interest"] = "compound" if compounding == "COMPOUNDING" else "simple"
            terms["issue_date"] = ocf_date(rates[0].accrual_start_date)
    return terms, None, notes
