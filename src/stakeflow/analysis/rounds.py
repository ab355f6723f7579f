"""A priced round: SAFEs and notes convert, the option pool is topped up, new money buys a new
series of preferred stock at a price set on the pre-money capitalisation.

Notation (every quantity exact):

- ``V`` the pre-money valuation, ``I = Σ_h I_h`` the new money;
- ``E`` the entity's fully diluted shares before the round: common, preferred as converted,
  options and warrants, and the unissued pool (every pool class); ``U₀`` that unissued pool;
- ``x`` the pool increase, ``s_c`` the shares SAFE or note class ``c`` converts into,
  ``S = Σ_c s_c``;
- ``PreCap = E + x + S``: the pre-money capitalisation includes the pool increase and the
  conversions (the "pool shuffle": both dilute the holders before the round, not the new money);
- ``p = V / PreCap`` the price per share, ``N = I / p`` the new shares,
  ``PostCap = PreCap + N``. (With ``conversions_in_pre_money=False``, ``PreCap = E + x`` and
  ``PostCap = PreCap + S + N``: the conversions dilute the new money too, as in the example of
  the original YC SAFE primer.)

A class converts its amount ``A_c`` (a SAFE's purchase amount; a note's principal and interest
accrued to the round's date) at the lower of its cap price and ``p·(1 − d_c)`` (``d_c = 0``
without a discount; without a cap only the second):

- post-money SAFE (Y Combinator post-money SAFE, "Company Capitalization": every share and
  converting security, the existing pool but not its increase): ``K_c / (E + S)``;
- pre-money SAFE (the original Y Combinator SAFE: excludes SAFEs and notes, includes the pool
  increase): ``K_c / (E + x)``;
- note: ``K_c / PreCap`` (the cap replaces the pre-money valuation: ``p·K_c/V``).

The pool target ``t`` asks ``U₀ + x = t·PostCap``. With ``p = V / PreCap`` each of these is
linear in ``(x, s_1, …, s_k)`` once it is known which term of each minimum applies, so the
round is solved as a linear system in exact fractions; the branch of each minimum is found by
solving and checking (a few solves, each closed form). If the pool already exceeds the target,
``x = 0``.

Rounding (defaults, each an option): conversion prices and the round price are rounded down to
4 decimals, share counts down to whole shares. The order is the documents': the SAFEs and
notes convert first (each holding ``⌊A_h / conversion price⌋``), then the pool increase solves
``U₀ + x = t·PostCap`` with ``N = I·PreCap/V`` (rounded down), then the price
``p = V / (E + x + S)`` is rounded and each investor buys ``⌊I_h / p⌋`` shares. ``exact=True``
keeps every price and share count exact.

The converted SAFEs and notes become shadow series of preferred stock (the YC SAFE's "Safe
Preferred Stock"): each keeps its class id, with the new series' rights but its own conversion
price as original issue price, so its liquidation preference is about its purchase amount.
Existing preferred with ``anti_dilution`` is adjusted by :mod:`.antidilution`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING, Any, Literal

from ..engine.instruments import accrual_date, owed
from ..engine.lookthrough import resolve_entity
from ..scenario.errors import InputError
from ..scenario.models import (
    Entity,
    Holding,
    InstrumentClass,
    Scenario,
)
from ..valuation.errors import ParameterError
from ..valuation.parameters import Spelled
from . import _instrument_messages as M
from .antidilution import Adjustment, adjustments
from .exact_linear import solve_exact
from .round_options import check_anti_dilution, check_id, decimals, investment, number, positive
from .round_rewrite import RoundChanges, scenario_after

if TYPE_CHECKING:
    import pandas as pd

Branch = Literal["cap", "price"]


@dataclass(frozen=True)
class Conversion:
    """How one SAFE or note class converted: at ``price`` (its cap price or the discounted round
    price, as ``basis`` says), into ``shares`` per holder."""

    class_id: str
    kind: str
    amount: Fraction
    price: Fraction
    basis: Branch
    shares: dict[str, Fraction]

    @property
    def total(self) -> Fraction:
        return sum(self.shares.values(), Fraction(0))


@dataclass(frozen=True)
class RoundResult:
    """The outcome of a priced round and the scenario after it (exact)."""

    entity: str
    currency: str
    pre_money: Fraction
    price_per_share: Fraction
    exact_price: Fraction
    pool_increase: Fraction
    issued: dict[str, Fraction]
    conversions: list[Conversion]
    adjustments: list[Adjustment]
    pre_money_shares: Fraction
    post_money_shares: Fraction
    ownership: dict[str, Fraction]
    shares: dict[str, Fraction]
    scenario: Scenario
    names: dict[str, str] = field(default_factory=dict)

    @property
    def converted(self) -> dict[str, Fraction]:
        """Shares issued on conversion, by SAFE or note class."""
        return {c.class_id: c.total for c in self.conversions}

    def to_json(self) -> dict[str, Any]:
        """``stakeflow round --json``: exactly the documented keys, amounts as floats."""
        return {
            "price_per_share": float(self.price_per_share),
            "pool_increase": float(self.pool_increase),
            "issued": {k: float(v) for k, v in self.issued.items()},
            "converted": {k: float(v) for k, v in self.converted.items()},
            "post_money_shares": float(self.post_money_shares),
            "ownership": {k: float(v) for k, v in self.ownership.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per holder after the round: fully diluted as-converted shares and ownership."""
        import pandas as pd

        rows = [{"holder": k, "name": self.names.get(k, k), "shares": float(self.shares[k]),
                 "ownership": float(v)} for k, v in self.ownership.items()]
        return pd.DataFrame(rows, columns=["holder", "name", "shares", "ownership"]).set_index("holder")

    def _repr_html_(self) -> str:
        caption = f"{self.entity} after the round at {self.currency} {float(self.price_per_share):,.4f} a share"
        styled = self.to_frame().style.format({"shares": "{:,.0f}", "ownership": "{:.2%}"}).set_caption(caption)
        return str(styled.to_html())


@dataclass(frozen=True)
class _Instrument:
    cls: InstrumentClass
    amount: Fraction
    by_holder: list[tuple[int, Holding, Fraction]]  # (index in holdings, holding, amount)

    @property
    def discount(self) -> Fraction:
        return self.cls.discount or Fraction(0)

    @property
    def basis(self) -> str:
        return self.cls.conversion_basis


def round_down(x: Fraction, decimals: int) -> Fraction:
    """``x`` rounded down to ``decimals`` decimal places (a price rounded down buys whole shares
    for at least the money paid; the YC example's $1.11447 is $1.1144)."""
    q = 10**decimals
    return Fraction((x * q).__floor__(), q)


def _floor(x: Fraction) -> Fraction:
    return Fraction(x.__floor__())


@dataclass(frozen=True)
class _Exact:
    pool: Fraction
    shares: list[Fraction]
    price: Fraction
    prices: list[Fraction]
    branches: tuple[Branch, ...]


@dataclass(frozen=True)
class _Terms:
    """The round's numbers: ``v`` pre-money, ``e`` fully diluted shares, ``u0`` unissued pool,
    ``t`` pool target, ``g = t·(1 + I/V)``, ``inc`` whether conversions are in the pre-money."""

    v: Fraction
    e: Fraction
    u0: Fraction
    t: Fraction | None
    g: Fraction | None
    inc: bool

    def base(self, x: Fraction, s: Fraction) -> Fraction:
        """The shares the price is set on: ``E + x (+ S)``."""
        return self.e + x + (s if self.inc else 0)


def _system(r: _Terms, ins: Sequence[_Instrument], branches: Sequence[Branch],
            with_pool: bool) -> tuple[list[list[Fraction]], list[Fraction]]:
    """The linear equations in ``z = (x, s_1, …, s_k)`` (module docstring); ``B = E + x + S``
    is the base the price is set on (``E + x`` when conversions are outside the pre-money)."""
    k = len(ins)
    inc = Fraction(1 if r.inc else 0)
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    if r.g is not None and r.t is not None and with_pool:
        # U₀ + x = t·PostCap = g·B + t·(1 − inc)·S
        rows.append([1 - r.g] + [-(r.g * inc + r.t * (1 - inc))] * k)
        rhs.append(r.g * r.e - r.u0)
    else:
        rows.append([Fraction(1)] + [Fraction(0)] * k)
        rhs.append(Fraction(0))
    for i, (inst, b) in enumerate(zip(ins, branches, strict=True)):
        row = [Fraction(0)] * (k + 1)
        cap = inst.cls.valuation_cap or Fraction(1)
        if b == "price" or inst.basis == "note":
            # s = c·B: c = A/(V(1 − d)) at the discounted price, A/K at a note's cap (p·K/V)
            c = inst.amount / (r.v * (1 - inst.discount)) if b == "price" else inst.amount / cap
            row[0] = -c
            for j in range(k):
                row[j + 1] = -c * inc
        elif inst.basis == "post_money":
            c = inst.amount / cap  # s = c·(E + S)
            for j in range(k):
                row[j + 1] = -c
        else:
            c = inst.amount / cap  # s = c·(E + x)
            row[0] = -c
        row[i + 1] += 1
        rows.append(row)
        rhs.append(c * r.e)
    return rows, rhs


def _prices(r: _Terms, inst: _Instrument, x: Fraction, s: Fraction) -> tuple[Fraction | None, Fraction]:
    """(cap price, discounted round price) at a candidate solution."""
    base = r.base(x, s)
    disc = r.v / base * (1 - inst.discount)
    cap = inst.cls.valuation_cap
    if cap is None:
        return None, disc
    shares = {"post_money": r.e + s, "pre_money": r.e + x, "note": base}[inst.basis]
    return cap / shares, disc


def _solve_exact(r: _Terms, ins: Sequence[_Instrument]) -> _Exact:
    """Solve the round exactly, finding which term of each conversion minimum applies.

    A candidate is consistent when every chosen term is the lower one and no share count is
    negative; a singular system (conversions worth the whole pre-money) has no candidate."""
    choices: list[tuple[Branch, ...]] = [("cap", "price") if i.cls.valuation_cap is not None else ("price",)
                                         for i in ins]
    tried: set[tuple[Branch, ...]] = set()
    guess: tuple[Branch, ...] = tuple(c[0] for c in choices)

    def attempt(branches: tuple[Branch, ...], with_pool: bool) -> tuple[_Exact | None, tuple[Branch, ...]]:
        sol = solve_exact(*_system(r, ins, branches, with_pool))
        if sol is None:
            return None, branches
        x, shares = sol[0], sol[1:]
        if with_pool and r.g is not None and x < 0:
            return attempt(branches, with_pool=False)
        s = sum(shares, Fraction(0))
        if r.base(x, s) <= 0 or any(n < 0 for n in shares):
            return None, branches
        better: list[Branch] = []
        prices: list[Fraction] = []
        for inst, b in zip(ins, branches, strict=True):
            cap, disc = _prices(r, inst, x, s)
            best: Branch = "cap" if cap is not None and cap <= disc else "price"
            chosen = cap if b == "cap" and cap is not None else disc
            better.append(b if chosen == min(p for p in (cap, disc) if p is not None) else best)
            prices.append(chosen)
        found = tuple(better)
        if found == branches:
            return _Exact(x, shares, r.v / r.base(x, s), prices, branches), found
        return None, found

    # A few solves settle it; every combination is the fallback for unusual terms.
    for _ in range(2 * len(ins) + 2):
        if guess in tried:
            break
        tried.add(guess)
        res, guess = attempt(guess, with_pool=True)
        if res is not None:
            return res
    for combo in product(*choices):
        if combo not in tried:
            res, _ = attempt(combo, with_pool=True)
            if res is not None:
                return res
    raise InputError(M.NO_CONSISTENT_PRICE.format(ids=", ".join(i.cls.id for i in ins)))


def _fully_diluted(ent: Entity) -> Fraction:
    return sum((c.fully_diluted_shares(ent.class_shares(c.id)) for c in ent.classes or ()), Fraction(0))


def price_round(
    sc: Scenario,
    pre_money: Spelled,
    investments: Mapping[str, Spelled],
    *,
    entity: str | None = None,
    new_class: str = "series_a",
    class_name: str | None = None,
    pool_class: str | None = None,
    pool_target: Spelled | None = None,
    pool_holder: str | None = None,
    seniority: int | None = None,
    anti_dilution: str = "none",
    price_decimals: int | None = 4,
    conversion_price_decimals: int | None = None,
    exact: bool = False,
    date: dt.date | None = None,
    conversions_in_pre_money: bool = True,
) -> RoundResult:
    """Price a round of ``investments`` (holder → amount) at ``pre_money`` (module docstring) and
    return the outcome with the scenario after it.

    ``pool_target`` is the unissued pool's share of the post-money capitalisation after the top-up
    of ``pool_class``; ``conversion_price_decimals`` defaults to ``price_decimals``; ``exact``
    keeps every price and share count exact; ``date`` (default: the scenario's accrual date) is
    the date notes accrue interest to. The new series is pari passu with the most senior
    preferred class unless ``seniority`` is given. ``conversions_in_pre_money=False`` sets the
    price on ``E + x`` alone (the SAFE and note shares then dilute the new money too, as in the
    original YC SAFE primer's example).
    """
    check_anti_dilution(anti_dilution)
    ent = resolve_entity(sc, entity)
    if not ent.is_equity:
        raise InputError(M.NOT_EQUITY.format(id=ent.id))
    v = positive(pre_money, M.PRE_MONEY)
    money = {check_id(h, "investor"): investment(h, a) for h, a in investments.items()}
    if not money:
        raise ParameterError(M.NO_INVESTMENT, investments=M.INVESTMENTS)
    for h in money:
        if h == ent.id:
            raise InputError(M.INVEST_SELF.format(id=h))
    check_id(new_class, M.NEW_CLASS)
    if any(c.id == new_class for c in ent.classes or ()):
        raise ParameterError(M.NEW_CLASS_EXISTS, id=new_class, entity=ent.id, new_class=M.NEW_CLASS)
    target: Fraction | None = None
    if pool_target is not None:
        if pool_class is None:
            raise ParameterError(M.POOL_TARGET_NEEDS_CLASS, pool_target=M.POOL_TARGET, pool_class=M.POOL_CLASS)
        target = number(pool_target, M.POOL_TARGET)
        if not 0 <= target < 1:
            raise ParameterError(M.POOL_TARGET_RANGE, pool_target=M.POOL_TARGET, value=pool_target)
    if pool_class is not None:
        check_id(pool_class, M.POOL_CLASS)
        existing = next((c for c in ent.classes or () if c.id == pool_class), None)
        if existing is not None and not existing.is_pool:
            raise ParameterError(M.POOL_CLASS_KIND, pool_class=M.POOL_CLASS, id=pool_class, kind=existing.kind,
                                 entity=ent.id)
    price_decimals = None if exact else decimals(price_decimals, M.PRICE_DECIMALS)
    conv_decimals = None if exact else decimals(
        price_decimals if conversion_price_decimals is None else conversion_price_decimals,
        M.CONVERSION_PRICE_DECIMALS)
    on = date or accrual_date(sc)
    total = sum(money.values(), Fraction(0))

    # --- the round, exactly ---------------------------------------------------------------------
    holdings = list(ent.holdings or ())
    ins: list[_Instrument] = []
    for c in ent.classes or ():
        if not isinstance(c, InstrumentClass):
            continue
        weight = ent.class_shares(c.id)
        amount = owed(c, on) if weight > 0 else Fraction(0)
        parts = [(j, h, amount * h.shares / weight) for j, h in enumerate(holdings) if h.class_ == c.id and weight]
        ins.append(_Instrument(c, amount, parts))
    e = _fully_diluted(ent)
    u0 = sum((ent.class_shares(c.id) for c in ent.classes or () if c.is_pool), Fraction(0))
    g = target * (1 + total / v) if target is not None else None
    if g is not None and g >= 1:
        sold = f"{float(total / (v + total)):.2%}"
        raise InputError(M.POOL_TOO_LARGE.format(target=f"{float(target or 0):.2%}", sold=sold))
    if e == 0 and not ins:
        raise InputError(M.NO_SHARES.format(id=ent.id))
    terms = _Terms(v, e, u0, target, g, conversions_in_pre_money)
    sol = _solve_exact(terms, ins)

    # --- rounding in the documents' order ------------------------------------------------------
    conversions: list[Conversion] = []
    for inst, price, branch in zip(ins, sol.prices, sol.branches, strict=True):
        if conv_decimals is not None:
            price = round_down(price, conv_decimals)
            if price == 0:
                raise InputError(M.PRICE_ROUNDS_TO_ZERO.format(what=f"conversion price of {inst.cls.id}",
                                                               decimals=conv_decimals))
        by: dict[str, Fraction] = {}
        for _, held, amount in inst.by_holder:
            n = amount / price if exact else _floor(amount / price)
            by[held.holder] = by.get(held.holder, Fraction(0)) + n
        conversions.append(Conversion(inst.cls.id, inst.cls.kind, inst.amount, price, branch, by))
    s = sum((c.total for c in conversions), Fraction(0))
    if exact:
        x = sol.pool
    elif g is not None:
        # U₀ + x = g·B + t·S when the conversions are outside B, solved for x at the rounded S
        outside = (target or Fraction(0)) * s if not conversions_in_pre_money else Fraction(0)
        x = max(Fraction(0), _floor((g * terms.base(Fraction(0), s) + outside - u0) / (1 - g)))
    else:
        x = Fraction(0)
    pre_cap = terms.base(x, s)
    exact_price = v / pre_cap
    price = exact_price if price_decimals is None else round_down(exact_price, price_decimals)
    if price == 0:
        raise InputError(M.PRICE_ROUNDS_TO_ZERO.format(what="price per share", decimals=price_decimals))
    issued = {h: (a / price if exact else _floor(a / price)) for h, a in money.items()}
    new_shares = sum(issued.values(), Fraction(0))

    adjusted = adjustments(ent, price, total, new_shares, converted=s)
    new_sc = scenario_after(sc, ent, RoundChanges(
        issued=issued, conversions=conversions, adjusted=adjusted, pool_increase=x, price=price,
        new_class=new_class, class_name=class_name, pool_class=pool_class, pool_holder=pool_holder,
        seniority=seniority, anti_dilution=anti_dilution, date=date))
    after = new_sc.entity(ent.id)
    shares = _by_holder(after)
    post = sum(shares.values(), Fraction(0))
    return RoundResult(
        entity=ent.id, currency=sc.currency, pre_money=v, price_per_share=price, exact_price=exact_price,
        pool_increase=x, issued=issued, conversions=conversions, adjustments=adjusted, pre_money_shares=pre_cap,
        post_money_shares=post, ownership={k: n / post for k, n in shares.items()}, shares=shares,
        scenario=new_sc, names={k: new_sc.display_name(k) for k in shares},
    )


def _by_holder(ent: Entity) -> dict[str, Fraction]:
    """Fully diluted as-converted shares per holder (preferred × conversion ratio)."""
    out: dict[str, Fraction] = {}
    for h in ent.holdings or ():
        c = ent.stock_class(h.class_)
        if c.is_convertible_instrument:
            continue
        out[h.holder] = out.get(h.holder, Fraction(0)) + c.fully_diluted_shares(h.shares)
    return out


__all__ = ["Conversion", "RoundResult", "price_round", "round_down"]
