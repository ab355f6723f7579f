"""A sweep: the same valuation at every point of a grid of assumptions (SPEC §12).

An axis moves one of the value options (``equity_value``, ``volatility``, ``term``, ``rate``)
or any number of the scenario named by a field path (``contracts[royalty].rate``,
``entities[company].holdings[founders].shares``, a cap, ...; see
:mod:`stakeflow.scenario.fields`), over ``LOW:HIGH:COUNT`` (evenly spaced, both ends included,
exact) or a list of values. Points are the product of the axes, the last axis fastest.

Each distinct structure (each combination of field values) is built and validated like a file
and its payoff curve compiled once; every point is then valued by the same functions
:func:`stakeflow.value` uses (:func:`~stakeflow.valuation.opm.opm_result`, and for Monte Carlo
the chunked runs of :mod:`~stakeflow.valuation.simulation` and
:func:`~stakeflow.valuation.montecarlo.montecarlo_result`), so a point of a sweep is, to the
last bit, ``stakeflow value`` with the same inputs. Every point of a Monte Carlo sweep uses the
same ``seed`` (common random numbers: differences between points are far less noisy than
the values).

On a Dask cluster the Monte Carlo chunks of every point share the cluster; for the OPM, each
structure is one task (compiling its curve there and valuing its points). The numbers do not
depend on where anything ran.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..scenario.fields import FieldPathError, get_number, replace
from ..scenario.models import Scenario
from ..scenario.numbers import NumberError, parse_number
from ..valuation import _messages as VM
from ..valuation import parameters as P
from ..valuation.blocks import CurveSource
from ..valuation.cluster import cluster, cluster_failures, where
from ..valuation.curves import PricingCurve, pricing_curve
from ..valuation.distributions import Distribution
from ..valuation.errors import ParameterError
from ..valuation.montecarlo import check_antithetic, montecarlo_result, read_law, run_inputs
from ..valuation.opm import opm_result
from ..valuation.progress import Position, counted
from ..valuation.result import ValuationResult
from ..valuation.simulation import Run, simulate_runs
from . import _sweep_messages as M

if TYPE_CHECKING:
    import pandas as pd
    from dask.distributed import Client

OPTIONS = ("equity_value", "volatility", "term", "rate")
"""The value options an axis can move (the rest of an axis's names are field paths)."""
PARAMS = {"equity_value": VM.EQUITY_VALUE, "volatility": VM.VOLATILITY, "term": VM.TERM, "rate": VM.RATE}
METHODS = ("opm", "montecarlo")
MAX_POINTS = 1_000_000


@dataclass(frozen=True)
class Axis:
    """One axis of a grid: a value option or a field path, and its values (exact)."""

    name: str
    values: tuple[Fraction, ...]

    @property
    def is_field(self) -> bool:
        return self.name not in OPTIONS


def _number(name: str, spec: str, value: P.Spelled) -> Fraction:
    value = value.strip() if isinstance(value, str) else value
    try:
        return parse_number(value)
    except NumberError:
        raise ParameterError(M.GRID_NUMBER, grid=M.GRID, name=name, spec=spec, value=value) from None


def axis_values(name: str, spec: str | Sequence[P.Spelled]) -> tuple[Fraction, ...]:
    """The values of an axis: ``"LOW:HIGH:COUNT"`` (COUNT ≥ 2 evenly spaced values, both ends
    included, computed exactly), ``"V1,V2,..."``, or a sequence of numbers."""
    if not isinstance(spec, str):
        text = ",".join(map(str, spec))
        if not spec:
            raise ParameterError(M.GRID_EMPTY_VALUE, grid=M.GRID, name=name, spec=text)
        return tuple(_number(name, text, v) for v in spec)
    text = spec.strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise ParameterError(M.GRID_RANGE, grid=M.GRID, name=name, spec=text)
        low, high = _number(name, text, parts[0]), _number(name, text, parts[1])
        n = P.whole(parts[2].strip(), M.GRID_COUNT, 2, name, grid=M.GRID, spec=text)
        if n > MAX_POINTS:  # refused before the values are made, as a grid of that many points
            raise ParameterError(M.GRID_TOO_LARGE, grid=M.GRID, count=n, most=MAX_POINTS)
        return tuple(low + (high - low) * i / (n - 1) for i in range(n))
    items = text.split(",")
    if any(not x.strip() for x in items):
        raise ParameterError(M.GRID_EMPTY_VALUE, grid=M.GRID, name=name, spec=text)
    return tuple(_number(name, text, x) for x in items)


def parse_grid(items: Sequence[str]) -> dict[str, str]:
    """``["volatility=30%:70%:5", "term=1,3,5"]`` -> ``{"volatility": "30%:70%:5", ...}`` (the
    command line's ``--grid NAME=SPEC``, repeated)."""
    out: dict[str, str] = {}
    for item in items:
        name, eq, spec = item.partition("=")
        if not eq or not name.strip() or not spec.strip():
            raise ParameterError(M.GRID_FORM, grid=M.GRID, item=item)
        if name.strip() in out:
            raise ParameterError(M.GRID_TWICE, grid=M.GRID, name=name.strip())
        out[name.strip()] = spec.strip()
    return out


def grid_axes(scenario: Scenario, grid: Mapping[str, str | Sequence[P.Spelled]] | Sequence[str]) -> tuple[Axis, ...]:
    """The axes of ``grid`` (a mapping NAME -> SPEC, or ``NAME=SPEC`` strings), each checked to
    name a value option or a number of ``scenario``."""
    spec = parse_grid(grid) if not isinstance(grid, Mapping) else dict(grid)
    if not spec:
        raise ParameterError(M.NO_GRID, grid=M.GRID)
    axes = []
    for name, values in spec.items():
        if name not in OPTIONS:
            _check_field(scenario, name)
        axes.append(Axis(name, axis_values(name, values)))
    count = 1
    for a in axes:
        count *= len(a.values)
    if count > MAX_POINTS:
        raise ParameterError(M.GRID_TOO_LARGE, grid=M.GRID, count=count, most=MAX_POINTS)
    return tuple(axes)


def _check_field(scenario: Scenario, name: str) -> None:
    try:
        get_number(scenario, name)
    except FieldPathError as exc:
        if "is not a number" in str(exc) and not str(exc).startswith("cannot read"):
            raise ParameterError(M.GRID_NOT_A_NUMBER, grid=M.GRID, name=name, detail=str(exc)) from None
        raise ParameterError(M.GRID_NOTHING, grid=M.GRID, name=name, options=", ".join(OPTIONS),
                             detail=str(exc)) from None


@dataclass(frozen=True)
class SweepPoint:
    """One point of the grid: the axes' values there, and the valuation."""

    params: dict[str, Fraction]
    result: ValuationResult

    def to_json(self) -> dict[str, Any]:
        r = self.result
        doc: dict[str, Any] = {"params": {k: float(v) for k, v in self.params.items()},
                               "equity_value": r.equity_value, "holders": dict(r.holders)}
        if r.standard_errors is not None:
            doc["standard_errors"] = dict(r.standard_errors)
        doc["classes"] = dict(r.classes)
        if r.class_standard_errors is not None:
            doc["class_standard_errors"] = dict(r.class_standard_errors)
        return doc


@dataclass(frozen=True)
class Sweep:
    """Every point of a grid, in grid order (the last axis fastest)."""

    entity: str
    method: str
    currency: str
    axes: tuple[Axis, ...]
    points: tuple[SweepPoint, ...]
    inputs: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    where: str = "local"

    @property
    def holders(self) -> list[str]:
        return list(self.points[0].result.holders) if self.points else []

    def to_json(self) -> dict[str, Any]:
        """SPEC §12's document: ``entity``, ``method``, ``axes`` and ``points`` (with this
        sweep's fixed ``inputs`` besides)."""
        return {"entity": self.entity, "method": self.method, "axes": [a.name for a in self.axes],
                "inputs": dict(self.inputs), "points": [p.to_json() for p in self.points]}

    def to_frame(self) -> pd.DataFrame:
        """The tidy table: one row per point and holder, the axes' values, the holder's value
        (and standard error, Monte Carlo)."""
        import pandas as pd

        rows = []
        mc = self.method == "montecarlo"
        for i, p in enumerate(self.points):
            r = p.result
            for h, v in r.holders.items():
                row: dict[str, Any] = {"point": i, **{k: float(x) for k, x in p.params.items()}, "holder": h,
                                       "name": self.names.get(h, h), "value": v}
                if mc and r.standard_errors is not None:
                    row["standard_error"] = r.standard_errors[h]
                rows.append(row)
        cols = ["point", *(a.name for a in self.axes), "holder", "name", "value"]
        return pd.DataFrame(rows, columns=[*cols, "standard_error"] if mc else cols)

    def _repr_html_(self) -> str:
        caption = f"{self.entity}: {self.method} over {' × '.join(a.name for a in self.axes)}"
        return str(self.to_frame().style.format(precision=2, thousands=",").set_caption(caption).to_html())


@dataclass(frozen=True)
class _Point:
    params: dict[str, Fraction]
    structure: int
    options: dict[str, float]


def _points(axes: Sequence[Axis]) -> tuple[list[_Point], list[dict[str, Fraction]]]:
    """Every point in grid order, and the distinct structures (field values) they use."""
    structures: dict[tuple[Fraction, ...], int] = {}
    fields: list[dict[str, Fraction]] = []
    out = []
    for combo in itertools.product(*(a.values for a in axes)):
        params = {a.name: v for a, v in zip(axes, combo, strict=True)}
        key = tuple(v for a, v in zip(axes, combo, strict=True) if a.is_field)
        if key not in structures:
            structures[key] = len(fields)
            fields.append({a.name: v for a, v in zip(axes, combo, strict=True) if a.is_field})
        out.append(_Point(params, structures[key], {k: float(v) for k, v in params.items() if k in OPTIONS}))
    return out, fields


def _structure(scenario: Scenario, values: Mapping[str, Fraction]) -> Scenario:
    sc = scenario
    for path, v in values.items():
        sc = replace(sc, path, v)
    return sc


def _opm_task(scenario: Scenario, entity: str | None, markets: Sequence[P.MarketInputs]) -> list[ValuationResult]:
    """One structure's points by the OPM (a unit of work): its curve compiled once."""
    pc = pricing_curve(scenario, entity)
    return [opm_result(pc, m) for m in markets]


def sweep(
    scenario: Scenario,
    method: str = "opm",
    grid: Mapping[str, str | Sequence[P.Spelled]] | Sequence[str] = (),
    *,
    equity_value: P.Spelled | None = None,
    volatility: P.Spelled | None = None,
    term: P.Spelled | None = None,
    rate: P.Spelled | None = None,
    paths: P.Spelled | None = None,
    seed: P.Spelled | None = None,
    chunk_size: P.Spelled | None = None,
    antithetic: bool = False,
    entity: str | None = None,
    scheduler: str | None = None,
    workers: P.Spelled | None = None,
    client: Client | None = None,
    progress: Position | None = None,
) -> Sweep:
    """Value ``scenario`` by ``method`` (``"opm"`` or ``"montecarlo"``) at every point of ``grid``.

    ``grid`` maps each axis (a value option or a field path) to ``"LOW:HIGH:COUNT"``, ``"V1,V2"``
    or a list of numbers; the options not on an axis are given as for :func:`stakeflow.value`.
    The work runs here, on a local Dask cluster of ``workers`` processes, on the scheduler at
    ``scheduler`` or on an open ``client``, with the same numbers to the last bit.

    >>> import stakeflow as sf                                                  # doctest: +SKIP
    >>> s = sf.sweep(sf.load("examples/seed.yaml"), "opm", {"volatility": "30%:90%:7"},
    ...              equity_value="12M", term=3, rate="4%")                     # doctest: +SKIP
    >>> s.to_frame()                                                            # doctest: +SKIP
    """
    if method not in METHODS:
        raise ParameterError(M.METHOD, m=VM.METHOD, method=method)
    axes = grid_axes(scenario, grid)
    given = {"equity_value": equity_value, "volatility": volatility, "term": term, "rate": rate}
    moved = {a.name for a in axes}
    for name, val in given.items():
        if val is None and name not in moved:
            raise ParameterError(M.NEEDS, m=VM.METHOD, method=method, what=PARAMS[name], grid=M.GRID, name=name)
    if method == "opm":
        for option, val in ((VM.PATHS_PARAM, paths), (VM.SEED_PARAM, seed), (VM.CHUNK_SIZE, chunk_size),
                            (VM.ANTITHETIC, antithetic)):
            if val is not None and val is not False:
                raise ParameterError(M.NOT_WITH_OPM, option=option, m=VM.METHOD)
    w = P.whole(workers, VM.WORKERS, 1, VM.WORKERS_PARAM) if workers is not None else None
    points, field_values = _points(axes)
    scenarios = [_structure(scenario, f) for f in field_values]
    # Each point's market inputs: its axes' values, else the options given (every one is either).
    settings: list[dict[str, P.Spelled]] = [
        {k: v for k in OPTIONS if (v := p.options.get(k, given[k])) is not None} for p in points]
    fixed: dict[str, float] = {k: float(P.number(v, k.replace("_", " "))) for k, v in given.items()
                             if v is not None and k not in moved}
    # Everything is read and checked before a cluster is started or reached.
    if method == "opm":
        markets = [P.MarketInputs.read(o["equity_value"], o["volatility"], o["term"], o["rate"]) for o in settings]
        with cluster(scheduler, w) if client is None else nullcontext(client) as here:
            results = _opm(scenarios, entity, points, markets, here, progress)
            ran = where(here)
        inputs: dict[str, Any] = dict(fixed)
    else:
        mc = _MonteCarlo.read(settings, paths, seed, chunk_size, antithetic)
        curves = [pricing_curve(sc, entity) for sc in scenarios]
        with cluster(scheduler, w) if client is None else nullcontext(client) as here:
            results = mc.run(curves, [p.structure for p in points], here, progress)
            ran = where(here)
        inputs = {"paths": mc.settings.paths, "seed": mc.settings.seed, "antithetic": antithetic, **fixed}
    first = results[0]
    return Sweep(first.entity, method, first.currency, axes,
                 tuple(SweepPoint(p.params, res) for p, res in zip(points, results, strict=True)),
                 inputs, dict(first.names), ran)


@dataclass(frozen=True)
class _MonteCarlo:
    """A Monte Carlo sweep's settings, read once: each point's law, term and rate."""

    laws: tuple[tuple[Distribution, float, float], ...]
    settings: P.MonteCarloSettings

    @classmethod
    def read(cls, points: Sequence[Mapping[str, P.Spelled]], paths: P.Spelled | None, seed: P.Spelled | None,
             chunk_size: P.Spelled | None, antithetic: bool) -> _MonteCarlo:
        settings = P.MonteCarloSettings.read(paths, seed, chunk_size, antithetic=antithetic)
        laws = []
        for o in points:
            t, r = P.term(o["term"]), P.rate(o["rate"])
            law = read_law(o["equity_value"], o["volatility"], t, r)
            assert isinstance(law, Distribution)
            check_antithetic(law, antithetic, settings.paths)
            laws.append((law, t, r))
        return cls(tuple(laws), settings)

    def run(self, curves: Sequence[PricingCurve], structures: Sequence[int], client: Client | None,
            progress: Position | None) -> list[ValuationResult]:
        """Every point's valuation: all points' chunks on one cluster, each point's merged in
        block order, then read off as :func:`stakeflow.value` reads one run."""
        mc = self.settings
        runs = [Run(s, law, mc.paths, mc.seed, mc.antithetic)
                for s, (law, _, _) in zip(structures, self.laws, strict=True)]
        moments = simulate_runs([CurveSource(pc.curve) for pc in curves], runs, chunk_size=mc.chunk_size, client=client,
                                progress=counted(progress, mc.paths * len(runs)))
        return [montecarlo_result(curves[s], law, mom, t, r, run_inputs(law, t, r, mc.paths, mc.seed, mc.antithetic))
                for s, (law, t, r), mom in zip(structures, self.laws, moments, strict=True)]


def _opm(scenarios: Sequence[Scenario], entity: str | None, points: Sequence[_Point],
         markets: Sequence[P.MarketInputs], client: Client | None, progress: Position | None) -> list[ValuationResult]:
    by_structure: list[list[int]] = [[] for _ in scenarios]
    for i, p in enumerate(points):
        by_structure[p.structure].append(i)
    results: list[ValuationResult | None] = [None] * len(points)
    advance = counted(progress, len(points))

    def keep(s: int, values: list[ValuationResult]) -> None:
        for i, res in zip(by_structure[s], values, strict=True):
            results[i] = res
        if advance is not None:
            advance(len(values))

    if client is None:
        for s, sc in enumerate(scenarios):
            keep(s, _opm_task(sc, entity, [markets[i] for i in by_structure[s]]))
    else:
        from dask.distributed import as_completed

        with cluster_failures(client):
            futures = {client.submit(_opm_task, sc, entity, [markets[i] for i in by_structure[s]], pure=False): s
                       for s, sc in enumerate(scenarios)}
            for fut in as_completed(list(futures), loop=client.loop):
                keep(futures[fut], fut.result())
                fut.release()
    return [r for r in results if r is not None]


__all__ = ["OPTIONS", "Axis", "Sweep", "SweepPoint", "axis_values", "grid_axes", "parse_grid", "sweep"]
