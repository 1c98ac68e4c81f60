"""SHACL validation of the graph with pyshacl, and a readable report of what failed."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from .config import SHAPES_DIR
from .errors import GcmError
from .vocab import SH


class ShapesError(GcmError):
    """The SHACL shapes themselves are malformed, so nothing can be validated (bad input, exit 2):
    says which shapes file and what is wrong with it."""

    exit_code = 2


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


class Shapes(Graph):
    """The shapes of every file of a directory, merged; `files` keeps each file's own graph, so
    that a malformed shape can be traced to its file."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[Path, Graph] = {}


def load_shapes(shapes_dir: Path = SHAPES_DIR) -> Shapes:
    """Every *.ttl file of shapes_dir; ShapesError (file:line) if one is not valid Turtle."""
    shapes = Shapes()
    files = sorted(Path(shapes_dir).glob("*.ttl"))
    if not files:
        raise ShapesError(f"{shapes_dir}: no SHACL shapes (*.ttl) there")
    for path in files:
        try:
            graph = Graph().parse(path, format="turtle")
        except SyntaxError as error:  # rdflib's BadSyntax
            line = getattr(error, "lines", None)
            where = f"{path}:{line + 1}" if isinstance(line, int) else str(path)
            why = getattr(error, "_why", None) or str(error).splitlines()[0]
            raise ShapesError(f"{where}: not valid Turtle: {why}") from None
        shapes.files[path] = graph
        for prefix, namespace in graph.namespaces():
            shapes.bind(prefix, namespace, override=False)
        shapes += graph
    return shapes


def validate_graph(data: Graph | Dataset, shapes: Graph) -> ValidationResult:
    """Validate without inference: the shapes state what the data must say explicitly.

    A Dataset is validated as the union of its graphs (pyshacl reads a multigraph with
    default_union), which is the release's merged graph. rdflib's memory store keeps one copy
    of a triple however many graphs hold it, so the union has no duplicates. The build passes
    the merged graph, which it makes anyway for the JSON-LD and VoID files: a look-up in a
    plain graph is cheaper than in the union of a Dataset (validation: 12 % less CPU).

    inplace: with no inference pyshacl does not change the data graph, and its defensive copy
    of the ~30,000 triples took 0.7 s. The shapes are validated in their set-level form (see
    set_level_shapes). Raises ShapesError if a shape is malformed (pyshacl then raises, or
    returns its failure in place of a report).
    """
    problem = _shacl_failure(data, set_level_shapes(shapes))
    if isinstance(problem, str):
        raise ShapesError(_malformed_shapes(data, shapes, problem))
    conforms, report = problem
    return ValidationResult(conforms, tuple(_violations(report)), report)


def _shacl_failure(data: Graph, shapes: Graph) -> tuple[bool, Graph] | str:
    """(conforms, report), or what is wrong with the shapes. pyshacl prints and logs a failure
    before raising it: that goes nowhere, the error is reported once, by the caller."""
    try:
        with redirect_stdout(io.StringIO()), _pyshacl_log_silenced():
            conforms, report, _ = pyshacl.validate(
                data,
                shacl_graph=shapes,
                inference="none",
                inplace=True,
                abort_on_first=False,
                allow_warnings=False,
                advanced=True,
            )
    except Exception as error:  # pyshacl, rdflib's SPARQL parser, re: from the shapes
        return " ".join(str(error).split("\nFor reference")[0].split()) or type(error).__name__
    if not isinstance(report, Graph):  # pyshacl's ValidationFailure, returned as the report
        return " ".join(str(report).split()) or "validation failure"
    return bool(conforms), report


@contextmanager
def _pyshacl_log_silenced() -> Iterator[None]:
    log = logging.getLogger("pyshacl-validate")  # pyshacl gives it a stderr handler each call
    was = log.disabled
    log.disabled = True
    try:
        yield
    finally:
        log.disabled = was


def _malformed_shapes(data: Graph, shapes: Graph, problem: str) -> str:
    """The message for malformed shapes, naming the file whose shapes alone fail the same way
    (only on this error path: each file is validated on its own)."""
    for path, graph in getattr(shapes, "files", {}).items():
        alone = _shacl_failure(data, set_level_shapes(graph))
        if isinstance(alone, str):
            return f"{path}: malformed SHACL shapes: {alone}"
    return f"malformed SHACL shapes: {problem}"


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
