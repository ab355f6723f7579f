"""The exact engine: distribution of one amount in Fractions, the single source of truth."""

from .claims import Claim, claims_of
from .conversion import equilibrium, is_equilibrium
from .equity import CannotAbsorb, split
from .ledger import Step
from .lookthrough import (
    at_date,
    distribution_date,
    exit_amount,
    exit_value_for,
    exit_value_of,
    reachable,
    read_amount,
    reference_waterfall,
    resolve_entity,
    waterfall,
)
from .result import EquityFlow, TierFlow, WaterfallResult
from .tiers import Segment, TierContext, compound, program, segments, split_tiers

__all__ = [
    "CannotAbsorb",
    "Claim",
    "EquityFlow",
    "Segment",
    "Step",
    "TierContext",
    "TierFlow",
    "WaterfallResult",
    "at_date",
    "claims_of",
    "compound",
    "distribution_date",
    "equilibrium",
    "exit_amount",
    "exit_value_for",
    "exit_value_of",
    "is_equilibrium",
    "program",
    "reachable",
    "read_amount",
    "reference_waterfall",
    "resolve_entity",
    "segments",
    "split",
    "split_tiers",
    "waterfall",
]
