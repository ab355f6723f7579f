"""What the restructuring commands (run, compare, solve, sensitivity) share: options, progress, tables."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..analysis import _restructuring_messages as M
from ..analysis.compare import Comparison
from ..analysis.solve import SolveResult
from ..scenario.numbers import short_amount
from ..valuation import _messages as VM
from ..valuation import parameters as P
from ._common import console, err_console

MAP_HELP = "Party renamed by the change, old_id=new_id (repeat, or separate with commas)."


def table(title: str, columns: list[str], rows: list[list[str]], right_from: int = 1) -> Table:
    """A table whose cells are plain text: ids and field paths such as ``holdings[a]`` show as written."""
    t = Table(title=Text(title), title_justify="left", header_style="bold")
    for i, c in enumerate(columns):
        t.add_column(Text(c), justify="right" if i >= right_from else "left")
    for r in rows:
        t.add_row(*(Text(c) for c in r))
    return t


def number(x: float) -> str:
    """A field's value: whole numbers with separators, others to six significant digits."""
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) < 1e18 else f"{x:,.6g}"


def whole(text: str | None, option: str, default: int, least: int = 0) -> int:
    """A whole-number option such as --paths or --seed."""
    if text is None:
        return default
    if option == "--paths":
        return P.whole(text, M.PATHS, least, VM.PATHS_PARAM, least=least)
    return P.whole(text, VM.SEED, least, VM.SEED_PARAM)


def show_progress(flag: bool | None) -> bool:
    return flag if flag is not None else sys.stderr.isatty()


@contextmanager
def stages(show: bool) -> Iterator[Callable[[str, int, int], None] | None]:
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


def counter(update: Callable[[str, int, int], None] | None, stage: str, total: int) -> Callable[[int], None] | None:
    """A ``progress(k)`` callback that advances ``stage`` by ``k``."""
    if update is None:
        return None
    done = [0]

    def step(k: int) -> None:
        done[0] += k
        update(stage, done[0], total)

    return step


def money(x: float) -> str:
    return short_amount(x, small=",.0f")


def pm(x: float, se: float) -> str:
    return f"{money(x)} ± {money(se)}"


def show_comparison(c: Comparison, title: str | None = None) -> None:
    rows = []
    for p, t in c.transfers.items():
        if not (t.before or t.after):
            continue  # a party that receives nothing under either structure
        name = c.names.get(p, p)
        if t.was and t.was != (p,):
            name += f" (was {', '.join(t.was)})"
        rows.append([name, pm(t.before, t.before_se), pm(t.after, t.after_se), pm(t.change, t.change_se)])
    rows.append(["equity value", pm(c.before.equity_value, c.before.equity_value_se),
                 pm(c.after.equity_value, c.after.equity_value_se), ""])
    console.print(table(title or f"Value transfer ({c.currency}, present values; {c.paths:,} paths, seed {c.seed})",
                        ["party", "before", "after", "transfer"], rows))


def stake_text(s: SolveResult) -> str:
    if s.stake is None:
        return f"{s.value:,.6g} ± {s.standard_error:,.3g}"
    if s.bound == "lower":
        extra = f"; implied {s.implied_stake:.2%}" if s.implied_stake is not None else ""
        return f"0% (none needed{extra})"
    if s.bound == "upper":
        return "not reachable"
    return f"{s.stake:.2%} ± {(s.stake_se or 0):.2%}"
