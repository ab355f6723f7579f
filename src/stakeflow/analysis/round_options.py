"""The terms of a priced round as the user writes them: amounts in any spelling of SPEC §1,
investments ``HOLDER=AMOUNT``, ids, decimals; each bad one an error naming its option."""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from ..scenario.errors import InputError
from ..scenario.numbers import NumberError, parse_number
from . import _instrument_messages as M

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def number(value: Any, option: str) -> Fraction:
    try:
        return parse_number(value)
    except NumberError as exc:
        raise InputError(M.OPTION_VALUE.format(option=option, detail=exc)) from None


def positive(value: Any, option: str) -> Fraction:
    x = number(value, option)
    if x <= 0:
        raise InputError(M.OPTION_VALUE.format(option=option, detail=M.POSITIVE.format(value=value)))
    return x


def parse_investments(items: Iterable[str]) -> dict[str, Fraction]:
    """``["lead=4M", "others=1M"]`` → ``{"lead": 4000000, "others": 1000000}``."""
    out: dict[str, Fraction] = {}
    for text in items:
        holder, sep, amount = text.partition("=")
        holder = holder.strip()
        if not sep or not holder or not amount.strip():
            raise InputError(M.INVEST_FORMAT.format(text=text))
        if holder in out:
            raise InputError(M.INVEST_TWICE.format(id=holder))
        out[holder] = positive(amount.strip(), f"--invest {holder}")
    return out


def decimals(value: int | None, option: str) -> int | None:
    if value is not None and not (isinstance(value, int) and 0 <= value <= 12):
        raise InputError(M.DECIMALS.format(option=option, value=value))
    return value


def check_id(value: str, what: str) -> str:
    if not _ID.match(value):
        raise InputError(M.BAD_ID.format(what=what, value=value))
    return value
