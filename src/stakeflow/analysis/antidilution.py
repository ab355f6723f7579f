"""Price-based anti-dilution: the conversion price of preferred stock lowered in a down round.

A preferred class converts into ``conversion_ratio = OIP / CP`` common shares per share, where
OIP is its original issue price (``price_per_share``, or ``invested / shares``) and CP its
conversion price. When new shares are issued at a price below CP, the class's
``anti_dilution`` term lowers CP (NVCA model certificate of incorporation, section 4.4):

- ``broad_based`` weighted average: ``CP2 = CP1 · (A + B) / (A + C)`` with ``A`` the shares
  outstanding before the issue on a fully diluted, as-converted basis (common, preferred as
  converted, issued options and warrants, and the shares SAFEs and notes convert into in the
  same round; the unissued pool is not outstanding), ``B = new money / CP1`` (the shares the
  new money would have bought at CP1) and ``C`` the new shares actually issued;
- ``narrow_based``: the same formula with ``A`` counting only the preferred stock outstanding
  (as converted, SAFE and note conversions included);
- ``full_ratchet``: ``CP2 = `` the new price;
- ``none``: no change.

The class's new conversion ratio is ``OIP / CP2 = ratio · CP1 / CP2``. Shares issued on
conversion of SAFEs and notes, and the pool, are exempt issues and do not trigger an
adjustment; the round's price is set on the capitalisation before the adjustment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..scenario.models import Entity, PreferredClass


@dataclass(frozen=True)
class Adjustment:
    """How one preferred class's conversion terms changed in a down round."""

    class_id: str
    method: str
    conversion_price_before: Fraction
    conversion_price_after: Fraction
    ratio_before: Fraction
    ratio_after: Fraction


def original_issue_price(entity: Entity, cls: PreferredClass) -> Fraction:
    """A preferred class's original issue price per share: ``price_per_share``, or ``invested / shares``."""
    return cls.issue_price(entity.class_shares(cls.id))


def conversion_price(entity: Entity, cls: PreferredClass) -> Fraction:
    """``CP = OIP / conversion_ratio``."""
    return original_issue_price(entity, cls) / cls.conversion_ratio


def adjusted_price(method: str, cp1: Fraction, price: Fraction, a: Fraction, new_money: Fraction,
                   new_shares: Fraction) -> Fraction:
    """CP2 for an issue of ``new_shares`` for ``new_money`` at ``price`` (module docstring);
    CP1 when the issue is not below CP1 or the method is ``none``."""
    if price >= cp1 or method == "none":
        return cp1
    if method == "full_ratchet":
        return price
    return cp1 * (a + new_money / cp1) / (a + new_shares)


def outstanding(entity: Entity, narrow: bool, converted: Fraction = Fraction(0)) -> Fraction:
    """``A``: shares outstanding before the issue, as converted (module docstring); ``converted``
    is the number of shares SAFEs and notes convert into in the same round."""
    total = converted
    for c in entity.classes or ():
        # Narrow-based counts the preferred only; broad-based the whole fixed capitalization.
        if c.counts_in_fixed_capitalization and (c.is_preferred_like or not narrow):
            total += c.capitalization_shares(entity.class_shares(c.id))
    return total


def adjustments(entity: Entity, price: Fraction, new_money: Fraction, new_shares: Fraction,
                converted: Fraction = Fraction(0), exclude: Iterable[str] = ()) -> list[Adjustment]:
    """The adjustment of every preferred class of ``entity`` that has anti-dilution protection,
    for ``new_shares`` issued for ``new_money`` at ``price``."""
    skip = set(exclude)
    out: list[Adjustment] = []
    for cls in entity.classes or ():
        if not isinstance(cls, PreferredClass):
            continue  # only preferred stock carries anti-dilution protection
        method = cls.anti_dilution or "none"
        if method == "none" or cls.id in skip or entity.class_shares(cls.id) == 0:
            continue
        cp1 = conversion_price(entity, cls)
        a = outstanding(entity, narrow=method == "narrow_based", converted=converted)
        cp2 = adjusted_price(method, cp1, price, a, new_money, new_shares)
        if cp2 != cp1:
            out.append(Adjustment(cls.id, method, cp1, cp2, cls.conversion_ratio, cls.conversion_ratio * cp1 / cp2))
    return out
