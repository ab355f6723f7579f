"""Exact distribution through a tier program (SPEC §4).

Money flows into the tiers in order. Inside a tier each claimant receives its weight's
fraction; caps are cumulative over the whole program. A claimant at its cap receives nothing
more: its fraction goes to the tier's ``overflow`` claimant when one is named, otherwise to the
tier's other claimants pro rata. A tier ends when every claimant it caps is at its cap, or when
it has paid its ``limit``.

Within a tier the rates are constant between two events (a cap reached, a limit reached), and
what a program pays out of proceeds ``V`` is what it pays out of any larger amount, up to ``V``:
the program is one walk from event to event, the same for every amount. :func:`segments` is
that walk; :func:`split_tiers` follows it up to the proceeds, and the payoff curve of a tier
program is the walk itself (each segment a piece of the curve).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..scenario.models import Tier
from .ledger import Step


@dataclass(frozen=True)
class TierPaid:
    name: str
    paid: dict[str, Fraction]


@dataclass(frozen=True)
class TierSplit:
    tiers: list[TierPaid]
    totals: dict[str, Fraction]
    steps: list[Step]


@dataclass(frozen=True)
class Segment:
    """A stretch of the walk on which every claimant's share of a marginal dollar is constant.

    ``tier`` is the tier's index, ``length`` the money the stretch takes (``None``: everything
    left, the program's last stretch), ``rates`` each claimant's share of a marginal dollar and
    ``reaches`` the claimants whose cap the stretch's end reaches.
    """

    tier: int
    length: Fraction | None
    rates: dict[str, Fraction]
    reaches: tuple[str, ...] = ()


def _rates(tier: Tier, capped_out: set[str]) -> dict[str, Fraction]:
    """Each claimant's share of a marginal dollar into ``tier`` given who is at its cap."""
    w = {k: v for k, v in tier.shares.items() if v > 0}
    total = sum(w.values(), Fraction(0))
    rates: dict[str, Fraction] = {}
    if tier.overflow is not None:
        for k, v in w.items():
            dest = tier.overflow if k in capped_out and k != tier.overflow else k
            rates[dest] = rates.get(dest, Fraction(0)) + v / total
        return rates
    live = {k: v for k, v in w.items() if k not in capped_out}
    live_total = sum(live.values(), Fraction(0))
    return {k: v / live_total for k, v in live.items()} if live_total > 0 else {}


def claimants(tiers: Sequence[Tier]) -> list[str]:
    """Every claimant of the program, in order of first appearance."""
    out: dict[str, None] = {}
    for tier in tiers:
        out.update(dict.fromkeys(tier.shares))
        if tier.overflow is not None:
            out[tier.overflow] = None
    return list(out)


def segments(tiers: Sequence[Tier]) -> Iterator[Segment]:
    """The program's walk from its first dollar on, one constant-rate stretch at a time.

    Each stretch ends at the next event: a capped claimant reaching its cap, the tier's limit, or
    (for a tier with neither) never. A stretch of zero length is never produced.
    """
    totals = dict.fromkeys(claimants(tiers), Fraction(0))
    for i, tier in enumerate(tiers):
        into = Fraction(0)
        # The overflow claimant has no cap in its own tier.
        caps = {k: v for k, v in tier.caps.items() if k != tier.overflow}
        while True:
            capped_out = {k for k, cap in caps.items() if totals[k] >= cap}
            if caps and capped_out >= set(caps):
                break
            if tier.limit is not None and into >= tier.limit:
                break
            rates = _rates(tier, capped_out)
            if not rates:
                break
            step: Fraction | None = None if tier.limit is None else tier.limit - into
            for k, cap in caps.items():
                r = rates.get(k, Fraction(0))
                if k not in capped_out and r > 0:
                    to_cap = (cap - totals[k]) / r
                    step = to_cap if step is None else min(step, to_cap)
            if step is None:
                yield Segment(i, None, rates)
                return
            for k, r in rates.items():
                totals[k] += step * r
            into += step
            reached = tuple(sorted(k for k in caps if k not in capped_out and totals[k] >= caps[k]))
            yield Segment(i, step, rates, reached)


def split_tiers(entity_id: str, tiers: Sequence[Tier], proceeds: Fraction, record: bool = False) -> TierSplit:
    """Distribute ``proceeds`` through ``tiers``; return what each tier paid and the totals."""
    totals = dict.fromkeys(claimants(tiers), Fraction(0))
    paid: list[dict[str, Fraction]] = []
    for tier in tiers:
        p = dict.fromkeys(tier.shares, Fraction(0))
        if tier.overflow is not None:
            p.setdefault(tier.overflow, Fraction(0))
        paid.append(p)
    into = [Fraction(0)] * len(tiers)
    cap_steps: list[list[Step]] = [[] for _ in tiers]
    # Totals as each tier left them: its overflow note speaks of caps reached by then.
    after: list[dict[str, Fraction]] = [{} for _ in tiers]
    remaining = proceeds
    names = [tier.name or f"tier {i + 1}" for i, tier in enumerate(tiers)]
    for seg in segments(tiers):
        if remaining <= 0:
            break
        take = remaining if seg.length is None else min(remaining, seg.length)
        for k, r in seg.rates.items():
            paid[seg.tier][k] += take * r
            totals[k] += take * r
        into[seg.tier] += take
        remaining -= take
        after[seg.tier] = dict(totals)
        if record and take == seg.length:
            for k in seg.reaches:
                cap_steps[seg.tier].append(Step(entity_id, "tier_cap", f"{k} reaches its cap in {names[seg.tier]!r}",
                                                tiers[seg.tier].caps[k], claimant=k))
    steps: list[Step] = []
    out: list[TierPaid] = []
    for i, tier in enumerate(tiers):
        if record and into[i] > 0:
            steps.extend(cap_steps[i])
            caps = {k: v for k, v in tier.caps.items() if k != tier.overflow}
            steps.append(Step(entity_id, "tier", f"{names[i]!r} pays out", into[i]))
            for k, v in paid[i].items():
                if v > 0:
                    extra = ""
                    if tier.overflow == k and any(after[i][c] >= cap for c, cap in caps.items()):
                        extra = " (overflow included)"
                    steps.append(Step(entity_id, "tier", f"{names[i]!r}: {k}{extra}", v, claimant=k))
        out.append(TierPaid(names[i], paid[i]))
    return TierSplit(out, totals, steps)
