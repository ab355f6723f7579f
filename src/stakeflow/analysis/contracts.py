"""Contract cash flows over the projected years: revenue shares and fixed payments.

For calendar year ``y`` a contract is in force for the fraction ``a_y`` of the year's days
that fall between its ``start`` and ``end`` dates (both included), and not after the year in
which its ``end_event`` happens (an event happens at the end of its year).

- A revenue share pays ``rate · R_y · a_y`` while in force, until its cumulative payments reach
  its ``cap``: the payment in year ``t`` is ``min(cap, Σ_{s≤t} due_s) − min(cap, Σ_{s<t} due_s)``.
- A payment with a ``total`` spreads it evenly over the days from ``start`` to ``end``; with
  ``amounts`` it pays the amount given for each calendar year.

Licences carry no cash; :func:`timeline` lists every contract's term for the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..scenario.contracts import Contract
from ..scenario.models import Scenario


def _days(y: int) -> int:
    return (dt.date(y + 1, 1, 1) - dt.date(y, 1, 1)).days


def _overlap(y: int, start: dt.date | None, end: dt.date | None) -> int:
    lo = max(dt.date(y, 1, 1), start) if start is not None else dt.date(y, 1, 1)
    hi = min(dt.date(y, 12, 31), end) if end is not None else dt.date(y, 12, 31)
    return max(0, (hi - lo).days + 1)


def in_force(c: Contract, years: list[int]) -> np.ndarray:
    """``a_y``: the fraction of each calendar year's days between the contract's start and end."""
    return np.array([_overlap(y, c.start, c.end) / _days(y) for y in years], dtype=np.float64)


def scheduled(c: Contract, years: list[int]) -> np.ndarray:
    """A payment contract's amount in each calendar year (before any end event)."""
    if c.amounts is not None:
        return np.array([float(c.amounts.get(str(y), 0)) for y in years], dtype=np.float64)
    assert c.total is not None and c.start is not None and c.end is not None
    span = (c.end - c.start).days + 1
    return np.array([float(c.total) * _overlap(y, c.start, c.end) / span for y in years], dtype=np.float64)


def before_event(event_year: np.ndarray, horizon: int) -> np.ndarray:
    """``(n, T)`` mask: 1 in the years up to and including the event's year, 0 after it."""
    t = np.arange(1, horizon + 1)
    return (t[None, :] <= event_year[:, None]).astype(np.float64)


def cash_flows(
    contracts: list[Contract],
    years: list[int],
    revenue: np.ndarray,
    events: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Each cash contract's payments, ``(n, T)``, for revenue paths ``revenue`` ``(n, T)`` and event
    years ``events[id]`` ``(n,)`` (1-based year of the projection; beyond the horizon: never)."""
    n, horizon = revenue.shape
    out: dict[str, np.ndarray] = {}
    for c in contracts:
        if not c.is_cash:
            continue
        if c.kind == "revenue_share":
            assert c.rate is not None
            due = float(c.rate) * revenue * in_force(c, years)[None, :]
        else:
            due = np.broadcast_to(scheduled(c, years)[None, :], (n, horizon)).copy()
        if c.end_event is not None:
            due *= before_event(events[c.end_event], horizon)
        if c.cap is not None:
            cum = np.minimum(np.cumsum(due, axis=1), float(c.cap))
            due = np.diff(cum, axis=1, prepend=0.0)
        out[c.id] = due
    return out


@dataclass(frozen=True)
class TermRow:
    """One contract's term, for the timeline: from ``start`` to ``end`` (None: open)."""

    id: str
    name: str
    kind: str
    source: str
    target: str
    start: dt.date | None
    end: dt.date | None
    end_event: str | None
    detail: str


def timeline(sc: Scenario) -> list[TermRow]:
    """Every contract's term and what it is, in file order."""
    rows = []
    for c in sc.contracts:
        giver, taker = c.parties
        if c.kind == "revenue_share":
            detail = f"{float(c.rate or 0):.0%} of revenue" + (f", capped at {float(c.cap):,.0f}" if c.cap else "")
        elif c.kind == "payment":
            if c.total is not None:
                detail = f"{float(c.total):,.0f} in all"
            else:
                detail = f"{sum(float(v) for v in (c.amounts or {}).values()):,.0f} in all"
            if c.payee_margin:
                detail += f"; payee margin {float(c.payee_margin):.0%}"
        else:
            detail = (c.scope or "licence") + ("; exclusive" if c.exclusive else "")
        rows.append(TermRow(c.id, c.name or c.id, c.kind, giver, taker, c.start, c.end, c.end_event, detail))
    return rows


__all__ = ["TermRow", "before_event", "cash_flows", "in_force", "scheduled", "timeline"]
