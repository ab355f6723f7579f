"""Each entity's distribution compiled once into its regimes, and reused.

An entity's distribution of its own proceeds ``p`` is piecewise linear in ``p`` (SPEC §5), so it
is kept as pieces: from each piece's start, every *part* of the distribution (a class of an
equity entity, a claimant's share of one tier of a tier program) receives
``value + slope·(p − start)``. Equity entities get their pieces from the regime sweep of
:mod:`.regimes`, tier programs from the walk of :func:`.tiers.segments`. A waterfall at any
amount is then a look-up and one multiply-add per part, still exact; payoff curves compose the
entities' pieces through look-through.

Compiled entities are kept per scenario object (scenarios are immutable once validated), so
every caller that asks again, a web page, a solve iteration, a sweep point, reuses them.
"""

from __future__ import annotations

import datetime as dt
import weakref
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypeVar, cast, overload

import numpy as np

from ..scenario.errors import InputError
from ..scenario.models import Entity, Scenario
from .claims import claims_of
from .regimes import NoRegime, Piece, Sweep
from .tiers import Program, claimants, program, segments

ZERO = Fraction(0)
T = TypeVar("T")


class Rows(Sequence[tuple[Fraction, ...]]):
    """Every piece's exact values (or slopes), each row worked out from its piece when first read."""

    def __init__(self, pieces: Sequence[Piece], slopes: bool) -> None:
        self._pieces = pieces
        self._slopes = slopes
        self._rows: list[tuple[Fraction, ...] | None] = [None] * len(pieces)

    def __len__(self) -> int:
        return len(self._pieces)

    @overload
    def __getitem__(self, k: int) -> tuple[Fraction, ...]: ...
    @overload
    def __getitem__(self, k: slice) -> Sequence[tuple[Fraction, ...]]: ...
    def __getitem__(self, k: int | slice) -> tuple[Fraction, ...] | Sequence[tuple[Fraction, ...]]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        row = self._rows[k]
        if row is None:
            p = self._pieces[k]
            row = self._rows[k] = p.slopes if self._slopes else p.values
        return row


@dataclass(frozen=True)
class CompiledEntity:
    """An entity's distribution of its own proceeds as exact pieces.

    ``parts`` name what each column pays: ``(class_id, None)`` for an equity class,
    ``(tier_index, claimant)`` for a claimant's share of a tier. ``starts[k]`` is where piece
    ``k`` begins; ``values[k]`` and ``slopes[k]`` are every part's value there and slope after.
    For equity entities, ``converted[k]`` is the conversion equilibrium on piece ``k`` and
    ``prices[k]`` the residual price per as-converted share as a line from ``starts[k]``.
    """

    entity: str
    is_equity: bool
    parts: tuple[tuple[int | str, str | None], ...]
    starts: tuple[Fraction, ...]
    values: Sequence[tuple[Fraction, ...]]
    slopes: Sequence[tuple[Fraction, ...]]
    converted: tuple[frozenset[str], ...] = ()
    prices: tuple[tuple[Fraction, Fraction], ...] = ()
    program: Program | None = None
    """A tier program's context at the distribution date (its history replayed)."""
    payees: tuple[tuple[str, str | None, int, Fraction], ...] = ()
    """Who receives each part: ``(claimant, class_id or None, column, fraction of the part)``,
    in the order the engine pays them (classes in the file's order, then their holdings)."""
    pieces: tuple[Piece, ...] = ()
    _floats: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list, compare=False, repr=False)

    def float_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Every piece's part values and slopes as ``(pieces, parts)`` float arrays, without
        working out the exact rows where the pieces can give floats themselves."""
        if not self._floats:
            if self.pieces:
                rows = [p.floats() for p in self.pieces]
                vals = np.array([r[0] for r in rows], dtype=np.float64).reshape(len(rows), len(self.parts))
                slps = np.array([r[1] for r in rows], dtype=np.float64).reshape(len(rows), len(self.parts))
            else:
                vals = np.array([[float(x) for x in row] for row in self.values],
                                dtype=np.float64).reshape(-1, len(self.parts))
                slps = np.array([[float(x) for x in row] for row in self.slopes],
                                dtype=np.float64).reshape(-1, len(self.parts))
            self._floats.append((vals, slps))
        return self._floats[0]

    def piece(self, p: Fraction) -> int:
        """The index of the piece holding proceeds ``p``."""
        return bisect_right(self.starts, p) - 1

    def at(self, p: Fraction) -> tuple[Fraction, ...]:
        """Every part's exact amount at proceeds ``p``."""
        k = self.piece(p)
        d = p - self.starts[k]
        if not d:
            return self.values[k]
        return tuple(v + s * d if s else v for v, s in zip(self.values[k], self.slopes[k], strict=True))

    def converted_at(self, p: Fraction) -> frozenset[str]:
        """The classes that convert at proceeds ``p``: at a piece's start, a class that switches
        there is indifferent, and an indifferent class is reported as not converting (SPEC §3)."""
        k = self.piece(p)
        if k > 0 and p == self.starts[k]:
            return self.converted[k] & self.converted[k - 1]
        return self.converted[k]

    def price_at(self, p: Fraction) -> Fraction:
        k = self.piece(p)
        v, s = self.prices[k]
        return v + s * (p - self.starts[k])


def _equity(entity: Entity, as_of: dt.date | None) -> CompiledEntity:
    claims = claims_of(entity, as_of)
    pieces: list[Piece] = Sweep(entity.id, claims).pieces()
    by_class: dict[str, list[tuple[str, Fraction]]] = {}
    for h in entity.holdings or ():
        by_class.setdefault(h.class_, []).append((h.holder, h.shares))
    payees = [(holder, c.id, j, shares / c.shares)
              for j, c in enumerate(claims) if c.shares != 0 for holder, shares in by_class.get(c.id, ())]
    return CompiledEntity(
        entity=entity.id,
        is_equity=True,
        parts=tuple((c.id, None) for c in claims),
        starts=tuple(p.start for p in pieces),
        values=Rows(pieces, slopes=False),
        slopes=Rows(pieces, slopes=True),
        converted=tuple(p.converted for p in pieces),
        prices=tuple(p.price for p in pieces),
        payees=tuple(payees),
        pieces=tuple(pieces),
    )


def _tiers(entity: Entity, date: dt.date | None) -> CompiledEntity:
    tiers = entity.distribution or ()
    prog = program(entity, date)
    parts: list[tuple[int | str, str | None]] = []
    for i, tier in enumerate(tiers):
        names = list(tier.shares)
        if tier.overflow is not None and tier.overflow not in names:
            names.append(tier.overflow)
        parts += [(i, k) for k in names]
    column = {part: j for j, part in enumerate(parts)}
    starts: list[Fraction] = []
    values: list[tuple[Fraction, ...]] = []
    slopes: list[tuple[Fraction, ...]] = []
    paid = [ZERO] * len(parts)
    at = ZERO
    for seg in segments(tiers, prog.context):
        slope = [ZERO] * len(parts)
        for k, r in seg.rates.items():
            slope[column[(seg.tier, k)]] = r
        starts.append(at)
        values.append(tuple(paid))
        slopes.append(tuple(slope))
        if seg.length is None:
            break
        paid = [v + s * seg.length for v, s in zip(paid, slope, strict=True)]
        at += seg.length
    else:
        # The walk ended with every tier complete: validation rules that out (money would be
        # stranded), so a curve never gets here; nothing more is paid.
        starts.append(at)
        values.append(tuple(paid))
        slopes.append(tuple(ZERO for _ in parts))
    payees = tuple((k, None, j, Fraction(1)) for j, (_, k) in enumerate(parts) if k is not None)
    return CompiledEntity(entity.id, False, tuple(parts), tuple(starts), tuple(values), tuple(slopes),
                          program=prog, payees=payees)


def compile_entity(entity: Entity, as_of: dt.date | None = None) -> CompiledEntity:
    """``entity``'s distribution of its own proceeds, with dividends and interest accrued to ``as_of``."""
    return _equity(entity, as_of) if entity.is_equity else _tiers(entity, as_of)


# Keyed by the scenario object's identity (scenarios compare by value and need not be
# hashable); an entry goes when its scenario does.
_CACHE: dict[int, dict[tuple[str, dt.date | None], CompiledEntity | None]] = {}


def compiled(sc: Scenario, entity: Entity, as_of: dt.date | None) -> CompiledEntity | None:
    """``entity`` of ``sc`` compiled, once per scenario object and accrual date; None where its
    terms have no curve (it cannot absorb every amount): the plain engine then answers, with its
    located error beyond what the entity can absorb."""
    per = _CACHE.get(id(sc))
    if per is None:
        per = _CACHE[id(sc)] = {}
        weakref.finalize(sc, _CACHE.pop, id(sc), None)
    key = (entity.id, as_of)
    if key not in per:
        try:
            per[key] = compile_entity(entity, as_of)
        except (InputError, NoRegime):
            per[key] = None
    return per[key]


def kept(sc: Scenario, key: tuple[str, ...], make: Callable[[], T]) -> T:
    """``make()`` worked out once per scenario object and ``key``, and kept with the compiled
    regimes (what a waterfall reads of the scenario besides them: the entities reached, names)."""
    per = _KEPT.get(id(sc))
    if per is None:
        per = _KEPT[id(sc)] = {}
        weakref.finalize(sc, _KEPT.pop, id(sc), None)
    if key not in per:
        per[key] = make()
    return cast(T, per[key])


_KEPT: dict[int, dict[tuple[str, ...], object]] = {}


def tier_claimants(entity: Entity) -> list[str]:
    return claimants(entity.distribution or [])
