"""``stakeflow run``: the whole restructuring analysis, with an HTML report.

With no files it analyses the example shipped with stakeflow, OpenAI's conversion of its
capped-profit company into a public benefit corporation; with BEFORE and AFTER it analyses a
conversion of your own; with one file it runs an analysis plan.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.text import Text

from ..analysis.compare import parse_mapping
from ..analysis.restructuring import RUN_PATHS, RUN_SEED, Restructuring, RunSizes, analyze, analyze_plan, flagship_plan
from ..analysis.sensitivity import dask_client
from ..analysis.values import compare_paths
from ..scenario.errors import InputError
from ..valuation.parameters import seed as read_seed
from . import _messages as M
from ._app import app
from ._common import (
    PartyMap,
    ShowProgress,
    console,
    emit_json,
    load_scenario,
    short_money,
    show_progress,
    stages,
    table,
    user_errors,
)
from ._restructuring import pm, show_comparison

REPORT = "stakeflow-report.html"


@app.command()
def run(
    files: list[Path] = typer.Argument(None, help="BEFORE AFTER scenario files, or one analysis plan; "
                                                  "none: the OpenAI example."),
    map_: PartyMap = None,
    paths: str = typer.Option(None, "--paths", help=f"Simulated paths (default: the plan's, else {RUN_PATHS:,})."),
    seed: str = typer.Option(None, "--seed",
                             help=f"Seed of the random numbers (default: the plan's, else {RUN_SEED})."),
    output: Path = typer.Option(Path(REPORT), "-o", "--output", help="Where to write the HTML report."),
    sensitivity: bool = typer.Option(True, "--sensitivity/--no-sensitivity", help="Run the tornado and sweep."),
    dask: bool = typer.Option(False, "--dask", help="Run the sensitivity points on a Dask cluster on this machine."),
    scheduler: str = typer.Option(None, "--scheduler", help="Run the sensitivity points on this Dask scheduler."),
    progress: ShowProgress = None,
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document (the report is still written)."),
) -> None:
    """Analyse a restructuring: control before and after, each party's value before and after with
    standard errors, the fair stakes against the reported ones, payouts at IPO values from $100B to
    $2T, the tornado of the fair stakes, and an HTML report with every assumption and its source."""
    started = time.perf_counter()
    files = list(files or [])
    with user_errors():
        if len(files) > 2:
            raise InputError(M.RUN_FILES)
        n = compare_paths(paths) if paths is not None else None
        k = read_seed(seed) if seed is not None else None
        mapping = parse_mapping(map_)
        folder = output.parent if str(output.parent) else Path(".")
        if not folder.is_dir():
            raise InputError(M.REPORT_FOLDER.format(path=output, folder=folder))
        if len(files) == 2:
            before, after = load_scenario(files[0]), load_scenario(files[1])
        client = dask_client(dask, scheduler)
        try:
            with stages(show_progress(progress)) as update:
                if len(files) == 2:
                    sizes = RunSizes.of(n, k)
                    res = analyze(before, after, mapping=mapping, paths=sizes.paths,
                                  sensitivity_paths=sizes.sensitivity_paths, breakeven_paths=sizes.breakeven_paths,
                                  seed=sizes.seed,
                                  with_sensitivity=sensitivity, client=client, progress=update,
                                  before_file=str(files[0]), after_file=str(files[1]))
                else:
                    plan = files[0] if files else flagship_plan()
                    res = analyze_plan(plan, paths=n, seed=k, with_sensitivity=sensitivity, client=client,
                                       progress=update, mapping=mapping or None)
                if update is not None:
                    update("writing the report", 0, 1)
                from ..io.report import first_paragraph, write_report

                write_report(res, output)
                if update is not None:
                    update("writing the report", 1, 1)
        finally:
            if client is not None:
                cluster = getattr(client, "cluster", None)
                client.close()
                if cluster is not None:
                    cluster.close()
    seconds = time.perf_counter() - started
    if json_out:
        doc = res.to_json()
        doc["report"] = str(output)
        doc["summary"] = first_paragraph(res)
        doc["seconds"]["total"] = round(seconds, 3)
        emit_json(doc)
        return
    show(res)
    console.print(Text(f"\nReport written to {output.resolve()}  ({seconds:.1f} s)"))


def show(r: Restructuring) -> None:
    c = r.comparison
    console.print(Text(r.name, style="bold"))
    console.print(Text(f"before: {r.before_file}\nafter:  {r.after_file}"))
    rows = []
    for label, key, sc in (("before", "before", r.before), ("after", "after", r.after)):
        s = r.control_summary()[key]
        who = sc.display_name(s["ultimate_controller"]) if s["ultimate_controller"] else "nobody"
        rows.append([label, sc.display_name(s["entity"]), s["controller"] or "none", s["basis"], who,
                     " -> ".join(s["chain"])])
    console.print(table("Control", ["", "entity", "controller", "basis", "ultimate controller", "chain"], rows,
                        right_from=9))
    show_comparison(c)
    frows = [[f.target.title, f.result.stake_text(), f"{f.target.reported:.0%}" if f.target.reported is not None
              else "-", pm(f.result.target, f.result.target_se)] for f in r.fair_stakes]
    cv = r.contracts_value()
    console.print(Text(f"The transfers add up to {short_money(cv['transfers_total'])}: the change in what the "
                       f"company distributes ({short_money(cv['equity_change'])}) plus the change in what the "
                       f"contracts are worth to their payees ({short_money(cv['change'])})."))
    console.print(table("Fair stakes (value after = value before)", ["for", "fair stake", "reported", "value before"],
                        frows))
    if r.breakeven:
        levers = list(dict.fromkeys(b.lever.key for s in r.breakeven for b in s.levers))
        labels = {b.lever.key: b.lever.label for s in r.breakeven for b in s.levers}
        cols = ["for the reported stake to be fair"] + [f"{s.target.title} ({s.target.reported:.0%})"
                                                        for s in r.breakeven]
        brows = [[labels[k]] + [next((b.text() for b in s.levers if b.lever.key == k), "-") for s in r.breakeven]
                 for k in levers]
        console.print(table(f"Break-even: what would make each reported stake fair ({r.breakeven_paths:,} paths; "
                            "± one standard error)", cols, brows))
    if r.branches is not None:
        br = r.branches
        wcols = [f"weighted {w:.0%}" for w in br.weights]
        nrows = [[br.names.get(p, p), pm(b.before.value, b.before.standard_error),
                  pm(b.fails.value, b.fails.standard_error), pm(b.converts.value, b.converts.standard_error)]
                 + [short_money(b.weighted[w].value) for w in br.weights]
                 for p, b in br.parties.items() if b.before.value or b.converts.value]
        console.print(table(f"If the conversion had failed ({br.paths:,} paths; weighted: the chance it converts)",
                            ["party", "before, as it stood", "fails", "converts", *wcols], nrows))
    p = r.payouts
    cols = ["party", ""] + [short_money(float(v)) for v in p.exit_values]
    prow = []
    for party in dict.fromkeys([*p.after, *p.before]):
        for label, tab in (("before", p.before), ("after", p.after)):
            if party in tab:
                prow.append([c.names.get(party, party), label] + [short_money(float(x)) for x in tab[party]])
    console.print(table("Payouts at IPO values (exact; proceeds of the entity)", cols, prow, right_from=2))
    if r.sensitivity is not None:
        s = r.sensitivity
        for i, t in enumerate(s.targets):
            base = s.measure(s.base.stakes[i])
            bars = sorted(s.bars, key=lambda b: -abs(s.measure(b.high.stakes[i]) - s.measure(b.low.stakes[i])))
            trow = [[b.shift.label, f"{s.measure(b.low.stakes[i]):.2%} ({b.shift.low_text})",
                     f"{s.measure(b.high.stakes[i]):.2%} ({b.shift.high_text})"] for b in bars]
            console.print(table(f"Tornado: {t.title} (base {base:.2%}; {s.paths:,} paths)",
                                ["assumption", "low", "high"], trow))
