"""Exact distribution through a tier program (SPEC §4, §10).

Money flows into the tiers in order. Inside a tier each claimant receives its weight's
fraction; caps are cumulative over the whole program. A claimant at its cap receives nothing
more: its fraction goes to the tier's ``overflow`` claimant when one is named, otherwise to the
tier's other claimants pro rata. A tier ends when every claimant it caps is at its cap, when it
has paid its ``limit``, or (a catch-up tier) when its claimant's receipts reach its share of the
program's profits.

Within a tier the rates are constant between two events (a cap reached, a limit reached, a
catch-up target reached), and what a program pays out of proceeds ``V`` is what it pays out of
any larger amount, up to ``V``: the program is one walk from event to event, the same for every
amount. :func:`segments` is that walk; :func:`split_tiers` follows it up to the proceeds, and the
payoff curve of a tier program is the walk itself (each segment a piece of the curve).

Time (SPEC §10) enters through a :class:`TierContext`: the distribution date, the dated
contributions and what earlier distributions (the entity's history) paid. Once these are known,
every cap is a fixed amount of cumulative receipts: a ``multiple`` of the contributions, an
``amount`` grown to the date, or a ``hurdle`` (contributions compounded to the date, less what
earlier receipts compounded to it are worth beyond their face value, since receipts from the
proceeds count at face value). A catch-up's end is an event too: along its tier the claimant's
receipts and the program's profits both grow linearly in the money paid in, so the point where
the first reaches ``s`` times the second is exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..scenario import errors as E
from ..scenario.errors import StructureError
from ..scenario.models import CapTerms, Entity, Tier
from .ledger import Step

DAYS_PER_YEAR = 365


def compound(amount: Fraction, rate: Fraction, start: dt.date, end: dt.date) -> Fraction:
    """``amount`` compounded at ``rate`` from ``start`` to ``end`` (SPEC §10):
    ``amount·(1+r)^n·(1+r·f)`` with ``t = days/365``, ``n = ⌊t⌋``, ``f = t − n``; no growth when
    ``end`` is not after ``start``."""
    days = max((end - start).days, 0)
    n, rest = divmod(days, DAYS_PER_YEAR)
    return amount * (1 + rate) ** n * (1 + rate * Fraction(rest, DAYS_PER_YEAR))


@dataclass(frozen=True)
class Dated:
    """An amount paid in or out on a date, by or to one claimant."""

    claimant: str
    date: dt.date
    amount: Fraction


@dataclass(frozen=True)
class TierContext:
    """What a distribution's walk knows beyond the tiers (SPEC §10).

    ``date`` is the distribution date (``None``: a program with no term in time),
    ``contributions`` every dated contribution, ``receipts`` what earlier distributions paid each
    claimant and when, ``tier_paid`` what they paid through each tier (for limits).
    """

    date: dt.date | None = None
    contributions: tuple[Dated, ...] = ()
    receipts: tuple[Dated, ...] = ()
    tier_paid: tuple[Fraction, ...] = ()

    def contributed(self, claimant: str | None = None) -> Fraction:
        """Contributions dated on or before the distribution date (of ``claimant``, or of all)."""
        return sum((c.amount for c in self.contributions
                    if (claimant is None or c.claimant == claimant) and self.date is not None
                    and c.date <= self.date), Fraction(0))

    def received(self) -> dict[str, Fraction]:
        """What earlier distributions paid each claimant, in all."""
        out: dict[str, Fraction] = {}
        for r in self.receipts:
            out[r.claimant] = out.get(r.claimant, Fraction(0)) + r.amount
        return out

    def before(self, tier: int) -> Fraction:
        return self.tier_paid[tier] if tier < len(self.tier_paid) else Fraction(0)


NO_TIME = TierContext()


@dataclass(frozen=True)
class Hurdle:
    """How a hurdle cap becomes an amount: each contribution and each earlier receipt compounded
    at ``rate`` to the date; ``cap`` is the cumulative receipts (face value) that reach it."""

    rate: Fraction
    date: dt.date
    contributions: tuple[tuple[Dated, Fraction], ...]
    receipts: tuple[tuple[Dated, Fraction], ...]

    @property
    def cap(self) -> Fraction:
        owed = sum((v for _, v in self.contributions), Fraction(0))
        return owed - sum((v - r.amount for r, v in self.receipts), Fraction(0))


def hurdle(claimant: str, rate: Fraction, ctx: TierContext) -> Hurdle:
    assert ctx.date is not None
    date = ctx.date
    contribs = tuple((c, compound(c.amount, rate, c.date, date)) for c in ctx.contributions
                     if c.claimant == claimant and c.date <= date)
    receipts = tuple((r, compound(r.amount, rate, r.date, date)) for r in ctx.receipts if r.claimant == claimant)
    return Hurdle(rate, date, contribs, receipts)


def cap_amount(claimant: str, cap: Fraction | CapTerms, ctx: TierContext) -> Fraction:
    """The cap as a fixed amount of cumulative receipts from the program, on ``ctx.date``."""
    if not isinstance(cap, CapTerms):
        return cap
    if cap.timed and ctx.date is None:
        raise ValueError("a cap that depends on the date needs a distribution date")
    if cap.hurdle is not None:
        return hurdle(claimant, cap.hurdle, ctx).cap
    if cap.amount is not None:
        base = cap.amount
        start = cap.from_
    else:
        assert cap.multiple is not None
        base = cap.multiple * ctx.contributed(claimant)
        dates = [c.date for c in ctx.contributions if c.claimant == claimant]
        start = cap.from_ or (min(dates) if dates else None)
    if cap.growth is not None and start is not None and ctx.date is not None:
        return compound(base, cap.growth, start, ctx.date)
    return base


def caps_of(tiers: Sequence[Tier], ctx: TierContext) -> list[dict[str, Fraction]]:
    """Each tier's caps as amounts (the overflow claimant has no cap in its own tier)."""
    return [{k: cap_amount(k, v, ctx) for k, v in tier.caps.items() if k != tier.overflow} for tier in tiers]


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
    target: Fraction | None = field(default=None, compare=False)
    """For a catch-up stretch: the claimant's cumulative receipts at its end (its target)."""


def marginal_rates(tier: Tier, capped_out: set[str]) -> dict[str, Fraction]:
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


def segments(tiers: Sequence[Tier], context: TierContext = NO_TIME) -> Iterator[Segment]:
    """The program's walk from the first dollar of a distribution on, one constant-rate stretch
    at a time, given what ``context`` says about dates and earlier distributions.

    Each stretch ends at the next event: a capped claimant reaching its cap, the tier's limit
    (counting what the tier paid before), a catch-up target, or (for a tier with none) never. A
    stretch of zero length is never produced.
    """
    totals = dict.fromkeys(claimants(tiers), Fraction(0))
    for k, v in context.received().items():
        totals[k] = totals.get(k, Fraction(0)) + v
    paid = sum(totals.values(), Fraction(0))
    contributed = context.contributed()
    for i, (tier, caps) in enumerate(zip(tiers, caps_of(tiers, context), strict=True)):
        into = context.before(i)
        if tier.catch_up is not None:
            c, s = tier.catch_up.claimant, tier.catch_up.share
            rates = marginal_rates(tier, set())
            # totals[c] + r·x = s·(paid + x − contributed): both sides linear in x, r > s.
            x = (s * (paid - contributed) - totals[c]) / (rates[c] - s)
            if x > 0:
                for k, r in rates.items():
                    totals[k] += x * r
                paid += x
                yield Segment(i, x, rates, (c,), target=totals[c])
            continue
        while True:
            capped_out = {k for k, cap in caps.items() if totals[k] >= cap}
            if caps and capped_out >= set(caps):
                break
            if tier.limit is not None and into >= tier.limit:
                break
            rates = marginal_rates(tier, capped_out)
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
            paid += step
            reached = tuple(sorted(k for k in caps if k not in capped_out and totals[k] >= caps[k]))
            yield Segment(i, step, rates, reached)


def _money(x: Fraction) -> str:
    return f"{float(x):,.2f}"


def _cap_steps(entity_id: str, name: str, tier: Tier, caps: dict[str, Fraction], ctx: TierContext) -> list[Step]:
    """The ledger's account of how each cap that depends on the date became an amount."""
    out: list[Step] = []
    for k, cap in tier.caps.items():
        if not isinstance(cap, CapTerms) or not cap.timed or k not in caps:
            continue
        if cap.hurdle is not None:
            h = hurdle(k, cap.hurdle, ctx)
            rate = f"{float(h.rate * 100):g}%"
            for c, v in h.contributions:
                days = (h.date - c.date).days
                text = (f"{k}'s hurdle in {name!r}: contribution of {_money(c.amount)} on {c.date} compounded at "
                        f"{rate} over {days} days to {h.date}")
                out.append(Step(entity_id, "hurdle", text, v, claimant=k))
            for r, v in h.receipts:
                days = (h.date - r.date).days
                text = (f"{k}'s hurdle in {name!r}: receipt of {_money(r.amount)} on {r.date} compounded at "
                        f"{rate} over {days} days to {h.date}")
                out.append(Step(entity_id, "hurdle", text, v, claimant=k))
            text = (f"{k}'s hurdle in {name!r} is reached at cumulative receipts of (contributions compounded) "
                    f"- (earlier receipts compounded) + (earlier receipts)")
            out.append(Step(entity_id, "hurdle", text, caps[k], claimant=k))
        else:
            what = (f"{_money(cap.multiple)}x its contributions to date of {_money(ctx.contributed(k))}"
                    if cap.multiple is not None else _money(cap.amount or Fraction(0)))
            grow = f", grown at {float(cap.growth):.2%} a year" if cap.growth is not None else ""
            out.append(Step(entity_id, "tier_cap", f"{k}'s cap in {name!r} on {ctx.date}: {what}{grow}",
                            caps[k], claimant=k))
    return out


def split_tiers(entity_id: str, tiers: Sequence[Tier], proceeds: Fraction, record: bool = False,
                context: TierContext = NO_TIME) -> TierSplit:
    """Distribute ``proceeds`` through ``tiers`` given ``context`` (the date and what earlier
    distributions paid); return what each tier paid of ``proceeds`` and the totals."""
    totals = dict.fromkeys(claimants(tiers), Fraction(0))
    paid: list[dict[str, Fraction]] = []
    for tier in tiers:
        p = dict.fromkeys(tier.shares, Fraction(0))
        if tier.overflow is not None:
            p.setdefault(tier.overflow, Fraction(0))
        paid.append(p)
    into = [Fraction(0)] * len(tiers)
    caps = caps_of(tiers, context) if record else []
    cap_steps: list[list[Step]] = [[] for _ in tiers]
    # Totals as each tier left them: its overflow note speaks of caps reached by then.
    after: list[dict[str, Fraction]] = [{} for _ in tiers]
    remaining = proceeds
    names = [tier.name or f"tier {i + 1}" for i, tier in enumerate(tiers)]
    before = context.received()
    for seg in segments(tiers, context):
        if remaining <= 0:
            break
        take = remaining if seg.length is None else min(remaining, seg.length)
        for k, r in seg.rates.items():
            paid[seg.tier][k] += take * r
            totals[k] += take * r
        into[seg.tier] += take
        remaining -= take
        after[seg.tier] = {k: v + before.get(k, Fraction(0)) for k, v in totals.items()}
        if record and seg.target is not None:
            cu = tiers[seg.tier].catch_up
            assert cu is not None
            text = (f"{cu.claimant}'s catch-up target in {names[seg.tier]!r}: {float(cu.share):.2%} of the "
                    f"program's profits (all it has paid, history included, less contributions to date)")
            cap_steps[seg.tier].append(Step(entity_id, "catch_up", text, seg.target, claimant=cu.claimant))
            if take == seg.length:
                cap_steps[seg.tier].append(Step(entity_id, "catch_up", f"{cu.claimant} reaches its catch-up target",
                                                seg.target, claimant=cu.claimant))
        elif record and take == seg.length:
            for k in seg.reaches:
                cap_steps[seg.tier].append(Step(entity_id, "tier_cap", f"{k} reaches its cap in {names[seg.tier]!r}",
                                                caps[seg.tier][k], claimant=k))
    steps: list[Step] = []
    out: list[TierPaid] = []
    for i, tier in enumerate(tiers):
        if record and into[i] > 0:
            steps.extend(_cap_steps(entity_id, names[i], tier, caps[i], context))
            steps.extend(cap_steps[i])
            steps.append(Step(entity_id, "tier", f"{names[i]!r} pays out", into[i]))
            for k, v in paid[i].items():
                if v > 0:
                    extra = ""
                    if tier.overflow == k and any(after[i][c] >= cap for c, cap in caps[i].items()):
                        extra = " (overflow included)"
                    steps.append(Step(entity_id, "tier", f"{names[i]!r}: {k}{extra}", v, claimant=k))
        out.append(TierPaid(names[i], paid[i]))
    return TierSplit(out, totals, steps)


@dataclass(frozen=True)
class Program:
    """An entity's tier program on one distribution date: the context of its walk, and what its
    history paid each claimant (``None`` when it has no history)."""

    context: TierContext
    history: dict[str, Fraction] | None


def _what_needs_a_date(ent: Entity) -> str:
    found: list[str] = []
    for tier in ent.distribution or ():
        for cap in tier.caps.values():
            if isinstance(cap, CapTerms):
                found += [f for f in ("multiple", "hurdle", "growth") if getattr(cap, f) is not None]
        if tier.catch_up is not None:
            found.append("catch_up")
    if ent.history:
        found.append("history")
    return ", ".join(dict.fromkeys(found))


def program(ent: Entity, date: dt.date | None) -> Program:
    """Replay ``ent``'s history in date order, each entry on its own date (SPEC §10), and return
    the context in which proceeds on ``date`` are distributed."""
    tiers = ent.distribution or ()
    if ent.timed and date is None:
        raise StructureError(E.NO_DATE.format(id=ent.id, what=_what_needs_a_date(ent)))
    contributions = tuple(Dated(c.claimant, c.date, c.amount) for c in ent.contributions or ())
    receipts: list[Dated] = []
    tier_paid = [Fraction(0)] * len(tiers)
    for j, h in enumerate(ent.history or ()):
        assert date is not None
        if h.date > date:
            raise StructureError(E.HISTORY_AFTER_DATE_OF.format(id=ent.id, index=j, date=h.date, when=date))
        ctx = TierContext(h.date, contributions, tuple(receipts), tuple(tier_paid))
        ts = split_tiers(ent.id, tiers, h.amount, context=ctx)
        for t, tp in enumerate(ts.tiers):
            tier_paid[t] += sum(tp.paid.values(), Fraction(0))
        receipts += [Dated(k, h.date, v) for k, v in ts.totals.items() if v]
    ctx = TierContext(date, contributions, tuple(receipts), tuple(tier_paid))
    if ent.history is None:
        return Program(ctx, None)
    history = dict.fromkeys(claimants(tiers), Fraction(0))
    history.update(ctx.received())
    return Program(ctx, history)


def clawback(ent: Entity, prog: Program, paid: dict[str, Fraction]) -> Fraction | None:
    """What the clawback claimant must return after a final distribution that pays ``paid``, so
    that it keeps exactly its share of the program's lifetime profits (docs/funds.md):
    ``max(0, (R − K) − s·max(0, P))`` with R its lifetime receipts, K its contributions and P
    everything the program paid, history included, less all contributions to date."""
    if ent.clawback is None:
        return None
    c, s = ent.clawback.claimant, ent.clawback.share
    ctx = prog.context
    before = ctx.received()
    lifetime = sum(before.values(), Fraction(0)) + sum(paid.values(), Fraction(0))
    profits = lifetime - ctx.contributed()
    own = before.get(c, Fraction(0)) + paid.get(c, Fraction(0)) - ctx.contributed(c)
    return max(Fraction(0), own - s * max(Fraction(0), profits))
