"""Valuation: option pricing method and backsolve, PWERM and the hybrid method, Monte Carlo,
and discounts for lack of marketability. Every method prices the exact payoff curves."""

from .backsolve import backsolve
from .dlom import Dlom, dlom
from .montecarlo import value_montecarlo
from .opm import value_opm
from .pwerm import PwermScenarios, read_scenarios, value_pwerm
from .result import ScenarioValue, ValuationResult

__all__ = [
    "Dlom",
    "PwermScenarios",
    "ScenarioValue",
    "ValuationResult",
    "backsolve",
    "dlom",
    "read_scenarios",
    "value_montecarlo",
    "value_opm",
    "value_pwerm",
]
