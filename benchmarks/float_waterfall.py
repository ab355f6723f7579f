"""The reference the exact engine is timed against: a scalar pure-Python float waterfall, the
kind of calculator today's open-source cap table tools ship.

For one exit value it pays preferences by descending seniority (pro rata within a seniority),
shares the residual per as-converted share at the price solving
``Σ_common n·P + Σ_participating min(n·P, headroom) + Σ_options n·max(P − K, 0) = residual``,
and converts preferred classes one at a time, in order of what they give up per share, while
the price exceeds that threshold (the usual shortcut, not a checked equilibrium). Floats
throughout; checked against the exact engine before it is timed, on the table it is timed on.
"""

from __future__ import annotations

from dataclasses import dataclass

from stakeflow.engine.claims import Claim


@dataclass(frozen=True)
class Term:
    id: str
    n: float
    preference: float
    seniority: int
    preferred: bool
    participating: bool
    cap: float | None
    strike: float | None

    @property
    def threshold(self) -> float:
        given = self.cap if self.participating and self.cap is not None else self.preference
        return given / self.n if self.n else 0.0


def terms(claims: list[Claim]) -> list[Term]:
    return [Term(c.id, float(c.as_converted), float(c.preference), c.seniority, c.is_preferred, c.participating,
                 None if c.cap is None else float(c.cap), None if c.strike is None else float(c.strike))
            for c in claims]


def _split(ts: list[Term], v: float, conv: set[str]) -> tuple[dict[str, float], float]:
    out = {t.id: 0.0 for t in ts}
    left = v
    prefs = sorted((t for t in ts if t.preferred and t.id not in conv and t.preference > 0), key=lambda t: -t.seniority)
    i = 0
    while i < len(prefs):
        j = i
        while j < len(prefs) and prefs[j].seniority == prefs[i].seniority:
            j += 1
        owed = sum(t.preference for t in prefs[i:j])
        pay = min(left, owed)
        for t in prefs[i:j]:
            out[t.id] = pay * t.preference / owed
        left -= pay
        i = j
    if left <= 0:
        return out, 0.0
    parts = [t for t in ts if t.n > 0 and (t.strike is not None or not t.preferred or t.id in conv or t.participating)]

    def room(t: Term) -> float | None:
        if t.participating and t.id not in conv and t.cap is not None:
            return max(t.cap - out[t.id], 0.0)
        return None

    def take(p: float) -> float:
        total = 0.0
        for t in parts:
            if t.strike is not None:
                total += t.n * max(p - t.strike, 0.0)
            else:
                r = room(t)
                total += t.n * p if r is None else min(t.n * p, r)
        return total

    knots = sorted({t.strike for t in parts if t.strike is not None}
                   | {r / t.n for t in parts if (r := room(t)) is not None})
    lo, at_lo = 0.0, 0.0
    price = None
    for k in knots:
        at_k = take(k)
        if at_k >= left and at_k > at_lo:
            price = lo + (left - at_lo) * (k - lo) / (at_k - at_lo)
            break
        lo, at_lo = k, at_k
    if price is None:
        slope = sum(t.n for t in parts if t.strike is None and room(t) is None)
        slope += sum(t.n for t in parts if t.strike is not None and t.strike <= lo)
        price = lo + (left - at_lo) / slope
    for t in parts:
        if t.strike is not None:
            out[t.id] += t.n * max(price - t.strike, 0.0)
        else:
            r = room(t)
            out[t.id] += t.n * price if r is None else min(t.n * price, r)
    return out, price


def waterfall(ts: list[Term], v: float) -> dict[str, float]:
    """Each class's payout at exit value ``v``."""
    order = sorted((t for t in ts if t.preferred and t.n > 0 and (not t.participating or t.cap is not None)),
                   key=lambda t: t.threshold)
    conv: set[str] = set()
    out, _ = _split(ts, v, conv)
    for t in order:
        trial, _ = _split(ts, v, conv | {t.id})
        if trial[t.id] > out[t.id]:
            conv.add(t.id)
            out = trial
        else:
            break
    return out
