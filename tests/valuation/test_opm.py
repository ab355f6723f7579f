"""The option pricing method against an independent computation.

OPM (SPEC §7) prices a payoff curve as Σ_k (s_k − s_{k−1}) · C(V, b_k). The independent check
integrates the payout itself against the risk-neutral lognormal density (scipy's adaptive
Gauss–Kronrod ``quad_vec``), in z where S_T = V·exp((r − σ²/2)T + σ√T z)::

    value = e^{−rT} ∫ payout(S_T(z)) φ(z) dz

with the payout read either from the exact engine at every quadrature point or from the exact
values of the curve at its breakpoints (linear in between, the last slope beyond). Agreement
within 1e-9 of the equity value (quadrature tolerance 1e-12) checks the call-strip formula,
the Black–Scholes kernel and the per-share arithmetic, for every shared case and example.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import quad_vec

import stakeflow as sf
from stakeflow.engine import resolve_entity
from stakeflow.engine.result import EquityFlow
from stakeflow.payoff import payoff_curve
from stakeflow.scenario.errors import InputError
from stakeflow.scenario.validate import children
from stakeflow.valuation.opm import value_opm
from stakeflow.valuation.strip import CallStrip

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "tests" / "cases").glob("*.yaml")) + sorted((ROOT / "examples").rglob("*.yaml"))


def roots(path: Path) -> list[str | None]:
    """The entity each test values: the file's default, or each root where it has several."""
    sc = sf.load(path)
    try:
        resolve_entity(sc)
        return [None]
    except InputError:
        held = {c for e in sc.entities for c in children(e)}
        return [e.id for e in sc.entities if e.distributes and e.id not in held]


TARGETS = [(p, e) for p in FILES for e in roots(p)]
IDS = [p.stem + (f"-{e}" if e else "") for p, e in TARGETS]
SIGMA, TERM, RATE = 0.6, 3.0, 0.04


def equity_value_for(curve: object) -> float:
    """An equity value among the breakpoints, so that every tranche carries weight."""
    bs = [float(b) for b in curve.breakpoints]  # type: ignore[attr-defined]
    return 0.6 * bs[-1] if bs[-1] > 0 else 10e6


def knots_z(curve: object, v: float) -> list[float]:
    sd, drift = SIGMA * math.sqrt(TERM), (RATE - 0.5 * SIGMA**2) * TERM
    bs = sorted({float(b) for b in [*curve.breakpoints, *curve.class_breakpoints] if b > 0})  # type: ignore[attr-defined]
    return [z for z in ((math.log(b / v) - drift) / sd for b in bs) if -12 < z < 12]


def integrate_pieces(payout: object, curve: object, v: float) -> np.ndarray:
    """The integral split at the breakpoints, where the integrand is smooth on each piece."""
    sd, drift = SIGMA * math.sqrt(TERM), (RATE - 0.5 * SIGMA**2) * TERM

    def f(z: float) -> np.ndarray:
        x = v * math.exp(drift + sd * z)
        return np.asarray(payout(x)) * math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)  # type: ignore[operator]

    edges = [-12.0, *knots_z(curve, v), 12.0]
    total = sum(quad_vec(f, a, b, epsabs=1e-14 * v, epsrel=1e-13, norm="max")[0] for a, b in itertools.pairwise(edges))
    return np.asarray(total) * math.exp(-RATE * TERM)


def curve_payout(curve: object):  # type: ignore[no-untyped-def]
    """Payouts (holders, then class totals) by linear interpolation of the curve's exact values."""
    c = curve

    def column(bs: list[Fraction], vals: list[Fraction], slopes: list[Fraction]):  # type: ignore[no-untyped-def]
        b = np.array([float(x) for x in bs])
        y = np.array([float(x) for x in vals])
        last = float(slopes[-1])
        return lambda x: float(np.interp(x, b, y)) if x <= b[-1] else float(y[-1] + last * (x - b[-1]))

    cols = [column(c.breakpoints, c.values[h], c.slopes[h]) for h in c.holders]  # type: ignore[attr-defined]
    cols += [column(c.class_breakpoints, c.class_values[k], c.class_slopes[k]) for k in c.classes]  # type: ignore[attr-defined]
    return lambda x: np.array([g(x) for g in cols])


def engine_payout(sc: sf.Scenario, curve: object):  # type: ignore[no-untyped-def]
    """Payouts (holders, then class totals) straight from the exact engine."""

    def payout(x: float) -> np.ndarray:
        res = sf.waterfall(sc, Fraction(x), curve.entity, explain=False)  # type: ignore[attr-defined]
        flow = res.entities[res.entity]
        cls = flow.classes if isinstance(flow, EquityFlow) else {}
        return np.array([float(res.holders[h]) for h in curve.holders]  # type: ignore[attr-defined]
                        + [float(cls[k]) for k in curve.classes])  # type: ignore[attr-defined]

    return payout


def check(res: sf.ValuationResult, curve: object, want: np.ndarray, v: float) -> None:
    h = len(curve.holders)  # type: ignore[attr-defined]
    got = np.array([res.holders[k] for k in curve.holders])  # type: ignore[attr-defined]
    np.testing.assert_allclose(got, want[:h], rtol=0, atol=1e-9 * v)
    for j, k in enumerate(curve.classes):  # type: ignore[attr-defined]
        total = want[h + j]
        assert res.class_values[k] == pytest.approx(total, abs=1e-9 * v)
        shares = float(curve.class_shares[k])  # type: ignore[attr-defined]
        if shares:
            assert res.classes[k] == pytest.approx(total / shares, abs=1e-9 * v / shares)


@pytest.mark.parametrize(("path", "entity"), TARGETS, ids=IDS)
def test_opm_equals_integral_of_exact_curve(path: Path, entity: str | None) -> None:
    sc = sf.load(path)
    curve = payoff_curve(sc, entity)
    v = equity_value_for(curve)
    res = value_opm(sc, v, SIGMA, TERM, RATE, entity=entity)
    check(res, curve, integrate_pieces(curve_payout(curve), curve, v), v)


@pytest.mark.parametrize("name", ["seed.yaml", "nested_holdco.yaml", "capped_profit_tiers.yaml"])
def test_opm_equals_integral_of_engine(name: str) -> None:
    path = next(p for p in FILES if p.name == name)
    sc = sf.load(path)
    curve = payoff_curve(sc)
    v = equity_value_for(curve)
    res = value_opm(sc, v, SIGMA, TERM, RATE)
    check(res, curve, integrate_pieces(engine_payout(sc, curve), curve, v), v)


@pytest.mark.parametrize(("path", "entity"), TARGETS, ids=IDS)
def test_holders_add_up_to_equity_value(path: Path, entity: str | None) -> None:
    # Payouts add up to the proceeds at every V, so their prices add up to C(V, 0) = V.
    sc = sf.load(path)
    res = value_opm(sc, "75M", "60%", 4, "3%", entity=entity)
    assert sum(res.holders.values()) == pytest.approx(75e6, rel=1e-12)
    if res.classes:
        assert sum(res.class_values.values()) == pytest.approx(75e6, rel=1e-12)


def test_closed_form_single_preferred() -> None:
    # 1x non-participating preferred, preference L on n_p of n shares: it takes min(x, L) and
    # converts above x* = L·n/n_p, so its value is C(V,0) − C(V,L) + (n_p/n)·C(V,x*) — a
    # call spread plus a fraction of a call (the standard OPM breakpoint analysis). Built
    # from slopes by hand; priced by the strip, compared with the closed form.
    from stakeflow.valuation.black_scholes import call

    L, n_p, n = Fraction(2_000_000), Fraction(1), Fraction(4)
    x_star = L * n / n_p
    strip = CallStrip.from_slopes(
        ["preferred", "common"], [Fraction(0), L, x_star],
        {"preferred": [Fraction(1), Fraction(0), n_p / n], "common": [Fraction(0), Fraction(1), 1 - n_p / n]},
    )
    v, args = 5e6, (0.5, 2.0, 0.03)
    want = float(call(v, 0, *args) - call(v, float(L), *args) + 0.25 * call(v, float(x_star), *args))
    got = strip.opm(v, *args)
    assert got[0] == pytest.approx(want, rel=1e-14)
    assert got[0] + got[1] == pytest.approx(v, rel=1e-14)
    # The strip's own payout is the hand-drawn one.
    np.testing.assert_allclose(strip.payout([1e6, 2e6, 5e6, 8e6, 12e6])[:, 0], [1e6, 2e6, 2e6, 2e6, 3e6])


def test_seed_example_values_are_ordered() -> None:
    # Options struck at $0.20 are worth less than common, and the seed preferred (protected
    # by its preference) is worth more than common at any equity value.
    res = value_opm(sf.load(ROOT / "examples" / "seed.yaml"), "12M", "60%", 3, "4%")
    assert res.classes["options_2024"] < res.classes["common"] < res.classes["seed"]
    assert res.method == "opm" and res.equity_value == 12e6
    doc = res.to_json()
    assert list(doc)[:5] == ["entity", "method", "equity_value", "holders", "classes"]
