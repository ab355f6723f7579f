"""Backsolve: the equity value at which the option pricing method gives a class its price.

Given a class with N shares, a price P per share (typically that of the latest round) and
σ, T, r, find V with ``value_class(V) = N · P`` where ``value_class`` is the class's OPM value
(SPEC §7), then value every class at that V.

Bracket. ``value_class(0) = 0 < N·P``. The class's payout f is piecewise linear with slope
``s`` beyond its last breakpoint, so ``f(x) ≥ s·x − g`` for all x ≥ 0, where
``g = max_k (s·b_k − f(b_k)) ≥ 0`` (the maximum of a piecewise-linear function is at a knot).
Taking expectations under the risk-neutral law (E[e^{−rT} S_T] = V)::

    value_class(V) ≥ s·V − e^{−rT} g

so with s > 0 the upper end ``V_hi = (N·P + e^{−rT} g) / s`` has ``value_class(V_hi) ≥ N·P``.
With s = 0 the class's payout is capped at f(∞) and ``value_class(V) < e^{−rT} f(∞)`` for
every V: a price at or above ``e^{−rT} f(∞) / N`` is unattainable; below it the value tends
to that limit as V grows, and doubling V finds an upper end. The value is continuous and
(for payouts that never fall as proceeds rise) increasing in V, so scipy's ``brentq``
returns the unique root.
"""

from __future__ import annotations

import math

import numpy as np

from ..scenario.errors import InputError
from ..scenario.models import Scenario
from . import _messages as M
from . import parameters as P
from .curves import PricingCurve, pricing_curve
from .opm import opm_result, stated_dlom
from .result import ValuationResult
from .strip import CallStrip

_DOUBLINGS = 2000  # 2^2000 overflows a float long before: the loop ends by finding the bracket


def solve_equity_value(strip: CallStrip, target: float, volatility: float, term: float, rate: float) -> float:
    """The V > 0 at which the single-column ``strip`` is worth ``target`` > 0 by the OPM.

    Raises ``ValueError`` with the supremum of attainable values when ``target`` is out of reach.
    """
    # scipy.optimize takes most of a second to import: only a backsolve pays for it.
    from scipy.optimize import brentq

    disc = math.exp(-rate * term)
    s = float(strip.slope_after[0])

    def f(v: float) -> float:
        return float(strip.opm(v, volatility, term, rate)[0]) - target

    if s > 0:
        hi = 1.01 * (target + disc * float(strip.slack[0])) / s + 1.0
    else:
        cap = float(strip.payout(np.array([strip.strikes[-1]]))[0, 0])
        if target >= disc * cap:
            raise ValueError(disc * cap)
        hi = max(float(strip.strikes[-1]), target / disc, 1.0)
        for _ in range(_DOUBLINGS):
            if f(hi) >= 0 or not math.isfinite(hi):
                break
            hi *= 2.0
    if not math.isfinite(hi) or f(hi) < 0:
        raise ValueError(disc * float(strip.payout(np.array([strip.strikes[-1]]))[0, 0]))
    return float(brentq(f, 0.0, hi, xtol=1e-12, rtol=4 * np.finfo(float).eps, maxiter=500))


def backsolve_curve(pc: PricingCurve, class_id: str, price: P.Spelled, volatility: P.Spelled, term: P.Spelled,
                    rate: P.Spelled, dlom: str | None = None, dlom_volatility: P.Spelled | None = None,
                    dlom_term: P.Spelled | None = None) -> ValuationResult:
    """Backsolve on an already compiled curve (see :func:`backsolve`)."""
    if not pc.classes.columns:
        raise InputError(M.NO_CLASSES.format(entity=pc.entity))
    if class_id not in pc.classes.columns:
        raise InputError(M.UNKNOWN_CLASS.format(cls=class_id, entity=pc.entity, known=", ".join(pc.classes.columns)))
    shares = float(pc.class_shares[class_id])
    if shares <= 0:
        raise InputError(M.EMPTY_CLASS.format(cls=class_id, entity=pc.entity))
    p = P.number(price, "price")
    if not p > 0:
        raise InputError(M.PRICE_NOT_POSITIVE.format(price=price, cls=class_id))
    vol, t, r = P.volatility(volatility), P.term(term), P.rate(rate)
    column = pc.classes.column(class_id)
    if not np.any(column.increments):
        raise InputError(M.WORTHLESS_CLASS.format(cls=class_id))
    try:
        v = solve_equity_value(column, p * shares, vol, t, r)
    except ValueError as exc:
        bound = float(exc.args[0]) / shares
        raise InputError(M.PRICE_UNATTAINABLE.format(cls=class_id, price=price, bound=f"{bound:,.6g}")) from None
    m = P.MarketInputs(v, vol, t, r)
    return opm_result(pc, m, stated_dlom(dlom, m, dlom_volatility, dlom_term),
                      backsolve={"class": class_id, "price": p})


def backsolve(
    scenario: Scenario, class_id: str, price: P.Spelled, volatility: P.Spelled, term: P.Spelled, rate: P.Spelled, *,
    entity: str | None = None, dlom: str | None = None, dlom_volatility: P.Spelled | None = None,
    dlom_term: P.Spelled | None = None,
) -> ValuationResult:
    """The OPM valuation at the equity value where ``class_id`` is worth ``price`` per share.

    The solved V is the result's ``equity_value``; every class is valued at it.
    """
    return backsolve_curve(pricing_curve(scenario, entity), class_id, price, volatility, term, rate,
                           dlom, dlom_volatility, dlom_term)


__all__ = ["backsolve", "backsolve_curve", "solve_equity_value"]
