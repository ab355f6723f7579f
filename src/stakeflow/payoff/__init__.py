"""Payoff curves: each recipient's payout as an exact piecewise-linear function of proceeds."""

from .curve import PayoffCurve, payoff_curve
from .dated import DatedPayouts
from .kinks import Kink, KinkSearchError

__all__ = ["DatedPayouts", "Kink", "KinkSearchError", "PayoffCurve", "payoff_curve"]
