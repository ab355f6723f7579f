"""The economic terms of an equity entity's classes, reduced to what the waterfall needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from fractions import Fraction

from ..scenario.models import Entity, StockClass
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
        return self.kind in I.PREFERRED_LIKE

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
    if I.is_post_money(cls):
        return next(c for c in claims_of(entity, as_of) if c.id == cls.id)
    return _claim(entity, cls, as_of)


def _claim(entity: Entity, cls: StockClass, as_of: dt.date | None) -> Claim:
    shares = entity.class_shares(cls.id)
    if cls.kind == "preferred":
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
    if cls.kind in ("option", "warrant"):
        return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=shares, strike=cls.strike)
    if cls.kind == "pool":
        # Reserved, not granted: counted when a round is priced, paid nothing at an exit.
        return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=Fraction(0))
    if cls.kind in ("safe", "note"):
        return _instrument(entity, cls, shares, as_of)
    return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=shares)


def _instrument(entity: Entity, cls: StockClass, shares: Fraction, as_of: dt.date | None) -> Claim:
    """A SAFE or note before conversion: owed its amount (a note's times its multiple), or the
    proceeds of ``amount / liquidity price`` common shares (see :mod:`.instruments`)."""
    amount = I.owed(cls, as_of) if shares > 0 else Fraction(0)
    if cls.kind == "note":
        preference = amount * cls.liquidation_preference_multiple
        seniority = cls.seniority if "seniority" in cls.model_fields_set else I.debt_seniority(entity)
    else:
        preference, seniority = amount, cls.seniority
    as_converted = Fraction(0)
    if cls.valuation_cap and not I.is_post_money(cls):
        as_converted = amount * I.fixed_capitalization(entity) / cls.valuation_cap
    # A post-money SAFE's share count depends on every other class's: set by claims_of.
    return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=as_converted, preference=preference,
                 seniority=seniority)


def claims_of(entity: Entity, as_of: dt.date | None = None) -> list[Claim]:
    """Every class's claim, in the file's order, with dividends and interest accrued to ``as_of``."""
    claims = [_claim(entity, c, as_of) for c in entity.classes or ()]
    post = {
        c.id: I.owed(c, as_of) / c.valuation_cap
        for c in entity.classes or ()
        if I.is_post_money(c) and c.valuation_cap and entity.class_shares(c.id) > 0
    }
    if not post:
        return claims
    lc = I.liquidity_capitalization(
        sum((c.as_converted for c in claims if c.id not in post), Fraction(0)), sum(post.values(), Fraction(0))
    )
    return [replace(c, as_converted=post[c.id] * lc, capitalization_share=post[c.id]) if c.id in post else c
            for c in claims]
