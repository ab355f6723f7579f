"""Every parameter a library message can name is spelled, on the command line, as a flag some
command really takes: the default rule (``--`` + the name, ``-`` for ``_``) or ``FLAGS``."""

from __future__ import annotations

from types import ModuleType

import pytest
import typer.main

from stakeflow.analysis import _instrument_messages as IM
from stakeflow.analysis import _restructuring_messages as RM
from stakeflow.analysis import _sweep_messages as SM
from stakeflow.cli import app
from stakeflow.io.flags import FLAGS, flag
from stakeflow.valuation import _messages as VM
from stakeflow.valuation.errors import Param, Params


def options() -> set[str]:
    """Every long option of every command."""
    out: set[str] = set()
    for command in typer.main.get_command(app).commands.values():  # type: ignore[attr-defined]
        for p in command.params:
            out.update(o for o in (*p.opts, *p.secondary_opts) if o.startswith("--"))
    return out


def declared(module: ModuleType) -> list[Param]:
    return [v for k, v in vars(module).items() if k.isupper() and isinstance(v, Param)]


@pytest.mark.parametrize("module", [VM, RM, SM, IM], ids=["valuation", "restructuring", "sweep", "instruments"])
def test_every_parameter_a_message_names_is_a_flag_of_the_command_line(module: ModuleType) -> None:
    params = declared(module)
    assert params
    taken = options()
    assert [p.name for p in params if flag(p, False) not in taken] == []


def test_flags_that_are_not_the_keyword() -> None:
    assert flag(RM.MAPPING) == "--map"
    assert flag(RM.BEFORE) == "--equals-value-in FILE" and flag(RM.BEFORE_STRUCTURE) == "--equals-value-in BEFORE"
    assert flag(RM.TARGET) == flag(RM.EQUALS) == "--equals AMOUNT"
    assert flag(Params((RM.FIELD, RM.PARTY)), False) == "--field --party"
    assert flag(SM.GRID) == "--grid NAME=SPEC" and flag(SM.GRID, False) == "--grid"
    assert flag(IM.INVESTMENTS) == "--invest HOLDER=AMOUNT" and flag(IM.P_EVENT, False) == "--probability"
    assert flag(IM.CONVERSION_PRICE_DECIMALS) == "--conversion-price-decimals"
    assert set(FLAGS.values()) <= options()
