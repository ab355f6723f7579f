"""OCF stock classes and stock plans: the scenario's common and preferred classes, their
conversion ratios and prices, and the option pools."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from . import _messages as M
from .decimals import fraction_text
from .ocf_imported import OcfItem
from .ocf_marks import exact, marks_of
from .ocf_state import ISSUANCES, VALID_ID, ClassDraft, ImportState, enum_value, ocf_date, ocf_number, slug


class StockClasses(ImportState):
    def _stock_class(self, obj: Any) -> None:
        marks = marks_of(obj)
        kind = "common" if enum_value(obj.class_type) == "COMMON" else "preferred"
        cid = self.ids_for_class(obj.id, obj.name)
        draft = ClassDraft(ocf_id=obj.id, id=cid, name=obj.name, kind=kind, votes=ocf_number(obj.votes_per_share))
        draft.seniority = ocf_number(obj.seniority) or Fraction(0)
        self.classes[obj.id] = draft
        if kind == "common":
            if obj.conversion_rights or ocf_number(obj.liquidation_preference_multiple) not in (None, 1) or (
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
        lpm = self._exact(obj, marks, "liquidation_preference_multiple",
                          ocf_number(obj.liquidation_preference_multiple))
        draft.lpm = Fraction(1) if lpm is None else lpm
        cap_multiple = self._exact(obj, marks, "participation_cap_multiple", ocf_number(obj.participation_cap_multiple))
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

    def _ratio(self, obj: Any) -> tuple[Fraction | None, Fraction | None]:
        """The conversion ratio into common (and the conversion price) of a preferred class."""
        commons = {c.id: c for c in self.cap.stock_classes if enum_value(c.class_type) == "COMMON"}
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
            v = ocf_number(commons[target].votes_per_share) if target in commons else None
            return v if v else Fraction(10**9)

        _, mech, _ = min(rights, key=votes)
        num, den = ocf_number(mech.ratio.numerator), ocf_number(mech.ratio.denominator)
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
                self.note(M.NOTE_PRICE_FROM_ISSUANCES.format(id=draft.id, price=fraction_text(draft.price)))
            elif draft.conversion_price is not None:
                draft.price = draft.conversion_price * draft.ratio
                self.note(M.NOTE_PRICE_FROM_CONVERSION.format(id=draft.id, price=fraction_text(draft.price)))
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
        txs = sorted(self.cap.transactions, key=lambda t: ocf_date(t.date) or dt.date.min)
        for plan in self.cap.stock_plans:
            marks = marks_of(plan)
            reserved = self._exact(plan, marks, "initial_shares_reserved", ocf_number(plan.initial_shares_reserved))
            granted = returned = Fraction(0)
            for t in txs:
                if getattr(t, "stock_plan_id", None) != plan.id:
                    continue
                if t.object_type == "TX_STOCK_PLAN_POOL_ADJUSTMENT":
                    reserved = ocf_number(t.shares_reserved)
                elif t.object_type == "TX_STOCK_PLAN_RETURN_TO_POOL":
                    returned += ocf_number(t.quantity) or Fraction(0)
                elif t.object_type in ISSUANCES and t.object_type != "TX_CONVERTIBLE_ISSUANCE":
                    granted += ocf_number(getattr(t, "quantity", None)) or Fraction(0)
            available = (reserved or Fraction(0)) - granted + returned
            if available <= 0:
                self.ignore(plan, M.POOL_EMPTY.format(granted=fraction_text(granted),
                                                      reserved=fraction_text(reserved or Fraction(0))))
                continue
            holder = marks.get("holder")
            if holder not in self.holder_of.values():
                holder = None
            mark = marks.get("pool")
            same = next((p["class"] for p in self.pools.values() if mark and p["mark"] == mark), None)
            cid = same or self._new_class_id(mark if mark and VALID_ID.match(mark) else slug(f"pool {plan.plan_name}"))
            self.pools[plan.id] = {"class": cid, "mark": mark, "name": plan.plan_name, "holder": holder,
                                   "shares": available}
            self.apply(plan, M.APPLIED_POOL_PLAN.format(shares=fraction_text(available)))
