"""What the restructuring commands (run, compare, solve, sensitivity) share: a field's value, a value
with its standard error, the value-transfer table."""

from __future__ import annotations

from ..analysis.compare import Comparison
from ._common import console, short_money, table


def number(x: float) -> str:
    """A field's value: whole numbers with separators, others to six significant digits."""
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) < 1e18 else f"{x:,.6g}"


def pm(x: float, se: float) -> str:
    return f"{short_money(x)} ± {short_money(se)}"


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
