"""Messages of projections, compare, solve, sensitivity and run, written once."""

NO_PROJECTION = (
    "{name} has no 'projection' section: valuing parties over time needs one (revenue, margin, "
    "discount rate, horizon; see docs/restructuring.md)"
)
PATHS = "--paths must be a whole number of at least {least}, got {value}"
SEED = "--seed must be a non-negative whole number, got {value}"
MAP_ITEM = "--map {item!r}: write old_id=new_id (e.g. --map openai_nonprofit=openai_foundation)"
MAP_UNKNOWN = "--map {item!r}: {id!r} is not a party of {which} (its parties: {known})"
NOT_A_NUMBER_FIELD = "{path}: {detail}"
PARTY_UNKNOWN = "party {party!r} receives nothing in {which} (its parties: {known})"
SOLVE_NO_ROOT = (
    "no value of {field} makes {party}'s value equal its value in the other structure between {lo} and {hi} "
    "(its value there: {at_lo} to {at_hi}, target {target})"
)
SOLVE_NEGATIVE = "{field} is {value}: solve starts from a positive value (set it to a rough guess first)"
TARGET_ONE = "give exactly one of --equals-value-in FILE or --equals AMOUNT"
HORIZON_SHIFT = "horizon shifted to {value} years, outside 1 to {most}"
SHIFT_UNKNOWN = "unknown assumption {name!r} (known: {known})"
SHIFT_SPEC = "--shift {item!r}: write NAME or PATH=LOW:HIGH (e.g. projection.discount_rate=10%:20%)"
DASK_BOTH = "give --dask or --scheduler ADDRESS, not both"
DASK_CONNECT = "cannot reach the Dask scheduler at {address}: {detail}"
REPORT_FOLDER = "cannot write the report to {path}: folder {folder} does not exist"
RUN_FILES = "give both files, BEFORE and AFTER, or neither (the OpenAI example)"
PLAN_FILE = "{path}: {detail}"
NO_FAIR_STAKE_FIELD = (
    "cannot find a holding of {party!r} in {entity!r} to solve for; name the field in the analysis plan"
)
BASIS = "--basis must be total (everything the party receives) or structure (without contracts), got {value!r}"
SCALES = "--scales {value!r}: write positive revenue scale factors separated by commas, e.g. 0.5,1,2"
FIELD_NEEDS_PARTY = "--field needs --party (whose value the field should make whole)"
