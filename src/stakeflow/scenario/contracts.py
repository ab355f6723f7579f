"""The optional ``contracts`` section: agreements beside the ownership structure (an extension of
the format, documented in ``docs/restructuring.md``).

Three kinds:

- ``revenue_share``: ``payer`` pays ``payee`` a ``rate`` of its revenue from ``start`` until
  ``end`` (a date) or ``end_event`` (an event of the projection), whichever comes first, up to a
  total ``cap``;
- ``payment``: fixed payments from ``payer`` to ``payee`` (a compute commitment, say), a
  ``total`` spread evenly over the days from ``start`` to ``end``, or ``amounts`` per calendar
  year. ``payee_margin`` is the part of each payment that is value to the payee (its profit
  margin on what it sells); ``in_margin: true`` says the payer's projected margin already
  counts the payments as costs, so they do not reduce its distributable profit again;
- ``licence``: rights granted by ``licensor`` to ``licensee`` from ``start`` to ``end`` or
  ``end_event``; no cash, shown on the timeline.

Cash contracts are paid before profit: they come off the payer's distributable profit.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Literal

from pydantic import model_validator

from . import _extension_messages as X
from ._base import Amount, Id, ReadOnlyMap, _Model

ContractKind = Literal["revenue_share", "payment", "licence"]

_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # kind: (required, allowed besides the common ones)
    "revenue_share": ({"payer", "payee", "rate"}, {"payer", "payee", "rate", "cap", "end_event"}),
    "payment": ({"payer", "payee"}, {"payer", "payee", "total", "amounts", "payee_margin", "in_margin", "end_event"}),
    "licence": ({"licensor", "licensee"}, {"licensor", "licensee", "scope", "exclusive", "end_event"}),
}
_COMMON = {"id", "name", "kind", "start", "end"}


class Contract(_Model):
    """One agreement: a revenue share, a fixed payment commitment or a licence."""

    id: Id
    name: str | None = None
    kind: ContractKind
    payer: Id | None = None
    payee: Id | None = None
    rate: Amount | None = None
    cap: Amount | None = None
    total: Amount | None = None
    amounts: ReadOnlyMap[str, Amount] | None = None
    payee_margin: Amount | None = None
    in_margin: bool | None = None
    licensor: Id | None = None
    licensee: Id | None = None
    scope: str | None = None
    exclusive: bool | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    end_event: Id | None = None

    @model_validator(mode="after")
    def _kind_rules(self) -> Contract:
        required, allowed = _FIELDS[self.kind]
        given = {k for k in type(self).model_fields if getattr(self, k) is not None}
        problems: list[str] = []
        missing = sorted(required - given)
        if missing:
            problems.append(X.CONTRACT_NEEDS.format(kind=self.kind, id=self.id, fields=", ".join(map(repr, missing))))
        for f in sorted(given - allowed - _COMMON):
            problems.append(X.CONTRACT_FIELD.format(field=f, kind=self.kind, id=self.id))
        if self.kind == "payment" and (self.total is None) == (self.amounts is None):
            problems.append(X.CONTRACT_PAYMENT_AMOUNTS.format(id=self.id))
        if self.kind == "payment" and self.total is not None and (self.start is None or self.end is None):
            needs = "'start' and 'end' with 'total'"
            problems.append(X.CONTRACT_NEEDS.format(kind=self.kind, id=self.id, fields=needs))
        if self.start is not None and self.end is not None and self.end < self.start:
            problems.append(X.CONTRACT_DATES.format(id=self.id, start=self.start, end=self.end))
        for key in self.amounts or {}:
            if not str(key).isdigit():
                problems.append(X.CONTRACT_YEAR.format(id=self.id, key=key))
        if self.rate is not None and self.rate > 1:
            problems.append(X.CONTRACT_RATE.format(id=self.id, value=f"{float(self.rate):.2%}"))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def is_cash(self) -> bool:
        """Whether money changes hands (revenue shares and payments; not licences)."""
        return self.kind != "licence"

    @property
    def parties(self) -> tuple[str, str]:
        """(who gives, who receives): payer and payee, or licensor and licensee."""
        if self.kind == "licence":
            return (self.licensor or "", self.licensee or "")
        return (self.payer or "", self.payee or "")

    @property
    def margin_to_payee(self) -> Fraction:
        """The part of each payment that is value to the payee: all of a revenue share, the
        ``payee_margin`` of a payment (none when not given)."""
        if self.kind == "revenue_share":
            return Fraction(1)
        return self.payee_margin if self.payee_margin is not None else Fraction(0)

    @property
    def reduces_profit(self) -> bool:
        """Whether payments come off the payer's distributable profit."""
        return self.is_cash and not (self.kind == "payment" and bool(self.in_margin))


__all__ = ["Contract", "ContractKind"]
