"""Black–Scholes prices of European options on a non-dividend-paying asset, vectorised.

With spot S, strike K, volatility σ, term T and continuous rate r (Hull, *Options, Futures,
and Other Derivatives*, Black–Scholes–Merton formulas)::

    d1 = (ln(S/K) + (r + σ²/2) T) / (σ √T),   d2 = d1 − σ √T
    c  = S N(d1) − K e^{−rT} N(d2)
    p  = K e^{−rT} N(−d2) − S N(−d1)

The undiscounted form used for a lognormal value X with mean F and log-standard deviation
s = σ√T (Black's formula) is ``E[(X − K)⁺] = F N(d1) − K N(d2)`` with
``d1 = (ln(F/K) + s²/2) / s``. A zero strike gives the asset itself (c = S); a zero spot gives 0.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

FloatArray = NDArray[np.float64]


def expected_call(forward: ArrayLike, strike: ArrayLike, stdev: float) -> FloatArray:
    """E[(X − K)⁺] for lognormal X with mean ``forward`` and ln X standard deviation ``stdev`` > 0."""
    f, k = np.broadcast_arrays(np.asarray(forward, dtype=np.float64), np.asarray(strike, dtype=np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = (np.log(f / k) + 0.5 * stdev * stdev) / stdev
    # log(f/0) = +inf gives N(d1) = N(d2) = 1; f = 0 leaves nothing to receive.
    d1 = np.where(f > 0, d1, -np.inf)
    d2 = d1 - stdev
    out: FloatArray = f * ndtr(d1) - k * ndtr(d2)
    # A deep in-the-money strike can leave −1 ulp; a call is never worth less than zero.
    return np.maximum(out, 0.0)


def call(spot: ArrayLike, strike: ArrayLike, volatility: float, term: float, rate: float) -> FloatArray:
    """Black–Scholes European call c(S, K, σ, T, r); c(S, 0) = S."""
    growth = math.exp(rate * term)
    disc = 1.0 / growth
    return disc * expected_call(np.asarray(spot, dtype=np.float64) * growth, strike, volatility * math.sqrt(term))


def put(spot: ArrayLike, strike: ArrayLike, volatility: float, term: float, rate: float) -> FloatArray:
    """Black–Scholes European put p(S, K, σ, T, r), from call–put parity p = c − S + K e^{−rT}.

    Parity is exact in the formulas above (N(x) + N(−x) = 1); computed directly to avoid the
    cancellation of c − S for deep in-the-money calls.
    """
    s, k = np.broadcast_arrays(np.asarray(spot, dtype=np.float64), np.asarray(strike, dtype=np.float64))
    sd = volatility * math.sqrt(term)
    disc = math.exp(-rate * term)
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = (np.log(s / k) + (rate + 0.5 * volatility * volatility) * term) / sd
    d1 = np.where(s > 0, d1, -np.inf)
    d2 = d1 - sd
    out: FloatArray = k * disc * ndtr(-d2) - s * ndtr(-d1)
    return np.maximum(out, 0.0)


__all__ = ["call", "expected_call", "put"]
