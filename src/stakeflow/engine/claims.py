"""The economic terms of an equity entity's classes, reduced to what the waterfall needs."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..scenario.models import Entity, StockClass


@dataclass(frozen=True)
class Claim:
    """One class's claim on the entity's proceeds (SPEC §3).

    ``preference`` is paid by ``seniority`` before any residual; ``as_converted`` common shares
    share in the residual when the class is common, converts, or participates; ``cap`` limits a
    participating class's total receipts (preference included); a ``strike`` makes the class an
    option or warrant, paid ``P − K`` per share when the residual price ``P`` exceeds ``K``.
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

    @property
    def is_preferred(self) -> bool:
        return self.kind == "preferred"

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


def claim_of(entity: Entity, cls: StockClass) -> Claim:
    """The claim of class ``cls`` of ``entity``."""
    shares = entity.class_shares(cls.id)
    if cls.kind == "preferred":
        issue = cls.invested if cls.invested is not None else shares * (cls.price_per_share or 0)
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
            preference=issue * cls.liquidation_preference_multiple,
            seniority=cls.seniority,
            participating=cls.participating,
            cap=cap,
        )
    if cls.kind in ("option", "warrant"):
        return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=shares, strike=cls.strike)
    return Claim(id=cls.id, kind=cls.kind, shares=shares, as_converted=shares)


def claims_of(entity: Entity) -> list[Claim]:
    """Every class's claim, in the file's order."""
    return [claim_of(entity, c) for c in entity.classes or ()]
