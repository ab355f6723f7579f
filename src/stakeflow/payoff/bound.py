"""An upper bound on the last breakpoint: proceeds beyond which every payout is linear.

For an **equity entity** with total preference ``ΣL``, total participation caps ``ΣC``,
``N`` as-converted shares in all (options and warrants included) and ``P*`` the highest price
per common share at which anything happens (a conversion threshold — preference or cap per
as-converted share —, a strike, a cap per as-converted share), every residual participant takes
at most ``P`` per share, so the residual price is at least ``(V − ΣL) / N``. Once
``V > ΣL + N·P*`` every convertible class is strictly better off converting, every option is in
the money and every preference is paid in full: nothing changes any more. The bound used is
``B = 2·(ΣL + ΣC + N·P*) + 1``.

For a **tier program**, the walk of :func:`stakeflow.engine.segments` (on the distribution date,
after the history) ends in one unbounded stretch: the money ``T`` its bounded stretches take is
exactly the last breakpoint; the bound used is ``2·T + 1``.

**Look-through**: entities are visited from the root down. When all entities above an entity
``e`` are linear beyond ``U``, ``e``'s proceeds are ``p(V) = p(U) + r·(V − U)`` there; ``e`` is
linear once ``p(V) ≥ B_e``, i.e. beyond ``U + (B_e − p(U)) / r`` (never, if ``r = 0``: then its
proceeds stay constant). The slope ``r`` is read from the exact engine at ``U`` and ``2U``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction

from ..engine import claims_of, program, segments
from ..scenario.models import Entity


def equity_bound(entity: Entity, as_of: dt.date | None = None) -> Fraction:
    """``2·(ΣL + ΣC + N·P*) + 1`` for an equity entity (see the module's docstring), with
    dividends and interest accrued to ``as_of`` in the preferences."""
    claims = claims_of(entity, as_of)
    prefs = sum((c.preference for c in claims), Fraction(0))
    caps = sum((c.cap for c in claims if c.cap is not None), Fraction(0))
    shares = sum((c.as_converted for c in claims), Fraction(0))
    # A post-money SAFE's share count grows with the classes that convert beside it: the fewest
    # it can have is its fraction of the shares that always take part (common, options).
    always = sum((c.as_converted for c in claims if not c.is_preferred), Fraction(0))
    prices = [Fraction(0)]
    for c in claims:
        if c.strike is not None:
            prices.append(c.strike)
        least = c.as_converted
        if c.capitalization_share is not None:
            least = min(least, c.capitalization_share * always)
        if least > 0:
            prices.append(c.preference / least)
            if c.cap is not None:
                prices.append(c.cap / least)
    return 2 * (prefs + caps + shares * max(prices)) + 1


def tier_bound(entity: Entity, as_of: dt.date | None = None) -> Fraction:
    """``2·T + 1`` for a tier program, ``T`` the money its walk (on the distribution date
    ``as_of``, after its history) takes before its last, unbounded stretch: beyond ``T`` every
    payout is linear."""
    tiers = entity.distribution or ()
    total = sum((s.length for s in segments(tiers, program(entity, as_of).context) if s.length is not None),
                Fraction(0))
    return 2 * total + 1


def entity_bound(entity: Entity, as_of: dt.date | None = None) -> Fraction:
    """Proceeds of ``entity`` beyond which its own distribution is linear."""
    return equity_bound(entity, as_of) if entity.is_equity else tier_bound(entity, as_of)


def upper_bound(
    order: list[Entity], proceeds: Callable[[Fraction], dict[str, Fraction]], as_of: dt.date | None = None
) -> Fraction:
    """Proceeds of ``order[0]`` (the root) beyond which every payout through ``order`` (entities in
    topological order) is linear; ``proceeds(V)`` gives each entity's exact proceeds at ``V``;
    ``as_of`` is the date dividends and interest accrue to."""
    u = entity_bound(order[0], as_of)
    for ent in order[1:]:
        at_u, at_2u = proceeds(u)[ent.id], proceeds(2 * u)[ent.id]
        rate = (at_2u - at_u) / u
        if rate > 0:
            u = max(u, u + max(Fraction(0), entity_bound(ent, as_of) - at_u) / rate)
    return u
