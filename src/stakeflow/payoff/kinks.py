"""Exact kinks of a continuous piecewise-linear function, found by asking it for values only.

The function is a black box ``F: [0, ∞) → Qᴰ`` (the exact engine: every recipient's and every
class's payout at proceeds ``V``), continuous, piecewise linear with finitely many pieces, and
linear beyond a known ``upper`` bound.

**Slopes.** The slope of the piece just right of ``p`` is ``(F(p + ε) − F(p)) / ε`` and just left
``(F(p) − F(p − ε)) / ε`` with ``ε = 10⁻³⁰`` (a currency unit): exact, because no kink lies
within ``ε`` of ``p`` — kinks are rationals built from amounts written with far fewer digits.
That is the method's resolution: two kinks closer than ``ε`` would be seen as one.

**Search.** On an interval ``[a, b]`` with ``F(a)``, ``F(b)``, the slope ``r`` just right of
``a`` and ``l`` just left of ``b`` known:

* if the lines ``La(x) = F(a) + r·(x − a)`` and ``Lb(x) = F(b) + l·(x − b)`` are one line, ``F`` is
  linear on ``[a, b]`` unless a probe inside is off it (then a probe is a split point);
* otherwise, if the lines meet at one point ``x* = (F(b) − F(a) + r·a − l·b) / (r − l)`` in
  ``(a, b)`` (the same for every component whose slope changes), ``x*`` is the single kink between
  them when ``F(x*)`` lies on both lines, the slopes just left and right of ``x*`` are ``r`` and
  ``l`` (``F(x*)`` alone is not enough: when the lines of the outer pieces meet beside the pieces
  between them, ``F(x*)`` lies on both anyway), and a probe on each side lies on its line;
* when a check fails there are several kinks: the interval is split (at ``x*``, else at a
  probe), the slopes on both sides of the split point are measured, and both halves searched.

When the search settles, every interval between consecutive kinks is probed once more at a
point no earlier probe used and searched again if ``F`` is off its line there. Probes sit at
fractions of the interval with large prime denominators, away from the round amounts where
terms put their kinks. Everything is exact (``Fraction``): "lies on the line" is equality.

What no finite set of probes can rule out is a feature that leaves a line and comes back to
the very same line (in every component) between two probes; the property tests compare the
result with the engine at random points inside every interval.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..scenario.errors import StakeflowError
from . import _messages as M

Vector = tuple[Fraction, ...]

EPSILON = Fraction(1, 10**30)
PROBE = Fraction(3989, 10007)
SECOND_PROBE = Fraction(7213, 9973)
SWEEP_PROBE = Fraction(1187, 9949)
MAX_SWEEPS = 50
# Payout slopes are shares of a marginal currency unit; a slope this steep is a jump.
STEEPEST = 10**9
# Narrower than this, an interval that still fails its checks holds a jump, not kinks.
FINEST = Fraction(1, 10**24)
MAX_EVALUATIONS = 20_000


class KinkSearchError(StakeflowError):
    """The payouts did not behave as continuous piecewise-linear functions of the proceeds."""


@dataclass(frozen=True)
class Kink:
    """A point where the slope of some component changes: slopes just left and just right."""

    at: Fraction
    left: Vector
    right: Vector


class Sampler:
    """``F`` with every exact evaluation remembered (the engine solves an equilibrium per call)."""

    def __init__(self, fn: Callable[[Fraction], Vector]) -> None:
        self._fn = fn
        self.cache: dict[Fraction, Vector] = {}

    def __call__(self, x: Fraction) -> Vector:
        got = self.cache.get(x)
        if got is None:
            if len(self.cache) >= MAX_EVALUATIONS:
                raise KinkSearchError(M.TOO_MANY_EVALUATIONS.format(count=MAX_EVALUATIONS))
            got = self._fn(x)
            self.cache[x] = got
        return got

    @property
    def calls(self) -> int:
        return len(self.cache)


def _on_line(fx: Vector, fa: Vector, slope: Vector, dx: Fraction) -> bool:
    return all(v == a + s * dx for v, a, s in zip(fx, fa, slope, strict=True))


def _slope(lo: Vector, hi: Vector, at: Fraction) -> Vector:
    slope = tuple((b - a) / EPSILON for a, b in zip(lo, hi, strict=True))
    if any(abs(s) > STEEPEST for s in slope):
        raise KinkSearchError(M.JUMP.format(at=float(at)))
    return slope


def right_slope(f: Sampler, p: Fraction) -> Vector:
    """The slope of the piece just right of ``p``: ``(F(p + ε) − F(p)) / ε``."""
    return _slope(f(p), f(p + EPSILON), p)


def left_slope(f: Sampler, p: Fraction) -> Vector:
    """The slope of the piece just left of ``p > 0``: ``(F(p) − F(p − ε)) / ε``."""
    return _slope(f(p - EPSILON), f(p), p)


_SAME_LINE = "same line"


def _meeting_point(
    a: Fraction, fa: Vector, r: Vector, b: Fraction, fb: Vector, l_: Vector
) -> Fraction | str | None:
    """Where ``La`` meets ``Lb`` for every component at once; ``_SAME_LINE`` when they coincide,
    ``None`` when no single point works (then there are several kinks)."""
    x: Fraction | None = None
    for fa_i, r_i, fb_i, l_i in zip(fa, r, fb, l_, strict=True):
        if r_i == l_i:
            if fb_i - fa_i != r_i * (b - a):
                return None
            continue
        x_i = (fb_i - fa_i + r_i * a - l_i * b) / (r_i - l_i)
        if x is None:
            x = x_i
        elif x != x_i:
            return None
    return _SAME_LINE if x is None else x


def _refine(f: Sampler, a: Fraction, b: Fraction, r: Vector, l_: Vector, kinks: dict[Fraction, Kink]) -> None:
    """Add to ``kinks`` every kink of ``F`` in ``(a, b)``, given the slope ``r`` just right of ``a``
    and ``l`` just left of ``b``."""
    stack: list[tuple[Fraction, Fraction, Vector, Vector]] = [(a, b, r, l_)]
    while stack:
        a, b, r, l_ = stack.pop()
        if b - a < FINEST:
            raise KinkSearchError(M.JUMP.format(at=float(a)))
        fa, fb = f(a), f(b)
        meet = _meeting_point(a, fa, r, b, fb, l_)
        if meet == _SAME_LINE:
            probes = (a + (b - a) * PROBE, a + (b - a) * SECOND_PROBE)
            off = [p for p in probes if not _on_line(f(p), fa, r, p - a)]
            if not off:
                continue
            split = off[0]
        elif isinstance(meet, Fraction) and a < meet < b:
            x = meet
            if (
                _on_line(f(x), fa, r, x - a)
                and left_slope(f, x) == r
                and right_slope(f, x) == l_
                and _on_line(f(a + (x - a) * PROBE), fa, r, (x - a) * PROBE)
                and _on_line(f(x + (b - x) * PROBE), fb, l_, x + (b - x) * PROBE - b)
            ):
                kinks[x] = Kink(x, r, l_)
                continue
            split = x
        else:
            split = a + (b - a) * PROBE
        left, right = left_slope(f, split), right_slope(f, split)
        if left != right:
            kinks[split] = Kink(split, left, right)
        stack.append((split, b, right, l_))
        stack.append((a, split, r, left))


def find_kinks(f: Sampler, upper: Fraction, slope_after: Vector) -> tuple[Vector, list[Kink]]:
    """The slope just above 0 and every kink of ``F`` on ``(0, upper)``, in increasing order.

    ``slope_after`` is the slope of ``F`` beyond ``upper``, where ``F`` is known to be linear (so
    the piece just left of ``upper`` has that slope too).
    """
    start = right_slope(f, Fraction(0))
    kinks: dict[Fraction, Kink] = {}
    _refine(f, Fraction(0), upper, start, slope_after, kinks)
    checked: set[tuple[Fraction, Fraction]] = set()
    for _ in range(MAX_SWEEPS):
        points = [Fraction(0), *sorted(kinks), upper]
        rights = [start, *(kinks[k].right for k in sorted(kinks))]
        lefts = [*(kinks[k].left for k in sorted(kinks)), slope_after]
        again = False
        for a, b, r, l_ in zip(points[:-1], points[1:], rights, lefts, strict=True):
            if (a, b) in checked:
                continue
            checked.add((a, b))
            p = a + (b - a) * SWEEP_PROBE
            if not _on_line(f(p), f(a), r, p - a):
                _refine(f, a, b, r, l_, kinks)
                again = True
        if not again:
            return start, [kinks[k] for k in sorted(kinks)]
    raise KinkSearchError(M.UNSETTLED)


def restrict(kinks: Sequence[Kink], start: Vector, columns: Sequence[int]) -> tuple[list[Fraction], list[Vector]]:
    """The kinks of the components ``columns`` only (points where one of them changes slope),
    with ``0`` first, and the slopes of those components just right of each point."""
    points = [Fraction(0)]
    slopes = [tuple(start[c] for c in columns)]
    for k in kinks:
        left = tuple(k.left[c] for c in columns)
        right = tuple(k.right[c] for c in columns)
        if left != right:
            points.append(k.at)
            slopes.append(right)
    return points, slopes
