"""A scenario's payoff curves in the form the valuation methods price: strips of calls."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..payoff import payoff_curve
from ..scenario.models import Scenario
from .strip import CallStrip


@dataclass(frozen=True)
class PricingCurve:
    """An entity's exact payoff curve (``curve``, whose ``evaluate`` is the Monte Carlo fast path)
    and the same payouts as call strips: one column per ultimate recipient (``holders``) and one
    per class of the entity, paying the class's total (``classes``)."""

    entity: str
    currency: str
    curve: Any
    holders: CallStrip
    classes: CallStrip
    class_shares: dict[str, Fraction]
    names: dict[str, str]

    def per_share(self, class_totals: Any) -> dict[str, float]:
        """Class totals (C,) -> value per share of every class that has shares."""
        return {c: float(class_totals[j]) / float(self.class_shares[c])
                for j, c in enumerate(self.classes.columns) if self.class_shares[c] > 0}

    def totals(self, class_totals: Any) -> dict[str, float]:
        return {c: float(class_totals[j]) for j, c in enumerate(self.classes.columns)}

    def by_holder(self, values: Any) -> dict[str, float]:
        return {h: float(values[j]) for j, h in enumerate(self.holders.columns)}


def pricing_curve(scenario: Scenario, entity: str | None = None) -> PricingCurve:
    """Compile ``scenario``'s payoff curve for ``entity`` (SPEC §5) and express it as call strips."""
    curve = payoff_curve(scenario, entity)
    holders = CallStrip.from_slopes(curve.holders, curve.breakpoints, curve.slopes)
    classes = CallStrip.from_slopes(curve.classes, curve.class_breakpoints, curve.class_slopes)
    names = {h: scenario.display_name(h) for h in curve.holders}
    return PricingCurve(curve.entity, curve.currency, curve, holders, classes,
                        {c: Fraction(curve.class_shares[c]) for c in curve.classes}, names)


__all__ = ["PricingCurve", "pricing_curve"]
