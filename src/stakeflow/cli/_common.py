"""What every command shares: loading with SPEC §8 errors, money formatting, tables, progress bars,
JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..engine.lookthrough import at_date
from ..io.flags import error_lines
from ..scenario import Scenario, load
from ..scenario.errors import StakeflowError, one_line
from ..scenario.numbers import money_text, short_amount
from ..valuation.parameters import DEFAULT_CHUNK, MAX_PATHS
from ..valuation.progress import StagePosition

# Piped or redirected output is read in full (by a file, a pager, another program): give tables the
# room they need instead of a terminal's 80 columns, which would fold or cut amounts. Names, ids and
# paths come from the user: no console reads them as markup (``[/x]``) or emoji codes (``:100:``);
# styles are given as Text styles, never written into a string.
console = Console(width=None if sys.stdout.isatty() else 160, markup=False, emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)

EXIT_BAD_INPUT = 2

# The options several commands take, declared once (Typer reads ``Annotated`` parameters).
MAP_HELP = "Party renamed by the change, old_id=new_id (repeat, or separate with commas)."
ScenarioFile = Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")]
BeforeFile = Annotated[Path, typer.Argument(help="The structure before the change (with a projection).")]
AfterFile = Annotated[Path, typer.Argument(help="The structure after the change (with a projection).")]
ExitValue = Annotated[str | None, typer.Option("--exit", help="Proceeds of the entity, e.g. 50M.")]
Entity = Annotated[str | None,
                   typer.Option("--entity", help="Entity whose proceeds are distributed.")]
DistributionDate = Annotated[str | None,
                             typer.Option("--date", help="Distribution date, YYYY-MM-DD (default: exit.date).")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
JsonDocument = Annotated[bool, typer.Option("--json", help="Print one JSON document (SPEC §7).")]
XlsxOut = Annotated[Path | None,
                    typer.Option("--xlsx", help="Also write the tables to an Excel workbook (.xlsx).")]
CsvOut = Annotated[Path | None,
                   typer.Option("--csv", help="Also write the tables as CSV: a .csv file, or a folder.")]
ShowProgress = Annotated[bool | None,
                         typer.Option("--progress/--no-progress",
                                      help="Progress bar on stderr (default: when stderr is a terminal).")]
PartyMap = Annotated[list[str] | None, typer.Option("--map", help=MAP_HELP)]
# The market inputs and Monte Carlo settings of `value` and `sweep`.
EquityValue = Annotated[str | None, typer.Option("--equity-value", help="Equity value today, e.g. 25M.")]
Volatility = Annotated[str | None, typer.Option("--volatility", help="Annual volatility, e.g. 60% or 0.6.")]
Term = Annotated[str | None, typer.Option("--term", help="Years to the liquidity event, e.g. 3.")]
Rate = Annotated[str | None, typer.Option("--rate", help="Continuous risk-free rate, e.g. 4% or 0.04.")]
ChunkSize = Annotated[str | None,
                      typer.Option("--chunk-size", help=f"Paths per unit of work (default {DEFAULT_CHUNK:,}).")]
Antithetic = Annotated[bool, typer.Option("--antithetic", help="Antithetic variates (pairs z, -z).")]
MaxPaths = Annotated[str | None, typer.Option("--max-paths", help=f"Most --paths allowed (default {MAX_PATHS:,}).")]
ValuedEntity = Annotated[str | None, typer.Option(
    "--entity", help="Entity to value (default: exit entity or single root).")]


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


money = money_text
"""An amount in full: ``20,000,000.00``, ``USD 1,234.50``."""


def short_money(x: Fraction | float) -> str:
    """An amount as analysts write it in a table: ``1.23T``, ``45.60B``, ``950``."""
    return short_amount(x, small=",.0f")


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


def show_progress(flag: bool | None) -> bool:
    return flag if flag is not None else sys.stderr.isatty()


@contextmanager
def stages(show: bool) -> Iterator[StagePosition | None]:
    """A Rich progress bar on stderr, one task per stage: ``update(stage, done, total)``. Asked for
    on a stderr that is not a terminal, it is drawn anyway (and left in place when done)."""
    if not show:
        yield None
        return
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    terminal = err_console.is_terminal
    out = err_console if terminal else Console(stderr=True, force_terminal=True, highlight=False, markup=False,
                                               emoji=False)
    with Progress(*columns, console=out, transient=terminal) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update

