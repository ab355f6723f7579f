"""``stakeflow solve AFTER --field PATH | --scale caps|PATHS --party ID --equals-value-in BEFORE``: a fair term."""

from __future__ import annotations

from pathlib import Path

import typer

from ..analysis.compare import parse_mapping
from ..analysis.solve import SolveRequest
from ..analysis.solve import solve as solve_request
from ..analysis.values import COMPARE_PATHS, COMPARE_SEED, compare_paths
from ..valuation.parameters import seed as read_seed
from ._app import app
from ._common import JsonOut, PartyMap, console, emit_json, load_scenario, short_money, table, user_errors
from ._restructuring import number, pm


@app.command()
def solve(
    after: Path = typer.Argument(..., help="The structure after the change (with a projection); its field "
                                            "moves unless --move before."),
    field: str = typer.Option(None, "--field",
                              help="Numeric field, e.g. 'entities[pbc].holdings[microsoft].shares'."),
    scale: str = typer.Option(None, "--scale",
                              help="Multiply several fields by one factor k and solve for k: 'caps' (every tier "
                                   "cap) or field paths separated by commas."),
    move: str = typer.Option("after", "--move",
                             help="after (move a field of AFTER to match the party's value in BEFORE) or before "
                                  "(move a field of BEFORE to match its value in AFTER)."),
    party: str = typer.Option(..., "--party", help="The party to make whole."),
    equals_value_in: Path = typer.Option(None, "--equals-value-in",
                                         help="Match the party's value in this structure (BEFORE)."),
    equals: str = typer.Option(None, "--equals", help="Match this value instead, e.g. 130B."),
    basis: str = typer.Option("total", "--basis",
                              help="total (everything the party receives) or structure (without contracts)."),
    map_: PartyMap = None,
    paths: str = typer.Option(None, "--paths", help=f"Simulated paths (default {COMPARE_PATHS:,})."),
    seed: str = typer.Option(None, "--seed", help=f"Seed of the random numbers (default {COMPARE_SEED})."),
    json_out: JsonOut = False,
) -> None:
    """Find the value of FIELD (or the factor k on the --scale fields) at which PARTY is worth as much
    in AFTER as in BEFORE (or as --equals), valuing with the same random numbers at every step
    (Brent's method on a bracket searched in both directions). With --move before, the field is
    one of BEFORE and the target is PARTY's value in AFTER. When no value in the field's range
    reaches the target, it says so (status 2)."""
    a = load_scenario(after)
    b = load_scenario(equals_value_in) if equals_value_in is not None else None
    with user_errors():
        request = SolveRequest(party, field=field, scale=scale, before=b, equals=equals,
                               move=move, basis=basis)  # type: ignore[arg-type]
        n = compare_paths(paths)
        k = read_seed(seed, COMPARE_SEED)
        res = solve_request(a, request, mapping=parse_mapping(map_), no_root="error", paths=n, seed=k)
    if json_out:
        emit_json(res.to_json())
        return
    moved, other = ("BEFORE", "AFTER") if res.move == "before" else ("AFTER", "BEFORE")
    what = "fair factor k" if res.scale is not None else "fair value of the field"
    rows = [
        ["field" if res.scale is None else "scaled fields", res.field if res.scale is None else "\n".join(res.scale)],
        ["party", f"{party} (basis: {res.basis})"],
        [f"value in {other} (target)" if b is not None else "target", pm(res.target, res.target_se)],
        ["factor now" if res.scale is not None else "field now",
         number(res.start) + (f" (stake {res.start_stake:.2%})" if res.start_stake is not None else "")],
        [what, f"{number(res.value)} ± {res.standard_error:,.3g}"],
        ["fair stake", res.stake_text() if res.stake is not None else "-"],
        ["party's value there", short_money(res.achieved)],
        ["paired standard error", short_money(res.difference_se)],
        ["evaluations", f"{res.evaluations} ({res.paths:,} paths, seed {res.seed})"],
    ]
    if b is not None:
        rows.insert(1, ["moved in", moved])
    console.print(table("Fair value of a field" if res.scale is None else "Fair factor on several fields",
                        ["", ""], rows, right_from=2))
