"""The exact engine: distribution of one amount in Fractions, the single source of truth."""

from .claims import Claim, claims_of
from .conversion import equilibrium, is_equilibrium
from .equity import CannotAbsorb, split
from .ledger import Step
from .lookthrough import exit_amount, reachable, reference_waterfall, resolve_entity, waterfall
from .result import EquityFlow, TierFlow, WaterfallResult
from .tiers import split_tiers

__all__ = [
    "CannotAbsorb",
    "Claim",
    "EquityFlow",
    "Step",
    "TierFlow",
    "WaterfallResult",
    "claims_of",
    "equilibrium",
    "exit_amount",
    "is_equilibrium",
    "reachable",
    "reference_waterfall",
    "resolve_entity",
    "split",
    "split_tiers",
    "waterfall",
]
