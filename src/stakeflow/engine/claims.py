"""The economic terms of an equity entity's classes, reduced to what the waterfall needs."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace
from fractions import Fraction

from ..scenario.models import (
    CLASS_MODELS,
    CommonClass,
    Entity,
    NoteClass,
    OptionClass,
    PoolClass,
    PreferredClass,
    SafeClass,
    StockClass,
    WarrantClass,
)
from . import instruments as I


@dataclass(frozen=True)
class Claim:
    """One class's claim on the entity's proceeds (SPEC §3).

    ``preference`` is paid by ``seniority`` before any residual; ``as_converted`` common shares
    share in the residual when the class is common, converts, or participates; ``cap`` limits a
    participating class's total receipts (preference included); a ``strike`` makes the class an
    option or warrant, paid ``P − K`` per share when the residual price ``P`` exceeds ``K``.
    A SAFE's or note's ``as_converted`` shares are its amount over its liquidity price
    (:mod:`stakeflow.engine.instruments`); a post-money SAFE's are ``capitalization_share``
    (purchase amount over cap) of the fully diluted liquidity capitalization.
    """

    id: str
    kind: str
    shares: Fraction
    as_converted: Fraction
    preference: Fraction = Fraction(0)
    seniority: int = 0
    participating: bool = False
    cap: Fraction | None = None
    strike: Fraction | None = None
    capitalization_share: Fraction | None = None

    @property
    def is_preferred(self) -> bool:
        """Paid a preference unless it converts: preferred stock, and SAFEs and notes, which
        behave like non-participating preferred at an exit."""
        return CLASS_MODELS[self.kind].is_preferred_like

    @property
    def convertible(self) -> bool:
        """May choose to convert: non-participating, or participating with a cap."""
        return self.is_preferred and (not self.participating or self.cap is not None)

    @property
    def conversion_threshold(self) -> Fraction:
        """What the class gives up per as-converted share by converting (orders conversions)."""
        if self.as_converted == 0:
            return Fraction(0)
        given_up = self.cap if self.participating and self.cap is not None else self.preference
        return given_up / self.as_converted


def claim_of(entity: Entity, cls: StockClass, as_of: dt.date | None = None) -> Claim:
    """The claim of class ``cls`` of ``entity``, with dividends and interest accrued to ``as_of``."""
    if cls.is_post_money:
        return next(c for c in claims_of(entity, as_of) if c.id == cls.id)
    return claim(cls, entity, as_of)


@functools.singledispatch
def claim(cls: StockClass, entity: Entity, as_of: dt.date | None) -> Claim:
    """The claim of class ``cls`` of ``entity`` on its own: each kind registers how its terms
    become a claim (a post-money SAFE's shares are then set by :func:`claims_of`)."""
    raise TypeError(f"no claim is defined for classes of kind {cls.kind!r}")


@claim.register
def _common(cls: CommonClass, entity: Entity, as_of: dt.date | None) -> Claim:
    shares = entity.class_shares(cls.id)
    return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=shares)


@claim.register
def _preferred(cls: PreferredClass, entity: Entity, as_of: dt.date | None) -> Claim:
    shares = entity.class_shares(cls.id)
    issue = cls.invested if cls.invested is not None else shares * (cls.price_per_share or 0)
    if shares == 0:
        # Nobody holds the class, so nothing is owed: a preference paid to no one would
        # leave money that no recipient receives.
        issue = Fraction(0)
    cap = (
        cls.participation_cap_multiple * issue
        if cls.participating and cls.participation_cap_multiple is not None
        else None
    )
    return Claim(
        id=cls.id,
        kind=cls.kind,
        shares=shares,
        as_converted=shares * cls.conversion_ratio,
        preference=issue * cls.liquidation_preference_multiple + I.dividends(cls, issue, as_of),
        seniority=cls.seniority,
        participating=cls.participating,
        cap=cap,
    )


@claim.register(OptionClass)
@claim.register(WarrantClass)
def _right(cls: OptionClass | WarrantClass, entity: Entity, as_of: dt.date | None) -> Claim:
    shares = entity.class_shares(cls.id)
    return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=shares, strike=cls.strike)


@claim.register
def _pool(cls: PoolClass, entity: Entity, as_of: dt.date | None) -> Claim:
    # Reserved, not granted: counted when a round is priced, paid nothing at an exit.
    return Claim(id=cls.id, kind=cls.kind, shares=entity.class_shares(cls.id), as_converted=Fraction(0))


@claim.register
def _safe(cls: SafeClass, entity: Entity, as_of: dt.date | None) -> Claim:
    """A SAFE before conversion: owed its purchase amount, or the proceeds of ``amount / liquidity
    price`` common shares (see :mod:`.instruments`), at its own seniority."""
    shares = entity.class_shares(cls.id)
    amount = I.owed(cls, as_of) if shares > 0 else Fraction(0)
    # A post-money SAFE's share count depends on every other class's: set by claims_of.
    as_converted = Fraction(0)
    if cls.valuation_cap and not cls.is_post_money:
        as_converted = amount * I.fixed_capitalization(entity) / cls.valuation_cap
    return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=as_converted, preference=amount,
                 seniority=cls.seniority)


@claim.register
def _note(cls: NoteClass, entity: Entity, as_of: dt.date | None) -> Claim:
    """A note before conversion: owed its principal and interest times its multiple, above every
    equity preference unless it states a seniority, or the proceeds of the common shares its
    amount converts into at its cap."""
    shares = entity.class_shares(cls.id)
    amount = I.owed(cls, as_of) if shares > 0 else Fraction(0)
    seniority = cls.stated_seniority
    as_converted = Fraction(0)
    if cls.valuation_cap:
        as_converted = amount * I.fixed_capitalization(entity) / cls.valuation_cap
    return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=as_converted,
                 preference=amount * cls.liquidation_preference_multiple,
                 seniority=I.debt_seniority(entity) if seniority is None else seniority)


def claims_of(entity: Entity, as_of: dt.date | None = None) -> list[Claim]:
    """Every class's claim, in the file's order, with dividends and interest accrued to ``as_of``."""
    claims = [claim(c, entity, as_of) for c in entity.classes or ()]
    post = {
        c.id: c.post_money_stake
        for c in entity.classes or ()
        if c.is_post_money and entity.class_shares(c.id) > 0
    }
    if not post:
        return claims
    lc = I.liquidity_capitalization(
        sum((c.as_converted for c in claims if c.id not in post), Fraction(0)), sum(post.values(), Fraction(0))
    )
    return [replace(c, as_converted=post[c.id] * lc, capitalization_share=post[c.id]) if c.id in post else c
            for c in claims]
