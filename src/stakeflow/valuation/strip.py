"""A payoff curve as a strip of call options, the form every valuation method prices.

A continuous piecewise-linear payout, zero at zero, with breakpoints 0 = b_0 < b_1 < … and
slope s_k just above b_k, is exactly::

    payout(x) = Σ_k (s_k − s_{k−1}) · (x − b_k)⁺,   s_{−1} = 0

so its expectation under any distribution of x is the same combination of expected calls,
and its price under the option pricing method is Σ_k (s_k − s_{k−1}) · C(V, b_k) (SPEC §7).
The increments are taken exactly (Fractions) before they become floats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .black_scholes import FloatArray, call, expected_call


@dataclass(frozen=True)
class CallStrip:
    """Columns of payouts (holders or classes), each Σ_k ``increments[k, j]`` · (x − ``strikes[k]``)⁺."""

    columns: tuple[str, ...]
    strikes: FloatArray  # (K,) ascending, strikes[0] = 0
    increments: FloatArray  # (K, M)
    slope_after: FloatArray  # (M,) slope beyond the last strike
    slack: FloatArray  # (M,) max over x ≥ 0 of slope_after · x − payout(x), ≥ 0

    @classmethod
    def from_slopes(
        cls, columns: Sequence[str], breakpoints: Mapping[str, Sequence[Fraction]] | Sequence[Fraction],
        slopes: Mapping[str, Sequence[Fraction]],
    ) -> CallStrip:
        """From exact slopes just above each breakpoint; ``breakpoints`` shared or one list per column."""
        per = {c: list(breakpoints[c]) if isinstance(breakpoints, Mapping) else list(breakpoints) for c in columns}
        knots = sorted({Fraction(0)} | {Fraction(b) for c in columns for b in per[c]})
        index = {b: i for i, b in enumerate(knots)}
        inc = [[Fraction(0)] * len(columns) for _ in knots]
        last: list[Fraction] = []
        slack: list[Fraction] = []
        for j, c in enumerate(columns):
            bs, ss = per[c], [Fraction(s) for s in slopes[c]]
            if len(bs) != len(ss):
                raise ValueError(f"column {c!r}: {len(bs)} breakpoints but {len(ss)} slopes")
            prev = Fraction(0)
            for b, s in zip(bs, ss, strict=True):
                inc[index[Fraction(b)]][j] += s - prev
                prev = s
            last.append(prev)
            # payout is linear between knots, so slope_after·x − payout(x) peaks at a knot.
            value, gap, x0, s0 = Fraction(0), Fraction(0), Fraction(0), Fraction(0)
            for b, s in zip(bs, ss, strict=True):
                value += s0 * (Fraction(b) - x0)
                gap = max(gap, prev * Fraction(b) - value)
                x0, s0 = Fraction(b), s
            slack.append(gap)
        return cls(
            tuple(columns),
            np.array([float(b) for b in knots], dtype=np.float64),
            np.array([[float(x) for x in row] for row in inc], dtype=np.float64).reshape(len(knots), len(columns)),
            np.array([float(s) for s in last], dtype=np.float64),
            np.array([float(g) for g in slack], dtype=np.float64),
        )

    def payout(self, x: Any) -> FloatArray:
        """Payouts at proceeds ``x`` (N,) -> (N, M), from the call strip (a reference, not the fast path)."""
        xs = np.asarray(x, dtype=np.float64).reshape(-1)
        return np.asarray(np.maximum(xs[:, None] - self.strikes[None, :], 0.0) @ self.increments)

    def expected(self, forward: float, stdev: float) -> FloatArray:
        """E[payout(X)] (M,) for lognormal X with mean ``forward`` and ln X standard deviation ``stdev``."""
        return np.asarray(expected_call(forward, self.strikes, stdev) @ self.increments)

    def opm(self, equity_value: Any, volatility: float, term: float, rate: float) -> FloatArray:
        """Σ_k Δs_k · C(V, b_k): (M,) for a scalar V, (N, M) for an array of V (SPEC §7)."""
        v = np.asarray(equity_value, dtype=np.float64)
        calls = call(v[..., None], self.strikes, volatility, term, rate)
        return np.asarray(calls @ self.increments)

    def column(self, name: str) -> CallStrip:
        j = self.columns.index(name)
        return CallStrip((name,), self.strikes, self.increments[:, j : j + 1],
                         self.slope_after[j : j + 1], self.slack[j : j + 1])


__all__ = ["CallStrip"]
