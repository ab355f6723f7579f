"""``stakeflow explain FILE --exit V``: the waterfall laid out step by step, every dollar traced."""

from __future__ import annotations

import typer

from ..engine.explain import Explanation
from ..engine.explain import explain as run_explain
from ._app import app
from ._common import (
    DistributionDate,
    Entity,
    ExitValue,
    ScenarioFile,
    console,
    emit_json,
    load_scenario,
    money,
    table,
    user_errors,
)
from .waterfall import exit_values


@app.command()
def explain(
    file: ScenarioFile,
    exit_: ExitValue = None,
    entity: Entity = None,
    date: DistributionDate = None,
    json_out: bool = typer.Option(False, "--json", help="Print the ledger as one JSON document."),
) -> None:
    """Show each step of the distribution: preferences by seniority, conversions, the residual
    price per share, exercises, caps, tiers, overflows and pass-throughs, with a check that the
    amounts add up to the exit value."""
    sc = load_scenario(file, date)
    (value,) = exit_values(exit_, None, sc)
    with user_errors():
        e = run_explain(sc, value, entity)
    if json_out:
        emit_json(e.to_json())
        return
    show_ledger(e)


def show_ledger(e: Explanation) -> None:
    r = e.result
    for eid in r.entities:
        rows = []
        for s in (s for s in e.steps if s.entity == eid):
            if s.kind == "residual":
                amount = f"{float(s.amount or 0):,.6f} /sh"
            else:
                amount = "" if s.amount is None else money(s.amount)
            rows.append([s.kind.replace("_", " "), s.text, amount])
        console.print(table(f"{eid}", ["step", "what", f"amount ({r.currency})"], rows, right_from=2))
    total = sum(r.holders.values())
    check = "adds up" if e.adds_up else "DOES NOT ADD UP"
    console.print(f"Paid to ultimate recipients: {money(total, r.currency)} of "
                  f"{money(r.exit_value, r.currency)} ({check}, exact arithmetic).")
