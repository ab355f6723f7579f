"""What SAFEs, convertible notes and cumulative dividends are owed at an exit.

The instruments extend SPEC §3 (``docs/instruments.md``). At an exit before they convert in a
priced round, a SAFE or a note is a non-participating preferred-like claim: it is owed an amount
(its **preference**) or, if it chooses, the proceeds of a number of common shares (its
**as-converted** shares), whichever is greater, in the same conversion equilibrium as preferred
stock.

*Accrual* (dividends and interest), actual/365: ``t = days / 365`` from the start date to the
accrual date (``exit.date``, else the scenario's ``as_of``), never negative.

- simple: ``amount · r · t``;
- compound (annually): ``amount · ((1 + r)^n · (1 + r·f) − 1)`` with ``n = ⌊t⌋`` whole years
  and ``f = t − n`` the part year, which accrues simply.

*Liquidity capitalization* (the share count a capped instrument converts against at an exit):

- **post-money SAFE** (Y Combinator post-money SAFE, "Liquidity Capitalization"): the fully
  diluted capitalization as converted — common, issued options and warrants, every preferred
  class, and every SAFE and note as converted — without the unissued pool. A post-money SAFE
  with purchase amount ``P`` and cap ``K`` converts into ``P/K · LC`` shares (the Liquidity
  Price is ``K / LC``), so with ``B`` the other shares and ``Σ P/K`` over the post-money SAFEs,
  ``LC = B / (1 − Σ P/K)``. The SAFE's own text leaves out of ``LC`` any security that takes its
  cash-out amount or preference instead of converting; followed literally, a SAFE's share count
  would change when another security switches, and payouts would jump there (a holder's payout
  falling as the proceeds rise), which the format's continuous payoff curves (SPEC §5) rule
  out. Here ``LC`` counts every convertible security as converting: the two agree whenever they
  all convert, and the SAFE then receives exactly ``P/K`` of the proceeds.
- **pre-money SAFE** (the original Y Combinator SAFE) and **note**: the fully diluted
  capitalization excluding SAFEs, notes and the unissued pool: common, options and warrants,
  and every preferred class as converted. The instrument converts into
  ``owed · capitalization / K`` shares.

An instrument without a cap converts at the exit's own price, which gives it exactly its
purchase amount: it is owed that amount and never converts.
"""

from __future__ import annotations

import datetime as dt
import functools
from fractions import Fraction

from ..scenario.models import Entity, NoteClass, PreferredClass, SafeClass, Scenario

DAYS_PER_YEAR = 365
"""Day count of every accrual: actual days over a 365-day year."""

def accrual_date(sc: Scenario) -> dt.date | None:
    """The date dividends and interest accrue to: ``exit.date``, else the scenario's ``as_of``."""
    if sc.exit is not None and sc.exit.date is not None:
        return sc.exit.date
    return sc.as_of


def years(start: dt.date, end: dt.date) -> Fraction:
    """Years from ``start`` to ``end``, actual/365, never negative."""
    return Fraction(max((end - start).days, 0), DAYS_PER_YEAR)


def accrued(amount: Fraction, rate: Fraction, method: str, start: dt.date, end: dt.date) -> Fraction:
    """Dividends or interest accrued on ``amount`` at ``rate`` a year from ``start`` to ``end``.

    simple: ``amount·r·t``; compound (annually): ``amount·((1+r)^n·(1+r·f) − 1)``, ``n = ⌊t⌋``,
    ``f = t − n``, with ``t`` in years actual/365.
    """
    t = years(start, end)
    if method == "compound":
        n = t.numerator // t.denominator
        return amount * ((1 + rate) ** n * (1 + rate * (t - n)) - 1)
    return amount * rate * t


def dividends(cls: PreferredClass, issue: Fraction, as_of: dt.date | None) -> Fraction:
    """Cumulative dividends accrued on a preferred class's issue amount up to ``as_of``."""
    if not cls.dividend_rate or cls.dividend_start is None or as_of is None:
        return Fraction(0)
    return accrued(issue, cls.dividend_rate, cls.dividend or "simple", cls.dividend_start, as_of)


@functools.singledispatch
def owed(cls: SafeClass | NoteClass, as_of: dt.date | None) -> Fraction:
    """What a SAFE or note is owed before any multiple: a SAFE's purchase amount; a note's
    principal plus interest accrued from its issue date to ``as_of``."""
    raise TypeError(f"class {cls.id!r} of kind {cls.kind!r} owes no amount")


@owed.register
def _(cls: SafeClass, as_of: dt.date | None) -> Fraction:
    return cls.invested or Fraction(0)


@owed.register
def _(cls: NoteClass, as_of: dt.date | None) -> Fraction:
    principal = cls.principal or Fraction(0)
    if cls.interest_rate and cls.issue_date is not None and as_of is not None:
        principal += accrued(principal, cls.interest_rate, cls.interest or "simple", cls.issue_date, as_of)
    return principal


def fixed_capitalization(entity: Entity) -> Fraction:
    """The fully diluted capitalization that pre-money SAFEs and notes convert against: common,
    options and warrants, and every preferred class as converted; not SAFEs, notes or the pool."""
    return sum((c.capitalization_shares(entity.class_shares(c.id)) for c in entity.classes or ()), Fraction(0))


def debt_seniority(entity: Entity) -> int:
    """The seniority of a note that gives none: above every preferred class, SAFE and note that
    states one (a note is debt, paid before equity)."""
    ranks = [r for c in entity.classes or () if (r := c.stated_seniority) is not None]
    return max(ranks, default=0) + 1


def liquidity_capitalization(others: Fraction, sold: Fraction) -> Fraction:
    """``LC = B / (1 − Σ P/K)``: the capitalization that includes the post-money SAFEs' own
    shares, ``others`` being every other share as converted and ``sold`` the sum of the
    post-money SAFEs' purchase amounts over their caps (below 1, as the format requires)."""
    return others / (1 - sold)
