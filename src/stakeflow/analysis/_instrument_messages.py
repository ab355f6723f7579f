"""Messages about priced rounds, anti-dilution and contingent terms, written once; tests match them.

A placeholder that names a parameter (``{option}``, ``{pool_target}``, ``{p_event}``, ...) is
filled with a :class:`~stakeflow.valuation.errors.Param` declared below, by the keyword of
``price_round`` or ``scenarios_for`` that takes it: the library says ``pool_target needs
pool_class ...``, the command line ``--pool-target needs --pool-class ...``
(:mod:`stakeflow.io.flags`, SPEC §8). What only the command line reads (``--invest
HOLDER=AMOUNT``, ``--event NAME=yes``, ``--probability NAME=P``, ``--date``) it words itself, in
:mod:`stakeflow.cli._messages`.
"""

from ..valuation.errors import Param

PRE_MONEY = Param("pre_money")
INVESTMENTS = Param("investments", "HOLDER=AMOUNT")
"""Holder to amount (``price_round``); ``--invest HOLDER=AMOUNT``, once per investor."""
NEW_CLASS = Param("new_class")
POOL_CLASS = Param("pool_class")
POOL_TARGET = Param("pool_target")
PRICE_DECIMALS = Param("price_decimals")
CONVERSION_PRICE_DECIMALS = Param("conversion_price_decimals")
ANTI_DILUTION = Param("anti_dilution")
P_EVENT = Param("p_event", "EVENT=P")
"""The probability of each event (``scenarios_for``, ``contingent_waterfall``, ...); ``--probability``."""

NOT_EQUITY = "entity {id!r} has no classes: a priced round needs an equity entity"
NO_INVESTMENT = "{investments:bare} is empty: a round needs at least one investor and the amount it invests"
OPTION_VALUE = "{option:bare}{key}: {detail}"
"""A bad amount; ``key`` names the investor (`` lead``) where the option is the investments."""
POSITIVE = "must be positive, got {value}"
INVEST_SELF = "investor {id!r} is the entity that raises the round"
BAD_ID = "{what} {value!r} must match [a-z][a-z0-9_]* (lower case letters, digits, underscores)"
NEW_CLASS_EXISTS = "class {id!r} already exists in entity {entity!r}; give {new_class:bare} a new id"
POOL_CLASS_KIND = (
    "{pool_class:bare} {id!r} is a {kind} class of entity {entity!r}; name a pool class (options reserved, "
    "not granted) or a new id"
)
POOL_TARGET_RANGE = "{pool_target:bare} must be at least 0% and below 100%, got {value}"
POOL_TARGET_NEEDS_CLASS = "{pool_target:bare} needs {pool_class:bare} (the pool class to top up)"
POOL_TOO_LARGE = (
    "a pool of {target} of the post-money capitalisation and {sold} sold for new money leave nothing "
    "for the holders before the round"
)
DECIMALS = "{option:bare} must be a whole number from 0 to 12, got {value}"
ANTI_DILUTION_METHOD = "{anti_dilution:bare} {value!r} is not one of {methods}"
NO_SHARES = "entity {id!r} has no shares to price the round on"
NO_CONSISTENT_PRICE = (
    "no price is consistent with the conversion terms of {ids}: converting, they would take the whole "
    "pre-money capitalisation; check their caps and discounts against the pre-money valuation"
)
PRICE_ROUNDS_TO_ZERO = "the {what} rounds to zero at {decimals} decimals; give more decimals"
POOL_HOLDER_KIND = "pool holder {id!r} is an entity; name a holder for the pool"

UNKNOWN_EVENT = "unknown event {name!r} (events of this scenario: {known})"
NO_EVENTS = "this scenario has no contingent terms (a class with 'contingent:')"
MISSING_PROBABILITY = "no probability given for event {name!r}: {p_event:bare} needs one for every event ({known})"
PROBABILITY_RANGE = "the probability of event {name!r} must be between 0 and 1, got {value}"
PROBABILITY_PER_EVENT = (
    "this scenario has several events ({known}); give {p_event:bare} as a mapping from each event to its "
    "probability"
)
