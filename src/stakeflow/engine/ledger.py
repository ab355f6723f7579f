"""The explain ledger: every step of a distribution, so that every dollar can be traced."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

StepKind = Literal[
    "proceeds",
    "preference",
    "conversion",
    "residual",
    "participation",
    "cap",
    "exercise",
    "holding",
    "tier",
    "tier_cap",
    "hurdle",
    "catch_up",
    "history",
    "clawback",
    "overflow",
    "pass_through",
    "received",
]


@dataclass(frozen=True)
class Step:
    """One line of the ledger.

    ``amount`` is the money the step moves (or, for ``residual``, the price per common
    share; ``None`` where no money moves); ``claimant`` and ``class_id`` say to whom.
    """

    entity: str
    kind: StepKind
    text: str
    amount: Fraction | None = None
    claimant: str | None = None
    class_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The step as ``stakeflow explain --json`` prints it."""
        return {"entity": self.entity, "kind": self.kind, "text": self.text,
                "amount": None if self.amount is None else float(self.amount),
                "claimant": self.claimant, "class": self.class_id}
