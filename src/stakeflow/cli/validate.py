"""``stakeflow validate FILE``: check a scenario file against the format."""

from __future__ import annotations

from rich.text import Text

from ..scenario.validation import validate as validate_file
from ._app import app
from ._common import JsonOut, ScenarioFile, console, emit_json, user_errors


@app.command()
def validate(
    file: ScenarioFile,
    json_out: JsonOut = False,
) -> None:
    """Check FILE; print a summary, or every problem with its line and field path (exit 2)."""
    with user_errors():
        res = validate_file(file)
    if json_out:
        emit_json(res.to_json())
        return
    listed = ", ".join(f"{k} ({v})" for k, v in res.entities.items())
    console.print(Text.assemble(("ok", "green"), f" {res.file}: {res.name or 'unnamed scenario'}; "
                                f"{res.holders} holders; entities: {listed}"))
