"""Messages about sweeps over a grid of assumptions, written once; tests match them.

Parameters are named through placeholders filled with a :class:`~stakeflow.valuation.errors.Param`
(``{grid}`` below, ``{m}``, ``{what}``, ``{option}`` from :mod:`stakeflow.valuation._messages`): the
library says ``grid 'volatility': ...``, the command line ``--grid 'volatility': ...``
(:mod:`stakeflow.io.flags`).
"""

from ..valuation.errors import Param

GRID = Param("grid", "NAME=SPEC")
"""The axes of ``sweep``; ``--grid NAME=SPEC``, repeated."""

NO_GRID = "a sweep needs at least one {grid} (e.g. {grid:bare} volatility=30%:70%:5)"
GRID_FORM = "{grid:bare} {item!r}: write NAME=LOW:HIGH:COUNT or NAME=V1,V2,... (e.g. volatility=30%:70%:5)"
GRID_RANGE = "{grid:bare} {name}={spec}: a range is LOW:HIGH:COUNT (both ends included), e.g. 30%:70%:5"
GRID_NUMBER = "{grid:bare} {name}={spec}: {value!r} is not a number (write e.g. 0.4, 40%, 25M; 1_000 in a list)"
GRID_COUNT = "{grid:bare} {name}={spec}: COUNT must be a whole number of at least 2, got {value!r}"
GRID_EMPTY_VALUE = "{grid:bare} {name}={spec}: an empty value in the list"
GRID_TWICE = "{grid:bare} {name} is given twice: give each axis once"
GRID_NOTHING = (
    "{grid:bare} {name}: names neither a value option ({options}) nor a field of the scenario ({detail})"
)
GRID_NOT_A_NUMBER = "{grid:bare} {name}: an axis moves one number, and this field is not one ({detail})"
GRID_TOO_LARGE = (
    "{grid:bare}: {count:,} points is more than {most:,} in one sweep; use fewer values or split the grid"
)
METHOD = "{m:bare} {method!r}: a sweep values by opm or montecarlo"
NEEDS = "{m} {method} needs {what} (or a {grid:bare} {name}=... axis)"
NOT_WITH_OPM = "{option:bare} does not apply to {m} opm (it is for montecarlo)"
FIGURE_AXES = (
    "a chart of a sweep draws one axis (lines) or two (a heatmap), and this sweep has {count}: "
    "use its table (to_frame()) instead"
)
