"""Validation in set-level form finds exactly what the shapes as written find."""

from __future__ import annotations

import shutil

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from gcm_graph.config import SHAPES_DIR
from gcm_graph.validate import (
    ShapesError,
    _violations,
    load_shapes,
    set_level_shapes,
    validate_graph,
)
from gcm_graph.vocab import GCM, SH

from support import damaged, fresh_release  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def release_graph(fresh_release) -> Graph:  # noqa: F811
    return Graph().parse(fresh_release.out_dir / "gcm.nt", format="nt")


GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")


def as_written(data: Graph, shapes: Graph):
    """pyshacl on the shapes exactly as the files state them."""
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
    )
    return bool(conforms), _violations(report)


def first(graph: Graph, kind: URIRef) -> URIRef:
    return sorted(graph.subjects(RDF.type, kind))[0]


def test_set_level_shapes_report_what_the_shapes_as_written_report(release_graph) -> None:
    g = release_graph
    span, action, practice = (first(g, k) for k in (GCM.SourceSpan, GCM.Action, GCM.Practice))
    objective = first(g, GCM.Objective)
    broken = damaged(
        g,
        remove=[
            (span, GCM.inSource, None),
            (action, DCTERMS.description, None),
            (objective, GCM.number, None),
        ],
        add=[
            (span, GCM.lastLine, Literal(0)),
            (practice, DCTERMS.title, Literal("A title with a footnote¹", lang="en")),
            (practice, GCM.namesYear, Literal("1812", datatype=GYEAR)),
            (BNode(), RDF.type, GCM.SourceSpan),
        ],
    )
    shapes = load_shapes()
    conforms, expected = as_written(broken, shapes)
    result = validate_graph(broken, shapes)
    assert not conforms and len(expected) >= 7
    assert (result.conforms, list(result.violations)) == (conforms, expected)


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:Targeted a sh:NodeShape ; sh:targetClass ex:A ; sh:property ex:p .
ex:p sh:path ex:name ; sh:minCount 1 .
ex:Used a sh:NodeShape ; sh:targetClass ex:B ; sh:property [ sh:path ex:size ; sh:minCount 1 ] .
ex:User a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:Used .
"""


def test_property_shapes_of_targeted_shapes_get_the_targets() -> None:
    ex = "http://example.org/"
    shapes = Graph().parse(data=SHAPES, format="turtle")
    hoisted = set_level_shapes(shapes)
    assert (URIRef(ex + "p"), SH.targetClass, URIRef(ex + "A")) in hoisted
    assert not list(hoisted.objects(URIRef(ex + "Targeted"), SH.property))
    # a node shape another shape uses keeps its property shapes
    assert len(list(hoisted.objects(URIRef(ex + "Used"), SH.property))) == 1
    data = Graph().parse(
        data=f"<{ex}a> a <{ex}A> . <{ex}b> a <{ex}B> . <{ex}c> a <{ex}C> .", format="turtle"
    )
    assert as_written(data, shapes) == (False, list(validate_graph(data, shapes).violations))
    assert {v.focus for v in validate_graph(data, shapes).violations} == {ex + n for n in "abc"}


def test_a_span_that_ends_before_it_starts_fails(release_graph) -> None:
    span = first(release_graph, GCM.SourceSpan)
    start = release_graph.value(span, GCM.firstLine).toPython()
    broken = damaged(
        release_graph,
        remove=[(span, GCM.lastLine, None)],
        add=[(span, GCM.lastLine, Literal(start - 1 if start > 1 else 0))],
    )
    result = validate_graph(broken, load_shapes())
    assert not result.conforms
    assert any(
        v.focus == str(span) and "ends before it starts" in v.message for v in result.violations
    ), result.text()


# --- malformed shapes: a clear error (file, what is wrong), exit code 2 -------------------------

ONE_OBJECTIVE = Graph().parse(
    data=f"<http://example.org/o> a <{GCM.Objective}> ; <{GCM.hasAction}> <http://example.org/a> .",
    format="turtle",
)
HAS_ACTION = "sh:path gcm:hasAction ; sh:minCount 1 ;"


def damaged_shapes(directory, new: str, old: str = HAS_ACTION):
    """A copy of the shapes whose core.ttl says `new` where it said `old`."""
    shapes = directory / "shapes"
    shutil.copytree(SHAPES_DIR, shapes)
    core = shapes / "core.ttl"
    text = core.read_text(encoding="utf-8")
    assert old in text
    core.write_text(text.replace(old, new, 1), encoding="utf-8")
    return shapes, core


@pytest.mark.parametrize(
    ("new", "message"),
    [
        # pyshacl returned its ValidationFailure as the report: once an AttributeError here
        (HAS_ACTION + ' sh:sparql [ sh:select "SELECT $this WHERE { VALUES $this { 1 } }" ] ;',
         "malformed SHACL shapes: "),
        (HAS_ACTION.replace("1", '"one"'), "sh:minCount must be a literal with datatype xsd:integer"),
        (HAS_ACTION.replace("gcm:hasAction", '"hasAction"'), "Values of a property path cannot be a Literal"),
        (HAS_ACTION + ' sh:sparql [ sh:select "SELECT $this WHERE { oops" ] ;', "Expected SelectQuery"),
    ],
)  # fmt: skip
def test_a_malformed_shape_is_a_shapes_error_naming_its_file(tmp_path, new, message) -> None:
    shapes_dir, core = damaged_shapes(tmp_path, new)
    with pytest.raises(ShapesError) as raised:
        validate_graph(ONE_OBJECTIVE, load_shapes(shapes_dir))
    assert raised.value.exit_code == 2
    assert str(raised.value).startswith(f"{core}: malformed SHACL shapes: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_shapes_that_are_not_turtle_are_a_shapes_error_at_their_line(tmp_path) -> None:
    shapes_dir, core = damaged_shapes(tmp_path, HAS_ACTION + " ;; [ ")
    lines = core.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if ";; [" in text)
    with pytest.raises(ShapesError) as raised:
        load_shapes(shapes_dir)
    assert str(raised.value).startswith(f"{core}:{line}: not valid Turtle: ")
    assert raised.value.exit_code == 2


def test_a_directory_without_shapes_is_a_shapes_error(tmp_path) -> None:
    with pytest.raises(ShapesError, match="no SHACL shapes"):
        load_shapes(tmp_path)
