"""Governance and control (SPEC §6).

An entity is controlled by the claimant that appoints a majority of its board seats (more
than half of all seats, vacant or independent seats included); with no board given, by the
claimant that holds a majority of its votes (``votes_per_share × shares``, summed over the
claimant's holdings of every class); otherwise it has no controller. The ultimate controller
follows control up through entities: the controller's own ultimate controller when the
controller is a controlled entity, else the controller itself.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from ..scenario.models import Entity, Scenario
from ..scenario.validate import children

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

Basis = Literal["board", "votes", "none"]


@dataclass(frozen=True)
class ControlFinding:
    """Who controls one entity, on what basis, and with what weight.

    ``weights`` maps each claimant to its fraction of the board seats (basis ``board``) or of
    the votes (basis ``votes``); ``chain`` is the path of control from the entity up to its
    ultimate controller.
    """

    entity: str
    controller: str | None
    ultimate_controller: str | None
    basis: Basis
    weights: dict[str, Fraction] = field(default_factory=dict)
    chain: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"controller": self.controller, "ultimate_controller": self.ultimate_controller, "basis": self.basis}


@dataclass(frozen=True)
class ControlResult:
    """Control findings for every entity of a scenario."""

    entities: dict[str, ControlFinding]

    def to_json(self) -> dict[str, Any]:
        """The JSON document of SPEC §7 (``stakeflow control --json``)."""
        return {"entities": {k: v.to_json() for k, v in self.entities.items()}}

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "entity": f.entity,
                "controller": f.controller,
                "ultimate_controller": f.ultimate_controller,
                "basis": f.basis,
                "controller_weight": float(f.weights.get(f.controller, 0)) if f.controller else None,
                "chain": " -> ".join(f.chain),
            }
            for f in self.entities.values()
        ]
        return pd.DataFrame(rows).set_index("entity")

    def _repr_html_(self) -> str:
        return str(self.to_frame().to_html())


def _weights(ent: Entity) -> tuple[Basis, dict[str, Fraction]]:
    """Each claimant's fraction of the seats (with a board) or of the votes (without one)."""
    if ent.governance is not None and ent.governance.board is not None:
        board = ent.governance.board
        seats: dict[str, Fraction] = {}
        for ap in board.appointed_by:
            seats[ap.claimant] = seats.get(ap.claimant, Fraction(0)) + Fraction(ap.seats, board.seats)
        return "board", seats
    if not ent.classes:
        return "none", {}
    votes: dict[str, Fraction] = {}
    for h in ent.holdings or ():
        v = ent.stock_class(h.class_).votes * h.shares
        if v:
            votes[h.holder] = votes.get(h.holder, Fraction(0)) + v
    total = sum(votes.values(), Fraction(0))
    if total == 0:
        return "none", {}
    return "votes", {k: v / total for k, v in votes.items()}


def analyze_control(sc: Scenario) -> ControlResult:
    """Find the controller and ultimate controller of every entity of ``sc``."""
    direct: dict[str, tuple[str | None, Basis, dict[str, Fraction]]] = {}
    for ent in sc.entities:
        basis, weights = _weights(ent)
        controller = next((k for k, w in weights.items() if w > Fraction(1, 2)), None)
        direct[ent.id] = (controller, basis if controller is not None else "none", weights)

    findings: dict[str, ControlFinding] = {}
    for ent in sc.entities:
        controller, basis, weights = direct[ent.id]
        chain = [ent.id]
        node = controller
        ultimate = None
        while node is not None:
            chain.append(node)
            ultimate = node
            up = direct.get(node, (None, "none", {}))[0]
            if up is None or up in chain:  # a control loop ends where it would repeat
                break
            node = up
        findings[ent.id] = ControlFinding(ent.id, controller, ultimate, basis, weights, chain)
    return ControlResult(findings)


def _ownership_edges(sc: Scenario) -> list[tuple[str, str, str]]:
    """(owner, entity, label) for every claim on an entity: its share of the issued stock (common
    and preferred, as held), its other instruments by kind, or a share in a tier program."""
    edges: list[tuple[str, str, str]] = []
    for ent in sc.entities:
        if ent.classes:
            classes = {c.id: c for c in ent.classes}
            stock = {h.holder: Fraction(0) for h in ent.holdings or ()}
            other: dict[str, list[str]] = {}
            for h in ent.holdings or ():
                c = classes[h.class_]
                if c.is_stock:
                    stock[h.holder] += h.shares
                elif c.kind not in other.setdefault(h.holder, []):
                    other[h.holder].append(c.kind)
            total = sum(stock.values(), Fraction(0))
            for k, v in stock.items():
                parts = [f"{float(v / total):.1%} of stock"] if v and total else []
                parts += [f"{kind}s" for kind in other.get(k, ())]
                edges.append((k, ent.id, ", ".join(parts)))
        if ent.distribution:
            edges.extend((k, ent.id, "profit tiers") for k in children(ent))
    return edges


CROWDED = 10
"""More nodes than this in a row of the diagram, or edges into one node, and labels crowd."""


def _wrap(text: str, width: int = 18) -> str:
    """Break a long name over lines so that neighbouring nodes' labels stay apart."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def control_figure(sc: Scenario, result: ControlResult | None = None) -> go.Figure:
    """A diagram of ownership (grey, owner above what it owns) and control (red) edges."""
    import plotly.graph_objects as go

    result = result or analyze_control(sc)
    own = _ownership_edges(sc)
    ctrl = [(f.controller, f.entity) for f in result.entities.values() if f.controller is not None]
    nodes = list(dict.fromkeys([*sc.holder_ids, *sc.entity_ids]))
    above: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b, _ in own:
        above[b].add(a)
    for a, b in ctrl:
        above[b].add(a)
    rank: dict[str, int] = {}

    def rank_of(n: str, path: tuple[str, ...] = ()) -> int:
        if n not in rank:
            ups = [u for u in above.get(n, ()) if u not in path]
            rank[n] = 1 + max((rank_of(u, (*path, n)) for u in ups), default=-1)
        return rank[n]

    for n in nodes:
        rank_of(n)
    layers: dict[int, list[str]] = {}
    for n in nodes:
        layers.setdefault(rank[n], []).append(n)
    pos: dict[str, tuple[float, float]] = {}
    for r in sorted(layers):
        members = layers[r]
        if r == 0:
            xs = {n: (i + 1) / (len(members) + 1) for i, n in enumerate(members)}
        else:
            # Each node under the middle of what stands above it, then spread to keep labels apart.
            xs = {n: sum(pos[u][0] for u in above[n] if u in pos) / max(1, len([u for u in above[n] if u in pos]))
                  for n in members}
            order = sorted(members, key=lambda n: xs[n])
            gap = min(0.25, 0.9 / max(1, len(order)))
            for a, b in itertools.pairwise(order):
                xs[b] = max(xs[b], xs[a] + gap)
            shift = max(0.0, xs[order[-1]] - 0.95)
            xs = {n: x - shift for n, x in xs.items()}
        for n in members:
            pos[n] = (xs[n], -float(r))

    fig = go.Figure()
    # With many edges into one entity their labels would pile up on each other: they are then
    # shown when hovering over the owner instead.
    into = Counter(b for _, b, _ in own)
    held: dict[str, list[str]] = {}
    for i, (a, b, label) in enumerate(own):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        at = 0.25 + 0.2 * (i % 2)  # staggered so that neighbouring labels do not overlap
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=2, arrowwidth=1, arrowcolor="#999", standoff=14, text="")
        held.setdefault(a, []).append(f"{label} of {sc.display_name(b)}")
        if into[b] <= CROWDED:
            fig.add_annotation(x=x0 + at * (x1 - x0), y=y0 + at * (y1 - y0), text=label, showarrow=False,
                               font={"size": 10, "color": "#666"}, bgcolor="rgba(255,255,255,0.7)")
    for a, b in ctrl:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        fig.add_annotation(x=x1, y=y1, ax=x0 + 0.015, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowwidth=3, arrowcolor="#c0392b", standoff=14,
                           text="")
    entity_ids = set(sc.entity_ids)
    for group, color, symbol in (("entities", "#2c3e50", "square"), ("holders", "#2980b9", "circle")):
        members = [n for n in nodes if (n in entity_ids) == (group == "entities")]
        hover = []
        for n in members:
            f = result.entities.get(n)
            hover.append("<br>".join([sc.display_name(n), *held.get(n, ()),
                                      *([f"controlled by {f.controller} ({f.basis})"] if f and f.controller else [])]))
        # In a crowded layer, labels alternate above and below their nodes.
        where = [("bottom center" if len(layers[rank[n]]) > CROWDED and layers[rank[n]].index(n) % 2
                  else "top center") for n in members]
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in members], y=[pos[n][1] for n in members], mode="markers+text",
            marker={"size": 26, "color": color, "symbol": symbol}, text=[_wrap(sc.display_name(n)) for n in members],
            textposition=where, hovertext=hover, hoverinfo="text", name=group))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"color": "#c0392b", "width": 3},
                             name="control"))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"color": "#999", "width": 1},
                             name="ownership / claim"))
    fig.update_layout(title=f"Ownership and control: {sc.name or ''}".rstrip(": "), template="plotly_white",
                      xaxis={"visible": False, "range": [-0.05, 1.05]},
                      yaxis={"visible": False, "range": [-max(layers, default=0) - 0.25, 0.5]},
                      height=200 + 140 * len(layers), margin={"l": 20, "r": 20, "t": 60, "b": 20})
    return fig
