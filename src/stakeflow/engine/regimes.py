"""The regime of an equity entity at proceeds ``V``: every class's payout and slope, exactly, and
the next event, so that the whole payoff curve is one sweep from 0 upwards.

For a fixed set ``C`` of converted classes the split of SPEC §3 is piecewise linear in ``V``
(:class:`Structure`):

* **preferences**, while ``V`` is below the total preference ``S``: the seniority group being
  filled receives each marginal dollar pro rata to its preferences; the event is the group full;
* **residual** ``r = V − S``, shared at the price ``P`` per as-converted share solving
  ``R(P) = r``, where ``R(P) = Σ_common n·P + Σ_capped min(n·P, h) + Σ_options n·(P − K)⁺`` is
  piecewise linear in ``P`` with knots at the strikes ``K`` and the cap prices ``h / n``
  (``h`` the room a cap leaves above the preference); the event is the next knot.

The conversion equilibrium (rule 3) is followed across ``V`` rather than found again at every
point: on a piece where ``C`` holds, class ``c``'s payout under ``C`` and under ``C`` with ``c``'s
own choice switched are both piecewise linear, and ``C`` stops being an equilibrium at the first
point where a class would gain (or, converted, would no longer strictly gain) by switching. Both
are read off ``C``'s own structure: switching one class moves its preference in or out of the
stack and adds or removes its term in ``R``, so nothing is rebuilt to test a switch. Where a
switch leaves a set that is no equilibrium, the equilibrium just right of the point is searched
as :func:`stakeflow.engine.conversion.equilibrium` does, comparing ``(value, slope)`` pairs just
right of the point instead of values at it.

Every quantity is an exact ``Fraction``; the sweep is checked against :func:`.equity.split` and
:func:`.conversion.equilibrium` at every breakpoint and midpoint by the tests.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .claims import Claim
from .equity import split

ZERO = Fraction(0)

# A line just right of a point: (value there, slope after).
Line = tuple[Fraction, Fraction]


@dataclass(frozen=True)
class Regime:
    """Just right of a point: every class's line (None where not worked out), the price's line,
    the next event of the structure, and the knot interval of R (None among the preferences)."""

    lines: list[Line] | None
    price: Line
    end: Fraction | None
    knot: int | None


class NoRegime(RuntimeError):
    """The sweep found no conversion equilibrium just right of a point (not expected for standard terms)."""


class Piece:
    """From ``start`` up to the next piece every class is linear: ``values[i] + slopes[i]·(V − start)``
    for ``claims[i]``; ``converted`` is the equilibrium on the piece; the residual price per
    as-converted share is ``price[0] + price[1]·(V − start)``.

    The exact lines are worked out from the piece's structure when first read (a curve that is
    only evaluated in floats never needs them); :meth:`floats` gives them as float arrays.
    """

    __slots__ = ("_lines", "converted", "knot", "price", "start", "structure")

    def __init__(self, start: Fraction, converted: frozenset[str], price: Line, structure: Structure,
                 lines: list[Line] | None = None, knot: int | None = None) -> None:
        self.start = start
        self.converted = converted
        self.price = price
        self.structure = structure
        self.knot = knot
        self._lines = lines

    def lines(self) -> list[Line]:
        if self._lines is None:
            self._lines = self.structure.regime(self.start)[0]
        return self._lines

    @property
    def values(self) -> tuple[Fraction, ...]:
        return tuple(line[0] for line in self.lines())

    @property
    def slopes(self) -> tuple[Fraction, ...]:
        return tuple(line[1] for line in self.lines())

    def floats(self) -> tuple[np.ndarray, np.ndarray]:
        """Every class's value and slope as floats (from the structure where the piece lies past
        the preferences, else from the exact lines)."""
        if self.knot is not None and self._lines is None:
            return self.structure.float_lines(float(self.price[0]), float(self.price[1]), self.knot)
        lines = self.lines()
        return (np.array([float(a) for a, _ in lines], dtype=np.float64),
                np.array([float(b) for _, b in lines], dtype=np.float64))


@dataclass(frozen=True)
class Terms:
    """What the sweep reads of one claim, worked out once: ``pref`` is its preference where it
    has one to be paid (zero otherwise), ``room`` what a cap leaves above the preference, and
    ``cap_price`` the residual price at which a capped class reaches its cap."""

    id: str
    pref: Fraction
    seniority: int
    n: Fraction
    strike: Fraction | None
    common: bool
    capped: bool
    room: Fraction
    cap_price: Fraction

    @classmethod
    def of(cls, c: Claim) -> Terms:
        has_pref = c.is_preferred and c.preference > 0
        n = c.as_converted
        capped = c.is_preferred and c.participating and c.cap is not None
        room = max(c.cap - c.preference, ZERO) if capped and c.cap is not None else ZERO
        return cls(c.id, c.preference if has_pref else ZERO, c.seniority, n, c.strike,
                   not c.is_preferred or (c.participating and c.cap is None), capped, room,
                   room / n if capped and n else ZERO)


@dataclass(frozen=True)
class Grid:
    """Every price at which some claim's term in the residual take can bend (a positive strike,
    a cap price), sorted once, and the position of each claim's own."""

    prices: tuple[Fraction, ...]
    index: dict[str, int]
    kept: list[tuple[np.ndarray, ...]] = field(compare=False, repr=False)

    @classmethod
    def of(cls, terms: Sequence[Terms]) -> Grid:
        own = {t.id: t.strike if t.strike is not None else t.cap_price for t in terms
               if t.n and ((t.strike is not None and t.strike > 0) or (t.strike is None and t.capped and t.room > 0))}
        prices = sorted(set(own.values()))
        at = {p: i for i, p in enumerate(prices)}
        return cls(tuple(prices), {k: at[p] for k, p in own.items()}, [])

    def floats(self, terms: Sequence[Terms]) -> tuple[np.ndarray, ...]:
        """The terms as float arrays, once per sweep: each claim's kind unconverted (0 none,
        1 common, 2 capped, 3 option), preference, shares, strike or room, and grid position."""
        if not self.kept:
            self.kept.append((
                np.array([0 if not t.n else 3 if t.strike is not None else 1 if t.common
                          else 2 if t.capped and t.room > 0 else 0 for t in terms], dtype=np.int8),
                np.array([float(t.pref) for t in terms], dtype=np.float64),
                np.array([float(t.n) for t in terms], dtype=np.float64),
                np.array([float(t.strike) if t.strike is not None else float(t.room) for t in terms],
                         dtype=np.float64),
                np.array([self.index.get(t.id, -1) for t in terms], dtype=np.int64),
            ))
        return self.kept[0]


class Structure:
    """The split of every amount among ``claims`` with the classes in ``converted`` converted."""

    def __init__(self, claims: Sequence[Claim], converted: frozenset[str],
                 terms: Sequence[Terms] | None = None, grid: Grid | None = None) -> None:
        self.claims = claims
        self.converted = converted
        terms = terms if terms is not None else [Terms.of(c) for c in claims]
        grid = grid if grid is not None else Grid.of(terms)
        self._terms = terms
        self._grid = grid
        self._at = {t.id: i for i, t in enumerate(terms)}
        owed: dict[int, Fraction] = {}
        for t in terms:
            if t.pref and t.id not in converted:
                owed[t.seniority] = owed.get(t.seniority, ZERO) + t.pref
        self.owed = owed
        # The residual take R(P): its slope from 0 and its changes at each grid price, with how
        # many terms bend there.
        slope0 = ZERO
        deltas: list[Fraction] = [ZERO] * len(grid.prices)
        active = [0] * len(grid.prices)
        self.role: dict[str, tuple[str, Fraction, Fraction]] = {}
        # Each claim's line in the residual regime: (preference kept, kind, shares, strike or room).
        self._lines: list[tuple[Fraction, str, Fraction, Fraction]] = []
        steady = ZERO
        for t in terms:
            n = t.n
            conv = t.id in converted
            pref = ZERO if conv else t.pref
            if not n:
                self._lines.append((pref, "", n, ZERO))
                continue
            if t.strike is not None:
                self.role[t.id] = ("option", n, t.strike)
                self._lines.append((pref, "option", n, t.strike))
                if t.strike > 0:
                    deltas[grid.index[t.id]] += n
                    active[grid.index[t.id]] += 1
                else:
                    slope0 += n
            elif t.common or conv:
                self.role[t.id] = ("common", n, ZERO)
                self._lines.append((pref, "common", n, ZERO))
                slope0 += n
                steady += n
            elif t.capped and t.room > 0:
                self.role[t.id] = ("capped", n, t.room)
                self._lines.append((pref, "capped", n, t.room))
                slope0 += n
                deltas[grid.index[t.id]] -= n
                active[grid.index[t.id]] += 1
            else:
                self._lines.append((pref, "", n, ZERO))
        self._slope0 = slope0
        self._deltas = deltas
        self._active = active
        # As-converted shares that share in every residual dollar (common, converted, uncapped
        # participating): with some, a capped class below its cap never gains by converting.
        self.steady = steady
        self._finish()

    def toggled(self, ids: frozenset[str]) -> Structure:
        """The structure with the choice of each class in ``ids`` (convertible ones) switched,
        derived from this one term by term instead of built again."""
        new = Structure.__new__(Structure)
        new.claims = self.claims
        new.converted = self.converted ^ ids
        new._terms, new._grid, new._at = self._terms, self._grid, self._at
        new.owed = dict(self.owed)
        new.role = dict(self.role)
        new._lines = list(self._lines)
        new._deltas = list(self._deltas)
        new._active = list(self._active)
        slope0, steady = self._slope0, self.steady
        for cid in ids:
            i = self._at[cid]
            t = self._terms[i]
            g = self._grid.index.get(cid)
            bends = t.capped and t.room > 0
            if cid in new.converted:
                if t.pref:
                    left = new.owed[t.seniority] - t.pref
                    if left:
                        new.owed[t.seniority] = left
                    else:
                        del new.owed[t.seniority]
                new.role[cid] = ("common", t.n, ZERO)
                new._lines[i] = (ZERO, "common", t.n, ZERO)
                steady += t.n
                if bends:
                    assert g is not None
                    new._deltas[g] += t.n
                    new._active[g] -= 1
                else:
                    slope0 += t.n
            else:
                if t.pref:
                    new.owed[t.seniority] = new.owed.get(t.seniority, ZERO) + t.pref
                steady -= t.n
                if bends:
                    assert g is not None
                    new.role[cid] = ("capped", t.n, t.room)
                    new._lines[i] = (t.pref, "capped", t.n, t.room)
                    new._deltas[g] -= t.n
                    new._active[g] += 1
                else:
                    new.role.pop(cid, None)
                    new._lines[i] = (t.pref, "", t.n, ZERO)
                    slope0 -= t.n
        bent = any(self._terms[self._at[cid]].capped and self._terms[self._at[cid]].room > 0 for cid in ids)
        new._slope0, new.steady = slope0, steady
        if not bent:
            # Only classes that share from the first residual dollar (or not at all) switched:
            # R keeps its knots and every slope moves by the same amount.
            new.knots, new.positions = self.knots, self.positions
            new._btakes, new._bslopes = self._btakes, self._bslopes
            new._lowest = self._lowest
            new._offset = self._offset + (slope0 - self._slope0)
        new._finish(rebuild=bent)
        return new

    def _finish(self, rebuild: bool = True) -> None:
        """The preference stack and, with ``rebuild``, R's knots from the terms (otherwise R is
        the one it was derived from, every slope raised by ``_offset``: R + offset·P)."""
        owed = self.owed
        self.seniorities = sorted(owed, reverse=True)
        self.before: dict[int, Fraction] = {}
        run = ZERO
        starts = []
        for s in self.seniorities:
            self.before[s] = run
            starts.append(run)
            run += owed[s]
        self.group_starts = starts
        self.total_preference = run
        if rebuild:
            # A price where terms bend is a knot even when their changes cancel in R: the
            # classes' own slopes still change there.
            knots = [ZERO]
            takes = [ZERO]
            slopes = [self._slope0]
            positions = [-1]
            for g, (k, d) in enumerate(zip(self._grid.prices, self._deltas, strict=True)):
                if not self._active[g]:
                    continue
                takes.append(takes[-1] + slopes[-1] * (k - knots[-1]))
                knots.append(k)
                slopes.append(slopes[-1] + d)
                positions.append(g)
            self.positions = positions
            self.knots = knots
            self._btakes = takes
            self._bslopes = slopes
            self._lowest = min(slopes)
            self._offset = ZERO
        self._takes: list[Fraction] | None = None
        self._slopes: list[Fraction] | None = None
        # Where R rises everywhere, the residual price and the proceeds determine each other, so
        # a class waiting at a fixed amount converts exactly when the price reaches that amount
        # per as-converted share (see ``Sweep._waiting``).
        self.strict = self._lowest + self._offset > 0
        self._above_cache: dict[int, Fraction] = {}
        self._conversion_points: dict[str, tuple[Fraction, Fraction]] = {}
        self._floats: tuple[np.ndarray, ...] | None = None

    @property
    def takes(self) -> list[Fraction]:
        """R at each knot."""
        if self._takes is None:
            a = self._offset
            self._takes = self._btakes if not a else [t + a * k for t, k in zip(self._btakes, self.knots, strict=True)]
        return self._takes

    @property
    def slopes(self) -> list[Fraction]:
        """R's slope from each knot."""
        if self._slopes is None:
            a = self._offset
            self._slopes = self._bslopes if not a else [b + a for b in self._bslopes]
        return self._slopes

    def _take(self, j: int) -> Fraction:
        return self._btakes[j] + self._offset * self.knots[j] if self._offset else self._btakes[j]

    def float_lines(self, p: float, dp: float, knot: int) -> tuple[np.ndarray, np.ndarray]:
        """Every class's value and slope just right of a point past the preferences, in floats:
        the price ``p`` rising at ``dp`` on the ``knot``-th interval of R. Which strikes are
        passed and which caps reached is read off the knot's position on the price grid, exactly."""
        if self._floats is None:
            code0, pref0, n, x, pos = self._grid.floats(self._terms)
            conv = np.fromiter((t.id in self.converted for t in self._terms), dtype=bool, count=len(self._terms))
            code = np.where(conv & (code0 != 3) & (n > 0), np.int8(1), code0)
            self._floats = (code, np.where(conv, 0.0, pref0), n, x, pos)
        code, pref, n, x, pos = self._floats
        passed = pos <= self.positions[knot]
        common = code == 1
        rising = common | ((code == 2) & ~passed) | ((code == 3) & passed)
        values = np.where(common | (code == 2) & ~passed, pref + n * p,
                          np.where(code == 2, pref + x, np.where(code == 3, np.where(passed, n * (p - x), 0.0), pref)))
        return values, np.where(rising, n * dp, 0.0)

    # --- the residual take and its inverse --------------------------------------------------
    def _price(self, r: Fraction) -> tuple[int, Fraction, Fraction]:
        """Just right of residual ``r``: the knot interval, the price and dP/dr."""
        i = bisect_right(range(len(self.knots)), r, key=self._take) - 1
        a = self._bslopes[i] + self._offset
        if a == 0:
            return i, self.knots[i], ZERO
        return i, self.knots[i] + (r - self._take(i)) / a, 1 / a

    def absorbs(self) -> bool:
        """Whether the residual take grows without bound (some participant is never capped)."""
        return self._bslopes[-1] + self._offset > 0

    # --- the regime at V --------------------------------------------------------------------
    def price_line(self, v: Fraction) -> tuple[Line, Fraction | None, int | None]:
        """The price's line just right of ``v``, the next event, and the knot interval of R
        (None while preferences are being paid)."""
        s_total = self.total_preference
        if v < s_total:
            g = bisect_right(self.group_starts, v) - 1
            return (ZERO, ZERO), self.group_starts[g] + self.owed[self.seniorities[g]], None
        i, p, dp = self._price(v - s_total)
        return (p, dp), (s_total + self._take(i + 1) if i + 1 < len(self.knots) else None), i

    def regime(self, v: Fraction) -> tuple[list[Line], Line, Fraction | None]:
        """Every class's line just right of ``v``, the price's, and the next event (None: none)."""
        lines: list[Line] = []
        s_total = self.total_preference
        if v < s_total:
            g = bisect_right(self.group_starts, v) - 1
            sen = self.seniorities[g]
            start, owed = self.group_starts[g], self.owed[sen]
            share = (v - start) / owed
            for t, (pref, _, _, _) in zip(self._terms, self._lines, strict=True):
                if not pref or t.seniority < sen:
                    lines.append((ZERO, ZERO))
                elif t.seniority > sen:
                    lines.append((pref, ZERO))
                else:
                    lines.append((pref * share, pref / owed))
            return lines, (ZERO, ZERO), start + owed
        i, p, dp = self._price(v - s_total)
        nxt = s_total + self._take(i + 1) if i + 1 < len(self.knots) else None
        for pref, kind, n, x in self._lines:
            if kind == "common":
                lines.append((pref + n * p, n * dp))
            elif kind == "capped":
                if n * p < x:
                    lines.append((pref + n * p, n * dp))
                else:
                    lines.append((pref + x, ZERO))
            elif kind == "option" and (p > x or (p == x and dp > 0)):
                lines.append((n * (p - x), n * dp))
            elif kind == "option":
                lines.append((ZERO, ZERO))
            else:
                lines.append((pref, ZERO))
        return lines, (p, dp), nxt

    # --- one class's choice switched ---------------------------------------------------------
    def switched(self, c: Claim, v: Fraction) -> tuple[Line, Fraction | None]:
        """Class ``c``'s line just right of ``v`` were it to switch its own choice alone, and the
        end of that line (None: it never ends)."""
        if c.id in self.converted:
            return self._unconverted(c, v)
        return self._converted(c, v)

    def _above(self, seniority: int) -> Fraction:
        """The preferences of the stack senior to ``seniority``."""
        got = self._above_cache.get(seniority)
        if got is None:
            got = self._above_cache[seniority] = sum((self.owed[s] for s in self.seniorities if s > seniority), ZERO)
        return got

    def conversion_point(self, c: Claim, base: Fraction) -> Fraction:
        """For an unconverted class whose payout stays ``base``: the proceeds from which it would
        receive more by converting (converted, it receives ``n·P``, which never falls). Kept per
        class, since a structure's pieces ask again with the same ``base``."""
        got = self._conversion_points.get(c.id)
        if got is not None and got[0] == base:
            return got[1]
        pref = c.preference if c.preference > 0 else ZERO
        role = self.role.get(c.id)
        room = role[2] if role is not None and role[0] == "capped" else None
        at = self.total_preference - pref + self.take_at(base / c.as_converted, c.as_converted, room)
        self._conversion_points[c.id] = (base, at)
        return at

    def below_cap(self, c: Claim, v: Fraction, base: Line) -> bool:
        """Whether ``c`` is an unconverted capped participating class still below its cap, past
        the preferences, beside shares that always participate: it cannot gain by converting.

        Converted, it would receive ``n·P'`` where ``R'(P') = r + pref``; since ``R`` rises
        faster than ``n`` below the class's cap price (the steady shares rise too) and no slower
        than 0 above it, ``n·P' < pref + n·P``, its payout unconverted.
        """
        return (c.id not in self.converted and c.participating and c.cap is not None and base[1] > 0
                and self.steady > 0 and v >= self.total_preference)

    def _converted(self, c: Claim, v: Fraction) -> tuple[Line, Fraction | None]:
        n = c.as_converted
        pref = c.preference if c.preference > 0 else ZERO
        s_alt = self.total_preference - pref
        if v < s_alt:
            return (ZERO, ZERO), s_alt
        role = self.role.get(c.id)
        room = role[2] if role is not None and role[0] == "capped" else None
        p, dp, end_p = self._solve(v - s_alt, n, room, +1)
        return (n * p, n * dp), (None if end_p is None else s_alt + end_p)

    def _unconverted(self, c: Claim, v: Fraction) -> tuple[Line, Fraction | None]:
        n = c.as_converted
        pref = c.preference if c.preference > 0 else ZERO
        ends: list[Fraction] = []
        if pref > 0:
            above = self._above(c.seniority)
            same = self.owed.get(c.seniority, ZERO) + pref
            if v < above:
                paid: Line = (ZERO, ZERO)
                ends.append(above)
            elif v < above + same:
                paid = (pref * (v - above) / same, pref / same)
                ends.append(above + same)
            else:
                paid = (pref, ZERO)
        else:
            paid = (ZERO, ZERO)
        part: Line = (ZERO, ZERO)
        if c.participating and c.cap is not None:
            room = max(c.cap - pref, ZERO)
            s_alt = self.total_preference + pref
            if room > 0:
                if v < s_alt:
                    ends.append(s_alt)
                else:
                    p, dp, end_p = self._solve(v - s_alt, n, room, -1)
                    if end_p is not None:
                        ends.append(s_alt + end_p)
                    part = (n * p, n * dp) if n * p < room or (n * p == room and dp < 0) else (room, ZERO)
        return (paid[0] + part[0], paid[1] + part[1]), (min(ends) if ends else None)

    def take_at(self, p: Fraction, n: Fraction, room: Fraction | None) -> Fraction:
        """``R(P) + n·P − min(n·P, room)``: the residual at which the price is ``p`` once one more
        class (``n`` shares, capped participation ``room`` before) converts."""
        i = bisect_right(self.knots, p) - 1
        base = self.takes[i] + self.slopes[i] * (p - self.knots[i])
        return base + (n * p if room is None else max(n * p - room, ZERO))

    def _solve(self, r: Fraction, n: Fraction, room: Fraction | None, sign: int) -> tuple[Fraction, Fraction,
                                                                                        Fraction | None]:
        """The price just right of residual ``r`` when one class's term in ``R`` changes:
        ``sign = +1`` adds ``n·P`` less its capped participation (``min(n·P, room)``, if any);
        ``sign = −1`` takes ``n·P`` out and puts the capped participation back. Returns the price,
        dP/dr and the residual at which that line ends."""

        def extra(p: Fraction) -> Fraction:
            e = n * p if room is None else max(n * p - room, ZERO)
            return sign * e

        def extra_slope(p_right_of: Fraction) -> Fraction:
            if room is None:
                return sign * n
            return sign * n if n * p_right_of >= room else ZERO

        knots = self.knots
        takes = self.takes
        kink = None if room is None else room / n
        # F(P) = R(P) + extra(P) is non-decreasing: find the last knot (the extra term's kink
        # included) at which F is at most r.
        lo, hi = 0, len(knots)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if takes[mid] + extra(knots[mid]) <= r:
                lo = mid
            else:
                hi = mid
        start = knots[lo]
        nxt = knots[lo + 1] if lo + 1 < len(knots) else None
        if kink is not None and kink > start and (nxt is None or kink < nxt):
            at_kink = takes[lo] + self.slopes[lo] * (kink - start) + extra(kink)
            if at_kink <= r:
                start = kink
            else:
                nxt = kink
        f_start = takes[lo] + self.slopes[lo] * (start - knots[lo]) + extra(start)
        slope = self.slopes[lo] + extra_slope(start)
        if slope <= 0:
            return start, ZERO, None if nxt is None else f_start
        p = start + (r - f_start) / slope
        end = None
        if nxt is not None:
            end = takes[lo] + self.slopes[lo] * (nxt - knots[lo]) + extra(nxt)
        return p, 1 / slope, end


def _later(a: Line, b: Line) -> int:
    """Compare two lines just right of the same point: −1, 0 or 1."""
    if a == b:
        return 0
    return 1 if a > b else -1


class Sweep:
    """Every regime of an equity entity from proceeds 0 upwards (see the module's docstring)."""

    def __init__(self, entity_id: str, claims: Sequence[Claim]) -> None:
        self.entity_id = entity_id
        self.claims = list(claims)
        self.index = {c.id: i for i, c in enumerate(self.claims)}
        self.terms = [Terms.of(c) for c in self.claims]
        self.grid = Grid.of(self.terms)
        self.order = sorted((c for c in self.claims if c.convertible and c.as_converted > 0),
                            key=lambda c: (c.conversion_threshold, c.id))
        self._structures: dict[frozenset[str], Structure] = {}
        self._last: Structure | None = None
        # The most a class can receive unconverted: its preference, and a capped class its cap.
        self.ceiling = {c.id: max(c.preference, c.cap if c.participating and c.cap is not None else ZERO)
                        for c in self.order}
        self._thresholds: dict[str, tuple[Fraction, Fraction]] = {}
        # Each convertible class's threshold price: the most it can receive unconverted, per
        # as-converted share. Past the preferences, where the residual take rises strictly and
        # some shares always participate, a class converts exactly when the price reaches it,
        # whatever the others chose (see ``_waiting`` and ``Structure.below_cap``).
        ranked = sorted((self.ceiling[c.id] / c.as_converted, c.id) for c in self.order)
        self.prices = [p for p, _ in ranked]
        self.ranked = [k for _, k in ranked]
        self.priced = all(self.ceiling[c.id] > 0 for c in self.order)
        self.positive = all(c.preference > 0 for c in self.order)
        self._below: dict[int, frozenset[str]] = {}

    def _quiet(self, st: Structure, v: Fraction) -> bool:
        """Whether no class would switch just right of ``v`` while preferences are being paid,
        none having converted and some shares always participating.

        Converted, class ``c`` would stand behind every preference left, ``S − pref``, and share
        ``r = v − S + pref`` with at least ``n + steady`` shares: it would receive less than ``r``
        (nothing while ``r ≤ 0``). Unconverted it receives its preference if its group is paid,
        ``pref·y/owed`` if its group is being filled ``y`` into ``owed`` (and ``r ≤ y·pref/owed``
        there), nothing if its group is junior (where ``r < 0``). So it never gains by converting.
        """
        return self.positive and not st.converted and st.steady > 0 and v < st.total_preference

    def _by_price(self, st: Structure, v: Fraction, price: Line) -> int | None:
        """Where ``st`` is, just right of ``v``, the equilibrium that the threshold prices give
        (every class converted whose threshold the price has reached, no other): how many
        thresholds the price has reached. None where that shortcut does not apply."""
        p, dp = price
        if not (self.priced and dp > 0 and st.strict and st.steady > 0 and v >= st.total_preference):
            return None
        k = bisect_right(self.prices, p)
        below = self._below.get(k)
        if below is None:
            below = self._below[k] = frozenset(self.ranked[:k])
        return k if st.converted == below else None

    def _waiting(self, st: Structure, c: Claim, v: Fraction, base: Line) -> Fraction | None:
        """The residual price at which class ``c`` converts, where ``c`` is waiting: unconverted,
        its payout a constant ``b > 0`` (its preference paid, or its cap reached), all preferences
        paid at ``v`` and the residual take strictly rising; None otherwise.

        Converted, ``c`` would receive ``n·P'`` at the price ``P'`` of the structure with ``c``
        converted. Its switch point is ``S − pref + R'(b/n)`` (:meth:`Structure.conversion_point`),
        and ``R'(b/n) = R(b/n) + b − pref`` with ``R`` the take of the current structure, since
        converting swaps ``c``'s capped term (``b − pref`` at that price) for ``n·P``. So it is
        ``S + R(b/n)``: the proceeds at which the current price reaches ``b/n``. That price does
        not depend on which other classes have converted, so it is worked out once per class.
        """
        if c.id in st.converted or base[1] != 0 or not base[0] > 0 or not st.strict or v < st.total_preference:
            return None
        got = self._thresholds.get(c.id)
        if got is None or got[0] != base[0]:
            got = self._thresholds[c.id] = (base[0], base[0] / c.as_converted)
        return got[1]

    def structure(self, converted: frozenset[str]) -> Structure:
        st = self._structures.get(converted)
        if st is None:
            last = self._last
            if last is not None and len(last.converted ^ converted) <= 4:
                st = last.toggled(last.converted ^ converted)
            else:
                st = Structure(self.claims, converted, self.terms, self.grid)
            self._structures[converted] = st
        self._last = st
        return st

    def _holds(self, st: Structure, reg: tuple[list[Line], Line, Fraction | None], v: Fraction) -> bool:
        """Whether ``st.converted`` is an equilibrium just right of ``v`` (``reg`` its regime there)."""
        lines, (price, _), _ = reg
        return not any(self._violated(st, c, v, lines[self.index[c.id]], price) for c in self.order)

    def _violated(self, st: Structure, c: Claim, v: Fraction, base: Line, price: Fraction) -> bool:
        """Whether class ``c``, whose line under ``st`` is ``base``, gains just right of ``v`` by
        switching (converted: no longer strictly gains by having converted)."""
        if c.id in st.converted:
            if base[0] > self.ceiling[c.id]:
                return False
        elif base[1] == 0:
            pstar = self._waiting(st, c, v, base)
            if pstar is not None:
                return pstar <= price
            return st.conversion_point(c, base[0]) <= v
        elif st.below_cap(c, v, base):
            return False
        alt, _ = st.switched(c, v)
        cmp = _later(alt, base)
        return cmp >= 0 if c.id in st.converted else cmp > 0

    def _equilibrium(self, v: Fraction, hint: frozenset[str] | None) -> tuple[Structure, Regime]:
        """The equilibrium just right of ``v``: ``hint`` if it holds, else as the engine finds it."""
        def tried() -> Iterator[frozenset[str]]:
            if hint is not None:
                yield hint
            for k in range(len(self.order) + 1):
                yield frozenset(c.id for c in self.order[:k])

        for cand in tried():
            st = self.structure(cand)
            price, end, knot = st.price_line(v)
            if self._by_price(st, v, price) is not None or self._quiet(st, v):
                return st, Regime(None, price, end, knot)
            lines = st.regime(v)[0]
            if self._holds(st, (lines, price, end), v):
                return st, Regime(lines, price, end, knot)
        current: frozenset[str] = frozenset()
        seen = {current}
        while True:
            st = self.structure(current)
            lines, price, end = st.regime(v)
            move = None
            for c in self.order:
                alt, _ = st.switched(c, v)
                cmp = _later(alt, lines[self.index[c.id]])
                if (c.id in current and cmp >= 0) or (c.id not in current and cmp > 0):
                    move = c.id
                    break
            if move is None:
                return st, Regime(lines, price, end, st.price_line(v)[2])
            current = current ^ {move}
            if current in seen:
                raise NoRegime(f"no conversion equilibrium for entity {self.entity_id!r} just above {float(v)}")
            seen.add(current)

    def _switch_point(self, st: Structure, c: Claim, v: Fraction, base: Line, end: Fraction | None) -> Fraction | None:
        """The first point in ``[v, end)`` past ``v`` where class ``c`` would switch, its line under
        ``st`` being ``base`` there."""
        converted = c.id in st.converted
        if converted and base[0] > self.ceiling[c.id] and base[1] >= 0:
            return None
        if st.below_cap(c, v, base):
            # Until the cap is reached, which ends the piece (a knot of R).
            return None
        if not converted and base[1] == 0:
            # Converting pays n·P, which never falls: the first point where it exceeds the
            # constant base is where the price reaches base / n.
            at = st.conversion_point(c, base[0])
            if at > v:
                return at if end is None or at < end else None
        x = v
        while end is None or x < end:
            alt, alt_end = st.switched(c, x)
            b = base[0] + base[1] * (x - v)
            d0, ds = alt[0] - b, alt[1] - base[1]
            if x > v and (d0 > 0 or (d0 == 0 and (ds > 0 or (converted and ds == 0)))):
                return x
            seg_end = alt_end if end is None else (end if alt_end is None else min(alt_end, end))
            if d0 < 0 < ds:
                root = x - d0 / ds
                if seg_end is None or root < seg_end:
                    return root
            if seg_end is None or seg_end <= x:
                return None
            x = seg_end
        return None

    def pieces(self) -> list[Piece]:
        """The regimes from 0 upwards, consecutive ones with the same slopes merged."""
        unconverted = self.structure(frozenset())
        if not unconverted.absorbs():
            # Every residual participant capped and no common shares: amounts beyond what the
            # classes take unconverted are an error (SPEC §3 rule 4), which the engine words.
            most = unconverted.total_preference + unconverted.takes[-1]
            split(self.entity_id, self.claims, most * 2 + 1, frozenset())
        v = ZERO
        st, reg = self._equilibrium(v, None)
        out: list[Piece] = []
        while True:
            lines, price, end = reg.lines, reg.price, reg.end
            nxt = end
            flips: list[str] = []
            p0, dp = price
            k = self._by_price(st, v, price) if lines is None else None
            if k is None and lines is None and self._quiet(st, v):
                # Preferences being paid: the piece ends where its seniority group is paid.
                out.append(Piece(v, st.converted, price, st, None, None))
            elif k is not None:
                # The next conversion is the next threshold price, reached at v + (p* − p0)/dp.
                if k < len(self.prices) and (nxt is None or self.prices[k] <= p0 + dp * (nxt - v)):
                    first = v + (self.prices[k] - p0) / dp
                    same = [i for i in range(k, len(self.prices)) if self.prices[i] == self.prices[k]]
                    if nxt is not None and first == nxt:
                        flips = [self.ranked[i] for i in same]
                    else:
                        nxt, flips = first, [self.ranked[i] for i in same]
                # Past the preferences every event changes some slope (a knot of R, a
                # conversion): the piece stands on its own, its lines worked out when read.
                out.append(Piece(v, st.converted, price, st, None, reg.knot))
            else:
                if lines is None:
                    lines = st.regime(v)[0]
                for c in self.order:
                    base = lines[self.index[c.id]]
                    pstar = self._waiting(st, c, v, base) if dp > 0 else None
                    if pstar is not None and pstar > p0:
                        # The current price reaches the class's threshold at v + (p* − p0)/dp.
                        if nxt is not None and pstar > p0 + dp * (nxt - v):
                            continue
                        at: Fraction | None = v + (pstar - p0) / dp
                    else:
                        at = self._switch_point(st, c, v, base, nxt)
                    if at is not None and (nxt is None or at <= nxt):
                        if nxt is not None and at == nxt:
                            flips.append(c.id)
                        else:
                            nxt, flips = at, [c.id]
                last = out[-1] if out else None
                if not (last is not None and last.converted == st.converted and last.slopes == tuple(
                        line[1] for line in lines)):
                    out.append(Piece(v, st.converted, price, st, lines, reg.knot))
            if nxt is None:
                return out
            if nxt <= v:
                raise NoRegime(f"the regime sweep of entity {self.entity_id!r} did not advance at {float(v)}")
            hint = st.converted ^ frozenset(flips) if flips else st.converted
            v = nxt
            st, reg = self._equilibrium(v, hint)
