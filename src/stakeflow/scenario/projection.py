"""The optional ``projection`` section: an operating entity's revenue, margins and terminal value
over the years (an extension of the format, documented in ``docs/restructuring.md``).

```yaml
projection:
  entity: openai_global          # the entity whose distributable profits are projected
  start: 2026                    # first projected calendar year
  horizon: 10                    # years projected
  revenue:
    initial: 13B                 # revenue of the year before `start`
    growth: [100%, 60%, 40%]     # expected growth per year (a schedule: the last value repeats)
    volatility: 40%              # standard deviation of log growth per year (a schedule)
  margin: [-60%, -20%, 10%, 25%] # distributable profit before contracts, as a share of revenue
  discount_rate: 15%             # annual rate for present values
  terminal: {revenue_multiple: 8x}
  events:
    - {id: agi_verified, annual_probability: 10%}
```
"""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from . import _extension_messages as X
from ._base import Amount, Id, _exact, _Model

MAX_HORIZON = 100


def _schedule(value: Any, nonneg: bool) -> tuple[Fraction, ...]:
    items = value if isinstance(value, list | tuple) else [value]
    if not items:
        raise ValueError(X.SCHEDULE_EMPTY)
    out: list[Fraction] = []
    for item in items:
        if isinstance(item, list | tuple | dict):
            raise ValueError(X.SCHEDULE.format(value=value))
        x = _exact(item)
        if nonneg and x < 0:
            raise ValueError(f"must not be negative, got {item}")
        out.append(x)
    return tuple(out)


def _show_schedule(values: tuple[Fraction, ...]) -> list[int | str]:
    return [int(x) if x.denominator == 1 else str(float(x)) for x in values]


_SCHEDULE_SCHEMA = WithJsonSchema(
    {"anyOf": [{"type": ["number", "string"]}, {"type": "array", "items": {"type": ["number", "string"]}}]}
)

Schedule = Annotated[
    tuple[Fraction, ...],
    PlainValidator(lambda v: _schedule(v, nonneg=False)),
    PlainSerializer(_show_schedule),
    _SCHEDULE_SCHEMA,
]
"""A number per year: one number for every year, or a list whose last value repeats."""

RateSchedule = Annotated[
    tuple[Fraction, ...],
    PlainValidator(lambda v: _schedule(v, nonneg=True)),
    PlainSerializer(_show_schedule),
    _SCHEDULE_SCHEMA,
]
"""A non-negative number per year (a volatility)."""


def expand(schedule: tuple[Fraction, ...], years: int) -> list[Fraction]:
    """The schedule's value in each of ``years`` years: item ``t``, or the last item beyond the list."""
    return [schedule[min(t, len(schedule) - 1)] for t in range(years)]


class Revenue(_Model):
    """Revenue per year: a lognormal growth model, or given paths.

    With ``growth`` g_t and ``volatility`` σ_t, revenue follows
    ``R_t = R_{t−1} · exp(ln(1 + g_t) − σ_t²/2 + σ_t Z_t)`` with independent standard normal
    ``Z_t``, so that ``E[R_t / R_{t−1}] = 1 + g_t``. ``values`` gives one path; ``paths`` several,
    used in turn by the simulated paths.
    """

    initial: Amount | None = None
    growth: Schedule | None = None
    volatility: RateSchedule | None = None
    values: tuple[Amount, ...] | None = None
    paths: tuple[tuple[Amount, ...], ...] | None = None

    @model_validator(mode="after")
    def _one_model(self) -> Revenue:
        given = (self.values is not None) + (self.paths is not None)
        if given > 1 or (given and (self.growth is not None or self.volatility is not None)):
            raise ValueError(X.REVENUE_MODEL)
        if not given and self.initial is None:
            raise ValueError("missing required key 'initial' (revenue of the year before 'start')")
        for g in self.growth or ():
            if g <= -1:
                raise ValueError(X.GROWTH_TOO_LOW.format(value=f"{float(g):.2%}"))
        return self

    @property
    def given_paths(self) -> list[list[Fraction]] | None:
        """The given paths (one for ``values``), or None for the growth model."""
        if self.values is not None:
            return [list(self.values)]
        if self.paths is not None:
            return [list(p) for p in self.paths]
        return None


class Terminal(_Model):
    """The entity's value at the horizon (an exit, an IPO, or what its future is worth then).

    ``revenue_multiple`` × revenue of the last year, ``profit_multiple`` × its operating
    profit (margin × revenue, floored at zero), or a fixed ``value``.
    """

    revenue_multiple: Amount | None = None
    profit_multiple: Amount | None = None
    value: Amount | None = None

    @model_validator(mode="after")
    def _one(self) -> Terminal:
        if sum(x is not None for x in (self.revenue_multiple, self.profit_multiple, self.value)) != 1:
            raise ValueError(X.TERMINAL_ONE)
        return self


class Event(_Model):
    """Something that may happen in some year and ends contracts (AGI declared, say).

    It happens in a fixed calendar ``year``; or in each year with ``annual_probability`` (the
    first year a path's uniform draw falls below it); or in the first year the entity's
    cumulative operating profit (margin × revenue, before contracts) reaches
    ``cumulative_profit``. An event happens at the end of its year.
    """

    id: Id
    name: str | None = None
    year: int | None = None
    annual_probability: Amount | None = None
    cumulative_profit: Amount | None = None

    @model_validator(mode="after")
    def _one(self) -> Event:
        if sum(x is not None for x in (self.year, self.annual_probability, self.cumulative_profit)) != 1:
            raise ValueError(X.EVENT_ONE.format(id=self.id))
        if self.annual_probability is not None and self.annual_probability > 1:
            raise ValueError(X.PROBABILITY.format(id=self.id, value=f"{float(self.annual_probability):.2%}"))
        return self


class Projection(_Model):
    """An operating entity's profits over ``horizon`` years from calendar year ``start``.

    Year ``t = 1..T`` is calendar year ``start + t − 1``; its flows happen at its end and are
    discounted by ``(1 + discount_rate)^−t``. Distributable profit before contracts is
    ``margin_t × R_t``; cash contracts paid by the entity come off it; what remains accumulates
    and is distributed through the entity's structure (``docs/restructuring.md``).
    """

    entity: Id
    start: int
    horizon: int
    revenue: Revenue
    margin: Schedule
    discount_rate: Amount
    terminal: Terminal | None = None
    events: tuple[Event, ...] = ()

    @model_validator(mode="after")
    def _checks(self) -> Projection:
        if not 1 <= self.horizon <= MAX_HORIZON:
            raise ValueError(X.HORIZON.format(most=MAX_HORIZON, value=self.horizon))
        seen: set[str] = set()
        for ev in self.events:
            if ev.id in seen:
                raise ValueError(X.DUPLICATE_EVENT.format(id=ev.id))
            seen.add(ev.id)
        for i, p in enumerate(self.revenue.given_paths or ()):
            if len(p) != self.horizon:
                raise ValueError(X.REVENUE_PATH_LENGTH.format(index=i, got=len(p), horizon=self.horizon))
        return self

    @property
    def years(self) -> list[int]:
        """The projected calendar years."""
        return [self.start + t for t in range(self.horizon)]

    def event(self, event_id: str) -> Event:
        for ev in self.events:
            if ev.id == event_id:
                return ev
        raise KeyError(event_id)


__all__ = ["Event", "Projection", "RateSchedule", "Revenue", "Schedule", "Terminal", "expand"]
