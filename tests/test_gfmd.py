"""The GFMD Thematic Recollection: its parser, its graph, its discrepancies and its shapes.

Golden facts were read by eye from sources/gfmd-thematic-recollection-2007-2017.txt; the comments
give the lines. Line numbers are 1-based, as `cat -n` prints them.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from gcm_graph.config import SHAPES_DIR
from gcm_graph.context import BuildContext
from gcm_graph.errors import SourceError
from gcm_graph.extract.gfmd import (
    ACTION_AREA,
    POLICY_OPTION,
    PRACTICAL_ACTION,
    parse_gfmd,
)
from gcm_graph.extract.gfmd_notes import Marker, read_notes, without_markers
from gcm_graph.extract.guidance import text_key, title_case
from gcm_graph.extract.resolution import parse_resolution
from gcm_graph.model import gfmd as gfmd_model
from gcm_graph.model.base import describe_source
from gcm_graph.text import Line
from gcm_graph.validate import validate_graph
from gcm_graph.vocab import GCM, Iris

IRIS = Iris("https://w3id.org/gcm/")


@pytest.fixture(scope="module")
def gfmd(sources):
    return parse_gfmd(sources["gfmd"])


@pytest.fixture(scope="module")
def built(sources):
    """The gfmd named graph and the report, built as the pipeline builds them."""
    ctx = BuildContext(IRIS, sources, parse_resolution(sources["resolution"]))
    gfmd_model.build(ctx)
    return ctx


def graph_of(ctx: BuildContext) -> Graph:
    return ctx.dataset.graph(IRIS.graph("gfmd"))


def practice_at(gfmd, line: int):
    return next(p for p in gfmd.practices if p.record.first_line == line)


def recommendation_at(gfmd, line: int):
    return next(r for r in gfmd.recommendations if r.first_line == line)


# --- clusters and sub-themes ----------------------------------------------------------------

# The body headings, lines 102, 248, 450, 648, 843, 976 (markup and final full stops removed).
CLUSTER_HEADINGS = {
    1: (
        102,
        "HUMAN RIGHTS OF ALL MIGRANTS, SOCIAL INCLUSION, COHESION AND ALL FORMS OF "
        "DISCRIMINATION, INCLUDING RACISM, XENOPHOBIA AND INTOLERANCE",
    ),
    2: (
        248,
        "IRREGULAR MIGRATION AND REGULAR PATHWAYS, INCLUDING DECENT WORK, LABOR MOBILITY, "
        "DEVELOPMENT AND RECOGNITION OF SKILLS AND QUALIFICATIONS AND OTHER RELEVANT MEASURES",
    ),
    3: (
        450,
        "INTERNATIONAL COOPERATION AND GOVERNANCE OF MIGRATION IN ALL ITS DIMENSIONS, INCLUDING "
        "AT BORDERS, ON TRANSIT, ENTRY, RETURN, READMISSION, INTEGRATION AND REINTEGRATION",
    ),
    4: (
        648,
        "CONTRIBUTIONS OF MIGRANTS AND DIASPORAS TO ALL DIMENSIONS OF SUSTAINABLE DEVELOPMENT, "
        "INCLUDING REMITTANCES AND PORTABILITY OF EARNED BENEFITS",
    ),
    5: (
        843,
        "ADDRESSING DRIVERS OF MIGRATION, INCLUDING ADVERSE EFFECTS OF CLIMATE CHANGE, NATURAL "
        "DISASTERS AND HUMAN-MADE CRISES, THROUGH PROTECTION AND ASSISTANCE, SUSTAINABLE "
        "DEVELOPMENT, POVERTY ERADICATION, CONFLICT PREVENTION AND RESOLUTION",
    ),
    6: (
        976,
        "SMUGGLING OF MIGRANTS, TRAFFICKING IN PERSONS AND CONTEMPORARY FORMS OF SLAVERY, "
        "INCLUDING APPROPRIATE IDENTIFICATION, PROTECTION AND ASSISTANCE TO MIGRANTS AND "
        "TRAFFICKING VICTIMS",
    ),
}


def test_the_six_cluster_headings(gfmd):
    assert [c.number for c in gfmd.clusters] == [1, 2, 3, 4, 5, 6]
    for cluster in gfmd.clusters:
        line, heading = CLUSTER_HEADINGS[cluster.number]
        assert (cluster.line, cluster.heading) == (line, heading)


def test_cluster_titles_are_the_headings_in_title_case(gfmd):
    assert gfmd.clusters[0].title == (
        "Human Rights of All Migrants, Social Inclusion, Cohesion and All Forms of "
        "Discrimination, Including Racism, Xenophobia and Intolerance"
    )


def test_bold_markup_in_a_heading_is_removed(gfmd):
    # line 102 ends "XENOPHOBIA AND **INTOLERANCE**"
    assert "*" not in gfmd.clusters[0].heading


def test_sub_theme_counts_follow_the_content_list(gfmd):
    # CONTENT, lines 14-42: (1)-(3), (1)-(4), (1)-(4), (1)-(5), (1)-(2), (1)-(3)
    assert [len(c.subthemes) for c in gfmd.clusters] == [3, 4, 4, 5, 2, 3]


def test_sub_theme_titles_and_lines(gfmd):
    subtheme = {(s.cluster, s.number): s for c in gfmd.clusters for s in c.subthemes}
    assert (subtheme[1, 1].line, subtheme[1, 1].title) == (
        160,
        "Guaranteeing migrants' human rights regardless of their immigration status",
    )
    # line 20: the CONTENT entry has no page number
    assert subtheme[2, 2].contents_title.text == "Fair and ethical recruitment of migrant workers"
    assert (subtheme[4, 5].line, subtheme[4, 5].title) == (
        812,
        "Portability of social security entitlements and earned benefits",
    )
    assert (subtheme[6, 3].line, subtheme[6, 3].title) == (1097, "Improving identification")


def test_typos_of_the_content_list_are_kept_apart_from_the_titles(gfmd):
    contents = {c.number: c.contents_title.text for c in gfmd.clusters}
    assert "ALL IT DIMENSIONS" in contents[3]  # line 23
    assert "PORTABILITY O EARNED BENEFITS" in contents[4]  # line 28
    assert "THROUG PROTECTION" in contents[5]  # line 34
    assert "THROUGH PROTECTION" in gfmd.clusters[4].heading  # line 843
    subthemes = {(s.cluster, s.number): s for c in gfmd.clusters for s in c.subthemes}
    assert "ir the face" in subthemes[5, 1].contents_title.text  # line 35
    assert "in the face" in subthemes[5, 1].title  # line 897
    assert subthemes[6, 2].contents_title.text.endswith("forms of slave")  # line 41, truncated


def test_a_content_title_wrapped_over_two_lines_is_joined(gfmd):
    # lines 38-39: "... PROTECTION\t" / "AND ASSISTANCE TO MIGRANTS AND TRAFFICKING VICTIMS\t"
    assert gfmd.clusters[5].contents_title.text.endswith(
        "PROTECTION AND ASSISTANCE TO MIGRANTS AND TRAFFICKING VICTIMS"
    )


def test_a_focus_list_item_ending_in_a_semicolon_is_not_a_heading(gfmd):
    # line 889 "(1) Addressing ... degradation;" is the focus list; the heading is line 897
    cluster5 = gfmd.clusters[4]
    assert cluster5.subthemes[0].line == 897
    assert cluster5.subthemes[0].focus_title.line == 889
    assert cluster5.subthemes[1].focus_title is None  # the focus list lost "(2)"


# --- recommendations -------------------------------------------------------------------------

# Counted by eye: (cluster, sub-theme) -> (policy options, options for practical action).
RECOMMENDATION_COUNTS = {
    (1, 1): (4, 4),  # 164-172 / 176-183
    (1, 2): (2, 3),  # 191-193 / 197-205
    (1, 3): (4, 4),  # 217-220 / 224+230, 232-234
    (2, 1): (7, 5),  # 329-337 / 341-347
    (2, 2): (3, 3),  # 359, 360, 368 / 372-374
    (2, 3): (6, 4),  # 398-403 / 407-410
    (2, 4): (2, 2),  # 424-425 / 429-430
    (3, 1): (3, 5),  # 509-511 / 515-519
    (3, 2): (2, 6),  # 545-546 / 550-555, 556, 557, 560, 561, 564
    (3, 3): (4, 3),  # 584, 585, 586+596, 597 / 601-603
    (3, 4): (2, 3),  # 623-624 / 628-630
    (4, 1): (2, 2),  # 690-691 / 695, 699
    (4, 2): (5, 7),  # 717-721 / 725, 726, 734-738
    (4, 3): (2, 3),  # 764-765 / 771, 772, 777
    (4, 4): (1, 2),  # 795 / 799-800
    (4, 5): (2, 3),  # 816-817 / 821-823
    (5, 1): (9, 8),  # 901, 907-914 / 918-925
    (5, 2): (2, 2),  # 947, 952 / 958, 966
    (6, 1): (4, 2),  # 1038-1041 / 1053-1054
    (6, 2): (4, 4),  # 1070-1077 / 1081-1087
    (6, 3): (1, 2),  # 1101+1111 / 1115, 1120
}


def test_recommendation_counts_per_sub_theme(gfmd):
    counts = Counter((r.cluster, r.subtheme, r.kind) for r in gfmd.recommendations)
    found = {
        key: (counts[(*key, POLICY_OPTION)], counts[(*key, PRACTICAL_ACTION)])
        for key in RECOMMENDATION_COUNTS
    }
    assert found == RECOMMENDATION_COUNTS
    assert counts[(None, None, ACTION_AREA)] == 7  # section IV, lines 1240-1249


def test_wrapped_lines_of_an_item_are_joined(gfmd):
    item = recommendation_at(gfmd, 335)  # 335-337, continuation lines start with a space
    assert item.last_line == 337
    assert item.text == (
        "Strengthen regional and inter-regional processes and platforms to ensure effective "
        "sharing of information for a collaborative approach among countries of origin and "
        "between countries of origin and destination."
    )


def test_an_item_that_lost_its_bullet_after_footnotes(gfmd):
    # line 368 " Further promote ..." follows the footnotes of lines 362-366
    item = recommendation_at(gfmd, 368)
    assert (item.kind, item.cluster, item.subtheme) == (POLICY_OPTION, 2, 2)
    assert item.text.startswith("Further promote fair recruitment initiatives")


def test_an_item_split_by_a_footnote_block_is_joined(gfmd):
    # line 224 "Pursue ... well-balanced policies", footnotes 226-228, line 230 "to foster ..."
    item = recommendation_at(gfmd, 224)
    assert (item.kind, item.last_line) == (PRACTICAL_ACTION, 230)
    assert "adopt well-balanced policies to foster tolerance, integration" in item.text
    # line 586 "... governance," footnotes 588-594, line 596 "- covering all policy dimensions"
    item = recommendation_at(gfmd, 586)
    assert item.last_line == 596
    assert item.text.endswith('ensuring that "no migrant is left outside" of the framework.')
    # line 1101 " Develop effective mechanisms ... protection", notes, line 1111 "as soon as ..."
    item = recommendation_at(gfmd, 1101)
    assert "adequate support and protection as soon as possible upon arrival" in item.text


def test_a_nested_list_and_a_plain_digit_marker(gfmd):
    # lines 550-555: " - 1) Ask basic census questions ..." ... "household surveys.82"
    item = recommendation_at(gfmd, 550)
    assert item.last_line == 555
    assert "to: 1) Ask basic census questions" in item.text
    assert item.text.endswith("5) Include migration modules in more existing household surveys.")
    assert "82" not in item.text


def test_other_bullets_and_items_without_bullets(gfmd):
    assert recommendation_at(gfmd, 795).text.startswith("Expand the capacities")  # "•" bullet
    item = recommendation_at(gfmd, 958)  # " Leverage investments ..." first item, no bullet
    assert (item.kind, item.cluster, item.subtheme) == (PRACTICAL_ACTION, 5, 2)
    assert recommendation_at(gfmd, 966).text.startswith("Initiate preventive")


def test_an_action_area_split_by_a_page_break(gfmd):
    # line 1242 ends "... the Global Compact on Refugees and", line 1244 "the Global Compact on
    # safe, orderly and regular Migration, ..."
    item = recommendation_at(gfmd, 1242)
    assert (item.kind, item.last_line) == (ACTION_AREA, 1244)
    assert "Global Compact on Refugees and the Global Compact on safe" in item.text


def test_recommendation_ids_are_stable_hashes(gfmd):
    item = recommendation_at(gfmd, 556)
    assert item.id.startswith("gfmd-c3-s2-pa-")
    assert len(item.id.rsplit("-", 1)[1]) == 8
    ids = [r.id for r in gfmd.recommendations]
    assert len(ids) == len(set(ids))


def test_ocr_noise_is_neither_a_recommendation_nor_a_practice(gfmd):
    # line 682 "1 POVERTY IN THE PRINCES ...", line 895 "10 seducines" (icons of SDGs)
    texts = [r.text for r in gfmd.recommendations] + [p.record.description for p in gfmd.practices]
    assert not any("PRINCES" in t or "seducines" in t for t in texts)


# --- practices ---------------------------------------------------------------------------

# (cluster, sub-theme) -> number of example paragraphs, counted by eye
PRACTICE_COUNTS = {
    (1, 1): 1, (1, 2): 2, (1, 3): 2,
    (2, 1): 3, (2, 2): 4, (2, 3): 2, (2, 4): 3,
    (3, 1): 5, (3, 2): 4, (3, 3): 3, (3, 4): 4,
    (4, 1): 2, (4, 2): 3, (4, 3): 2, (4, 4): 2, (4, 5): 4,
    (5, 1): 4, (5, 2): 1,
    (6, 1): 2, (6, 2): 3, (6, 3): 2,
}  # fmt: skip


def test_practice_counts_per_sub_theme(gfmd):
    counts = Counter((p.cluster, p.subtheme) for p in gfmd.practices)
    assert dict(counts) == PRACTICE_COUNTS
    assert len(gfmd.practices) == 58


def test_an_example_without_its_heading_is_a_practice(gfmd):
    # line 185 follows the last option (183); "Policy and Practice Examples" is missing
    practice = practice_at(gfmd, 185).record
    assert practice.title == "In its Five-year Development Plan"
    assert [m.value for m in practice.countries] == ["SLV"]
    assert [m.value for m in practice.years] == [2014, 2019]  # "(2014-2019)"
    assert [(c.number, c.text) for c in practice.citations] == [
        (29, "http://gfmd.org/pfp/ppd/2334.")  # line 207
    ]


def test_permanent_migratory_statutes(gfmd):
    # line 349: "The objectives of the **Permanent Migratory Statutes**⁵¹ with **Peru**,
    # **Colombia** and **Venezuela** are: ..."
    practice = practice_at(gfmd, 349)
    assert (practice.cluster, practice.subtheme) == (2, 1)
    record = practice.record
    assert "Permanent Migratory Statutes" in record.title
    assert [m.value for m in record.countries] == ["PER", "COL", "VEN"]
    assert [(c.number, c.line) for c in record.citations] == [(51, 362)]
    assert "**" not in record.description and "⁵¹" not in record.description


def test_todos_somos_migrantes(gfmd):
    # line 238: "Starting in 2008, the government of **Ecuador** launched the campaign **Todos
    # Somos Migrantes**³² ... In 2010, the campaign refocused ..."
    record = practice_at(gfmd, 238).record
    assert record.title == "Todos Somos Migrantes"
    assert [m.value for m in record.countries] == ["ECU"]
    assert [m.value for m in record.years] == [2008, 2010]


def test_a_footnote_that_lost_its_number_is_matched_to_its_marker(gfmd):
    # line 353 cites ⁵³; line 366 "http://gfmd.org/pfp/ppd/215." lost its number
    record = practice_at(gfmd, 353).record
    assert [m.value for m in record.countries] == ["GTM", "CAN"]
    assert [(c.number, c.text, c.line) for c in record.citations] == [
        (53, "http://gfmd.org/pfp/ppd/215.", 366)
    ]
    assert gfmd.notes.by_number[53].numbered is False
    assert gfmd.notes.by_number[52].numbered is True  # line 364 "⁵² http://..."


def test_plain_digit_markers_are_cited_and_cut(gfmd):
    # line 929: "... Cooperative State Action 129 is a four-year project ... post-crisis action. 130"
    record = practice_at(gfmd, 929).record
    assert [c.number for c in record.citations] == [129, 130]
    assert "State Action is a four-year project" in record.description
    assert record.citations[1].text == "MICIC Guidelines, 2016."  # line 937, "</sup>" removed
    # line 1095: "... often referred to as the Bali Process 155, co-chaired by Indonesia and
    # Australia since its inception in 2002"; note 155 is the bare line 1109
    record = practice_at(gfmd, 1095).record
    assert [(c.number, c.line) for c in record.citations] == [(155, 1109)]
    assert [m.value for m in record.countries] == ["IDN", "AUS"]
    assert [m.value for m in record.years] == [2002]


def test_a_marker_inside_a_name_does_not_cut_the_title(gfmd):
    # line 1093: "The Australia-Asia¹⁵³ Program to Combat Trafficking in Persons (AAPTIP)¹⁵⁴"
    record = practice_at(gfmd, 1093).record
    assert record.title == "The Australia-Asia Program to Combat Trafficking in Persons (AAPTIP)"
    assert [(c.number, c.text) for c in record.citations] == [
        (153, "http://aaptip.org."),  # line 1105
        (154, "http://gfmd.org/pfp/ppd/2243."),  # line 1107
    ]


def test_nigeria_is_not_niger_and_organisations_are_named(gfmd):
    # line 578: "The Government of **Nigeria**, with support from IOM and the European Union,
    # adopted a **National Policy on Migration**⁸⁶ in 2015."
    record = practice_at(gfmd, 578).record
    assert [m.value for m in record.countries] == ["NGA"]
    assert [m.value for m in record.organisations] == [
        "international-organization-for-migration",
        "european-union",
    ]
    assert [m.value for m in record.years] == [2015]
    assert record.title == "National Policy on Migration"


def test_a_practice_naming_many_countries(gfmd):
    # line 632: centres "in Kosovo, Albania, Serbia, Tunisia and Morocco. More centers are
    # planned in Nigeria, Senegal, Ghana, Iraq and Afghanistan" (Kosovo has no ISO code)
    record = practice_at(gfmd, 632).record
    assert [m.value for m in record.countries] == [
        "DEU", "ALB", "SRB", "TUN", "MAR", "NGA", "SEN", "GHA", "IRQ", "AFG",
    ]  # fmt: skip


def test_no_gfmd_text_names_a_gcm_objective(gfmd):
    """The recollection (2017) predates the 23 objectives: nothing to link."""
    assert all(not p.record.objectives for p in gfmd.practices)


# --- footnotes ---------------------------------------------------------------------------


def test_two_footnotes_on_one_line(gfmd):
    # line 114: "¹⁴ UNGA, Universal Declaration ... ¹⁵ UNGA, Convention on the Rights of the Child"
    assert gfmd.notes.by_number[14].line == gfmd.notes.by_number[15].line == 114
    assert gfmd.notes.by_number[15].text.startswith("UNGA, Convention on the Rights of the Child")


def test_a_footnote_url_on_its_own_line_continues_the_note(gfmd):
    # line 152 "²⁷ GCM Thematic Sessions, Issue Brief #1, 2017," and line 154 its URL
    assert gfmd.notes.by_number[27].text.endswith("issue brief for first thematic session.pdf.")


def test_the_first_definition_of_a_number_wins_over_noise(gfmd):
    # line 94 is note 10; line 134 "¹⁰ REQUESTED TO NECOUNTRY ..." is OCR noise
    assert gfmd.notes.by_number[10].line == 94


def test_an_orphan_no_marker_claims_stays_unnumbered(gfmd):
    # lines 701 and 703: URLs of notes 99 and 100, which are printed without them (705, 707)
    assert {note.line for note in gfmd.notes.orphans} >= {701, 703}


def lines_of(*texts: str) -> list[Line]:
    return [Line(number, text) for number, text in enumerate(texts, start=1)]


def test_a_plain_number_is_a_marker_only_if_it_continues_the_sequence():
    notes = read_notes(
        lines_of(
            "A first claim.¹ A second claim. 2 Then 38 member countries agreed.",
            "¹ Report, 2016.",
            "2 Another report, 2017.",
        ),
        1,
    )
    assert [m.number for m in notes.markers[1]] == [1, 2]
    assert 38 not in notes.by_number


@given(st.text(max_size=60), st.data())
def test_without_markers_cuts_exactly_the_marker_spans(text, data):
    cuts = sorted(data.draw(st.sets(st.integers(0, max(len(text) - 1, 0)), max_size=3)))
    markers = tuple(Marker(1, i, i + 1) for i in cuts if i < len(text))
    kept = "".join(c for i, c in enumerate(text) if i not in {m.start for m in markers})
    assert without_markers(text, markers) == kept


# --- normalisers -------------------------------------------------------------------------


@given(st.text())
def test_text_key_is_idempotent_and_ignores_case_and_spacing(text):
    key = text_key(text)
    assert text_key(key) == key
    assert text_key(text.upper()) == text_key(text.lower()) == text_key(text.casefold())
    assert text_key(f"  {text}\n") == key


@given(st.from_regex(r"[A-Z][A-Z ,'-]{0,40}", fullmatch=True))
def test_title_case_is_idempotent_and_keeps_the_letters(heading):
    once = title_case(heading, "")
    assert title_case(once, "") == once
    assert once.casefold() == heading.casefold()


def test_title_case_keeps_acronyms_the_text_prints():
    context = "The ACT Accelerator and the COVAX facility support COVID-19 tools."
    assert (
        title_case("ACCESS TO COVID-19 TOOLS (ACT) ACCELERATOR + COVAX FACILITY", context)
        == "Access to COVID-19 Tools (ACT) Accelerator + COVAX Facility"
    )
    assert title_case("PHASE III OF THE PASSPORT", "") == "Phase III of the Passport"


# --- the graph ------------------------------------------------------------------------------


def test_cluster_and_sub_theme_resources(built):
    g = graph_of(built)
    cluster = IRIS.cluster(3)
    subtheme = IRIS.subtheme(3, 2)
    assert (cluster, RDF.type, GCM.ThematicCluster) in g
    assert g.value(cluster, GCM.number) == Literal(3, datatype=XSD.integer)
    assert len(list(g.objects(cluster, GCM.hasSubTheme))) == 4
    title = g.value(subtheme, DCTERMS.title)
    assert (str(title), title.language) == (
        "Fact-based governance, impact orientation and monitoring",
        "en",
    )
    assert g.value(subtheme, SKOS.broader) == cluster
    assert g.value(subtheme, DCTERMS.isPartOf) == cluster
    # the CONTENT typo (line 23) is a hidden label, searchable but never displayed
    hidden = {str(x) for x in g.objects(cluster, SKOS.hiddenLabel)}
    assert any("ALL IT DIMENSIONS" in h for h in hidden)


def test_every_link_has_a_statement_with_its_span(built):
    g = graph_of(built)
    subtheme = IRIS.subtheme(3, 2)
    statements = [
        s for s in g.subjects(RDF.subject, subtheme) if g.value(s, RDF.predicate) == SKOS.broader
    ]
    assert len(statements) == 1
    span = g.value(statements[0], PROV.wasDerivedFrom)
    assert (g.value(span, GCM.firstLine).toPython(), g.value(span, GCM.lastLine).toPython()) == (
        541,
        541,
    )


def test_every_resource_is_derived_from_a_span(built):
    g = graph_of(built)
    for cls in (GCM.ThematicCluster, GCM.SubTheme, GCM.Recommendation, GCM.Practice):
        subjects = list(g.subjects(RDF.type, cls))
        assert subjects
        assert all(g.value(s, PROV.wasDerivedFrom) is not None for s in subjects), cls


def test_recommendation_and_practice_links(built, gfmd):
    g = graph_of(built)
    item = recommendation_at(gfmd, 556)
    iri = IRIS.recommendation(item.id)
    assert {GCM.Recommendation, GCM.PracticalActionOption} <= set(g.objects(iri, RDF.type))
    assert g.value(iri, GCM.subTheme) == IRIS.subtheme(3, 2)
    area = recommendation_at(gfmd, 1240)
    assert g.value(IRIS.recommendation(area.id), DCTERMS.isPartOf) == IRIS.section("gfmd", "IV")
    record = practice_at(gfmd, 578).record
    practice = IRIS.practice(record.id)
    assert g.value(practice, GCM.subTheme) == IRIS.subtheme(3, 2)
    assert (practice, GCM.namesCountry, IRIS.country("NGA")) in g
    assert (practice, GCM.namesYear, Literal("2015", datatype=XSD.gYear)) in g
    assert (practice, GCM.citesFootnote, IRIS.footnote("gfmd", 86)) in g
    assert (IRIS.footnote("gfmd", 86), GCM.footnoteNumberInferred, Literal(True)) in g
    assert not list(g.triples((None, GCM.illustrates, None)))


def test_discrepancies(built):
    report = built.report
    differs = sorted(d.subject for d in report.by_check("gfmd-heading-differs"))
    assert differs == [
        "GFMD cluster 3",
        "GFMD cluster 4",
        "GFMD cluster 5",
        "GFMD cluster 5 sub-theme 1",
        "GFMD cluster 6 sub-theme 2",
    ]
    assert all(d.severity == "trivial" for d in report.by_check("gfmd-heading-differs"))
    [missing] = report.by_check("gfmd-focus-area-missing")
    assert missing.subject == "GFMD cluster 5 sub-theme 2"
    [typo] = report.by_check("gfmd-footnote-host-typo")  # line 226 "http://afmd.org/pfp/ppd/1890"
    assert typo.locations == {"gfmd": "line 226"}
    [shared] = report.by_check("gfmd-footnote-shared")  # notes 31 and 32 both ppd/2631
    assert shared.details["footnotes"] == [31, 32]
    assert not report.by_check("objective-does-not-exist")


def test_the_build_is_deterministic(sources):
    def nt() -> list[str]:
        ctx = BuildContext(IRIS, sources, parse_resolution(sources["resolution"]))
        gfmd_model.build(ctx)
        return sorted(graph_of(ctx).serialize(format="nt").splitlines())

    assert nt() == nt()


# --- bad input ------------------------------------------------------------------------------


def damaged(sources, tmp_path: Path, old: str, new: str):
    source = sources["gfmd"]
    text = source.read_text()
    assert old in text
    path = tmp_path / source.path.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dataclasses.replace(source, path=path)


def test_a_lost_sub_theme_heading_names_file_and_line(sources, tmp_path):
    source = damaged(sources, tmp_path, "\n(2) Empowerment of migrants\n", "\n")
    with pytest.raises(SourceError) as error:
        parse_gfmd(source)
    message = str(error.value)
    assert message.startswith("gfmd-thematic-recollection-2007-2017.txt:160: expected sub-theme")
    assert "cluster 1" in message and "(1), (3)" in message


def test_text_before_policy_options_is_an_error(sources, tmp_path):
    source = damaged(
        sources,
        tmp_path,
        "(3) Improving identification\n\nPolicy Options:",
        "(3) Improving identification\n\nStray text.\n\nPolicy Options:",
    )
    with pytest.raises(SourceError, match=r":1099: expected 'Policy Options:'"):
        parse_gfmd(source)


def test_a_missing_cluster_heading_is_an_error(sources, tmp_path):
    # line 648; the CONTENT entry (line 28) reads "PORTABILITY O EARNED" and stays
    heading = "4. CONTRIBUTIONS OF MIGRANTS AND DIASPORAS TO ALL DIMENSIONS OF SUSTAINABLE DEVELOPMENT, INCLUDING REMITTANCES AND PORTABILITY OF EARNED"
    source = damaged(sources, tmp_path, heading, heading[3:])
    with pytest.raises(
        SourceError,
        match=r":98: expected cluster headings 1\. to 6\. in order, found '1, 2, 3, 5, 6'",
    ):
        parse_gfmd(source)


# --- shapes ------------------------------------------------------------------------------

SHAPES = SHAPES_DIR / "gfmd.ttl"
EX = "https://w3id.org/gcm/"


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(SHAPES)


def minimal_graph(sources) -> Graph:
    """One cluster with one sub-theme, a policy option and an action area: conforms."""
    from rdflib import Dataset

    from gcm_graph.extract.gfmd import Cluster, Recommendation, SubTheme, Title
    from gcm_graph.model.base import SourceGraph
    from gcm_graph.model.guidance import describe_section

    dataset = Dataset()
    graph = SourceGraph(dataset, IRIS, sources["gfmd"])
    describe_source(graph.graph, IRIS, sources["gfmd"])
    subtheme = SubTheme(1, 1, "Empowerment of migrants", 10, 20, Title("Empowerment", 2))
    cluster = Cluster(
        1, "Human rights", "HUMAN RIGHTS", 5, 30, Title("HUMAN RIGHTS", 1), (subtheme,)
    )
    gfmd_model.add_cluster(graph, cluster)
    section = describe_section(graph, "IV", "Conclusions", 40, 50)
    for item in (
        Recommendation(
            "gfmd-c1-s1-po-0123abcd", POLICY_OPTION, "Design and implement things.", 12, 12, 1, 1
        ),
        Recommendation("gfmd-iv-89abcdef", ACTION_AREA, "Make migration safer for all.", 41, 42),
    ):
        gfmd_model.add_recommendation(graph, item, section)
    return graph.graph


def violations(graph: Graph, shapes: Graph) -> list[str]:
    result = validate_graph(graph, shapes)
    return [f"{v.shape} <{v.focus}> {v.path}: {v.message}" for v in result.violations]


def test_the_built_gfmd_graph_conforms(built, shapes):
    result = validate_graph(graph_of(built) + _source_documents(built), shapes)
    assert result.conforms, result.text()


def _source_documents(ctx: BuildContext) -> Graph:
    graph = Graph()
    for source in ctx.sources.values():
        describe_source(graph, IRIS, source)
    return graph


def test_the_minimal_graph_conforms(sources, shapes):
    assert violations(minimal_graph(sources), shapes) == []


def _one_failure(graph: Graph, shapes: Graph, needle: str) -> None:
    found = violations(graph, shapes)
    assert found, "the shapes accepted a broken graph"
    assert any(needle in v for v in found), found


def test_cluster_shape_bites(sources, shapes):
    graph = minimal_graph(sources)
    graph.remove((IRIS.cluster(1), DCTERMS.title, None))
    _one_failure(
        graph,
        shapes,
        "<https://w3id.org/gcm/cluster/1> http://purl.org/dc/terms/title: Less than 1",
    )
    graph = minimal_graph(sources)
    graph.set((IRIS.cluster(1), GCM.number, Literal(2)))
    _one_failure(graph, shapes, "does not end with its number 2")
    graph = minimal_graph(sources)
    graph.set((IRIS.cluster(1), GCM.number, Literal(7)))
    _one_failure(graph, shapes, "> number: Value is not <= ")


def test_sub_theme_numbering_must_be_contiguous(sources, shapes):
    graph = minimal_graph(sources)
    graph.set((IRIS.subtheme(1, 1), GCM.number, Literal(2)))
    _one_failure(graph, shapes, "has no (1)")


def test_sub_theme_shape_bites(sources, shapes):
    graph = minimal_graph(sources)
    graph.remove((IRIS.cluster(1), GCM.hasSubTheme, IRIS.subtheme(1, 1)))
    graph.add((IRIS.cluster(1), GCM.hasSubTheme, URIRef(EX + "cluster/1/subtheme/9")))
    _one_failure(graph, shapes, "is not listed by its cluster")
    graph = minimal_graph(sources)
    graph.set((IRIS.subtheme(1, 1), SKOS.broader, IRIS.section("gfmd", "IV")))
    _one_failure(graph, shapes, "SubThemeShape")


def test_recommendation_shape_bites(sources, shapes):
    po = URIRef(EX + "recommendation/gfmd-c1-s1-po-0123abcd")
    area = URIRef(EX + "recommendation/gfmd-iv-89abcdef")
    graph = minimal_graph(sources)
    graph.add((po, RDF.type, GCM.ActionArea))  # two kinds at once
    _one_failure(graph, shapes, "exactly one of")
    graph = minimal_graph(sources)
    graph.remove((po, GCM.subTheme, None))
    _one_failure(graph, shapes, "listed under one sub-theme")
    graph = minimal_graph(sources)
    graph.add((area, GCM.subTheme, IRIS.subtheme(1, 1)))
    _one_failure(graph, shapes, "has no sub-theme")
    graph = minimal_graph(sources)
    graph.set((po, DCTERMS.description, Literal("Too short.", lang="en")))
    _one_failure(graph, shapes, "terms/description: String length not >= ")
    graph = minimal_graph(sources)
    graph.set((po, DCTERMS.identifier, Literal("gfmd-c1-s1-po-ffffffff")))
    _one_failure(graph, shapes, "does not end with its identifier")
