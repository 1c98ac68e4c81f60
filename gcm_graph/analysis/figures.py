"""Figures of the analysis (PNG and SVG): two heatmaps here, two network drawings in networks.py.

Deterministic on every machine: matplotlib Figure objects (no pyplot, no global backend),
network layouts computed exactly (layout.py: no float iteration that a CPU or BLAS kernel could
steer), nodes in the graphs' stable order, and no timestamps — PNG without the Software tag,
SVG without a date and with a fixed hash salt for its element ids.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import matplotlib.style
import networkx as nx
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from PIL import Image

from .graphs import OBJECTIVE_COLOUR, SDG_COLOURS
from .metrics import sorted_nodes

DPI = 150
LABEL_COLOUR = "#1d232a"  # tick labels: dark text on white, whatever the SDG colour
RC = {
    "svg.hashsalt": "gcm-graph-analysis",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 12,
}


@contextmanager
def figure_style() -> Iterator[None]:
    """matplotlib's own defaults, not this machine's matplotlibrc, with RC on top."""
    with matplotlib.style.context("default"), matplotlib.rc_context(RC):
        yield


TITLE_CHARS = 58
FIGURES = {
    "heatmap-objectives-goals": {
        "title": "Objectives × SDGs: the number of targets of each goal the booklet lists",
        "graph": "objective-goal",
    },
    "heatmap-objectives-targets": {
        "title": "Objectives × SDG targets: which targets the booklet lists for each objective",
        "graph": "objective-target",
    },
    "network-objectives-targets": {
        "title": "The objective–target graph (objectives as squares, targets in their SDG colour)",
        "graph": "objective-target",
    },
    "network-objective-projection": {
        "title": "Objectives linked by the targets they share, coloured by Louvain community",
        "graph": "objective-projection",
    },
}
"""Every figure (file stem) with a caption and the graph it draws."""


def save(figure: Figure, out_dir: Path, stem: str) -> list[Path]:
    """`<stem>.png` and `<stem>.svg`, without timestamps.

    One Agg pass lays the figure out (if it has a layout engine) and renders the PNG; the SVG
    keeps that layout (savefig would lay the figure out again, in a pass of its own, for each
    file). The PNG is written as RGB (the figures are opaque) at a fast zlib level: a quarter
    of the bytes to compress, files smaller than matplotlib's RGBA at level 6.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    png, svg = out_dir / f"{stem}.png", out_dir / f"{stem}.svg"
    with figure_style():
        figure.set_dpi(DPI)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        figure.set_layout_engine(None)  # keep the positions; "none" would lay out again
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        image.convert("RGB").save(png, format="png", compress_level=PNG_LEVEL, dpi=(DPI, DPI))
        figure.savefig(svg, metadata={"Date": None})
    return [png, svg]


PNG_LEVEL = 2


def objective_row_label(data: dict) -> str:
    title = textwrap.shorten(data["name"], TITLE_CHARS, placeholder="…")
    star = " *" if data.get("all_goals") else ""
    return f"{data['number']:>2}  {title}{star}"


def sorted_objectives(graph: nx.Graph) -> list[str]:
    return [n for n in sorted_nodes(graph) if graph.nodes[n]["kind"] == "objective"]


def goal_heatmap(objective_goal: nx.Graph, goal_names: dict[int, str], out_dir: Path) -> list[Path]:
    """Objectives × the 17 goals; a cell = the objective's listed targets under the goal."""
    with figure_style():
        objectives = sorted_objectives(objective_goal)
        goals = sorted(goal_names)
        goal_node = {
            data["number"]: n
            for n, data in objective_goal.nodes(data=True)
            if data["kind"] == "goal"
        }
        matrix = np.zeros((len(objectives), len(goals)), dtype=int)
        for i, objective in enumerate(objectives):
            for j, goal in enumerate(goals):
                node = goal_node.get(goal)
                if node is not None and objective_goal.has_edge(objective, node):
                    matrix[i, j] = objective_goal.edges[objective, node]["weight"]
        figure = Figure(figsize=(12, 9.5), layout="constrained")
        ax = figure.add_subplot()
        cmap = LinearSegmentedColormap.from_list("counts", ["#FFFFFF", OBJECTIVE_COLOUR, "#00304A"])
        image = ax.imshow(matrix, cmap=cmap, vmin=0, vmax=max(1, int(matrix.max())), aspect="auto")
        for (i, j), value in np.ndenumerate(matrix):
            if value:
                colour = "white" if value > matrix.max() / 2 else "black"
                ax.text(j, i, str(value), ha="center", va="center", fontsize=8, color=colour)
        ax.set_yticks(range(len(objectives)))
        ax.set_yticklabels([objective_row_label(objective_goal.nodes[o]) for o in objectives])
        ax.set_xticks(range(len(goals)))
        ax.set_xticklabels([f"{g} {goal_names[g]}" for g in goals], rotation=55, ha="right")
        # Labels in dark text: several SDG colours (7 yellow, 11 orange, 6 cyan) are unreadable
        # on white; the goal's colour is the cells' and the legend's.
        for tick in ax.get_xticklabels():
            tick.set_color(LABEL_COLOUR)
            tick.set_fontweight("bold")
        cell_grid(ax, len(goals), len(objectives), "#DDDDDD")
        ax.set_title("GCM objectives × SDGs: SDG targets the implementation booklet lists")
        figure.colorbar(image, ax=ax, shrink=0.6, label="listed targets of the goal")
        figure.text(
            0.01,
            0.005,
            "* the booklet says all SDGs are relevant to the objective (not expanded into targets)",
            fontsize=8,
        )
    return save(figure, out_dir, "heatmap-objectives-goals")


def target_heatmap(objective_target: nx.Graph, out_dir: Path) -> list[Path]:
    """Objectives × listed targets; a filled cell (in the goal's colour) = listed."""
    with figure_style():
        objectives = sorted_objectives(objective_target)
        targets = [
            n
            for n in sorted_nodes(objective_target)
            if objective_target.nodes[n]["kind"] == "target"
        ]
        figure = Figure(figsize=(max(12, 0.24 * len(targets) + 6), 9), layout="constrained")
        ax = figure.add_subplot()
        cells = [
            (j, i, objective_target.nodes[target]["colour"])
            for j, target in enumerate(targets)
            for i, objective in enumerate(objectives)
            if objective_target.has_edge(objective, target)
        ]
        # one artist for all the cells (a patch each costs more to add and to draw)
        ax.add_collection(
            PatchCollection(
                [Rectangle((j - 0.45, i - 0.45), 0.9, 0.9) for j, i, _ in cells],
                color=[colour for *_, colour in cells],  # face and edge, as Rectangle(color=)
            )
        )
        ax.set_xlim(-0.5, len(targets) - 0.5)
        ax.set_ylim(len(objectives) - 0.5, -0.5)
        ax.set_yticks(range(len(objectives)))
        ax.set_yticklabels([objective_row_label(objective_target.nodes[o]) for o in objectives])
        ax.set_xticks(range(len(targets)))
        ax.set_xticklabels(
            [objective_target.nodes[t]["code"] for t in targets], rotation=90, fontsize=8
        )
        for tick in ax.get_xticklabels():  # dark text (see goal_heatmap): legible on white
            tick.set_color(LABEL_COLOUR)
        cell_grid(ax, len(targets), len(objectives), "#E5E5E5")
        ax.set_xlabel(
            "SDG target (the booklet lists it for the objective: filled, in the goal's colour)"
        )
        ax.set_title("GCM objectives × SDG targets listed in the implementation booklet")
        ax.legend(
            handles=goal_handles(objective_target),
            title="SDG",
            loc="upper left",
            bbox_to_anchor=(1.005, 1),
            fontsize=8,
            frameon=False,
        )
        figure.text(
            0.01,
            0.005,
            "Columns: the targets listed for at least one objective. * the booklet says all "
            "SDGs are relevant to the objective (not expanded into targets)",
            fontsize=8,
        )
    return save(figure, out_dir, "heatmap-objectives-targets")


def cell_grid(ax, columns: int, rows: int, colour: str) -> None:
    """Lines between the cells of a columns × rows matrix drawn at integer positions (two line
    collections: far cheaper to draw than a grid of minor ticks)."""
    ax.vlines([i - 0.5 for i in range(columns + 1)], -0.5, rows - 0.5, colors=colour, linewidth=0.5)
    ax.hlines([i - 0.5 for i in range(rows + 1)], -0.5, columns - 0.5, colors=colour, linewidth=0.5)


def goal_handles(graph: nx.Graph) -> list[Patch]:
    goals = sorted({data["goal"] for _, data in graph.nodes(data=True) if data.get("goal")})
    return [Patch(color=SDG_COLOURS[g], label=f"SDG {g}") for g in goals]
