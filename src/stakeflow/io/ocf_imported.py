"""What an import from the Open Cap Table Format gives: the scenario, and every object left out
or applied, with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..scenario.models import Scenario
from . import _messages as M
from .scenario_yaml import SIGNIFICANT_DIGITS, Loc, dump_scenario


@dataclass(frozen=True)
class OcfItem:
    """An object of one format and what became of it in the other (or why nothing did)."""

    object_type: str
    id: str
    reason: str

    def line(self) -> str:
        return f"{self.object_type} {self.id}: {self.reason}"

    def to_json(self) -> dict[str, str]:
        return {"object_type": self.object_type, "id": self.id, "reason": self.reason}


@dataclass(frozen=True)
class OcfImport:
    """A scenario read from an OCF package, with what was left out and how fields were read.

    ``unmapped`` lists objects that could change the payouts but that the scenario cannot
    hold; ``ignored`` lists objects with no effect on payouts as the scenario models them;
    ``notes`` say how fields were read where OCF leaves room for interpretation; ``applied``
    lists the transactions that changed the holdings or the classes. Every OCF object is in
    exactly one of ``applied``, ``unmapped`` and ``ignored``, or is a stakeholder, a stock class,
    a stock issuance, an option, warrant or convertible issuance that became part of the scenario.
    """

    scenario: Scenario
    source: str
    unmapped: list[OcfItem]
    ignored: list[OcfItem]
    notes: list[str]
    counts: dict[str, int]
    applied: list[OcfItem] = field(default_factory=list)
    line_notes: dict[Loc, str] = field(default_factory=dict)

    def to_yaml(self) -> tuple[str, list[str]]:
        """The scenario file text, with a header saying where it came from and what it leaves out,
        and the notes of any value rounded in writing it."""
        pre_notes = list(self.notes)
        text, rounded = dump_scenario(self.scenario, self._header(pre_notes), self.line_notes)
        if not rounded:
            return text, []
        extra = [M.NOTE_ROUNDED.format(path=r.path, exact=r.exact, digits=SIGNIFICANT_DIGITS) for r in rounded]
        text, _ = dump_scenario(self.scenario, self._header(pre_notes + extra), self.line_notes)
        return text, extra

    def _header(self, notes: list[str]) -> list[str]:
        c = self.counts
        lines = [
            "Imported by `stakeflow import-ocf` from an Open Cap Table Format 1.2.0 package:",
            f"  {self.source}",
            f"Read: {c['stakeholders']} stakeholders, {c['stock_classes']} stock classes, "
            f"{c['stock_plans']} stock plans, {c['transactions']} transactions.",
            f"Written: {c['holders']} holders, {c['classes']} classes, {c['holdings']} holdings.",
        ]
        if notes:
            lines += ["", "How fields were read:"] + [f"  - {n}" for n in notes]
        lines += ["", f"Not imported: could change payouts, cannot be represented ({len(self.unmapped)}):"]
        lines += [f"  - {o.line()}" for o in self.unmapped] or ["  (none)"]
        lines += ["", f"Not imported: no effect on payouts ({len(self.ignored)}):"]
        lines += [f"  - {o.line()}" for o in self.ignored] or ["  (none)"]
        return [*lines, ""]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "counts": dict(self.counts),
            "unmapped": [o.to_json() for o in self.unmapped],
            "ignored": [o.to_json() for o in self.ignored],
            "applied": [o.to_json() for o in self.applied],
            "notes": list(self.notes),
        }
