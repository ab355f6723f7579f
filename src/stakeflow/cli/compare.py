"""``stakeflow compare BEFORE AFTER``: who gains and who loses when one structure replaces another."""

from __future__ import annotations

import typer

from ..analysis.compare import compare as run_compare
from ..analysis.compare import parse_mapping
from ..analysis.values import COMPARE_PATHS, COMPARE_SEED, compare_paths
from ..valuation.parameters import seed as read_seed
from ..valuation.progress import counted, in_stage
from ._app import app
from ._common import (
    AfterFile,
    BeforeFile,
    JsonOut,
    PartyMap,
    ShowProgress,
    emit_json,
    load_scenario,
    show_progress,
    stages,
    user_errors,
)
from ._restructuring import show_comparison


@app.command()
def compare(
    before: BeforeFile,
    after: AfterFile,
    map_: PartyMap = None,
    paths: str = typer.Option(None, "--paths", help=f"Simulated paths (default {COMPARE_PATHS:,})."),
    seed: str = typer.Option(None, "--seed", help=f"Seed of the random numbers (default {COMPARE_SEED})."),
    progress: ShowProgress = None,
    json_out: JsonOut = False,
) -> None:
    """Value every party under both structures with the same random numbers and show the value
    transfer: each party's value before and after, and the difference, with standard errors."""
    b = load_scenario(before)
    a = load_scenario(after)
    with user_errors():
        n = compare_paths(paths)
        k = read_seed(seed, COMPARE_SEED)
        mapping = parse_mapping(map_)
        with stages(show_progress(progress)) as update:
            res = run_compare(b, a, mapping, paths=n, seed=k, progress=counted(in_stage(update, "simulating"), n))
    if json_out:
        emit_json(res.to_json())
        return
    show_comparison(res)
