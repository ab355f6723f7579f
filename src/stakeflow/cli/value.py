"""``stakeflow value FILE --method opm|montecarlo|pwerm``: what every holder and class is worth today."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from ..io.tables import export, value_inputs, value_tables
from ..valuation.method import is_sample_file
from ..valuation.method import value as value_with
from ..valuation.parameters import DEFAULT_PATHS, MAX_PATHS, paths_within
from ..valuation.progress import counted, in_stage
from ..valuation.result import ValuationResult
from ._app import app
from ._common import (
    Antithetic,
    ChunkSize,
    CsvOut,
    DistributionDate,
    EquityValue,
    JsonDocument,
    MaxPaths,
    Rate,
    ScenarioFile,
    ShowProgress,
    Term,
    ValuedEntity,
    Volatility,
    XlsxOut,
    console,
    emit_json,
    load_scenario,
    money,
    pct,
    show_progress,
    stages,
    table,
    user_errors,
)


@app.command()
def value(
    file: ScenarioFile,
    method: str = typer.Option("opm", "--method", help="opm, montecarlo or pwerm."),
    equity_value: EquityValue = None,
    volatility: Volatility = None,
    term: Term = None,
    rate: Rate = None,
    backsolve_class: str = typer.Option(None, "--backsolve", help="Solve the equity value from this class's price."),
    price: str = typer.Option(None, "--price", help="Price per share of the --backsolve class."),
    dlom: str = typer.Option(None, "--dlom", help="Discount for lack of marketability: finnerty or put."),
    dlom_volatility: str = typer.Option(None, "--dlom-volatility",
                                        help="Volatility for the DLOM (default --volatility)."),
    dlom_term: str = typer.Option(None, "--dlom-term", help="Holding period for the DLOM (default --term)."),
    paths: str = typer.Option(None, "--paths", help=f"Monte Carlo paths (default {DEFAULT_PATHS:,})."),
    max_paths: MaxPaths = None,
    seed: str = typer.Option(None, "--seed", help="Monte Carlo seed (default 0)."),
    chunk_size: ChunkSize = None,
    workers: str = typer.Option(None, "--workers", help="Monte Carlo on a local Dask cluster of W processes."),
    scheduler: str = typer.Option(None, "--scheduler", help="Monte Carlo on the Dask scheduler at ADDRESS."),
    antithetic: Antithetic = False,
    distribution: Path = typer.Option(None, "--distribution", help="Terminal values: .csv/.npy sample or .yaml law."),
    scenarios: Path = typer.Option(None, "--scenarios", help="PWERM scenarios file (YAML)."),
    entity: ValuedEntity = None,
    date: DistributionDate = None,
    progress: ShowProgress = None,
    json_out: JsonDocument = False,
    xlsx: XlsxOut = None,
    csv: CsvOut = None,
) -> None:
    """Value every holder and every class of an entity: option pricing method (with backsolve),
    Monte Carlo, or PWERM / hybrid scenarios; optionally with a discount for lack of marketability."""
    sc = load_scenario(file, date)
    with user_errors():
        sample = method == "montecarlo" and is_sample_file(distribution)
        n: str | int | None = paths
        total = 1
        if method == "montecarlo" and not sample:
            n = total = paths_within(DEFAULT_PATHS if paths is None else paths,
                                     MAX_PATHS if max_paths is None else max_paths)
        with stages(show_progress(progress) and method == "montecarlo" and not sample) as update:
            res = value_with(
                sc, method, equity_value=equity_value, volatility=volatility, term=term, rate=rate,
                backsolve_class=backsolve_class, price=price, dlom=dlom, dlom_volatility=dlom_volatility,
                dlom_term=dlom_term, paths=n, seed=seed, chunk_size=chunk_size, workers=workers,
                scheduler=scheduler, antithetic=antithetic, distribution=distribution, scenarios=scenarios,
                entity=entity, progress=counted(in_stage(update, "simulating"), total))
        export(xlsx, csv, value_tables(res), value_inputs(sc, file, res), sc.currency)
    if json_out:
        emit_json(res.to_json())
    else:
        show_result(res)


TITLES = {"opm": "option pricing method", "montecarlo": "Monte Carlo", "pwerm": "PWERM", "hybrid": "hybrid method"}


def show_result(res: ValuationResult) -> None:
    """Rich tables: one per holder, one per class, and the scenarios of a PWERM."""
    cur = res.currency
    inputs = ", ".join(f"{k.replace('_', ' ')} {_fmt(k, v)}" for k, v in res.inputs.items()
                       if not isinstance(v, dict | list) and k not in _UNSHOWN)
    console.print(Text.assemble((res.entity, "bold"), f": {TITLES[res.method]}, equity value "
                                f"{money(res.equity_value, cur)}" + (f" ({inputs})" if inputs else "")))
    if res.backsolve is not None:
        console.print(f"backsolved: {res.backsolve['class']} is worth {res.backsolve['price']:,.4f} a share "
                      f"at an equity value of {money(res.equity_value, cur)}")
    if res.dlom is not None:
        d = res.dlom
        console.print(f"discount for lack of marketability: {d.name}, volatility {d.volatility:.2%}, "
                      f"{d.term:g} years: {d.discount:.2%}")
    after_h, after_c = res.after_dlom()
    se = res.standard_errors
    cols = ["holder", f"value ({cur})", "% equity"]
    cols += ["std. error"] if se is not None else []
    cols += ["after DLOM"] if res.dlom is not None else []
    rows = []
    for k, v in res.holders.items():
        row = [res.names.get(k, k), money(v, "", 0), pct(v / res.equity_value) if res.equity_value else "-"]
        row += [money(se[k], "", 0)] if se is not None else []
        row += [money(after_h[k], "", 0)] if res.dlom is not None else []
        rows.append(row)
    console.print(_folding(table(f"{res.entity}: value by holder", cols, rows), rows))
    if res.classes:
        cse = res.class_standard_errors
        # Share counts make way for the standard error and the DLOM column in an 80-column terminal.
        with_shares = cse is None and res.dlom is None
        cols = ["class", *(["shares"] if with_shares else []), f"value ({cur})", "per share", "% equity"]
        cols += ["s.e./share"] if cse is not None else []
        cols += ["after DLOM"] if res.dlom is not None else []
        rows = []
        for k, per in res.classes.items():
            total = res.class_values[k]
            row = [k, *([money(res.class_shares[k], "", 0)] if with_shares else []), money(total, "", 0),
                   f"{per:,.4f}", pct(total / res.equity_value) if res.equity_value else "-"]
            row += [f"{cse[k]:,.4f}"] if cse is not None else []
            row += [f"{after_c[k]:,.4f}"] if res.dlom is not None else []
            rows.append(row)
        console.print(_folding(table(f"{res.entity}: value by class", cols, rows), rows))
    if res.scenarios:
        cols = ["", *(s.name for s in res.scenarios)]
        rows = [["probability", *(pct(s.probability) for s in res.scenarios)],
                ["method", *(s.method for s in res.scenarios)],
                [f"equity PV ({cur})", *(money(s.equity_value, "", 0) for s in res.scenarios)]]
        rows += [[res.names.get(h, h), *(money(s.holders[h], "", 0) for s in res.scenarios)] for h in res.holders]
        console.print(_folding(table(f"{res.entity}: scenarios (present values before weighting)", cols, rows), rows))


def _folding(t: Table, rows: list[list[str]]) -> Table:
    # Digits are never cut or wrapped: numeric columns keep their width, names fold instead.
    for j, col in enumerate(t.columns):
        if j == 0:
            col.overflow = "fold"
            col.min_width = min(max([len(r[0]) for r in rows] + [4]), 14)
        else:
            col.no_wrap = True
            col.min_width = max([len(r[j]) for r in rows] + [4])
    return t


_UNSHOWN = {"equity_value", "distribution", "mean"}


def _fmt(key: str, v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if key in ("volatility", "rate"):
        return f"{v:.4g}".rstrip() if not isinstance(v, float) else f"{100 * v:.4g}%"
    if key == "term":
        return f"{v:g} years"
    if isinstance(v, float):
        return f"{v:,.10g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


__all__ = ["show_result", "value"]
