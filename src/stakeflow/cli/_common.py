"""What every command shares: loading with SPEC §8 errors, money formatting, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from ..engine.lookthrough import at_date
from ..io.flags import error_lines
from ..scenario import Scenario, load
from ..scenario.errors import StakeflowError, one_line

# Piped or redirected output is read in full (by a file, a pager, another program): give tables the
# room they need instead of a terminal's 80 columns, which would fold or cut amounts. Names, ids and
# paths come from the user: no console reads them as markup (``[/x]``) or emoji codes (``:100:``);
# styles are given as Text styles, never written into a string.
console = Console(width=None if sys.stdout.isatty() else 160, markup=False, emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)

EXIT_BAD_INPUT = 2


def fail(lines: list[str]) -> NoReturn:
    """Report bad input (SPEC §8): one ``error:`` line per problem on stderr, exit status 2."""
    for line in lines:
        err_console.print(one_line(line), markup=False)
    raise typer.Exit(EXIT_BAD_INPUT)


_read: list[str] = []
"""The scenario files the running command has read (``begin_command`` empties it)."""


def begin_command() -> None:
    _read.clear()


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn stakeflow's own errors into SPEC §8 output; anything else is a bug and propagates.

    A problem found after the file was read (no entity to distribute, money a structure cannot
    absorb) still names the file, when the command read one."""
    try:
        yield
    except StakeflowError as exc:
        fail(error_lines(exc, _read[0] if len(_read) == 1 else None))


def fail_in_file(lines: list[str]) -> NoReturn:
    """Like :func:`fail`, for problems of the file the command read: each line names it."""
    fail([_naming_the_file(line) for line in lines])


def _naming_the_file(line: str) -> str:
    # A line that names the file already, or an option (``error: --paths ...``), is left as it is.
    if len(_read) != 1 or _read[0] in line or not line.startswith("error: ") or line.startswith("error: --"):
        return line
    return f"error: {_read[0]}: {line.removeprefix('error: ')}"


def load_scenario(path: Path, date: str | None = None) -> Scenario:
    """The scenario in ``path``, its proceeds distributed on ``date`` (``--date``) when given."""
    _read.append(str(path))
    with user_errors():
        return at_date(load(path), date)


def emit_json(doc: Any) -> None:
    """Exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(doc, indent=1, allow_nan=False) + "\n")


def money(x: Fraction | float, currency: str = "", decimals: int = 2) -> str:
    v = float(x)
    s = f"{v:,.{decimals}f}"
    return f"{currency} {s}" if currency else s


def pct(x: Fraction | float) -> str:
    return f"{float(x):.2%}"


def table(title: str, columns: list[str], rows: list[list[str]], right_from: int = 1) -> Table:
    t = Table(title=title, title_justify="left", header_style="bold")
    for i, c in enumerate(columns):
        t.add_column(c, justify="right" if i >= right_from else "left")
    for r in rows:
        t.add_row(*r)
    return t


def parse_list(text: str, parse: Callable[[str], Any]) -> list[Any]:
    return [parse(part) for part in text.split(",") if part.strip()]
