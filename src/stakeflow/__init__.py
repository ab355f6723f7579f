"""stakeflow: who owns what, who controls what, and who receives what.

The public API (SPEC §9)::

    import stakeflow as sf
    sc = sf.load("scenario.yaml")
    res = sf.waterfall(sc, exit_value="20M")   # exact: res.holders maps id -> Fraction
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .engine import WaterfallResult, waterfall
from .scenario import Scenario, ScenarioError, StakeflowError, load, loads, parse_number

if TYPE_CHECKING:
    from .analysis.compare import Comparison, compare
    from .analysis.contingent import ContingentValuation, contingent_pwerm, contingent_waterfall, scenarios_for
    from .analysis.control import ControlResult, analyze_control, control_figure
    from .analysis.restructuring import Restructuring
    from .analysis.restructuring import analyze as analyze_restructuring
    from .analysis.rounds import RoundResult, price_round
    from .analysis.sensitivity import Sensitivity, sensitivity
    from .analysis.solve import SolveRequest, SolveResult, solve, solve_field, solve_scale
    from .analysis.sweep import Sweep, sweep
    from .analysis.sweep_figure import sweep_figure
    from .analysis.values import Valuation, value_parties
    from .engine import exit_value_for, exit_value_of
    from .engine.explain import Explanation, explain
    from .engine.outline import Outline, outline
    from .io import OcfExport, OcfImport, dump_scenario, export_ocf, import_ocf, write_csv, write_xlsx
    from .payoff import PayoffCurve, payoff_curve
    from .scenario.validation import Validation, validate
    from .valuation import ValuationResult, backsolve, value_montecarlo, value_opm, value_pwerm
    from .valuation.method import value

# The rest of the API loads on first use, so that `import stakeflow` and every command start fast.
_LAZY = {
    "Comparison": (".analysis.compare", "Comparison"),
    "ContingentValuation": (".analysis.contingent", "ContingentValuation"),
    "ControlResult": (".analysis.control", "ControlResult"),
    "Explanation": (".engine.explain", "Explanation"),
    "OcfExport": (".io", "OcfExport"),
    "OcfImport": (".io", "OcfImport"),
    "Outline": (".engine.outline", "Outline"),
    "PayoffCurve": (".payoff", "PayoffCurve"),
    "Restructuring": (".analysis.restructuring", "Restructuring"),
    "RoundResult": (".analysis.rounds", "RoundResult"),
    "Sensitivity": (".analysis.sensitivity", "Sensitivity"),
    "SolveRequest": (".analysis.solve", "SolveRequest"),
    "SolveResult": (".analysis.solve", "SolveResult"),
    "Sweep": (".analysis.sweep", "Sweep"),
    "Validation": (".scenario.validation", "Validation"),
    "Valuation": (".analysis.values", "Valuation"),
    "ValuationResult": (".valuation", "ValuationResult"),
    "analyze_control": (".analysis.control", "analyze_control"),
    "analyze_restructuring": (".analysis.restructuring", "analyze"),
    "backsolve": (".valuation", "backsolve"),
    "compare": (".analysis.compare", "compare"),
    "contingent_pwerm": (".analysis.contingent", "contingent_pwerm"),
    "contingent_waterfall": (".analysis.contingent", "contingent_waterfall"),
    "control_figure": (".analysis.control", "control_figure"),
    "dump_scenario": (".io", "dump_scenario"),
    "exit_value_for": (".engine", "exit_value_for"),
    "exit_value_of": (".engine", "exit_value_of"),
    "explain": (".engine.explain", "explain"),
    "export_ocf": (".io", "export_ocf"),
    "import_ocf": (".io", "import_ocf"),
    "outline": (".engine.outline", "outline"),
    "payoff_curve": (".payoff", "payoff_curve"),
    "price_round": (".analysis.rounds", "price_round"),
    "scenarios_for": (".analysis.contingent", "scenarios_for"),
    "sensitivity": (".analysis.sensitivity", "sensitivity"),
    "solve": (".analysis.solve", "solve"),
    "solve_field": (".analysis.solve", "solve_field"),
    "solve_scale": (".analysis.solve", "solve_scale"),
    "sweep": (".analysis.sweep", "sweep"),
    "sweep_figure": (".analysis.sweep_figure", "sweep_figure"),
    "validate": (".scenario.validation", "validate"),
    "value": (".valuation.method", "value"),
    "value_montecarlo": (".valuation", "value_montecarlo"),
    "value_opm": (".valuation", "value_opm"),
    "value_parties": (".analysis.values", "value_parties"),
    "value_pwerm": (".valuation", "value_pwerm"),
    "write_csv": (".io", "write_csv"),
    "write_xlsx": (".io", "write_xlsx"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(import_module(module, __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stakeflow' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)



__all__ = [
    "Comparison",
    "ContingentValuation",
    "ControlResult",
    "Explanation",
    "OcfExport",
    "OcfImport",
    "Outline",
    "PayoffCurve",
    "Restructuring",
    "RoundResult",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "SolveRequest",
    "SolveResult",
    "StakeflowError",
    "Sweep",
    "Validation",
    "Valuation",
    "ValuationResult",
    "WaterfallResult",
    "__version__",
    "analyze_control",
    "analyze_restructuring",
    "backsolve",
    "compare",
    "contingent_pwerm",
    "contingent_waterfall",
    "control_figure",
    "dump_scenario",
    "exit_value_for",
    "exit_value_of",
    "explain",
    "export_ocf",
    "import_ocf",
    "load",
    "loads",
    "outline",
    "parse_number",
    "payoff_curve",
    "price_round",
    "scenarios_for",
    "sensitivity",
    "solve",
    "solve_field",
    "solve_scale",
    "sweep",
    "sweep_figure",
    "validate",
    "value",
    "value_montecarlo",
    "value_opm",
    "value_parties",
    "value_pwerm",
    "waterfall",
    "write_csv",
    "write_xlsx",
]
