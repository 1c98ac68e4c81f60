"""PDF/Markdown artefacts that must not reach the graph's literals: Markdown links and escapes,
and footnote markers printed as bare numbers.

Expected texts are read from the sources: idm = sources/iom-idm-33-gcm-implementation-in-
practice.txt, resolution = sources/un-ga-resolution-A-RES-73-195-gcm.txt.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from gcm_graph.extract.blocks import tokenize
from gcm_graph.extract.idm import parse_idm
from gcm_graph.extract.resolution import parse_resolution
from gcm_graph.text import Line, strip_markdown
from gcm_graph.validate import load_shapes, validate_graph
from gcm_graph.vocab import GCM

# -- Markdown links and escapes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("The [European Qualifications Passport for Refugees](#) was launched",
         "The European Qualifications Passport for Refugees was launched"),
        ("- [Council of Europe Action Plan \\(2021-2025\\)](#)",
         "- Council of Europe Action Plan (2021-2025)"),
        ("see [the report](https://example.org/a_b) and [another](#).",
         "see the report and another."),
        ("approximately \\$4 million", "approximately $4 million"),
        ("**bold** and *emphasis*", "bold and emphasis"),
        ("a [bracketed] word and (a parenthesis)", "a [bracketed] word and (a parenthesis)"),
    ],
)  # fmt: skip
def test_strip_markdown_keeps_the_words_of_links_and_escapes(printed, expected):
    assert strip_markdown(printed) == expected


_WORDS = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N"), whitelist_characters=" ,.-()$"),
    min_size=1,
    max_size=30,
).filter(str.strip)


@given(
    before=_WORDS, title=_WORDS, after=_WORDS, target=st.sampled_from(["#", "", "https://x.org/p"])
)
def test_no_link_syntax_survives(before, title, after, target):
    cleaned = strip_markdown(f"{before} [{title}]({target}) {after}")
    assert "](" not in cleaned
    assert title.strip() in cleaned


def test_idm_literals_carry_no_link_residue(sources):
    idm = parse_idm(sources["idm"])
    by_title = {p.record.title: p for p in idm.practices}
    # idm line 2789: "The [European Qualifications Passport for Refugees](#) was launched in 2017"
    passport = next(p for t, p in by_title.items() if t.startswith("European Qualifications"))
    assert passport.record.description.startswith(
        "The European Qualifications Passport for Refugees was launched in 2017 with the aim"
    )
    # idm line 2865: "... with approximately \$4 million of vaccine administered so far"
    assert any("approximately $4 million of vaccine" in p.record.description for p in idm.practices)
    residue = re.compile(r"\]\(|\\[$()\[\]*_#]")
    for practice in idm.practices:
        for field in practice.fields.values():
            assert not residue.search(field.text), (practice.code, field.name, field.text)


# -- footnote markers printed as bare numbers ----------------------------------------------------


def lines(*texts: str) -> list[Line]:
    return [Line(n, t) for n, t in enumerate(texts, start=1)]


def test_bare_numbers_that_continue_the_markers_are_markers():
    blocks, _ = tokenize(
        lines(
            "1. It rests on A;<sup>1</sup> B, 2 including C; D; 5 the E; and F. 6",
            "",
            "2. Also paragraphs 1, 2 and 3 of No. 97; G. 7",
            "",
            "<sup>1</sup> Note one.",
            "<sup>2</sup> Note two.",
            "<sup>5</sup> Note five.",
            "<sup>6</sup> Note six.",
        )
    )
    first, second = blocks
    assert first.text == "It rests on A; B, including C; D; the E; and F."
    # 2 (after 6) and 97 (no such note) are not markers; 7 is not a defined note either
    assert second.text == "Also paragraphs 1, 2 and 3 of No. 97; G. 7"


def test_a_bare_number_beyond_the_next_sup_marker_is_text():
    blocks, _ = tokenize(
        lines(
            "1. A, 9 items here;<sup>3</sup> and B.",
            "",
            "<sup>3</sup> Three.",
            "<sup>9</sup> Nine.",
        )
    )
    assert blocks[0].text == "A, 9 items here; and B."


def test_resolution_paragraph_2_has_no_footnote_numbers(sources):
    resolution = parse_resolution(sources["resolution"])
    (second,) = [p for p in resolution.paragraphs if p.number == 2]
    # resolution line 42, as printed without its markers (<sup>n</sup> and the bare 5, 9, 10,
    # 15, 16, 17 of footnotes 5-17).
    assert "Transnational Organized Crime, including the Protocol" in second.text
    assert "Practices Similar to Slavery; the United Nations Framework Convention" in second.text
    assert "Climate Change; the United Nations Convention to Combat Desertification" in second.text
    assert "Financing for Development; the Sendai Framework" in second.text
    assert "2015–2030; and the New Urban Agenda." in second.text
    assert second.text.endswith("and the New Urban Agenda.")
    assert not re.search(r"[,;.] \d{1,2}\b", second.text)
    # the numbers are still read as the footnotes of the instruments they follow
    notes = {i.name: i.footnote for i in resolution.instruments if not i.group}
    assert notes["United Nations Convention against Transnational Organized Crime"] == 5
    assert notes["New Urban Agenda"] == 17


def test_no_paragraph_of_the_resolution_keeps_a_bare_footnote_number(sources):
    resolution = parse_resolution(sources["resolution"])
    numbers = {f.number for f in resolution.footnotes}
    texts = [p.text for p in resolution.paragraphs] + [a.text for a in resolution.actions]
    for text in texts:
        for match in re.finditer(r"[,;.] (\d{1,2})(?= [a-z]|$)", text):
            assert int(match.group(1)) not in numbers, text


# -- the shape that keeps such residue out -------------------------------------------------------


def describe(text: str) -> Graph:
    data = Graph()
    data.add((URIRef("https://w3id.org/gcm/practice/example"), DCTERMS.description, Literal(text)))
    return data


@pytest.mark.parametrize(
    "residue",
    [
        "The [European Qualifications Passport for Refugees](#) was launched",
        "approximately \\$4 million",
        'Convention No. 97, C097, 1949, <a href="https://www.ilo.org/">',
        "the other core international human rights treaties;<sup>4</sup> the",
        "as rights holders.¹³ Similarly",
        "**Bilateral labour agreements** between countries",
    ],
)
def test_the_text_shape_rejects_extraction_residue(residue):
    result = validate_graph(describe(residue), load_shapes())
    assert not result.conforms
    assert any("residue of the PDF extraction" in v.message for v in result.violations)


def test_the_text_shape_accepts_clean_text_with_brackets_and_numbers():
    text = "A [sic] note (No. 97), 1949; US$ 425 and 18 per cent < 20 per cent * 2."
    result = validate_graph(describe(text), load_shapes())
    assert result.conforms, result.text()


def test_the_paragraph_shape_rejects_a_bare_footnote_number():
    paragraph = URIRef("https://w3id.org/gcm/paragraph/2")
    data = Graph()
    data.add((paragraph, RDF.type, GCM.Paragraph))
    data.add((paragraph, GCM.paragraphNumber, Literal(2)))
    data.add((paragraph, GCM.section, Literal("preamble and vision")))
    data.add((paragraph, PROV.wasDerivedFrom, paragraph))
    printed = "the United Nations Convention against Transnational Organized Crime, 5 including the"
    data.add((paragraph, DCTERMS.description, Literal(printed, lang="en")))
    messages = {v.message for v in validate_graph(data, load_shapes()).violations}
    assert any("footnote number printed bare" in m for m in messages), messages
    data.set((paragraph, DCTERMS.description, Literal(printed.replace(", 5", ","), lang="en")))
    messages = {v.message for v in validate_graph(data, load_shapes()).violations}
    assert not any("footnote number printed bare" in m for m in messages), messages
