"""A chart of a sweep: each holder's value along one axis (lines), or over two (a heatmap per
holder, chosen from a menu)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..scenario.errors import InputError
from . import _sweep_messages as M
from .sweep import Axis, Sweep

if TYPE_CHECKING:
    import plotly.graph_objects as go

_PERCENT = ("volatility", "rate")


def plottable(axes: int) -> bool:
    """Whether a sweep over ``axes`` axes can be drawn: one (lines) or two (a heatmap)."""
    return axes in (1, 2)


def _axis_format(a: Axis) -> dict[str, Any]:
    return {"title": a.name, "tickformat": ".0%" if a.name in _PERCENT else None}


def sweep_figure(s: Sweep) -> go.Figure:
    """Lines (one axis: a line per holder, ± one standard error for Monte Carlo) or heatmaps
    (two axes: one per holder, the first axis down, the second across)."""
    import plotly.graph_objects as go

    if not plottable(len(s.axes)):
        raise InputError(M.FIGURE_AXES.format(count=len(s.axes)))
    cur = s.currency
    title = f"{s.entity}: value by holder ({'Monte Carlo' if s.method == 'montecarlo' else 'OPM'}, {cur})"
    if len(s.axes) == 1:
        a = s.axes[0]
        x = [float(p.params[a.name]) for p in s.points]
        fig = go.Figure()
        for h in s.holders:
            errors = [p.result.standard_errors for p in s.points]
            se = [e[h] for e in errors if e is not None] if s.method == "montecarlo" else None
            fig.add_trace(go.Scatter(x=x, y=[p.result.holders[h] for p in s.points], mode="lines+markers",
                                     name=s.names.get(h, h),
                                     error_y={"type": "data", "array": se, "visible": True} if se else None))
        fig.update_layout(title=title, xaxis=_axis_format(a), yaxis={"title": f"value ({cur})"},
                          template="plotly_white", hovermode="x unified")
        return fig
    down, across = s.axes
    ny, nx = len(down.values), len(across.values)
    y = [float(v) for v in down.values]
    x = [float(v) for v in across.values]
    fig = go.Figure()
    holders = s.holders
    for k, h in enumerate(holders):
        z = [[s.points[i * nx + j].result.holders[h] for j in range(nx)] for i in range(ny)]
        fig.add_trace(go.Heatmap(z=z, x=x, y=y, colorscale="Viridis", visible=k == 0, name=s.names.get(h, h),
                                 colorbar={"title": cur},
                                 hovertemplate=f"{across.name} %{{x}}<br>{down.name} %{{y}}<br>value %{{z:,.0f}}"
                                               "<extra></extra>"))
    buttons = [{"label": s.names.get(h, h), "method": "update",
                "args": [{"visible": [j == k for j in range(len(holders))]},
                         {"title": f"{title}: {s.names.get(h, h)}"}]} for k, h in enumerate(holders)]
    first = s.names.get(holders[0], holders[0]) if holders else ""
    fig.update_layout(title=f"{title}: {first}", xaxis=_axis_format(across), yaxis=_axis_format(down),
                      template="plotly_white",
                      updatemenus=[{"buttons": buttons, "direction": "down", "x": 1.0, "xanchor": "right",
                                    "y": 1.15, "yanchor": "top"}])
    return fig


__all__ = ["plottable", "sweep_figure"]
