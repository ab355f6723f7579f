"""Messages about the optional ``projection``, ``contracts`` and ``sources`` sections, written once."""

SCHEDULE = "expected a number or a list of numbers (one per year; the last one repeats), got {value!r}"
SCHEDULE_EMPTY = "a schedule needs at least one number"
HORIZON = "horizon must be a whole number of years between 1 and {most}, got {value}"
REVENUE_MODEL = (
    "give either 'growth' (with optional 'volatility') or 'values' or 'paths' for the revenue, not several"
)
REVENUE_PATH_LENGTH = "revenue path {index} has {got} years; the projection's horizon is {horizon} years"
GROWTH_TOO_LOW = "growth must be above -100% in every year, got {value}"
TERMINAL_ONE = "give exactly one of 'revenue_multiple', 'profit_multiple' or 'value' for the terminal value"
EVENT_ONE = "event {id!r} needs exactly one of 'year', 'annual_probability' or 'cumulative_profit'"
PROBABILITY = "annual_probability of event {id!r} must be at most 100%, got {value}"
DUPLICATE_EVENT = "duplicate event id {id!r}"
PROJECTION_ENTITY = "projection entity {id!r} must be an entity with classes or a distribution (valid: {known})"

CONTRACT_KINDS = "revenue_share, payment, licence"
CONTRACT_NEEDS = "{kind} contract {id!r} needs {fields}"
CONTRACT_FIELD = "{field!r} does not apply to a {kind} contract ({id!r})"
CONTRACT_PAYMENT_AMOUNTS = (
    "payment contract {id!r} needs either 'total' (with 'start' and 'end') or 'amounts', not both"
)
CONTRACT_DATES = "contract {id!r} ends ({end}) before it starts ({start})"
CONTRACT_YEAR = "amounts of contract {id!r}: {key!r} is not a calendar year (write e.g. 2027: 30B)"
CONTRACT_RATE = "rate of contract {id!r} must be at most 100%, got {value}"
DUPLICATE_CONTRACT = "duplicate contract id {id!r} (also at {other})"
CONTRACT_PAYER = (
    "contract {id!r} is paid by {payer!r}, which is not the projected entity {entity!r}: cash contracts are "
    "paid out of the projected entity's revenue"
)
CONTRACT_NO_PROJECTION = "cash contract {id!r} needs a 'projection' section (its payments depend on revenue and years)"
CONTRACT_PAYEE_DISTRIBUTES = (
    "contract {id!r} pays {payee!r}, an entity with classes or a distribution; name a holder or a terminal entity"
)
UNKNOWN_EVENT = "unknown event {id!r} (events of the projection: {known})"

SOURCE_PATH = "sources: {path!r} names no field of this scenario ({detail})"
