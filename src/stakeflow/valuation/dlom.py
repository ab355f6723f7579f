"""Discounts for lack of marketability (DLOM) from put option models.

Both give the discount as a fraction of the marketable value, for an annual volatility σ of
the interest's value and a holding period T (years) until it can be sold:

**Protective put** (Chaffe, "Option Pricing as a Proxy for Discount for Lack of
Marketability in Private Company Valuations", *Business Valuation Review* 12(4), 1993): the
price of an at-the-money European put, K = S, as a fraction of S, from Black–Scholes::

    D = e^{−rT} N(−d2) − N(−d1),   d1 = (r + σ²/2) √T / σ,   d2 = d1 − σ √T

**Average-strike put** (Finnerty, "An Average-Strike Put Option Model of the Marketability
Discount", *The Journal of Derivatives* 19(4), 2012, pp. 53–69): a put struck at the average
price over the holding period, for a holder with no market-timing ability; with dividend
yield q (here 0)::

    v²T = σ²T + ln[2 (e^{σ²T} − σ²T − 1)] − 2 ln(e^{σ²T} − 1)
    D   = e^{−qT} [N(v√T / 2) − N(−v√T / 2)]

Finnerty's discount rises with σ²T towards 2N(√(ln 2)/2) − 1 ≈ 32.28%, never above it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy.special import ndtr

from ..scenario.errors import InputError
from . import _messages as M
from .black_scholes import put

DlomMethod = Literal["finnerty", "put"]
METHODS: tuple[DlomMethod, ...] = ("finnerty", "put")
NAMES = {"finnerty": "Finnerty (2012) average-strike put", "put": "Chaffe (1993) protective put"}


def finnerty_variance(x: float) -> float:
    """Finnerty's v²T as a function of x = σ²T, accurate for every x > 0.

    The published form cancels badly for small x (v²T ≈ x/3 out of terms of size ln x) and
    overflows for large x, so it is rewritten exactly as
    ``v²T = x + ln g − 2 ln h`` with ``g = 2(e^x − x − 1)/x²`` and ``h = (e^x − 1)/x`` (power
    series for x ≤ 1), and for x > 1 as ``ln 2 + ln(1 − (x+1)e^{−x}) − 2 ln(1 − e^{−x})``.
    """
    if x > 1.0:
        return math.log(2.0) + math.log1p(-(x + 1.0) * math.exp(-x)) - 2.0 * math.log1p(-math.exp(-x))
    g1 = h1 = 0.0
    term = 1.0  # x^k / k!
    for k in range(1, 30):
        term *= x / k
        h1 += term / (k + 1)  # x^k/(k+1)!
        g1 += 2.0 * term / ((k + 1) * (k + 2))  # 2 x^k/(k+2)!
    return x + math.log1p(g1) - 2.0 * math.log1p(h1)


def finnerty(volatility: float, term: float, dividend_yield: float = 0.0) -> float:
    """Finnerty's (2012) average-strike put discount, a fraction of the marketable value."""
    half = math.sqrt(max(finnerty_variance(volatility * volatility * term), 0.0)) / 2.0
    return math.exp(-dividend_yield * term) * float(ndtr(half) - ndtr(-half))


def protective_put(volatility: float, term: float, rate: float) -> float:
    """Chaffe's (1993) protective put discount: an at-the-money Black–Scholes put over S."""
    return float(put(1.0, 1.0, volatility, term, rate))


@dataclass(frozen=True)
class Dlom:
    """A stated discount for lack of marketability: the model, its inputs and the fraction."""

    method: DlomMethod
    volatility: float
    term: float
    rate: float
    discount: float

    @property
    def name(self) -> str:
        return NAMES[self.method]

    def apply(self, value: float) -> float:
        """The non-marketable value: value × (1 − D)."""
        return value * (1.0 - self.discount)

    def to_json(self) -> dict[str, object]:
        return {"method": self.method, "model": self.name, "volatility": self.volatility,
                "term": self.term, "rate": self.rate, "discount": self.discount}


def dlom(method: str, volatility: float, term: float, rate: float = 0.0) -> Dlom:
    """The discount of ``method`` (``finnerty`` or ``put``) for σ, T and r."""
    if method == "finnerty":
        return Dlom("finnerty", volatility, term, rate, finnerty(volatility, term))
    if method == "put":
        return Dlom("put", volatility, term, rate, protective_put(volatility, term, rate))
    raise InputError(M.UNKNOWN_DLOM.format(name=method))


__all__ = ["METHODS", "Dlom", "DlomMethod", "dlom", "finnerty", "protective_put"]
