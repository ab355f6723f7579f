"""``stakeflow contingent FILE --probability EVENT=P``: contingent terms valued over the outcomes
of their events, at one exit (exact waterfalls) or through a PWERM scenarios file."""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer

from ..analysis.contingent import contingent_pwerm, contingent_waterfall, parse_probabilities
from ..engine import exit_value_for
from ..scenario.errors import InputError, NoExitValue
from . import _messages as M
from ._app import app
from ._common import Entity, JsonOut, ScenarioFile, console, emit_json, load_scenario, money, table, user_errors


@app.command()
def contingent(
    file: ScenarioFile,
    probability: list[str] = typer.Option(..., "--probability", help="EVENT=P: probability the event happens."),
    exit_: str = typer.Option(None, "--exit", help="Proceeds of the entity, e.g. 300B (exact waterfalls)."),
    pwerm: Path = typer.Option(None, "--pwerm", help="PWERM scenarios file: value each outcome by PWERM."),
    entity: Entity = None,
    json_out: JsonOut = False,
) -> None:
    """Split FILE into one scenario per outcome of its contingent events (the event happens by its
    deadline, or not), weight them by their probabilities and show each holder's payout or value
    in each outcome and the probability-weighted expectation."""
    sc = load_scenario(file)
    with user_errors():
        probs = parse_probabilities(probability)
        if exit_ is None and pwerm is None:
            with contextlib.suppress(NoExitValue):
                exit_ = str(exit_value_for(sc))
        if (exit_ is None) == (pwerm is None):
            raise InputError(M.EXIT_OR_PWERM)
        if pwerm is None:
            res = contingent_waterfall(sc, exit_, probs, entity)
            if json_out:
                emit_json(res.to_json())
                return
            names = res.results[0].names
            cols = ["holder"] + [f"{o.name} ({float(o.weight):.0%})" for o in res.outcomes] + ["expected"]
            rows = [[names.get(k, k)] + [money(r.holders.get(k, 0)) for r in res.results] + [money(v)]
                    for k, v in res.expected.items()]
            first = res.results[0]
            console.print(table(f"{first.entity} at {money(first.exit_value, first.currency)}, by outcome", cols,
                                rows))
            return
        valued = contingent_pwerm(sc, probs, pwerm, entity)
    if json_out:
        emit_json(valued.to_json())
        return
    cols = ["holder"] + [f"{o.name} ({float(o.weight):.0%})" for o in valued.outcomes] + ["expected"]
    rows = [[k] + [money(r.holders.get(k, 0.0)) for r in valued.results] + [money(v)]
            for k, v in valued.holders.items()]
    console.print(table(f"{valued.entity}: present values by outcome ({valued.method})", cols, rows))


__all__ = ["contingent"]
