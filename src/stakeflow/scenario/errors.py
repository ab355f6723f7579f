"""Every message the scenario reader can give, written once (DESIGN habit 5).

A :class:`Problem` locates one mistake: the file, the line where known, the field path
(``entities[0].holdings[3].class``) and what would be valid. A :class:`ScenarioError`
carries every independent problem of one file, so a user fixes them in one go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# --- messages -------------------------------------------------------------------------------
UNKNOWN_KEY = "unknown key {key!r} (valid keys here: {valid})"
MISSING_KEY = "missing required key {key!r}"
NOT_VALID_HERE = "{value!r} is not valid here; expected {expected}"
NOT_A_NUMBER = "{detail}"
NEGATIVE = "must not be negative, got {value}"
BAD_ID = "id {value!r} must match [a-z][a-z0-9_]* (lower case letters, digits, underscores)"
DUPLICATE_ID = "duplicate id {id!r} (also at {other}); ids are unique across holders and entities"
DUPLICATE_CLASS = "duplicate class id {id!r} in entity {entity!r}"
UNKNOWN_CLAIMANT = "unknown claimant {id!r} (known holders and entities: {known})"
UNKNOWN_CLASS = "unknown class {id!r} in entity {entity!r} (its classes: {known})"
UNKNOWN_ENTITY = "unknown entity {id!r} (entities: {known})"
CYCLE = "ownership cycle: {path} (look-through must be acyclic)"
PREFERRED_PRICE = (
    "preferred class {id!r} needs exactly one of 'price_per_share' or 'invested'"
)
STRIKE_REQUIRED = "{kind} class {id!r} needs a 'strike' (exercise price per common share)"
FIELD_NOT_FOR_KIND = "{field!r} does not apply to {kind} class {id!r}"
CAP_NEEDS_PARTICIPATING = (
    "'participation_cap_multiple' is set on class {id!r}, which is not participating"
)
SAFE_INVESTED = "safe class {id!r} needs 'invested' (the purchase amount of the SAFE)"
SAFE_TERMS = "safe class {id!r} needs a 'valuation_cap' or a 'discount' (or both)"
NOTE_PRINCIPAL = "note class {id!r} needs a 'principal'"
NOTE_ISSUE_DATE = "note class {id!r} accrues interest and needs an 'issue_date'"
NOTE_MATURITY = "note class {id!r} matures ({maturity}) before it is issued ({issue})"
DISCOUNT_RANGE = "'discount' of class {id!r} must be below 100%, got {value}"
VALUATION_CAP = "'valuation_cap' of class {id!r} must be positive"
DIVIDEND_START = "preferred class {id!r} accrues dividends and needs a 'dividend_start' date"
DIVIDEND_RATE = "{field!r} is set on class {id!r}, which has no 'dividend_rate'"
CONTINGENT_IF_NOT = "'if_not' needs exactly one of 'returnable: true' or 'invested: AMOUNT'"
ACCRUAL_DATE = (
    "class {id!r} accrues {what} but the scenario has no date to accrue to: set 'as_of' (or 'exit.date')"
)
SAFES_TOO_LARGE = (
    "the post-money SAFEs of entity {id!r} add up to {total:.2%} of the company (purchase amount / "
    "valuation cap); together they must stay below 100%"
)
NO_COMMON = "equity entity {id!r} needs at least one class of kind 'common'"
BOTH_PROGRAMS = "entity {id!r} has both 'classes' and 'distribution'; give one or the other"
HOLDINGS_WITHOUT_CLASSES = "entity {id!r} has holdings but no classes"
STRANDED = (
    "the tier program of {id!r} can leave money undistributed: its last tier must have no "
    "'caps' and no 'limit' (a tier that takes everything left)"
)
UNREACHABLE_TIER = "tier {index} of {id!r} is never reached: tier {before} already takes everything"
CAP_ON_ZERO_WEIGHT = (
    "cap for {id!r}, whose share in this tier is zero: it receives nothing here, so the cap can never be "
    "reached; give it a positive share or remove the cap"
)
CAP_NOT_IN_SHARES = "cap for {id!r}, which has no share in this tier (shares: {known})"
ZERO_WEIGHTS = "the shares of this tier add up to zero; give at least one positive weight"
EMPTY_TIER = "a tier needs at least one claimant in 'shares'"
SELF_CLAIM = "entity {id!r} cannot hold or share in itself"
BOARD_SEATS = "board appointments add up to {total} seats, more than the board's {seats}"
CONVERSION_RATIO = "conversion_ratio of class {id!r} must be positive"
NOT_A_MAPPING = "the file must be a mapping (key: value) at the top level"
NO_SUCH_FILE = "no such file"
A_FOLDER = "is a folder, not a {what}"
NOT_TEXT = "not a text file (UTF-8 expected)"
CANNOT_READ = "cannot be read: {detail}"
CURRENCY = "currency {value!r} must be a three-letter ISO 4217 code in capitals, e.g. USD or EUR"
EMPTY_FILE = "the file is empty; a scenario starts with 'stakeflow: 1'"
TOO_DEEP = "not valid as a scenario: the document is nested too deeply"
SELF_REFERENCE = "not valid as a scenario: an alias (*name) refers to a value that contains it"
TOO_LARGE = "not valid as a scenario: the document expands to more than {most} values (aliases repeated)"
SURROGATE = (
    "not text: {code} is half of a UTF-16 surrogate pair, not a character; write the character itself "
    "(or its pair, e.g. \"\\ud83d\\ude00\")"
)
BAD_CHARACTER = "not valid YAML or JSON: unacceptable character {code}: special characters are not allowed"
OUT_OF_RANGE = "{text!r} is out of range: numbers must lie between 1e-{digits} and 1e{digits} in size"
PARSE = "{detail}"
EXIT_VALUE = "{label} {value!r}: {detail}"
NO_EXIT = "no exit value: give exit_value or set exit.value in the scenario"
NO_ROOT = "no entity with classes or a distribution to distribute"
SEVERAL_ROOTS = "several root entities ({ids}); choose one with --entity"
NOT_DISTRIBUTING = "entity {id!r} has no classes or distribution (valid: {known})"
CANNOT_ABSORB = (
    "entity {id!r} cannot absorb proceeds of {value}: every residual participant is capped "
    "(at most {most} can be paid out)"
)

# --- time in tier programs (SPEC §10) ------------------------------------------------------------
CAP_FORMS = "a cap mapping needs exactly one of 'amount', 'multiple' or 'hurdle', got {got}"
CAP_GROWTH_HURDLE = "'growth' does not apply to a 'hurdle' cap (a hurdle compounds already)"
CAP_GROWTH_FROM = "'growth' on an 'amount' cap needs 'from' (the date from which the cap grows)"
CAP_FROM_WITHOUT_GROWTH = "'from' is set but there is no 'growth'"
CATCH_UP_SHARE = "a catch-up 'share' must lie strictly between 0% and 100%, got {value}"
CATCH_UP_ALONE = "a catch-up tier takes no {field!r}: it ends when its claimant's target is met"
CATCH_UP_NOT_IN_SHARES = "catch-up claimant {id!r} has no share in this tier (shares: {known})"
CATCH_UP_FRACTION = (
    "catch-up claimant {id!r} receives {fraction} of this tier, which must be above its target share "
    "{share} (else the target is never met)"
)
NO_CONTRIBUTIONS = (
    "{form!r} cap for {id!r}, which has no contributions in entity {entity!r}; add its 'contributions' "
    "or give the cap as an amount"
)
CONTRIBUTION_CLAIMANT = (
    "contribution of {id!r}, which is not a claimant of the tier program of {entity!r} (its claimants: {known})"
)
TIME_WITHOUT_PROGRAM = "{field!r} is set on entity {id!r}, which has no tier program ('distribution')"
HISTORY_ORDER = "history is out of date order: {date} is listed after {before}; list entries oldest first"
HISTORY_AFTER_DATE = "history entry of {date} is after the distribution date {when}"
HISTORY_AFTER_DATE_OF = "entity {id!r}, history[{index}].date: " + HISTORY_AFTER_DATE
NO_DATE = (
    "the tier program of {id!r} depends on dates ({what}) but there is no distribution date: give "
    "--date DATE, or set exit.date or as_of in the file"
)
BAD_DATE = "date {value!r}: expected a date written YYYY-MM-DD, e.g. 2026-06-30"
CLAWBACK_SHARE = "a clawback 'share' must lie strictly between 0% and 100%, got {value}"
CLAWBACK_CLAIMANT = (
    "clawback claimant {id!r} is not a claimant of the tier program of {entity!r} (its claimants: {known})"
)


@dataclass(frozen=True)
class Problem:
    """One located mistake in a scenario file."""

    path: str
    message: str
    line: int | None = None

    def render(self, source: str) -> str:
        where = source
        if self.line is not None:
            where += f":{self.line}"
        loc = f" {self.path}:" if self.path else ""
        return one_line(f"error: {where}:{loc} {self.message}")


class StakeflowError(Exception):
    """Base of the errors stakeflow reports to its users (CLI exit status 2)."""

    def lines(self) -> list[str]:
        return [f"error: {self}"]


class ScenarioError(StakeflowError):
    """A scenario that does not follow the format; carries every problem found."""

    def __init__(self, problems: Sequence[Problem], source: str = "<scenario>") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__("; ".join(p.render(source) for p in self.problems))

    def lines(self) -> list[str]:
        return [p.render(self.source) for p in self.problems]


class InputError(StakeflowError):
    """Bad input that is not part of a scenario file (an exit value, an option)."""

    about_the_file = False
    """Whether the problem lies in the scenario the command read: the command line then names the
    file in the message."""

    def lines_naming(self, source: str) -> list[str]:
        """The error lines, each naming ``source`` (the file the command read, ``scenario`` in
        the web API) where the problem lies in it; a line that names it already, or names an
        option (``error: --paths ...``), is left as it is."""
        if not self.about_the_file:
            return self.lines()
        return [line if source in line or not line.startswith("error: ") or line.startswith("error: --")
                else f"error: {source}: {line.removeprefix('error: ')}" for line in self.lines()]


class InputErrors(InputError):
    """Several problems found together, each reported on its own line (``error: ...``)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = [one_line(p) for p in problems]
        super().__init__("; ".join(self.problems))

    def lines(self) -> list[str]:
        return [f"error: {p}" for p in self.problems]


class StructureError(InputError):
    """A problem of a valid scenario, found when it is used (no entity to distribute, proceeds it
    cannot absorb, no distribution date): the command line names the file."""

    about_the_file = True


class NoExitValue(StructureError):
    """No exit value was given and the scenario sets none (``exit.value``): each interface says
    how to give one in its own terms (``--exit`` on the command line)."""


def one_line(text: str) -> str:
    """A message on one line (SPEC §8: one line per problem), whatever a library wrote into it."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text.strip())


def join_ids(ids: Iterable[str]) -> str:
    ids = sorted(ids)
    return ", ".join(ids) if ids else "(none)"


def path_str(loc: Sequence[str | int]) -> str:
    """``("entities", 0, "holdings", 3, "class")`` -> ``entities[0].holdings[3].class``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
