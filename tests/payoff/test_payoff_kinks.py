"""The kink search on its own, on piecewise-linear functions whose kinks are known in closed form,
and the search bound against the structures it bounds."""

from __future__ import annotations

from bisect import bisect_right
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stakeflow as sf
from stakeflow.payoff.bound import equity_bound, tier_bound
from stakeflow.payoff.kinks import Sampler, Vector, find_kinks, restrict


def polyline(kinks: list[F], slopes: list[Vector]):  # type: ignore[no-untyped-def]
    """The continuous function, zero at zero, with slope ``slopes[k]`` from ``kinks[k-1]`` on."""
    points = [F(0), *kinks]
    values = [tuple(F(0) for _ in slopes[0])]
    for k in range(1, len(points)):
        d = points[k] - points[k - 1]
        values.append(tuple(v + s * d for v, s in zip(values[-1], slopes[k - 1], strict=True)))

    def f(x: F) -> Vector:
        k = bisect_right(points, x) - 1
        return tuple(v + s * (x - points[k]) for v, s in zip(values[k], slopes[k], strict=True))

    return f


def search(kinks: list[F], slopes: list[Vector], upper: F) -> tuple[Vector, list[F], Sampler]:
    f = Sampler(polyline(kinks, slopes))
    start, found = find_kinks(f, upper, slopes[-1])
    for k in found:
        i = kinks.index(k.at)
        assert (k.left, k.right) == (slopes[i], slopes[i + 1])
    return start, [k.at for k in found], f


def test_zigzag_where_outer_lines_meet_before_the_middle_piece() -> None:
    """Two holders; 1:0 up to 2M, 1:2 up to 3M, 1:1 after. The lines of the first and last
    pieces meet at 5M/3, where F lies on both: a single-kink answer there would be wrong."""
    kinks = [F(2_000_000), F(3_000_000)]
    slopes = [(F(1), F(0)), (F(1, 3), F(2, 3)), (F(1, 2), F(1, 2))]
    start, found, _ = search(kinks, slopes, F(6_000_001))
    assert start == slopes[0] and found == kinks


def test_kinks_very_close_together_and_very_near_zero() -> None:
    kinks = [F(1, 10**9), F(10**6), F(10**6) + F(1, 10**6), F(10**12)]
    slopes = [(F(1), F(0)), (F(0), F(1)), (F(1, 2), F(1, 2)), (F(1, 3), F(2, 3)), (F(1, 10), F(9, 10))]
    _, found, _ = search(kinks, slopes, F(10**13))
    assert found == kinks


def test_linear_function_has_no_kinks_and_costs_few_evaluations() -> None:
    _, found, f = search([], [(F(3, 7), F(4, 7))], F(10**9))
    assert found == [] and f.calls <= 8


def test_restrict_keeps_only_the_kinks_of_the_chosen_components() -> None:
    kinks = [F(5), F(9)]
    slopes = [(F(1), F(0)), (F(1), F(2)), (F(0), F(2))]
    f = Sampler(polyline(kinks, slopes))
    start, found = find_kinks(f, F(100), slopes[-1])
    assert restrict(found, start, [0]) == ([F(0), F(9)], [(F(1),), (F(0),)])
    assert restrict(found, start, [1]) == ([F(0), F(5)], [(F(0),), (F(2),)])


slope_values = st.fractions(min_value=-2, max_value=3, max_denominator=12)


@st.composite
def polylines(draw: st.DrawFn) -> tuple[list[F], list[Vector], F]:
    dim = draw(st.integers(1, 4))
    raw = draw(st.lists(st.one_of(st.integers(1, 10**4).map(lambda n: F(n * 250_000)),
                                  st.fractions(min_value=F(1, 997), max_value=10**9, max_denominator=997)),
                        min_size=0, max_size=8, unique=True))
    kinks = sorted(raw)
    slopes: list[Vector] = [tuple(draw(slope_values) for _ in range(dim))]
    for _ in kinks:
        nxt = tuple(draw(slope_values) for _ in range(dim))
        if nxt == slopes[-1]:
            nxt = (nxt[0] + 1, *nxt[1:])
        slopes.append(nxt)
    upper = (kinks[-1] if kinks else F(1)) * draw(st.sampled_from([F(1001, 1000), F(2), F(10**6)]))
    return kinks, slopes, upper


@settings(max_examples=60)
@given(case=polylines())
def test_search_recovers_known_kinks(case: tuple[list[F], list[Vector], F]) -> None:
    kinks, slopes, upper = case
    start, found, _ = search(kinks, slopes, upper)
    assert start == slopes[0]
    assert found == kinks


@pytest.mark.parametrize(
    ("case", "bound"),
    [
        # ComplexCo: preferences 2,500, no caps, 2,550 shares, highest per-share threshold $10
        # (the warrants' strike): 2·(2,500 + 2,550·10) + 1.
        ("mercer_complexco", 2 * (2500 + 2550 * 10) + 1),
    ],
)
def test_equity_bound_formula(case: str, bound: int) -> None:
    from pathlib import Path

    sc = sf.load(Path(__file__).parent / "cases" / f"{case}.yaml")
    assert equity_bound(sc.entities[0]) == bound


def test_tier_bound_formula() -> None:
    """Capped-profit tiers: tier 1 ends by 13B/(3/4); tier 2 by the slower of 105B/(49/100) and
    150B/(49/100): 2·(13B·4/3 + 150B·100/49) + 1."""
    from pathlib import Path

    sc = sf.load(Path(__file__).parents[1] / "cases" / "capped_profit_tiers.yaml")
    ent = sc.entity("openai_global")
    assert tier_bound(ent) == 2 * (F(13 * 10**9) * F(4, 3) + F(150 * 10**9) * F(100, 49)) + 1


def test_a_jump_is_reported_not_searched_forever() -> None:
    """A payout that jumps (a bonus paid above a threshold) is not a payoff curve (SPEC §5)."""
    from stakeflow.payoff import KinkSearchError

    def bonus(x: F) -> Vector:
        return (x / 2 + (F(10**6) if x > 3 * 10**6 else F(0)), x / 2)

    with pytest.raises(KinkSearchError, match="jump near proceeds of 3,000,000"):
        find_kinks(Sampler(bonus), F(10**7), (F(1, 2), F(1, 2)))
