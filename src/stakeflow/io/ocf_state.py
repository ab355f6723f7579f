"""The state an import from the Open Cap Table Format builds up, and the helpers that read OCF
values (numbers, money, enums, dates, ids); the importer's parts (:mod:`.ocf_classes`,
:mod:`.ocf_issuances`, :mod:`.ocf_events`, :mod:`.ocf_build`) share it."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..scenario import models
from . import _messages as M
from .ocf_imported import OcfItem
from .ocf_marks import exact
from .scenario_yaml import Loc

VALID_ID = re.compile(r"^[a-z][a-z0-9_]*$")
"""An id of the scenario format (SPEC §1)."""

ISSUANCES = {
    "TX_STOCK_ISSUANCE": "stock",
    "TX_EQUITY_COMPENSATION_ISSUANCE": "option",
    "TX_PLAN_SECURITY_ISSUANCE": "option",
    "TX_WARRANT_ISSUANCE": "warrant",
    "TX_CONVERTIBLE_ISSUANCE": "convertible",
}
"""The transactions that issue a security, and the kind of security each issues."""


# --- reading helpers ---------------------------------------------------------------------------------
def ocf_number(value: Any) -> Fraction | None:
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


def currency_of(money: Any) -> str | None:
    """The currency code of an OCF Monetary amount."""
    cur = getattr(money, "currency", None)
    return getattr(cur, "root", cur)


def enum_value(value: Any) -> str | None:
    """An OCF enum's value as written (``"COMMON"``)."""
    return getattr(value, "value", value)


def ocf_date(value: Any) -> dt.date | None:
    """An OCF date, or None where there is none."""
    d = getattr(value, "root", value)
    return d if isinstance(d, dt.date) else None


def slug(text: str) -> str:
    """An id of the scenario format made from ``text`` (``Series Seed Preferred`` ->
    ``series_seed_preferred``)."""
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not s:
        return ""
    return s if s[0].isalpha() else f"x_{s}"


class Ids:
    """Unique ids across holders and entities (SPEC §1), and per entity for classes."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, candidates: Iterable[str | None], fallback: str) -> str:
        options = [c for c in candidates if c]
        for c in options:
            if VALID_ID.match(c) and c not in self.used:
                self.used.add(c)
                return c
        base = next((slug(c) for c in options if slug(c)), fallback)
        n, out = 2, base
        while out in self.used:
            out, n = f"{base}_{n}", n + 1
        self.used.add(out)
        return out


def id_candidates(ocf_id: str, name: str | None) -> list[str | None]:
    """Ids to try, best first: the OCF id where it is already a valid id (so a package exported by
    stakeflow keeps its ids), else the name, else the OCF id made valid."""
    return [ocf_id if VALID_ID.match(ocf_id) else None, slug(name or ""), slug(ocf_id)]


# --- drafts ----------------------------------------------------------------------------------------
@dataclass
class ClassDraft:
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
class SecurityDraft:
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


class ImportState:
    """What is known so far: holders, classes, securities and what became of each OCF object."""

    def __init__(self, cap: Any, source: str) -> None:
        self.cap = cap
        self.source = source
        self.unmapped: list[OcfItem] = []
        self.ignored: list[OcfItem] = []
        self.applied: list[OcfItem] = []
        self.notes: list[str] = []
        self.ids = Ids()
        self.line_notes: dict[Loc, str] = {}
        self.holder_of: dict[str, str] = {}
        self.classes: dict[str, ClassDraft] = {}
        self.plans: dict[str, Any] = {p.id: p for p in cap.stock_plans}
        self.securities: dict[str, SecurityDraft] = {}
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
                seen[str(currency_of(c.price_per_share))] += 1
        for t in self.cap.transactions:
            for name in ("share_price", "exercise_price", "investment_amount"):
                money = getattr(t, name, None)
                if money is not None:
                    seen[str(currency_of(money))] += 1
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
        cur = currency_of(value)
        if cur is not None and cur != self.currency:
            return None, M.OTHER_CURRENCY.format(found=cur, currency=self.currency)
        return ocf_number(value), None

    def _new_class_id(self, base: str) -> str:
        """A class id not yet taken, from ``base`` (``base_2``, ``base_3``, ...)."""
        taken = {c.id for c in self.classes.values()} | set(self.extra_ids)
        out, n = base, 2
        while out in taken:
            out, n = f"{base}_{n}", n + 1
        self.extra_ids.append(out)
        return out

    def ids_for_class(self, ocf_id: str, name: str | None) -> str:
        taken = {c.id for c in self.classes.values()}
        ids = Ids()
        ids.used = set(taken)
        return ids.take(id_candidates(ocf_id, name), "class")

    def _exact(self, obj: Any, marks: dict[str, str], key: str, value: Fraction | None) -> Fraction | None:
        out, stale = exact(marks, key, value)
        if stale:
            self.note(M.NOTE_STALE_MARK.format(object=obj.object_type, id=obj.id, field=key))
        return out


__all__ = ["ISSUANCES", "VALID_ID", "ClassDraft", "Ids", "ImportState", "SecurityDraft", "currency_of", "enum_value",
           "id_candidates", "ocf_date", "ocf_number", "slug"]
