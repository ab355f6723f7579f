"""``stakeflow validate FILE``: check a scenario file against the format."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from ._app import app
from ._common import console, emit_json, load_scenario


@app.command()
def validate(
    file: Path = typer.Argument(..., help="Scenario file (YAML or JSON)."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Check FILE; print a summary, or every problem with its line and field path (exit 2)."""
    sc = load_scenario(file)
    kinds = {e.id: ("equity" if e.is_equity else "tiers" if e.is_tiered else "terminal") for e in sc.entities}
    summary = {"file": str(file), "valid": True, "name": sc.name, "holders": len(sc.holders), "entities": kinds}
    if json_out:
        emit_json(summary)
        return
    listed = ", ".join(f"{k} ({v})" for k, v in kinds.items())
    console.print(Text.assemble(("ok", "green"), f" {file}: {sc.name or 'unnamed scenario'}; "
                                f"{len(sc.holders)} holders; entities: {listed}"))
