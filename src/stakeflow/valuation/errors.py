"""Errors that name parameters: said in the library's names, re-said in a caller's.

A message of :mod:`stakeflow.valuation._messages` names each parameter through a placeholder
filled with a :class:`Param`. The library says it the way the Python API spells the parameter
(``paths must be a positive whole number, got 0``); the command line, and the web API that
answers with the command line's lines (SPEC §11), say the same message with their flags
(``--paths must be ...``) through :meth:`ParameterError.spelled`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..scenario.errors import InputError


@dataclass(frozen=True)
class Param:
    """A parameter as the Python API spells it, and the placeholder the command line writes
    after its flag where a message asks for the parameter (``S`` in ``--volatility S``).

    In a message, ``{x}`` says the parameter with its placeholder, ``{x:bare}`` without it.
    """

    name: str
    metavar: str = ""


@dataclass(frozen=True)
class Params:
    """Parameters given together (``backsolve_class`` and ``price``)."""

    items: tuple[Param, ...]


Spelling = Callable[[Param | Params, bool], str]
"""``spelling(parameter, with_metavar)``: how a caller says a parameter."""


def api_spelling(p: Param | Params, with_metavar: bool = True) -> str:
    """How the Python API says a parameter: its name."""
    if isinstance(p, Params):
        return " and ".join(q.name for q in p.items)
    return p.name


@dataclass(frozen=True)
class _Spelled:
    param: Param | Params
    spelling: Spelling

    def __format__(self, spec: str) -> str:
        return self.spelling(self.param, spec != "bare")


class ParameterError(InputError):
    """An :class:`InputError` whose message names parameters, to be spelled by whoever reports it."""

    def __init__(self, template: str, **fields: Any) -> None:
        self.template = template
        self.fields = fields
        super().__init__(self.spelled(api_spelling))

    def spelled(self, spelling: Spelling) -> str:
        """The message with every parameter spelled by ``spelling``."""
        return self.template.format(**{k: _Spelled(v, spelling) if isinstance(v, Param | Params) else v
                                       for k, v in self.fields.items()})

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.fields))


def _rebuild(template: str, fields: dict[str, Any]) -> ParameterError:
    return ParameterError(template, **fields)


__all__ = ["Param", "ParameterError", "Params", "Spelling", "api_spelling"]
