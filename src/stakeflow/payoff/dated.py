"""Distributions on a sequence of dates, each with the earlier ones as history, for many paths at once.

A projection pays its entity's profits year by year. Where a tier program's terms depend on the
date (caps as multiples of dated contributions, hurdles, growing caps, catch-up; SPEC §10), the
payout of a year's distribution ``D_t`` is not ``F(C_t) − F(C_{t−1})`` of one payoff curve ``F``:
it is the program's distribution of ``D_t`` on that year's date ``d_t``, with ``D_1 … D_{t−1}``
paid on ``d_1 … d_{t−1}`` as its history (after the file's own history), so caps grow to ``d_t``,
hurdles compound earlier receipts to ``d_t``, and a catch-up counts every earlier payment. That
is path-dependent: what a year pays depends on what the earlier years paid each claimant.

:class:`DatedPayouts` follows every path at once, date by date, in floats (numpy arrays of each
claimant's cumulative receipts, each tier's cumulative payments, the receipts of each earlier
date for hurdles). Nothing about the tiers is re-derived: everything that depends on the date
alone comes from the exact engine (each tier's caps on each date with the file's history
replayed, :func:`stakeflow.engine.tiers.caps_of`; contributions to date; the compounding factor
of each earlier date, :func:`stakeflow.engine.tiers.compound`), and the split of a marginal dollar
for every set of capped-out claimants is the engine's own
(:func:`stakeflow.engine.tiers.marginal_rates`). What stays is the engine's walk from event to
event (:func:`stakeflow.engine.tiers.segments`), on arrays.

Money reaching another entity flows on through it the same way: a tier program with terms in
time walks its own yearly receipts as history; any other entity (equity, or a tier program with
fixed caps, for which the history replay equals one distribution of the sum) distributes its
cumulative receipts through its compiled pieces, ``G(S_t) − G(S_{t−1})``.

Floats, so the tests compare it with the exact engine (``sf.waterfall`` with the earlier
distributions as ``history``, on each date) path by path.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..engine import reachable, resolve_entity
from ..engine.compiled import CompiledEntity, compile_entity, compiled
from ..engine.instruments import accrual_date
from ..engine.tiers import caps_of, claimants, compound, marginal_rates, program
from ..scenario.models import CapTerms, Entity, Scenario
from . import _messages as M


def has_dated_terms(ent: Entity) -> bool:
    """Whether ``ent``'s tier program has a term that depends on the distribution date."""
    return not ent.is_equity and any(t.timed for t in ent.distribution or ())


def dated_terms_below(sc: Scenario, entity: str | None = None) -> bool:
    """Whether some tier program reached from ``entity``'s proceeds has terms in time: then a
    sequence of distributions is path-dependent and needs :class:`DatedPayouts`."""
    order, _ = reachable(sc, resolve_entity(sc, entity))
    return any(has_dated_terms(e) for e in order)


@dataclass(frozen=True)
class _Tier:
    """One tier of a program, compiled for every date of the sequence.

    ``capped`` are the columns of the claimants the tier caps; ``rates[b]`` is every claimant's
    share of a marginal dollar when the capped claimants in bit set ``b`` are at their caps (bit
    ``j`` for ``capped[j]``), ``live[b]`` whether anyone then receives anything; ``caps[j]`` the caps
    on date ``j`` with the file's history replayed; ``excess[q, j, s]`` what a receipt of 1 on date
    ``s`` adds to a hurdle's compounding by date ``j`` (zero for other caps).
    """

    index: int
    capped: np.ndarray
    rates: np.ndarray
    live: np.ndarray
    limit: float | None
    caps: np.ndarray
    excess: np.ndarray | None
    catch_up: tuple[int, float] | None


class _Walk:
    """A tier program with terms in time, walked over dated distributions on every path."""

    def __init__(self, ent: Entity, dates: Sequence[dt.date]) -> None:
        tiers = ent.distribution or ()
        self.entity = ent.id
        self.claimants = claimants(tiers)
        col = {k: i for i, k in enumerate(self.claimants)}
        k_all = len(self.claimants)
        # The file's own history replayed by the engine (the same on every date; replaying it for
        # each date also checks that none of it is after that date).
        contexts = [program(ent, d).context for d in dates]
        first = contexts[0]
        received = first.received()
        self.base_totals = np.array([float(received.get(k, 0)) for k in self.claimants])
        self.base_tiers = np.array([float(first.before(i)) for i in range(len(tiers))])
        self.contributed = np.array([float(c.contributed()) for c in contexts])
        caps_on = [caps_of(tiers, c) for c in contexts]
        s_all = len(dates)
        out: list[_Tier] = []
        for i, tier in enumerate(tiers):
            if tier.catch_up is not None:
                r = marginal_rates(tier, set())
                rates = np.zeros((1, k_all))
                for k, x in r.items():
                    rates[0, col[k]] = float(x)
                cu = (col[tier.catch_up.claimant], float(tier.catch_up.share))
                out.append(_Tier(i, np.zeros(0, dtype=np.int64), rates, np.ones(1, dtype=bool), None,
                                 np.zeros((s_all, 0)), None, cu))
                continue
            names = list(caps_on[0][i])
            m = len(names)
            rates = np.zeros((1 << m, k_all))
            for b in range(1 << m):
                for k, x in marginal_rates(tier, {names[q] for q in range(m) if b >> q & 1}).items():
                    rates[b, col[k]] = float(x)
            caps = np.array([[float(caps_on[j][i][k]) for k in names] for j in range(s_all)]).reshape(s_all, m)
            excess = None
            terms = [(q, tier.caps[k]) for q, k in enumerate(names)]
            hurdles = [(q, c.hurdle) for q, c in terms if isinstance(c, CapTerms) and c.hurdle is not None]
            if hurdles:
                excess = np.zeros((m, s_all, s_all))
                for q, rate in hurdles:
                    for j in range(s_all):
                        for s in range(j):
                            excess[q, j, s] = float(compound(Fraction(1), rate, dates[s], dates[j]) - 1)
            out.append(_Tier(i, np.array([col[k] for k in names], dtype=np.int64), rates, np.asarray(rates.any(axis=1)),
                             None if tier.limit is None else float(tier.limit), caps, excess, None))
        self.tiers = out

    def distribute(self, amounts: np.ndarray) -> np.ndarray:
        """``(n, S)`` amounts, one per date and path → ``(n, S, K)`` what each claimant receives."""
        n, s_all = amounts.shape
        k_all = len(self.claimants)
        totals = np.tile(self.base_totals, (n, 1))
        into = np.tile(self.base_tiers, (n, 1))
        paid = np.full(n, self.base_totals.sum())
        got = np.zeros((s_all, n, k_all))  # date first: each date's receipts are one contiguous block
        for j in range(s_all):
            self._pay(j, amounts[:, j], totals, into, paid, got)
        return got.transpose(1, 0, 2)

    def _pay(self, j: int, amount: np.ndarray, totals: np.ndarray, into: np.ndarray, paid: np.ndarray,
             got: np.ndarray) -> None:
        """Distribute ``amount`` on date ``j`` (the engine's walk, :func:`~stakeflow.engine.tiers.segments`,
        on every path at once), updating the state in place and writing ``got[j]``.

        Each step works on the paths that still have money to place in the tier (``rows``): in
        loss years and past the first tiers most paths have none, and they cost nothing."""
        remaining = amount.astype(np.float64, copy=True)
        now = got[j]

        def pay(rows: np.ndarray, take: np.ndarray, rates: np.ndarray, tier: _Tier) -> None:
            x = take[:, None] * rates
            now[rows] += x
            totals[rows] += x
            if tier.limit is not None:
                into[rows, tier.index] += take
            paid[rows] += take
            remaining[rows] -= take

        for t in self.tiers:
            rows = np.flatnonzero(remaining > 0)
            if rows.size == 0:
                return
            if t.catch_up is not None:
                c, s = t.catch_up
                rc = t.rates[0, c]
                # C's receipts + rc·x = s·(all paid + x − contributions): linear in x, rc > s.
                x = (s * (paid[rows] - self.contributed[j]) - totals[rows, c]) / (rc - s)
                take = np.clip(np.minimum(x, remaining[rows]), 0.0, None)
                pay(rows, take, t.rates[0][None, :], t)
                continue
            m = len(t.capped)
            caps = np.broadcast_to(t.caps[j], (rows.size, m))
            if t.excess is not None and j > 0:
                past = got[:j][:, rows][:, :, t.capped]  # (j, rows, m) receipts of earlier dates
                caps = caps - np.einsum("snq,qs->nq", past, t.excess[:, j, :j])
            bits = (1 << np.arange(m)).astype(np.int64)
            for _ in range(m + 2):
                cur = totals[np.ix_(rows, t.capped)]
                out = cur >= caps
                mask = out @ bits if m else np.zeros(rows.size, dtype=np.int64)
                open_ = t.live[mask]
                if m:
                    open_ &= ~out.all(axis=1)
                if t.limit is not None:
                    open_ &= into[rows, t.index] < t.limit
                if not open_.all():
                    rows, caps, cur, out, mask = rows[open_], caps[open_], cur[open_], out[open_], mask[open_]
                if rows.size == 0:
                    break
                rates = t.rates[mask]
                to_limit = np.full(rows.size, np.inf) if t.limit is None else t.limit - into[rows, t.index]
                step = to_limit
                if m:
                    rc = rates[:, t.capped]
                    with np.errstate(divide="ignore", invalid="ignore"):
                        to_cap = np.where(~out & (rc > 0), (caps - cur) / rc, np.inf)
                    step = np.minimum(step, to_cap.min(axis=1))
                take = np.minimum(remaining[rows], step)
                pay(rows, take, rates, t)
                if m:
                    # A cap reached is reached exactly: rounding must not leave a claimant a hair
                    # below it for another round.
                    hit = ~out & (rc > 0) & (to_cap <= take[:, None])
                    totals[np.ix_(rows, t.capped)] = np.where(hit, caps, totals[np.ix_(rows, t.capped)])
                if t.limit is not None:
                    into[rows, t.index] = np.where(to_limit <= take, t.limit, into[rows, t.index])
                left = remaining[rows] > 0
                if not left.all():
                    rows, caps = rows[left], caps[left]


class _Pieces:
    """An entity distributed from its cumulative receipts through its compiled pieces (floats)."""

    def __init__(self, ce: CompiledEntity) -> None:
        self.starts = np.array([float(s) for s in ce.starts])
        self.values = np.array([[float(v) for v in row] for row in ce.values]).reshape(len(ce.starts), -1)
        self.slopes = np.array([[float(v) for v in row] for row in ce.slopes]).reshape(len(ce.starts), -1)
        self.payees = [(k, j, float(f)) for k, _, j, f in ce.payees]

    def distribute(self, amounts: np.ndarray) -> tuple[np.ndarray, list[tuple[str, int, float]]]:
        """``(n, S)`` amounts → ``(n, S, P)`` what each part receives on each date, and who is paid
        from each part."""
        n, s_all = amounts.shape
        cum = np.zeros((n, s_all + 1))
        cum[:, 1:] = np.cumsum(amounts, axis=1)
        k = np.searchsorted(self.starts, cum, side="right") - 1
        parts = self.values[k] + self.slopes[k] * (cum - self.starts[k])[..., None]
        return np.diff(parts, axis=1), self.payees


class DatedPayouts:
    """Each ultimate recipient's receipts from distributions of ``entity``'s proceeds on ``dates``
    (non-decreasing), each distribution with the earlier ones as history (SPEC §10).

    ``evaluate(amounts)`` takes ``(n, S)`` amounts, one per date, and returns ``(n, S, H)``:
    what holder ``holders[h]`` receives from the distribution on each date, on each path.
    ``every_program`` walks every tier program date by date, those with fixed terms too (where
    the walk and the cumulative pieces agree; the tests check that they do).
    """

    def __init__(self, sc: Scenario, entity: str | None, dates: Sequence[dt.date], *,
                 every_program: bool = False) -> None:
        if not dates or any(b < a for a, b in itertools.pairwise(dates)):
            raise ValueError(M.DATES_ORDER)
        root = resolve_entity(sc, entity)
        order, terminals = reachable(sc, root)
        self.entity = root.id
        self.dates = tuple(dates)
        self.holders = list(terminals)
        as_of = accrual_date(sc)
        self._order: list[tuple[str, _Walk | _Pieces]] = []
        for ent in order:
            if has_dated_terms(ent) or (every_program and not ent.is_equity):
                self._order.append((ent.id, _Walk(ent, self.dates)))
            else:
                ce = compiled(sc, ent, as_of)
                # Terms with no pieces: compiling again raises the engine's located error.
                self._order.append((ent.id, _Pieces(ce if ce is not None else compile_entity(ent, as_of))))

    def evaluate(self, amounts: np.ndarray) -> np.ndarray:
        a = np.asarray(amounts, dtype=np.float64)
        if a.ndim != 2 or a.shape[1] != len(self.dates):
            raise ValueError(M.DATED_SHAPE.format(entity=self.entity, dates=len(self.dates), shape=a.shape))
        if (a < 0).any():
            raise ValueError(M.NEGATIVE_PROCEEDS.format(entity=self.entity, count=int((a < 0).sum())))
        n, s_all = a.shape
        inflow = {eid: np.zeros((n, s_all)) for eid, _ in self._order}
        inflow[self.entity] = a
        column = {h: i for i, h in enumerate(self.holders)}
        out = np.zeros((n, s_all, len(self.holders)))

        def route(claimant: str, x: np.ndarray) -> None:
            if claimant in inflow:
                inflow[claimant] += x
            else:
                out[:, :, column[claimant]] += x

        for eid, how in self._order:
            if isinstance(how, _Walk):
                got = how.distribute(inflow[eid])
                for i, k in enumerate(how.claimants):
                    route(k, got[:, :, i])
            else:
                parts, payees = how.distribute(inflow[eid])
                for k, j, f in payees:
                    route(k, parts[:, :, j] * f if f != 1 else parts[:, :, j])
        return out


__all__ = ["DatedPayouts", "dated_terms_below", "has_dated_terms"]
