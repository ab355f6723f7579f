"""The result of a valuation: present values per holder and per share of each class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .dlom import Dlom

if TYPE_CHECKING:
    import pandas as pd


_Formats = dict[Any, str | Callable[[object], str] | None]


@dataclass(frozen=True)
class ScenarioValue:
    """One exit scenario of a PWERM or hybrid valuation, before weighting by its probability."""

    name: str
    probability: Fraction
    method: str
    equity_value: float
    holders: dict[str, float]
    classes: dict[str, float]
    inputs: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "probability": float(self.probability), "method": self.method,
                "equity_value": self.equity_value, "holders": dict(self.holders),
                "classes": dict(self.classes), **self.inputs}


@dataclass(frozen=True)
class ValuationResult:
    """What every holder and every class of an entity is worth today.

    ``holders`` maps each ultimate recipient to its present value; ``classes`` maps each class
    of the entity to its value **per share** (SPEC §7); ``class_values`` holds the classes'
    total values. ``equity_value`` is the entity's equity value today (given, backsolved, or
    for PWERM the probability-weighted present value of the scenarios). Monte Carlo adds
    ``standard_errors`` (per holder) and ``class_standard_errors`` (per share). A discount for
    lack of marketability, when asked for, is stated in ``dlom`` and applied by
    :meth:`after_dlom`; ``holders`` and ``classes`` stay marketable values.
    """

    entity: str
    method: str
    currency: str
    equity_value: float
    holders: dict[str, float]
    classes: dict[str, float]
    class_values: dict[str, float]
    class_shares: dict[str, Fraction]
    inputs: dict[str, Any] = field(default_factory=dict)
    standard_errors: dict[str, float] | None = None
    class_standard_errors: dict[str, float] | None = None
    dlom: Dlom | None = None
    backsolve: dict[str, Any] | None = None
    scenarios: tuple[ScenarioValue, ...] = ()
    names: dict[str, str] = field(default_factory=dict)

    def after_dlom(self) -> tuple[dict[str, float], dict[str, float]]:
        """Holder values and class values per share after the discount for lack of marketability."""
        if self.dlom is None:
            return dict(self.holders), dict(self.classes)
        d = self.dlom
        return ({k: d.apply(v) for k, v in self.holders.items()}, {k: d.apply(v) for k, v in self.classes.items()})

    def to_json(self) -> dict[str, Any]:
        """SPEC §7's document (``entity``, ``method``, ``equity_value``, ``holders``, ``classes``) and
        this method's own keys."""
        doc: dict[str, Any] = {
            "entity": self.entity,
            "method": self.method,
            "equity_value": self.equity_value,
            "holders": dict(self.holders),
            "classes": dict(self.classes),
        }
        if self.standard_errors is not None:
            doc["standard_errors"] = dict(self.standard_errors)
        if self.class_standard_errors is not None:
            doc["class_standard_errors"] = dict(self.class_standard_errors)
        doc["currency"] = self.currency
        doc["class_values"] = dict(self.class_values)
        doc["class_shares"] = {k: float(v) for k, v in self.class_shares.items()}
        doc["inputs"] = dict(self.inputs)
        if self.backsolve is not None:
            doc["backsolve"] = dict(self.backsolve)
        if self.dlom is not None:
            holders, classes = self.after_dlom()
            doc["dlom"] = {**self.dlom.to_json(), "holders": holders, "classes": classes}
        if self.scenarios:
            doc["scenarios"] = [s.to_json() for s in self.scenarios]
        return doc

    def to_frame(self) -> pd.DataFrame:
        """One row per ultimate recipient: present value, share of the equity value, and the
        standard error (Monte Carlo) and value after DLOM where they exist."""
        import pandas as pd

        after, _ = self.after_dlom()
        rows = []
        for k, v in self.holders.items():
            row: dict[str, Any] = {"holder": k, "name": self.names.get(k, k), "value": v,
                                   "share": v / self.equity_value if self.equity_value else 0.0}
            if self.standard_errors is not None:
                row["standard_error"] = self.standard_errors[k]
            if self.dlom is not None:
                row["value_after_dlom"] = after[k]
            rows.append(row)
        return pd.DataFrame(rows).set_index("holder")

    def classes_frame(self) -> pd.DataFrame:
        """One row per class of the entity: shares, total value, value per share, share of equity."""
        import pandas as pd

        _, after = self.after_dlom()
        rows = []
        for k, per in self.classes.items():
            total = self.class_values[k]
            row: dict[str, Any] = {"class": k, "shares": float(self.class_shares[k]), "value": total,
                                   "per_share": per,
                                   "share": total / self.equity_value if self.equity_value else 0.0}
            if self.class_standard_errors is not None:
                row["per_share_standard_error"] = self.class_standard_errors[k]
            if self.dlom is not None:
                row["per_share_after_dlom"] = after[k]
            rows.append(row)
        cols = ["class", "shares", "value", "per_share", "share"]
        return pd.DataFrame(rows, columns=cols + [c for c in (rows[0] if rows else {}) if c not in cols]).set_index(
            "class")

    def _repr_html_(self) -> str:
        caption = f"{self.entity}: {self.method} at equity value {self.currency} {self.equity_value:,.2f}"
        fmt: _Formats = {"value": "{:,.2f}", "share": "{:.2%}",
                            "standard_error": "{:,.2f}", "value_after_dlom": "{:,.2f}"}
        html = str(self.to_frame().style.format(fmt).set_caption(caption).to_html())
        if self.classes:
            cfmt: _Formats = {"shares": "{:,.0f}", "value": "{:,.2f}", "per_share": "{:,.4f}", "share": "{:.2%}",
                    "per_share_standard_error": "{:,.4f}", "per_share_after_dlom": "{:,.4f}"}
            html += str(self.classes_frame().style.format(cfmt).set_caption(f"{self.entity}: classes").to_html())
        return html


__all__ = ["ScenarioValue", "ValuationResult"]
