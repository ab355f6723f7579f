"""stakeflow: who owns what, who controls what, and who receives what.

The public API (SPEC §9)::

    import stakeflow as sf
    sc = sf.load("scenario.yaml")
    res = sf.waterfall(sc, exit_value="20M")   # exact: res.holders maps id -> Fraction
"""

from .analysis.control import ControlResult, analyze_control, control_figure
from .engine import WaterfallResult, waterfall
from .payoff import PayoffCurve, payoff_curve
from .scenario import Scenario, ScenarioError, StakeflowError, load, loads, parse_number
from .valuation import ValuationResult, backsolve, value_montecarlo, value_opm, value_pwerm

__version__ = "0.1.0"

__all__ = [
    "ControlResult",
    "PayoffCurve",
    "Scenario",
    "ScenarioError",
    "StakeflowError",
    "ValuationResult",
    "WaterfallResult",
    "__version__",
    "analyze_control",
    "backsolve",
    "control_figure",
    "load",
    "loads",
    "parse_number",
    "payoff_curve",
    "value_montecarlo",
    "value_opm",
    "value_pwerm",
    "waterfall",
]
