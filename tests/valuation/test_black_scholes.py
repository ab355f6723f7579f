"""Black–Scholes against the published textbook example.

Source: John C. Hull, *Options, Futures, and Other Derivatives*, 9th ed. (Pearson, 2015),
Chapter 15, Example 15.6 (Example 13.6 in the 7th ed., 14.6 in the 8th): S0 = 42, K = 40,
r = 10% a year, σ = 20% a year, T = 0.5 gives d1 = 0.7693, d2 = 0.6278, c = 4.76, p = 0.81.
The book rounds to the cent, so the tolerance is half a cent.
"""

import math

import numpy as np
import pytest

from stakeflow.valuation.black_scholes import call, expected_call, put


def test_hull_example_call_and_put() -> None:
    assert float(call(42, 40, 0.2, 0.5, 0.1)) == pytest.approx(4.76, abs=0.005)
    assert float(put(42, 40, 0.2, 0.5, 0.1)) == pytest.approx(0.81, abs=0.005)


def test_hull_example_d1_d2() -> None:
    # The same example's intermediate figures (four decimals in the book).
    d1 = (math.log(42 / 40) + (0.1 + 0.02) * 0.5) / (0.2 * math.sqrt(0.5))
    assert d1 == pytest.approx(0.7693, abs=5e-5)
    assert d1 - 0.2 * math.sqrt(0.5) == pytest.approx(0.6278, abs=5e-5)


def test_put_call_parity() -> None:
    # c − p = S − K e^{−rT}, an identity of the model (Hull, put–call parity).
    s = np.array([1.0, 42.0, 100.0, 1e9])
    k = np.array([0.5, 40.0, 250.0, 3e8])
    c, p = call(s, k, 0.6, 3.0, 0.04), put(s, k, 0.6, 3.0, 0.04)
    np.testing.assert_allclose(c - p, s - k * math.exp(-0.12), rtol=1e-12, atol=1e-6)


def test_limits() -> None:
    # C(V, 0) = V (SPEC §7); a worthless asset gives a worthless call.
    assert float(call(25e6, 0.0, 0.6, 3, 0.04)) == 25e6
    assert float(call(0.0, 10.0, 0.6, 3, 0.04)) == 0.0
    assert float(call(0.0, 0.0, 0.6, 3, 0.04)) == 0.0
    assert float(put(10.0, 0.0, 0.6, 3, 0.04)) == 0.0


def test_expected_call_is_undiscounted_black_scholes() -> None:
    # Black's form: c = e^{−rT} E[(S_T − K)⁺] with E[S_T] = S e^{rT}, log-sd σ√T.
    got = math.exp(-0.05) * float(expected_call(42 * math.exp(0.05), 40, 0.2 * math.sqrt(0.5)))
    assert got == pytest.approx(float(call(42, 40, 0.2, 0.5, 0.1)), rel=1e-13)
