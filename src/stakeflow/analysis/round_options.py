"""The terms of a priced round as the caller gives them: amounts in any spelling of SPEC §1,
ids, decimals, the anti-dilution method; each bad one an error naming its parameter
(:mod:`._instrument_messages`)."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, get_args

from ..scenario.models import AntiDilution
from ..scenario.numbers import NumberError, parse_number
from ..valuation.errors import Param, ParameterError
from . import _instrument_messages as M

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
ANTI_DILUTION_METHODS: tuple[str, ...] = get_args(AntiDilution)
"""The anti-dilution methods of the format (SPEC §3), listed once in the scenario model."""


def number(value: Any, option: Param, key: str = "") -> Fraction:
    """``value`` read as a number; ``key`` names the entry of ``option`` it is (an investor)."""
    try:
        return parse_number(value)
    except NumberError as exc:
        raise _bad(option, key, exc) from None


def positive(value: Any, option: Param, key: str = "") -> Fraction:
    x = number(value, option, key)
    if x <= 0:
        raise _bad(option, key, M.POSITIVE.format(value=value))
    return x


def _bad(option: Param, key: str, detail: object) -> ParameterError:
    return ParameterError(M.OPTION_VALUE, option=option, key=f" {key}" if key else "", detail=detail)


def investment(holder: str, amount: Any) -> Fraction:
    """The amount ``holder`` invests in the round, positive."""
    return positive(amount, M.INVESTMENTS, holder)


def decimals(value: int | None, option: Param) -> int | None:
    if value is not None and not (isinstance(value, int) and 0 <= value <= 12):
        raise ParameterError(M.DECIMALS, option=option, value=value)
    return value


def check_id(value: str, what: str | Param) -> str:
    """``value`` as an id; ``what`` is the parameter that gave it, or what it is (``investor``)."""
    if not _ID.match(value):
        raise ParameterError(M.BAD_ID, what=what, value=value)
    return value


def check_anti_dilution(method: str) -> str:
    """``method`` as one of the format's anti-dilution methods."""
    if method not in ANTI_DILUTION_METHODS:
        raise ParameterError(M.ANTI_DILUTION_METHOD, anti_dilution=M.ANTI_DILUTION, value=method,
                             methods=", ".join(ANTI_DILUTION_METHODS))
    return method
