"""The exact network layouts: integer trigonometry, the mean on a circle, spreading, and the
rings of the objective–target drawing (on the hand-made release of test_analysis)."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_analysis import write_hand_release

from gcm_graph.analysis import annotate, load_release, objective_target_graph
from gcm_graph.analysis.layout import (
    GRID,
    circular_centre,
    clockwise_from_top,
    cos_sin,
    polar,
    spread_on_circle,
    spread_on_line,
)
from gcm_graph.analysis.rings import (
    RING_OBJECTIVES,
    RING_OWN_TARGETS,
    RING_SHARED,
    ring_layout,
)

turns = st.fractions(min_value=-3, max_value=3, max_denominator=10_000)


def arc(a: Fraction, b: Fraction) -> Fraction:
    """The distance between two turns along the circle."""
    d = (a - b) % 1
    return min(d, 1 - d)


@given(turns)
def test_cos_sin_are_within_half_a_grid_step_and_on_the_grid(turn: Fraction) -> None:
    cos, sin = cos_sin(turn)
    angle = 2 * math.pi * float(turn % 1)
    assert abs(float(cos) - math.cos(angle)) <= 0.5 / GRID + 1e-12
    assert abs(float(sin) - math.sin(angle)) <= 0.5 / GRID + 1e-12
    assert (cos * GRID).denominator == 1 and (sin * GRID).denominator == 1


def test_exact_angles_give_exact_points() -> None:
    assert cos_sin(Fraction(0)) == (1, 0)
    assert cos_sin(Fraction(1, 4)) == (0, 1)
    assert cos_sin(Fraction(1, 2)) == (-1, 0)
    assert cos_sin(Fraction(-1, 4)) == (0, -1)
    assert polar(clockwise_from_top(Fraction(1, 4)), Fraction(2)) == (2.0, 0.0)
    x, y = polar(Fraction(1, 12), Fraction(1))  # 30°: (√3/2, 1/2)
    assert y == 0.5 and abs(x - math.sqrt(3) / 2) <= 0.5 / GRID


def test_the_mean_on_the_circle_crosses_the_cut() -> None:
    assert circular_centre([Fraction(9, 10), Fraction(1, 10)]) == 0
    assert circular_centre([Fraction(1, 10), Fraction(2, 10), Fraction(6, 10)]) == Fraction(3, 10)
    assert circular_centre([Fraction(3, 4)]) == Fraction(3, 4)


@given(st.lists(st.fractions(min_value=0, max_value=1, max_denominator=500), max_size=30))
def test_spread_on_line_keeps_order_and_gap_and_moves_no_more_than_needed(desired) -> None:
    desired = sorted(desired)
    gap = Fraction(1, 40)
    placed = spread_on_line(desired, gap)
    assert all(b - a >= gap for a, b in itertools.pairwise(placed))
    if all(b - a >= gap for a, b in itertools.pairwise(desired)):
        assert placed == desired
    assert sum(placed) == sum(desired)  # least squares under the gaps: the mean stays


@given(st.dictionaries(st.text(min_size=1, max_size=3), turns, max_size=40))
def test_spread_on_circle_keeps_every_pair_apart(desired) -> None:
    gap = Fraction(1, 30)
    placed = spread_on_circle(desired, gap)
    assert placed.keys() == desired.keys()
    least = min(gap, Fraction(1, len(desired))) if desired else gap
    values = list(placed.values())
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            assert arc(a, b) >= least


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory):
    store = load_release(write_hand_release(tmp_path_factory.mktemp("layout")))
    graph = objective_target_graph(store)
    annotate(graph)
    return graph, *ring_layout(graph)


def radius(point: tuple[float, float]) -> float:
    return math.hypot(*point)


def test_objectives_on_their_ring_own_targets_outside_shared_ones_inside(drawn) -> None:
    graph, pos, _turns = drawn
    for node, data in graph.nodes(data=True):
        if data["kind"] == "objective" and graph.degree(node):
            assert radius(pos[node]) == pytest.approx(float(RING_OBJECTIVES), abs=1e-4)
        elif data["kind"] == "target" and graph.degree(node) == 1:
            assert radius(pos[node]) == pytest.approx(float(RING_OWN_TARGETS), abs=1e-4)
        elif data["kind"] == "target":
            assert min(abs(radius(pos[node]) - float(r)) for r in RING_SHARED) < 1e-4
            assert radius(pos[node]) < float(RING_OBJECTIVES)


def test_a_target_one_objective_lists_sits_beside_it(drawn) -> None:
    graph, _pos, turns = drawn
    for node, data in graph.nodes(data=True):
        if data["kind"] == "target" and graph.degree(node) == 1:
            (objective,) = graph[node]
            assert arc(turns[node], turns[objective]) < Fraction(1, 8), data["code"]


def test_every_coordinate_is_on_the_grid(drawn) -> None:
    _graph, pos, _turns = drawn
    for x, y in pos.values():
        assert (x * GRID).is_integer() and (y * GRID).is_integer()


def test_isolated_objectives_are_off_the_rings(drawn) -> None:
    graph, pos, _turns = drawn
    isolated = [n for n in graph if not graph.degree(n)]
    assert isolated  # objective 4 of the hand-made release lists no target
    assert all(radius(pos[n]) > float(RING_OWN_TARGETS) for n in isolated)
