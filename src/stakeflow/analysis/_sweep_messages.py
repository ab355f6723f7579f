"""Messages about sweeps over a grid of assumptions, written once; tests match them.

Parameters (``{m}``, ``{what}``, ``{option}``) are named as :mod:`stakeflow.valuation.errors` says.
"""

NO_GRID = "a sweep needs at least one --grid NAME=SPEC (e.g. --grid volatility=30%:70%:5)"
GRID_FORM = "--grid {item!r}: write NAME=LOW:HIGH:COUNT or NAME=V1,V2,... (e.g. volatility=30%:70%:5)"
GRID_RANGE = "--grid {name}={spec}: a range is LOW:HIGH:COUNT (both ends included), e.g. 30%:70%:5"
GRID_NUMBER = "--grid {name}={spec}: {value!r} is not a number (write e.g. 0.4, 40%, 25M; 1_000 in a list)"
GRID_COUNT = "--grid {name}={spec}: COUNT must be a whole number of at least 2, got {value!r}"
GRID_EMPTY_VALUE = "--grid {name}={spec}: an empty value in the list"
GRID_TWICE = "--grid {name} is given twice: give each axis once"
GRID_NOTHING = (
    "--grid {name}: names neither a value option ({options}) nor a field of the scenario ({detail})"
)
GRID_NOT_A_NUMBER = "--grid {name}: an axis moves one number, and this field is not one ({detail})"
GRID_TOO_LARGE = "--grid: {count:,} points is more than {most:,} in one sweep; use fewer values or split the grid"
METHOD = "--method {method!r}: a sweep values by opm or montecarlo"
NEEDS = "{m} {method} needs {what} (or a --grid {name}=... axis)"
NOT_WITH_OPM = "{option:bare} does not apply to {m} opm (it is for montecarlo)"
PLOT_AXES = (
    "--plot draws one axis (lines) or two (a heatmap), and this sweep has {count}: write the table with -o instead"
)
