"""The SHACL shapes bite: graphs that break the rules fail validation with a readable report."""

from __future__ import annotations

import dataclasses

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import DCTERMS

from gcm_graph.extract.objective_list import parse_objective_list
from gcm_graph.extract.records import Action, Objective, Resolution
from gcm_graph.extract.resolution import parse_resolution
from gcm_graph.model.base import SourceGraph, describe_source
from gcm_graph.model.resolution import add_resolution
from gcm_graph.release import merged_graph
from gcm_graph.validate import load_shapes, validate_graph
from gcm_graph.vocab import Iris

IRIS = Iris("https://w3id.org/gcm/")


@pytest.fixture(scope="module")
def resolution(sources):
    return parse_resolution(sources["resolution"])


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def graph_of(resolution: Resolution, source):
    dataset = Dataset()
    graph = SourceGraph(dataset, IRIS, source)
    describe_source(graph.graph, IRIS, source)
    add_resolution(graph, resolution)
    return merged_graph(dataset)


def test_the_resolution_graph_conforms(resolution, sources, shapes):
    result = validate_graph(graph_of(resolution, sources["resolution"]), shapes)
    assert result.conforms, result.text()


def test_a_graph_from_the_objective_list_fails_on_objective_20(resolution, sources, shapes):
    """Objectives and actions taken from the 004 list alone, in the resolution's frame."""
    listed = parse_objective_list(sources["objective-list"])
    objectives = tuple(
        dataclasses.replace(
            resolution.objective(item.number),
            title=item.title,
            actions=tuple(
                Action(item.number, a.letter, a.text, a.line, a.line) for a in item.actions
            ),
        )
        for item in listed
    )
    from_list = dataclasses.replace(resolution, objectives=objectives)
    result = validate_graph(graph_of(from_list, sources["objective-list"]), shapes)
    assert not result.conforms
    shared = [v for v in result.violations if "also the text of" in v.message]
    assert shared, result.text()
    offenders = " ".join(v.message for v in shared)
    assert "/objective/20/action/" in offenders and "/objective/2/action/" in offenders
    assert all("/objective/20/" in v.message or "/objective/2/" in v.message for v in shared)
    titles = [v for v in result.violations if "title is shared" in v.message]
    assert titles and "/objective/20" in titles[0].message


def without_action(objective: Objective, letter: str) -> Objective:
    return dataclasses.replace(
        objective, actions=tuple(a for a in objective.actions if a.letter != letter)
    )


def test_a_missing_action_letter_fails_contiguity(resolution, sources, shapes):
    objectives = list(resolution.objectives)
    objectives[4] = without_action(objectives[4], "c")  # Objective 5 loses (c)
    broken = dataclasses.replace(resolution, objectives=tuple(objectives))
    result = validate_graph(graph_of(broken, sources["resolution"]), shapes)
    assert not result.conforms
    messages = [v.message for v in result.violations]
    assert any("/objective/5" in m and "(d) has no preceding (c)" in m for m in messages), messages
    assert len(result.violations) == 1
    assert "(d) has no preceding (c)" in result.text()


def test_duplicate_objective_number_and_page_header_in_text(resolution, sources, shapes):
    graph = graph_of(resolution, sources["resolution"])
    action = IRIS.action(3, "a")
    graph.set(
        (action, DCTERMS.description, Literal("Launch a website 18-22354 11/36 now", lang="en"))
    )
    from gcm_graph.vocab import GCM

    graph.set((IRIS.objective(4), GCM.number, Literal(3)))
    result = validate_graph(graph, shapes)
    messages = " | ".join(v.message for v in result.violations)
    assert "PDF artefact" in messages
    assert "Objective number 3 is used by two objectives" in messages


def test_an_action_without_its_objective_fails(resolution, sources, shapes):
    from gcm_graph.vocab import GCM

    graph = graph_of(resolution, sources["resolution"])
    graph.remove((IRIS.action(9, "a"), GCM.objective, None))
    result = validate_graph(graph, shapes)
    assert not result.conforms
    assert any(v.focus.endswith("/objective/9/action/a") for v in result.violations)
