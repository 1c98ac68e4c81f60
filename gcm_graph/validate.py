"""SHACL validation of the graph with pyshacl, and a readable report of what failed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from .config import SHAPES_DIR
from .vocab import SH


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    shape: str
    severity: str


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: tuple[Violation, ...]
    report: Graph

    def text(self) -> str:
        """A readable report: one line per result, sorted, so that it is stable between runs."""
        if self.conforms:
            return "SHACL validation: the graph conforms to every shape.\n"
        lines = [f"SHACL validation failed: {len(self.violations)} result(s).", ""]
        for v in self.violations:
            where = f" {v.path}" if v.path else ""
            lines.append(f"{v.severity}: <{v.focus}>{where}: {v.message}  [shape {v.shape}]")
        return "\n".join(lines) + "\n"


def load_shapes(shapes_dir: Path = SHAPES_DIR) -> Graph:
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def validate_graph(data: Graph | Dataset, shapes: Graph) -> ValidationResult:
    """Validate without inference: the shapes state what the data must say explicitly.

    A Dataset is validated as the union of its graphs (pyshacl reads a multigraph with
    default_union), which is the release's merged graph: the build validates its dataset as
    it is, without copying its triples into a merged graph first (2 s). rdflib's memory store
    keeps one copy of a triple however many graphs hold it, so the union has no duplicates.

    inplace: with no inference pyshacl does not change the data graph, and its defensive copy
    of the ~30,000 triples took 0.7 s. The shapes are validated in their set-level form (see
    set_level_shapes).
    """
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=set_level_shapes(shapes),
        inference="none",
        inplace=True,
        abort_on_first=False,
        allow_warnings=False,
        advanced=True,
    )
    return ValidationResult(bool(conforms), tuple(_violations(report)), report)


TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
NESTING = (SH.node, SH["not"], SH.qualifiedValueShape)
NESTING_LISTS = (SH["and"], SH["or"], SH.xone)


def set_level_shapes(shapes: Graph) -> Graph:
    """The same shapes with each property shape of a targeted node shape given the node
    shape's targets itself, instead of hanging from it by sh:property.

    Both forms mean the same (SHACL 2.1 and 4.8.2: a property shape of a node shape is checked
    on each of its focus nodes, and reports that focus node, the path and the property shape as
    sh:sourceShape, which is what a targeted property shape reports). pyshacl, though, checks a
    sh:property once per focus node, building every constraint again for each of them (11,000
    times for 2,000 source spans); a targeted shape is checked once for all its focus nodes.
    Node shapes that other shapes use (sh:node, sh:not, sh:and, ...) keep their properties.
    """
    hoisted = Graph()
    for prefix, namespace in shapes.namespaces():
        hoisted.bind(prefix, namespace)
    for triple in shapes:
        hoisted.add(triple)
    used = {node for predicate in NESTING for node in shapes.objects(None, predicate)}
    for predicate in NESTING_LISTS:
        for head in shapes.objects(None, predicate):
            used.update(shapes.items(head))
    for shape in set(shapes.subjects(SH.property, None)):
        targets = [(p, o) for p in TARGETS for o in shapes.objects(shape, p)]
        if not targets or shape in used or (shape, SH.deactivated, None) in shapes:
            continue
        for property_shape in shapes.objects(shape, SH.property):
            hoisted.remove((shape, SH.property, property_shape))
            for predicate, target in targets:
                hoisted.add((property_shape, predicate, target))
    return hoisted


def _violations(report: Graph) -> list[Violation]:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        found.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=_short(report.value(result, SH.resultPath)),
                message=str(report.value(result, SH.resultMessage) or ""),
                shape=_short(shape) if isinstance(shape, URIRef) else "(anonymous)",
                severity=_short(report.value(result, SH.resultSeverity)),
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))


def _short(node: object) -> str:
    if node is None:
        return ""
    text = str(node)
    return text.rsplit("#", 1)[-1] if "#" in text else text
