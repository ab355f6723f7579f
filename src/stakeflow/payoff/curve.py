"""Payoff curves (SPEC §5): every recipient's payout as an exact piecewise-linear function of an
entity's proceeds, compiled once from the exact engine and evaluated on arrays at memory speed."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from ..engine import at_date, exit_amount, reachable, reference_waterfall, resolve_entity
from ..engine.compiled import CompiledEntity, compiled
from ..engine.instruments import accrual_date
from ..scenario.models import Entity, Scenario
from ..scenario.numbers import DateSpelled
from . import _messages as M
from .bound import entity_bound
from .kinks import KinkSearchError

if TYPE_CHECKING:
    import pandas as pd


PartMap = dict[str, tuple[tuple[int, Fraction], ...]]
Tables = tuple[np.ndarray, np.ndarray, np.ndarray]


def _at(points: list[Fraction], values: list[Fraction], slopes: list[Fraction], x: Fraction) -> Fraction:
    k = bisect_right(points, x) - 1
    return values[k] + slopes[k] * (x - points[k])


def _kept(slopes: Sequence[tuple[Fraction, ...]], float_slopes: np.ndarray, mapping: PartMap,
          order: list[str]) -> list[int]:
    """The grid points (indices) at which some column's slope changes, the first always; a
    column is a sparse combination of parts (``mapping``).

    Exact: a float change well above rounding (a relative 1e-9) proves an exact one; where no
    column shows one, the parts that changed are summed exactly for the columns that hold them.
    """
    n = len(slopes)
    if n <= 1:
        return [0]
    m = _matrix(mapping, order, len(slopes[0]))
    cols = float_slopes @ m
    diff = np.abs(np.diff(cols, axis=0))
    scale = np.abs(cols[1:]) + np.abs(cols[:-1])
    sure = (diff > 1e-9 * scale).any(axis=1)
    users: dict[int, list[str]] = {}
    for k, parts in mapping.items():
        for i, _ in parts:
            users.setdefault(i, []).append(k)
    keep = [0]
    for j in range(1, n):
        if sure[j - 1]:
            keep.append(j)
            continue
        prev, cur = slopes[j - 1], slopes[j]
        changed = [i for i in range(len(cur)) if cur[i] != prev[i]]
        touched = {k for i in changed for k in users.get(i, ())}
        if any(sum((f * (cur[i] - prev[i]) for i, f in mapping[k]), Fraction(0)) != 0 for k in touched):
            keep.append(j)
    return keep


def _matrix(mapping: PartMap, order: list[str], nparts: int) -> np.ndarray:
    """The sparse map from parts to columns as a dense float matrix (parts × columns)."""
    m = np.zeros((nparts, len(order)), dtype=np.float64)
    for j, k in enumerate(order):
        for i, f in mapping[k]:
            m[i, j] += float(f)
    return m


class PayoffCurve:
    """Each ultimate recipient's payout (and each class's total) as a function of proceeds ``V``.

    Between consecutive breakpoints ``b_k ≤ V ≤ b_{k+1}`` a holder receives
    ``values[h][k] + slopes[h][k]·(V − b_k)``; beyond the last breakpoint its slope is
    ``slopes[h][-1]``. Breakpoints are exact and complete (SPEC §5): every holder is linear
    between two of them. Class totals have their own breakpoints (``class_breakpoints``),
    since a class can kink where no holder does (a holder of two classes, say).

    Built from *parts* (every class of every entity, every claimant's share of every tier) on a
    common grid of the root's proceeds, and a sparse map from parts to holders: a holder's exact
    values are worked out when first asked for, and the float tables of :meth:`evaluate` by one
    matrix product, so a thousand holders cost little more than ten.
    """

    def __init__(self, *, entity: str, currency: str, holders: list[str], classes: list[str],
                 class_shares: dict[str, Fraction], names: dict[str, str], grid: list[Fraction],
                 part_values: list[tuple[Fraction, ...]], part_slopes: list[tuple[Fraction, ...]],
                 holder_map: dict[str, tuple[tuple[int, Fraction], ...]], class_cols: list[int],
                 evaluations: int = 0, part_floats: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.entity = entity
        self.currency = currency
        self.holders = holders
        self.classes = classes
        self.class_shares = class_shares
        self.names = names
        self.evaluations = evaluations
        self._grid = grid
        self._pv = part_values
        self._ps = part_slopes
        self._given_floats = part_floats
        self._holder_map = holder_map
        self._class_map: PartMap = {c: ((col, Fraction(1)),) for c, col in zip(classes, class_cols, strict=True)}

    from_parts = classmethod(lambda cls, **kw: cls(**kw))

    @property
    def search_bound(self) -> Fraction:
        """Proceeds beyond which every payout is linear: the last breakpoint."""
        return self._grid[-1]

    def _columns(self, kept: list[int], mapping: dict[str, tuple[tuple[int, Fraction], ...]]
                 ) -> tuple[list[Fraction], dict[str, list[Fraction]], dict[str, list[Fraction]]]:
        points = [self._grid[j] for j in kept]
        values = {k: [sum((f * self._pv[j][i] for i, f in m), Fraction(0)) for j in kept] for k, m in mapping.items()}
        slopes = {k: [sum((f * self._ps[j][i] for i, f in m), Fraction(0)) for j in kept] for k, m in mapping.items()}
        return points, values, slopes

    @cached_property
    def _part_floats(self) -> tuple[np.ndarray, np.ndarray]:
        if self._given_floats is not None:
            return self._given_floats
        nparts = len(self._pv[0]) if self._pv else 0
        pv = np.array([[float(x) for x in row] for row in self._pv], dtype=np.float64).reshape(-1, nparts)
        ps = np.array([[float(x) for x in row] for row in self._ps], dtype=np.float64).reshape(-1, nparts)
        return pv, ps

    @cached_property
    def _holder_kept(self) -> list[int]:
        return _kept(self._ps, self._part_floats[1], self._holder_map, self.holders)

    @cached_property
    def _class_kept(self) -> list[int]:
        return _kept(self._ps, self._part_floats[1], self._class_map, self.classes)

    @cached_property
    def breakpoints(self) -> list[Fraction]:
        return [self._grid[j] for j in self._holder_kept]

    @cached_property
    def _holder_exact(self) -> tuple[dict[str, list[Fraction]], dict[str, list[Fraction]]]:
        _, v, s = self._columns(self._holder_kept, self._holder_map)
        return v, s

    @property
    def values(self) -> dict[str, list[Fraction]]:
        return self._holder_exact[0]

    @property
    def slopes(self) -> dict[str, list[Fraction]]:
        return self._holder_exact[1]

    @cached_property
    def _class_exact(self) -> tuple[list[Fraction], dict[str, list[Fraction]], dict[str, list[Fraction]]]:
        return self._columns(self._class_kept, self._class_map)

    @property
    def class_breakpoints(self) -> list[Fraction]:
        return self._class_exact[0]

    @property
    def class_values(self) -> dict[str, list[Fraction]]:
        return self._class_exact[1]

    @property
    def class_slopes(self) -> dict[str, list[Fraction]]:
        return self._class_exact[2]

    def _float_tables(self, kept: list[int], order: list[str], mapping: PartMap) -> Tables:
        pv, ps = self._part_floats
        m = _matrix(mapping, order, pv.shape[1])
        b = np.array([float(self._grid[j]) for j in kept], dtype=np.float64)
        return b, np.ascontiguousarray(pv[kept] @ m), np.ascontiguousarray(ps[kept] @ m)

    @cached_property
    def _holder_tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self._float_tables(self._holder_kept, self.holders, self._holder_map)

    @cached_property
    def _class_tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self._float_tables(self._class_kept, self.classes, self._class_map)

    # --- exact ------------------------------------------------------------------------------
    @property
    def slope_after(self) -> dict[str, Fraction]:
        """Each holder's slope beyond the last breakpoint."""
        return {h: self.slopes[h][-1] for h in self.holders}

    def value_at(self, x: Any) -> dict[str, Fraction]:
        """Each holder's exact payout at proceeds ``x`` (any spelling of SPEC §1), read off the curve."""
        v = exit_amount(x)
        return {h: _at(self.breakpoints, self.values[h], self.slopes[h], v) for h in self.holders}

    def class_value_at(self, x: Any) -> dict[str, Fraction]:
        """Each class's exact total payout at proceeds ``x``, read off the curve."""
        v = exit_amount(x)
        return {c: _at(self.class_breakpoints, self.class_values[c], self.class_slopes[c], v) for c in self.classes}

    # --- fast -------------------------------------------------------------------------------
    def _run(self, values: Any, tables: tuple[np.ndarray, np.ndarray, np.ndarray],
             out: np.ndarray | None) -> np.ndarray:
        from ._kernel import piecewise

        x = np.ascontiguousarray(values, dtype=np.float64)
        if x.ndim != 1:
            raise ValueError(M.NOT_ONE_DIMENSIONAL.format(entity=self.entity, shape=x.shape))
        b, v, s = tables
        shape = (x.shape[0], v.shape[1])
        if out is None:
            out = np.empty(shape, dtype=np.float64)
        elif out.shape != shape or out.dtype != np.float64 or not out.flags.c_contiguous:
            raise ValueError(M.BAD_OUT.format(entity=self.entity, shape=shape))
        negative = piecewise(x, b, v, s, out)
        if negative:
            raise ValueError(M.NEGATIVE_PROCEEDS.format(entity=self.entity, count=negative))
        return out

    def evaluate(self, values: Any, out: np.ndarray | None = None) -> np.ndarray:
        """Payouts for an ``(N,)`` array of proceeds: an ``(N, H)`` float64 array, columns in the
        order of ``holders``. ``out`` may be a preallocated C-contiguous ``(N, H)`` float64 array."""
        return self._run(values, self._holder_tables, out)

    def evaluate_classes(self, values: Any, out: np.ndarray | None = None) -> np.ndarray:
        """Class totals for an ``(N,)`` array of proceeds: ``(N, C)``, columns in the order of ``classes``."""
        return self._run(values, self._class_tables, out)

    # --- output -----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The JSON document of SPEC §7 (``stakeflow breakpoints --json``)."""
        return {
            "entity": self.entity,
            "breakpoints": [float(b) for b in self.breakpoints],
            "holders": {
                h: {"values": [float(v) for v in self.values[h]], "slope_after": float(self.slopes[h][-1])}
                for h in self.holders
            },
        }

    def tranches(self) -> list[tuple[Fraction, Fraction | None, dict[str, Fraction]]]:
        """Tranches between breakpoints: ``(from, to, share of each holder)`` (``to`` is None for
        the last, open-ended tranche); a holder's share of a tranche is its slope there."""
        ends: list[Fraction | None] = [*self.breakpoints[1:], None]
        return [
            (self.breakpoints[k], ends[k], {h: self.slopes[h][k] for h in self.holders})
            for k in range(len(self.breakpoints))
        ]

    def to_frame(self) -> pd.DataFrame:
        """One row per tranche: ``from``, ``to`` (``inf`` for the last) and each holder's share of
        every marginal dollar in the tranche, the layout of an OPM breakpoint analysis."""
        import pandas as pd

        rows = []
        for lo, hi, shares in self.tranches():
            row: dict[str, float] = {"from": float(lo), "to": float(hi) if hi is not None else float("inf")}
            row.update({h: float(s) for h, s in shares.items()})
            rows.append(row)
        frame = pd.DataFrame(rows, columns=["from", "to", *self.holders])
        frame.index.name = "tranche"
        return frame

    def _repr_html_(self) -> str:
        fmt: dict[Any, str | Callable[[object], str] | None] = {"from": "{:,.2f}", "to": "{:,.2f}"}
        fmt.update({h: "{:.2%}" for h in self.holders})
        caption = f"{self.entity}: share of each tranche of proceeds ({self.currency})"
        return str(self.to_frame().style.format(fmt).set_caption(caption).to_html())


def _compose(points: list[Fraction], values: list[Fraction], slopes: list[Fraction],
             ce: CompiledEntity) -> tuple[list[Fraction], list[tuple[Fraction, ...]], list[tuple[Fraction, ...]]]:
    """An entity's parts as functions of the root's proceeds, its own proceeds being the
    piecewise-linear ``p`` given by ``points``, ``values`` and ``slopes`` (non-decreasing): the
    entity's piece starts pulled back through ``p`` join ``p``'s own breakpoints."""
    grid: list[Fraction] = []
    for j, (x0, p0, r) in enumerate(zip(points, values, slopes, strict=True)):
        grid.append(x0)
        if r > 0:
            x1 = points[j + 1] if j + 1 < len(points) else None
            p1 = None if x1 is None else p0 + r * (x1 - x0)
            for s in ce.starts:
                if s > p0 and (p1 is None or s < p1):
                    grid.append(x0 + (s - p0) / r)
    vals: list[tuple[Fraction, ...]] = []
    slps: list[tuple[Fraction, ...]] = []
    for x in grid:
        j = bisect_right(points, x) - 1
        r = slopes[j]
        px = values[j] + r * (x - points[j])
        k = ce.piece(px)
        vals.append(ce.at(px))
        slps.append(ce.slopes[k] if r == 1 else tuple(s * r for s in ce.slopes[k]))
    return grid, vals, slps


def _resample(grid: list[Fraction], points: list[Fraction], vals: list[tuple[Fraction, ...]],
              slps: list[tuple[Fraction, ...]]) -> tuple[list[tuple[Fraction, ...]], list[tuple[Fraction, ...]]]:
    """The same piecewise-linear columns on ``grid``, a refinement of ``points``."""
    if grid == points:
        return vals, slps
    out_v, out_s = [], []
    for x in grid:
        j = bisect_right(points, x) - 1
        d = x - points[j]
        out_v.append(tuple(v + s * d for v, s in zip(vals[j], slps[j], strict=True)))
        out_s.append(slps[j])
    return out_v, out_s


def payoff_curve(sc: Scenario, entity: str | None = None, date: DateSpelled | None = None) -> PayoffCurve:
    """Compile ``entity``'s payoff curve (default: the scenario's exit entity or single root).

    One sweep per entity (:mod:`stakeflow.engine.regimes` for equity, the tier walk for tier
    programs), reused from the scenario's compiled regimes; look-through composes them: an
    entity's proceeds are a piecewise-linear function of the root's, and its own breakpoints
    are pulled back through it. Holders come last, through a sparse map from parts (classes,
    tier shares) to the ultimate recipients. ``date`` is the distribution date (SPEC §10;
    default ``exit.date``, else ``as_of``).
    """
    dated = at_date(sc, date)
    root = resolve_entity(dated, entity)
    order, terminals = reachable(dated, root)
    as_of = accrual_date(dated)
    comp: dict[str, CompiledEntity] = {}
    for ent in order:
        ce = compiled(sc, ent, as_of)
        if ce is None:
            # Terms with no curve (proceeds some amount could not absorb): the plain engine
            # raises its located error.
            reference_waterfall(dated, _beyond(ent, as_of), ent.id, explain=False)
            raise KinkSearchError(M.UNSETTLED)
        comp[ent.id] = ce
    if len(order) == 1 and order[0].id == root.id and root.is_equity:
        # One equity entity: its pieces are the curve's grid as they are; exact rows are worked
        # out when first read, the float tables come from the pieces directly.
        return _single(sc, root, comp[root.id], terminals)
    # Each entity's proceeds as a scalar piecewise-linear function of the root's.
    inflow: dict[str, list[tuple[list[Fraction], list[Fraction], list[Fraction]]]] = {e.id: [] for e in order}
    inflow[root.id].append(([Fraction(0)], [Fraction(0)], [Fraction(1)]))
    grids: dict[str, list[Fraction]] = {}
    part_vals: dict[str, list[tuple[Fraction, ...]]] = {}
    part_slps: dict[str, list[tuple[Fraction, ...]]] = {}
    for ent in order:
        pts, vs, ss = _sum_scalars(inflow[ent.id])
        ce = comp[ent.id]
        grid, vals, slps = _compose(pts, vs, ss, ce)
        grids[ent.id], part_vals[ent.id], part_slps[ent.id] = grid, vals, slps
        for claimant, _, col, share in ce.payees:
            if claimant in inflow:
                inflow[claimant].append((grid, [v[col] * share for v in vals], [s[col] * share for s in slps]))
    grid = sorted({x for g in grids.values() for x in g})
    columns: list[tuple[str, int]] = []
    values_rows: list[list[Fraction]] = [[] for _ in grid]
    slope_rows: list[list[Fraction]] = [[] for _ in grid]
    for ent in order:
        vals, slps = _resample(grid, grids[ent.id], part_vals[ent.id], part_slps[ent.id])
        columns += [(ent.id, j) for j in range(len(comp[ent.id].parts))]
        for i in range(len(grid)):
            values_rows[i].extend(vals[i])
            slope_rows[i].extend(slps[i])
    col_of = {c: i for i, c in enumerate(columns)}
    holder_map: dict[str, list[tuple[int, Fraction]]] = {t: [] for t in terminals}
    for ent in order:
        for claimant, _, col, share in comp[ent.id].payees:
            if claimant in holder_map:
                holder_map[claimant].append((col_of[(ent.id, col)], share))
    classes = [str(cid) for cid, _ in comp[root.id].parts] if root.is_equity else []
    return _curve(sc, root, terminals, holder_map, classes, [col_of[(root.id, j)] for j in range(len(classes))],
                  grid=grid, part_values=[tuple(r) for r in values_rows], part_slopes=[tuple(r) for r in slope_rows],
                  evaluations=sum(len(ce.starts) for ce in comp.values()))


def _single(sc: Scenario, root: Entity, ce: CompiledEntity, terminals: list[str]) -> PayoffCurve:
    holder_map: dict[str, list[tuple[int, Fraction]]] = {t: [] for t in terminals}
    for claimant, _, col, share in ce.payees:
        if claimant in holder_map:
            holder_map[claimant].append((col, share))
    classes = [str(cid) for cid, _ in ce.parts]
    return _curve(sc, root, terminals, holder_map, classes, list(range(len(classes))), grid=list(ce.starts),
                  part_values=ce.values, part_slopes=ce.slopes, evaluations=len(ce.starts),
                  part_floats=ce.float_rows())


def _curve(sc: Scenario, root: Entity, terminals: list[str], holder_map: dict[str, list[tuple[int, Fraction]]],
           classes: list[str], class_cols: list[int], **parts: Any) -> PayoffCurve:
    """The curve of ``root`` from its parts: holders and classes named as the file names them."""
    holders = list(terminals)
    named = {e.id: e.name or e.id for e in sc.entities} | {h.id: h.name or h.id for h in sc.holders}
    return PayoffCurve.from_parts(
        entity=root.id,
        currency=sc.currency,
        holders=holders,
        classes=classes,
        class_shares={c: root.class_shares(c) for c in classes},
        names={k: named.get(k, k) for k in [*holders, *classes]},
        holder_map={h: tuple(m) for h, m in holder_map.items()},
        class_cols=class_cols,
        **parts,
    )


def _sum_scalars(fns: list[tuple[list[Fraction], list[Fraction], list[Fraction]]]
                 ) -> tuple[list[Fraction], list[Fraction], list[Fraction]]:
    """The sum of scalar piecewise-linear functions of the root's proceeds."""
    if len(fns) == 1:
        return fns[0]
    if not fns:
        return [Fraction(0)], [Fraction(0)], [Fraction(0)]
    pts = sorted({x for f in fns for x in f[0]})
    vals, slps = [], []
    for x in pts:
        v = s = Fraction(0)
        for fp, fv, fs in fns:
            j = bisect_right(fp, x) - 1
            v += fv[j] + fs[j] * (x - fp[j])
            s += fs[j]
        vals.append(v)
        slps.append(s)
    return pts, vals, slps


def _beyond(ent: Entity, as_of: dt.date | None) -> Fraction:
    """An amount past everything the entity's terms can absorb."""
    return 2 * entity_bound(ent, as_of) + 1
