"""How the command line says the library's parameters: ``paths`` is ``--paths``, ``backsolve_class``
is ``--backsolve CLASS``.

The library's messages name parameters as the Python API spells them
(:mod:`stakeflow.valuation.errors`); the command line prints them with its flags (SPEC §8),
and the web API answers with the command line's lines (SPEC §11). Both turn an error into
lines here, so a flag is spelled in one place.
"""

from __future__ import annotations

from ..scenario.errors import InputError, StakeflowError
from ..valuation.errors import Param, ParameterError, Params

FLAGS = {
    "backsolve_class": "--backsolve",
    "mapping": "--map",
    "before": "--equals-value-in",
    "target": "--equals",
    "investments": "--invest",
    "p_event": "--probability",
}
"""Flags not spelled ``--`` + the parameter's name with ``-`` for ``_``. ``before`` and ``target``
are the structure and the amount a solve matches (``solve_field``'s keywords); elsewhere BEFORE
is the command line's first file, named in messages as such, never as a parameter. A round's
``investments`` are given one ``--invest`` per investor, the events' ``p_event`` one
``--probability`` per event."""


def flag(p: Param | Params, with_metavar: bool = True) -> str:
    """``--paths``; ``--volatility S`` where the message asks for the value too."""
    if isinstance(p, Params):
        return " ".join(flag(q, with_metavar) for q in p.items)
    name = FLAGS.get(p.name, "--" + p.name.replace("_", "-"))
    return f"{name} {p.metavar}" if with_metavar and p.metavar else name


def error_lines(exc: StakeflowError, source: str | None = None) -> list[str]:
    """The ``error:`` lines of SPEC §8 for ``exc``, parameters said as the command line's flags;
    a problem of the scenario that was read names ``source`` (its file on the command line,
    ``scenario`` in the web API)."""
    if isinstance(exc, ParameterError):
        return [f"error: {exc.spelled(flag)}"]
    if source is not None and isinstance(exc, InputError):
        return exc.lines_naming(source)
    return exc.lines()


__all__ = ["FLAGS", "error_lines", "flag"]
