"""``stakeflow import-ocf`` and ``stakeflow export-ocf``: cap tables in and out of the Open Cap
Table Format (OCF 1.2.0), through pyocf."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..io.atomic import write_text
from ..io.ocf_export import export_ocf
from ..io.ocf_import import import_ocf
from ..scenario import loads
from ._app import app
from ._common import ScenarioFile, emit_json, err_console, load_scenario, user_errors


def _say(line: str) -> None:
    err_console.print(line, markup=False)


@app.command("import-ocf")
def import_ocf_command(
    path: Path = typer.Argument(..., help="OCF package: a .zip, a folder, or its Manifest.ocf.json."),
    output: Path = typer.Option(None, "-o", "--output", help="Scenario file to write (YAML); default: stdout."),
    json_out: bool = typer.Option(False, "--json", help="Print what was read and left out as one JSON document."),
) -> None:
    """Read an Open Cap Table Format package as a scenario file. Objects the scenario cannot hold
    are listed by type and id, on stderr and in the file's header, never dropped silently."""
    with user_errors():
        result = import_ocf(path)
        text, rounded = result.to_yaml()
        loads(text, source=str(output or "<import>"))  # what is written must read back
        if output is not None:
            write_text(output, text)
    for item in result.unmapped:
        _say(f"warning: not imported: {item.line()}")
    for note in [*result.notes, *rounded]:
        _say(f"note: {note}")
    if result.ignored:
        n = len(result.ignored)
        _say(f"note: {n} {'object' if n == 1 else 'objects'} with no effect on payouts not imported "
             f"(listed in the file header{', and in the JSON document' if json_out else ''})")
    c = result.counts
    summary = (f"{c['holders']} holders, {c['classes']} classes, {c['holdings']} holdings; "
               f"{len(result.unmapped)} objects not imported that could change payouts")
    if json_out:
        doc = result.to_json()
        doc["output"] = str(output) if output is not None else None
        doc["notes"] = [*result.notes, *rounded]
        if output is None:
            doc["scenario"] = text
        emit_json(doc)
        return
    if output is None:
        sys.stdout.write(text)
        _say(f"read {path}: {summary}")
    else:
        _say(f"wrote {output}: {summary}")


@app.command("export-ocf")
def export_ocf_command(
    file: ScenarioFile,
    output: Path = typer.Option(..., "-o", "--output", help="OCF package to write, e.g. out.ocf.zip."),
    entity: str = typer.Option(None, "--entity", help="Equity entity to export (default: as for waterfall)."),
    json_out: bool = typer.Option(False, "--json", help="Print what was written and left out as one JSON document."),
) -> None:
    """Write one equity entity of FILE as an Open Cap Table Format 1.2.0 package (a zip). What OCF
    cannot hold (other entities, boards, tier programs, exit defaults) is listed on stderr."""
    sc = load_scenario(file)
    with user_errors():
        result = export_ocf(sc, entity)
        result.write(output)
    for item in result.left_out:
        _say(f"warning: not exported: {item.line()}")
    c = result.counts
    if json_out:
        doc = result.to_json()
        doc["output"] = str(output)
        emit_json(doc)
        return
    _say(f"wrote {output}: entity {result.entity}; {c['stakeholders']} stakeholders, "
         f"{c['stock_classes']} stock classes, {c['stock_plans']} stock plans, {c['transactions']} transactions")
