"""The probability-weighted expected return method (PWERM) and the hybrid method.

A scenarios file lists the ways the entity may reach liquidity. Each scenario s has a
probability p_s (they add up to 1 exactly) and is valued on its own; the holders' and classes'
values are the probability-weighted sum::

    value = Σ_s p_s · value_s

Exit scenarios (the default) receive proceeds X_s after ``years`` t_s and are discounted at
the scenario's ``discount_rate`` d_s, annually compounded unless the file says
``compounding: continuous``::

    value_s = payout(X_s) · (1 + d_s)^{−t_s}        (or e^{−d_s t_s})

with payout the exact engine's. X_s may be a lognormal law instead of a number (median or
mean, annual volatility σ): then E[payout(X_s)] = Σ_k Δs_k · E[(X_s − b_k)⁺], Black's
undiscounted call with log-spread σ√t_s (exact, no simulation).

A scenario with ``method: opm`` is valued by the option pricing method on its own equity
value, volatility, term and rate (SPEC §7): PWERM with an OPM inside a scenario is the
hybrid method (AICPA Accounting and Valuation Guide, *Valuation of Privately-Held-Company
Equity Securities Issued as Compensation*, 2013).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from ..engine import waterfall
from ..engine.result import EquityFlow
from ..scenario.errors import InputError
from ..scenario.loader import parse_model, read_text
from ..scenario.models import Scenario
from ..scenario.numbers import NumberError, parse_number
from . import _messages as M
from . import parameters as P
from .curves import PricingCurve, pricing_curve
from .distributions import LognormalLaw
from .dlom import dlom as make_dlom
from .errors import ParameterError
from .parameters import Spelled
from .result import ScenarioValue, ValuationResult


def _exact(value: Any) -> Any:
    if value is None or isinstance(value, dict | Fraction):
        return value
    try:
        return parse_number(Decimal(repr(value)) if isinstance(value, float) else value)
    except NumberError as exc:
        raise ValueError(str(exc)) from None


def _exit_kind(value: Any) -> str:
    # An amount or a law, told apart by its shape: a mistake in one is not reported as the other.
    return "[law]" if isinstance(value, dict | LognormalLaw) else "[amount]"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


LognormalExit = LognormalLaw
"""An exit value drawn from a lognormal law: ``median`` (or ``mean``) and annual ``volatility``."""


_EXIT_KEYS = ("exit_value", "years", "discount_rate")
_OPM_KEYS = ("equity_value", "volatility", "term", "rate")


class PwermScenario(_Strict):
    """One way to liquidity: an exit (value, years, discount rate) or an OPM (hybrid method)."""

    name: str
    probability: Fraction
    method: Literal["exit", "opm"] = "exit"
    # The tags hold "[", so that located errors leave them out of the field path
    # (scenario/_located.py).
    exit_value: Annotated[Annotated[Fraction, Tag("[amount]")] | Annotated[LognormalExit, Tag("[law]")],
                          Discriminator(_exit_kind)] | None = None
    years: Fraction | None = None
    discount_rate: Fraction | None = None
    equity_value: Fraction | None = None
    volatility: Fraction | None = None
    term: Fraction | None = None
    rate: Fraction | None = None

    @field_validator("probability", "exit_value", "years", "discount_rate", "equity_value", "volatility", "term",
                     "rate", mode="before")
    @classmethod
    def _num(cls, v: Any) -> Any:
        return _exact(v)

    @model_validator(mode="after")
    def _check(self) -> PwermScenario:
        need, other = (_EXIT_KEYS, _OPM_KEYS) if self.method == "exit" else (_OPM_KEYS, _EXIT_KEYS)
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(M.SCENARIO_NEEDS.format(method=self.method, keys=", ".join(repr(k) for k in missing)))
        extra = [k for k in other if getattr(self, k) is not None]
        if extra:
            raise ValueError(M.SCENARIO_FORBIDS.format(method=self.method, keys=", ".join(repr(k) for k in extra)))
        if not 0 <= self.probability <= 1:
            raise ValueError(f"probability must be between 0 and 1 (0% and 100%), got {float(self.probability)}")
        checks: list[tuple[str, bool]] = [
            ("years", self.years is not None and self.years < 0),
            ("exit_value", isinstance(self.exit_value, Fraction) and self.exit_value < 0),
            ("term", self.term is not None and self.term <= 0),
            ("volatility", self.volatility is not None and self.volatility <= 0),
            ("equity_value", self.equity_value is not None and self.equity_value <= 0),
        ]
        for key, bad in checks:
            if bad:
                raise ValueError(M.NOT_POSITIVE.format(name=key, value=float(getattr(self, key))))
        for key in ("discount_rate", "rate"):
            v = getattr(self, key)
            if v is not None and v <= -1:
                raise ValueError(M.RATE_TOO_LOW.format(name=key, value=float(v)))
        if isinstance(self.exit_value, LognormalExit) and not (self.years and self.years > 0):
            raise ValueError(M.LOGNORMAL_NEEDS_YEARS)
        self._in_range()
        return self

    def _in_range(self) -> None:
        """The ranges of valuation inputs (parameters.py): a century at most, rates up to 100%."""
        try:
            if self.method == "opm":
                P.volatility(_show(self.volatility or Fraction(0)))
                P.term(_show(self.term or Fraction(0)))
                P.rate(_show(self.rate or Fraction(0)))
            elif self.years:
                P.term(_show(self.years), "years")
                if isinstance(self.exit_value, LognormalExit):
                    P.spread(float(self.exit_value.volatility), float(self.years or 0), "exit_value.volatility")
        except InputError as exc:
            raise ValueError(str(exc)) from None


class PwermScenarios(_Strict):
    """A scenarios file: ``scenarios`` whose probabilities add up to exactly 1."""

    compounding: Literal["annual", "continuous"] = "annual"
    scenarios: list[PwermScenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> PwermScenarios:
        total = sum((s.probability for s in self.scenarios), Fraction(0))
        if total != 1:
            raise ValueError(M.SCENARIOS_PROBABILITY_SUM.format(total=_show(total)))
        for s in self.scenarios:
            if s.discount_rate is not None and s.years is not None:
                d, t = float(s.discount_rate), float(s.years)
                log_factor = -d * t if self.compounding == "continuous" else -t * math.log1p(d)
                if log_factor > 700:
                    raise ValueError(f"scenario {s.name!r}: " + M.DISCOUNT_OUT_OF_RANGE.format(rate=d, years=t))
        names = [s.name for s in self.scenarios]
        for n in names:
            if names.count(n) > 1:
                raise ValueError(M.DUPLICATE_SCENARIO.format(name=n))
        return self

    def discount(self, rate: Fraction, years: Fraction) -> float:
        """Today's value of 1 received after ``years`` at ``rate``: (1+d)^{−t}, or e^{−dt}."""
        if self.compounding == "continuous":
            return math.exp(-float(rate) * float(years))
        return float((1 + float(rate)) ** -float(years))


def _show(x: Fraction) -> str:
    return f"{float(x):.10g}" if x.denominator != 1 else str(x.numerator)


def read_scenarios(path: str | Path) -> PwermScenarios:
    """Read and check a scenarios file (YAML or JSON), every problem located."""
    return parse_model(read_text(path), PwermScenarios, str(path))


def scenarios_of(scenarios: str | Path | PwermScenarios) -> PwermScenarios:
    """Scenarios already read, or read from their file (:func:`read_scenarios`)."""
    return scenarios if isinstance(scenarios, PwermScenarios) else read_scenarios(scenarios)


def scenario_value(sc: Scenario, pc: PricingCurve, spec: PwermScenarios, s: PwermScenario) -> ScenarioValue:
    """One scenario's present values per holder and per share, before its probability."""
    if s.method == "opm":
        m = P.MarketInputs(float(s.equity_value or 0), float(s.volatility or 0), float(s.term or 0),
                           float(s.rate or 0))
        h = pc.holders.opm(m.equity_value, m.volatility, m.term, m.rate)
        c = pc.classes.opm(m.equity_value, m.volatility, m.term, m.rate)
        return ScenarioValue(s.name, s.probability, "opm", m.equity_value, pc.by_holder(h), pc.per_share(c),
                             m.to_json())
    assert s.years is not None and s.discount_rate is not None
    disc = spec.discount(s.discount_rate, s.years)
    inputs: dict[str, Any] = {"years": float(s.years), "discount_rate": float(s.discount_rate)}
    if isinstance(s.exit_value, LognormalExit):
        law = s.exit_value
        vol, t = float(law.volatility), float(s.years)
        mean = float(law.mean) if law.mean is not None else float(law.median or 0) * math.exp(0.5 * vol * vol * t)
        sd = vol * math.sqrt(t)
        h = disc * pc.holders.expected(mean, sd)
        c = disc * pc.classes.expected(mean, sd)
        inputs["exit_value"] = {"distribution": "lognormal", "mean": mean, "volatility": vol}
        return ScenarioValue(s.name, s.probability, "exit", disc * mean, pc.by_holder(h), pc.per_share(c), inputs)
    assert isinstance(s.exit_value, Fraction)
    res = waterfall(sc, s.exit_value, pc.entity, explain=False)
    flow = res.entities[pc.entity]
    classes = flow.classes if isinstance(flow, EquityFlow) else {}
    inputs["exit_value"] = float(s.exit_value)
    return ScenarioValue(
        s.name, s.probability, "exit", disc * float(s.exit_value),
        {k: disc * float(res.holders[k]) for k in pc.holders.columns},
        {k: disc * float(classes[k] / pc.class_shares[k]) for k in pc.classes.columns if pc.class_shares[k] > 0},
        inputs,
    )


def value_pwerm(
    scenario: Scenario, scenarios: str | Path | PwermScenarios, *, entity: str | None = None,
    dlom: str | None = None, dlom_volatility: Spelled | None = None, dlom_term: Spelled | None = None,
    dlom_rate: Spelled = 0,
) -> ValuationResult:
    """Value every holder and class as the probability-weighted present value of the scenarios.

    ``scenarios`` is a scenarios file or an already read :class:`PwermScenarios`. The method is
    reported as ``hybrid`` when a scenario is valued by the OPM, else ``pwerm``. A discount for
    lack of marketability needs its own volatility and term (there is no single market σ).
    """
    spec = scenarios_of(scenarios)
    discount = None
    if dlom is not None:
        if dlom_volatility is None or dlom_term is None:
            raise ParameterError(M.PWERM_DLOM_NEEDS, dlom=M.DLOM, m=M.METHOD, volatility=M.VOLATILITY, term=M.TERM)
        discount = make_dlom(dlom, P.volatility(dlom_volatility, "DLOM volatility"), P.term(dlom_term, "DLOM term"),
                             P.rate(dlom_rate))
    pc = pricing_curve(scenario, entity)
    values = tuple(scenario_value(scenario, pc, spec, s) for s in spec.scenarios)
    holders = {k: math.fsum(float(v.probability) * v.holders[k] for v in values) for k in pc.holders.columns}
    per = {k: math.fsum(float(v.probability) * v.classes[k] for v in values) for k in values[0].classes}
    equity = math.fsum(float(v.probability) * v.equity_value for v in values)
    hybrid = any(v.method == "opm" for v in values)
    return ValuationResult(
        entity=pc.entity, method="hybrid" if hybrid else "pwerm", currency=pc.currency, equity_value=equity,
        holders=holders, classes=per,
        class_values={k: per[k] * float(pc.class_shares[k]) if k in per else 0.0 for k in pc.classes.columns},
        class_shares=dict(pc.class_shares), inputs={"compounding": spec.compounding}, dlom=discount,
        scenarios=values, names=dict(pc.names),
    )


__all__ = ["LognormalExit", "PwermScenario", "PwermScenarios", "read_scenarios", "scenario_value", "scenarios_of",
           "value_pwerm"]
