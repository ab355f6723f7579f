"""A chart of a payoff curve: every holder's payout against the entity's proceeds, breakpoints marked."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ..scenario.numbers import short_amount as _short
from .curve import PayoffCurve

if TYPE_CHECKING:
    import plotly.graph_objects as go

_UNITS = ((Fraction(10**12), "T"), (Fraction(10**9), "B"), (Fraction(10**6), "M"), (Fraction(10**3), "k"))


def short_amount(x: Fraction | float) -> str:
    """An amount as analysts write it on a chart: ``2.5M``, ``17.3333B``, ``950``."""
    return _short(x, spec=",.6g")


def _label_rows(points: list[float], span: float, gap: float = 0.025) -> list[int]:
    """A row for each breakpoint label so that labels closer than ``gap`` of the axis never overlap."""
    last: list[float] = []
    rows = []
    for p in points:
        for r, x in enumerate(last):
            if p - x >= gap * span:
                last[r] = p
                rows.append(r)
                break
        else:
            last.append(p)
            rows.append(len(last) - 1)
    return rows


def _scale(end: Fraction) -> tuple[Fraction, str]:
    for size, unit in _UNITS:
        if end >= 2 * size:
            return size, unit
    return Fraction(1), ""


def payoff_figure(curve: PayoffCurve, upto: Fraction | None = None, title: str | None = None) -> go.Figure:
    """Each holder's payout from 0 to ``upto`` (default: a quarter beyond the last breakpoint),
    straight lines between breakpoints (the curve is exactly that), breakpoints as dotted lines
    numbered at the top and listed with their amounts beside the chart."""
    import plotly.graph_objects as go

    last = curve.breakpoints[-1]
    end = upto if upto is not None and upto > last else (last * Fraction(5, 4) if last > 0 else Fraction(1))
    size, unit = _scale(end)
    money = f"{curve.currency} {unit}".rstrip()
    xs = [b for b in curve.breakpoints if b < end] + [end]
    exact = [curve.value_at(x) for x in xs]
    fig = go.Figure()
    for h in curve.holders:
        name = curve.names.get(h, h)
        fig.add_trace(go.Scatter(
            x=[float(x / size) for x in xs], y=[float(v[h] / size) for v in exact], mode="lines+markers",
            name=name, marker={"size": 5},
            hovertemplate=f"{name}: %{{y:,.4~f}} {money}<extra></extra>",
        ))
    inner = [b for b in curve.breakpoints[1:] if b < end]
    rows = _label_rows([float(b) for b in inner], float(end))
    for i, (b, row) in enumerate(zip(inner, rows, strict=True), start=1):
        fig.add_vline(x=float(b / size), line={"dash": "dot", "width": 1, "color": "#888"})
        fig.add_annotation(x=float(b / size), y=1, yref="paper", yanchor="bottom", yshift=2 + 15 * row,
                           text=f"b{i}", showarrow=False, font={"size": 11, "color": "#444"})
    if inner:
        listing = "<br>".join(f"b{i} = {short_amount(b)}" for i, b in enumerate(inner, start=1))
        fig.add_annotation(x=1.02, xref="paper", xanchor="left", y=0, yref="paper", yanchor="bottom",
                           align="left", showarrow=False, font={"size": 11, "color": "#444"},
                           text=f"<b>breakpoints ({curve.currency})</b><br>{listing}")
    top = 15 * (max(rows) + 1 if rows else 0)
    fig.update_layout(
        title={"text": title or f"Payoff of {curve.entity} by holder", "y": 0.98, "yanchor": "top"},
        template="plotly_white",
        xaxis={"title": f"proceeds of {curve.entity} ({money})", "rangemode": "tozero", "tickformat": ",~f"},
        yaxis={"title": f"payout ({money})", "rangemode": "tozero", "tickformat": ",~f"},
        legend={"orientation": "v", "x": 1.02, "y": 1, "yanchor": "top"},
        margin={"t": 70 + top, "r": 260},
        hovermode="x unified",
    )
    return fig
