"""Backsolve: the equity value at which a class is worth its price (round trips and bounds)."""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from pathlib import Path

import pytest

import stakeflow as sf
from stakeflow.scenario.errors import InputError
from stakeflow.valuation import _messages as M
from stakeflow.valuation.backsolve import backsolve, backsolve_curve, solve_equity_value
from stakeflow.valuation.curves import PricingCurve, pricing_curve
from stakeflow.valuation.opm import opm_result
from stakeflow.valuation.parameters import MarketInputs
from stakeflow.valuation.strip import CallStrip

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed.yaml"
STACKED = ROOT / "examples" / "venture_stacked.yaml"


@functools.cache
def compiled(path: Path) -> PricingCurve:
    return pricing_curve(sf.load(path))


@pytest.mark.parametrize(("path", "cls", "v"), [
    (SEED, "seed", 12e6), (SEED, "common", 3e6), (SEED, "options_2024", 40e6),
    (STACKED, "series_c", 200e6), (STACKED, "common", 90e6), (STACKED, "series_a", 1e9),
])
def test_round_trip(path: Path, cls: str, v: float) -> None:
    # Value at V, read the class's price, backsolve from that price: V comes back.
    pc = compiled(path)
    price = opm_result(pc, MarketInputs(v, 0.55, 2.5, 0.045)).classes[cls]
    res = backsolve_curve(pc, cls, price, "55%", 2.5, "4.5%")
    assert res.equity_value == pytest.approx(v, rel=1e-9)
    assert res.classes[cls] == pytest.approx(price, rel=1e-10)
    assert res.backsolve == {"class": cls, "price": price}


def test_seed_round_price() -> None:
    # At the seed's own $1.00 price the implied equity value is well below the $12M
    # post-money (the preferred's protection is worth something): a standard OPM backsolve result.
    res = backsolve(sf.load(SEED), "seed", "1.00", "60%", 3, "4%")
    assert res.classes["seed"] == pytest.approx(1.0, rel=1e-10)
    assert 2.5e6 < res.equity_value < 12e6
    assert res.classes["common"] < 1.0


def capped() -> CallStrip:
    # A payout capped at 10: x up to 10, nothing more (slope 0 beyond).
    return CallStrip.from_slopes(["c"], [Fraction(0), Fraction(10)], {"c": [Fraction(1), Fraction(0)]})


def test_capped_class_bound() -> None:
    # value(V) < e^{−rT}·cap for every V; just below the bound is reachable, at it is not.
    strip = capped()
    bound = 10 * math.exp(-0.04 * 2)
    v = solve_equity_value(strip, 0.999 * bound, 0.5, 2, 0.04)
    assert float(strip.opm(v, 0.5, 2, 0.04)[0]) == pytest.approx(0.999 * bound, rel=1e-10)
    with pytest.raises(ValueError):
        solve_equity_value(strip, bound, 0.5, 2, 0.04)


def test_unattainable_price_message() -> None:
    pc = compiled(SEED)
    hand = PricingCurve(pc.entity, pc.currency, pc.curve, pc.holders, capped(), {"c": Fraction(1)}, pc.names)
    with pytest.raises(InputError) as exc:
        backsolve_curve(hand, "c", 20, 0.5, 2, 0.04)
    assert str(exc.value) == M.PRICE_UNATTAINABLE.format(cls="c", price=20, bound=f"{10 * math.exp(-0.08):,.6g}")


def test_bad_backsolve_inputs() -> None:
    sc = sf.load(SEED)
    with pytest.raises(InputError, match="unknown class 'series_z' in entity 'company'"):
        backsolve(sc, "series_z", 1, 0.6, 3, 0.04)
    with pytest.raises(InputError, match="must be positive"):
        backsolve(sc, "seed", 0, 0.6, 3, 0.04)
    with pytest.raises(InputError, match="volatility must be positive"):
        backsolve(sc, "seed", 1, "-10%", 3, 0.04)
    tiers = sf.load(ROOT / "tests" / "cases" / "capped_profit_tiers.yaml")
    with pytest.raises(InputError, match="no classes"):
        backsolve(tiers, "common", 1, 0.6, 3, 0.04)
