"""``stakeflow sensitivity BEFORE AFTER``: how fair stakes move with each assumption."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from ..analysis.compare import check_mapping, parse_mapping
from ..analysis.restructuring import fair_stake_targets
from ..analysis.sensitivity import (
    POINT_PATHS,
    POINT_SEED,
    REVENUE_SCALES,
    Sensitivity,
    dask_client,
    parse_scales,
    parse_shift,
)
from ..analysis.sensitivity import sensitivity as run_sensitivity
from ..analysis.solve import check_basis
from ..analysis.values import compare_paths
from ..valuation.cluster import close
from ..valuation.parameters import seed as read_seed
from ..valuation.progress import counted, in_stage
from ._app import app
from ._common import (
    AfterFile,
    BeforeFile,
    JsonOut,
    PartyMap,
    ShowProgress,
    console,
    emit_json,
    load_scenario,
    show_progress,
    stages,
    table,
    user_errors,
)
from ._plots import write_figure

SCALES = ",".join(f"{k:g}" for k in REVENUE_SCALES)


@app.command()
def sensitivity(
    before: BeforeFile,
    after: AfterFile,
    party: str = typer.Option(None, "--party", help="Party whose fair stake is swept (default: every holder)."),
    field: str = typer.Option(None, "--field", help="Field to solve for (default: the party's holding)."),
    basis: str = typer.Option("total", "--basis", help="total or structure."),
    map_: PartyMap = None,
    shift: list[str] = typer.Option(None, "--shift",
                                    help="Assumption to move: growth, volatility, margin, discount_rate, horizon, "
                                         "caps, terminal, or PATH=LOW:HIGH (repeat; default: the first seven)."),
    scales: str = typer.Option(SCALES, "--scales", help="Revenue scale factors for the company-value sweep."),
    paths: str = typer.Option(None, "--paths", help=f"Simulated paths per point (default {POINT_PATHS:,})."),
    seed: str = typer.Option(None, "--seed", help=f"Seed of the random numbers (default {POINT_SEED})."),
    dask: bool = typer.Option(False, "--dask", help="Run the points on a Dask cluster on this machine."),
    scheduler: str = typer.Option(None, "--scheduler", help="Run the points on the Dask scheduler at ADDRESS."),
    plot: Path = typer.Option(None, "--plot", help="Write the tornado chart (.html or .png)."),
    progress: ShowProgress = None,
    json_out: JsonOut = False,
) -> None:
    """Move each assumption low and high (in both structures) and solve each fair stake again; then
    scale revenue to plot the fair stake against company value. Locally, or on Dask."""
    b = load_scenario(before)
    a = load_scenario(after)
    with user_errors():
        basis_ = check_basis(basis)
        n = compare_paths(paths, POINT_PATHS)
        k = read_seed(seed, POINT_SEED)
        mapping = parse_mapping(map_)
        check_mapping(mapping, b, a)
        factors = parse_scales(scales)
        shifts = [parse_shift(s) for s in shift] if shift else None
        targets = fair_stake_targets(b, a, mapping, party, field, basis_)
        client = dask_client(dask, scheduler)
        try:
            total = 1 + 2 * (len(shifts) if shifts is not None else 7) + len(factors)
            with stages(show_progress(progress)) as update:
                res = run_sensitivity(b, a, targets, mapping=mapping, shifts=shifts, scales=factors, paths=n,
                                      seed=k, client=client, progress=counted(in_stage(update, "points"), total))
        finally:
            if client is not None:
                close(client)
        if plot is not None:
            from ..io.report import tornado_figure

            write_figure(tornado_figure(res), plot)
    if json_out:
        emit_json(res.to_json())
        return
    show(res)
    if plot is not None:
        console.print(Text(f"tornado written to {plot}"))


def show(res: Sensitivity) -> None:
    for i, t in enumerate(res.targets):
        base = res.measure(res.base.stakes[i])
        rows = [[b.shift.label, f"{res.measure(b.low.stakes[i]):.2%} ({b.shift.low_text})",
                 f"{res.measure(b.high.stakes[i]):.2%} ({b.shift.high_text})"] for b in res.bars]
        reported = f"; reported {t.reported:.2%}" if t.reported is not None else ""
        console.print(table(f"Fair stake: {t.title} (base {base:.2%}{reported})", ["assumption", "low", "high"],
                            rows))
        vrows = [[f"×{k:g}", f"{p.equity_after / 1e9:,.1f}B", f"{res.measure(p.stakes[i]):.2%}"]
                 for k, p in res.sweep]
        console.print(table(f"Fair stake against company value: {t.title}", ["revenue", "equity value", "fair stake"],
                            vrows))
    console.print(f"{res.paths:,} paths per point, seed {res.seed}, ran {res.where}.")
