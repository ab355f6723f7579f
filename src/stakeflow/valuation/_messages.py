"""Every message the valuation methods can give, written once; tests match them.

A placeholder that names a parameter (``{paths}``, ``{m}`` for the method) is filled with a
:class:`~stakeflow.valuation.errors.Param` below: the library says the parameter as the Python
API spells it, the command line and the web API as the command line's flag (SPEC §8, §11).
"""

from .errors import Param, Params

METHOD = Param("method")
EQUITY_VALUE = Param("equity_value", "V")
VOLATILITY = Param("volatility", "S")
TERM = Param("term", "T")
RATE = Param("rate", "R")
BACKSOLVE = Param("backsolve_class", "CLASS")
PRICE = Param("price", "P")
BACKSOLVE_AT_PRICE = Params((BACKSOLVE, PRICE))
DLOM = Param("dlom")
DLOM_VOLATILITY = Param("dlom_volatility", "S")
DLOM_TERM = Param("dlom_term")
PATHS_PARAM = Param("paths")
SEED_PARAM = Param("seed")
MAX_PATHS_PARAM = Param("max_paths")
CHUNK_SIZE = Param("chunk_size")
WORKERS_PARAM = Param("workers", "W")
SCHEDULER = Param("scheduler", "ADDRESS")
ANTITHETIC = Param("antithetic")
DISTRIBUTION = Param("distribution", "FILE")
SCENARIOS = Param("scenarios", "FILE")


BAD_NUMBER = "{name} {value!r}: {detail}"
NOT_POSITIVE = "{name} must be positive, got {value}"
NEGATIVE = "{name} must not be negative, got {value}"
VOLATILITY_TOO_HIGH = (
    "volatility {value} means {percent:,.0f}% a year; write a fraction or a percentage, e.g. 0.6 or 60%"
)
SPREAD_TOO_WIDE = (
    "{name} {vol:.4g} over {years:.4g} years is a log-spread σ√T of {spread:.3g}; at most {most:g} "
    "(the law's mean would be e^(σ²T/2) times its median)"
)
DISCOUNT_OUT_OF_RANGE = (
    "a discount rate of {rate:.6g} over {years:.4g} years makes a discount factor beyond floating point"
)
TOO_HIGH = "{name} {value!r}: at most {most}"
RATE_TOO_LOW = "{name} must be above -100%, got {value}"
NEEDS = "{m} {method} needs {what}"
NEEDS_EITHER = "{m} {method} needs {what} (or {other})"
NOT_WITH = "{option:bare} does not apply to {m} {method}"
EITHER_VALUE_OR_BACKSOLVE = "give {equity_value:bare} or {backsolve}, not both"
BACKSOLVE_NEEDS_PRICE = "{backsolve:bare} {cls} needs {price} (the price per share of {cls})"
PRICE_WITHOUT_BACKSOLVE = "{price:bare} needs {backsolve}"
UNKNOWN_METHOD = "unknown method {method!r} (valid: {valid})"
UNKNOWN_CLASS = "unknown class {cls!r} in entity {entity!r} (its classes: {known})"
NO_CLASSES = "entity {entity!r} has no classes (it is a tier program), so it has no price per share to backsolve"
EMPTY_CLASS = "class {cls!r} of entity {entity!r} has no shares, so it has no price per share"
PRICE_NOT_POSITIVE = "price {price} of class {cls!r} must be positive"
PRICE_UNATTAINABLE = (
    "no equity value makes class {cls!r} worth {price} per share: its value per share stays below "
    "{bound} at every equity value (its payout is capped)"
)
WORTHLESS_CLASS = "class {cls!r} receives nothing at any proceeds, so no equity value gives it a price"
UNKNOWN_DLOM = "unknown discount for lack of marketability {name!r} (valid: finnerty, put)"
DLOM_NEEDS_VOLATILITY = "{dlom} {name} needs {volatility} with this distribution"
TOO_MANY_PATHS = (
    "{paths:bare} {value}: {count:,} paths is more than {max_paths:bare} ({most:,}); give {max_paths:bare} {count} "
    "to run that many"
)
PATHS = "{name:bare} must be a positive whole number, got {value}"
CHUNK = "{name:bare} must be a positive whole number, got {value}"
WORKERS = "{name:bare} must be a positive whole number, got {value}"
SEED = "{name:bare} must be a non-negative whole number, got {value}"
ANTITHETIC_ODD = "{antithetic:bare} needs an even number of paths (pairs of paths), got {value}"
SAMPLE_FILE = "{path}: {detail}"
SAMPLE_EMPTY = "{path}: the sample has no values"
SAMPLE_BAD_VALUE = "{path}: value {index} ({value!r}) is not a finite non-negative number"
SAMPLE_FORMAT = "{path}: not a sample file (use .csv, .txt, .npy or a .yaml distribution)"
DISTRIBUTION_WITH_VALUE = (
    "{equity_value:bare} does not apply with a lognormal {distribution:bare}: give its mean or median"
)
SCENARIOS_PROBABILITY_SUM = "the probabilities add up to {total}, not 1 (100%)"
SCENARIO_EXIT_XOR_OPM = "a scenario needs 'exit_value' or 'method: opm' with 'equity_value'"
MEAN_XOR_MEDIAN = "give exactly one of 'mean' or 'median'"
EMPIRICAL_PROBABILITIES = "'probabilities' has {got} entries for {want} values"
EMPIRICAL_PROBABILITIES_SUM = "'probabilities' add up to {total}, not 1 (100%)"
DISTRIBUTION_KIND = "'distribution' must be 'lognormal' or 'discrete', got {got!r}"
SCENARIO_NEEDS = "a scenario valued by {method} needs {keys}"
SCENARIO_FORBIDS = "{keys} do not apply to a scenario valued by {method}"
LOGNORMAL_NEEDS_YEARS = "a lognormal exit value needs 'years' > 0 (its spread is volatility × √years)"
NO_SCENARIOS = "'scenarios' needs at least one scenario"
DUPLICATE_SCENARIO = "duplicate scenario name {name!r}"
PWERM_DLOM_NEEDS = "{dlom} with {m} pwerm needs {volatility} and {term} for the discount"
TOO_MANY_WORKERS = (
    "{workers:bare} {value}: a cluster on this machine runs at most {most} worker processes ({per} a core, and it "
    "has {cores}); for more, start workers on other machines and give {scheduler} (docs/scale.md)"
)
SCHEDULER_AND_WORKERS = "give {scheduler} or {workers}, not both (the scheduler's workers do the work)"
SCHEDULER_UNREACHABLE = "cannot reach the Dask scheduler at {address} within {seconds:g} s: {detail}"
SCHEDULER_NO_WORKERS = (
    "the Dask scheduler at {address} has no workers after {seconds:g} s: start some with `dask worker {address}`"
)
WORKERS_LOST = (
    "the Dask cluster at {address} lost the workers running one piece of work more often than its scheduler "
    "allows (distributed.scheduler.allowed-failures); check the workers' memory and logs, then run again"
)
SCHEDULER_LOST = "lost the Dask scheduler at {address} during the run: {detail}"
SCHEDULER_ADDRESS = (
    "{scheduler:bare} {address!r}: not a scheduler address ({detail}); write tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786"
)
