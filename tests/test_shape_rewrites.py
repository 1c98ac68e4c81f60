"""Constraints rewritten for speed still catch what they caught: per constraint, a small graph
that breaks it fails with its message on the offending node, and the same graph mended does not.

"No residue X" was `sh:not [ sh:pattern "X" ]` and is now one pattern with a negative
lookahead, "^(?![\\s\\S]*(?:X))" (shapes/text.ttl says why).
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph

from gcm_graph.validate import load_shapes, validate_graph
from gcm_graph.vocab import SH

PREFIXES = """
@prefix gcm: <https://w3id.org/gcm/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix sdgo: <http://metadata.un.org/sdg/ontology#> .
"""
B = "https://w3id.org/gcm/"


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def messages_on(shapes, turtle: str, focus: str) -> list[str]:
    result = validate_graph(Graph().parse(data=PREFIXES + turtle, format="turtle"), shapes)
    return [v.message for v in result.violations if v.focus == focus]


def assert_caught(shapes, broken: str, mended: str, focus: str, message: str) -> None:
    assert any(message in m for m in messages_on(shapes, broken, focus)), (broken, message)
    assert not any(message in m for m in messages_on(shapes, mended, focus)), (mended, message)


ARTEFACTS = [
    # (broken graph, mended graph, focus, message)
    (
        '<https://w3id.org/gcm/objective/3/action/a> a gcm:Action ; dcterms:description "Launch a site 18-22354 now"@en .',
        '<https://w3id.org/gcm/objective/3/action/a> a gcm:Action ; dcterms:description "Launch a site for all now"@en .',
        B + "objective/3/action/a",
        "Action text carries a PDF artefact",
    ),
    (
        '<https://w3id.org/gcm/paragraph/12> a gcm:Paragraph ; dcterms:description "Organized Crime, 5 including the"@en .',
        '<https://w3id.org/gcm/paragraph/12> a gcm:Paragraph ; dcterms:description "Organized Crime, including the"@en .',
        B + "paragraph/12",
        "Paragraph text keeps a footnote number printed bare",
    ),
    (
        '<https://w3id.org/gcm/practice/p> a gcm:Practice ; dcterms:title "A practice³"@en .',
        '<https://w3id.org/gcm/practice/p> a gcm:Practice ; dcterms:title "A practice"@en .',
        B + "practice/p",
        "Practice title carries a PDF artefact",
    ),
    (
        '<https://w3id.org/gcm/practice/p> a gcm:Practice ; dcterms:description "Line one\\n**Line** two"@en .',
        '<https://w3id.org/gcm/practice/p> a gcm:Practice ; dcterms:description "Line one\\nLine two"@en .',
        B + "practice/p",
        "Practice text carries a PDF artefact",
    ),
    (
        '<http://metadata.un.org/sdg/12.7> a sdgo:Target ; skos:prefLabel "Promote practices5"@en .',
        '<http://metadata.un.org/sdg/12.7> a sdgo:Target ; skos:prefLabel "Promote practices"@en .',
        "http://metadata.un.org/sdg/12.7",
        "A target label ends in a footnote digit glued to its last word",
    ),
]


@pytest.mark.parametrize(("broken", "mended", "focus", "message"), ARTEFACTS)
def test_an_artefact_in_a_text_is_caught(shapes, broken, mended, focus, message) -> None:
    assert_caught(shapes, broken, mended, focus, message)


TEXT_PROPERTIES = [
    "dcterms:description", "dcterms:title", "dcterms:bibliographicCitation", "skos:prefLabel",
    "skos:altLabel", "rdfs:label", "rdf:value", "gcm:impacts", "gcm:lessonsLearned",
    "gcm:period", "gcm:geographicScope", "gcm:evidenceText", "gcm:quotation",
    "gcm:bookletCommentary",
]  # fmt: skip


@pytest.mark.parametrize("prop", TEXT_PROPERTIES)
def test_extraction_residue_in_any_text_property_is_caught(shapes, prop) -> None:
    """On a second line too: the residue may follow a line break."""
    broken = f'<https://w3id.org/gcm/thing> {prop} "first line\\nsee [the report](#) here"@en .'
    mended = f'<https://w3id.org/gcm/thing> {prop} "first line\\nsee the report here"@en .'
    assert_caught(shapes, broken, mended, B + "thing", f"{prop} carries Markdown, HTML")


LOOKAHEAD = re.compile(r"^\^\(\?!\[\\s\\S\]\*\(\?:(.*)\)\)$", re.S)


@cache
def residue_patterns() -> tuple[tuple[str, str], ...]:
    """(pattern as written, the residue it excludes) of every "no residue" pattern."""
    found = set()
    for pattern in load_shapes().objects(None, SH.pattern):
        if match := LOOKAHEAD.match(str(pattern)):
            found.add((str(pattern), match.group(1)))
    return tuple(sorted(found))


def test_the_no_residue_patterns_are_found() -> None:
    assert len(residue_patterns()) >= 4


@given(st.text(alphabet="ab ,.5³*\\[]()#<>/sup&lt;\n", max_size=40))
def test_a_no_residue_pattern_passes_exactly_the_texts_without_the_residue(text) -> None:
    """pyshacl's test for sh:pattern: re.match, else re.search, no flags."""
    for pattern, residue in residue_patterns():
        compiled = re.compile(pattern)
        passes = bool(compiled.match(text) or compiled.search(text))
        assert passes == (re.search(residue, text) is None), (pattern, text)


COUNTRY = "https://w3id.org/gcm/country/AFG"


def test_a_country_with_names_but_none_in_english_is_caught_once(shapes) -> None:
    """Asked once per country (it was asked once per name), it reports the country once, and
    not a country without names (a graph of one document alone has none)."""
    names = '<{c}> a gcm:Country ; skos:prefLabel "Afghanistan"@fr , "Афганистан"@ru {en}.'
    message = f"Country {COUNTRY} has names but none in English"
    broken = messages_on(
        shapes, names.format(c=COUNTRY, en=""), "https://w3id.org/gcm/ontology#Country"
    )
    assert broken.count(message) == 1, broken
    mended = names.format(c=COUNTRY, en=', "Afghanistan"@en ')
    nameless = f"<{COUNTRY}> a gcm:Country ."
    for graph in (mended, nameless):
        assert message not in messages_on(shapes, graph, "https://w3id.org/gcm/ontology#Country")
