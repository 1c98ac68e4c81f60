"""The network drawings: the objective–target graph and the objective projection."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
from matplotlib import rc_context
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke

from .figures import RC, goal_handles, objective_row_label, save, sorted_objectives
from .graphs import OBJECTIVE_COLOUR
from .metrics import SEED, sorted_nodes

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
    """The bipartite objective–target graph: objectives as squares, targets in their SDG colour."""
    with rc_context(RC):
        pos = network_layout(objective_target)
        figure = Figure(figsize=(14, 12), layout="constrained")
        ax = figure.add_subplot()
        edges = objective_target.number_of_edges()
        _draw_edges(ax, objective_target, pos, [0.6] * edges, [(0.33, 0.33, 0.33, 0.35)] * edges)
        for kind, marker in (("objective", "s"), ("target", "o")):
            nodes = [n for n in objective_target if objective_target.nodes[n]["kind"] == kind]
            xy = np.array([pos[n] for n in nodes]).reshape(-1, 2)
            base = 170 if kind == "objective" else 60
            sizes = [base + 22 * objective_target.degree(n) for n in nodes]
            colours = [objective_target.nodes[n]["colour"] for n in nodes]
            ax.scatter(
                xy[:, 0],
                xy[:, 1],
                s=sizes,
                c=colours,
                marker=marker,
                edgecolors="white",
                linewidths=0.8,
                zorder=2,
            )
        for node, data in objective_target.nodes(data=True):
            x, y = pos[node]
            if data["kind"] == "objective":
                ax.text(
                    x,
                    y,
                    str(data["number"]),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white",
                    fontweight="bold",
                    zorder=3,
                )
            else:
                ax.annotate(
                    data["code"],
                    (x, y),
                    xytext=(0, 7 + objective_target.degree(node) * 0.6),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7.5,
                    zorder=4,
                    path_effects=[withStroke(linewidth=2.5, foreground="white")],
                )
        ax.set_axis_off()
        ax.set_title("GCM objectives and the SDG targets the implementation booklet lists for them")
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
            for p in goal_handles(objective_target)
        ]
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=8,
            title="node size: number of links",
        )
        _note_isolated(figure, objective_target)
    return save(figure, out_dir, "network-objectives-targets")


def network_layout(graph: nx.Graph) -> dict[str, np.ndarray]:
    """Kamada–Kawai on the connected nodes (deterministic), refined by a seeded spring layout;
    isolated nodes in a row below, so that they do not squeeze the drawing."""
    isolated = [n for n in sorted_nodes(graph) if graph.degree(n) == 0]
    connected = graph.subgraph([n for n in sorted_nodes(graph) if graph.degree(n) > 0])
    start = nx.kamada_kawai_layout(connected, weight=None)
    pos = nx.spring_layout(connected, pos=start, seed=SEED, k=0.18, iterations=60)
    for i, node in enumerate(isolated):
        pos[node] = np.array([-0.9 + 0.12 * i, -1.1])
    return pos


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
    with rc_context(RC):
        objectives = sorted(
            sorted_objectives(projection),
            key=lambda n: (projection.nodes[n]["community"], projection.nodes[n]["number"]),
        )
        angles = np.linspace(np.pi / 2, np.pi / 2 - 2 * np.pi, len(objectives), endpoint=False)
        pos = {n: np.array([np.cos(a), np.sin(a)]) for n, a in zip(objectives, angles, strict=True)}
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
        xy = np.array([pos[n] for n in objectives])
        ax.scatter(
            xy[:, 0], xy[:, 1], s=sizes, c=colours, edgecolors="white", linewidths=1, zorder=2
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


def _objective_key(ax, graph: nx.Graph) -> None:
    """The objectives' titles, one a line, beside a drawing that shows only their numbers."""
    ax.set_axis_off()
    rows = [objective_row_label(graph.nodes[n]) for n in sorted_objectives(graph)]
    for i, row in enumerate(rows):
        ax.text(
            0.0,
            1.0 - i / max(len(rows), 25),
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
            1.0 - (len(rows) + 0.5) / max(len(rows), 25),
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
