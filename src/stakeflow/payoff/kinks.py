"""Exact kinks of a continuous piecewise-linear function, found by asking it for values only.

The function is a black box ``F: [0, ∞) → Qᴰ`` (the exact engine: every recipient's and every
class's payout at proceeds ``V``), continuous, piecewise linear with finitely many pieces, and
linear beyond a known ``upper`` bound. The method works on an interval ``[a, b]`` knowing
``F(a)``, ``F(b)``, the slope ``r`` of the piece just right of ``a`` and the slope ``l`` of the
piece just left of ``b``:

* if the two lines ``F(a) + r·(x − a)`` and ``F(b) + l·(x − b)`` are the same line, ``F`` is
  taken to be linear on ``[a, b]`` once a probe inside agrees;
* otherwise, if the lines meet at one point ``x*`` in ``(a, b)`` (the same ``x*`` for every
  component whose slope changes), ``x*`` is the kink between them when ``F(x*)`` lies on both
  lines and a probe on each side lies on its line;
* when a check fails there are several kinks: the interval is split (at ``x*``, or at a probe
  point), the one-sided slopes at the split point are measured, and both halves are refined.

A one-sided slope at ``p`` is the common slope of the chords ``p → p ± h`` and
``p ± h → p ± 2h``; when the two chords disagree a kink lies within ``2h`` and ``h`` is shrunk
until they agree. Probes and steps use fractions with large prime denominators, so that kinks
that sit at round amounts never fall on a probe by construction. Everything is exact
(``Fraction``), so "lies on the line" means equality, not a tolerance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

Vector = tuple[Fraction, ...]

# Where probes and split points fall inside an interval, and how the step of a one-sided slope
# starts and shrinks: fractions with prime denominators, away from the round amounts at which
# terms put their kinks.
PROBE = Fraction(3989, 10007)
SECOND_PROBE = Fraction(7213, 9973)
SWEEP_PROBE = Fraction(1187, 9949)
MAX_SWEEPS = 50
FIRST_STEP = Fraction(1, 7919)
SHRINK = Fraction(1, 31)
MAX_SHRINKS = 400


class KinkSearchError(RuntimeError):
    """The function did not behave as a continuous piecewise-linear function (an engine bug)."""


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
            got = self._fn(x)
            self.cache[x] = got
        return got

    @property
    def calls(self) -> int:
        return len(self.cache)


def _on_line(fx: Vector, fa: Vector, slope: Vector, dx: Fraction) -> bool:
    return all(v == a + s * dx for v, a, s in zip(fx, fa, slope, strict=True))


def one_sided_slope(f: Sampler, p: Fraction, side: int, room: Fraction) -> Vector:
    """The slope of the piece just right (``side=+1``) or just left (``side=-1``) of ``p``.

    ``room`` is how far from ``p`` the function may be sampled on that side.
    """
    h = room * FIRST_STEP
    f0 = f(p)
    for _ in range(MAX_SHRINKS):
        d = h if side > 0 else -h
        f1, f2 = f(p + d), f(p + 2 * d)
        s1 = tuple((b - a) / d for a, b in zip(f0, f1, strict=True))
        if all(b == a + s * d for a, b, s in zip(f1, f2, s1, strict=True)):
            return s1
        h *= SHRINK
    raise KinkSearchError(f"no linear piece found next to {float(p)}")


_SAME_LINE = "same line"


def _meeting_point(
    a: Fraction, fa: Vector, r: Vector, b: Fraction, fb: Vector, l_: Vector
) -> Fraction | str | None:
    """Where the line through ``(a, F(a))`` with slope ``r`` meets the one through ``(b, F(b))``
    with slope ``l``, for every component at once: ``x* = (F(b) − F(a) + r·a − l·b) / (r − l)``.

    ``_SAME_LINE`` when they coincide; ``None`` when no single point works (several kinks).
    """
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
        fa, fb = f(a), f(b)
        meet = _meeting_point(a, fa, r, b, fb, l_)
        if meet == _SAME_LINE:
            probes = (a + (b - a) * PROBE, a + (b - a) * SECOND_PROBE)
            bad = [p for p in probes if not _on_line(f(p), fa, r, p - a)]
            if not bad:
                continue
            split = bad[0]
        elif isinstance(meet, Fraction) and a < meet < b:
            x = meet
            near = min(x - a, b - x) * FIRST_STEP
            left_probes = (x - near, a + (x - a) * PROBE)
            right_probes = (x + near, x + (b - x) * PROBE)
            # F(x) on both lines is not enough: when the lines of the two outer pieces meet
            # outside the pieces between them (a zigzag), F(x) lies on both anyway. Points next
            # to x on each side pin the slopes there; far probes look for pieces further out.
            if (
                _on_line(f(x), fa, r, x - a)
                and all(_on_line(f(p), fa, r, p - a) for p in left_probes)
                and all(_on_line(f(p), fb, l_, p - b) for p in right_probes)
            ):
                kinks[x] = Kink(x, r, l_)
                continue
            split = x
        else:
            split = a + (b - a) * PROBE
        left = one_sided_slope(f, split, -1, split - a)
        right = one_sided_slope(f, split, +1, b - split)
        if left != right:
            kinks[split] = Kink(split, left, right)
        stack.append((split, b, right, l_))
        stack.append((a, split, r, left))


def find_kinks(f: Sampler, upper: Fraction, slope_after: Vector) -> tuple[Vector, list[Kink]]:
    """The slope just above 0 and every kink of ``F`` on ``(0, upper)``, in increasing order.

    ``slope_after`` is the slope of ``F`` beyond ``upper``, where ``F`` is known to be linear (so
    the piece just left of ``upper`` has that slope too). Once the search settles, every interval
    between consecutive kinks is checked once more at a point no earlier probe used, and
    searched again if ``F`` is not on its line there.
    """
    start = one_sided_slope(f, Fraction(0), +1, upper)
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
    raise KinkSearchError("the kink search did not settle")


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
