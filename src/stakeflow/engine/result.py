"""Results of the exact engine: immutable, exact, and shown where analysts work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..scenario.numbers import money_text
from .ledger import Step
from .tiers import TierPaid

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class EquityFlow:
    """What an equity entity did with its proceeds."""

    proceeds: Fraction
    classes: dict[str, Fraction]
    converted: list[str]
    price_per_share: Fraction
    holdings: list[tuple[str, str, Fraction]]

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": {k: float(v) for k, v in self.classes.items()},
            "converted": list(self.converted),
        }


@dataclass(frozen=True)
class TierFlow:
    """What a tier program did with its proceeds."""

    proceeds: Fraction
    tiers: list[TierPaid]
    totals: dict[str, Fraction]
    history: dict[str, Fraction] | None = None
    """What the entity's history paid each claimant in all (SPEC §10), if it has history."""
    clawback: tuple[str, Fraction] | None = None
    """The clawback claimant and what it must return (docs/funds.md), if the program names one."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tiers": [
                {"name": t.name, "paid": {k: float(v) for k, v in t.paid.items()}} for t in self.tiers
            ]
        }
        if self.history is not None:
            out["history"] = {k: float(v) for k, v in self.history.items()}
        if self.clawback is not None:
            out["clawback"] = {"claimant": self.clawback[0], "amount": float(self.clawback[1])}
        return out


@dataclass(frozen=True)
class WaterfallResult:
    """Who receives what at one exit value (exact Fractions).

    ``holders`` maps every ultimate recipient reachable from the entity to its amount;
    ``entities`` holds, for each entity the money passed through, its class or tier amounts;
    ``steps`` is the explain ledger, worked out by ``ledger`` when first asked for.
    """

    entity: str
    exit_value: Fraction
    currency: str
    holders: dict[str, Fraction]
    entities: dict[str, EquityFlow | TierFlow]
    names: dict[str, str] = field(default_factory=dict)
    ledger: Callable[[], list[Step]] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def steps(self) -> list[Step]:
        """The explain ledger: every step of the distribution, in order (empty when not asked for)."""
        return self.ledger() if self.ledger is not None else []

    def to_json(self) -> dict[str, Any]:
        """The JSON document of SPEC §7 (``stakeflow waterfall --json``)."""
        return {
            "entity": self.entity,
            "exit_value": float(self.exit_value),
            "holders": {k: float(v) for k, v in self.holders.items()},
            "entities": {k: v.to_json() for k, v in self.entities.items()},
        }

    def explain_json(self) -> dict[str, Any]:
        """The waterfall document with the explain ledger's ``steps`` (``stakeflow explain --json``)."""
        return {**self.to_json(), "steps": [s.to_json() for s in self.steps]}

    def to_frame(self) -> pd.DataFrame:
        """One row per ultimate recipient: amount (float) and share of the exit value."""
        import pandas as pd

        total = self.exit_value
        rows = [
            {
                "holder": k,
                "name": self.names.get(k, k),
                "amount": float(v),
                "share": float(v / total) if total else 0.0,
            }
            for k, v in self.holders.items()
        ]
        return pd.DataFrame(rows, columns=["holder", "name", "amount", "share"]).set_index("holder")

    def classes_frame(self) -> pd.DataFrame:
        """One row per (entity, class or tier, claimant) amount."""
        import pandas as pd

        rows: list[dict[str, Any]] = []
        for eid, flow in self.entities.items():
            if isinstance(flow, EquityFlow):
                for holder, cls, amt in flow.holdings:
                    rows.append({"entity": eid, "part": cls, "claimant": holder, "amount": float(amt),
                                 "converted": cls in flow.converted})
            else:
                for t in flow.tiers:
                    for k, v in t.paid.items():
                        rows.append({"entity": eid, "part": t.name, "claimant": k, "amount": float(v),
                                     "converted": False})
        return pd.DataFrame(rows, columns=["entity", "part", "claimant", "amount", "converted"])

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        caption = f"{self.entity} at {money_text(self.exit_value, self.currency)}"
        return str(
            frame.style.format({"amount": "{:,.2f}", "share": "{:.2%}"})
            .set_caption(caption)
            .to_html()
        )
