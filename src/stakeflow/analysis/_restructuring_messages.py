"""Messages of projections, compare, solve, sensitivity and run, written once."""

NO_PROJECTION = (
    "{name} has no 'projection' section: valuing parties over time needs one (revenue, margin, "
    "discount rate, horizon; see docs/restructuring.md)"
)
PATHS = "{name:bare} must be a whole number of at least {least}, got {value}"
DATED_YEARS = ("payouts on {dates} dates given {years} projected years and a terminal value: "
               "compile them for this projection")
MAP_ITEM = "--map {item!r}: write old_id=new_id (e.g. --map openai_nonprofit=openai_foundation)"
MAP_UNKNOWN = "--map {item!r}: {id!r} is not a party of {which} (its parties: {known})"
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
    "--move must be after (a field of AFTER, matching the party's value in BEFORE) or before (a field of "
    "BEFORE, matching its value in AFTER), got {value!r}"
)
MOVE_NEEDS_BEFORE = (
    "--move before needs --equals-value-in BEFORE: the field moves in BEFORE and the party's value in AFTER "
    "is the target"
)
SCALE_EMPTY = "--scale {value!r}: write caps or field paths separated by commas (e.g. --scale caps)"
SCALE_NO_CAPS = "--scale caps: {which} has no tier caps to scale"
SCALE_FIELD = "--scale: {which}: {detail}"
SCALE_NOT_NUMBER = "--scale: {which}: {path}: is {kind}, not a number or a schedule of numbers"
SCALE_TWICE = "--scale: {path} names the same field as {other}; give each field once"
FIELD_OR_SCALE = "give exactly one of --field PATH or --scale caps|PATH,PATH,..."
TARGET_ONE = "give exactly one of --equals-value-in FILE or --equals AMOUNT"
HORIZON_SHIFT = "horizon shifted to {value} years, outside 1 to {most}"
SHIFT_UNKNOWN = "unknown assumption {name!r} (known: {known})"
SHIFT_SPEC = "--shift {item!r}: write NAME or PATH=LOW:HIGH (e.g. projection.discount_rate=10%:20%)"
DASK_BOTH = "give --dask or --scheduler ADDRESS, not both"
REPORT_FOLDER = "cannot write the report to {path}: folder {folder} does not exist"
RUN_FILES = "give both files, BEFORE and AFTER, or neither (the OpenAI example)"
PLAN_FILE = "{path}: {detail}"
PLAN_NOT_TEXT = "not a text file (UTF-8 expected)"
NO_FAIR_STAKE_FIELD = (
    "cannot find a holding of {party!r} in {entity!r} to solve for; name the field in the analysis plan"
)
BASIS = "--basis must be total (everything the party receives) or structure (without contracts), got {value!r}"
SCALES = "--scales {value!r}: write positive revenue scale factors separated by commas, e.g. 0.5,1,2"
FIELD_NEEDS_PARTY = "--field needs --party (whose value the field should make whole)"
NOT_A_STAKE = "{path}: is not a stock holding's share count, so it has no stake to set"
NO_CONVERSION_CONTRACTS = "no_conversion: {detail}"
