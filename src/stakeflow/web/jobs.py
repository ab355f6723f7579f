"""What the web app computes, one function per kind of answer, each run in a worker process
(:mod:`.worker`). Each reads the scenario's text with the reader the command line uses and
calls the same library functions, so an answer is the document the command prints with
``--json`` and an error the lines it prints (the text named ``scenario``).

Everything here takes and returns plain data (texts, numbers, JSON documents, bytes): it
crosses a process boundary.
"""

from __future__ import annotations

import json
import math
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..analysis.control import analyze_control, control_figure
from ..engine import exit_amount, exit_value_for, exit_value_of
from ..engine import waterfall as run_waterfall
from ..engine.explain import explain as run_explain
from ..engine.lookthrough import at_date
from ..engine.outline import display_names
from ..engine.outline import outline as scenario_outline
from ..engine.result import WaterfallResult
from ..payoff import payoff_curve
from ..scenario import Scenario, loads
from ..scenario._yaml import read_tree
from ..scenario.errors import NoExitValue
from ..scenario.validation import Validation
from ..valuation.method import value as value_with
from ..valuation.progress import Advance
from . import _messages as M
from .worker import JobError

SOURCE = "scenario"
"""What error lines call the text (SPEC §11), where the command line names the file."""


def scenario(text: str, date: Any = None) -> Scenario:
    """The scenario in ``text``, its proceeds distributed on ``date`` when given."""
    return at_date(loads(text, SOURCE), date)


def _exit(sc: Scenario, given: Any) -> Any:
    try:
        value = exit_value_for(sc, given)
    except NoExitValue:
        raise JobError([M.NO_EXIT]) from None
    amount = exit_amount(value)
    try:
        float(amount)
    except OverflowError:
        raise JobError([M.TOO_BIG_FOR_JSON.format(value=str(value))]) from None
    return value


def validate(text: str) -> dict[str, Any]:
    """``stakeflow validate --json``'s document for the text, which it names ``scenario``."""
    return Validation.of(loads(text, SOURCE), SOURCE).to_json()


def waterfall(text: str, exit: Any = None, entity: str | None = None, date: Any = None) -> dict[str, Any]:
    """SPEC §7's waterfall document."""
    sc = scenario(text, date)
    return run_waterfall(sc, _exit(sc, exit), entity, explain=False).to_json()


def explain(text: str, exit: Any = None, entity: str | None = None, date: Any = None) -> dict[str, Any]:
    """The waterfall document with the explain ledger (``stakeflow explain --json``)."""
    sc = scenario(text, date)
    return run_explain(sc, _exit(sc, exit), entity).to_json()


def breakpoints(text: str, entity: str | None = None, date: Any = None) -> dict[str, Any]:
    """SPEC §7's breakpoints document."""
    return payoff_curve(scenario(text, date), entity).to_json()


def control(text: str) -> dict[str, Any]:
    """SPEC §7's control document."""
    return analyze_control(scenario(text)).to_json()


def value(text: str, options: dict[str, Any], progress: Advance | None = None) -> dict[str, Any]:
    """SPEC §7's valuation document, through the library's one entry point :func:`stakeflow.value`."""
    opts = dict(options)
    sc = scenario(text, opts.pop("date", None))
    method = opts.pop("method", None) or "opm"
    backsolve_class = opts.pop("backsolve", None)
    return value_with(sc, method, backsolve_class=backsolve_class, progress=progress, **opts).to_json()


def outline(text: str) -> dict[str, Any]:
    """What a scenario's pages show around the numbers (:func:`stakeflow.outline`)."""
    return scenario_outline(scenario(text)).to_json()


def explorer(text: str, entity: str | None = None, date: Any = None) -> dict[str, Any]:
    """The waterfall explorer's data: the compiled payoff curve (breakpoints, each holder's
    payout at each and slope beyond the last, as floats), so that the page can evaluate the
    payouts at any exit itself while the slider moves, and the range the slider spans."""
    sc = scenario(text, date)
    curve = payoff_curve(sc, entity)
    doc = curve.to_json()
    points = doc["breakpoints"]
    given = exit_value_of(sc, curve.entity)
    default = None if given is None else float(exit_amount(given))
    top = max([*points, default or 0.0, 1.0])
    doc.update({"currency": sc.currency, "names": display_names(sc), "default_exit": default,
                "slider_max": _nice(top * 1.5 if default and default >= (points[-1] if points else 0) else top * 2)})
    return doc


def _nice(x: float) -> float:
    """The round number (1, 2 or 5 times a power of ten) at or above ``x``."""
    p = 10.0 ** math.floor(math.log10(x))
    return next(m * p for m in (1, 2, 5, 10) if m * p >= x)


def control_view(text: str) -> dict[str, Any]:
    """The control document with each finding's chain and weights, and the ownership and
    control diagram as a plotly figure (JSON)."""
    import plotly.io as pio

    sc = scenario(text)
    result = analyze_control(sc)
    doc = result.to_json()
    for eid, f in result.entities.items():
        doc["entities"][eid].update({"chain": list(f.chain),
                                     "weights": {k: float(v) for k, v in f.weights.items()}})
    doc["names"] = display_names(sc)
    doc["figure"] = json.loads(pio.to_json(control_figure(sc, result)))
    return doc


def compare(before: str, after: str, mapping: dict[str, str], paths: int, seed: int,
            progress: Advance | None = None) -> dict[str, Any]:
    """The value transfer from ``before`` to ``after`` (``stakeflow compare --json``), with names."""
    from ..analysis.compare import compare as run_compare

    res = run_compare(scenario(before), scenario(after), mapping, paths=paths, seed=seed, progress=progress)
    return {**res.to_json(), "names": dict(res.names), "currency": res.currency}


def report(before: str, after: str, mapping: dict[str, str], paths: int, seed: int) -> str:
    """The HTML report of ``stakeflow run BEFORE AFTER`` (one file, plotly inside), sized to be
    waited for (``RunSizes.while_waiting``: a sensitivity analysis on a tenth of the paths)."""
    from ..analysis.restructuring import RunSizes, analyze
    from ..io.report import render

    sizes = RunSizes.while_waiting(paths, seed)
    r = analyze(scenario(before), scenario(after), mapping=mapping, paths=sizes.paths,
                sensitivity_paths=sizes.sensitivity_paths, breakeven_paths=sizes.breakeven_paths, seed=sizes.seed)
    return render(r)


def download_json(text: str) -> str:
    """The scenario as JSON: the same tree as its YAML, numbers written exactly as they were
    spelled (as strings where JSON would round them), comments dropped."""
    loads(text, SOURCE)  # only a valid scenario is offered for download
    sc_tree, _, _ = read_tree(text)

    def plain(x: Any) -> Any:
        if isinstance(x, Decimal):
            return int(x) if x == x.to_integral_value() and abs(x) < 2**53 else str(x)
        if isinstance(x, Fraction):
            return str(x)
        return str(x)

    return json.dumps(sc_tree, indent=2, ensure_ascii=False, default=plain) + "\n"


def download_xlsx(text: str, exit: Any = None, entity: str | None = None) -> bytes:
    """An Excel workbook: the waterfall at the exit (the file's, when not given) and the
    breakpoints and tranches of the payoff curve, with the inputs (``--xlsx``)."""
    from ..io.excel import write_xlsx
    from ..io.tables import breakpoints_tables, inputs, waterfall_tables

    sc = scenario(text)
    sheets: dict[str, Any] = {}
    formats: dict[Any, Any] = {}
    result: WaterfallResult | None = None
    if exit is not None or (sc.exit is not None and sc.exit.value is not None):
        result = run_waterfall(sc, _exit(sc, exit), entity, explain=False)
        s, f = waterfall_tables([result])
        sheets.update(s)
        formats.update(f)
    curve = payoff_curve(sc, entity)
    s, f = breakpoints_tables(curve)
    sheets.update(s)
    formats.update(f)
    given = inputs(sc, None, curve.entity, {"exit": None if result is None else result.exit_value})
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(Path(tmp) / "scenario.xlsx", sheets, given, formats, sc.currency)
        return path.read_bytes()

