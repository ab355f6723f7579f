"""Exact waterfall of an equity entity for a given set of converted classes (SPEC §3, 1–2, 4)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import groupby

from ..scenario import errors as E
from ..scenario.errors import StructureError
from ..scenario.numbers import format_amount
from .claims import Claim
from .ledger import Step


class CannotAbsorb(StructureError):
    """Proceeds beyond what the classes can take (every residual participant capped)."""


@dataclass(frozen=True)
class Split:
    """How one amount divides among the classes when ``converted`` have converted."""

    amounts: dict[str, Fraction]
    preference_paid: dict[str, Fraction]
    price_per_share: Fraction
    residual: Fraction
    steps: list[Step] = field(default_factory=list)


def split(
    entity_id: str,
    claims: Sequence[Claim],
    proceeds: Fraction,
    converted: Iterable[str] = (),
    record: bool = False,
) -> Split:
    """Distribute ``proceeds`` among ``claims`` with the classes in ``converted`` converted.

    Preferences are paid by descending seniority, pro rata to preference within a seniority;
    the residual goes per as-converted share at the price ``P`` solving
    ``Σ_common n·P + Σ_participating min(n·P, headroom) + Σ_options n·max(P − K, 0) = residual``.
    """
    conv = set(converted)
    steps: list[Step] = []
    remaining = proceeds
    pref_paid: dict[str, Fraction] = {c.id: Fraction(0) for c in claims}
    holding_pref = [c for c in claims if c.is_preferred and c.id not in conv and c.preference > 0]
    holding_pref.sort(key=lambda c: -c.seniority)
    for seniority, group_it in groupby(holding_pref, key=lambda c: c.seniority):
        group = list(group_it)
        owed = sum((c.preference for c in group), Fraction(0))
        pay = min(remaining, owed)
        for c in group:
            pref_paid[c.id] = pay * c.preference / owed
            if record:
                short = "" if pay == owed else f" ({float(pay / owed):.2%} of its preference)"
                steps.append(
                    Step(entity_id, "preference",
                         f"preference to {c.id} (seniority {seniority}){short}",
                         pref_paid[c.id], class_id=c.id)
                )
        remaining -= pay

    residual = remaining
    price = _residual_price(entity_id, claims, conv, pref_paid, residual, proceeds)
    amounts: dict[str, Fraction] = {}
    for c in claims:
        amounts[c.id] = pref_paid[c.id] + _residual_take(c, conv, pref_paid, price)
    if record:
        if residual > 0:
            steps.append(Step(entity_id, "residual",
                              f"residual of {float(residual):,.2f} shared per as-converted share",
                              price))
        for c in claims:
            take = amounts[c.id] - pref_paid[c.id]
            if c.strike is not None:
                if take > 0:
                    steps.append(Step(entity_id, "exercise",
                                      f"{c.id} exercised (strike {float(c.strike):,.4f}): "
                                      f"{float(price - c.strike):,.6f} per share", take, class_id=c.id))
            elif take > 0 or (c.as_converted > 0 and (c.id in conv or not c.is_preferred)):
                label = "converted " if c.id in conv else ""
                steps.append(Step(entity_id, "participation",
                                  f"{label}{c.id} shares the residual on {_count(c.as_converted)} as-converted shares",
                                  take, class_id=c.id))
            if (c.participating and c.cap is not None and c.id not in conv
                    and amounts[c.id] == c.cap and c.cap > 0):
                text = f"{c.id} reached its participation cap ({float(c.cap):,.2f} in all)"
                steps.append(Step(entity_id, "cap", text, None, class_id=c.id))
    return Split(amounts, pref_paid, price, residual, steps)


def _count(x: Fraction) -> str:
    """A share count for the ledger: whole counts with separators, others to four decimals."""
    return f"{x.numerator:,}" if x.denominator == 1 else f"{float(x):,.4f}"


def _headroom(c: Claim, conv: set[str], pref_paid: dict[str, Fraction]) -> Fraction | None:
    """Cap room left for residual participation (None = unlimited); only for participants."""
    if c.participating and c.id not in conv and c.cap is not None:
        return max(c.cap - pref_paid[c.id], Fraction(0))
    return None


def _participates(c: Claim, conv: set[str]) -> bool:
    if c.strike is not None:
        return True
    if not c.is_preferred:
        return True
    return c.id in conv or c.participating


def _residual_take(c: Claim, conv: set[str], pref_paid: dict[str, Fraction], price: Fraction) -> Fraction:
    if not _participates(c, conv) or c.as_converted == 0:
        return Fraction(0)
    if c.strike is not None:
        return c.as_converted * max(price - c.strike, Fraction(0))
    take = c.as_converted * price
    room = _headroom(c, conv, pref_paid)
    return take if room is None else min(take, room)


def _residual_price(
    entity_id: str,
    claims: Sequence[Claim],
    conv: set[str],
    pref_paid: dict[str, Fraction],
    residual: Fraction,
    proceeds: Fraction,
) -> Fraction:
    if residual == 0:
        return Fraction(0)
    parts = [c for c in claims if _participates(c, conv) and c.as_converted > 0]
    # Kinks of the total residual take as a function of P: caps reached, strikes passed.
    kinks: set[Fraction] = set()
    for c in parts:
        room = _headroom(c, conv, pref_paid)
        if room is not None:
            kinks.add(room / c.as_converted)
        if c.strike is not None:
            kinks.add(c.strike)

    def total(p: Fraction) -> Fraction:
        return sum((_residual_take(c, conv, pref_paid, p) for c in parts), Fraction(0))

    lo, at_lo = Fraction(0), Fraction(0)
    for k in sorted(kinks):
        at_k = total(k)
        if at_k >= residual and at_k > at_lo:
            return lo + (residual - at_lo) * (k - lo) / (at_k - at_lo)
        lo, at_lo = k, at_k
    slope = sum(
        (c.as_converted for c in parts if _headroom(c, conv, pref_paid) is None), Fraction(0)
    )
    if slope == 0:
        raise CannotAbsorb(
            E.CANNOT_ABSORB.format(
                id=entity_id, value=format_amount(proceeds), most=format_amount(proceeds - residual + at_lo)
            )
        )
    return lo + (residual - at_lo) / slope
