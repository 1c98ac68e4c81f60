"""The placement of the objective–target drawing: rings of objectives and targets, exact."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx

from .figures import sorted_objectives
from .layout import Point, circular_centre, clockwise_from_top, polar, snap, spread_on_circle
from .metrics import sorted_nodes

RING_OBJECTIVES = Fraction(4, 5)
RING_OWN_TARGETS = Fraction(1)
RING_SHARED = (Fraction(57, 100), Fraction(7, 20), Fraction(1, 8))
"""Targets shared by fewer than a quarter, than half, and by half or more of the objectives."""
OBJECTIVE_UNITS = 2
"""The least width of an objective's sector, in outer-ring targets."""


def ring_layout(graph: nx.Graph) -> tuple[dict[str, Point], dict[str, Fraction]]:
    """Positions (exact, see layout.py) and the turn of every node of the objective–target graph.

    The circle is cut into sectors, clockwise from the top: one per objective, community by
    community (an empty unit between communities), by number within one. A sector is as wide
    as the targets only its objective lists (at least OBJECTIVE_UNITS): they sit on the outer
    ring right outside it. Shared targets go on inner rings, the more objectives list them the
    nearer the centre, each at the mean turn of its objectives, spread so that neighbours keep
    apart. Objectives without a target go in a row below the rings."""
    objectives = [n for n in sorted_objectives(graph) if graph.degree(n)]
    isolated = [n for n in sorted_objectives(graph) if not graph.degree(n)]
    ordered = sorted(objectives, key=lambda n: graph.nodes[n]["community"])
    own = {o: [t for t in sorted_nodes(graph, graph[o]) if graph.degree(t) == 1] for o in ordered}
    starts: dict[str, int] = {}
    units = 0
    for i, node in enumerate(ordered):
        if i and graph.nodes[node]["community"] != graph.nodes[ordered[i - 1]]["community"]:
            units += 1
        starts[node] = units
        units += max(OBJECTIVE_UNITS, len(own[node]))
    if len({graph.nodes[n]["community"] for n in ordered}) > 1:
        units += 1
    turns: dict[str, Fraction] = {}
    for node in ordered:
        width = max(OBJECTIVE_UNITS, len(own[node]))
        turns[node] = clockwise_from_top(Fraction(2 * starts[node] + width, 2 * units))
        first = starts[node] + Fraction(width - len(own[node]), 2)
        for j, target in enumerate(own[node]):
            turns[target] = clockwise_from_top((first + j + Fraction(1, 2)) / units)
    pos = {n: polar(turns[n], RING_OBJECTIVES) for n in ordered}
    pos.update({t: polar(turns[t], RING_OWN_TARGETS) for ts in own.values() for t in ts})
    rings: dict[Fraction, dict[str, Fraction]] = {}
    for node in sorted_nodes(graph):
        if graph.nodes[node]["kind"] == "target" and graph.degree(node) > 1:
            radius = _target_ring(graph.degree(node), len(objectives))
            rings.setdefault(radius, {})[node] = circular_centre([turns[o] for o in graph[node]])
    for radius, desired in rings.items():
        spread = spread_on_circle(desired, _ring_gap(radius))
        turns.update(spread)
        pos.update({n: polar(t, radius) for n, t in spread.items()})
    for i, node in enumerate(isolated):
        pos[node] = (float(snap(Fraction(-1) + Fraction(i, 8))), -1.0)
        turns[node] = Fraction(3, 4)
    return pos, turns


def _target_ring(degree: int, objectives: int) -> Fraction:
    if degree == 1:
        return RING_OWN_TARGETS
    if 4 * degree < objectives:
        return RING_SHARED[0]
    return RING_SHARED[1] if 2 * degree < objectives else RING_SHARED[2]


def _ring_gap(radius: Fraction) -> Fraction:
    """The least turn between neighbours on a ring: about the same distance on every ring."""
    return Fraction(1, max(2, round(40 * radius)))
