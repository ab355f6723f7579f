"""Solve for a fair term: the value of a field at which a party is as well off as in the other structure.

With ``u`` what moves (a field: a holding's shares, a cap, a rate; or a factor ``k`` on several
fields at once), ``V(u)`` the party's value in the moved structure and ``V*`` its value in the
other one (or a given amount), the fair term is the root of ``g(u) = V(u) − V*``. Every
evaluation of ``V`` uses the same seed and paths (common random numbers), so ``g`` is a
deterministic, piecewise-smooth function.

The root is bracketed in both directions from the field's current value ``u₀``: the points
``u₀ ± s·2^k`` (k = 0, 1, …), clipped to the field's valid range (amounts ≥ 0, rates and
probabilities in [0, 1], growth above −100%, a margin at most 100%, a stake in [0, 1)), are
tried on whichever side is closer to the target, until ``g`` changes sign; ``s`` is an eighth
of the range when it is bounded, else half of ``|u₀|`` (1 when ``u₀ = 0``). Brent's method
(``scipy.optimize.brentq``) then finds the root inside the bracket. So the answer does not
depend on whether the party's value rises or falls with the field. When ``g`` keeps one sign
over the whole range searched there is no root: the solve either raises an
:class:`~stakeflow.scenario.errors.InputError` naming the target, the range and the values
reached at its ends (``no_root="error"``), or returns the end nearer the target with ``bound``
saying so (``no_root="bound"``, the default of the library). Where the value jumps across the
target (at an event's threshold, say) Brent's method closes in on the jump, not on a root; that
too is an error, in both modes.

The root's standard error is the paired standard error of ``V(u*) − V*`` divided by
``|g'(u*)|`` (a forward difference).

When the field is a holding's share count the search runs over the holding's stake: its
as-converted shares over all as-converted shares of stock (common and preferred; options and
warrants are not outstanding shares), the other holdings unchanged, and the result gives the
stake too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, get_args

from scipy.optimize import brentq

from ..scenario.errors import InputError, ScenarioError
from ..scenario.fields import Field as ScenarioField
from ..scenario.fields import FieldPathError, is_number, kind_of, locate, raw, replace, replace_all
from ..scenario.models import Scenario
from ..scenario.numbers import short_amount
from ..valuation.errors import ParameterError
from . import _restructuring_messages as M
from .values import COMPARE_PATHS, COMPARE_SEED, JointValues, PathCache, joint_values

Basis = Literal["total", "structure"]
Bound = Literal["root", "lower", "upper"]
Move = Literal["after", "before"]
NoRoot = Literal["bound", "error"]
Search = Literal["field", "stake", "factor"]


def check_basis(basis: str) -> Basis:
    """``basis`` as a :data:`Basis`: total (everything the party receives) or structure."""
    if basis not in get_args(Basis):
        raise ParameterError(M.BASIS, basis=M.BASIS_PARAM, value=basis)
    return basis  # type: ignore[return-value]


def check_move(move: str, before: Scenario | None) -> None:
    """``move`` is a :data:`Move`, and ``"before"`` only with a structure ``before`` to move."""
    if move not in get_args(Move):
        raise ParameterError(M.MOVE, move=M.MOVE_PARAM, value=move)
    if move == "before" and before is None:
        raise ParameterError(M.MOVE_NEEDS_BEFORE, move=M.MOVE_PARAM, before=M.BEFORE_STRUCTURE)


CAPS = "caps"
"""``solve_scale``'s name for every tier cap of the moved structure (see :func:`cap_paths`)."""

_TOP_STAKE = 1.0 - 1e-9  # a stake of 100% would need infinitely many shares
_OPEN = 1e-9  # how close to an open end of a range (growth > −100%) the search goes
_STEPS = 60  # geometric steps on each side: 2^60 times the first step


@dataclass(frozen=True)
class SolveResult:
    """The fair value of ``field`` for ``party``; ``bound`` says whether it is a root or an edge.

    ``bound == "root"``: the party's value at ``value`` equals the target (``achieved``, within
    the Monte Carlo error of the paired difference). ``"lower"`` / ``"upper"``: no value of the
    field in the range searched (``searched``, with the party's values at its ends in
    ``values_at_ends``) reaches the target, and ``value`` is the end of that range nearer to it;
    ``achieved`` is then the value reached there, **not** the target. For a holding's shares,
    ``"lower"`` means the party is better off even with a stake of nothing, and
    ``implied_stake`` says how far below zero the stake would have to go (its other receipts'
    excess as a share of the company). For a root, ``implied_stake`` is the stake.

    ``search`` is what moved: ``"field"`` (``searched`` in the field's units), ``"stake"``
    (``searched`` as stakes) or ``"factor"`` (``value`` is the factor k on the fields of
    ``scale``, ``searched`` in k). ``move`` says which structure's field moved.
    """

    field: str
    party: str
    basis: Basis
    value: float
    standard_error: float
    start: float
    target: float
    target_se: float
    achieved: float
    difference_se: float
    bound: Bound
    stake: float | None
    stake_se: float | None
    start_stake: float | None
    evaluations: int
    paths: int
    seed: int
    implied_stake: float | None = None
    move: Move = "after"
    scale: tuple[str, ...] | None = None
    search: Search = "field"
    searched: tuple[float, float] = (0.0, 0.0)
    values_at_ends: tuple[float, float] = (0.0, 0.0)

    @property
    def is_root(self) -> bool:
        """Whether ``value`` makes the party whole (rather than being an end of the range)."""
        return self.bound == "root"

    @property
    def measure(self) -> float:
        """The number to chart: the implied stake (negative when none is needed), the stake, or
        the field's value."""
        if self.implied_stake is not None:
            return self.implied_stake
        return self.stake if self.stake is not None else self.value

    def stake_text(self) -> str:
        """The fair stake in words, as the terminal and the notebook show it: ``27.14% ± 0.35%``,
        ``0% (none needed; implied 3.10%)``, ``not reachable``, or the field's value when the
        field is not a holding."""
        if self.stake is None:
            return f"{self.value:,.6g} ± {self.standard_error:,.3g}"
        if self.bound == "lower":
            extra = f"; implied {self.implied_stake:.2%}" if self.implied_stake is not None else ""
            return f"0% (none needed{extra})"
        if self.bound == "upper":
            return "not reachable"
        return f"{self.stake:.2%} ± {(self.stake_se or 0):.2%}"

    def to_json(self) -> dict[str, Any]:
        """One JSON object; a standard error that cannot be estimated (the party's value does not
        move with the field) is null."""
        doc = self._fields()
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in doc.items()}

    def _fields(self) -> dict[str, Any]:
        return {
            "field": self.field, "party": self.party, "basis": self.basis, "move": self.move,
            "scale": list(self.scale) if self.scale is not None else None,
            "value": self.value, "standard_error": self.standard_error,
            "start": self.start, "target": self.target, "target_standard_error": self.target_se,
            "achieved": self.achieved, "difference_standard_error": self.difference_se,
            "bound": self.bound, "stake": self.stake, "stake_standard_error": self.stake_se,
            "start_stake": self.start_stake, "implied_stake": self.implied_stake, "evaluations": self.evaluations,
            "search": self.search, "searched": list(self.searched), "values_at_ends": list(self.values_at_ends),
            "paths": self.paths, "seed": self.seed,
        }


def holding_stake(sc: Scenario, field: str) -> float | None:
    """The stake of the holding that ``field`` names (``...holdings[...].shares``), else None."""
    try:
        f = locate(sc, field)
    except FieldPathError:
        return None
    loc = f.loc
    if len(loc) != 5 or loc[0] != "entities" or loc[2] != "holdings" or loc[4] != "shares":
        return None
    assert isinstance(loc[1], int) and isinstance(loc[3], int)
    ent = sc.entities[loc[1]]
    holding = (ent.holdings or ())[loc[3]]
    kinds = {c.id: c for c in ent.classes or ()}
    own = kinds[holding.class_]
    if not own.is_stock:
        return None
    total = sum((kinds[h.class_].capitalization_shares(h.shares) for h in ent.holdings or ()
                 if kinds[h.class_].is_stock), Fraction(0))
    return float(own.capitalization_shares(holding.shares) / total) if total else None


def _stake_to_shares(sc: Scenario, field: str) -> Callable[[float], float] | None:
    """For a stock holding's share count: the share count that gives the stake ``q``, the other
    holdings fixed (``x = q/(1 − q) · others / conversion_ratio``); else None."""
    if holding_stake(sc, field) is None:
        return None
    loc = locate(sc, field).loc
    assert isinstance(loc[1], int) and isinstance(loc[3], int)
    ent = sc.entities[loc[1]]
    kinds = {c.id: c for c in ent.classes or ()}
    holdings = ent.holdings or ()
    own = holdings[loc[3]]
    others = float(sum((kinds[h.class_].capitalization_shares(h.shares) for i, h in enumerate(holdings)
                        if i != loc[3] and kinds[h.class_].is_stock), Fraction(0)))
    ratio = float(kinds[own.class_].capitalization_shares(Fraction(1)))
    if others <= 0:
        return None
    return lambda q: q / (1.0 - q) * others / ratio


def with_stake(sc: Scenario, field: str, stake: float) -> Scenario:
    """A copy of ``sc`` in which the stock holding ``field`` names has ``stake`` of the
    as-converted shares, the other holdings unchanged (``sc`` itself when it has it already)."""
    to_shares = _stake_to_shares(sc, field)
    if to_shares is None:
        raise InputError(M.NOT_A_STAKE.format(path=field))
    if holding_stake(sc, field) == stake:
        return sc
    return replace(sc, field, _exact(to_shares(stake)))


def field_range(loc: tuple[str | int, ...]) -> tuple[float, float]:
    """The values a number at ``loc`` (a field's position, see :func:`~stakeflow.scenario.fields.locate`)
    may take: a contract's ``rate`` and ``payee_margin``, an event's ``annual_probability`` and
    a catch-up's ``share`` lie in [0, 1] (the catch-up's strictly inside); revenue growth is
    above −100%; a margin is at most 100% and may be negative; everything else (amounts, share
    counts, weights, multiples, other rates) is at least 0."""
    keys = [p for p in loc if isinstance(p, str)]
    last = keys[-1] if keys else ""
    if last in ("rate", "payee_margin", "annual_probability") and keys[0] in ("contracts", "projection"):
        return 0.0, 1.0
    if last == "share" and "catch_up" in keys:
        return _OPEN, 1.0 - _OPEN
    if keys[:3] == ["projection", "revenue", "growth"]:
        return -1.0 + _OPEN, math.inf
    if keys[:2] == ["projection", "margin"]:
        return -math.inf, 1.0
    return 0.0, math.inf


def cap_paths(sc: Scenario) -> list[str]:
    """The fields ``caps`` names: every cap of every tier of every entity's distribution, by
    field path (``entities[ID].distribution[J].caps.CLAIMANT``). A cap written as a mapping
    (dated caps) contributes its ``amount`` or ``multiple``; a ``hurdle`` is a rate of return,
    not an amount, and a cap's ``growth`` is left as it is. A contract's total ``cap`` and a
    participating class's cap are not tier caps."""
    out: list[str] = []
    for ent in raw(sc).get("entities", []):
        for j, tier in enumerate(ent.get("distribution") or []):
            for claimant, cap in (tier.get("caps") or {}).items():
                where = f"entities[{ent['id']}].distribution[{j}].caps.{claimant}"
                if is_number(cap):
                    out.append(where)
                elif isinstance(cap, dict):
                    out += [f"{where}.{k}" for k in ("amount", "multiple") if is_number(cap.get(k))]
    return out


def _exact(x: float) -> Fraction | int:
    return Fraction(x).limit_denominator(10**12) if x != int(x) else int(x)


@dataclass(frozen=True)
class _Moves:
    """What moves: the structure, the fields, how the search variable ``u`` sets them, its range."""

    base: Scenario
    search: Search
    label: str  # what the messages call it
    paths: tuple[str, ...]
    values: tuple[Any, ...]  # each field's current value (a number, or a schedule's list)
    lo: float
    hi: float
    start: float
    to_value: Callable[[float], float]

    def at(self, u: float) -> Scenario:
        """A copy of the structure with the fields set for ``u``, validated like a file (raises
        :class:`ScenarioError` when the values are not valid there)."""
        if self.search == "factor":
            k = Fraction(u).limit_denominator(10**12)
            changes = [(path, [x * k for x in v] if isinstance(v, list) else v * k)
                       for path, v in zip(self.paths, self.values, strict=True)]
            return replace_all(self.base, changes)  # every field at once: one validation
        return replace(self.base, self.paths[0], _exact(self.to_value(u)))

    def text(self, u: float) -> str:
        return f"{u:.2%}" if self.search == "stake" else f"{u:.6g}"

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.lo) and math.isfinite(self.hi)


def number_field(sc: Scenario, field: str, which: str) -> ScenarioField:
    """The field at path ``field`` of structure ``which`` (``AFTER``), a number to solve for."""
    try:
        f = locate(sc, field)
    except FieldPathError as exc:
        raise InputError(M.FIELD_IN.format(which=which, detail=exc)) from None
    if not is_number(f.value):
        raise InputError(M.FIELD_NOT_NUMBER.format(which=which, path=field, kind=kind_of(f.value)))
    return f


def _field_moves(sc: Scenario, field: str, which: str) -> _Moves:
    f = number_field(sc, field, which)
    x0 = float(f.value)
    to_shares = _stake_to_shares(sc, field)
    if to_shares is not None:
        stake = holding_stake(sc, field)
        assert stake is not None
        return _Moves(sc, "stake", f"stake of {field}", (field,), (f.value,), 0.0, _TOP_STAKE,
                      min(stake, _TOP_STAKE), to_shares)
    lo, hi = field_range(f.loc)
    return _Moves(sc, "field", f"value of {field}", (field,), (f.value,), min(lo, x0), max(hi, x0), x0,
                  lambda u: u)


def split_paths(text: str) -> list[str]:
    """``a,b[c, d].e`` -> ``["a", "b[c, d].e"]``: commas inside brackets belong to the path."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += (ch == "[") - (ch == "]")
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return out


def _scale_moves(sc: Scenario, scale: str | Sequence[str], which: str) -> _Moves:
    items = split_paths(scale) if isinstance(scale, str) else [p.strip() for p in scale]
    spec = ",".join(items)
    if not items or any(not p for p in items):
        raise ParameterError(M.SCALE_EMPTY, scale=M.SCALE, value=scale if isinstance(scale, str) else spec)
    paths: list[str] = []
    for item in items:
        if item == CAPS:
            caps = cap_paths(sc)
            if not caps:
                raise ParameterError(M.SCALE_NO_CAPS, scale=M.SCALE, which=which)
            paths += caps
        else:
            paths.append(item)
    values: list[Any] = []
    seen: dict[tuple[str | int, ...], str] = {}
    lo, hi = 0.0, math.inf
    for path in paths:
        try:
            f = locate(sc, path)
        except FieldPathError as exc:
            raise ParameterError(M.SCALE_FIELD, scale=M.SCALE, which=which, detail=str(exc)) from None
        numbers = f.value if isinstance(f.value, list) else [f.value]
        if not numbers or not all(is_number(x) for x in numbers):
            raise ParameterError(M.SCALE_NOT_NUMBER, scale=M.SCALE, which=which, path=path, kind=kind_of(f.value))
        if f.loc in seen:
            raise ParameterError(M.SCALE_TWICE, scale=M.SCALE, path=path, other=seen[f.loc])
        seen[f.loc] = path
        a, b = field_range(f.loc)
        for v in map(float, numbers):
            # k·v must stay in [a, b]: k ≤ b/v and k ≥ a/v for v > 0, the other way round for v < 0.
            if v > 0:
                hi, lo = min(hi, b / v), max(lo, a / v)
            elif v < 0:
                hi, lo = min(hi, a / v), max(lo, b / v)
        values.append(f.value)
    label = f"factor k on {spec} ({len(paths)} field{'s' if len(paths) != 1 else ''})"
    return _Moves(sc, "factor", label, tuple(paths), tuple(values), min(lo, 1.0), max(hi, 1.0), 1.0,
                  lambda u: u)


@dataclass(frozen=True)
class _Bracket:
    lo: float
    hi: float
    g_lo: float
    g_hi: float
    crossed: bool


def _bracket(g: Callable[[float], float], u0: float, lo: float, hi: float) -> _Bracket:
    """Points ``u0 ± s·2^k`` clipped to [lo, hi], on the side whose last value is nearer zero
    (each side once first), until ``g`` changes sign or both sides reach their ends. A point
    whose values are not valid in the scenario ends its side."""
    g0 = g(u0)
    if g0 == 0:
        return _Bracket(u0, u0, g0, g0, True)
    step = (hi - lo) / 8 if math.isfinite(lo) and math.isfinite(hi) else (abs(u0) / 2 if u0 else 1.0)
    last = {-1: (u0, g0), 1: (u0, g0)}
    open_ = {-1: u0 > lo, 1: u0 < hi}
    k = {-1: 0, 1: 0}
    while open_[-1] or open_[1]:
        side = min((s for s in (-1, 1) if open_[s]), key=lambda s: (k[s] > 0, abs(last[s][1])))
        u = min(max(u0 + side * step * 2.0 ** k[side], lo), hi)
        k[side] += 1
        if u in (lo, hi) or k[side] >= _STEPS:
            open_[side] = False
        try:
            gu = g(u)
        except ScenarioError:
            open_[side] = False
            continue
        prev_u, prev_g = last[side]
        last[side] = (u, gu)
        if gu == 0 or (gu > 0) != (prev_g > 0):
            (a, ga), (b, gb) = sorted([(prev_u, prev_g), (u, gu)])
            return _Bracket(a, b, ga, gb, True)
    (a, ga), (b, gb) = last[-1], last[1]
    return _Bracket(a, b, ga, gb, False)


def _party_weights(joint: JointValues, structure: int, party: str,
                   basis: Basis) -> dict[tuple[int, str, str], float]:
    if basis == "structure":
        return {(structure, party, "structure"): 1.0} if "structure" in joint.components(structure, party) else {}
    return joint.party_weights(structure, party)


def party_value(joint: JointValues, structure: int, party: str, basis: Basis = "total",
                mapping: Mapping[str, str] | None = None) -> tuple[float, float]:
    """Value of ``party`` in one structure of ``joint`` (summing the parties that map to it)."""
    return joint.combine(joint.weights(party_value_weights(joint, structure, party, basis, mapping or {})))


def solve_field(
    after: Scenario,
    field: str,
    party: str,
    *,
    before: Scenario | None = None,
    target: float | None = None,
    mapping: Mapping[str, str] | None = None,
    basis: Basis = "total",
    move: Move = "after",
    no_root: NoRoot = "bound",
    paths: int = COMPARE_PATHS,
    seed: int = COMPARE_SEED,
    xtol: float = 1e-8,
    cache: PathCache | None = None,
    memo: dict[tuple[str, float], JointValues] | None = None,
) -> SolveResult:
    """Find the value of ``field`` at which ``party`` is worth as much in one structure as in the other.

    With ``move="after"`` the field is one of ``after`` and the target is the party's value in
    ``before`` (its parties renamed by ``mapping``, old id to new id) or ``target``; with
    ``move="before"`` the field is one of ``before`` and the target is the party's value in
    ``after`` (``party`` is always named by its id in ``after``). ``no_root`` says what happens
    when no value of the field in its range reaches the target: ``"error"`` raises an
    :class:`InputError` that names the target, the range searched and the values at its ends;
    ``"bound"`` returns the nearer end with ``bound`` set. ``memo`` shares evaluations between
    solves over the same structures. See the module for the method."""
    moved, which = _moved(after, before, target, move)
    return _solve(_field_moves(moved, field, which), field, None, party, after=after, before=before,
                  target=target, mapping=mapping, basis=basis, move=move, no_root=no_root, paths=paths,
                  seed=seed, xtol=xtol, cache=cache, memo=memo)


def solve_scale(
    after: Scenario,
    scale: str | Sequence[str],
    party: str,
    *,
    before: Scenario | None = None,
    target: float | None = None,
    mapping: Mapping[str, str] | None = None,
    basis: Basis = "total",
    move: Move = "after",
    no_root: NoRoot = "bound",
    paths: int = COMPARE_PATHS,
    seed: int = COMPARE_SEED,
    xtol: float = 1e-8,
    cache: PathCache | None = None,
    memo: dict[tuple[str, float], JointValues] | None = None,
) -> SolveResult:
    """Find the factor ``k`` by which several fields, all multiplied at once, make ``party`` whole.

    ``scale`` is field paths (a list, or one string separated by commas), where ``"caps"`` stands
    for every tier cap of the moved structure (see :func:`cap_paths`); a path naming a schedule
    multiplies every year of it. ``k`` runs from 0 up to where a field would leave its range
    (a rate above 100%, say). The other arguments are those of :func:`solve_field`; the result's
    ``value`` is ``k`` (``start`` is 1) and ``scale`` lists the fields."""
    moved, which = _moved(after, before, target, move)
    moves = _scale_moves(moved, scale, which)
    label = scale if isinstance(scale, str) else ",".join(scale)
    return _solve(moves, label.strip(), moves.paths, party, after=after, before=before, target=target,
                  mapping=mapping, basis=basis, move=move, no_root=no_root, paths=paths, seed=seed, xtol=xtol,
                  cache=cache, memo=memo)


def _moved(after: Scenario, before: Scenario | None, target: float | None, move: Move) -> tuple[Scenario, str]:
    if (before is None) == (target is None):
        raise ParameterError(M.TARGET_ONE, before=M.BEFORE, target=M.TARGET)
    check_move(move, before)
    return (before, "BEFORE") if move == "before" and before is not None else (after, "AFTER")


def _solve(moves: _Moves, field: str, scale: tuple[str, ...] | None, party: str, *, after: Scenario,
           before: Scenario | None, target: float | None, mapping: Mapping[str, str] | None, basis: Basis,
           move: Move, no_root: NoRoot, paths: int, seed: int, xtol: float, cache: PathCache | None,
           memo: dict[tuple[str, float], JointValues] | None) -> SolveResult:
    cache = cache if cache is not None else PathCache()
    mapping = dict(mapping or {})
    # The party's ids: AFTER's own; BEFORE's parties count under the AFTER id they map to.
    moved_map = mapping if move == "before" else {}
    moved_which = "BEFORE" if move == "before" else "AFTER"
    fixed_map = {} if move == "before" else mapping
    if before is not None:
        fixed, fixed_which = (after, "AFTER") if move == "before" else (before, "BEFORE")
        jf = joint_values([fixed], paths, seed, cache=cache)
        _check_party(jf, party, fixed_map, fixed_which)
        goal, goal_se = party_value(jf, 0, party, basis, fixed_map)
    else:
        goal, goal_se = float(target or 0), 0.0
    calls = [0]
    memo = memo if memo is not None else {}
    key = f"{move}:{moves.search}:{','.join(moves.paths)}"

    def g(u: float) -> float:
        if (key, u) not in memo:
            sc = moves.at(u)
            calls[0] += 1
            memo[(key, u)] = joint_values([sc], paths, seed, cache=cache)
        j = memo[(key, u)]
        _check_party(j, party, moved_map, moved_which)
        return party_value(j, 0, party, basis, moved_map)[0] - goal

    u0 = moves.start
    br = _bracket(g, u0, moves.lo, moves.hi)
    scale_u = max(abs(u0), 0.01) if moves.bounded else max(abs(u0), 1.0)
    bound: Bound = "root"
    if br.crossed:
        if br.g_lo == 0 or br.g_hi == 0:
            root = br.lo if br.g_lo == 0 else br.hi
        else:
            tol = xtol * 1e-2 if moves.bounded else xtol * scale_u
            root = float(brentq(g, br.lo, br.hi, xtol=tol, rtol=1e-12, maxiter=200))
    else:
        if no_root == "error":
            source = f" (its value in {'AFTER' if move == 'before' else 'BEFORE'})" if before is not None else ""
            raise InputError(M.SOLVE_NO_ROOT.format(
                what=moves.label, lo=moves.text(br.lo), hi=moves.text(br.hi), party=party,
                target=short_amount(goal), source=source, at_lo=short_amount(br.g_lo + goal),
                at_hi=short_amount(br.g_hi + goal)))
        root, bound = (br.lo, "lower") if abs(br.g_lo) <= abs(br.g_hi) else (br.hi, "upper")
    # Paired standard error of the difference at the answer, then its effect on the answer.
    solved = moves.at(root)
    if before is not None:
        pair = [solved, after] if move == "before" else [before, solved]
        m = 0 if move == "before" else 1
        jj = joint_values(pair, paths, seed, cache=cache)
        w_moved = jj.weights(party_value_weights(jj, m, party, basis, moved_map))
        w_fixed = jj.weights(party_value_weights(jj, 1 - m, party, basis, fixed_map))
        achieved, _ = jj.combine(w_moved)
        _, diff_se = jj.combine(w_moved - w_fixed)
    else:
        jj = joint_values([solved], paths, seed, cache=cache)
        achieved, diff_se = party_value(jj, 0, party, basis, moved_map)
    du = 1e-4 * max(abs(root), scale_u)
    if bound == "root" and abs(achieved - goal) > max(2 * diff_se, 1e-6 * max(abs(goal), 1.0)):
        # Brent's method closed in on a jump of the value (a threshold such as an event's), not a root.
        left, right = (g(u) + goal for u in (max(root - du, moves.lo), min(root + du, moves.hi)))
        raise InputError(M.SOLVE_JUMP.format(party=party, target=short_amount(goal), what=moves.label,
                                             at=moves.text(root), lo=short_amount(left), hi=short_amount(right)))
    if root + du > moves.hi:
        du = -du
    try:
        slope = (g(root + du) - g(root)) / du
    except ScenarioError:
        du = -du
        slope = (g(root + du) - g(root)) / du
    se = diff_se / abs(slope) if slope else float("inf")
    if bound != "root":
        se = 0.0
    value = moves.to_value(root)
    value_se = abs(moves.to_value(root + du) - value) / abs(du) * se if se else se
    stake = holding_stake(solved, moves.paths[0]) if moves.search != "factor" else None
    stake_se: float | None = None
    implied = stake
    if stake is not None:
        stake_se = se if moves.search == "stake" else 0.0
        if bound == "lower" and moves.search == "stake":
            # Below zero the stake has no meaning, but how far below says by how much the party's
            # other receipts exceed its value before: the stake the line through q = 0 and
            # q = 1% would need.
            q = 0.01
            implied = -g(0.0) / ((g(q) - g(0.0)) / q)
    start_stake = holding_stake(moves.base, moves.paths[0]) if moves.search != "factor" else None
    start = 1.0 if moves.search == "factor" else float(moves.values[0])
    return SolveResult(field, party, basis, value, value_se, start, goal, goal_se, achieved, diff_se, bound, stake,
                       stake_se, start_stake, calls[0], paths, seed, implied, move, scale, moves.search,
                       (br.lo, br.hi), (br.g_lo + goal, br.g_hi + goal))


def _check_party(j: JointValues, party: str, mapping: Mapping[str, str], which: str) -> None:
    known = {mapping.get(q, q) for q in j.parties(0)}
    if party not in known:
        raise InputError(M.PARTY_UNKNOWN.format(party=party, which=which, known=", ".join(sorted(known))))


def party_value_weights(joint: JointValues, structure: int, party: str, basis: Basis,
                        mapping: Mapping[str, str]) -> dict[tuple[int, str, str], float]:
    w: dict[tuple[int, str, str], float] = {}
    for q in joint.parties(structure):
        if mapping.get(q, q) == party:
            w.update(_party_weights(joint, structure, q, basis))
    return w


@dataclass(frozen=True)
class SolveRequest:
    """What to solve for (``stakeflow solve``), checked when made: a ``field`` or the ``scale``
    fields, moved in the structure ``move`` names, so that ``party`` is worth its value in
    ``before`` or the amount ``equals``, on ``basis``."""

    party: str
    field: str | None = None
    scale: str | Sequence[str] | None = None
    before: Scenario | None = None
    equals: Any = None
    move: Move = "after"
    basis: Basis = "total"

    def __post_init__(self) -> None:
        if (self.before is None) == (self.equals is None):
            raise ParameterError(M.TARGET_ONE, before=M.BEFORE, target=M.EQUALS)
        if (self.field is None) == (self.scale is None):
            raise ParameterError(M.FIELD_OR_SCALE, field=M.FIELD, scale=M.SCALE)
        check_move(self.move, self.before)
        check_basis(self.basis)


def solve(after: Scenario, request: SolveRequest, *, mapping: Mapping[str, str] | None = None,
          no_root: NoRoot = "bound", paths: int = COMPARE_PATHS, seed: int = COMPARE_SEED) -> SolveResult:
    """Solve ``request`` against ``after`` (see :func:`solve_field` and :func:`solve_scale`), the
    parties of ``request.before`` renamed by ``mapping`` (old id to new id)."""
    from ..engine import read_amount
    from .compare import check_mapping

    mapping = dict(mapping or {})
    if request.before is not None:
        check_mapping(mapping, request.before, after)
    target = None
    if request.equals is not None:
        target = float(read_amount(request.equals, lambda value, detail: ParameterError(
            M.EQUALS_AMOUNT, equals=M.EQUALS, value=value, detail=detail)))
    options: dict[str, Any] = {"before": request.before, "target": target, "mapping": mapping,
                               "basis": request.basis, "move": request.move, "no_root": no_root,
                               "paths": paths, "seed": seed}
    if request.scale is not None:
        return solve_scale(after, request.scale, request.party, **options)
    assert request.field is not None
    return solve_field(after, request.field, request.party, **options)


__all__ = [
    "CAPS",
    "Basis",
    "Move",
    "NoRoot",
    "SolveRequest",
    "SolveResult",
    "cap_paths",
    "field_range",
    "holding_stake",
    "number_field",
    "party_value",
    "solve",
    "solve_field",
    "solve_scale",
    "split_paths",
    "with_stake",
]
