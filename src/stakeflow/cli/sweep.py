"""``stakeflow sweep FILE --grid NAME=SPEC ...``: the same valuation at every point of a grid (SPEC §12)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..analysis import _sweep_messages as SM
from ..analysis.sweep import Sweep
from ..analysis.sweep import sweep as run_sweep
from ..analysis.sweep_figure import plottable, sweep_figure
from ..io.atomic import write_all
from ..io.frames import check_table_path, table_writer
from ..scenario.errors import InputError
from ..valuation.errors import ParameterError
from ..valuation.parameters import DEFAULT_PATHS, MAX_PATHS, paths_within
from ..valuation.progress import in_stage
from . import _messages as M
from ._app import app
from ._common import (
    Antithetic,
    ChunkSize,
    DistributionDate,
    EquityValue,
    MaxPaths,
    Rate,
    ScenarioFile,
    ShowProgress,
    Term,
    ValuedEntity,
    Volatility,
    console,
    emit_json,
    load_scenario,
    money,
    show_progress,
    stages,
    table,
    user_errors,
)
from ._plots import check_plot_path, figure_writer

SHOWN = 40
"""Points listed in the terminal; the table file and the JSON hold them all."""


@app.command()
def sweep(
    file: ScenarioFile,
    method: str = typer.Option("opm", "--method", help="opm or montecarlo."),
    grid: list[str] = typer.Option(None, "--grid",
                                   help="An axis: NAME=LOW:HIGH:COUNT or NAME=V1,V2,... where NAME is equity_value, "
                                        "volatility, term, rate or a field path (repeat for more axes)."),
    equity_value: EquityValue = None,
    volatility: Volatility = None,
    term: Term = None,
    rate: Rate = None,
    paths: str = typer.Option(None, "--paths", help=f"Monte Carlo paths per point (default {DEFAULT_PATHS:,})."),
    max_paths: MaxPaths = None,
    seed: str = typer.Option(None, "--seed", help="Monte Carlo seed, the same at every point (default 0)."),
    chunk_size: ChunkSize = None,
    antithetic: Antithetic = False,
    scheduler: str = typer.Option(None, "--scheduler", help="Run on the Dask scheduler at ADDRESS (tcp://host:8786)."),
    workers: str = typer.Option(None, "--workers", help="Run on a local Dask cluster of W worker processes."),
    entity: ValuedEntity = None,
    date: DistributionDate = None,
    output: Path = typer.Option(None, "-o", "--output", help="Write the tidy table: .parquet or .csv."),
    plot: Path = typer.Option(None, "--plot", help="Write a chart (.html or .png): lines (one axis), heatmap (two)."),
    progress: ShowProgress = None,
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document (SPEC §12)."),
) -> None:
    """Value every holder at every point of a grid of assumptions (value options or any field of the
    file), by the OPM or Monte Carlo, here or on a Dask cluster, with the same numbers either way."""
    sc = load_scenario(file, date)
    with user_errors():
        if not grid:
            raise ParameterError(SM.NO_GRID, grid=SM.GRID)
        if output is not None:
            check_table_path(output)
        if plot is not None:
            check_plot_path(plot)
            if not plottable(len(grid)):
                raise InputError(M.PLOT_AXES.format(count=len(grid)))
        if method == "montecarlo" and paths is not None:
            paths_within(paths, MAX_PATHS if max_paths is None else max_paths)
        stage = "paths simulated" if method == "montecarlo" else "points valued"
        with stages(show_progress(progress)) as update:
            res = run_sweep(sc, method, grid, equity_value=equity_value, volatility=volatility, term=term,
                            rate=rate, paths=paths, seed=seed, chunk_size=chunk_size, antithetic=antithetic,
                            entity=entity, scheduler=scheduler, workers=workers,
                            progress=in_stage(update, stage))
        outputs = []
        if output is not None:
            outputs.append((output, table_writer(res.to_frame(), output)))
        if plot is not None:
            outputs.append((plot, figure_writer(sweep_figure(res), plot)))
        write_all(outputs)
    if json_out:
        emit_json(res.to_json())
        return
    show(res)
    for path, what in ((output, "table"), (plot, "chart")):
        if path is not None:
            console.print(f"{what} written to {path}")


def _param(name: str, v: float) -> str:
    if name in ("volatility", "rate"):
        return f"{v:.4g}" if abs(v) >= 10 else f"{100 * v:.4g}%"
    return f"{v:,.6g}"


def _input(name: str, v: object) -> str:
    if v is True:
        return "yes"
    if name == "equity_value" and isinstance(v, float):
        return money(v, "", 0)
    if isinstance(v, int):
        return f"{v:,}"
    return _param(name, float(v)) if isinstance(v, float) else str(v)


def show(res: Sweep) -> None:
    """One row per point: the axes' values and every holder's value (± its standard error)."""
    mc = res.method == "montecarlo"
    holders = res.holders
    cols = [a.name for a in res.axes] + [res.names.get(h, h) for h in holders]
    rows = []
    for p in res.points[:SHOWN]:
        r = p.result
        se = r.standard_errors
        rows.append([_param(k, float(v)) for k, v in p.params.items()]
                    + [money(r.holders[h], "", 0) + (f" ± {money(se[h], '', 0)}" if mc and se else "")
                       for h in holders])
    title = (f"{res.entity}: {'Monte Carlo' if mc else 'option pricing method'} over "
             f"{' × '.join(a.name for a in res.axes)} ({res.currency})")
    console.print(table(title, cols, rows, right_from=0))
    fixed = ", ".join(f"{k.replace('_', ' ')} {_input(k, v)}" for k, v in res.inputs.items()
                      if v is not False)
    more = f"; {len(res.points) - SHOWN:,} more in -o FILE or --json" if len(res.points) > SHOWN else ""
    console.print(f"{len(res.points):,} points ({fixed}), ran {res.where}{more}.")
