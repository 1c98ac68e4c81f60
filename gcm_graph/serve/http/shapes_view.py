"""The SHACL shapes as tables a reader can scan: per file, each node shape with what it applies
to, its node-level constraints, and one row per property shape (path, count, value constraints,
message). The Turtle stays downloadable; this is only its presentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
SKIPPED = {SH.path, SH.message, SH.minCount, SH.maxCount, SH.name, SH.description, RDF.type}
NODE_SKIPPED = SKIPPED | {SH.property, *TARGETS, SH.declare, SH.prefixes}


@dataclass
class PropertyRow:
    path: str
    count: str
    constraints: list[str]
    message: str


@dataclass
class ShapeView:
    name: str
    targets: list[str]
    constraints: list[str]
    properties: list[PropertyRow] = field(default_factory=list)


def _text(graph: Graph, node: object) -> str:
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        if (node, RDF.first, None) in graph:
            return "(" + " ".join(_text(graph, item) for item in Collection(graph, node)) + ")"
        if (node, SH.inversePath, None) in graph:
            return "^" + _text(graph, graph.value(node, SH.inversePath))
        if (node, SH.select, None) in graph:
            message = graph.value(node, SH.message)
            return f"SPARQL: {message}" if message else "SPARQL constraint"
        inner = [f"{_local(p)} {_text(graph, o)}" for p, o in sorted(graph.predicate_objects(node))]
        return "[" + "; ".join(inner) + "]"
    return str(node)


def _local(predicate: object) -> str:
    return str(predicate).rpartition("#")[2]


def _constraints(graph: Graph, node: object, skipped: set) -> list[str]:
    found = []
    for predicate, value in sorted(graph.predicate_objects(node)):
        if predicate in skipped:
            continue
        text = _text(graph, value)
        found.append(text if predicate == SH.sparql else f"{_local(predicate)} {text}")
    return found


def _count(graph: Graph, node: object) -> str:
    low, high = graph.value(node, SH.minCount), graph.value(node, SH.maxCount)
    if low is None and high is None:
        return ""
    return f"{low if low is not None else 0}..{high if high is not None else '*'}"


def shape_views(path: Path) -> list[ShapeView]:
    graph = Graph().parse(path, format="turtle")
    views = []
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        view = ShapeView(
            name=_text(graph, shape),
            targets=[
                f"{_local(t)} {_text(graph, v)}" for t in TARGETS for v in graph.objects(shape, t)
            ],
            constraints=_constraints(graph, shape, NODE_SKIPPED),
        )
        for prop in graph.objects(shape, SH.property):
            view.properties.append(
                PropertyRow(
                    path=_text(graph, graph.value(prop, SH.path)),
                    count=_count(graph, prop),
                    constraints=_constraints(graph, prop, SKIPPED),
                    message=str(graph.value(prop, SH.message) or ""),
                )
            )
        view.properties.sort(key=lambda row: (row.path, row.count, row.constraints))
        views.append(view)
    return views
