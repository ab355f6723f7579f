"""The conversion equilibrium of SPEC §3 rule 3.

Each convertible class (non-participating, or participating with a cap) converts or not; the
outcome is a set ``C`` of converted classes such that no class gains by switching alone:
every class in ``C`` receives strictly more converted than not (a class indifferent stays
unconverted), and no class outside ``C`` would receive strictly more by converting.

Classes convert in the order of what they give up per as-converted share (preference, or cap,
per share): a class converts when the common price exceeds that threshold. So the equilibrium
is found among the prefixes of that order, checked switch by switch; best-response dynamics
are the fallback for unusual terms (junior classes paid only part of their preference).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations

from .claims import Claim
from .equity import split


class NoEquilibrium(RuntimeError):
    """No conversion equilibrium was found (not expected for standard terms)."""


def is_equilibrium(entity_id: str, claims: Sequence[Claim], proceeds: Fraction, converted: frozenset[str]) -> bool:
    """Whether no convertible class would do strictly better by switching its own choice alone."""
    base = split(entity_id, claims, proceeds, converted).amounts
    for c in claims:
        if not c.convertible:
            continue
        other = converted ^ {c.id}
        alt = split(entity_id, claims, proceeds, other).amounts[c.id]
        if c.id in converted:
            if base[c.id] <= alt:  # indifferent or better off unconverted
                return False
        elif alt > base[c.id]:
            return False
    return True


def equilibrium(entity_id: str, claims: Sequence[Claim], proceeds: Fraction) -> frozenset[str]:
    """The set of classes that convert when the entity's proceeds are ``proceeds``."""
    order = sorted(
        (c for c in claims if c.convertible and c.as_converted > 0),
        key=lambda c: (c.conversion_threshold, c.id),
    )
    if not order:
        return frozenset()
    for k in range(len(order) + 1):
        cand = frozenset(c.id for c in order[:k])
        if is_equilibrium(entity_id, claims, proceeds, cand):
            return cand
    return _fallback(entity_id, claims, proceeds, order)


def _fallback(entity_id: str, claims: Sequence[Claim], proceeds: Fraction, order: Sequence[Claim]) -> frozenset[str]:
    current: frozenset[str] = frozenset()
    seen = {current}
    while True:
        base = split(entity_id, claims, proceeds, current).amounts
        move = None
        for c in order:
            alt = split(entity_id, claims, proceeds, current ^ {c.id}).amounts[c.id]
            if (c.id in current and alt >= base[c.id]) or (c.id not in current and alt > base[c.id]):
                move = c.id
                break
        if move is None:
            return current
        current = current ^ {move}
        if current in seen:
            break
        seen.add(current)
    if len(order) <= 12:
        ids = [c.id for c in order]
        for r in range(len(ids) + 1):
            for sub in combinations(ids, r):
                if is_equilibrium(entity_id, claims, proceeds, frozenset(sub)):
                    return frozenset(sub)
    raise NoEquilibrium(f"no conversion equilibrium found for entity {entity_id!r} at {float(proceeds)}")
