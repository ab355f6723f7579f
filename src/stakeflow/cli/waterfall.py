"""``stakeflow waterfall FILE --exit V``: who receives what, exactly."""

from __future__ import annotations

from pathlib import Path

import typer

from ..analysis.contingent import settle
from ..engine import WaterfallResult, exit_amount
from ..engine import waterfall as run_waterfall
from ..engine.result import EquityFlow
from ..io.tables import export, inputs, waterfall_tables
from ..scenario.errors import InputError
from ._app import app
from ._common import console, emit_json, fail, fail_in_file, load_scenario, money, pct, table, user_errors


def exit_values(exit_: str | None, exits: str | None, default: object) -> list[object]:
    """The exit values asked for: ``--exit``, or ``--exits a,b,c``, else the file's ``exit.value``."""
    if exit_ is not None and exits is not None:
        fail(["error: give --exit or --exits, not both"])
    if exits is not None:
        values: list[object] = [p.strip() for p in exits.split(",") if p.strip()]
        if not values:
            fail(["error: --exits needs at least one value, e.g. --exits 10M,50M,100M"])
        return values
    if exit_ is not None:
        return [exit_]
    if default is None:
        fail_in_file(["error: no exit value: give --exit VALUE (e.g. --exit 50M) or set exit.value in the file"])
    return [default]


@app.command()
def waterfall(
    file: Path = typer.Argument(..., help="Scenario file (YAML or JSON)."),
    exit_: str = typer.Option(None, "--exit", help="Proceeds of the entity, e.g. 50M."),
    exits: str = typer.Option(None, "--exits", help="Several exits side by side: 10M,50M,100M."),
    entity: str = typer.Option(None, "--entity", help="Entity whose proceeds are distributed."),
    date: str = typer.Option(None, "--date", help="Distribution date, YYYY-MM-DD (default: exit.date)."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document (SPEC §7)."),
    event: list[str] = typer.Option(None, "--event", help="Settle a contingent term: NAME=yes or NAME=no."),
    xlsx: Path = typer.Option(None, "--xlsx", help="Also write the tables to an Excel workbook (.xlsx)."),
    csv: Path = typer.Option(None, "--csv", help="Also write the tables as CSV: a .csv file, or a folder."),
) -> None:
    """Distribute an exit value through FILE's structure and show every ultimate recipient's amount."""
    sc = load_scenario(file, date)
    if event:
        with user_errors():
            sc = settle(sc, event)
    default = sc.exit.value if sc.exit is not None else None
    values = exit_values(exit_, exits, default)
    problems = []
    for v in values:
        try:
            exit_amount(v)
        except InputError as exc:
            problems.extend(exc.lines())
    if problems:
        fail(problems)  # every bad value at once, before any work
    with user_errors():
        results = [run_waterfall(sc, v, entity, explain=False) for v in values]
        given = inputs(sc, file, results[0].entity, exit_values=[r.exit_value for r in results], events=event)
        export(xlsx, csv, waterfall_tables(results), given, sc.currency)
    if json_out:
        if len(results) == 1:
            emit_json(results[0].to_json())
        else:
            emit_json({"entity": results[0].entity, "exits": [r.to_json() for r in results]})
        return
    if len(results) == 1:
        show_one(results[0])
    else:
        show_many(results)


def show_one(r: WaterfallResult) -> None:
    rows = [[r.names.get(k, k), money(v), pct(v / r.exit_value) if r.exit_value else "-"]
            for k, v in r.holders.items()]
    rows.append(["total", money(sum(r.holders.values())), "100.00%" if r.exit_value else "-"])
    console.print(table(f"{r.entity} at {money(r.exit_value, r.currency)}",
                        ["holder", f"amount ({r.currency})", "share"], rows))
    for eid, flow in r.entities.items():
        if isinstance(flow, EquityFlow):
            crow = [[cid + (" (converted)" if cid in flow.converted else ""), money(v)]
                    for cid, v in flow.classes.items()]
            console.print(table(f"{eid}: classes (proceeds {money(flow.proceeds)})",
                                ["class", "amount"], crow))
        else:
            trow = [[t.name, k, money(v)] for t in flow.tiers for k, v in t.paid.items() if v]
            console.print(table(f"{eid}: tiers (proceeds {money(flow.proceeds)})",
                                ["tier", "claimant", "amount"], trow, right_from=2))


def show_many(results: list[WaterfallResult]) -> None:
    first = results[0]
    cols = ["holder"] + [money(r.exit_value, "", 0) for r in results]
    rows = [[first.names.get(k, k)] + [money(r.holders[k], "", 0) for r in results]
            for k in first.holders]
    rows.append(["total"] + [money(sum(r.holders.values()), "", 0) for r in results])
    console.print(table(f"{first.entity}: payouts by exit value ({first.currency})", cols, rows))


__all__ = ["InputError", "exit_values", "waterfall"]
