"""OCF transactions after issuance: cancellations, repurchases, transfers, conversions, exercises,
retractions, splits and conversion ratio adjustments, applied in date order."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from . import _messages as M
from .decimals import fraction_text
from .ocf_state import ClassDraft, ImportState, SecurityDraft, ocf_date, ocf_number

# Transactions that change nothing the scenario holds, and why.
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


class Events(ImportState):
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
                self._remove(tx, sec, ocf_number(tx.quantity))
            elif t in _MOVES:
                field_name = _MOVES[t]
                q = ocf_number(getattr(tx, field_name)) if field_name else None
                results = list(tx.resulting_security_ids or ())
                missing = [r for r in results if r not in self.issued]
                if missing or not results:
                    self.unmap(tx, M.MISSING_RESULTS.format(refs=", ".join(missing) or "(none)"))
                    return
                self._remove(tx, sec, q)
            else:  # a transaction type of a later pyocf
                self.unmap(tx, M.UNKNOWN_TRANSACTION.format(type=t))

    def _target(self, tx: Any, sid: str) -> SecurityDraft | None:
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

    def _remove(self, tx: Any, sec: SecurityDraft, quantity: Fraction | None) -> None:
        """Take ``quantity`` out of ``sec`` (all of it when None). A balance security issued in the
        package holds what remains, so the original closes."""
        balance = getattr(tx, "balance_security_id", None)
        if quantity is None or (balance and balance in self.issued):
            sec.open = False
            self.apply(tx, M.APPLIED_CLOSED.format(ref=sec.sid))
            return
        if quantity < 0:
            self.unmap(tx, M.NEGATIVE_QUANTITY.format(quantity=fraction_text(quantity)))
            return
        if quantity > sec.quantity:
            self.unmap(tx, M.TOO_MUCH.format(quantity=fraction_text(quantity), ref=sec.sid,
                                             outstanding=fraction_text(sec.quantity)))
            return
        sec.quantity -= quantity
        if sec.quantity == 0:
            sec.open = False
        self.apply(tx, M.APPLIED_REDUCED.format(ref=sec.sid, quantity=fraction_text(quantity),
                                                left=fraction_text(sec.quantity)))

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
        num, den = ocf_number(tx.split_ratio.numerator), ocf_number(tx.split_ratio.denominator)
        if not num or not den:
            self.unmap(tx, M.SPLIT_UNREADABLE)
            return
        r = num / den
        when = ocf_date(tx.date)
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
        text = M.NOTE_SPLIT.format(id=tx.id, cls=draft.id, ratio=fraction_text(r), count=count, date=when)
        if adjusted:
            text += M.NOTE_SPLIT_RATIOS.format(ids=", ".join(adjusted))
        self.note(text)
        self.apply(tx, text)

    def _ratio_recorded(self, draft: ClassDraft, when: dt.date | None) -> bool:
        return any(
            t.object_type == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT" and t.stock_class_id == draft.ocf_id
            and (when is None or (ocf_date(t.date) or dt.date.min) >= when)
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
        num, den = ocf_number(mech.ratio.numerator), ocf_number(mech.ratio.denominator)
        if not num or not den:
            self.unmap(tx, M.RATIO_UNREADABLE)
            return
        draft.ratio = num / den
        self.apply(tx, M.APPLIED_RATIO.format(cls=draft.id, ratio=fraction_text(draft.ratio)))
