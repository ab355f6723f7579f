"""The scenario after a priced round: the converted SAFEs and notes as shadow series, the pool
topped up, the new series and its holders, conversion ratios adjusted by anti-dilution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..scenario.errors import InputError
from ..scenario.models import Entity, Holder, Holding, PoolClass, PreferredClass, Scenario, StockClass, make_class
from . import _instrument_messages as M
from .antidilution import Adjustment
from .round_options import check_id

if TYPE_CHECKING:
    from .rounds import Conversion


def fields_of(m: Any) -> dict[str, Any]:
    return {name: getattr(m, name) for name in m.model_fields_set}


@dataclass(frozen=True)
class RoundChanges:
    """What a priced round changes in its entity: the new series and who buys it, the
    conversions, the anti-dilution adjustments and the pool top-up."""

    issued: Mapping[str, Fraction]
    conversions: Sequence[Conversion]
    adjusted: Sequence[Adjustment]
    pool_increase: Fraction
    price: Fraction
    new_class: str
    class_name: str | None = None
    pool_class: str | None = None
    pool_holder: str | None = None
    seniority: int | None = None
    anti_dilution: str = "none"
    date: dt.date | None = None


def scenario_after(sc: Scenario, ent: Entity, r: RoundChanges) -> Scenario:
    """The scenario after the round: shadow series for the conversions, the pool topped up, the
    new series and its holdings, conversion ratios adjusted."""
    issued, conversions, adjusted, x, price = r.issued, r.conversions, r.adjusted, r.pool_increase, r.price
    new_class, class_name, pool_class, pool_holder = r.new_class, r.class_name, r.pool_class, r.pool_holder
    seniority, anti_dilution, date = r.seniority, r.anti_dilution, r.date
    prefs = [c.seniority for c in ent.classes or () if isinstance(c, PreferredClass)]
    rank = seniority if seniority is not None else max(prefs, default=0)
    title = class_name or new_class.replace("_", " ").title() + " Preferred"
    conv = {c.class_id: c for c in conversions}
    ratios = {a.class_id: a.ratio_after for a in adjusted}
    classes: list[StockClass] = []
    for c in ent.classes or ():
        if c.id in conv:
            fields: dict[str, Any] = {
                "id": c.id, "kind": "preferred", "price_per_share": conv[c.id].price, "seniority": rank,
                "name": f"{title}, shadow series for {c.name or c.id}",
            }
            if anti_dilution != "none":
                fields["anti_dilution"] = anti_dilution
            if c.contingency is not None:
                fields["contingent"] = c.contingency
            classes.append(make_class(fields))
        elif c.id in ratios:
            classes.append(make_class({**fields_of(c), "conversion_ratio": ratios[c.id]}))
        else:
            classes.append(c)
    new_fields: dict[str, Any] = {"id": new_class, "name": title, "kind": "preferred", "price_per_share": price,
                                  "seniority": rank}
    if anti_dilution != "none":
        new_fields["anti_dilution"] = anti_dilution
    classes.append(make_class(new_fields))

    known = {*sc.holder_ids, *sc.entity_ids}
    holders = list(sc.holders)
    holdings: list[Holding] = []
    for h in ent.holdings or ():
        if h.class_ in conv:
            n = conv[h.class_].shares.get(h.holder, Fraction(0))
            if n and not any(k.holder == h.holder and k.class_ == h.class_ for k in holdings):
                holdings.append(Holding(holder=h.holder, **{"class": h.class_}, shares=n))
        else:
            holdings.append(h)
    if pool_class is not None and (x > 0 or any(c.id == pool_class for c in classes)):
        if not any(c.id == pool_class for c in classes):
            classes.insert(len(classes) - 1, PoolClass(id=pool_class, kind="pool", name="Unissued option pool"))
        at = next((j for j, h in enumerate(holdings) if h.class_ == pool_class), None)
        if at is not None:
            old = holdings[at]
            holdings[at] = Holding(holder=old.holder, **{"class": pool_class}, shares=old.shares + x)
        elif x > 0:
            who = check_id(pool_holder or "option_pool", "pool holder")
            if who in sc.entity_ids:
                raise InputError(M.POOL_HOLDER_KIND.format(id=who))
            if who not in known:
                holders.append(Holder(id=who, name="Unissued option pool", kind="pool"))
                known.add(who)
            holdings.append(Holding(holder=who, **{"class": pool_class}, shares=x))
    for investor, n in issued.items():
        if investor not in known:
            holders.append(Holder(id=investor, kind="investor"))
            known.add(investor)
        if n:
            holdings.append(Holding(holder=investor, **{"class": new_class}, shares=n))
    new_ent = Entity(**{**fields_of(ent), "classes": classes, "holdings": holdings})
    entities = [new_ent if e.id == ent.id else e for e in sc.entities]
    top = {**fields_of(sc), "holders": holders, "entities": entities}
    if date is not None:
        top["as_of"] = date
    return Scenario(**top)
