"""The HTML report of a restructuring analysis: one self-contained file that works offline.

Sections: summary, control before and after (diagrams), values and the value transfer,
fair stakes against the reported stakes, payouts at exit or IPO values, payoff curves, the
contracts' timeline, the projection, sensitivity (tornado and fair stake against company
value), every assumption beside its source, and the method. Charts are plotly figures with
plotly's JavaScript embedded once in the page.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from jinja2 import Environment
from markupsafe import Markup

from ..analysis.control import control_figure
from ..analysis.projection import simulate
from ..analysis.restructuring import Assumption, FairStakeResult, Restructuring
from ..analysis.sensitivity import Sensitivity
from ..scenario.numbers import short_amount
from ..valuation.streams import Block
from .atomic import write_text

if TYPE_CHECKING:
    import plotly.graph_objects as go

_PERCENT_FIELDS = ("rate", "discount_rate", "growth", "volatility", "margin", "annual_probability", "payee_margin")
_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"]


def money(x: float | Fraction, currency: str = "$") -> str:
    """An amount the way the report shows it: $1.23T, $45.6B, $7.8M."""
    return short_amount(x, prefix=currency, small=",.0f", minus="−")


def percent(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x * 100:.{digits}f}%"


def show_value(a: Assumption) -> str:
    """A figure of a file as a reader expects it: rates in per cent, amounts with suffixes."""
    last = a.path.split(".")[-1].split("[")[0]
    v = a.value
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        items = [show_value(Assumption(a.structure, a.path, x, a.source)) for x in v]
        return ", ".join(items)
    if last in _PERCENT_FIELDS or (".shares." in a.path and "distribution" in a.path and v <= 1):
        return f"{float(v) * 100:g}%"
    if "caps" in a.path or last in ("total", "initial", "value", "cumulative_profit", "limit"):
        return money(v)
    if last == "revenue_multiple" or last == "profit_multiple":
        return f"{float(v):g}x"
    f = float(v)
    if last in ("start", "year"):
        return f"{f:.0f}"  # a calendar year, written without a separator
    return f"{f:,.0f}" if f == int(f) and abs(f) >= 1000 else f"{f:g}"


def money_ticks(lo: float, hi: float, log: bool = False) -> dict[str, list[Any]]:
    """Tick values and labels ($100B, $1.5T) for an axis of amounts from ``lo`` to ``hi``."""
    vals: list[float] = []
    if log:
        lo = max(lo, 1.0)
        k = math.floor(math.log10(lo))
        while 10.0**k <= hi * 1.0001:
            vals += [m * 10.0**k for m in (1, 2, 5) if lo / 1.0001 <= m * 10.0**k <= hi * 1.0001]
            k += 1
    else:
        span = max(hi - lo, 1.0)
        raw_step = span / 5
        mag = 10.0 ** math.floor(math.log10(raw_step))
        step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw_step)
        x = math.floor(lo / step) * step
        while x <= hi + step * 0.001:
            vals.append(x)
            x += step
    return {"tickvals": vals, "ticktext": [_tick(v) for v in vals]}


def _tick(v: float) -> str:
    return short_amount(v, prefix="$", spec="g", minus="−")


def _html(fig: go.Figure, div_id: str) -> Markup:
    return Markup(fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                              config={"displaylogo": False, "responsive": True}))


def _layout(fig: go.Figure, title: str, height: int = 460) -> go.Figure:
    fig.update_layout(title=title, height=height, template="plotly_white", margin={"l": 60, "r": 30, "t": 70, "b": 60},
                      legend={"orientation": "h", "y": -0.18})
    return fig


def payoff_figure(r: Restructuring) -> go.Figure:
    """Each party's payout against the entity's proceeds (cumulative distributions), before and after."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    top = max(2e12, *(float(v) for v in r.payouts.exit_values))
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, subplot_titles=(
        f"Before: {r.before.display_name(r.entity_before)}", f"After: {r.after.display_name(r.entity_after)}"))
    for col, (curve, sc, rename) in enumerate(((r.curve_before, r.before, r.mapping), (r.curve_after, r.after, {})),
                                             start=1):
        pts = sorted({b for b in curve.breakpoints if b <= top} | {Fraction(0), Fraction(int(top))})
        at = [curve.value_at(b) for b in pts]
        xs = [float(b) for b in pts]
        for h in curve.holders:
            ys = [float(v[h]) for v in at]
            party = rename.get(h, h)
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers",
                                     name=f"{'before' if col == 1 else 'after'}: {sc.display_name(h)}",
                                     legendgroup=party, line={"color": _COLOURS[_index(r, party)]},
                                     showlegend=True, hovertemplate="%{x:$.3s} → %{y:$.3s}<extra>" + h + "</extra>"),
                          row=1, col=col)
    fig.update_xaxes(title_text="cumulative proceeds of the entity", **money_ticks(0, top))
    fig.update_yaxes(title_text="payout", **money_ticks(0, top))
    return _layout(fig, "Payoff curves: who receives what as the entity's cumulative proceeds grow", 500)


def _index(r: Restructuring, party: str) -> int:
    parties = list(r.comparison.transfers)
    return (parties.index(party) if party in parties else len(parties)) % len(_COLOURS)


def transfer_figure(r: Restructuring) -> go.Figure:
    """Each party's value before and after, and the transfer, with two standard errors."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    tr = {p: t for p, t in r.comparison.transfers.items() if t.before or t.after}
    names = [r.comparison.names.get(p, p) for p in tr]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Present value before and after", "Value transfer"))
    fig.add_trace(go.Bar(x=names, y=[t.before for t in tr.values()], name="before", marker_color="#7f7f7f",
                         error_y={"type": "data", "array": [2 * t.before_se for t in tr.values()]}), row=1, col=1)
    fig.add_trace(go.Bar(x=names, y=[t.after for t in tr.values()], name="after", marker_color="#1f77b4",
                         error_y={"type": "data", "array": [2 * t.after_se for t in tr.values()]}), row=1, col=1)
    fig.add_trace(go.Bar(x=names, y=[t.change for t in tr.values()], name="transfer (after − before)",
                         marker_color=["#2ca02c" if t.change >= 0 else "#d62728" for t in tr.values()],
                         error_y={"type": "data", "array": [2 * t.change_se for t in tr.values()]}), row=1, col=2)
    values = [x for t in tr.values() for x in (t.before, t.after, t.change)] or [0.0]
    fig.update_yaxes(**money_ticks(min(0.0, *values), max(0.0, *values)))
    return _layout(fig, "Who gains and who loses (error bars: two standard errors)")


def tornado_figure(s: Sensitivity, offsets: list[float] | None = None) -> go.Figure:
    """For each fair stake, how far each assumption moves it (low and high) from the base case;
    ``offsets[i]`` moves the whole of target i's chart (to the base figure of a longer run)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    n = len(s.targets)
    fig = make_subplots(rows=n, cols=1, subplot_titles=[t.title for t in s.targets], vertical_spacing=0.12)
    for i, t in enumerate(s.targets):
        shift = offsets[i] if offsets is not None else 0.0
        base = s.measure(s.base.stakes[i]) + shift
        bars = sorted(s.bars, key=lambda b: abs(s.measure(b.high.stakes[i]) - s.measure(b.low.stakes[i])))
        labels = [b.shift.label for b in bars]
        for side, colour in (("low", "#1f77b4"), ("high", "#ff7f0e")):
            vals = [s.measure(getattr(b, side).stakes[i]) + shift for b in bars]
            text = [getattr(b.shift, f"{side}_text") for b in bars]
            fig.add_trace(go.Bar(y=labels, x=[v - base for v in vals], base=[base] * len(vals), orientation="h",
                                 name=f"assumption {side}", marker_color=colour, legendgroup=side,
                                 showlegend=i == 0, customdata=np.column_stack([vals, text]),
                                 hovertemplate="%{y} %{customdata[1]}: %{customdata[0]:.2%}<extra></extra>"),
                          row=i + 1, col=1)
        fig.add_vline(x=base, line_dash="dot", line_color="#333", row=i + 1, col=1)  # type: ignore[arg-type]
        if t.reported is not None:
            fig.add_vline(x=t.reported, line_color="#d62728", row=i + 1, col=1,  # type: ignore[arg-type]
                          annotation_text=f"reported {t.reported:.0%}", annotation_position="top")
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(tickformat=".0%")
    return _layout(fig, "Tornado: the fair stake as each assumption moves (dotted: base case; red: reported)",
                   240 * n + 120)


def stake_value_figure(r: Restructuring, s: Sensitivity) -> go.Figure:
    """Each fair stake against the company's value (revenue scaled), with the reported valuations."""
    import plotly.graph_objects as go

    fig = go.Figure()
    xs = [p.equity_after for _, p in s.sweep]
    offsets = _offsets(r, s)
    for i, t in enumerate(s.targets):
        ys = [s.measure(p.stakes[i]) + offsets[i] for _, p in s.sweep]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=t.title,
                                 line={"color": _COLOURS[i % len(_COLOURS)]}))
    reported = sorted({t.reported for t in s.targets if t.reported is not None})
    for rep in reported:
        fig.add_hline(y=rep, line_dash="dash", line_color="#d62728")
    if reported:
        fig.add_annotation(x=0.0, xref="paper", y=max(reported), yanchor="bottom", xanchor="left", showarrow=False,
                           text="reported: " + ", ".join(f"{x:.0%}" for x in reported), font={"color": "#d62728"})
    for m in r.marks:
        fig.add_vline(x=float(m.value), line_dash="dot", line_color="#999")
        fig.add_annotation(x=math.log10(float(m.value)), y=1.0, yref="paper", text=m.label, textangle=-90,
                           showarrow=False, xanchor="right", yanchor="top", font={"size": 10, "color": "#666"})
    lo = min([*xs, *(float(m.value) for m in r.marks)])
    hi = max([*xs, *(float(m.value) for m in r.marks)])
    fig.update_xaxes(title_text="present value of the new structure's equity (revenue scaled)", type="log",
                     **money_ticks(lo, hi, log=True))
    fig.update_yaxes(title_text="fair stake", tickformat=".0%")
    return _layout(fig, "Fair stake against company value", 520)


def _offsets(r: Restructuring, s: Sensitivity) -> list[float]:
    """Per fair stake: the main run's figure less the sensitivity's own base case (see
    :meth:`Restructuring.tornado_rows`)."""
    return [f.result.measure - s.measure(s.base.stakes[i]) for i, f in enumerate(r.fair_stakes)]


def static_figure(r: Restructuring) -> go.Figure:
    """Each reported stake's party: its share of the old waterfall read once at each proceeds
    (a line, exact, the reported valuations marked), beside the present-value fair stake and
    the reported stake (horizontal lines)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    split = r.static_split
    marks = [float(m.value) for m in r.marks]
    lo = min(marks or [1e9]) / 2
    hi = max(marks or [1e12]) * 2
    xs = list(np.geomspace(lo, hi, 80))
    curve = r.curve_before
    shown: set[str] = set()
    for _i, f in enumerate(r.fair_stakes):
        party = f.target.party
        if party in shown:
            continue
        shown.add(party)
        colour = _COLOURS[_index(r, party)]
        name = r.comparison.names.get(party, party)
        olds = [h for h in curve.holders if r.mapping.get(h, h) == party]
        ys = [float(sum((curve.value_at(Fraction(x)).get(h, 0) for h in olds), Fraction(0))) / x for x in xs]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=f"{name}: share of the old waterfall, read once",
                                 line={"color": colour}, hovertemplate="%{x:$.3s}: %{y:.1%}<extra></extra>"))
        if split is not None and party in split.shares:
            fig.add_trace(go.Scatter(x=[float(v) for v in split.values], y=[float(v) for v in split.shares[party]],
                                     mode="markers", marker={"color": colour, "size": 9}, showlegend=False,
                                     text=split.labels, hovertemplate="%{text}: %{y:.1%}<extra></extra>"))
        fair = next((g for g in r.fair_stakes if g.target.party == party and g.result.bound == "root"
                     and g.target.basis == "total"), None) or next(
            (g for g in r.fair_stakes if g.target.party == party and g.result.bound == "root"), None)
        if fair is not None and fair.result.stake is not None:
            fig.add_hline(y=fair.result.stake, line_dash="dash", line_color=colour,
                          annotation_text=f"{fair.target.title}: fair stake over time {fair.result.stake:.0%}",
                          annotation_position="top left", annotation_font_color=colour)
        if f.target.reported is not None:
            fig.add_hline(y=f.target.reported, line_dash="dot", line_color=colour,
                          annotation_text=f"{name}: reported {f.target.reported:.0%}",
                          annotation_position="top right" if len(shown) % 2 else "bottom right",
                          annotation_font_color=colour)
    for m in r.marks:
        fig.add_vline(x=float(m.value), line_dash="dot", line_color="#bbb")
        fig.add_annotation(x=math.log10(float(m.value)), y=0.5, yref="paper", text=m.label, textangle=-90,
                           showarrow=False, xanchor="right", font={"size": 10, "color": "#888"})
    fig.update_xaxes(title_text="the company's value, paid out once through the old structure", type="log",
                     **money_ticks(lo, hi, log=True))
    fig.update_yaxes(title_text="share of that value", tickformat=".0%", range=[0, 1])
    return _layout(fig, "The old structure read once at each valuation, against the fair stake over time", 520)


def timeline_figure(r: Restructuring) -> go.Figure:
    """Every contract's term, before and after (open ends run to the horizon)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    rows = [("before", t, r.before) for t in r.timeline_before] + [("after", t, r.after) for t in r.timeline_after]
    colours = {"revenue_share": "#d62728", "payment": "#1f77b4", "licence": "#2ca02c"}
    shown: set[str] = set()
    for which, t, sc in rows:
        proj = sc.projection
        first = dt.date(proj.start, 1, 1) if proj is not None else (sc.as_of or dt.date.today())
        last = dt.date(proj.start + proj.horizon - 1, 12, 31) if proj is not None else first
        start = t.start or (sc.as_of or first)
        end = t.end or last
        label = f"{which}: {t.name}"
        until = f" or {t.end_event}" if t.end_event else ""
        fig.add_trace(go.Bar(
            y=[label], x=[(end - start).days * 86_400_000], base=[start.isoformat()], orientation="h",
            marker_color=colours.get(t.kind, "#7f7f7f"), name=t.kind.replace("_", " "),
            showlegend=t.kind not in shown, legendgroup=t.kind,
            hovertemplate=f"{t.detail}<br>{start} to {t.end or 'the horizon'}{until}<extra>{t.id}</extra>"))
        shown.add(t.kind)
    dated = [m for m in r.marks if m.date is not None]
    if dated:
        fig.add_trace(go.Scatter(
            x=[m.date.isoformat() for m in dated if m.date], y=["valuations and rounds"] * len(dated),
            mode="markers+text", marker={"symbol": "diamond", "size": 11, "color": "#8c564b"},
            text=[_tick(float(m.value)) for m in dated], name="valuation",
            textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(dated))],
            hovertemplate=[f"{m.label}: {money(m.value)}<extra></extra>" for m in dated]))
    rows_n = len(rows) + (1 if dated else 0)
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "Contracts, licences and valuations (bars end at the end date; an end event may end "
                        "them earlier)", 140 + 40 * max(1, rows_n))


def projection_figure(r: Restructuring, paths: int = 20_000) -> go.Figure:
    """Median and 10–90% band of revenue and of cumulative distributable profit, after the change."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    n = min(paths, r.comparison.paths)
    p = simulate(r.after, Block(r.comparison.seed, 0, min(n, 65_536), 0, max(n, 1)))
    years = p.years
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Revenue", "Cumulative distributable profit"))
    for col, data in ((1, p.revenue), (2, p.cumulative[:, 1:])):
        q10, q50, q90 = np.percentile(data, [10, 50, 90], axis=0)
        fig.add_trace(go.Scatter(x=years, y=q90, mode="lines", line={"width": 0}, showlegend=False,
                                 hoverinfo="skip"), row=1, col=col)
        fig.add_trace(go.Scatter(x=years, y=q10, mode="lines", fill="tonexty", line={"width": 0},
                                 name="10–90% of paths", fillcolor="rgba(31,119,180,0.2)", showlegend=col == 1),
                      row=1, col=col)
        fig.add_trace(go.Scatter(x=years, y=q50, name="median", line={"color": "#1f77b4"}, showlegend=col == 1),
                      row=1, col=col)
    fig.update_yaxes(**money_ticks(0.0, float(np.percentile(p.revenue[:, -1], 90))), row=1, col=1)
    fig.update_yaxes(**money_ticks(0.0, max(1.0, float(np.percentile(p.cumulative[:, -1], 90)))), row=1, col=2)
    return _layout(fig, f"Projection of {r.after.display_name(r.entity_after)} ({n:,} paths)")


def figures(r: Restructuring) -> dict[str, Markup]:
    """Every chart of the report, as HTML fragments keyed by their div id."""
    out = {
        "fig-control-before": _html(_layout(control_figure(r.before, r.control_before),
                                            "Before: ownership (grey) and control (red)", 520), "fig-control-before"),
        "fig-control-after": _html(_layout(control_figure(r.after, r.control_after),
                                           "After: ownership (grey) and control (red)", 520), "fig-control-after"),
        "fig-transfer": _html(transfer_figure(r), "fig-transfer"),
        "fig-payoff": _html(payoff_figure(r), "fig-payoff"),
        "fig-timeline": _html(timeline_figure(r), "fig-timeline"),
        "fig-projection": _html(projection_figure(r), "fig-projection"),
    }
    if r.marks:
        out["fig-static"] = _html(static_figure(r), "fig-static")
    if r.sensitivity is not None:
        out["fig-tornado"] = _html(tornado_figure(r.sensitivity, _offsets(r, r.sensitivity)), "fig-tornado")
        out["fig-stake-value"] = _html(stake_value_figure(r, r.sensitivity), "fig-stake-value")
    return out


def approx(x: float, currency: str = "$") -> str:
    """An amount to three significant digits, as a reader quotes it: $465B, $68.4B, $1.09B."""
    a = abs(x)
    digits = 0 if a == 0 else 2 - math.floor(math.log10(a) % 3)
    return short_amount(x, prefix=currency, spec=f",.{max(digits, 0)}f", small=",.0f", minus="−")


def _names(r: Restructuring) -> dict[str, str]:
    """Every id the reader might meet (parties, entities, contracts) by its name."""
    out: dict[str, str] = {}
    for sc in (r.before, r.after):
        for i in [*sc.holder_ids, *sc.entity_ids]:
            out.setdefault(i, sc.display_name(i))
        for c in sc.contracts:
            out.setdefault(c.id, c.name or c.id)
        for ev in sc.projection.events if sc.projection is not None else ():
            out.setdefault(ev.id, (ev.name or ev.id)[:1].lower() + (ev.name or ev.id)[1:])
    if r.branches is not None:
        for c in r.branches.triggered:
            out.setdefault(c.id, c.name or c.id)
    out.update(r.comparison.names)
    out["structure"] = "through the structure"
    return out


def _primary(r: Restructuring, party: str) -> FairStakeResult | None:
    """The fair stake to quote for a party: everything it receives if that has a root, else its
    claims through the structure alone."""
    own = [f for f in r.fair_stakes if f.target.party == party]
    return next((f for f in own if f.result.bound == "root" and f.target.basis == "total"), None) or next(
        (f for f in own if f.result.bound == "root"), None)


def first_paragraph(r: Restructuring) -> str:
    """The report's first paragraph: what the analysis found, in plain words, with ranges and the
    main caveat. Every figure in it is one of the run's JSON figures, rounded."""
    comp = r.comparison
    names = _names(r)
    ranges = {x["label"]: x for x in r.stake_ranges()}
    parties = list(dict.fromkeys(f.target.party for f in r.fair_stakes if f.target.reported is not None))
    # Those the change leaves worse off come first: they are what the question is about.
    parties.sort(key=lambda p: comp.transfers[p].change if p in comp.transfers else 0.0)
    out = []
    lead = "On the projection of the company's profits (an assumption throughout, not a reported figure), "
    losers = []
    for party in parties:
        name = names.get(party, party)
        t = comp.transfers.get(party)
        total = next((f for f in r.fair_stakes if f.target.party == party and f.target.basis == "total"), None)
        main = _primary(r, party)
        if main is None or main.result.stake is None or t is None:
            continue
        rg = ranges.get(main.target.title)
        between = (f" ({percent(rg['low'], 0)} to {percent(rg['high'], 0)} as the main assumptions move one at a "
                   f"time)" if rg is not None and r.sensitivity is not None else "")
        rep = main.target.reported
        if main is total:
            out.append(f"{lead}{name} gave up a position worth about {approx(main.result.target)} today for its "
                       f"reported {percent(rep, 0)} stake and whatever else it receives after the change, worth "
                       f"about {approx(t.after)}: a fair exchange would have been about "
                       f"{percent(main.result.stake, 0)} of the company{between}.")
            if rep is not None and main.result.stake > rep:
                losers.append((party, name, rep))
        else:
            ahead = ""
            if total is not None and total.result.bound == "lower":
                ahead = (f"{lead if not out else ''}{name} comes out ahead whatever its stake, because its "
                         f"contracts alone are worth more after the change (about {approx(total.result.achieved)}) "
                         f"than its whole position before (about {approx(total.result.target)}); ")
                out.append(f"{ahead}for its profit claims alone a fair stake would have been about "
                           f"{percent(main.result.stake, 0)}{between}, against {percent(rep, 0)} reported.")
            else:
                out.append(f"{lead if not out else ''}for its profit claims alone, {name}'s fair stake would have "
                           f"been about {percent(main.result.stake, 0)}{between}, against {percent(rep, 0)} reported.")
        lead = ""
    for party, name, rep in losers[:1]:
        be = next((b for b in r.breakeven if b.target.party == party and b.target.basis == "total"), None)
        said = []
        for b in be.levers if be is not None else []:
            if not b.is_root or b.value is None:
                continue
            if b.lever.key == "caps":
                said.append(f"that every profit cap was about {b.value:.0f} times as large as reported")
            elif b.lever.key == "cap_growth":
                said.append(f"that every profit cap grew about {b.value:.0%} a year from the year of the change")
            elif b.lever.key == "value":
                said.append(f"that the conversion made the company about {b.value:.1f} times as valuable")
            elif b.lever.key == "static":
                said.append(f"that the old structure should be read as one payout of the company at "
                            f"{approx(b.value)}, with nothing paid over time")
        if said:
            out.append(f"For {percent(rep, 0)} to be fair to {name}, one would have to believe "
                       + ", or ".join(said) + ".")
    worst = max((f.result.stake_se or 0.0 for f in r.fair_stakes), default=0.0)
    caps = any(b.lever.key == "caps" for x in r.breakeven for b in x.levers)
    top = [h for h, slope in r.curve_before.slope_after.items() if slope == 1]
    residual = names.get(r.mapping.get(top[0], top[0]), top[0]) if len(top) == 1 else "the holder of the residual"
    caveat = ("The main caveat: these figures read the profit caps as fixed dollar amounts, paid out of profits "
              f"over many years and discounted; larger or growing caps would move value from {residual} to the "
              "investors (the break-even table shows how much). " if caps else
              "The main caveat: the projection drives every figure. ")
    out.append(caveat + f"The simulation's own error is small (under {max(worst, 0.001) * 100:.1f} percentage "
               f"points on any fair stake); the assumptions matter far more.")
    return " ".join(out)


def key_points(r: Restructuring) -> list[str]:
    """Short findings under the first paragraph: control, and who gains and loses."""
    comp = r.comparison
    names = _names(r)
    out = []
    cs = r.control_summary()
    for key, label in (("before", "Before the change"), ("after", "After it")):
        c = cs[key]
        who = names.get(c["ultimate_controller"], "nobody") if c["ultimate_controller"] else "nobody"
        via = [names.get(x, x) for x in reversed(c["chain"][1:-1])]
        through = f" through {', then '.join(via)}" if via else ""
        out.append(f"{label}, {who} controls {names.get(c['entity'], c['entity'])}{through}.")
    for p, t in sorted(comp.transfers.items(), key=lambda kv: kv[1].change):
        if abs(t.change) > 2 * t.change_se and t.change != 0:
            verb = "gains" if t.change > 0 else "loses"
            out.append(f"{names.get(p, p)} {verb} about {approx(abs(t.change))} in value today: "
                       f"{approx(t.before)} before, {approx(t.after)} after.")
    if r.branches is not None:
        for p, b in r.branches.parties.items():
            if abs(b.fails_less_before.value) > 2 * b.fails_less_before.standard_error and b.before.value:
                verb = "more" if b.fails_less_before.value > 0 else "less"
                out.append(f"Had the conversion failed, {names.get(p, p)} would have had about "
                           f"{approx(abs(b.fails_less_before.value))} {verb} than in the old structure as it stood "
                           f"({approx(b.fails.value)}).")
    return out


def render(r: Restructuring) -> str:
    """The whole report as one HTML document."""
    from plotly.offline import get_plotlyjs

    from .. import __version__

    env = Environment(autoescape=True)
    env.globals.update(money=money, approx=approx, percent=percent, show_value=show_value)
    text = (resources.files("stakeflow") / "data" / "templates" / "report.html.j2").read_text(encoding="utf-8")
    template = env.from_string(text)
    parties = list(dict.fromkeys([*r.payouts.after, *r.payouts.before]))
    sections = [(k, v) for k, v in SECTIONS if k != "sensitivity" or r.sensitivity is not None]
    levers = list(dict.fromkeys(b.lever.key for x in r.breakeven for b in x.levers))
    lever_labels = {b.lever.key: b.lever.label for x in r.breakeven for b in x.levers}
    return template.render(
        r=r, figs=figures(r), first=first_paragraph(r), points=key_points(r), plotly_js=Markup(get_plotlyjs()),
        version=__version__, generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), sections=sections,
        payout_parties=parties, names=_names(r),
        controls=[("Before", r.control_before, r.before), ("After", r.control_after, r.after)],
        tornado_rows=r.tornado_rows(), contracts=r.contracts_value(), calibration=r.calibration(),
        levers=levers, lever_labels=lever_labels, fair_index={id(f): i for i, f in enumerate(r.fair_stakes)},
        value_rows=[(p, t) for p, t in r.comparison.transfers.items() if t.before or t.after],
        ranges=r.stake_ranges(), failed_sources=_failed_sources(r),
    )


def _failed_sources(r: Restructuring) -> list[tuple[str, str]]:
    """The sources of the contracts that failure of the conversion triggers, by field path."""
    if r.branches is None:
        return []
    ids = {c.id for c in r.branches.triggered}
    return [(p, s) for p, s in r.branches.fails.sources.items()
            if p.startswith("contracts[") and p[len("contracts["):].split("]")[0] in ids]


SECTIONS = [("summary", "Summary"), ("breakeven", "What would make it fair"), ("values", "Who gains"),
            ("fair-stakes", "Fair stakes"), ("no-conversion", "If it had failed"), ("estimates", "Other estimates"),
            ("calibration", "Calibration"), ("governance", "Governance"), ("payouts", "Payouts"),
            ("contracts", "Contracts"), ("projection", "Projection"), ("sensitivity", "Sensitivity"),
            ("appendix", "Appendix")]
"""The report's sections, in order: id and the title in the page's navigation."""


def write_report(r: Restructuring, path: str | Path) -> Path:
    """Write the report to ``path`` atomically (never a half-written file); returns the path."""
    out = Path(path)
    write_text(out, render(r))
    return out


__all__ = ["SECTIONS", "approx", "figures", "first_paragraph", "key_points", "money", "payoff_figure", "percent",
           "render", "stake_value_figure", "static_figure", "timeline_figure", "tornado_figure", "transfer_figure",
           "write_report"]
