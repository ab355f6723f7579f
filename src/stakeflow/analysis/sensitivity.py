"""How fair stakes move with the assumptions: a tornado, and the fair stake against company value.

Each point of a sweep is the pair of structures with one assumption moved (in both structures
alike), valued with the same seed and paths as the base case, and the fair stakes solved again
(:func:`stakeflow.analysis.solve.solve_field`). The tornado moves each assumption to a low and a
high value, one at a time; the company-value sweep scales revenue (and with it the company's
value) by a list of factors and plots each fair stake against the resulting equity value of the
new structure.

Points are independent, so they run one after another here, or in parallel on Dask
(``dask.distributed``: a local cluster on this machine or a scheduler's address); the numbers do
not depend on where a point ran.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from ..scenario.errors import InputError
from ..scenario.fields import FieldPathError, is_number, kind_of, locate, raw
from ..scenario.models import Scenario
from ..scenario.projection import MAX_HORIZON
from ..valuation import _messages as VM
from ..valuation.cluster import where
from ..valuation.errors import ParameterError
from ..valuation.progress import Advance
from . import _restructuring_messages as M
from .solve import Basis, SolveResult, solve_field
from .values import JointValues, PathCache, joint_values

if TYPE_CHECKING:
    import pandas as pd
    from dask.distributed import Client

Side = Literal["low", "high"]

POINT_PATHS = 5_000
"""Paths of each point of a sensitivity (the tornado's and the company-value sweep's), unless told."""
POINT_SEED = 0
"""Seed of the same, unless told."""
REVENUE_SCALES = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
"""Factors on revenue of the company-value sweep, unless told."""


@dataclass(frozen=True)
class FairStake:
    """What to solve for: ``party``'s fair value of ``field`` (``basis``: all it receives, or only
    what the structure pays it), with the ``reported`` figure to set it against."""

    party: str
    field: str
    basis: Basis = "total"
    reported: float | None = None
    label: str | None = None

    @property
    def title(self) -> str:
        return self.label or f"{self.party} ({self.basis})"


def _scaled_cap(cap: Any, k: Fraction) -> Any:
    if isinstance(cap, dict):
        return {f: x * k if f in ("amount", "multiple") else x for f, x in cap.items()}
    return cap * k


@dataclass(frozen=True)
class Shift:
    """One assumption moved to a low and a high value, in every structure that has it.

    ``kind`` is how: ``add`` adds ``low``/``high`` to every year of a schedule or to a number,
    ``scale`` multiplies it, ``set`` replaces it; ``caps`` scales every cap of every tier
    program; ``horizon`` adds years to the horizon; ``terminal`` scales the terminal value
    (whichever of multiple or value is given); ``revenue`` scales initial or given revenue.
    """

    name: str
    label: str
    kind: str
    low: Any
    high: Any
    path: str | None = None
    low_text: str = ""
    high_text: str = ""

    def apply(self, sc: Scenario, side: Side) -> Scenario:
        """``sc`` with the assumption at its ``side`` value (``caps``: every tier cap scaled, as
        ``solve --scale caps`` scales them: a dated cap's ``amount`` or ``multiple``, never a
        ``hurdle`` rate or a ``growth``)."""
        arg = self.low if side == "low" else self.high
        tree = raw(sc)
        if self.kind == "caps":
            for ent in tree.get("entities", []):
                for tier in ent.get("distribution") or []:
                    if "caps" in tier:
                        tier["caps"] = {k: _scaled_cap(v, Fraction(arg)) for k, v in tier["caps"].items()}
            return Scenario.model_validate(tree)
        if "projection" not in tree and self.kind in ("horizon", "terminal", "revenue"):
            return sc
        if self.kind == "horizon":
            h = tree["projection"]["horizon"] + int(arg)
            if not 1 <= h <= MAX_HORIZON:
                raise InputError(M.HORIZON_SHIFT.format(value=h, most=MAX_HORIZON))
            tree["projection"]["horizon"] = h
            return Scenario.model_validate(tree)
        if self.kind == "terminal":
            term = tree["projection"].get("terminal") or {}
            for k in term:
                term[k] = term[k] * Fraction(arg)
            return Scenario.model_validate(tree)
        if self.kind == "revenue":
            rev = tree["projection"]["revenue"]
            if "initial" in rev:
                rev["initial"] = rev["initial"] * Fraction(arg)
            for k in ("values",):
                if k in rev:
                    rev[k] = [x * Fraction(arg) for x in rev[k]]
            if "paths" in rev:
                rev["paths"] = [[x * Fraction(arg) for x in p] for p in rev["paths"]]
            return Scenario.model_validate(tree)
        assert self.path is not None
        try:
            loc = locate(sc, self.path).loc
        except FieldPathError:
            return sc  # the assumption is not part of this structure
        node = tree
        for part in loc[:-1]:
            node = node[part]
        node[loc[-1]] = _moved(node[loc[-1]], self.kind, arg)
        return Scenario.model_validate(tree)


def _moved(value: Any, kind: str, arg: Any) -> Any:
    if isinstance(value, list):
        return [_moved(v, kind, arg) for v in value]
    x = Fraction(arg)
    if kind == "add":
        return value + x
    if kind == "scale":
        return value * x
    return x


def check_shifts(shifts: Sequence[Shift], before: Scenario, after: Scenario) -> None:
    """A shift of a field (``PATH=LOW:HIGH``) must name a number in at least one of the structures,
    else it would move nothing: the same errors as ``solve --field`` (of AFTER, as there)."""
    for s in shifts:
        if s.kind != "set" or s.path is None:
            continue  # the default shifts move what a structure has, and nothing where it has none
        found = []
        first: FieldPathError | None = None
        for which, sc in (("AFTER", after), ("BEFORE", before)):
            try:
                found.append((which, locate(sc, s.path).value))
            except FieldPathError as exc:
                first = first or exc
        if not found:
            raise InputError(M.FIELD_IN.format(which="AFTER", detail=first))
        for which, value in found:
            if not is_number(value):
                raise InputError(M.FIELD_NOT_NUMBER.format(which=which, path=s.path, kind=kind_of(value)))


def check_scales(scales: Sequence[float]) -> None:
    """Revenue scale factors: one or more, each positive."""
    if not scales or any(k <= 0 for k in scales):
        raise ParameterError(M.SCALES_GIVEN, scales=M.SCALES_PARAM, value=list(scales))


def default_shifts() -> list[Shift]:
    """The main assumptions of a projection, each moved down and up."""
    return [
        Shift("growth", "Revenue growth", "add", Fraction(-5, 100), Fraction(5, 100), "projection.revenue.growth",
              "−5 pp a year", "+5 pp a year"),
        Shift("volatility", "Revenue volatility", "scale", Fraction(1, 2), Fraction(3, 2),
              "projection.revenue.volatility", "×0.5", "×1.5"),
        Shift("margin", "Margin", "add", Fraction(-5, 100), Fraction(5, 100), "projection.margin",
              "−5 pp a year", "+5 pp a year"),
        Shift("discount_rate", "Discount rate", "add", Fraction(-5, 100), Fraction(5, 100),
              "projection.discount_rate", "−5 pp", "+5 pp"),
        Shift("horizon", "Horizon", "horizon", -3, 3, None, "−3 years", "+3 years"),
        Shift("caps", "Profit caps", "caps", Fraction(1, 2), Fraction(2), None, "×0.5", "×2"),
        Shift("terminal", "Terminal multiple", "terminal", Fraction(1, 2), Fraction(3, 2), None, "×0.5", "×1.5"),
    ]


def parse_scales(text: str) -> list[float]:
    """Revenue scale factors written ``0.5,1,2`` (any spelling of SPEC §1), each positive."""
    from ..scenario.numbers import NumberError, parse_number

    try:
        factors = [float(parse_number(x.strip())) for x in text.split(",") if x.strip()]
    except NumberError:
        raise ParameterError(M.SCALES, scales=M.SCALES_PARAM, value=text) from None
    if not factors or any(f <= 0 for f in factors):
        raise ParameterError(M.SCALES, scales=M.SCALES_PARAM, value=text)
    return factors


class ShiftFormError(InputError):
    """A shift not written ``NAME`` or ``PATH=LOW:HIGH``; the message says so without saying where
    it was given (``shift``, ``--shift``, a plan's ``shifts[2]``)."""


def shift_of(text: str) -> Shift:
    """``NAME`` (one of the default shifts) or ``PATH=LOW:HIGH`` (set a field to each value)."""
    from ..scenario.numbers import NumberError, parse_number

    text = text.strip()
    known = {s.name: s for s in default_shifts()}
    if "=" not in text:
        if text not in known:
            raise InputError(M.SHIFT_UNKNOWN.format(name=text, known=", ".join(known)))
        return known[text]
    path, _, values = text.partition("=")
    low, sep, high = values.partition(":")
    if not sep or not path.strip():
        raise ShiftFormError(M.SHIFT_FORM.format(item=text))
    try:
        lo, hi = parse_number(low.strip()), parse_number(high.strip())
    except NumberError:
        raise ShiftFormError(M.SHIFT_FORM.format(item=text)) from None
    return Shift(path.strip(), path.strip(), "set", lo, hi, path.strip(), low.strip(), high.strip())


def parse_shift(text: str) -> Shift:
    """The parameter ``shift`` (``--shift``): :func:`shift_of`, a mistake in its form naming it."""
    try:
        return shift_of(text)
    except ShiftFormError as exc:
        raise ParameterError(M.SHIFT_SPEC, shift=M.SHIFT, detail=exc) from None


@dataclass(frozen=True)
class Point:
    """Fair stakes and company values for one pair of structures."""

    stakes: list[SolveResult]
    equity_before: float
    equity_after: float

    def to_json(self) -> dict[str, Any]:
        return {"equity_value_before": self.equity_before, "equity_value_after": self.equity_after,
                "fair_stakes": [s.to_json() for s in self.stakes]}


def evaluate_point(before: Scenario, after: Scenario, targets: Sequence[FairStake], mapping: Mapping[str, str],
                   paths: int, seed: int) -> Point:
    """Solve every fair stake for one pair of structures (a unit of work of a sweep)."""
    cache = PathCache()
    memo: dict[tuple[str, float], JointValues] = {}
    j = joint_values([before, after], paths, seed, cache=cache)
    stakes = [solve_field(after, t.field, t.party, before=before, mapping=mapping, basis=t.basis,
                          paths=paths, seed=seed, cache=cache, memo=memo) for t in targets]
    return Point(stakes, j.structure_total(0)[0], j.structure_total(1)[0])


def _evaluate_task(task: tuple[Scenario, Scenario, Sequence[FairStake], Mapping[str, str], int, int]) -> Point:
    return evaluate_point(*task)


@dataclass(frozen=True)
class Bar:
    """One assumption's tornado bar: the fair stakes with it moved low and high."""

    shift: Shift
    low: Point
    high: Point


@dataclass(frozen=True)
class Sensitivity:
    """The tornado (base case and one bar per assumption) and the company-value sweep."""

    targets: list[FairStake]
    base: Point
    bars: list[Bar]
    sweep: list[tuple[float, Point]]
    paths: int
    seed: int
    where: str = "local"
    extra: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def measure(s: SolveResult) -> float:
        """The number plotted: the stake (negative when none is needed, see ``implied_stake``)
        where the field is a holding, else the field's value."""
        return s.measure

    def to_json(self) -> dict[str, Any]:
        return {
            "paths": self.paths,
            "seed": self.seed,
            "ran_on": self.where,
            "targets": [{"party": t.party, "field": t.field, "basis": t.basis, "reported": t.reported,
                         "label": t.title} for t in self.targets],
            "base": self.base.to_json(),
            "tornado": [
                {"assumption": b.shift.name, "label": b.shift.label, "low": b.shift.low_text,
                 "high": b.shift.high_text, "low_point": b.low.to_json(), "high_point": b.high.to_json()}
                for b in self.bars
            ],
            "company_value": [{"revenue_scale": k, **p.to_json()} for k, p in self.sweep],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per (target, assumption): the fair stake with the assumption low, base, high."""
        import pandas as pd

        rows = []
        for i, t in enumerate(self.targets):
            base = self.measure(self.base.stakes[i])
            for b in self.bars:
                rows.append({"target": t.title, "assumption": b.shift.label, "low": self.measure(b.low.stakes[i]),
                             "base": base, "high": self.measure(b.high.stakes[i]),
                             "low_setting": b.shift.low_text, "high_setting": b.shift.high_text})
        return pd.DataFrame(rows, columns=["target", "assumption", "low", "base", "high", "low_setting",
                                           "high_setting"])

    def _repr_html_(self) -> str:
        fmt: dict[Any, Any] = {c: "{:.2%}" for c in ("low", "base", "high")}
        caption = f"fair stakes as each assumption moves ({self.paths:,} paths, seed {self.seed})"
        return str(self.to_frame().style.format(fmt).set_caption(caption).to_html())


Task = tuple[Scenario, Scenario, Sequence[FairStake], Mapping[str, str], int, int]


def run_tasks(tasks: list[Task], *, client: Client | None = None, progress: Advance | None = None
              ) -> list[Point]:
    """Evaluate every task, locally in order or on a Dask client; results in task order."""
    if client is None:
        out = []
        for t in tasks:
            out.append(_evaluate_task(t))
            if progress is not None:
                progress(1)
        return out
    from dask.distributed import as_completed

    futures = client.map(_evaluate_task, tasks, pure=False)
    for _ in as_completed(futures):
        if progress is not None:
            progress(1)
    return list(client.gather(futures))


def sensitivity(
    before: Scenario,
    after: Scenario,
    targets: Sequence[FairStake],
    *,
    mapping: Mapping[str, str] | None = None,
    shifts: Sequence[Shift] | None = None,
    scales: Sequence[float] = REVENUE_SCALES,
    paths: int = POINT_PATHS,
    seed: int = POINT_SEED,
    client: Client | None = None,
    progress: Advance | None = None,
) -> Sensitivity:
    """The tornado of every target's fair stake over ``shifts`` and its sweep over revenue ``scales``."""
    mapping = dict(mapping or {})
    shifts = list(shifts) if shifts is not None else default_shifts()
    check_shifts(shifts, before, after)
    check_scales(scales)
    targets = list(targets)
    tasks: list[Task] = [(before, after, targets, mapping, paths, seed)]
    for s in shifts:
        for side in ("low", "high"):
            tasks.append((s.apply(before, side), s.apply(after, side), targets, mapping, paths, seed))  # type: ignore[arg-type]
    for k in scales:
        scaled = Shift("revenue", "Revenue", "revenue", Fraction(k).limit_denominator(10**6), 1)
        tasks.append((scaled.apply(before, "low"), scaled.apply(after, "low"), targets, mapping, paths, seed))
    points = run_tasks(tasks, client=client, progress=progress)
    base = points[0]
    bars = [Bar(s, points[1 + 2 * i], points[2 + 2 * i]) for i, s in enumerate(shifts)]
    sweep = list(zip([float(k) for k in scales], points[1 + 2 * len(shifts):], strict=True))
    return Sensitivity(targets, base, bars, sweep, paths, seed, where(client))


def dask_client(dask: bool, scheduler: str | None) -> Client | None:
    """A Dask client: a local cluster on this machine (``dask``), or the scheduler at ``scheduler``."""
    if dask and scheduler:
        raise ParameterError(M.DASK_BOTH, dask=M.DASK, scheduler=VM.SCHEDULER)
    if not dask and not scheduler:
        return None
    from ..valuation.cluster import connect, local_cluster

    if scheduler:
        return connect(scheduler)
    import os

    return local_cluster(os.cpu_count() or 1)


__all__ = ["POINT_PATHS", "POINT_SEED", "REVENUE_SCALES", "Bar", "FairStake", "Point", "Sensitivity", "Shift",
           "ShiftFormError", "check_scales", "check_shifts", "dask_client", "default_shifts", "evaluate_point",
           "parse_scales", "parse_shift", "run_tasks", "sensitivity", "shift_of"]
