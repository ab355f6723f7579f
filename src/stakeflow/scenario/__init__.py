"""The scenario format: exact numbers, models, validation with located errors."""

from .errors import Problem, ScenarioError, StakeflowError
from .loader import load, loads
from .models import (
    CLASS_MODELS,
    CommonClass,
    Entity,
    Holder,
    Holding,
    NoteClass,
    OptionClass,
    PoolClass,
    PreferredClass,
    SafeClass,
    Scenario,
    StockClass,
    Tier,
    WarrantClass,
    make_class,
)
from .numbers import parse_number

__all__ = [
    "CLASS_MODELS",
    "CommonClass",
    "Entity",
    "Holder",
    "Holding",
    "NoteClass",
    "OptionClass",
    "PoolClass",
    "PreferredClass",
    "Problem",
    "SafeClass",
    "Scenario",
    "ScenarioError",
    "StakeflowError",
    "StockClass",
    "Tier",
    "WarrantClass",
    "load",
    "loads",
    "make_class",
    "parse_number",
]
