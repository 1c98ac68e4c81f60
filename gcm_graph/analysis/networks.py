"""The network drawings: the objective–target graph and the objective projection."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import networkx as nx
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke

from .figures import figure_style, goal_handles, objective_row_label, save, sorted_objectives
from .graphs import OBJECTIVE_COLOUR
from .layout import Point, clockwise_from_top, cos_sin, polar, snap
from .metrics import sorted_nodes
from .rings import ring_layout

COMMUNITY_COLOURS = (
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#E377C2",
    "#BCBD22",
    "#17BECF",
    "#7F7F7F",
)


def _draw_edges(ax, graph: nx.Graph, pos: dict, widths: list[float], colours: list) -> None:
    segments = [(pos[u], pos[v]) for u, v in graph.edges]
    ax.add_collection(LineCollection(segments, linewidths=widths, colors=colours, zorder=1))


def target_network(objective_target: nx.Graph, out_dir: Path) -> list[Path]:
    """The bipartite objective–target graph as rings: objectives grouped by community on one
    ring, the targets only one objective lists just outside it, shared targets inside, the
    more objectives share them the nearer the centre; targets in their SDG colour."""
    with figure_style():
        pos, turns = ring_layout(objective_target)
        figure = Figure(figsize=(16, 12))
        ax = figure.add_axes((0.0, 0.03, 0.68, 0.91))
        key = figure.add_axes((0.685, 0.03, 0.31, 0.91))
        edges = [(u, v) for u, v in objective_target.edges]
        colours = [_edge_colour(objective_target, u, v) for u, v in edges]
        _draw_edges(ax, objective_target, pos, [0.7] * len(edges), colours)
        for kind, marker in (("objective", "s"), ("target", "o")):
            nodes = [
                n
                for n in sorted_nodes(objective_target)
                if objective_target.nodes[n]["kind"] == kind
            ]
            ax.scatter(
                [pos[n][0] for n in nodes],
                [pos[n][1] for n in nodes],
                s=[_node_area(objective_target, n) for n in nodes],
                c=[objective_target.nodes[n]["colour"] for n in nodes],
                marker=marker,
                edgecolors="white",
                linewidths=0.8,
                zorder=2,
            )
        for node, data in objective_target.nodes(data=True):
            if data["kind"] == "objective":
                ax.text(
                    *pos[node],
                    str(data["number"]),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white",
                    fontweight="bold",
                    zorder=3,
                )
            else:
                _radial_label(
                    ax, pos[node], turns[node], data["code"], _node_area(objective_target, node)
                )
        ax.set_xlim(-1.12, 1.12)
        ax.set_ylim(-1.12, 1.12)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title("GCM objectives and the SDG targets the implementation booklet lists for them")
        _target_key(key, objective_target)
        _note_isolated(figure, objective_target)
    return save(figure, out_dir, "network-objectives-targets")


def _node_area(graph: nx.Graph, node: str) -> int:
    base = 170 if graph.nodes[node]["kind"] == "objective" else 60
    return base + 22 * graph.degree(node)


def _edge_colour(graph: nx.Graph, u: str, v: str) -> tuple[float, float, float, float]:
    """The target's SDG colour, faint: the links of one goal read as one bundle."""
    target = v if graph.nodes[v]["kind"] == "target" else u
    red, green, blue = (int(graph.nodes[target]["colour"][i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (red, green, blue, 0.4)


def _radial_label(ax, xy: Point, turn: Fraction, text: str, area: int) -> None:
    """A target's code beside its node, on the side away from the centre, never rotated."""
    cos, sin = cos_sin(turn)
    distance = 3 + Fraction(round(area**0.5 * 32), 64)  # the marker's half width, in points
    ha = "left" if cos > Fraction(1, 5) else "right" if cos < Fraction(-1, 5) else "center"
    va = "bottom" if sin > Fraction(1, 5) else "top" if sin < Fraction(-1, 5) else "center"
    ax.annotate(
        text,
        xy,
        xytext=(float(snap(cos * distance)), float(snap(sin * distance))),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=7.5,
        zorder=4,
        path_effects=[withStroke(linewidth=2.5, foreground="white")],
    )


def _target_key(ax, graph: nx.Graph) -> None:
    """The legend (marker kinds, SDG colours, rings) and the objectives' titles."""
    ax.set_axis_off()
    handles = [
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            markersize=10,
            color=OBJECTIVE_COLOUR,
            label="GCM objective (number)",
        )
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=8,
            color=p.get_facecolor(),
            label=f"target of {p.get_label()}",
        )
        for p in goal_handles(graph)
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        frameon=False,
        fontsize=8,
        title="node size: number of links",
        title_fontsize=8.5,
        alignment="left",
    )
    _objective_key(ax, graph, top=0.62, height=0.52)
    notes = (
        "Outer ring: the targets only one objective lists, beside it.",
        "Inner rings: the targets several objectives list, the more",
        "objectives, the nearer the centre. Objectives are grouped",
        "by Louvain community (clockwise from the top).",
    )
    for i, line in enumerate(notes):
        ax.text(0.0, 0.06 - i * 0.018, line, fontsize=8, va="top", transform=ax.transAxes)


def _note_isolated(figure: Figure, graph: nx.Graph) -> None:
    isolated = [graph.nodes[n]["number"] for n in sorted_objectives(graph) if graph.degree(n) == 0]
    if isolated:
        listed = ", ".join(map(str, isolated))
        figure.text(
            0.01,
            0.005,
            f"Objectives without a listed target: {listed} (the booklet says all "
            "SDGs are relevant to them; not expanded).",
            fontsize=8,
        )


def projection_network(projection: nx.Graph, out_dir: Path) -> list[Path]:
    """Objectives on a circle grouped by Louvain community; edge width = shared targets."""
    with figure_style():
        objectives = sorted(
            sorted_objectives(projection),
            key=lambda n: (projection.nodes[n]["community"], projection.nodes[n]["number"]),
        )
        pos = {
            n: polar(clockwise_from_top(Fraction(i, len(objectives))), Fraction(1))
            for i, n in enumerate(objectives)
        }
        figure = Figure(figsize=(15, 10), layout="constrained")
        ax, key = figure.subplots(1, 2, width_ratios=(1.35, 1))
        _objective_key(key, projection)
        weights = [projection.edges[e]["weight"] for e in projection.edges]
        top = max(weights, default=1)
        _draw_edges(
            ax, projection, pos, [_width(w, top) for w in weights], [_grey(w, top) for w in weights]
        )
        colours = [_community_colour(projection.nodes[n]["community"]) for n in objectives]
        sizes = [300 + 25 * projection.nodes[n]["weighted_degree"] for n in objectives]
        ax.scatter(
            [pos[n][0] for n in objectives],
            [pos[n][1] for n in objectives],
            s=sizes,
            c=colours,
            edgecolors="white",
            linewidths=1,
            zorder=2,
        )
        for node in objectives:
            data = projection.nodes[node]
            x, y = pos[node]
            ax.text(
                x,
                y,
                str(data["number"]),
                ha="center",
                va="center",
                fontsize=9,
                color="white",
                fontweight="bold",
                zorder=3,
            )
        ax.set_xlim(-1.2, 1.2)
        ax.set_ylim(-1.2, 1.2)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title("GCM objectives linked by the SDG targets they share (Louvain communities)")
        communities = sorted({projection.nodes[n]["community"] for n in objectives})
        handles = [
            Patch(color=_community_colour(c), label=_community_label(projection, objectives, c))
            for c in communities
        ]
        handles += [
            Line2D(
                [], [], color=_grey(w, top), linewidth=_width(w, top), label=f"{w} shared target(s)"
            )
            for w in sorted({1, max(1, top // 2), top})
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=2,
            frameon=False,
            fontsize=8.5,
        )
    return save(figure, out_dir, "network-objective-projection")


def _objective_key(ax, graph: nx.Graph, top: float = 1.0, height: float = 1.0) -> None:
    """The objectives' titles, one a line, beside a drawing that shows only their numbers:
    from `top` down over `height` (axes fractions)."""
    ax.set_axis_off()
    rows = [objective_row_label(graph.nodes[n]) for n in sorted_objectives(graph)]
    step = height / max(len(rows), 25)
    for i, row in enumerate(rows):
        ax.text(
            0.0,
            top - i * step,
            row,
            fontsize=8.5,
            va="top",
            ha="left",
            transform=ax.transAxes,
            family="DejaVu Sans",
        )
    if any(graph.nodes[n].get("all_goals") for n in graph):
        ax.text(
            0.0,
            top - (len(rows) + 0.5) * step,
            "* the booklet: all SDGs are relevant",
            fontsize=8,
            va="top",
            transform=ax.transAxes,
            style="italic",
        )


def _width(weight: int, top: int) -> float:
    return 0.3 + 3.5 * weight / top


def _grey(weight: int, top: int) -> tuple[float, float, float, float]:
    """Darker and more opaque for more shared targets: single shared targets stay in the back."""
    return (0.25, 0.25, 0.25, 0.08 + 0.8 * (weight / top) ** 1.5)


def _community_label(graph: nx.Graph, objectives: list[str], community: int) -> str:
    numbers = [
        str(graph.nodes[n]["number"])
        for n in objectives
        if graph.nodes[n]["community"] == community
    ]
    noun = "objective" if len(numbers) == 1 else "objectives"
    return f"community {community}: {noun} " + ", ".join(numbers)


def _community_colour(number: int) -> str:
    return COMMUNITY_COLOURS[(number - 1) % len(COMMUNITY_COLOURS)]
