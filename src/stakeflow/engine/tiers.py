"""Exact distribution through a tier program (SPEC §4).

Money flows into the tiers in order. Inside a tier each claimant receives its weight's
fraction; caps are cumulative over the whole program. A claimant at its cap receives nothing
more: its fraction goes to the tier's ``overflow`` claimant when one is named, otherwise to the
tier's other claimants pro rata. A tier ends when every claimant it caps is at its cap, or when
it has paid its ``limit``. Within a tier the rates are constant between two events (a cap
reached), so the walk below moves from event to event exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def split_tiers(entity_id: str, tiers: Sequence[Tier], proceeds: Fraction, record: bool = False) -> TierSplit:
    """Distribute ``proceeds`` through ``tiers``; return what each tier paid and the totals."""
    totals: dict[str, Fraction] = {}
    for tier in tiers:
        for k in tier.shares:
            totals.setdefault(k, Fraction(0))
        if tier.overflow is not None:
            totals.setdefault(tier.overflow, Fraction(0))
    remaining = proceeds
    out: list[TierPaid] = []
    steps: list[Step] = []
    for i, tier in enumerate(tiers):
        name = tier.name or f"tier {i + 1}"
        paid = {k: Fraction(0) for k in tier.shares}
        if tier.overflow is not None:
            paid.setdefault(tier.overflow, Fraction(0))
        into = Fraction(0)
        # The overflow claimant has no cap in its own tier.
        caps = {k: v for k, v in tier.caps.items() if k != tier.overflow}
        while remaining > 0:
            capped_out = {k for k, cap in caps.items() if totals[k] >= cap}
            if caps and capped_out >= set(caps):
                break
            if tier.limit is not None and into >= tier.limit:
                break
            rates = _rates(tier, capped_out)
            if not rates:
                break
            # The next event: a capped claimant reaching its cap, the limit, or the money.
            step = remaining
            if tier.limit is not None:
                step = min(step, tier.limit - into)
            for k, cap in caps.items():
                r = rates.get(k, Fraction(0))
                if k not in capped_out and r > 0:
                    step = min(step, (cap - totals[k]) / r)
            for k, r in rates.items():
                paid[k] += step * r
                totals[k] += step * r
            into += step
            remaining -= step
            if record:
                for k in sorted(caps):
                    if k not in capped_out and totals[k] >= caps[k]:
                        steps.append(Step(entity_id, "tier_cap", f"{k} reaches its cap in {name!r}",
                                          caps[k], claimant=k))
        if record and into > 0:
            steps.append(Step(entity_id, "tier", f"{name!r} pays out", into))
            for k, v in paid.items():
                if v > 0:
                    extra = ""
                    if tier.overflow == k and any(totals[c] >= cap for c, cap in caps.items()):
                        extra = " (overflow included)"
                    steps.append(Step(entity_id, "tier", f"{name!r}: {k}{extra}", v, claimant=k))
        out.append(TierPaid(name, paid))
    return TierSplit(out, totals, steps)
