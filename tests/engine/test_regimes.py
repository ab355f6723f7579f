"""The regime sweep against the plain engine (the reference), on large generated tables.

For each generated late-stage table (many preferred series, option strikes, warrants, post- and
pre-money SAFEs and notes, many holders) the swept pieces must give, at every piece start,
every midpoint, a point just inside every piece and far beyond the last:

* every class's amount equal to ``split`` under ``equilibrium`` exactly;
* a converted set that is a conversion equilibrium there: trying each class's switch alone
  (``is_equilibrium``) gains nothing;

and the compiled ``sf.waterfall`` and ``sf.payoff_curve`` equal the plain engine exactly.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from large_tables import build, late_stage

import stakeflow as sf
from stakeflow.engine import claims_of, equilibrium, is_equilibrium, reference_waterfall, split
from stakeflow.engine.compiled import compile_entity


def sample_points(starts: tuple[Fraction, ...], rnd: random.Random) -> list[Fraction]:
    pts: list[Fraction] = []
    for i, s in enumerate(starts):
        nxt = starts[i + 1] if i + 1 < len(starts) else 3 * s + 10**7
        pts += [s, (s + nxt) / 2, s + (nxt - s) / 997, s + (nxt - s) * Fraction(rnd.randint(1, 999), 1000)]
    pts.append(10 * starts[-1] + 12345)
    return pts


def check_table(doc: dict[str, object], seed: int, points: int = 40) -> None:
    """The plain engine solves the equilibrium afresh at each point (its cost grows as the cube
    of the classes), so a large table is checked at ``points`` of its sample points, drawn from
    ``seed``, every piece start among the candidates."""
    sc = build(doc)
    ent = sc.entities[0]
    claims = claims_of(ent)
    ce = compile_entity(ent)
    rnd = random.Random(seed)
    pts = sample_points(ce.starts, rnd)
    if len(pts) > points:
        pts = [*rnd.sample(pts[:-1], points - 1), pts[-1]]
    for x in pts:
        conv = equilibrium(ent.id, claims, x)
        want = split(ent.id, claims, x, conv).amounts
        assert dict(zip([c for c, _ in ce.parts], ce.at(x), strict=True)) == want, float(x)
        assert is_equilibrium(ent.id, claims, x, ce.converted_at(x)), float(x)
        k = ce.piece(x)
        if x != ce.starts[k]:
            # Inside a piece the swept equilibrium is the engine's own.
            assert ce.converted_at(x) == conv, float(x)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_late_stage_tables_match_the_plain_engine(seed: int) -> None:
    check_table(late_stage(seed, series=10, strikes=20, warrants=4, holders=200, safes=3, notes=2), seed)


def test_forty_classes_with_many_strikes_safes_and_notes() -> None:
    check_table(late_stage(40, series=14, strikes=16, warrants=4, holders=120, safes=4, notes=2), 40)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10**6), series=st.integers(1, 6), strikes=st.integers(0, 8),
       warrants=st.integers(0, 3), safes=st.integers(0, 2), notes=st.integers(0, 2))
def test_generated_tables_match_the_plain_engine(seed: int, series: int, strikes: int, warrants: int,
                                                 safes: int, notes: int) -> None:
    check_table(late_stage(seed, series=series, strikes=strikes, warrants=warrants, holders=40, safes=safes,
                           notes=notes), seed, points=20)


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), series=st.integers(1, 14), strikes=st.integers(0, 20),
       warrants=st.integers(0, 10), safes=st.integers(0, 5), notes=st.integers(0, 3))
def test_many_generated_tables_match_the_plain_engine(seed: int, series: int, strikes: int, warrants: int,
                                                      safes: int, notes: int) -> None:
    check_table(late_stage(seed, series=series, strikes=strikes, warrants=warrants, holders=60, safes=safes,
                           notes=notes), seed)


def test_compiled_waterfall_and_curve_equal_the_plain_engine_with_many_holders() -> None:
    sc = build(late_stage(5, series=6, strikes=10, warrants=3, holders=600, safes=2, notes=1))
    curve = sf.payoff_curve(sc)
    assert len(curve.holders) > 500
    pts = curve.breakpoints
    rnd = random.Random(5)
    for x in rnd.sample(sample_points(tuple(pts), rnd), 12):
        ref = reference_waterfall(sc, x)
        got = sf.waterfall(sc, x)
        assert got.holders == ref.holders
        assert got.entities == ref.entities
        assert curve.value_at(x) == ref.holders
    # The ledger is the plain engine's, written when asked for.
    assert got.steps == ref.steps and got.steps


def test_the_compiled_regimes_are_kept_with_the_scenario() -> None:
    from stakeflow.engine.compiled import compiled

    sc = build(late_stage(6, series=4, strikes=3, warrants=1, holders=20))
    ent = sc.entities[0]
    assert compiled(sc, ent, None) is compiled(sc, ent, None)
    other = sc.model_copy(deep=True)
    assert compiled(other, other.entities[0], None) is not compiled(sc, ent, None)


@pytest.mark.parametrize("seed", [4, 5])
def test_float_rows_equal_the_exact_rows(seed: int) -> None:
    """The curve's float tables come from the pieces directly (past the preferences, from the
    structure and the price); they must be the exact rows rounded, to a relative 1e-12."""
    ent = build(late_stage(seed, series=12, strikes=30, warrants=4, holders=50, safes=1, notes=1)).entities[0]
    ce = compile_entity(ent)
    fv, fs = ce.float_rows()
    for k in range(len(ce.starts)):
        for j, (v, s) in enumerate(zip(ce.values[k], ce.slopes[k], strict=True)):
            assert fv[k, j] == pytest.approx(float(v), rel=1e-12, abs=1e-9), (k, j)
            assert fs[k, j] == pytest.approx(float(s), rel=1e-12, abs=1e-15), (k, j)


def test_a_strike_where_a_cap_is_reached_by_as_many_shares() -> None:
    """An option grant of 1M shares struck at $2 and a 1M-share participating preferred capped
    (by hand: $1 preference, cap $3, so $2 a share of participation, reached at a price of $2):
    at P = $2 the option starts to take exactly what the capped class stops taking, so the
    residual take R(P) does not bend there, yet both classes' slopes change. The sweep must still
    end a piece at that price; checked against the plain engine around it."""
    sc = sf.loads("""
stakeflow: 1
holders: [{id: founders}, {id: fund}, {id: staff}]
entities:
  - id: co
    classes:
      - {id: common, kind: common}
      - {id: pref, kind: preferred, price_per_share: 1, participating: true, participation_cap_multiple: 3}
      - {id: grant, kind: option, strike: 2}
    holdings:
      - {holder: founders, class: common, shares: 4M}
      - {holder: fund, class: pref, shares: 1M}
      - {holder: staff, class: grant, shares: 1M}
""")
    ent = sc.entities[0]
    ce = compile_entity(ent)
    # Preference $1M, then residual r shared by 5M shares until the price reaches $2 at
    # r = $10M (proceeds $11M); there the cap binds and the option enters.
    assert Fraction(11_000_000) in ce.starts
    for x in (Fraction(10_000_000), Fraction(11_000_000), Fraction(11_500_000), Fraction(13_000_000),
              Fraction(40_000_000)):
        want = reference_waterfall(sc, x, explain=False).entities["co"].classes  # type: ignore[union-attr]
        assert dict(zip([c for c, _ in ce.parts], ce.at(x), strict=True)) == want, float(x)
