"""The waterfall laid out step by step (``stakeflow explain``): every dollar traced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..scenario.models import Scenario
from ..scenario.numbers import DateSpelled, Spelled
from .ledger import Step
from .lookthrough import exit_value_for, waterfall
from .result import WaterfallResult


@dataclass(frozen=True)
class Explanation:
    """The exact waterfall at one exit value with its explain ledger: preferences by seniority,
    conversions, the residual price per share, exercises, caps, tiers, overflows and
    pass-throughs."""

    result: WaterfallResult

    @property
    def steps(self) -> list[Step]:
        return self.result.steps

    @property
    def adds_up(self) -> bool:
        """Whether the ultimate recipients' amounts add up to the exit value, exactly."""
        return sum(self.result.holders.values()) == self.result.exit_value

    def to_json(self) -> dict[str, Any]:
        """The waterfall document with the ledger's ``steps`` (``stakeflow explain --json``)."""
        return self.result.explain_json()


def explain(sc: Scenario, exit_value: Spelled | None = None, entity: str | None = None,
            date: DateSpelled | None = None) -> Explanation:
    """The waterfall of ``entity``'s proceeds at ``exit_value`` (default: the scenario's
    ``exit.value``, SPEC §7), distributed on ``date``, step by step."""
    return Explanation(waterfall(sc, exit_value_for(sc, exit_value), entity, explain=True, date=date))
