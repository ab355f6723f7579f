"""What surrounds a scenario's numbers: the display name of every id, the entities that
distribute (those at the top of the structure first), the default entity, exit and date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..scenario.errors import StakeflowError
from ..scenario.models import Scenario
from ..scenario.validate import children
from .lookthrough import resolve_entity


def display_names(sc: Scenario) -> dict[str, str]:
    """The name shown for every holder, entity and class id (the id where none is given)."""
    names = {h.id: h.name or h.id for h in sc.holders}
    names.update({e.id: e.name or e.id for e in sc.entities})
    for e in sc.entities:
        for c in e.classes or ():
            names.setdefault(c.id, c.name or c.id)
    return names


def roots(sc: Scenario) -> list[str]:
    """The entities that distribute and that no other entity holds."""
    held = {c for e in sc.entities for c in children(e)}
    return [e.id for e in sc.entities if e.distributes and e.id not in held]


@dataclass(frozen=True)
class Outline:
    """A scenario's names, distributing entities (roots first), default entity, exit and date."""

    name: str | None
    currency: str
    names: dict[str, str]
    entities: tuple[str, ...]
    entity: str | None
    exit: str | None
    date: str | None
    classes: dict[str, list[str]]
    has_projection: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "currency": self.currency, "names": dict(self.names),
            "entities": list(self.entities), "entity": self.entity, "exit": self.exit, "date": self.date,
            "classes": {k: list(v) for k, v in self.classes.items()}, "has_projection": self.has_projection,
        }


def outline(sc: Scenario) -> Outline:
    """The outline of ``sc``: the default entity is the one every command works on when none is
    named, else the first root."""
    top = roots(sc)
    rest = [e.id for e in sc.entities if e.distributes and e.id not in top]
    default: str | None
    try:
        default = resolve_entity(sc).id
    except StakeflowError:
        default = top[0] if top else None
    ex = sc.exit
    return Outline(
        name=sc.name, currency=sc.currency, names=display_names(sc), entities=tuple(top + rest), entity=default,
        exit=None if ex is None or ex.value is None else str(ex.value),
        date=None if ex is None or ex.date is None else ex.date.isoformat(),
        classes={e.id: [c.id for c in e.classes or ()] for e in sc.entities if e.classes},
        has_projection=sc.projection is not None,
    )
