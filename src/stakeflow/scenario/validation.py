"""What validating a scenario file tells of it (``stakeflow validate``): that it is valid, its
name, how many holders it names and the kind of each entity. The checks themselves are the
reader's (:mod:`.loader`, :mod:`.validate`): a file with problems raises a
:class:`~stakeflow.scenario.errors.ScenarioError` listing every one of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .loader import load
from .models import Entity, Scenario

EntityKind = Literal["equity", "tiers", "terminal"]


def entity_kind(entity: Entity) -> EntityKind:
    """``equity`` (classes and holdings), ``tiers`` (a tier program) or ``terminal`` (a recipient)."""
    return "equity" if entity.is_equity else "tiers" if entity.is_tiered else "terminal"


@dataclass(frozen=True)
class Validation:
    """A valid scenario file: its path as given, its name, its number of holders and each entity's
    kind, in file order."""

    file: str
    name: str | None
    holders: int
    entities: dict[str, EntityKind]

    @property
    def valid(self) -> bool:
        """Always true: a file with problems raises instead."""
        return True

    @classmethod
    def of(cls, scenario: Scenario, file: str) -> Validation:
        return cls(file, scenario.name, len(scenario.holders), {e.id: entity_kind(e) for e in scenario.entities})

    def to_json(self) -> dict[str, Any]:
        """``stakeflow validate --json``'s document."""
        return {"file": self.file, "valid": self.valid, "name": self.name, "holders": self.holders,
                "entities": dict(self.entities)}


def validate(path: str | Path) -> Validation:
    """Read and check the scenario file at ``path``: its :class:`Validation`, or a
    :class:`~stakeflow.scenario.errors.ScenarioError` with every problem, located."""
    return Validation.of(load(path), str(path))


__all__ = ["EntityKind", "Validation", "entity_kind", "validate"]
