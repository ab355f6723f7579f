"""``stakeflow round FILE --pre-money V --invest HOLDER=AMOUNT ...``: a priced round, exactly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import typer

from ..analysis.round_options import check_anti_dilution, investment
from ..analysis.rounds import RoundResult, price_round
from ..io._messages import NO_FOLDER
from ..io.atomic import write_text
from ..io.scenario_yaml import dump_scenario
from ..io.tables import export, inputs, round_tables
from ..scenario.errors import InputError
from . import _messages as CM
from ._app import app
from ._common import (
    CsvOut,
    JsonOut,
    ScenarioFile,
    XlsxOut,
    console,
    emit_json,
    err_console,
    load_scenario,
    money,
    pct,
    table,
    user_errors,
)


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(CM.ROUND_DATE.format(text=text)) from None


def investments(items: Iterable[str]) -> dict[str, Fraction]:
    """``--invest lead=4M --invest others=1M`` → ``{"lead": 4000000, "others": 1000000}``."""
    out: dict[str, Fraction] = {}
    for text in items:
        holder, sep, amount = text.partition("=")
        holder = holder.strip()
        if not sep or not holder or not amount.strip():
            raise InputError(CM.INVEST_FORMAT.format(text=text))
        if holder in out:
            raise InputError(CM.INVEST_TWICE.format(id=holder))
        out[holder] = investment(holder, amount.strip())
    return out


@app.command("round")
def round_(
    file: ScenarioFile,
    pre_money: str = typer.Option(..., "--pre-money", help="Pre-money valuation, e.g. 15M."),
    invest: list[str] = typer.Option(..., "--invest", help="New money: HOLDER=AMOUNT, once per investor."),
    entity: str = typer.Option(None, "--entity", help="Entity that raises the round."),
    new_class: str = typer.Option("series_a", "--new-class", help="Id of the new series of preferred."),
    name: str = typer.Option(None, "--name", help="Name of the new series (default from its id)."),
    pool_class: str = typer.Option(None, "--pool-class", help="Pool class to top up (created if new)."),
    pool_target: str = typer.Option(None, "--pool-target", help="Unissued pool after the round, of post-money."),
    pool_holder: str = typer.Option(None, "--pool-holder", help="Holder of a new pool (default option_pool)."),
    seniority: int = typer.Option(None, "--seniority", help="Seniority of the new series (default: pari passu "
                                  "with the most senior preferred)."),
    anti_dilution: str = typer.Option("none", "--anti-dilution", help="Of the new series: none, broad_based, "
                                      "narrow_based or full_ratchet."),
    price_decimals: int = typer.Option(4, "--price-decimals", help="Decimals of the price (rounded down)."),
    conversion_decimals: int = typer.Option(None, "--conversion-price-decimals",
                                            help="Decimals of SAFE and note conversion prices (default: as price)."),
    exact: bool = typer.Option(False, "--exact", help="Keep prices and share counts exact (no rounding)."),
    date: str = typer.Option(None, "--date", help="Closing date (notes accrue interest to it), YYYY-MM-DD."),
    outside: bool = typer.Option(False, "--conversions-outside-pre-money",
                                 help="Price on the pre-money shares without the SAFE and note conversions."),
    output: Path = typer.Option(None, "-o", "--output", help="Write the scenario after the round to this file."),
    json_out: JsonOut = False,
    xlsx: XlsxOut = None,
    csv: CsvOut = None,
) -> None:
    """Price a round: SAFEs and notes convert by their terms, the pool is topped up to its target
    share of the post-money capitalisation, and the new money buys a new series of preferred at
    the pre-money valuation divided by the pre-money fully diluted capitalisation (the pool
    increase and the conversions included). With -o, the scenario after the round is written."""
    sc = load_scenario(file)
    with user_errors():
        check_anti_dilution(anti_dilution)  # named before any mistake in --invest
        res = price_round(
            sc, pre_money, investments(invest), entity=entity, new_class=new_class, class_name=name,
            pool_class=pool_class, pool_target=pool_target, pool_holder=pool_holder, seniority=seniority,
            anti_dilution=anti_dilution, price_decimals=price_decimals,
            conversion_price_decimals=conversion_decimals, exact=exact, date=_date(date),
            conversions_in_pre_money=not outside,
        )
        if output is not None and not (output.parent if str(output.parent) else Path(".")).is_dir():
            # Checked before the tables are written, so that a bad -o leaves no file behind.
            raise InputError(NO_FOLDER.format(path=output, folder=output.parent))
        export(xlsx, csv, round_tables(res), inputs(sc, file, res.entity, pre_money=res.pre_money, invest=invest,
                                                    new_class=new_class, pool_class=pool_class, pool_target=pool_target,
                                                    anti_dilution=anti_dilution, price_decimals=price_decimals,
                                                    exact=exact, date=date), sc.currency)
        if output is not None:
            header = [f"{res.scenario.name or 'Scenario'} after a priced round of {new_class} written by "
                      f"stakeflow round from {file.name}:",
                      f"pre-money {money(res.pre_money, res.currency)}, price {float(res.price_per_share):,.6g} "
                      "a share.", ""]
            text, _ = dump_scenario(res.scenario, header=header)
            write_text(output, text)
    if json_out:
        emit_json(res.to_json())
    else:
        show(res)
    if output is not None:
        err_console.print(f"wrote {output}", markup=False)


def show(r: RoundResult) -> None:
    """The round's figures as tables: price, conversions, new money, adjustments, ownership."""
    c = r.currency
    lines = [
        ["pre-money valuation", money(r.pre_money, c)],
        ["pre-money fully diluted shares", money(r.pre_money_shares, "", 0)],
        ["price per share (exact)", f"{float(r.exact_price):,.8f}"],
        ["price per share", f"{float(r.price_per_share):,.8g}"],
        ["pool increase", money(r.pool_increase, "", 0)],
        ["post-money fully diluted shares", money(r.post_money_shares, "", 0)],
    ]
    console.print(table(f"{r.entity}: priced round", ["figure", "value"], lines))
    if r.conversions:
        rows = [[cv.class_id, money(cv.amount, c), f"{float(cv.price):,.8g}",
                 "cap" if cv.basis == "cap" else "round price, discounted", money(cv.total, "", 0)]
                for cv in r.conversions]
        console.print(table("SAFEs and notes converted", ["class", "amount", "price", "at", "shares"], rows))
    rows = [[r.names.get(h, h), money(n, "", 0)] for h, n in r.issued.items()]
    console.print(table("new money", ["investor", "shares"], rows))
    if r.adjustments:
        rows = [[a.class_id, a.method, f"{float(a.conversion_price_before):,.6g}",
                 f"{float(a.conversion_price_after):,.6g}", f"{float(a.ratio_after):,.6g}"] for a in r.adjustments]
        console.print(table("anti-dilution", ["class", "method", "price before", "price after", "ratio"], rows))
    rows = [[r.names.get(h, h), money(r.shares[h], "", 0), pct(v)] for h, v in r.ownership.items()]
    rows.append(["total", money(r.post_money_shares, "", 0), "100.00%"])
    console.print(table(f"{r.entity} after the round (fully diluted, as converted)", ["holder", "shares", "share"],
                        rows))


__all__ = ["investments", "round_", "show"]
