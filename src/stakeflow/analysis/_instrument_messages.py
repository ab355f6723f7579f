"""Messages about priced rounds, anti-dilution and contingent terms, written once."""

NOT_EQUITY = "entity {id!r} has no classes: a priced round needs an equity entity"
NO_INVESTMENT = "give at least one --invest HOLDER=AMOUNT (e.g. --invest lead=4M)"
INVEST_FORMAT = "--invest {text!r}: write HOLDER=AMOUNT, e.g. --invest lead=4M"
INVEST_TWICE = "investor {id!r} is given twice; give one --invest per investor"
OPTION_VALUE = "{option}: {detail}"
POSITIVE = "must be positive, got {value}"
INVEST_SELF = "investor {id!r} is the entity that raises the round"
BAD_ID = "{what} {value!r} must match [a-z][a-z0-9_]* (lower case letters, digits, underscores)"
NEW_CLASS_EXISTS = "class {id!r} already exists in entity {entity!r}; give --new-class a new id"
POOL_CLASS_KIND = (
    "--pool-class {id!r} is a {kind} class of entity {entity!r}; name a pool class (options reserved, "
    "not granted) or a new id"
)
POOL_TARGET_RANGE = "--pool-target must be at least 0% and below 100%, got {value}"
POOL_TARGET_NEEDS_CLASS = "--pool-target needs --pool-class (the pool class to top up)"
POOL_TOO_LARGE = (
    "a pool of {target} of the post-money capitalisation and {sold} sold for new money leave nothing "
    "for the holders before the round"
)
DECIMALS = "{option} must be a whole number from 0 to 12, got {value}"
NO_SHARES = "entity {id!r} has no shares to price the round on"
NO_CONSISTENT_PRICE = (
    "no price is consistent with the conversion terms of {ids}: converting, they would take the whole "
    "pre-money capitalisation; check their caps and discounts against the pre-money valuation"
)
PRICE_ROUNDS_TO_ZERO = "the {what} rounds to zero at {decimals} decimals; give more decimals"
POOL_HOLDER_KIND = "pool holder {id!r} is an entity; name a holder for the pool"

UNKNOWN_EVENT = "unknown event {name!r} (events of this scenario: {known})"
NO_EVENTS = "this scenario has no contingent terms (a class with 'contingent:')"
MISSING_OUTCOME = "no outcome given for event {name!r}: say whether it happens (e.g. --event {name}=yes)"
EVENT_FORMAT = "--event {text!r}: write NAME=yes or NAME=no"
PROBABILITY_FORMAT = "--probability {text!r}: write NAME=P with P between 0 and 1 (e.g. restructuring=60%)"
PROBABILITY_RANGE = "the probability of event {name!r} must be between 0 and 1, got {value}"
PROBABILITY_PER_EVENT = (
    "this scenario has several events ({known}); give a probability for each (a mapping from event to probability)"
)
