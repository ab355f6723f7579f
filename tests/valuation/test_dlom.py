"""Discounts for lack of marketability against closed forms.

Finnerty (2012), "An Average-Strike Put Option Model of the Marketability Discount",
J. Derivatives 19(4) 53–69: D = N(v√T/2) − N(−v√T/2) with
v²T = σ²T + ln[2(e^{σ²T} − σ²T − 1)] − 2 ln(e^{σ²T} − 1); as σ²T → ∞, v²T → ln 2 and the
discount rises to its ceiling 2N(√ln2 / 2) − 1 = 32.28% (the model's known maximum).
Chaffe (1993): the discount is an at-the-money Black–Scholes put over the share price.
"""

import math
from decimal import Decimal, localcontext

import pytest
from scipy.stats import norm

from stakeflow.scenario.errors import InputError
from stakeflow.valuation import _messages as M
from stakeflow.valuation.black_scholes import call
from stakeflow.valuation.dlom import dlom, finnerty, finnerty_variance, protective_put


def published_variance(x: str) -> float:
    """Finnerty's v²T exactly as published, in 60-digit decimal arithmetic (no cancellation)."""
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(x)
        return float(d + (2 * (d.exp() - d - 1)).ln() - 2 * (d.exp() - 1).ln())


@pytest.mark.parametrize("x", ["1e-8", "1e-6", "0.01", "0.5", "0.999", "1", "1.001", "3", "40", "700"])
def test_finnerty_variance_matches_published_formula(x: str) -> None:
    assert finnerty_variance(float(x)) == pytest.approx(published_variance(x), rel=1e-14)


def test_finnerty_direct_formula() -> None:
    # The published formula written out with exp/log (no expm1), at a moderate σ²T where
    # both spellings are accurate: σ = 60%, T = 2.
    x = 0.36 * 2
    v2t = x + math.log(2 * (math.exp(x) - x - 1)) - 2 * math.log(math.exp(x) - 1)
    want = norm.cdf(math.sqrt(v2t) / 2) - norm.cdf(-math.sqrt(v2t) / 2)
    assert finnerty(0.6, 2) == pytest.approx(want, rel=1e-12)


def test_finnerty_ceiling() -> None:
    ceiling = 2 * norm.cdf(math.sqrt(math.log(2)) / 2) - 1
    assert ceiling == pytest.approx(0.3228, abs=5e-5)
    assert finnerty(3.0, 10) == pytest.approx(ceiling, rel=1e-6)
    values = [finnerty(s, t) for s, t in [(0.1, 0.25), (0.3, 1), (0.6, 2), (1.0, 4), (2.0, 10)]]
    assert values == sorted(values) and all(0 < v <= ceiling for v in values)


def test_finnerty_short_horizon_tends_to_zero() -> None:
    # v²T ≈ σ²T/3 for small σ²T (Taylor expansion of the formula), so D ≈ N'(0)·√(σ²T/3).
    x = 1e-8
    assert finnerty(math.sqrt(x), 1.0) == pytest.approx(norm.pdf(0) * math.sqrt(x / 3), rel=1e-8)


def test_protective_put_is_at_the_money_put_over_spot() -> None:
    # Put–call parity: p = c − S + K e^{−rT}, with S = K = 1.
    c = float(call(1.0, 1.0, 0.6, 2.0, 0.04))
    assert protective_put(0.6, 2.0, 0.04) == pytest.approx(c - 1 + math.exp(-0.08), rel=1e-12)


def test_dlom_states_its_model() -> None:
    d = dlom("put", 0.6, 2, 0.04)
    assert d.to_json()["model"] == "Chaffe (1993) protective put"
    assert d.apply(100.0) == pytest.approx(100 * (1 - d.discount))
    with pytest.raises(InputError, match="unknown discount for lack of marketability 'longstaff'"):
        dlom("longstaff", 0.6, 2)
    assert M.UNKNOWN_DLOM.startswith("unknown discount")
