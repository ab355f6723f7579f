"""A restructuring analysed whole: control, value transfer, fair stakes, payouts and sensitivity.

This is what ``stakeflow run`` does for two structures, BEFORE and AFTER (by default the
OpenAI–Microsoft conversion shipped with the package):

1. control before and after (:mod:`stakeflow.analysis.control`);
2. every party's value before and after, and the transfer, with standard errors
   (:mod:`stakeflow.analysis.compare`);
3. fair stakes: for each target, the value of a holding at which a party is as well off after
   as before (:mod:`stakeflow.analysis.solve`), set against the reported stake;
4. exact payouts at a list of exit or IPO values under both structures (the exact engine);
5. the tornado and the fair stake against company value (:mod:`stakeflow.analysis.sensitivity`);
6. every figure the files set, beside its source or marked as an assumption.

An analysis plan (YAML) names the two files and what to solve for; without one, every party
holding stock of the new structure's projected entity and present before gets its fair stake
solved, against its current stake.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from ..engine import waterfall
from ..payoff import PayoffCurve, payoff_curve
from ..scenario import load
from ..scenario.errors import InputError
from ..scenario.fields import Field as ScenarioField
from ..scenario.fields import FieldPathError, locate, numeric_fields
from ..scenario.loader import Located, parse_located
from ..scenario.models import Amount, Scenario
from ..valuation.errors import ParameterError
from ..valuation.progress import Advance, StagePosition, counted, in_stage
from . import _restructuring_messages as M
from .branches import Branches, NoConversion, branches, failure_problems
from .breakeven import StakeBreakEven, breakeven, count
from .compare import Comparison, check_mapping, compare, mapping_problems
from .contracts import TermRow, timeline
from .control import ControlResult, analyze_control
from .projection import projection_of, projection_payouts, receivers
from .projection_bands import BAND_PATHS, ProjectionBands, projection_bands
from .sensitivity import (
    REVENUE_SCALES,
    FairStake,
    Sensitivity,
    Shift,
    check_scales,
    check_shifts,
    default_shifts,
    sensitivity,
    shift_of,
)
from .solve import Basis, SolveResult, check_basis, holding_stake, number_field, solve_field
from .values import JointValues, PathCache

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_EXITS = (Fraction(100 * 10**9), Fraction(250 * 10**9), Fraction(500 * 10**9), Fraction(10**12),
                 Fraction(2 * 10**12))
"""IPO values at which payouts are shown by default: $100B to $2T."""


class _PlanModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetSpec(_PlanModel):
    party: str
    field: str
    basis: Literal["total", "structure"] = "total"
    reported: Amount | None = None
    label: str | None = None
    source: str | None = None


class Mark(_PlanModel):
    """A reported company value, drawn on the fair-stake chart (a funding round, say)."""

    label: str
    value: Amount
    date: dt.date | None = None
    source: str | None = None


class ShiftSpec(_PlanModel):
    """An assumption to move in the tornado: ``field`` set to ``low`` and to ``high``."""

    label: str
    field: str
    low: Amount
    high: Amount

    def shift(self) -> Shift:
        return Shift(self.field, self.label, "set", self.low, self.high, self.field,
                     _short(self.low), _short(self.high))


def _short(x: Fraction) -> str:
    return f"{float(x):.0%}" if abs(x) < 1 else f"{float(x):,.4g}"


def _shift_text(text: str) -> str:
    """A shift written as text (``growth``, ``PATH=LOW:HIGH``) reads as one, or is a problem of its line."""
    try:
        shift_of(text)
    except InputError as exc:
        raise ValueError(str(exc)) from None
    return text


PlanShift = Annotated[
    Annotated[str, AfterValidator(_shift_text), Tag("[text]")] | Annotated[ShiftSpec, Tag("[field]")],
    Discriminator(lambda item: "[field]" if isinstance(item, dict | ShiftSpec) else "[text]"),
]
"""A plan's shift: a name or ``PATH=LOW:HIGH``, or a :class:`ShiftSpec` mapping (tagged as the
scenario's caps are, so a problem is said once, of the form given)."""


def _at_least(least: int) -> AfterValidator:
    def check(n: int) -> int:
        if n < least:
            raise ValueError(M.WHOLE_AT_LEAST.format(least=least, value=n))
        return n
    return AfterValidator(check)


def _positive(x: float) -> float:
    if x <= 0:
        raise ValueError(M.PLAN_POSITIVE.format(value=f"{x:g}"))
    return x


class Estimate(_PlanModel):
    """A published estimate of a party's claim: a stake, an amount, or both, with its source."""

    label: str
    stake: Amount | None = None
    value: Amount | None = None
    source: str


class GovernanceRow(_PlanModel):
    """One line of the governance table: a topic, before and after, and the source."""

    topic: str
    before: str
    after: str
    source: str | None = None


RUN_PATHS = 100_000
"""Paths of an analysis's valuations of both structures, unless its plan or the caller says."""
SENSITIVITY_PATHS = 10_000
"""Paths of each point of the sensitivity (at most the main run's)."""
BREAKEVEN_PATHS = 20_000
"""Paths of each break-even search (at most the main run's)."""
RUN_SEED = 2025
"""Seed of an analysis's random numbers, unless its plan or the caller says."""
WAITING_SENSITIVITY_SHARE = 10
"""A report made while someone waits for it (the web app's download) runs its sensitivity on
this fraction of its paths (one in ten) ..."""
WAITING_SENSITIVITY_LEAST = 1_000
"""... and on at least this many paths a point."""


@dataclass(frozen=True)
class RunSizes:
    """How many paths each part of a run simulates, and its seed."""

    paths: int
    sensitivity_paths: int
    breakeven_paths: int
    seed: int

    @classmethod
    def of(cls, paths: int | None = None, seed: int | None = None, *, base: RunSizes | None = None) -> RunSizes:
        """The sizes of a run: ``paths`` and ``seed`` when given, else ``base``'s (a plan's; default
        :data:`RUN_PATHS`, :data:`SENSITIVITY_PATHS`, :data:`BREAKEVEN_PATHS`, :data:`RUN_SEED`); given
        paths also bound the sensitivity's and the break-even's."""
        b = base or cls(RUN_PATHS, SENSITIVITY_PATHS, BREAKEVEN_PATHS, RUN_SEED)
        n = paths if paths is not None else b.paths
        return cls(paths=n, sensitivity_paths=min(b.sensitivity_paths, n) if paths is not None else b.sensitivity_paths,
                   breakeven_paths=min(b.breakeven_paths, n), seed=seed if seed is not None else b.seed)

    @classmethod
    def while_waiting(cls, paths: int, seed: int) -> RunSizes:
        """The sizes of a report made while someone waits for it (the web app's download, on the
        compare page's paths, by default :data:`~stakeflow.analysis.values.COMPARE_PATHS`): the
        sensitivity on a tenth of the paths (:data:`WAITING_SENSITIVITY_SHARE`, at least
        :data:`WAITING_SENSITIVITY_LEAST`), the break-even on :data:`BREAKEVEN_PATHS` at most the
        run's."""
        return cls(paths, max(WAITING_SENSITIVITY_LEAST, paths // WAITING_SENSITIVITY_SHARE),
                   min(BREAKEVEN_PATHS, paths), seed)


class Plan(_PlanModel):
    """An analysis plan: the two structures and what to solve for (paths relative to the plan)."""

    name: str | None = None
    before: str
    after: str
    map: dict[str, str] = Field(default_factory=dict)
    fair_stakes: list[TargetSpec] = Field(default_factory=list)
    exit_values: list[Amount] | None = None
    valuations: list[Mark] = Field(default_factory=list)
    shifts: list[PlanShift] | None = None
    revenue_scales: list[Annotated[float, AfterValidator(_positive)]] = Field(
        default_factory=lambda: list(REVENUE_SCALES))
    paths: Annotated[int, _at_least(2)] = RUN_PATHS
    sensitivity_paths: Annotated[int, _at_least(2)] = SENSITIVITY_PATHS
    breakeven_paths: Annotated[int, _at_least(0)] = BREAKEVEN_PATHS
    """0: no break-even."""
    seed: Annotated[int, _at_least(0)] = RUN_SEED
    notes: list[str] = Field(default_factory=list)
    no_conversion: NoConversion | None = None
    estimates: list[Estimate] = Field(default_factory=list)
    governance: list[GovernanceRow] = Field(default_factory=list)

    @field_validator("revenue_scales")
    @classmethod
    def _some_scales(cls, scales: list[float]) -> list[float]:
        if not scales:
            raise ValueError(M.PLAN_NO_SCALES)
        return scales

    @field_validator("exit_values")
    @classmethod
    def _some_exits(cls, values: list[Fraction] | None) -> list[Fraction] | None:
        if values is not None and not values:
            raise ValueError(M.PLAN_NO_EXITS)
        return values


def read_plan(path: str | Path) -> tuple[Plan, Path]:
    """Read an analysis plan; returns it and the folder its file names are relative to."""
    plan, folder, _ = _read_plan(path)
    return plan, folder


def _read_plan(path: str | Path) -> tuple[Plan, Path, Located]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(M.PLAN_FILE.format(path=p, detail=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise InputError(M.PLAN_FILE.format(path=p, detail=M.PLAN_NOT_TEXT)) from None
    plan, where = parse_located(text, Plan, str(p))
    return plan, p.parent, where


def plan_problems(plan: Plan, before: Scenario, after: Scenario, *, overridden: Collection[str] = (),
                  with_sensitivity: bool = True) -> list[tuple[str, str]]:
    """What is wrong with ``plan`` given its two structures, as ``(field path, message)``: an entry of
    its ``map`` (unless ``overridden`` by the caller's mapping) naming a party of neither, a fair
    stake's party that AFTER does not pay or field that is not a number of AFTER, the contracts
    ``no_conversion`` adds to BEFORE, and, when the sensitivity runs, a shift of a field that is
    not a number of either structure."""
    mapping = {old: new for old, new in plan.map.items() if old not in overridden}
    out = [(f"map.{old}", detail) for old, detail in mapping_problems(mapping, before, after).items()]
    paid = _receivers(after) if plan.fair_stakes else None
    for i, t in enumerate(plan.fair_stakes):
        if paid is not None and t.party not in paid:
            out.append((f"fair_stakes[{i}].party",
                        M.PARTY_UNKNOWN.format(party=t.party, which="AFTER", known=", ".join(sorted(paid)))))
        try:
            number_field(after, t.field, "AFTER")
        except InputError as exc:
            out.append((f"fair_stakes[{i}].field", str(exc)))
    if plan.no_conversion is not None:
        out += failure_problems(before, plan.no_conversion)
    for i, s in enumerate(plan.shifts or () if with_sensitivity else ()):
        try:
            check_shifts([_shift(s)], before, after)
        except InputError as exc:
            out.append((f"shifts[{i}].field" if isinstance(s, ShiftSpec) else f"shifts[{i}]", str(exc)))
    return out


def _receivers(sc: Scenario) -> set[str] | None:
    # Everyone the structure or a contract pays; None where there is no projection to value (an
    # error said elsewhere) or its payoff cannot be compiled (said when the analysis compiles it).
    try:
        return set(receivers(sc, projection_payouts(sc)))
    except InputError:
        return None


def _shift(item: str | ShiftSpec) -> Shift:
    return item.shift() if isinstance(item, ShiftSpec) else shift_of(item)


def flagship_plan() -> Path:
    """The plan of the packaged example: OpenAI's conversion to a public benefit corporation."""
    return Path(str(resources.files("stakeflow") / "data" / "openai" / "analysis.yaml"))


@dataclass(frozen=True)
class Assumption:
    """One figure a file sets, with its source, or marked as an assumption."""

    structure: str
    path: str
    value: Any
    source: str | None

    @property
    def is_assumption(self) -> bool:
        return self.source is None or self.source.lower().startswith("assumption")

    def to_json(self) -> dict[str, Any]:
        v = self.value
        shown: Any = [float(x) for x in v] if isinstance(v, list) else (
            v.isoformat() if hasattr(v, "isoformat") else float(v))
        return {"structure": self.structure, "field": self.path, "value": shown,
                "source": self.source, "assumption": self.is_assumption}


def assumptions(sc: Scenario, label: str) -> list[Assumption]:
    """Every number, schedule and date ``sc`` sets, beside the source its ``sources`` give."""
    by_loc: dict[tuple[str | int, ...], str] = {}
    for path, text in sc.sources.items():
        try:
            by_loc[locate(sc, path).loc] = text
        except FieldPathError:
            continue
    out = []
    for f in numeric_fields(sc):
        src = _source_of(f, by_loc)
        out.append(Assumption(label, f.path, f.value, src))
    return out


def _source_of(f: ScenarioField, by_loc: dict[tuple[str | int, ...], str]) -> str | None:
    loc = f.loc
    while loc:
        if loc in by_loc:
            return by_loc[loc]
        loc = loc[:-1]
    return None


@dataclass(frozen=True)
class Payouts:
    """Exact payouts of each party at each exit value, under both structures (parties renamed)."""

    exit_values: list[Fraction]
    before: dict[str, list[Fraction]]
    after: dict[str, list[Fraction]]

    def to_json(self) -> dict[str, Any]:
        return {"exit_values": [float(v) for v in self.exit_values],
                "before": {k: [float(x) for x in v] for k, v in self.before.items()},
                "after": {k: [float(x) for x in v] for k, v in self.after.items()}}


def payouts(before: Scenario, after: Scenario, mapping: dict[str, str], values: Sequence[Fraction]) -> Payouts:
    """Who receives what when the projected entity's proceeds are each of ``values``, exactly."""
    eb, ea = projection_of(before).entity, projection_of(after).entity
    b: dict[str, list[Fraction]] = {}
    a: dict[str, list[Fraction]] = {}
    for i, v in enumerate(values):
        for sc, ent, out, names in ((before, eb, b, mapping), (after, ea, a, {})):
            for k, x in waterfall(sc, v, ent, explain=False).holders.items():
                out.setdefault(names.get(k, k), [Fraction(0)] * len(values))[i] += x
    return Payouts(list(values), b, a)


@dataclass(frozen=True)
class StaticSplit:
    """The old structure's waterfall read once, exactly, at each reported valuation: every
    party's share of the proceeds (parties named as after the change)."""

    labels: list[str]
    values: list[Fraction]
    shares: dict[str, list[Fraction]]

    def to_json(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "values": [float(v) for v in self.values],
                "shares": {p: [float(x) for x in xs] for p, xs in self.shares.items()}}


def static_split(before: Scenario, mapping: dict[str, str], marks: Sequence[Mark]) -> StaticSplit:
    """Each party's share of BEFORE's waterfall at each valuation of ``marks`` (exact)."""
    values = [Fraction(m.value) for m in marks]
    pay = payouts(before, before, mapping, values).before
    shares = {p: [x / v if v else Fraction(0) for x, v in zip(xs, values, strict=True)] for p, xs in pay.items()}
    return StaticSplit([m.label for m in marks], values, shares)


@dataclass(frozen=True)
class FairStakeResult:
    """A fair stake found, beside the stake reported."""

    target: FairStake
    result: SolveResult
    source: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"label": self.target.title, "party": self.target.party, "field": self.target.field,
                "basis": self.target.basis, "reported_stake": self.target.reported, "source": self.source,
                **self.result.to_json()}


@dataclass(frozen=True)
class Restructuring:
    """Everything ``stakeflow run`` finds about one restructuring."""

    name: str
    before: Scenario
    after: Scenario
    before_file: str
    after_file: str
    mapping: dict[str, str]
    control_before: ControlResult
    control_after: ControlResult
    comparison: Comparison
    fair_stakes: list[FairStakeResult]
    payouts: Payouts
    sensitivity: Sensitivity | None
    marks: list[Mark]
    assumptions: list[Assumption]
    timeline_before: list[TermRow]
    timeline_after: list[TermRow]
    curve_before: PayoffCurve
    curve_after: PayoffCurve
    projection: ProjectionBands
    """The spread of the new structure's projection (the report's projection chart)."""
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    breakeven: list[StakeBreakEven] = field(default_factory=list)
    breakeven_paths: int = 0
    branches: Branches | None = None
    static_split: StaticSplit | None = None
    estimates: list[Estimate] = field(default_factory=list)
    governance: list[GovernanceRow] = field(default_factory=list)

    @property
    def entity_before(self) -> str:
        return projection_of(self.before).entity

    @property
    def entity_after(self) -> str:
        return projection_of(self.after).entity

    def control_summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, res, ent in (("before", self.control_before, self.entity_before),
                              ("after", self.control_after, self.entity_after)):
            f = res.entities[ent]
            out[key] = {"entity": ent, **f.to_json(), "chain": list(f.chain),
                        "weights": {k: float(v) for k, v in f.weights.items()}}
        return out

    def to_json(self) -> dict[str, Any]:
        comp = self.comparison
        return {
            "name": self.name,
            "before": {"file": self.before_file, "name": self.before.name, "entity": self.entity_before},
            "after": {"file": self.after_file, "name": self.after.name, "entity": self.entity_after},
            "map": dict(self.mapping),
            "paths": comp.paths,
            "seed": comp.seed,
            "control": {"before": self.control_before.to_json(), "after": self.control_after.to_json(),
                        "summary": self.control_summary()},
            "values": {p: t.to_json() for p, t in comp.transfers.items()},
            "equity_value": {"before": comp.before.equity_value, "before_standard_error": comp.before.equity_value_se,
                             "after": comp.after.equity_value, "after_standard_error": comp.after.equity_value_se},
            "fair_stakes": [f.to_json() for f in self.fair_stakes],
            "payouts": self.payouts.to_json(),
            "sensitivity": self.sensitivity.to_json() if self.sensitivity is not None else None,
            "valuations": [{"label": m.label, "value": float(m.value), "date": m.date.isoformat() if m.date else None,
                            "source": m.source} for m in self.marks],
            "assumptions": [a.to_json() for a in self.assumptions],
            "timeline": [_term_json(r, "before") for r in self.timeline_before]
            + [_term_json(r, "after") for r in self.timeline_after],
            "breakeven": {"paths": self.breakeven_paths, "seed": comp.seed,
                          "stakes": [b.to_json() for b in self.breakeven]},
            "no_conversion": self.branches.to_json() if self.branches is not None else None,
            "static_split": self.static_split.to_json() if self.static_split is not None else None,
            "contracts_value": self.contracts_value(),
            "calibration": self.calibration(),
            "fair_stake_ranges": self.stake_ranges(),
            "estimates": [e.model_dump(mode="json") for e in self.estimates],
            "governance": [g.model_dump(mode="json") for g in self.governance],
            "seconds": dict(self.seconds),
        }

    def tornado_rows(self) -> list[dict[str, Any]]:
        """The tornado on the base figures of the run: each point of the sensitivity runs on fewer
        paths, so it is shown as its change from the sensitivity's own base case (the same
        paths, so the change is accurate) added to the fair stake of the main run. One row per
        (fair stake, assumption)."""
        s = self.sensitivity
        if s is None:
            return []
        rows = []
        for i, f in enumerate(self.fair_stakes):
            base = f.result.measure
            own = s.measure(s.base.stakes[i])
            for b in s.bars:
                rows.append({"target": f.target.title, "assumption": b.shift.label, "base": base,
                             "low": base + s.measure(b.low.stakes[i]) - own,
                             "high": base + s.measure(b.high.stakes[i]) - own,
                             "low_setting": b.shift.low_text, "high_setting": b.shift.high_text})
        return rows

    def stake_ranges(self) -> list[dict[str, Any]]:
        """Each fair stake's base figure and the lowest and highest it reaches as the tornado's
        assumptions move one at a time (see :meth:`tornado_rows`)."""
        rows = self.tornado_rows()
        out = []
        for f in self.fair_stakes:
            mine = [x for r in rows if r["target"] == f.target.title for x in (r["low"], r["high"])]
            base = f.result.measure
            out.append({"label": f.target.title, "party": f.target.party, "basis": f.target.basis, "base": base,
                        "low": min([base, *mine]), "high": max([base, *mine])})
        return out

    def calibration(self) -> dict[str, Any] | None:
        """The modelled value of the new structure's equity against the reported valuation dated
        nearest to the new structure's date (``as_of``), and against every other valuation."""
        dated = [m for m in self.marks if m.date is not None]
        if not dated:
            return None
        when = self.after.as_of or max(m.date for m in dated if m.date is not None)
        near = min(dated, key=lambda m: abs(((m.date or when) - when).days))
        comp = self.comparison
        return {"label": near.label, "reported": float(near.value),
                "date": near.date.isoformat() if near.date else None,
                "modelled": comp.after.equity_value, "modelled_standard_error": comp.after.equity_value_se,
                "ratio": comp.after.equity_value / float(near.value), "source": near.source,
                "modelled_before": comp.before.equity_value}

    def contracts_value(self) -> dict[str, Any]:
        """Where the sum of the transfers comes from: the change in what the structure distributes
        (its equity value) plus the change in what the contracts are worth to their payees."""
        comp = self.comparison
        before = sum(v for c in comp.before.components.values() for k, v in c.items() if k != "structure")
        after = sum(v for c in comp.after.components.values() for k, v in c.items() if k != "structure")
        by_contract: dict[str, dict[str, float]] = {}
        for label, val in (("before", comp.before), ("after", comp.after)):
            for comps in val.components.values():
                for k, v in comps.items():
                    if k != "structure":
                        by_contract.setdefault(k, {"before": 0.0, "after": 0.0})[label] += v
        total = sum(t.change for t in comp.transfers.values())
        return {"parties_before": sum(t.before for t in comp.transfers.values()),
                "parties_after": sum(t.after for t in comp.transfers.values()),
                "before": before, "after": after, "change": after - before,
                "equity_change": comp.after.equity_value - comp.before.equity_value,
                "transfers_total": total, "contracts": by_contract}


    def to_frame(self) -> pd.DataFrame:
        """The value transfer, one row per party (see :meth:`Comparison.to_frame`)."""
        return self.comparison.to_frame()

    def _repr_html_(self) -> str:
        stakes = "".join(
            f"<li>{html.escape(f.target.title)}: {f.result.stake_text()}"
            f"{f' (reported {f.target.reported:.0%})' if f.target.reported is not None else ''}</li>"
            for f in self.fair_stakes)
        return f"<h4>{html.escape(self.name)}</h4>{self.comparison._repr_html_()}<ul>{stakes}</ul>"


def _term_json(r: TermRow, structure: str) -> dict[str, Any]:
    return {"structure": structure, "id": r.id, "name": r.name, "kind": r.kind, "from": r.source, "to": r.target,
            "start": r.start.isoformat() if r.start else None, "end": r.end.isoformat() if r.end else None,
            "end_event": r.end_event, "detail": r.detail}


def around(value: float) -> list[Fraction]:
    """Exit values around a company value: 0.2, 0.5, 1, 2 and 4 times it, to two significant digits."""
    out = []
    for k in (0.2, 0.5, 1, 2, 4):
        x = value * k
        if x <= 0:
            continue
        digits = 10 ** max(0, math.floor(math.log10(x)) - 1)
        out.append(Fraction(round(x / digits) * digits))
    return sorted(set(out)) or list(DEFAULT_EXITS)


def default_targets(before: Scenario, after: Scenario, mapping: dict[str, str]) -> list[FairStake]:
    """A fair stake for every party holding stock of the new projected entity that was a party before."""
    ent = after.entity(projection_of(after).entity)
    olds = {mapping.get(k, k) for k in [*before.holder_ids, *before.entity_ids]}
    stock = {c.id for c in ent.classes or () if c.is_stock}
    out = []
    seen: set[str] = set()
    for h in ent.holdings or ():
        if h.holder in olds and h.class_ in stock and h.holder not in seen:
            seen.add(h.holder)
            many = sum(1 for x in ent.holdings or () if x.holder == h.holder) > 1
            sel = f"{h.holder}/{h.class_}" if many else h.holder
            path = f"entities[{ent.id}].holdings[{sel}].shares"
            out.append(FairStake(h.holder, path, "total", holding_stake(after, path),
                                 f"{after.display_name(h.holder)}"))
    return out


def fair_stake_targets(before: Scenario, after: Scenario, mapping: dict[str, str], party: str | None = None,
                       field: str | None = None, basis: Basis = "total") -> list[FairStake]:
    """The fair stakes to solve: ``party``'s holding at ``field`` when both are given, else the
    :func:`default_targets` (``party``'s only, when given), on ``basis``."""
    basis = check_basis(basis)
    if field is not None and party is None:
        raise ParameterError(M.FIELD_NEEDS_PARTY, field=M.FIELD, party=M.PARTY)
    if party is not None and field is not None:
        return [FairStake(party, field, basis, holding_stake(after, field))]
    found = [FairStake(t.party, t.field, basis, t.reported, t.label)
             for t in default_targets(before, after, mapping) if party is None or t.party == party]
    if not found:
        raise InputError(M.NO_FAIR_STAKE_FIELD.format(party=party or "any party", entity="the new structure"))
    return found


def analyze(
    before: Scenario,
    after: Scenario,
    *,
    mapping: dict[str, str] | None = None,
    targets: Sequence[FairStake] | None = None,
    sources: Sequence[str | None] | None = None,
    exit_values: Sequence[Fraction] | None = None,
    marks: Sequence[Mark] = (),
    shifts: Sequence[Shift] | None = None,
    paths: int = RUN_PATHS,
    sensitivity_paths: int = SENSITIVITY_PATHS,
    seed: int = RUN_SEED,
    scales: Sequence[float] = REVENUE_SCALES,
    with_sensitivity: bool = True,
    client: Any = None,
    progress: StagePosition | None = None,
    before_file: str = "",
    after_file: str = "",
    name: str | None = None,
    notes: Sequence[str] = (),
    breakeven_paths: int | None = BREAKEVEN_PATHS,
    no_conversion: NoConversion | None = None,
    estimates: Sequence[Estimate] = (),
    governance: Sequence[GovernanceRow] = (),
) -> Restructuring:
    """Run the whole analysis (see the module); ``client`` runs the sensitivity points on Dask.

    ``exit_values`` default to 0.2 to 4 times the new structure's equity value. The break-even
    levers run on ``breakeven_paths`` paths (None: none run); ``no_conversion`` adds the branch
    in which the conversion fails."""
    mapping = dict(mapping or {})
    check_mapping(mapping, before, after)
    if with_sensitivity:  # checked now rather than after the valuations
        check_shifts(shifts if shifts is not None else default_shifts(), before, after)
        check_scales(scales)
    projection_of(before)
    projection_of(after)
    targets = list(targets) if targets is not None else default_targets(before, after, mapping)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def tick(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = round(now - clock, 3)
        clock = now

    def report(stage: str, total: int) -> Advance | None:
        return counted(in_stage(progress, stage), total)

    ctrl_b, ctrl_a = analyze_control(before), analyze_control(after)
    tick("control")
    cache = PathCache()
    comp = compare(before, after, mapping, paths=paths, seed=seed, cache=cache,
                   progress=report("valuing both structures", paths))
    tick("values")
    step = report("solving fair stakes", len(targets))
    found = []
    srcs = list(sources or [None] * len(targets))
    memo: dict[tuple[str, float], JointValues] = {}
    for t, src in zip(targets, srcs, strict=True):
        res = solve_field(after, t.field, t.party, before=before, mapping=mapping, basis=t.basis,
                          paths=paths, seed=seed, cache=cache, memo=memo)
        found.append(FairStakeResult(t, res, src))
        if step is not None:
            step(1)
    tick("fair_stakes")
    if exit_values is None:
        exit_values = around(comp.after.equity_value)
    pay = payouts(before, after, mapping, list(exit_values))
    split = static_split(before, mapping, marks) if marks else None
    tick("payouts")
    found_be: list[StakeBreakEven] = []
    if breakeven_paths:
        step = report("break-even", count(before, after, targets, mapping))
        found_be = breakeven(before, after, targets, mapping=mapping, paths=breakeven_paths, seed=seed,
                             cache=cache, progress=step)
    tick("breakeven")
    branched = None
    if no_conversion is not None:
        branched = branches(before, after, no_conversion, mapping=mapping, paths=paths, seed=seed, cache=cache)
    tick("no_conversion")
    sens = None
    if with_sensitivity and targets:
        n_shifts = len(shifts) if shifts is not None else len(default_shifts())
        sens = sensitivity(before, after, targets, mapping=mapping, shifts=shifts, scales=scales,
                           paths=sensitivity_paths, seed=seed, client=client,
                           progress=report("sensitivity", 1 + 2 * n_shifts + len(scales)))
    tick("sensitivity")
    rows = assumptions(before, "before") + assumptions(after, "after")
    result = Restructuring(
        name=name or f"{before.name or 'before'} → {after.name or 'after'}",
        before=before, after=after, before_file=before_file, after_file=after_file, mapping=mapping,
        control_before=ctrl_b, control_after=ctrl_a, comparison=comp, fair_stakes=found, payouts=pay,
        sensitivity=sens, marks=list(marks), assumptions=rows,
        timeline_before=timeline(before), timeline_after=timeline(after),
        curve_before=payoff_curve(before, projection_of(before).entity),
        curve_after=payoff_curve(after, projection_of(after).entity),
        projection=projection_bands(after, projection_of(after).entity, seed, min(BAND_PATHS, comp.paths)),
        seconds=seconds, notes=list(notes), breakeven=found_be, breakeven_paths=breakeven_paths or 0,
        branches=branched, static_split=split, estimates=list(estimates), governance=list(governance),
    )
    return result


def analyze_plan(path: str | Path, *, paths: int | None = None, seed: int | None = None,
                 with_sensitivity: bool = True, client: Any = None, progress: StagePosition | None = None,
                 mapping: dict[str, str] | None = None) -> Restructuring:
    """Run the analysis a plan file describes (``paths``, ``seed`` and ``mapping`` override the plan's)."""
    plan, folder, where = _read_plan(path)
    sizes = RunSizes.of(paths, seed, base=RunSizes(plan.paths, plan.sensitivity_paths, plan.breakeven_paths, plan.seed))
    before = load(folder / plan.before)
    after = load(folder / plan.after)
    problems = plan_problems(plan, before, after, overridden=mapping or {}, with_sensitivity=with_sensitivity)
    if problems:
        raise where.error(problems)
    targets = [FairStake(t.party, t.field, t.basis, float(t.reported) if t.reported is not None else None, t.label)
               for t in plan.fair_stakes] or None
    sources = [t.source for t in plan.fair_stakes] or None
    shifts = [_shift(s) for s in plan.shifts] if plan.shifts is not None else None
    return analyze(
        before, after, mapping={**plan.map, **(mapping or {})}, targets=targets, sources=sources,
        exit_values=list(plan.exit_values) if plan.exit_values is not None else None, marks=plan.valuations,
        shifts=shifts,
        paths=sizes.paths, sensitivity_paths=sizes.sensitivity_paths, seed=sizes.seed, scales=plan.revenue_scales,
        with_sensitivity=with_sensitivity, client=client,
        progress=progress, before_file=str(folder / plan.before), after_file=str(folder / plan.after),
        name=plan.name, notes=plan.notes,
        breakeven_paths=sizes.breakeven_paths,
        no_conversion=plan.no_conversion, estimates=plan.estimates, governance=plan.governance,
    )


__all__ = ["BREAKEVEN_PATHS", "DEFAULT_EXITS", "RUN_PATHS", "RUN_SEED", "SENSITIVITY_PATHS",
           "WAITING_SENSITIVITY_LEAST", "WAITING_SENSITIVITY_SHARE", "Assumption", "Estimate", "FairStakeResult",
           "GovernanceRow", "Mark", "Payouts", "Plan", "Restructuring", "RunSizes", "StaticSplit", "analyze",
           "analyze_plan", "assumptions", "default_targets", "fair_stake_targets", "flagship_plan", "payouts",
           "plan_problems", "read_plan", "static_split"]
