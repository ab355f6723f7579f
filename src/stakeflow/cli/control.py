"""``stakeflow control FILE``: who controls each entity, and the chain up to the ultimate controller."""

from __future__ import annotations

from pathlib import Path

import typer

from ..analysis.control import analyze_control, control_figure
from ._app import app
from ._common import JsonDocument, ScenarioFile, console, emit_json, load_scenario, table, user_errors
from ._plots import write_figure


@app.command()
def control(
    file: ScenarioFile,
    json_out: JsonDocument = False,
    plot: Path = typer.Option(None, "--plot", help="Write the ownership and control diagram (.html or .png)."),
) -> None:
    """Find each entity's controller (board majority, else vote majority) and ultimate controller."""
    sc = load_scenario(file)
    res = analyze_control(sc)
    if plot is not None:
        with user_errors():
            write_figure(control_figure(sc, res), plot)
    if json_out:
        emit_json(res.to_json())
        return
    rows = []
    for f in res.entities.values():
        if f.controller is None:
            how = "none (no majority of seats or votes)" if f.weights else "none"
        else:
            unit = "of board seats" if f.basis == "board" else "of votes"
            how = f"{f.controller} ({float(f.weights[f.controller]):.1%} {unit})"
        rows.append([f.entity, how, " -> ".join(f.chain[1:]) or "-"])
    console.print(table(f"Control: {sc.name or file}", ["entity", "controller", "chain of control"], rows,
                        right_from=9))
    if plot is not None:
        console.print(f"diagram written to {plot}")
