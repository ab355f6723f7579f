"""``stakeflow contingent FILE --probability EVENT=P``: contingent terms valued over the outcomes
of their events, at one exit (exact waterfalls) or through a PWERM scenarios file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import typer

from ..analysis.contingent import contingent_pwerm, contingent_waterfall
from ..analysis.contingent import probability as probability_of
from ..engine import exit_value_for
from ..scenario.errors import InputError, NoExitValue
from . import _messages as CM
from ._app import app
from ._common import Entity, JsonOut, ScenarioFile, console, emit_json, load_scenario, money, table, user_errors


def probabilities(items: Iterable[str]) -> dict[str, Fraction]:
    """``--probability restructuring=60%`` → ``{"restructuring": 3/5}``."""
    out: dict[str, Fraction] = {}
    for text in items:
        name, sep, value = text.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(CM.PROBABILITY_FORMAT.format(text=text))
        out[name.strip()] = probability_of(name.strip(), value.strip())
    return out


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
        probs = probabilities(probability)
        if exit_ is None and pwerm is None:
            with contextlib.suppress(NoExitValue):
                exit_ = str(exit_value_for(sc))
        if (exit_ is None) == (pwerm is None):
            raise InputError(CM.EXIT_OR_PWERM)
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


__all__ = ["contingent", "probabilities"]
