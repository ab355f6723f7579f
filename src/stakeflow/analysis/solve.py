"""Solve for a fair term: the value of one numeric field at which a party is as well off as before.

With ``x`` the field (a holding's shares, a cap, a rate), ``V(x)`` the party's value under the
new structure with the field set to ``x`` and ``V*`` its value under the old one (or a given
amount), the fair value of the field is the root of ``f(x) = V(x) − V*``. Every evaluation of
``V`` uses the same seed and paths (common random numbers), so ``f`` is a deterministic,
piecewise-smooth function and Brent's method (``scipy.optimize.brentq``) finds its root.
The root's standard error is the paired standard error of ``V(x*) − V*`` divided by
``|f'(x*)|`` (a forward difference).

When the field is a holding's share count the result is also given as a stake: the holding's
as-converted shares over all as-converted shares of stock (common and preferred; options and
warrants are not outstanding shares), after the change.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from scipy.optimize import brentq

from ..scenario.errors import InputError
from ..scenario.fields import FieldPathError, get_number, locate, replace
from ..scenario.models import Scenario
from . import _restructuring_messages as M
from .values import JointValues, PathCache, joint_values

Basis = Literal["total", "structure"]
Bound = Literal["root", "lower", "upper"]


@dataclass(frozen=True)
class SolveResult:
    """The fair value of ``field`` for ``party``; ``bound`` says whether it is a root or an edge.

    ``bound == "lower"``: the party is better off even with the field at zero (a stake of nothing
    already gives it more than its value before); ``implied_stake`` then says how far below zero
    the stake would have to go (its other receipts' excess as a share of the company).
    ``"upper"``: no value up to the search's end makes it whole.
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

    @property
    def measure(self) -> float:
        """The number to chart: the implied stake (negative when none is needed), the stake, or
        the field's value."""
        if self.implied_stake is not None:
            return self.implied_stake
        return self.stake if self.stake is not None else self.value

    def to_json(self) -> dict[str, Any]:
        """One JSON object; a standard error that cannot be estimated (the party's value does not
        move with the field) is null."""
        doc = self._fields()
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in doc.items()}

    def _fields(self) -> dict[str, Any]:
        return {
            "field": self.field, "party": self.party, "basis": self.basis,
            "value": self.value, "standard_error": self.standard_error,
            "start": self.start, "target": self.target, "target_standard_error": self.target_se,
            "achieved": self.achieved, "difference_standard_error": self.difference_se,
            "bound": self.bound, "stake": self.stake, "stake_standard_error": self.stake_se,
            "start_stake": self.start_stake, "implied_stake": self.implied_stake, "evaluations": self.evaluations,
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
    paths: int = 20_000,
    seed: int = 0,
    xtol: float = 1e-8,
    cache: PathCache | None = None,
    memo: dict[tuple[str, float], JointValues] | None = None,
) -> SolveResult:
    """Find ``x`` with ``party``'s value in ``after`` (``field = x``) equal to its value in ``before``
    (parties renamed by ``mapping``) or to ``target``; see the module for the method."""
    if (before is None) == (target is None):
        raise InputError(M.TARGET_ONE)
    try:
        x0 = float(get_number(after, field))
    except FieldPathError as exc:
        raise InputError(M.NOT_A_NUMBER_FIELD.format(path=field, detail=exc)) from None
    if x0 < 0:
        raise InputError(M.SOLVE_NEGATIVE.format(field=field, value=x0))
    cache = cache if cache is not None else PathCache()
    mapping = dict(mapping or {})
    if before is not None:
        jb = joint_values([before], paths, seed, cache=cache)
        known = {mapping.get(q, q) for q in jb.parties(0)}
        if party not in known:
            raise InputError(M.PARTY_UNKNOWN.format(party=party, which="BEFORE", known=", ".join(sorted(known))))
        goal, goal_se = party_value(jb, 0, party, basis, mapping)
    else:
        goal, goal_se = float(target or 0), 0.0
    calls = [0]

    def at(x: float) -> Scenario:
        return replace(after, field, Fraction(x).limit_denominator(10**12) if x != int(x) else int(x))

    memo = memo if memo is not None else {}

    def f(x: float) -> float:
        key = (field, x)
        if key not in memo:
            calls[0] += 1
            memo[key] = joint_values([at(x)], paths, seed, cache=cache)
        j = memo[key]
        if party not in j.parties(0):
            raise InputError(M.PARTY_UNKNOWN.format(party=party, which="AFTER", known=", ".join(j.parties(0))))
        return party_value(j, 0, party, basis)[0] - goal

    scale = x0 if x0 > 0 else 1.0
    bound: Bound = "root"
    to_shares = _stake_to_shares(after, field)
    if f(0.0) >= 0:
        root, bound = 0.0, "lower"
    elif to_shares is not None:
        # A holding's value is nearly linear in its stake s/(s + others), so search the stake:
        # Brent's method then needs few steps, and the whole range [0, 1) is one bracket.
        top = 1.0 - 1e-9
        if f(to_shares(top)) < 0:
            root, bound = to_shares(top), "upper"
        else:
            q_root = float(brentq(lambda q: f(to_shares(q)), 0.0, top, xtol=xtol * 1e-2, rtol=1e-12, maxiter=200))
            root = to_shares(q_root)
    else:
        lo, hi = 0.0, scale
        f_hi = f(hi)
        steps = 0
        while f_hi < 0 and steps < 60:
            lo, hi = hi, hi * 2.0
            f_hi = f(hi)
            steps += 1
        if f_hi < 0:
            root, bound = hi, "upper"
        else:
            root = float(brentq(f, lo, hi, xtol=xtol * max(scale, 1.0), rtol=1e-12, maxiter=200))
    # Paired standard error of the difference at the answer, then its effect on the answer.
    solved = at(root)
    if before is not None:
        jj = joint_values([before, solved], paths, seed, cache=cache)
        w_after = party_value_weights(jj, 1, party, basis, {})
        w_before = party_value_weights(jj, 0, party, basis, mapping)
        achieved, _ = jj.combine(jj.weights(w_after))
        _, diff_se = jj.combine(jj.weights(w_after) - jj.weights(w_before))
    else:
        jj = joint_values([solved], paths, seed, cache=cache)
        achieved, diff_se = party_value(jj, 0, party, basis)
    h = max(abs(root), scale) * 1e-4
    slope = (f(root + h) - (achieved - goal)) / h
    se = diff_se / abs(slope) if slope else float("inf")
    if bound != "root":
        se = 0.0
    stake = holding_stake(solved, field)
    stake_se: float | None = None
    implied = stake
    if stake is not None:
        bumped = holding_stake(at(root + h), field)
        stake_se = abs((bumped or 0.0) - stake) / h * se if bound == "root" else 0.0
        if bound == "lower" and to_shares is not None:
            # Below zero the stake has no meaning, but how far below says by how much the party's
            # other receipts exceed its value before: the stake the line through q = 0 and
            # q = 1% would need.
            q = 0.01
            implied = -f(0.0) / ((f(to_shares(q)) - f(0.0)) / q)
    return SolveResult(field, party, basis, root, se, x0, goal, goal_se, achieved, diff_se, bound, stake,
                       stake_se, holding_stake(after, field), calls[0], paths, seed, implied)


def party_value_weights(joint: JointValues, structure: int, party: str, basis: Basis,
                        mapping: Mapping[str, str]) -> dict[tuple[int, str, str], float]:
    w: dict[tuple[int, str, str], float] = {}
    for q in joint.parties(structure):
        if mapping.get(q, q) == party:
            w.update(_party_weights(joint, structure, q, basis))
    return w


__all__ = ["Basis", "SolveResult", "holding_stake", "party_value", "solve_field"]
