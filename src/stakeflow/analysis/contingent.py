"""Contingent terms: money that stays invested only if an event happens by a deadline.

A class (preferred, SAFE or note) may carry ``contingent: {event, deadline, if_not}``. When the
event happens the class is as written. When it does not, ``if_not`` applies:

- ``returnable: true``: the money is returned. The class becomes a claim for its issue amount
  (preferred: ``invested`` or ``shares × price_per_share``; SAFE: its purchase amount; note: its
  principal and interest), senior to every equity class, with no conversion and no votes — a
  note without cap or discount, in the format's terms;
- ``invested: X``: only ``X`` stays invested. A preferred class given by ``invested`` keeps its
  shares at ``invested = X``; one given by ``price_per_share`` keeps its price and its holdings
  shrink by ``X / (shares × price)``; a SAFE's purchase amount or a note's principal becomes ``X``.

Valuing through PWERM scenarios of the event: with ``p`` the probability that the event happens,
any value (a waterfall at one exit, a PWERM or OPM valuation) is
``p · value(scenario if it happens) + (1 − p) · value(scenario if it does not)``; with several
independent events, the weights of the ``2^k`` outcomes multiply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine import WaterfallResult, waterfall
from ..engine.instruments import accrual_date, owed
from ..scenario.errors import InputError
from ..scenario.models import Entity, Holding, NoteClass, PreferredClass, SafeClass, Scenario, StockClass, make_class
from ..scenario.numbers import NumberError, Spelled, parse_number
from ..valuation.errors import ParameterError
from . import _instrument_messages as M

if TYPE_CHECKING:
    import pandas as pd

    from ..valuation.pwerm import PwermScenarios
    from ..valuation.result import ValuationResult


@dataclass(frozen=True)
class Outcome:
    """One resolution of the scenario's events, with its probability."""

    name: str
    weight: Fraction
    happens: dict[str, bool]
    scenario: Scenario


def events(sc: Scenario) -> list[str]:
    """The events the scenario's contingent terms depend on, in file order."""
    out: list[str] = []
    for e in sc.entities:
        for c in e.classes or ():
            terms = c.contingency
            if terms is not None and terms.event not in out:
                out.append(terms.event)
    return out


def _fields(m: Any) -> dict[str, Any]:
    return {name: getattr(m, name) for name in m.model_fields_set}


def _issue(ent: Entity, cls: PreferredClass | SafeClass | NoteClass, sc: Scenario) -> Fraction:
    if isinstance(cls, PreferredClass):
        return cls.issue_amount(ent.class_shares(cls.id))
    return owed(cls, accrual_date(sc))


def _unmet(ent: Entity, cls: PreferredClass | SafeClass | NoteClass, sc: Scenario) -> tuple[StockClass, Fraction]:
    """The class when its event has not happened, and the factor its holdings' shares scale by."""
    rule = cls.contingent.if_not if cls.contingent is not None else None
    assert rule is not None
    if rule.returnable:
        note = {"id": cls.id, "name": cls.name, "kind": "note", "principal": _issue(ent, cls, sc)}
        return make_class(note), Fraction(1)
    amount = rule.invested or Fraction(0)
    base = {k: v for k, v in _fields(cls).items() if k != "contingent"}
    if isinstance(cls, NoteClass):
        return make_class({**base, "principal": amount}), Fraction(1)
    if cls.invested is not None:
        return make_class({**base, "invested": amount}), Fraction(1)
    issue = _issue(ent, cls, sc)
    return make_class(base), (amount / issue if issue else Fraction(0))


def resolve(sc: Scenario, happens: Mapping[str, bool]) -> Scenario:
    """The scenario with the contingent terms of the events in ``happens`` settled:
    ``happens[event]`` says whether the event happened by its deadline. Terms of events not
    named stay as written (and the engine reads them as written: as if the event happens)."""
    known = events(sc)
    for name in happens:
        if name not in known:
            raise InputError(M.UNKNOWN_EVENT.format(name=name, known=", ".join(known) or "(none)"))
    entities: list[Entity] = []
    for ent in sc.entities:
        if not any(c.contingency is not None for c in ent.classes or ()):
            entities.append(ent)
            continue
        classes: list[StockClass] = []
        scale: dict[str, Fraction] = {}
        for c in ent.classes or ():
            terms = c.contingency
            if terms is None or terms.event not in happens:
                classes.append(c)
            elif happens[terms.event]:
                classes.append(make_class({k: v for k, v in _fields(c).items() if k != "contingent"}))
            else:
                assert isinstance(c, PreferredClass | SafeClass | NoteClass)  # the kinds that take them
                new, factor = _unmet(ent, c, sc)
                classes.append(new)
                if factor != 1:
                    scale[c.id] = factor
        holdings = [
            Holding(holder=h.holder, **{"class": h.class_}, shares=h.shares * scale[h.class_])
            if h.class_ in scale else h
            for h in ent.holdings or ()
        ]
        entities.append(Entity(**{**_fields(ent), "classes": classes, "holdings": holdings}))
    return Scenario(**{**_fields(sc), "entities": entities})


def probability(name: str, value: Any) -> Fraction:
    """The probability ``value`` (any spelling of SPEC §1: ``0.6``, ``60%``) that event ``name`` happens."""
    try:
        p = parse_number(value)
    except NumberError:
        raise InputError(M.PROBABILITY_RANGE.format(name=name, value=value)) from None
    if not 0 <= p <= 1:
        raise InputError(M.PROBABILITY_RANGE.format(name=name, value=value))
    return p


def scenarios_for(sc: Scenario, p_event: Spelled | Mapping[str, Spelled]) -> list[Outcome]:
    """The resolved scenarios and their weights: for one event, ``[(happens, p), (does not, 1 − p)]``;
    for several (``p_event`` a mapping event → probability), every combination of independent
    outcomes, each weighted by the product of its probabilities."""
    known = events(sc)
    if not known:
        raise InputError(M.NO_EVENTS)
    if isinstance(p_event, Mapping):
        probs = {str(k): probability(str(k), v) for k, v in p_event.items()}
        for name in probs:
            if name not in known:
                raise InputError(M.UNKNOWN_EVENT.format(name=name, known=", ".join(known)))
        for name in known:
            if name not in probs:
                raise ParameterError(M.MISSING_PROBABILITY, name=name, p_event=M.P_EVENT, known=", ".join(known))
    elif len(known) == 1:
        probs = {known[0]: probability(known[0], p_event)}
    else:
        raise ParameterError(M.PROBABILITY_PER_EVENT, p_event=M.P_EVENT, known=", ".join(known))
    out: list[Outcome] = []
    for combo in product((True, False), repeat=len(known)):
        happens = dict(zip(known, combo, strict=True))
        weight = Fraction(1)
        for name, yes in happens.items():
            weight *= probs[name] if yes else 1 - probs[name]
        label = ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in happens.items())
        out.append(Outcome(label, weight, happens, resolve(sc, happens)))
    return out


@dataclass(frozen=True)
class ContingentWaterfall:
    """The waterfall under each outcome of the events and the probability-weighted payouts."""

    outcomes: list[Outcome]
    results: list[WaterfallResult]
    expected: dict[str, Fraction] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.results[0].entity,
            "exit_value": float(self.results[0].exit_value),
            "outcomes": [
                {"name": o.name, "probability": float(o.weight), "happens": dict(o.happens), **r.to_json()}
                for o, r in zip(self.outcomes, self.results, strict=True)
            ],
            "expected": {k: float(v) for k, v in self.expected.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per holder: its payout under each outcome and the expected payout."""
        import pandas as pd

        rows = []
        for k, v in self.expected.items():
            row: dict[str, Any] = {"holder": k}
            for o, r in zip(self.outcomes, self.results, strict=True):
                row[o.name] = float(r.holders.get(k, Fraction(0)))
            row["expected"] = float(v)
            rows.append(row)
        return pd.DataFrame(rows).set_index("holder")

    def _repr_html_(self) -> str:
        return str(self.to_frame().style.format("{:,.2f}").to_html())


def weighted(values: Iterable[tuple[Fraction, Mapping[str, Fraction]]]) -> dict[str, Fraction]:
    """``Σ_o w_o · value_o[k]`` for every key ``k`` of any outcome (missing keys count zero)."""
    out: dict[str, Fraction] = {}
    for w, vals in values:
        for k, v in vals.items():
            out[k] = out.get(k, Fraction(0)) + w * v
    return out


def contingent_waterfall(sc: Scenario, exit_value: Spelled, p_event: Spelled | Mapping[str, Spelled],
                         entity: str | None = None) -> ContingentWaterfall:
    """The exact waterfall at ``exit_value`` under each outcome of the events, and each holder's
    expected payout ``Σ_o p_o · payout_o``."""
    outcomes = scenarios_for(sc, p_event)
    results = [waterfall(o.scenario, exit_value, entity, explain=False) for o in outcomes]
    expected = weighted((o.weight, r.holders) for o, r in zip(outcomes, results, strict=True))
    return ContingentWaterfall(outcomes, results, expected)


@dataclass(frozen=True)
class ContingentValuation:
    """A valuation under each outcome of the events (a PWERM run, say) and the probability-weighted
    present values ``Σ_o p_o · value_o`` per holder and per class (class totals: a class's shares
    may differ between outcomes)."""

    outcomes: tuple[Outcome, ...]
    results: tuple[ValuationResult, ...]
    holders: dict[str, float]
    class_values: dict[str, float]

    @property
    def entity(self) -> str:
        return self.results[0].entity

    @property
    def method(self) -> str:
        """The method of the valuations (``pwerm``, or ``hybrid`` where a scenario is an OPM)."""
        return self.results[0].method

    def to_json(self) -> dict[str, Any]:
        """``stakeflow contingent --pwerm --json``'s document."""
        return {
            "entity": self.entity,
            "method": self.method,
            "outcomes": [{"name": o.name, "probability": float(o.weight), "holders": dict(r.holders),
                          "class_values": dict(r.class_values)}
                         for o, r in zip(self.outcomes, self.results, strict=True)],
            "holders": dict(self.holders),
            "class_values": dict(self.class_values),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per holder: its present value under each outcome and the expected value."""
        import pandas as pd

        rows = []
        for k, v in self.holders.items():
            row: dict[str, Any] = {"holder": k}
            for o, r in zip(self.outcomes, self.results, strict=True):
                row[o.name] = r.holders.get(k, 0.0)
            row["expected"] = v
            rows.append(row)
        return pd.DataFrame(rows).set_index("holder")

    def _repr_html_(self) -> str:
        return str(self.to_frame().style.format("{:,.2f}").to_html())


def contingent_valuation(sc: Scenario, p_event: Any,
                         method: Callable[[Scenario], ValuationResult]) -> ContingentValuation:
    """A valuation under each outcome of the events (``method``: a scenario → its
    :class:`ValuationResult`, e.g. a PWERM run) and the probability-weighted present values."""
    outcomes = scenarios_for(sc, p_event)
    results = [method(o.scenario) for o in outcomes]
    holders: dict[str, float] = {}
    classes: dict[str, float] = {}
    for o, r in zip(outcomes, results, strict=True):
        for k, v in r.holders.items():
            holders[k] = holders.get(k, 0.0) + float(o.weight) * v
        for k, v in r.class_values.items():
            classes[k] = classes.get(k, 0.0) + float(o.weight) * v
    return ContingentValuation(tuple(outcomes), tuple(results), holders, classes)


def contingent_pwerm(sc: Scenario, p_event: Any, scenarios: str | Path | PwermScenarios,
                     entity: str | None = None) -> ContingentValuation:
    """Every outcome of the events valued by PWERM on the same ``scenarios`` (a scenarios file,
    read once, or scenarios already read), weighted by the outcomes' probabilities
    (``stakeflow contingent --pwerm``)."""
    from ..valuation.pwerm import scenarios_of, value_pwerm  # only here: `waterfall --event` starts fast

    spec = scenarios_of(scenarios)
    return contingent_valuation(sc, p_event, lambda s: value_pwerm(s, spec, entity=entity))


def value_contingent(sc: Scenario, p_event: Any, method: Callable[[Scenario], ValuationResult]) -> dict[str, Any]:
    """The JSON document of :func:`contingent_valuation`."""
    return contingent_valuation(sc, p_event, method).to_json()


__all__ = [
    "ContingentValuation",
    "ContingentWaterfall",
    "Outcome",
    "contingent_pwerm",
    "contingent_valuation",
    "contingent_waterfall",
    "events",
    "probability",
    "resolve",
    "scenarios_for",
    "value_contingent",
    "weighted",
]
