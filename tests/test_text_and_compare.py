"""Normalisers: page furniture, footnote markers, wording comparison (property tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gcm_graph.compare import (
    ARTEFACT,
    SAME,
    SUBSTANTIVE,
    TRIVIAL,
    VARIANT,
    classify_wording,
    heading_variant,
    wording_key,
)
from gcm_graph.text import (
    footnote_definition,
    is_page_header,
    normalize_space,
    strip_footnote_markers,
)

words = st.lists(
    st.sampled_from(
        [
            "migration",
            "data",
            "States",
            "cooperate",
            "safe",
            "regular",
            "the",
            "a",
            "of",
            "policies",
        ]
    ),
    min_size=1,
    max_size=30,
)


def test_page_headers_as_printed_in_the_resolution():
    for header in (
        "18-22354 **29/36** ",
        "**18**-22354 **19/36** ",
        "18-22354 11/**36** ",
        "15/36 15/36",
        "18-22354 7/36",
        "5/36",
    ):
        assert is_page_header(header), header
    for text in (
        "10. This Global Compact",
        "target 10.c of the 2030 Agenda",
        "2015–2030",
        "1/CP.21",
    ):
        assert not is_page_header(text), text


@given(st.integers(1, 99999), st.integers(1, 999), st.integers(1, 999))
def test_any_job_number_and_page_is_a_header(job, page, pages):
    assert is_page_header(f"18-{job:05d} **{page}/{pages}**")


def test_footnote_definitions_in_both_notations():
    assert footnote_definition("<sup>&</sup>lt;sup>4</sup> International Convention") == (
        4,
        "International Convention",
    )
    assert footnote_definition("<sup>10</sup> Ibid., vol. 1771, No. 30822.") == (
        10,
        "Ibid., vol. 1771, No. 30822.",
    )
    assert footnote_definition("²⁸ See OHCHR") == (28, "See OHCHR")
    assert footnote_definition("(a) Elaborate") is None


def test_markers_are_removed_from_running_text():
    assert (
        strip_footnote_markers("Human Rights;<sup>2</sup> the International")
        == "Human Rights; the International"
    )
    assert strip_footnote_markers("examples¹ and more²³") == "examples and more"


@given(words)
def test_wording_is_trivially_equal_to_its_respaced_and_recased_self(ws):
    text = " ".join(ws)
    variant = "  ".join(w.upper() for w in ws) + " ;"
    assert classify_wording(text, variant) in (SAME, TRIVIAL)
    assert wording_key(text) == wording_key(normalize_space(variant))


@given(words, st.sampled_from(["never", "illegal", "border", "sovereign"]))
def test_a_new_word_is_substantive(ws, extra):
    text = " ".join(ws)
    assert classify_wording(text, f"{text} {extra}") == SUBSTANTIVE


def test_articles_hyphens_and_glued_footnotes_are_trivial():
    assert classify_wording("at the local, national levels", "at local, national levels") == TRIVIAL
    assert classify_wording("multilingual campaigns", "multi-lingual campaigns") == TRIVIAL
    assert classify_wording("the Paris Agreement and", "the Paris Agreement4 and") == TRIVIAL
    assert classify_wording("with a view to informing", "with a view to inform") == SUBSTANTIVE


def test_heading_artefact_versus_real_variant():
    assert (
        heading_variant(
            "promote evidence-based public discourse", "promote evidencebased public discourse"
        )
        == ARTEFACT
    )
    assert (
        heading_variant("Use migration detention only", "Use immigration detention only") == VARIANT
    )
    assert heading_variant("Same", "Same") == SAME
