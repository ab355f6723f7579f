"""Payoff curves (SPEC §5): every recipient's payout as an exact piecewise-linear function of an
entity's proceeds, compiled once from the exact engine and evaluated on arrays at memory speed."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from ..engine import EquityFlow, at_date, exit_amount, reachable, resolve_entity, waterfall
from ..engine.instruments import accrual_date
from ..scenario.models import Scenario
from . import _messages as M
from .bound import upper_bound
from .kinks import KinkSearchError, Sampler, Vector, find_kinks, restrict

if TYPE_CHECKING:
    import pandas as pd


def _tables(points: list[Fraction], values: dict[str, list[Fraction]], slopes: dict[str, list[Fraction]],
            order: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    b = np.array([float(p) for p in points], dtype=np.float64)
    v = np.array([[float(values[h][k]) for h in order] for k in range(len(points))], dtype=np.float64)
    s = np.array([[float(slopes[h][k]) for h in order] for k in range(len(points))], dtype=np.float64)
    return b, v.reshape(len(points), len(order)), s.reshape(len(points), len(order))


def _at(points: list[Fraction], values: list[Fraction], slopes: list[Fraction], x: Fraction) -> Fraction:
    k = bisect_right(points, x) - 1
    return values[k] + slopes[k] * (x - points[k])


@dataclass(frozen=True, eq=False)
class PayoffCurve:
    """Each ultimate recipient's payout (and each class's total) as a function of proceeds ``V``.

    Between consecutive breakpoints ``b_k ≤ V ≤ b_{k+1}`` a holder receives
    ``values[h][k] + slopes[h][k]·(V − b_k)``; beyond the last breakpoint its slope is
    ``slopes[h][-1]``. Breakpoints are exact and complete (SPEC §5): every holder is linear
    between two of them. Class totals have their own breakpoints (``class_breakpoints``),
    since a class can kink where no holder does (a holder of two classes, say).
    """

    entity: str
    currency: str
    holders: list[str]
    breakpoints: list[Fraction]
    values: dict[str, list[Fraction]]
    slopes: dict[str, list[Fraction]]
    classes: list[str]
    class_shares: dict[str, Fraction]
    class_breakpoints: list[Fraction]
    class_values: dict[str, list[Fraction]]
    class_slopes: dict[str, list[Fraction]]
    names: dict[str, str] = field(default_factory=dict)
    search_bound: Fraction = Fraction(0)
    evaluations: int = 0
    _holder_tables: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False)
    _class_tables: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_holder_tables",
                           _tables(self.breakpoints, self.values, self.slopes, self.holders))
        object.__setattr__(self, "_class_tables",
                           _tables(self.class_breakpoints, self.class_values, self.class_slopes, self.classes))

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


def payoff_curve(sc: Scenario, entity: str | None = None, date: Any = None) -> PayoffCurve:
    """Compile ``entity``'s payoff curve (default: the scenario's exit entity or single root).

    The breakpoints come from the exact engine alone: the search of :mod:`stakeflow.payoff.kinks`
    runs over ``V ↦ (each ultimate recipient's payout, each class's total)`` up to the bound of
    :mod:`stakeflow.payoff.bound`, beyond which every payout is linear. ``date`` is the
    distribution date (SPEC §10; default ``exit.date``, else ``as_of``).
    """
    sc = at_date(sc, date)
    root = resolve_entity(sc, entity)
    order, _ = reachable(sc, root)
    first = waterfall(sc, Fraction(0), root.id, explain=False)
    holders = list(first.holders)
    classes = [c.id for c in root.classes or ()] if root.is_equity else []

    def engine(v: Fraction) -> Vector:
        res = waterfall(sc, v, root.id, explain=False)
        flow = res.entities[root.id]
        cls = flow.classes if isinstance(flow, EquityFlow) else {}
        return (*(res.holders[h] for h in holders), *(cls[c] for c in classes))

    f = Sampler(engine)

    def proceeds(v: Fraction) -> dict[str, Fraction]:
        res = waterfall(sc, v, root.id, explain=False)
        return {k: flow.proceeds for k, flow in res.entities.items()}

    u = upper_bound(order, proceeds, accrual_date(sc))
    f_u, f_2u, f_3u = f(u), f(2 * u), f(3 * u)
    after = tuple((b - a) / u for a, b in zip(f_u, f_2u, strict=True))
    if any(c != b + s * u for b, c, s in zip(f_2u, f_3u, after, strict=True)):
        raise KinkSearchError(M.NOT_LINEAR_BEYOND.format(entity=root.id, bound=float(u)))
    start, kinks = find_kinks(f, u, after)

    def curve_of(cols: list[int], ids: list[str]) -> tuple[list[Fraction], dict[str, list[Fraction]],
                                                            dict[str, list[Fraction]]]:
        points, slopes = restrict(kinks, start, cols)
        vals = [f(p) for p in points]
        return (points,
                {i: [fx[c] for fx in vals] for i, c in zip(ids, cols, strict=True)},
                {i: [s[j] for s in slopes] for j, i in enumerate(ids)})

    nh = len(holders)
    bp, hv, hs = curve_of(list(range(nh)), holders)
    cbp, cv, cs = curve_of(list(range(nh, nh + len(classes))), classes)
    return PayoffCurve(
        entity=root.id,
        currency=sc.currency,
        holders=holders,
        breakpoints=bp,
        values=hv,
        slopes=hs,
        classes=classes,
        class_shares={c: root.class_shares(c) for c in classes},
        class_breakpoints=cbp,
        class_values=cv,
        class_slopes=cs,
        names={k: sc.display_name(k) for k in [*holders, *classes]},
        search_bound=u,
        evaluations=f.calls,
    )
