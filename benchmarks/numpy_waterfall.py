"""The baseline a payoff curve replaces: a straightforward vectorised numpy waterfall.

For an array of proceeds it redoes, per value, everything the exact engine does for one
equity entity (SPEC §3): preferences by descending seniority (pro rata within a seniority),
the residual price per common share solving
``Σ_common n·P + Σ_participating min(n·P, headroom) + Σ_options n·max(P − K, 0) = residual``
(kinks of the left side sorted per value), and the conversion equilibrium: the prefixes of the
convertible classes in order of what they give up per share, the first prefix from which no
class gains by switching alone. It is vectorised over the values (no Python loop per value),
in float64, and is checked against the exact engine before it is timed.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

import numpy as np

from stakeflow.engine import claims_of
from stakeflow.engine.claims import Claim
from stakeflow.scenario.models import Entity


@dataclass(frozen=True)
class Terms:
    """One equity entity's terms as float arrays, one entry per class."""

    ids: list[str]
    n: np.ndarray  # as-converted shares
    pref: np.ndarray
    seniority: np.ndarray
    preferred: np.ndarray  # bool
    participating: np.ndarray  # bool
    cap: np.ndarray  # inf where none
    strike: np.ndarray  # nan where not an option
    order: list[int]  # convertible classes in order of conversion threshold
    holdings: np.ndarray  # (C, H): fraction of each class's amount going to each holder
    holders: list[str]


def terms_of(entity: Entity, holders: list[str]) -> Terms:
    claims: list[Claim] = claims_of(entity)
    conv = sorted((i for i, c in enumerate(claims) if c.convertible and c.as_converted > 0),
                  key=lambda i: (claims[i].conversion_threshold, claims[i].id))
    hold = np.zeros((len(claims), len(holders)))
    for i, c in enumerate(claims):
        for h in entity.holdings or ():
            if h.class_ == c.id and c.shares > 0:
                hold[i, holders.index(h.holder)] += float(h.shares / c.shares)
    return Terms(
        ids=[c.id for c in claims],
        n=np.array([float(c.as_converted) for c in claims]),
        pref=np.array([float(c.preference) for c in claims]),
        seniority=np.array([c.seniority for c in claims]),
        preferred=np.array([c.is_preferred for c in claims]),
        participating=np.array([c.participating for c in claims]),
        cap=np.array([float(c.cap) if c.cap is not None else np.inf for c in claims]),
        strike=np.array([float(c.strike) if c.strike is not None else np.nan for c in claims]),
        order=conv,
        holdings=hold,
        holders=holders,
    )


def split(t: Terms, v: np.ndarray, converted: np.ndarray) -> np.ndarray:
    """Each class's amount (N, C) when the classes flagged in ``converted`` have converted."""
    nv, nc = v.shape[0], len(t.ids)
    remaining = v.copy()
    paid = np.zeros((nv, nc))
    holding = [i for i in range(nc) if t.preferred[i] and not converted[i] and t.pref[i] > 0]
    holding.sort(key=lambda i: -t.seniority[i])
    for _, grp in groupby(holding, key=lambda i: t.seniority[i]):
        group = list(grp)
        owed = t.pref[group].sum()
        pay = np.minimum(remaining, owed)
        for i in group:
            paid[:, i] = pay * (t.pref[i] / owed)
        remaining -= pay
    option = ~np.isnan(t.strike)
    part = (option | ~t.preferred | converted | t.participating) & (t.n > 0)
    capped = part & t.participating & ~converted & np.isfinite(t.cap)
    # A residual exists only once every preference is paid in full, so the cap headroom, and with
    # it the kinks of the total residual take as a function of the price P, are the same for
    # every value that has a residual: tabulate the total take at those kinks once.
    room = np.where(capped, np.maximum(t.cap - t.pref, 0.0), np.inf)
    per_share = np.where(t.n > 0, t.n, 1.0)
    kinks = np.unique(np.concatenate([[0.0], (room / per_share)[capped], t.strike[option & part]]))

    def take(p: np.ndarray) -> np.ndarray:  # (M,) prices -> (M, C) residual take of each class
        amt = np.where(option, t.n * np.maximum(p[:, None] - np.nan_to_num(t.strike), 0.0), t.n * p[:, None])
        return np.where(part, np.minimum(amt, room), 0.0)

    at = take(kinks).sum(axis=1)
    last_slope = t.n[part & ~capped].sum()
    j = np.searchsorted(at, remaining, side="left")
    inside = j < kinks.size
    jj = np.clip(j, 1, kinks.size - 1) if kinks.size > 1 else np.zeros_like(j)
    lo, hi, at_lo, at_hi = kinks[jj - 1], kinks[jj], at[jj - 1], at[jj]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = lo + (remaining - at_lo) * (hi - lo) / (at_hi - at_lo)
        beyond = kinks[-1] + (remaining - at[-1]) / last_slope
    price = np.where(remaining > 0, np.where(inside, between, beyond), 0.0)
    return paid + take(price)


def class_amounts(t: Terms, v: np.ndarray) -> np.ndarray:
    """Each class's amount (N, C) at the conversion equilibrium (SPEC §3 rule 3)."""
    nc = len(t.ids)
    out = np.full((v.shape[0], nc), np.nan)
    done = np.zeros(v.shape[0], dtype=bool)
    for k in range(len(t.order) + 1):
        conv = np.zeros(nc, dtype=bool)
        conv[t.order[:k]] = True
        base = split(t, v, conv)
        ok = np.ones(v.shape[0], dtype=bool)
        for i in t.order:
            flip = conv.copy()
            flip[i] = not flip[i]
            alt = split(t, v, flip)[:, i]
            ok &= (base[:, i] > alt) if conv[i] else (alt <= base[:, i])
        new = ok & ~done
        out[new] = base[new]
        done |= new
        if done.all():
            break
    return out


def holder_amounts(t: Terms, v: np.ndarray, chunk: int = 1 << 16) -> np.ndarray:
    """Each holder's amount (N, H), computed chunk by chunk so temporaries stay small."""
    out = np.empty((v.shape[0], len(t.holders)))
    for s in range(0, v.shape[0], chunk):
        out[s:s + chunk] = class_amounts(t, v[s:s + chunk]) @ t.holdings
    return out
