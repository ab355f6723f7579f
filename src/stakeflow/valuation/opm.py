"""The option pricing method (OPM, SPEC §7): every payout priced as a strip of Black–Scholes calls.

The entity's equity value V follows a lognormal law to a liquidity event at T; each holder's
payout is a piecewise-linear function of the proceeds with breakpoints b_k and slopes s_k
just above them, so its present value is::

    value = Σ_k (s_k − s_{k−1}) · C(V, b_k),   s_{−1} = 0,   C(V, 0) = V

with C the Black–Scholes call with volatility σ, term T, continuous risk-free rate r and no
dividends (the AICPA Accounting and Valuation Guide, *Valuation of Privately-Held-Company
Equity Securities Issued as Compensation*, 2013, chapter on the option pricing method).
Classes are priced the same way from their total payout and reported per share.
"""

from __future__ import annotations

from ..scenario.models import Scenario
from . import _messages as M
from . import parameters as P
from .curves import PricingCurve, pricing_curve
from .dlom import Dlom, dlom
from .errors import ParameterError
from .result import ValuationResult


def stated_dlom(method: str | None, m: P.MarketInputs, volatility: P.Spelled | None = None,
                term: P.Spelled | None = None) -> Dlom | None:
    """The discount asked for, on the OPM's own σ and T unless others are given."""
    if method is None:
        return None
    vol = P.volatility(volatility, "DLOM volatility") if volatility is not None else m.volatility
    t = P.term(term, "DLOM term") if term is not None else m.term
    return dlom(method, vol, t, m.rate)


def opm_result(pc: PricingCurve, m: P.MarketInputs, discount: Dlom | None = None,
               backsolve: dict[str, str | float] | None = None) -> ValuationResult:
    """OPM values of ``pc`` at the market inputs ``m``."""
    holders = pc.holders.opm(m.equity_value, m.volatility, m.term, m.rate)
    classes = pc.classes.opm(m.equity_value, m.volatility, m.term, m.rate)
    return ValuationResult(
        entity=pc.entity, method="opm", currency=pc.currency, equity_value=m.equity_value,
        holders=pc.by_holder(holders), classes=pc.per_share(classes), class_values=pc.totals(classes),
        class_shares=dict(pc.class_shares), inputs=m.to_json(), dlom=discount, backsolve=backsolve,
        names=dict(pc.names),
    )


def value_opm(
    scenario: Scenario, equity_value: P.Spelled | None = None, volatility: P.Spelled | None = None,
    term: P.Spelled | None = None, rate: P.Spelled | None = None, *, market: P.MarketInputs | None = None,
    entity: str | None = None, dlom: str | None = None, dlom_volatility: P.Spelled | None = None,
    dlom_term: P.Spelled | None = None,
) -> ValuationResult:
    """Value every holder and every class of ``entity`` by the option pricing method.

    ``equity_value``, ``volatility``, ``term`` and ``rate`` take any spelling of SPEC §1
    (``"25M"``, ``"60%"``, ``3``, ``"4%"``). ``dlom`` (``"finnerty"`` or ``"put"``) states a
    discount for lack of marketability, on the same σ and T unless ``dlom_volatility`` or
    ``dlom_term`` are given. ``market`` gives the four market inputs at once, already read.

    >>> import stakeflow as sf                                              # doctest: +SKIP
    >>> sf.value_opm(sf.load("examples/seed.yaml"), "12M", "60%", 3, "4%").classes   # doctest: +SKIP
    """
    if market is None:
        given = ((M.EQUITY_VALUE, equity_value), (M.VOLATILITY, volatility), (M.TERM, term), (M.RATE, rate))
        for param, val in given:
            if val is None:
                raise ParameterError(M.NEEDS, m=M.METHOD, method="opm", what=param)
        assert equity_value is not None and volatility is not None and term is not None and rate is not None
        market = P.MarketInputs.read(equity_value, volatility, term, rate)
    m = market
    discount = stated_dlom(dlom, m, dlom_volatility, dlom_term)
    return opm_result(pricing_curve(scenario, entity), m, discount)


__all__ = ["opm_result", "stated_dlom", "value_opm"]
