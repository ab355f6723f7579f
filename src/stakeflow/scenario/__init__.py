"""The scenario format: exact numbers, models, validation with located errors."""

from .errors import Problem, ScenarioError, StakeflowError
from .loader import load, loads
from .models import Entity, Holder, Holding, Scenario, StockClass, Tier
from .numbers import parse_number

__all__ = [
    "Entity",
    "Holder",
    "Holding",
    "Problem",
    "Scenario",
    "ScenarioError",
    "StakeflowError",
    "StockClass",
    "Tier",
    "load",
    "loads",
    "parse_number",
]
