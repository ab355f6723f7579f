"""``stakeflow solve AFTER --field PATH --party ID --equals-value-in BEFORE``: a fair term."""

from __future__ import annotations

from pathlib import Path

import typer

from ..analysis import _restructuring_messages as M
from ..analysis.compare import check_mapping, parse_mapping
from ..analysis.solve import solve_field
from ..engine import exit_amount
from ..scenario.errors import InputError
from ._app import app
from ._common import console, emit_json, load_scenario, user_errors
from ._restructuring import MAP_HELP, money, number, pm, stake_text, table, whole


@app.command()
def solve(
    after: Path = typer.Argument(..., help="The structure whose field is solved for (with a projection)."),
    field: str = typer.Option(..., "--field",
                              help="Numeric field, e.g. 'entities[pbc].holdings[microsoft].shares'."),
    party: str = typer.Option(..., "--party", help="The party to make whole."),
    equals_value_in: Path = typer.Option(None, "--equals-value-in",
                                         help="Match the party's value in this structure (BEFORE)."),
    equals: str = typer.Option(None, "--equals", help="Match this value instead, e.g. 130B."),
    basis: str = typer.Option("total", "--basis",
                              help="total (everything the party receives) or structure (without contracts)."),
    map_: list[str] = typer.Option(None, "--map", help=MAP_HELP),
    paths: str = typer.Option(None, "--paths", help="Simulated paths (default 20,000)."),
    seed: str = typer.Option(None, "--seed", help="Seed of the random numbers (default 0)."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Find the value of FIELD at which PARTY is worth as much in AFTER as in BEFORE (or as --equals),
    valuing with the same random numbers at every step (Brent's method)."""
    a = load_scenario(after)
    b = load_scenario(equals_value_in) if equals_value_in is not None else None
    with user_errors():
        if (b is None) == (equals is None):
            raise InputError(M.TARGET_ONE)
        if basis not in ("total", "structure"):
            raise InputError(M.BASIS.format(value=basis))
        n = whole(paths, "--paths", 20_000, least=2)
        k = whole(seed, "--seed", 0)
        mapping = parse_mapping(map_)
        if b is not None:
            check_mapping(mapping, b, a)
        target = float(exit_amount(equals)) if equals is not None else None
        res = solve_field(a, field, party, before=b, target=target, mapping=mapping,
                          basis=basis,  # type: ignore[arg-type]
                          paths=n, seed=k)
    if json_out:
        emit_json(res.to_json())
        return
    rows = [
        ["field", res.field],
        ["party", f"{party} (basis: {res.basis})"],
        ["value before (target)", pm(res.target, res.target_se)],
        ["field now", number(res.start) + (f" (stake {res.start_stake:.2%})" if res.start_stake is not None else "")],
        ["fair value of the field", f"{number(res.value)} ± {res.standard_error:,.3g}"],
        ["fair stake", stake_text(res) if res.stake is not None else "-"],
        ["party's value there", money(res.achieved)],
        ["paired standard error", money(res.difference_se)],
        ["evaluations", f"{res.evaluations} ({res.paths:,} paths, seed {res.seed})"],
    ]
    console.print(table("Fair value of a field", ["", ""], rows, right_from=2))
    if res.bound == "lower":
        console.print("The party is better off after even with the field at zero.")
    elif res.bound == "upper":
        console.print("No value of the field within the search makes the party whole.")
