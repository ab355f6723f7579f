"""Projections over time: an operating entity's profits flowing through its structure year by year.

For each path, with revenue ``R_t`` and margin ``m_t`` in year ``t = 1..T``:

- operating profit ``O_t = m_t · R_t``; cash contracts paid by the entity (revenue shares and
  payments not already inside the margin) come first: net profit ``N_t = O_t − K_t``;
- losses are carried forward against later profits and past distributions are never clawed
  back, so cumulative distributable profit is the running maximum of cumulative net profit,
  ``C_t = max(0, max_{s≤t} Σ_{u≤s} N_u)``, ``C_0 = 0``;
- caps are cumulative, so a holder with cumulative payoff curve ``F`` receives
  ``F(C_t) − F(C_{t−1})`` in year ``t``;
- the terminal value ``V_T`` then flows through the same structure on top of the cumulative
  profits: ``F(C_T + V_T) − F(C_T)`` at the horizon.

Where a tier program reached from the entity has terms in time (caps as multiples, hurdles,
growing caps, catch-up; SPEC §10), one curve ``F`` on one date no longer says what a year pays:
year ``t``'s profit ``D_t = C_t − C_{t−1}`` is distributed on its year-end date ``d_t`` (31
December of the calendar year ``start + t − 1``) with ``D_1 … D_{t−1}`` on ``d_1 … d_{t−1}`` as
history, and ``V_T`` on ``d_T`` after ``D_T`` (:class:`stakeflow.payoff.dated.DatedPayouts`).
:func:`projection_payouts` picks the method from the scenario; without terms in time the two agree.

A holder's present value on one path is
``Σ_t v_t (F(C_t) − F(C_{t−1})) + v_T (F(C_T + V_T) − F(C_T))`` with ``v_t = (1 + r)^−t``; a
contract's payee adds ``Σ_t v_t · μ · K_t`` (``μ`` = 1 for a revenue share, the payee's margin
for a payment).

The random draws (revenue shocks, event uniforms) come from :mod:`stakeflow.valuation.streams`
and the revenue model from :mod:`stakeflow.valuation.revenue`; this module holds what is about
contracts and structures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..payoff import payoff_curve
from ..payoff.dated import DatedPayouts, dated_terms_below
from ..scenario.errors import InputError
from ..scenario.models import Scenario
from ..scenario.projection import Projection, expand
from ..valuation.revenue import revenue_paths
from ..valuation.streams import Block
from . import _restructuring_messages as M
from .contracts import cash_flows


class Curve(Protocol):
    """What a projection needs of a payoff curve: holders and a vectorised evaluation."""

    holders: list[str]

    def evaluate(self, values: np.ndarray) -> np.ndarray: ...


def projection_of(sc: Scenario) -> Projection:
    if sc.projection is None:
        raise InputError(M.NO_PROJECTION.format(name=sc.name or "the scenario"))
    return sc.projection


@dataclass(frozen=True)
class Paths:
    """Projected flows of ``n`` paths over ``T`` years (floats; one row per path)."""

    years: list[int]
    revenue: np.ndarray  # (n, T)
    operating: np.ndarray  # (n, T) margin × revenue
    contracts: dict[str, np.ndarray]  # contract id -> (n, T) cash paid
    cumulative: np.ndarray  # (n, T + 1): C_0 = 0, C_1 .. C_T
    terminal: np.ndarray  # (n,)
    discount: np.ndarray  # (T,)
    events: dict[str, np.ndarray]  # event id -> (n,) year of the event (T + 1: not within the horizon)

    @property
    def distributed(self) -> np.ndarray:
        """``(n, T)`` profits distributed each year: ``C_t − C_{t−1}``."""
        return np.diff(self.cumulative, axis=1)


def event_years(p: Projection, block: Block, operating: np.ndarray) -> dict[str, np.ndarray]:
    """Each event's year on each path (1..T; T + 1 when it does not happen within the horizon)."""
    horizon = p.horizon
    never = horizon + 1
    out: dict[str, np.ndarray] = {}
    for ev in p.events:
        if ev.year is not None:
            out[ev.id] = np.full(block.size, min(max(ev.year - p.start + 1, 0), never), dtype=np.int64)
            continue
        if ev.annual_probability is not None:
            hit = block.uniforms(ev.id, horizon) < float(ev.annual_probability)
        else:
            assert ev.cumulative_profit is not None
            hit = np.cumsum(operating, axis=1) >= float(ev.cumulative_profit)
        first = np.argmax(hit, axis=1) + 1
        out[ev.id] = np.where(hit.any(axis=1), first, never).astype(np.int64)
    return out


def simulate(sc: Scenario, block: Block) -> Paths:
    """Project ``sc``'s entity over one block of paths (see the module's rules)."""
    p = projection_of(sc)
    years = p.years
    revenue = revenue_paths(p, block)
    margin = np.array([float(x) for x in expand(p.margin, p.horizon)])
    operating = revenue * margin[None, :]
    events = event_years(p, block, operating)
    paid = cash_flows(list(sc.contracts), years, revenue, events)
    reducing = [paid[c.id] for c in sc.contracts if c.reduces_profit and c.id in paid]
    net = operating - (np.sum(reducing, axis=0) if reducing else 0.0)
    cumulative = np.zeros((block.size, p.horizon + 1))
    cumulative[:, 1:] = np.maximum(np.maximum.accumulate(np.cumsum(net, axis=1), axis=1), 0.0)
    term = p.terminal
    if term is None:
        terminal = np.zeros(block.size)
    elif term.revenue_multiple is not None:
        terminal = float(term.revenue_multiple) * revenue[:, -1]
    elif term.profit_multiple is not None:
        terminal = float(term.profit_multiple) * np.maximum(operating[:, -1], 0.0)
    else:
        terminal = np.full(block.size, float(term.value or 0))
    discount = (1.0 + float(p.discount_rate)) ** -np.arange(1, p.horizon + 1, dtype=np.float64)
    return Paths(years, revenue, operating, paid, cumulative, terminal, discount, events)


def distribution_dates(p: Projection) -> list[dt.date]:
    """The date of each projected year's distribution, its year-end, and of the terminal value,
    the horizon's year-end again (after the last year's profit)."""
    ends = [dt.date(y, 12, 31) for y in p.years]
    return [*ends, ends[-1]]


def projection_payouts(sc: Scenario) -> Curve:
    """How ``sc``'s structure pays the projection's distributions, picked from the scenario: its
    payoff curve ``F`` (distributions as cumulative proceeds, ``F(C_t) − F(C_{t−1})``) unless a
    tier program reached from the projected entity has terms in time; then each year's profit
    on its year-end date with the earlier years as history (:class:`DatedPayouts`)."""
    p = projection_of(sc)
    if dated_terms_below(sc, p.entity):
        return DatedPayouts(sc, p.entity, distribution_dates(p))
    return payoff_curve(sc, p.entity)


def receivers(sc: Scenario, curve: Curve) -> list[str]:
    """Everyone :func:`present_values` can give a column: the holders the structure pays (``curve``
    is its :func:`projection_payouts`), then each contract's payee, each once."""
    return list(dict.fromkeys([*curve.holders, *(c.payee for c in sc.contracts if c.payee is not None)]))


def structure_payouts(paths: Paths, curve: Curve) -> tuple[np.ndarray, np.ndarray]:
    """Each holder's yearly distributions ``(n, T, H)`` and terminal payout ``(n, H)``."""
    if isinstance(curve, DatedPayouts):
        amounts = np.concatenate([paths.distributed, paths.terminal[:, None]], axis=1)
        if amounts.shape[1] != len(curve.dates):
            raise ValueError(M.DATED_YEARS.format(dates=len(curve.dates), years=amounts.shape[1] - 1))
        out = curve.evaluate(amounts)
        return out[:, :-1, :], out[:, -1, :]
    n, t1 = paths.cumulative.shape
    points = np.empty((n, t1 + 1))
    points[:, :t1] = paths.cumulative
    points[:, t1] = paths.cumulative[:, -1] + paths.terminal
    f = curve.evaluate(points.reshape(-1)).reshape(n, t1 + 1, -1)
    yearly = np.diff(f[:, :t1, :], axis=1)
    terminal = f[:, t1, :] - f[:, t1 - 1, :]
    return yearly, terminal


def present_values(sc: Scenario, paths: Paths, curve: Curve) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Present value on each path of each (party, component): ``structure`` for what the
    entity's structure distributes (profits and terminal value), a contract's id for what
    that contract pays its payee. Returns the column labels and an ``(n, K)`` array."""
    yearly, terminal = structure_payouts(paths, curve)
    v = paths.discount
    pv = np.einsum("nth,t->nh", yearly, v) + terminal * v[-1]
    labels = [(h, "structure") for h in curve.holders]
    cols = [pv[:, j] for j in range(len(curve.holders))]
    for c in sc.contracts:
        if c.id in paths.contracts and c.payee is not None:
            labels.append((c.payee, c.id))
            cols.append(float(c.margin_to_payee) * (paths.contracts[c.id] @ v))
    return labels, np.column_stack(cols) if cols else np.zeros((paths.cumulative.shape[0], 0))


__all__ = ["Curve", "Paths", "distribution_dates", "event_years", "present_values", "projection_of",
           "projection_payouts", "receivers", "simulate", "structure_payouts"]
