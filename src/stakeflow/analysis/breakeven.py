"""Break-even: what one would have to believe for a reported stake to be a fair exchange.

A reported stake ``q`` of party ``p`` is fair when ``p`` is worth as much after the change,
holding ``q``, as before. :func:`stakeflow.analysis.solve.solve_field` answers "which stake
would be fair"; this module turns the question round and keeps the stake at ``q``, moving
instead one assumption at a time until ``V_after(p; q) = V_before(p)``. Each lever is a solve on
the same seed and paths (common random numbers), so its answer comes with the paired standard
error of :mod:`stakeflow.analysis.solve`:

- **caps**: every tier cap of BEFORE multiplied by one factor ``k`` (``--scale caps --move
  before``);
- **cap growth**: every tier cap of BEFORE growing at a rate ``g`` a year from a date (SPEC §10
  ``growth``/``from``); solved as a factor on a base rate, ``g = k · g₀``. The caps are taken as
  they stand on the dates the projection distributes on (see docs/restructuring.md, 2.2);
- **value created**: the new structure's revenue, and with it its profits, terminal value and
  revenue-linked contracts, multiplied by ``m`` (``--scale projection.revenue.initial``);
- **one party's caps alone**: the caps of one claimant of BEFORE multiplied by ``k``;
- **static valuation**: the proceeds ``V`` at which BEFORE's waterfall, read once at ``V``,
  gives the party the share ``q`` of ``V``. Exact: on each linear piece ``F(V) = a + bV`` of the
  party's payoff curve the equation ``F(V) = qV`` is ``V = a / (q − b)``; no paths, no error.

A lever with no root in its range is reported with ``bound`` ``lower`` or ``upper`` and the value
reached at that end, never as an answer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from ..payoff import payoff_curve
from ..scenario.fields import raw
from ..scenario.models import Scenario
from ..scenario.numbers import short_amount
from ..valuation.progress import Advance
from .projection import projection_of
from .sensitivity import FairStake
from .solve import CAPS, Bound, SolveResult, cap_paths, solve_scale, with_stake
from .values import COMPARE_PATHS, COMPARE_SEED, JointValues, PathCache

XTOL = 1e-4
Unit = Literal["factor", "rate", "amount"]

BASE_GROWTH = Fraction(20, 100)
"""The cap growth the factor multiplies: the reported clause, 20% a year (secondary reporting)."""


@dataclass(frozen=True)
class Lever:
    """One assumption that can make a stake fair: ``key`` names it in JSON, ``label`` in words."""

    key: str
    label: str
    unit: Unit


@dataclass(frozen=True)
class BreakEven:
    """The value of one lever at which one reported stake is fair, with its standard error.

    ``value`` is the factor (``unit`` ``factor``), the rate a year (``rate``) or the amount
    (``amount``); ``bound`` is ``root`` for an answer, ``lower``/``upper`` when no value in the
    range searched reaches it (``value`` is then the end nearer to it and ``reached`` the party's
    value there), ``none`` when the lever does not apply (no caps to move, say)."""

    target: FairStake
    lever: Lever
    value: float | None
    standard_error: float | None
    bound: Bound | Literal["none"]
    paths: int
    seed: int
    target_value: float | None = None
    reached: float | None = None
    roots: tuple[float, ...] = ()
    result: SolveResult | None = None
    fields: tuple[str, ...] = ()

    @property
    def is_root(self) -> bool:
        return self.bound == "root"

    def text(self) -> str:
        """The answer as a reader sees it: ``×23.9 ± 0.9``, ``31.4% a year ± 0.3%``, ``$344.6B (exact)``,
        or why there is none."""
        if self.bound == "none" or self.value is None:
            return "none in range"
        if self.bound != "root":
            end = "lower" if self.bound == "lower" else "upper"
            return f"none: even at the {end} end ({_number(self.value, self.lever.unit)}) it is not reached"
        se = self.standard_error or 0.0
        if self.lever.unit == "amount":
            return f"{short_amount(self.value, prefix='$', spec=',.1f')} (exact)"
        if self.lever.unit == "rate":
            # Percentage points, to the precision the standard error allows (never "± 0%").
            digits = 0 if se >= 0.005 else 1 if se >= 0.0005 else 2
            return f"{self.value:,.{digits}%} a year ± {se:,.{digits}%}"
        return f"×{_pair(self.value, se)}"

    def to_json(self) -> dict[str, Any]:
        return {"lever": self.lever.key, "label": self.lever.label, "unit": self.lever.unit,
                "value": self.value, "standard_error": self.standard_error, "bound": self.bound,
                "target_value": self.target_value, "reached": self.reached, "roots": list(self.roots),
                "fields": list(self.fields), "paths": self.paths, "seed": self.seed}


@dataclass(frozen=True)
class StakeBreakEven:
    """Every lever for one reported stake."""

    target: FairStake
    levers: list[BreakEven]

    def to_json(self) -> dict[str, Any]:
        return {"label": self.target.title, "party": self.target.party, "basis": self.target.basis,
                "reported_stake": self.target.reported, "field": self.target.field,
                "levers": {b.lever.key: b.to_json() for b in self.levers}}


def _decimals(x: float) -> int:
    """Decimals that show ``x`` to three significant digits (none from 100 up)."""
    return 0 if x == 0 or abs(x) >= 100 else max(0, 2 - math.floor(math.log10(abs(x))))


def _pair(x: float, se: float) -> str:
    """``23.9 ± 0.9``, ``0.156 ± 0.001``, ``809 ± 43``: the error to the value's last digit."""
    d = _decimals(x)
    shown = f"{se:,.{d}f}"
    if se > 0 and float(shown.replace(",", "")) == 0:
        shown = f"{se:.1g}"  # smaller than the value's last digit: one significant digit
    return f"{x:,.{d}f} ± {shown}"


def _number(x: float, unit: Unit) -> str:
    if unit == "amount":
        return short_amount(x, prefix="$", spec=",.1f")
    return f"{x:,.0%} a year" if unit == "rate" else f"×{x:,.{_decimals(x)}f}"


def growing_caps(sc: Scenario, growth: Fraction = BASE_GROWTH, start: dt.date | None = None) -> Scenario:
    """``sc`` with every tier cap given as an amount or a multiple growing at ``growth`` a year
    from ``start`` (default: 1 January of the year of its distribution date); caps that already
    grow, and hurdles, are left as they are."""
    if start is None:
        start = _start(sc)
    tree = raw(sc)
    for ent in tree.get("entities", []):
        for tier in ent.get("distribution") or []:
            caps = tier.get("caps") or {}
            for claimant, cap in list(caps.items()):
                if isinstance(cap, dict):
                    if "hurdle" in cap or "growth" in cap:
                        continue
                    caps[claimant] = {**cap, "growth": growth, "from": start}
                else:
                    caps[claimant] = {"amount": cap, "growth": growth, "from": start}
    return Scenario.model_validate(tree)


def growth_paths(sc: Scenario) -> list[str]:
    """The ``growth`` field of every tier cap that has one."""
    out = []
    for ent in raw(sc).get("entities", []):
        for j, tier in enumerate(ent.get("distribution") or []):
            for claimant, cap in (tier.get("caps") or {}).items():
                if isinstance(cap, dict) and "growth" in cap:
                    out.append(f"entities[{ent['id']}].distribution[{j}].caps.{claimant}.growth")
    return out


def caps_of(sc: Scenario, claimants: Sequence[str]) -> list[str]:
    """The tier caps (see :func:`~stakeflow.analysis.solve.cap_paths`) of the given claimants."""
    return [p for p in cap_paths(sc) if p.split(".caps.")[1].split(".")[0] in claimants]


def static_roots(sc: Scenario, parties: Sequence[str], share: float | Fraction) -> list[Fraction]:
    """Every proceeds ``V > 0`` at which ``parties`` together receive ``share`` of ``V`` from the
    projected entity's waterfall, exactly (see the module)."""
    curve = payoff_curve(sc, projection_of(sc).entity)
    q = Fraction(share) if not isinstance(share, float) else Fraction(share).limit_denominator(10**9)
    pts = curve.breakpoints
    vals = [sum((curve.values[h][k] for h in parties if h in curve.values), Fraction(0)) for k in range(len(pts))]
    slopes = [sum((curve.slopes[h][k] for h in parties if h in curve.slopes), Fraction(0)) for k in range(len(pts))]
    roots: list[Fraction] = []
    for k, (b, v, s) in enumerate(zip(pts, vals, slopes, strict=True)):
        a = v - s * b  # F(V) = a + s·V on [b, next)
        if s == q:
            continue
        root = a / (q - s)
        end = pts[k + 1] if k + 1 < len(pts) else None
        if root > 0 and root >= b and (end is None or root < end) and root not in roots:
            roots.append(root)
    return roots


def levers(before: Scenario, after: Scenario, targets: Sequence[FairStake],
           mapping: Mapping[str, str]) -> list[Lever]:
    """The levers that apply to these structures: caps (if BEFORE has any), their growth, the
    value created (if AFTER's revenue has an initial value), each capped claimant's caps alone
    (for the claimants that have a reported stake after), and the static valuation."""
    out = []
    caps = cap_paths(before)
    if caps:
        out.append(Lever("caps", "Every profit cap before the change × k", "factor"))
        if _date(before) is not None:  # growing caps need a distribution date (SPEC §10)
            out.append(Lever("cap_growth", "Every profit cap before the change growing g a year from "
                             f"{_start(before).year}", "rate"))
    if projection_of(after).revenue.initial is not None:
        out.append(Lever("value", "Value created by the change: the new company's revenue, and with it its "
                         "profits and value at the horizon, × m", "factor"))
    parties = {t.party for t in targets if t.reported is not None}
    capped = dict.fromkeys(p.split(".caps.")[1].split(".")[0] for p in caps)
    for c in capped:
        if mapping.get(c, c) in parties:
            name = before.display_name(c)
            out.append(Lever(f"caps_of:{c}", f"{name}'s profit caps alone × k", "factor"))
    out.append(Lever("static", "The valuation at which the old waterfall, read once, gives the reported stake",
                     "amount"))
    return out


def _date(sc: Scenario) -> dt.date | None:
    """The scenario's distribution date: ``exit.date``, else ``as_of``."""
    return (sc.exit.date if sc.exit is not None else None) or sc.as_of


def _start(sc: Scenario) -> dt.date:
    """1 January of the year of the distribution date: where cap growth starts."""
    when = _date(sc)
    assert when is not None
    return dt.date(when.year, 1, 1)


def breakeven(
    before: Scenario,
    after: Scenario,
    targets: Sequence[FairStake],
    *,
    mapping: Mapping[str, str] | None = None,
    paths: int = COMPARE_PATHS,
    seed: int = COMPARE_SEED,
    cache: PathCache | None = None,
    progress: Advance | None = None,
) -> list[StakeBreakEven]:
    """Every lever for every target with a reported stake (see the module). ``progress(k)`` is
    called after each solve."""
    mapping = dict(mapping or {})
    cache = cache if cache is not None else PathCache()
    # Solves that move the same structure share their evaluations: those moving BEFORE all do;
    # those moving AFTER do when the reported stakes leave AFTER as it is.
    memos: dict[int, dict[tuple[str, float], JointValues]] = {}
    grown = growing_caps(before) if cap_paths(before) and _date(before) is not None else None
    out = []
    fixed_ones = []
    for t in targets:
        if t.reported is None:
            continue
        fixed = with_stake(after, t.field, t.reported)
        fixed_ones.append(fixed)  # keeps the id below unique while the memos live
        found = []
        for lever in levers(before, after, targets, mapping):
            memo = memos.setdefault(id(fixed) if lever.key == "value" else 0, {})
            found.append(_one(lever, t, before, fixed, grown, mapping, paths, seed, cache, memo))
            if progress is not None:
                progress(1)
        out.append(StakeBreakEven(t, found))
    return out


def count(before: Scenario, after: Scenario, targets: Sequence[FairStake], mapping: Mapping[str, str]) -> int:
    """How many solves :func:`breakeven` runs (for a progress bar)."""
    return len(levers(before, after, targets, mapping)) * sum(1 for t in targets if t.reported is not None)


def _one(lever: Lever, t: FairStake, before: Scenario, after: Scenario, grown: Scenario | None,
         mapping: Mapping[str, str], paths: int, seed: int, cache: PathCache,
         memo: dict[tuple[str, float], JointValues]) -> BreakEven:
    if lever.key == "static":
        olds = [q for q in [*before.holder_ids, *before.entity_ids] if mapping.get(q, q) == t.party]
        assert t.reported is not None
        roots = static_roots(before, olds, t.reported)
        if not roots:
            return BreakEven(t, lever, None, None, "none", 0, seed)
        return BreakEven(t, lever, float(roots[-1]), 0.0, "root", 0, seed, roots=tuple(float(r) for r in roots))
    # Brent's method to 1e-4 of the factor: far inside the answer's Monte Carlo error.
    common: dict[str, Any] = {"mapping": mapping, "basis": t.basis, "paths": paths, "seed": seed, "cache": cache,
                              "memo": memo, "xtol": XTOL}
    if lever.key == "caps":
        res = solve_scale(after, CAPS, t.party, before=before, move="before", **common)
    elif lever.key == "cap_growth":
        assert grown is not None
        res = solve_scale(after, growth_paths(grown), t.party, before=grown, move="before", **common)
    elif lever.key == "value":
        res = solve_scale(after, ["projection.revenue.initial"], t.party, before=before, move="after", **common)
    else:
        claimant = lever.key.split(":", 1)[1]
        res = solve_scale(after, caps_of(before, [claimant]), t.party, before=before, move="before", **common)
    k, se = res.value, res.standard_error
    if lever.key == "cap_growth":
        k, se = k * float(BASE_GROWTH), se * float(BASE_GROWTH)
    return BreakEven(t, lever, k, se, res.bound, paths, seed, res.target, res.achieved, (), res, res.scale or ())


__all__ = ["BASE_GROWTH", "BreakEven", "Lever", "StakeBreakEven", "breakeven", "caps_of", "count", "growing_caps",
           "growth_paths", "levers", "static_roots"]
