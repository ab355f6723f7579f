"""Messages of projections, compare, solve, sensitivity and run, written once; tests match them.

A placeholder that names a parameter (``{mapping}``, ``{scale}``, ...) is filled with a
:class:`~stakeflow.valuation.errors.Param` declared below, by the keyword of the library function
that takes it: the library says ``scale 'x,': ...``, the command line and the web API the
command line's flag (``--scale 'x,': ...``; :mod:`stakeflow.io.flags`, SPEC §8, §11).
"""

from ..valuation.errors import Param

MAPPING = Param("mapping")
"""Old party ids to new (``compare``, ``solve``, ``sensitivity``, ``analyze``); ``--map``."""
FIELD = Param("field", "PATH")
SCALE = Param("scale", "caps|PATH,PATH,...")
PARTY = Param("party")
MOVE_PARAM = Param("move")
BEFORE = Param("before", "FILE")
"""The structure whose value is the target of a solve; ``--equals-value-in FILE``."""
BEFORE_STRUCTURE = Param("before", "BEFORE")
"""The same, where the message names the structure as BEFORE."""
TARGET = Param("target", "AMOUNT")
"""The target value of ``solve_field`` and ``solve_scale``; ``--equals AMOUNT``."""
EQUALS = Param("equals", "AMOUNT")
"""The target value of a ``SolveRequest``."""
BASIS_PARAM = Param("basis")
SCALES_PARAM = Param("scales")
SHIFT = Param("shift")
DASK = Param("dask")

NO_PROJECTION = (
    "{name} has no 'projection' section: valuing parties over time needs one (revenue, margin, "
    "discount rate, horizon; see docs/restructuring.md)"
)
WHOLE_AT_LEAST = "must be a whole number of at least {least}, got {value}"
PATHS = "{name:bare} " + WHOLE_AT_LEAST
DATED_YEARS = ("payouts on {dates} dates given {years} projected years and a terminal value: "
               "compile them for this projection")
MAP_ITEM = "{mapping:bare} {item!r}: write old_id=new_id (e.g. {mapping:bare} openai_nonprofit=openai_foundation)"
NOT_A_PARTY = "{id!r} is not a party of {which} (its parties: {known})"
MAP_UNKNOWN = "{mapping:bare} {item!r}: {detail}"
PARTY_UNKNOWN = "party {party!r} receives nothing in {which} (its parties: {known})"
FIELD_IN = "{which}: {detail}"
FIELD_NOT_NUMBER = "{which}: {path}: is {kind}, not a number; name one number to solve for"
SOLVE_NO_ROOT = (
    "no {what} between {lo} and {hi} makes {party}'s value {target}{source}: it is {at_lo} at {lo} "
    "and {at_hi} at {hi}"
)
SOLVE_JUMP = (
    "{party}'s value jumps across {target} at {what} = {at} (from {lo} to {hi}): no value of the field "
    "gives it exactly"
)
MOVE = (
    "{move:bare} must be after (a field of AFTER, matching the party's value in BEFORE) or before (a field of "
    "BEFORE, matching its value in AFTER), got {value!r}"
)
MOVE_NEEDS_BEFORE = (
    "{move:bare} before needs {before}: the field moves in BEFORE and the party's value in AFTER "
    "is the target"
)
SCALE_EMPTY = "{scale:bare} {value!r}: write caps or field paths separated by commas (e.g. {scale:bare} caps)"
SCALE_NO_CAPS = "{scale:bare} caps: {which} has no tier caps to scale"
SCALE_FIELD = "{scale:bare}: {which}: {detail}"
SCALE_NOT_NUMBER = "{scale:bare}: {which}: {path}: is {kind}, not a number or a schedule of numbers"
SCALE_TWICE = "{scale:bare}: {path} names the same field as {other}; give each field once"
FIELD_OR_SCALE = "give exactly one of {field} or {scale}"
TARGET_ONE = "give exactly one of {before} or {target}"
EQUALS_AMOUNT = "{equals:bare} {value!r}: {detail}"
HORIZON_SHIFT = "horizon shifted to {value} years, outside 1 to {most}"
SHIFT_UNKNOWN = "unknown assumption {name!r} (known: {known})"
SHIFT_FORM = "{item!r}: write NAME or PATH=LOW:HIGH (e.g. projection.discount_rate=10%:20%)"
SHIFT_SPEC = "{shift:bare} {detail}"
DASK_BOTH = "give {dask} or {scheduler}, not both"
PLAN_FILE = "{path}: {detail}"
PLAN_NOT_TEXT = "not a text file (UTF-8 expected)"
PLAN_POSITIVE = "must be positive, got {value}"
PLAN_NO_SCALES = "give at least one revenue scale factor (e.g. [0.5, 1, 2]), or leave revenue_scales out"
PLAN_NO_EXITS = "give at least one exit value (e.g. [100B, 1T]), or leave exit_values out"
NO_FAIR_STAKE_FIELD = (
    "cannot find a holding of {party!r} in {entity!r} to solve for; name the field in the analysis plan"
)
BASIS = (
    "{basis:bare} must be total (everything the party receives) or structure (without contracts), got {value!r}"
)
SCALES = "{scales:bare} {value!r}: write positive revenue scale factors separated by commas, e.g. 0.5,1,2"
SCALES_GIVEN = "{scales:bare} must be one or more positive revenue scale factors, got {value}"
FIELD_NEEDS_PARTY = "{field:bare} needs {party:bare} (whose value the field should make whole)"
NOT_A_STAKE = "{path}: is not a stock holding's share count, so it has no stake to set"
NO_CONVERSION_WEIGHT = "a weight is the probability that the conversion fails, from 0% to 100%; got {value:.4g}"
NO_CONVERSION_CONTRACTS = "no_conversion: {detail}"
