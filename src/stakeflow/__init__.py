"""stakeflow: who owns what, who controls what, and who receives what.

The public API (SPEC §9)::

    import stakeflow as sf
    sc = sf.load("scenario.yaml")
    res = sf.waterfall(sc, exit_value="20M")   # exact: res.holders maps id -> Fraction
"""

from .analysis.compare import Comparison, compare
from .analysis.contingent import contingent_waterfall, scenarios_for
from .analysis.control import ControlResult, analyze_control, control_figure
from .analysis.restructuring import Restructuring
from .analysis.restructuring import analyze as analyze_restructuring
from .analysis.rounds import RoundResult, price_round
from .analysis.sensitivity import Sensitivity, sensitivity
from .analysis.solve import SolveResult, solve_field
from .analysis.values import Valuation, value_parties
from .engine import WaterfallResult, waterfall
from .io import OcfExport, OcfImport, dump_scenario, export_ocf, import_ocf, write_csv, write_xlsx
from .payoff import PayoffCurve, payoff_curve
from .scenario import Scenario, ScenarioError, StakeflowError, load, loads, parse_number
from .valuation import ValuationResult, backsolve, value_montecarlo, value_opm, value_pwerm

__version__ = "0.1.0"

__all__ = [
    "Comparison",
    "ControlResult",
    "OcfExport",
    "OcfImport",
    "PayoffCurve",
    "Restructuring",
    "RoundResult",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "SolveResult",
    "StakeflowError",
    "Valuation",
    "ValuationResult",
    "WaterfallResult",
    "__version__",
    "analyze_control",
    "analyze_restructuring",
    "backsolve",
    "compare",
    "contingent_waterfall",
    "control_figure",
    "dump_scenario",
    "export_ocf",
    "import_ocf",
    "load",
    "loads",
    "parse_number",
    "payoff_curve",
    "price_round",
    "scenarios_for",
    "sensitivity",
    "solve_field",
    "value_montecarlo",
    "value_opm",
    "value_parties",
    "value_pwerm",
    "waterfall",
    "write_csv",
    "write_xlsx",
]
