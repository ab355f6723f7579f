"""The tables each command writes to Excel and CSV, and the inputs that go with them.

Each builder returns ``(sheets, formats)``: the tables by sheet name (pandas DataFrames whose
numbers are the results' own, exact rationals rounded once to floats) and, per sheet, the
kind of each numeric column (:data:`stakeflow.io.excel.KINDS`). :func:`export` writes them
with :func:`~stakeflow.io.excel.save_tables`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .excel import save_tables

if TYPE_CHECKING:
    from ..analysis.rounds import RoundResult
    from ..engine.result import WaterfallResult
    from ..payoff.curve import PayoffCurve
    from ..scenario.models import Scenario
    from ..valuation.result import ValuationResult

Sheets = dict[str, pd.DataFrame]
Formats = dict[str, dict[str, str]]


def _label(v: Fraction) -> str:
    """A column heading for an exit value: ``50,000,000`` (cents only where there are any)."""
    f = float(v)
    return f"{f:,.0f}" if f == int(f) else f"{f:,.2f}"


def waterfall_tables(results: Sequence[WaterfallResult]) -> tuple[Sheets, Formats]:
    """``payouts`` (each ultimate recipient's amount and share of the exit; with several exits,
    one column per exit and the shares on sheet ``shares``) and ``classes`` (every class or tier
    amount to each claimant, entity by entity)."""
    first = results[0]
    names = [first.names.get(k, k) for k in first.holders]
    if len(results) == 1:
        r = first
        frame = r.to_frame().reset_index()
        sheets: Sheets = {"payouts": frame}
        formats: Formats = {"payouts": {"amount": "money", "share": "percent"}}
        classes = r.classes_frame()
        classes.insert(0, "exit_value", float(r.exit_value))
    else:
        labels = [_label(r.exit_value) for r in results]
        # Every column first, then one frame: a frame grown a column at a time costs the square of
        # the number of exits (and pandas warns that it is fragmented).
        pay_cols: dict[str, list[Any]] = {"holder": list(first.holders), "name": names}
        share_cols: dict[str, list[Any]] = {"holder": list(first.holders), "name": names}
        for lab, r in zip(labels, results, strict=True):
            pay_cols[lab] = [float(r.holders[k]) for k in first.holders]
            share_cols[lab] = [float(r.holders[k] / r.exit_value) if r.exit_value else 0.0 for k in first.holders]
        sheets = {"payouts": pd.DataFrame(pay_cols), "shares": pd.DataFrame(share_cols)}
        formats = {"payouts": dict.fromkeys(labels, "money"), "shares": dict.fromkeys(labels, "percent")}
        parts = []
        for r in results:
            frame = r.classes_frame()
            frame.insert(0, "exit_value", float(r.exit_value))
            parts.append(frame)
        classes = pd.concat(parts, ignore_index=True)
    sheets["classes"] = classes
    formats["classes"] = {"exit_value": "money", "amount": "money", "converted": "General"}
    return sheets, formats


def breakpoints_tables(curve: PayoffCurve) -> tuple[Sheets, Formats]:
    """``holders`` and ``classes``: each one's share of every tranche of proceeds between
    consecutive breakpoints (the last tranche is open-ended: ``to`` is empty); ``payouts``: each
    holder's payout at each breakpoint; ``slope after``: its share of every dollar beyond the last."""
    holders = curve.to_frame().reset_index()
    ends = [*curve.class_breakpoints[1:], None]
    classes = pd.DataFrame(
        [{"tranche": k, "from": float(lo), "to": float(hi) if hi is not None else None,
          **{c: float(curve.class_slopes[c][k]) for c in curve.classes}}
         for k, (lo, hi) in enumerate(zip(curve.class_breakpoints, ends, strict=True))],
        columns=["tranche", "from", "to", *curve.classes],
    )
    payouts = pd.DataFrame(
        [{"proceeds": float(b), **{h: float(curve.values[h][k]) for h in curve.holders}}
         for k, b in enumerate(curve.breakpoints)],
        columns=["proceeds", *curve.holders],
    )
    after = pd.DataFrame({"holder": list(curve.holders), "name": [curve.names.get(h, h) for h in curve.holders],
                          "slope_after": [float(curve.slopes[h][-1]) for h in curve.holders]})
    sheets = {"holders": holders, "classes": classes, "payouts": payouts, "slope after": after}
    money = {"from": "money", "to": "money", "proceeds": "money", "tranche": "0"}
    formats = {
        "holders": {**money, **dict.fromkeys(curve.holders, "percent")},
        "classes": {**money, **dict.fromkeys(curve.classes, "percent")},
        "payouts": {**money, **dict.fromkeys(curve.holders, "money")},
        "slope after": {"slope_after": "percent"},
    }
    return sheets, formats


def value_tables(res: ValuationResult) -> tuple[Sheets, Formats]:
    """``holders`` (present value, share of the equity value, standard error, value after DLOM),
    ``classes`` (shares, value, value per share) and, for PWERM, ``scenarios``."""
    sheets: Sheets = {"holders": res.to_frame().reset_index()}
    if res.classes:
        sheets["classes"] = res.classes_frame().reset_index()
    if res.scenarios:
        rows = [{"scenario": s.name, "probability": float(s.probability), "method": s.method,
                 "equity_value": s.equity_value, **{res.names.get(h, h): s.holders[h] for h in res.holders}}
                for s in res.scenarios]
        sheets["scenarios"] = pd.DataFrame(rows)
    holder_cols = {res.names.get(h, h): "money" for h in res.holders}
    formats = {"holders": {}, "classes": {}, "scenarios": holder_cols}
    return sheets, formats


def round_tables(r: RoundResult) -> tuple[Sheets, Formats]:
    """``round`` (price, pool increase, share counts), ``conversions`` (each SAFE and note: amount,
    price, shares), ``issued`` (new shares per investor) and ``ownership`` after the round."""
    figures = pd.DataFrame([{
        "entity": r.entity,
        "pre_money": float(r.pre_money),
        "price_per_share": float(r.price_per_share),
        "exact_price": float(r.exact_price),
        "pre_money_shares": float(r.pre_money_shares),
        "pool_increase": float(r.pool_increase),
        "post_money_shares": float(r.post_money_shares),
    }])
    conversions = pd.DataFrame(
        [{"class": c.class_id, "kind": c.kind, "amount": float(c.amount), "price": float(c.price),
          "at": "cap" if c.basis == "cap" else "round price, discounted", "holder": h, "shares": float(n)}
         for c in r.conversions for h, n in c.shares.items()],
        columns=["class", "kind", "amount", "price", "at", "holder", "shares"],
    )
    issued = pd.DataFrame([{"holder": h, "name": r.names.get(h, h), "shares": float(n)} for h, n in r.issued.items()],
                          columns=["holder", "name", "shares"])
    sheets = {"round": figures, "conversions": conversions, "issued": issued, "ownership": r.to_frame().reset_index()}
    formats = {"round": {"pre_money": "money", "price_per_share": "price", "exact_price": "price",
                         "pre_money_shares": "shares", "pool_increase": "shares", "post_money_shares": "shares"},
               "conversions": {"amount": "money", "price": "price"}}
    return sheets, formats


def inputs(
    sc: Scenario, file: str | Path | None, entity: str | None, options: Mapping[str, Any] | None = None,
    **more: Any,
) -> dict[str, Any]:
    """The inputs sheet: scenario name, file, entity, currency, then the command's options
    (``options`` and ``more``; None, False and empty values left out)."""
    out: dict[str, Any] = {"scenario": sc.name or "", "file": str(file) if file is not None else "",
                           "entity": entity or "", "currency": sc.currency}
    if sc.as_of is not None:
        out["as of"] = sc.as_of
    for key, value in {**(options or {}), **more}.items():
        if value is None or value is False or value == []:
            continue
        out[key.replace("_", " ")] = value
    return out


def value_inputs(sc: Scenario, file: str | Path | None, res: ValuationResult) -> dict[str, Any]:
    """The inputs of a valuation: the method, the equity value (given or backsolved), the
    method's parameters, the backsolved class and price, and the discount for lack of
    marketability with its rate."""
    more: dict[str, Any] = {"method": res.method, "equity_value": res.equity_value}
    if res.backsolve is not None:
        more.update({f"backsolve {k}": v for k, v in res.backsolve.items()})
    if res.dlom is not None:
        more.update({"dlom": res.dlom.name, "dlom discount": res.dlom.discount})
    return inputs(sc, file, res.entity, {**more, **res.inputs})


def export(
    xlsx: str | Path | None,
    csv: str | Path | None,
    tables: tuple[Sheets, Formats],
    given: Mapping[str, Any],
    currency: str = "USD",
    say: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write ``tables`` with the inputs ``given`` to ``xlsx`` and/or ``csv`` (either may be None)."""
    if xlsx is None and csv is None:
        return []
    sheets, formats = tables
    return save_tables(xlsx, csv, sheets, given, formats, currency, say)
