"""``stakeflow breakpoints FILE``: the exact payoff curve, as an OPM breakpoint analysis lays it out."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import typer
from rich.table import Table

from ..engine import exit_value_of
from ..io.tables import breakpoints_tables, export, inputs
from ..payoff import PayoffCurve, payoff_curve
from ..payoff.figure import payoff_figure, short_amount
from ._app import app
from ._common import (
    CsvOut,
    DistributionDate,
    Entity,
    JsonDocument,
    ScenarioFile,
    XlsxOut,
    console,
    emit_json,
    load_scenario,
    table,
    user_errors,
)
from ._plots import write_figure


def share(x: Fraction) -> str:
    if x == 0 or x == 1:
        return "-" if x == 0 else "100%"
    return f"{float(x):.1%}"


def tranche_rows(points: list[Fraction], slopes: dict[str, list[Fraction]], ids: list[str]) -> list[list[str]]:
    """One row per tranche of proceeds (from a breakpoint up to the next): each column's share of it."""
    rows = []
    for k, lo in enumerate(points):
        rows.append([short_amount(lo), *(share(slopes[i][k]) for i in ids)])
    return rows


def tranche_table(title: str, ids: list[str], rows: list[list[str]], first: str = "from") -> Table:
    """Tranches down, claimants across, as OPM breakpoint analyses lay them out; long ids fold
    rather than vanish behind an ellipsis, so a cap table fits an 80-column terminal."""
    t = table(title, [first, *ids], rows)
    for col in t.columns[1:]:
        col.overflow = "fold"
        col.min_width = 5
    t.columns[0].no_wrap = True
    return t


def show(curve: PayoffCurve) -> None:
    # Ids, not display names, head the columns: a cap table's many holders must fit a terminal.
    names = list(curve.holders)
    console.print(tranche_table(
        f"{curve.entity}: share of each tranche of proceeds by holder ({curve.currency})",
        names, tranche_rows(curve.breakpoints, curve.slopes, curve.holders),
    ))
    if curve.classes:
        cols = list(curve.classes)
        console.print(tranche_table(
            f"{curve.entity}: share of each tranche of proceeds by class ({curve.currency})",
            cols, tranche_rows(curve.class_breakpoints, curve.class_slopes, curve.classes),
        ))
    if len(curve.breakpoints) > 1:
        rows = [[short_amount(b), *(short_amount(curve.values[h][k]) for h in curve.holders)]
                for k, b in enumerate(curve.breakpoints)]
        console.print(tranche_table(f"{curve.entity}: payout of each holder at each breakpoint ({curve.currency})",
                                    names, rows, first="proceeds"))


@app.command()
def breakpoints(
    file: ScenarioFile,
    entity: Entity = None,
    date: DistributionDate = None,
    json_out: JsonDocument = False,
    plot: Path = typer.Option(None, "--plot", help="Chart every holder's payoff against proceeds (.html or .png)."),
    xlsx: XlsxOut = None,
    csv: CsvOut = None,
) -> None:
    """Find the exact breakpoints of every holder's payoff (proceeds at which some slope changes)
    and show which share of each tranche of proceeds each holder and each class receives."""
    sc = load_scenario(file, date)
    with user_errors():
        curve = payoff_curve(sc, entity)
        if plot is not None:
            upto = exit_value_of(sc, curve.entity)
            title = f"{sc.name or file.name}: payoff of {curve.entity} by holder"
            write_figure(payoff_figure(curve, upto, title), plot)
        export(xlsx, csv, breakpoints_tables(curve), inputs(sc, file, curve.entity), sc.currency)
    if json_out:
        emit_json(curve.to_json())
        return
    show(curve)
    if plot is not None:
        console.print(f"chart written to {plot}")
