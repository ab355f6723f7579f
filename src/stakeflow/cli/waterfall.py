"""``stakeflow waterfall FILE --exit V``: who receives what, exactly."""

from __future__ import annotations

from collections.abc import Iterable

import typer

from ..analysis.contingent import resolve
from ..engine import WaterfallResult, exit_amount, exit_value_for
from ..engine import waterfall as run_waterfall
from ..engine.result import EquityFlow
from ..io.flags import error_lines
from ..io.tables import export, inputs, waterfall_tables
from ..scenario import Scenario
from ..scenario.errors import InputError, NoExitValue
from ..scenario.numbers import Spelled
from . import _messages as CM
from ._app import app
from ._common import (
    CsvOut,
    DistributionDate,
    Entity,
    ExitValue,
    JsonDocument,
    ScenarioFile,
    XlsxOut,
    console,
    emit_json,
    fail,
    fail_in_file,
    load_scenario,
    money,
    pct,
    table,
    user_errors,
)

NO_EXIT = "error: no exit value: give --exit VALUE (e.g. --exit 50M) or set exit.value in the file"


def exit_values(exit_: str | None, exits: str | None, sc: Scenario) -> list[Spelled]:
    """The exit values asked for: ``--exit``, or ``--exits a,b,c``, else the file's ``exit.value``."""
    if exit_ is not None and exits is not None:
        fail(["error: give --exit or --exits, not both"])
    if exits is not None:
        values: list[Spelled] = [p.strip() for p in exits.split(",") if p.strip()]
        if not values:
            fail(["error: --exits needs at least one value, e.g. --exits 10M,50M,100M"])
        return values
    if exit_ is not None:
        return [exit_]
    try:
        return [exit_value_for(sc)]
    except NoExitValue:
        fail_in_file([NO_EXIT])


def outcomes(items: Iterable[str]) -> dict[str, bool]:
    """``--event restructuring=no`` → ``{"restructuring": False}``: the events settled."""
    out: dict[str, bool] = {}
    for text in items:
        name, sep, value = text.partition("=")
        v = value.strip().lower()
        if not sep or not name.strip() or v not in ("yes", "no", "true", "false"):
            raise InputError(CM.EVENT_FORMAT.format(text=text))
        out[name.strip()] = v in ("yes", "true")
    return out


@app.command()
def waterfall(
    file: ScenarioFile,
    exit_: ExitValue = None,
    exits: str = typer.Option(None, "--exits", help="Several exits side by side: 10M,50M,100M."),
    entity: Entity = None,
    date: DistributionDate = None,
    json_out: JsonDocument = False,
    event: list[str] = typer.Option(None, "--event", help="Settle a contingent term: NAME=yes or NAME=no."),
    xlsx: XlsxOut = None,
    csv: CsvOut = None,
) -> None:
    """Distribute an exit value through FILE's structure and show every ultimate recipient's amount."""
    sc = load_scenario(file, date)
    if event:
        with user_errors():
            sc = resolve(sc, outcomes(event))
    values = exit_values(exit_, exits, sc)
    problems = []
    for v in values:
        try:
            exit_amount(v)
        except InputError as exc:
            problems.extend(error_lines(exc))
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


__all__ = ["InputError", "exit_values", "outcomes", "waterfall"]
