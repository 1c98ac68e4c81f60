"""The booklet's RELEVANT SDGs sections and the objective -> SDG links built from them.

Golden facts were read by eye from sources/gcm-implementation-booklet.txt; line numbers in the
comments refer to that file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from gcm_graph.config import DEFAULT_BASE_URI, SHAPES_DIR
from gcm_graph.context import BuildContext
from gcm_graph.errors import SourceError
from gcm_graph.extract.booklet_targets import (
    compare_wording,
    parse_booklet_targets,
    relevant_target_codes,
    split_wording,
)
from gcm_graph.extract.resolution import parse_resolution
from gcm_graph.extract.sdg_kos import parse_sdg_kos
from gcm_graph.model import resolution as resolution_model
from gcm_graph.model import sdg
from gcm_graph.model.base import SourceGraph
from gcm_graph.sources import Source
from gcm_graph.vocab import GCM, SDG, Iris

from support import SDG_SCHEME_TURTLE, sdg_goals_turtle

BOOKLET_FILE = "gcm-implementation-booklet.txt"


@pytest.fixture(scope="module")
def booklet(sources):
    return parse_booklet_targets(sources["booklet"])


@pytest.fixture(scope="module")
def built(sources):
    """The resolution's and this module's graphs, built from the real sources."""
    ctx = BuildContext(Iris(DEFAULT_BASE_URI), sources, parse_resolution(sources["resolution"]))
    resolution_model.build(ctx)
    sdg.build(ctx)
    return ctx


@pytest.fixture(scope="module")
def links(built) -> Graph:
    return built.dataset.graph(built.iris.graph("booklet"))


def objective(n: int) -> URIRef:
    return URIRef(f"{DEFAULT_BASE_URI}objective/{n}")


def fake_booklet(tmp_path: Path, text: str) -> Source:
    path = tmp_path / BOOKLET_FILE
    path.write_text(text, encoding="utf-8")
    return Source("booklet", path, "test booklet", None, None, None, "test", "0" * 64)


# --- golden target lists, typed from the document ------------------------------------------

GOLDEN = {
    # Lines 167-175: 10.7 (171), 17.18 (175).
    1: ["10.7", "17.18"],
    # Lines 249-269: 1.4 (253), 4.b (257), 5.b (261), 10.7 (265), 16.10 (269).
    3: ["1.4", "4.b", "5.b", "10.7", "16.10"],
    # Lines 297-313: 1.3 (301), 10.7 (305), 16.9 (309), 17.18 (313).
    4: ["1.3", "10.7", "16.9", "17.18"],
    # Lines 463-500 ("RELEVANT SDGs AND INTERNATIONAL FRAMEWORKS"): 1.3, 1.4 (467-468), 5.2, 5.4
    # (472-473), 8.7, 8.8 (477-478), 10.2, 10.7 (482-483), footnotes 28-30 (487-491), 16.2, 16.3,
    # 16.7, 16.9 (493-496), 17.14 (500).
    7: ["1.3", "1.4", "5.2", "5.4", "8.7", "8.8", "10.2", "10.7", "16.2", "16.3", "16.7", "16.9",
        "17.14"],
    # Lines 571-587: 10.7 (575), 16.1-16.4 (579-582), 17.16 (586, printed with 17.6's text), 17.18.
    9: ["10.7", "16.1", "16.2", "16.3", "16.4", "17.16", "17.18"],
    # Lines 898-937: 16.b is printed before 16.3 (934-935).
    15: ["1.3", "1.4", "3.3", "3.4", "3.7", "3.8", "4.1", "4.2", "4.3", "4.5", "6.1", "6.2", "7.1",
         "11.1", "16.3", "16.9", "16.10", "16.b"],
    # Lines 980-998: 17.18 is printed "17:18" (998).
    16: ["10.2", "10.7", "11.b", "16.7", "16.b", "17.18"],
    # Lines 1207-1225.
    20: ["1.4", "8.10", "10.c", "17.3", "17.7", "17.18"],
    # Lines 1314-1346: footnotes 107-112 (1316-1329) come before the first goal heading (1331).
    22: ["1.3", "5.4", "10.4", "10.7", "17.18"],
    # Lines 1377-1389, after the prose of line 1379.
    23: ["17.3", "17.6", "17.7", "17.14", "17.16", "17.17", "17.18"],
}  # fmt: skip

# Items per objective, counted in each section by eye (objectives 2 and 19 list none).
ITEM_COUNTS = [2, 0, 5, 4, 9, 8, 13, 6, 7, 6, 6, 7, 5, 8, 18, 6, 8, 8, 0, 6, 6, 5, 7]


@pytest.mark.parametrize("number", sorted(GOLDEN))
def test_golden_target_lists(booklet, number):
    assert relevant_target_codes(booklet)[number] == GOLDEN[number]


GOLDEN_FILE = Path(__file__).parent / "golden" / "booklet-sdg-targets.json"


def test_all_23_lists_match_the_golden_file(booklet):
    golden = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))["objectives"]
    assert relevant_target_codes(booklet) == {int(n): e["targets"] for n, e in golden.items()}
    all_sdgs = {int(n) for n, e in golden.items() if e.get("all_sdgs")}
    assert {s.objective for s in booklet.sections if s.all_goals} == all_sdgs
    for number, entry in golden.items():
        first, last = (int(x) for x in entry["lines"].split("-"))
        section = booklet.section(int(number))
        assert section.heading_line == first
        evidence = [t.line for t in section.targets] + [a.line for a in section.all_goals]
        evidence += [m.line for m in section.mentions]
        assert max(evidence) == last


def test_every_objective_has_a_section_and_its_item_count(booklet):
    assert [s.objective for s in booklet.sections] == list(range(1, 24))
    assert [len(s.targets) for s in booklet.sections] == ITEM_COUNTS
    assert sum(ITEM_COUNTS) == 150


def test_section_headings(booklet):
    # "RELEVANT SDGs" at 167 (objective 1), "RELEVANT SDGs AND INTERNATIONAL FRAMEWORKS" at 463.
    assert booklet.section(1).heading_line == 167
    assert booklet.section(7).heading_line == 463
    assert booklet.section(23).heading_line == 1377


def test_relevant_target_codes_covers_all_objectives(booklet):
    codes = relevant_target_codes(booklet)
    assert sorted(codes) == list(range(1, 24))
    assert codes[2] == [] and codes[19] == []


# --- "All SDGs" and prose ------------------------------------------------------------------


def test_all_sdgs_objectives(booklet):
    # Line 210 "All SDGs :" (objective 2); line 1164 "All SDGs" and 1166 "Accordingly, all SDGs
    # are relevant from the 2030 Agenda's promise to leave no-one behind." (objective 19).
    # Not objective 23: line 1379 "good migration governance can become an accelerators towards
    # all 17 Sustainable Development Goals depending on country context and migratory dynamics.
    # In particular, the following SDG targets relating to partnerships are relevant:" (a list
    # follows); nor line 212's "These factors span the entirety of the 17 Sustainable
    # Development Goals" (objective 2's heading already says it).
    found = {s.objective: [(a.line, a.phrase) for a in s.all_goals] for s in booklet.sections}
    assert {n: lines for n, lines in found.items() if lines} == {
        2: [(210, "All SDGs")],
        19: [(1164, "All SDGs"), (1166, "all SDGs are relevant")],
    }


def test_prose_mentions_of_objective_2(booklet):
    # Line 212: "SDG 1 on poverty, SDG 2 on ending hunger and SDG 3 ... SDG 13 on combating
    # climate change and SDG 16 ... Doing so will help achieve SDG 17.14: Enhance policy
    # coherence for sustainable development."
    mentions = booklet.section(2).mentions
    assert [(m.code, m.line) for m in mentions] == [
        ("1", 212), ("2", 212), ("3", 212), ("13", 212), ("16", 212), ("17.14", 212),
    ]  # fmt: skip
    target = mentions[-1]
    assert target.is_target
    assert target.wording == "Enhance policy coherence for sustainable development"
    assert all(not s.mentions for s in booklet.sections if s.objective != 2)


# --- PDF artefacts -------------------------------------------------------------------------


def test_footnotes_between_goal_heading_and_its_items(booklet):
    # Objective 7: "SDG 16: ..." (485), footnotes 28, 29, 30 (487, 489, 491), then 16.2 (493).
    section = booklet.section(7)
    assert [(k.line, k.reason) for k in section.skipped] == [
        (487, "footnote"), (489, "footnote"), (491, "footnote"),
    ]  # fmt: skip
    item = next(t for t in section.targets if t.code == "16.2")
    assert (item.line, item.goal_heading) == (493, 16)


def test_footnotes_before_the_first_goal_heading_with_unmarked_continuations(booklet):
    # Objective 22: footnotes 107-112 at 1316-1329; lines 1324 and 1325 are bare URLs that
    # continue footnote 110 (1322).
    section = booklet.section(22)
    assert [k.line for k in section.skipped if k.reason == "footnote"] == [
        1316, 1318, 1320, 1322, 1327, 1329,
    ]  # fmt: skip
    assert [k.line for k in section.skipped if k.reason == "footnote-continuation"] == [1324, 1325]
    assert section.targets[0].line == 1333


def test_unmarked_citation_after_footnotes(booklet):
    # Line 1293 "PICUM (2019), [Durable solutions ...]" follows footnote 106 with no number.
    skipped = booklet.section(21).skipped
    assert skipped[-1].line == 1293 and skipped[-1].reason == "footnote-continuation"


def test_code_with_a_colon_separator(booklet):
    # Line 998: "- **17:18:** By 2020, enhance capacity-building support ..."
    item = next(t for t in booklet.section(16).targets if t.line == 998)
    assert (item.code, item.printed_code) == ("17.18", "17:18")
    assert item.artefacts == ("code separator ':' instead of '.'",)


def test_dangling_closing_quotes(booklet):
    # Line 575 ends "...migration policies”" and line 989 ends "...at all levels\"".
    item_575 = next(t for t in booklet.section(9).targets if t.line == 575)
    item_989 = next(t for t in booklet.section(16).targets if t.line == 989)
    assert item_575.wording.endswith("well-managed migration policies")
    assert item_989.wording.endswith("holistic disaster risk management at all levels")
    assert item_575.artefacts == item_989.artefacts == ("dangling closing quote",)
    assert item_575.commentary is None


def test_commentary_after_the_quoted_target(booklet):
    # Line 500: "- **17.14:** Enhance policy coherence for sustainable development” which can be
    # achieved by reviewing relevant policies ..."
    item = next(t for t in booklet.section(7).targets if t.code == "17.14")
    assert item.wording == "Enhance policy coherence for sustainable development"
    assert item.commentary.startswith("which can be achieved by reviewing relevant policies")
    assert item.commentary.endswith("vulnerabilities of migrants as outlined above")


def test_apostrophe_is_not_a_closing_quote():
    assert split_wording("the least developed countries’ share of global exports") == (
        "the least developed countries’ share of global exports",
        None,
        [],
    )


SECTION = """GCM Objective {n}

Title

RELEVANT SDGs

SDG 10: Reduced inequalities

- **10.7:** Facilitate orderly, safe, regular and responsible migration

"""


def synthetic(n: int = 23) -> str:
    """A booklet of n minimal objectives; objective 1's item is on line 9."""
    return "".join(SECTION.format(n=i) for i in range(1, n + 1))


def test_page_header_in_a_section_is_skipped(tmp_path):
    text = synthetic().replace("SDG 10: Reduced", "18-22354 19/36\n\nSDG 10: Reduced", 1)
    section = parse_booklet_targets(fake_booklet(tmp_path, text)).section(1)
    assert [k.reason for k in section.skipped] == ["page-header"]
    assert [t.code for t in section.targets] == ["10.7"]


def test_malformed_item_is_a_source_error_with_its_line(tmp_path):
    text = synthetic().replace("- **10.7:**", "- **10-7:**", 1)
    with pytest.raises(SourceError, match=rf"{BOOKLET_FILE}:9: expected a target item"):
        parse_booklet_targets(fake_booklet(tmp_path, text))


def test_unexpected_line_after_the_list_is_a_source_error(tmp_path):
    text = synthetic().replace(
        "responsible migration\n", "responsible migration\n\nSome stray sentence.\n", 1
    )
    with pytest.raises(SourceError, match=rf"{BOOKLET_FILE}:11: expected a goal heading"):
        parse_booklet_targets(fake_booklet(tmp_path, text))


def test_missing_section_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match=re.escape("found 'none for objective(s) [23]'")):
        parse_booklet_targets(fake_booklet(tmp_path, synthetic(n=22)))


# --- wording comparison --------------------------------------------------------------------


def test_wording_levels():
    official = "Enhance the Global Partnership for Sustainable Development"
    assert compare_wording(official, official).level == "same"
    assert (
        compare_wording(
            "Enhance the Global Partnership for Sustainable Development.", official
        ).level
        == "same"
    )
    assert (
        compare_wording(
            "Enhance the global partnership for sustainable development", official
        ).level
        == "trivial"
    )
    assert (
        compare_wording(
            "Enhance the Global Partnership for Sustainable Developments", official
        ).level
        == "trivial"
    )
    assert compare_wording("Enhance the Global Partnership; data, monitoring and accountability", official).level == "substantive"  # fmt: skip


@given(
    st.text(alphabet=st.sampled_from("abc XY"), min_size=1, max_size=30),
    st.sampled_from([" ", "  ", ", ", ". ", " - "]),
)
def test_spacing_and_punctuation_never_count(text, separator):
    assert compare_wording(separator.join(text.split()), " ".join(text.split())).level == "same"


@given(
    st.lists(st.sampled_from(["safe", "orderly", "regular", "migration"]), min_size=1, max_size=8)
)
def test_three_extra_words_are_substantive(words):
    official = " ".join(words)
    assert compare_wording(official + " plus three more", official).level == "substantive"


# --- the RDF links -------------------------------------------------------------------------


def test_relevant_target_links_match_the_golden_lists(links):
    for number, codes in GOLDEN.items():
        linked = {
            str(t).rsplit("/", 1)[-1] for t in links.objects(objective(number), GCM.relevantTarget)
        }
        assert linked == set(codes), number


def test_relevant_goals_follow_from_listed_targets(links):
    # Objective 3 lists targets of goals 1, 4, 5, 10 and 16 (lines 251-269).
    goals = {str(g).rsplit("/", 1)[-1] for g in links.objects(objective(3), GCM.relevantGoal)}
    assert goals == {"1", "4", "5", "10", "16"}


def test_link_provenance_is_the_items_line(links):
    # Objective 3, 4.b at line 257.
    statements = set(links.subjects(RDF.subject, objective(3))) & set(
        links.subjects(RDF.object, SDG["4.b"])
    )
    (statement,) = statements
    span = links.value(statement, PROV.wasDerivedFrom)
    assert span == URIRef(f"{DEFAULT_BASE_URI}source/booklet/lines/257-257")


def test_all_sdgs_objectives_are_flagged_not_expanded(links):
    for number in (2, 19):
        assert (objective(number), GCM.relevantToAllGoals, Literal(True)) in links
        assert not list(links.objects(objective(number), GCM.relevantTarget))
        assert not list(links.objects(objective(number), GCM.relevantGoal))
    flagged = set(links.subjects(GCM.relevantToAllGoals, Literal(True)))
    assert flagged == {objective(2), objective(19)}
    # Objective 23's section does not say "All SDGs" (line 1379): its own list, goal 17 only.
    assert set(links.objects(objective(23), GCM.relevantGoal)) == {SDG["17"]}


def test_all_sdgs_statement_carries_its_words_and_lines(links):
    (statement,) = set(links.subjects(RDF.subject, objective(19))) & set(
        links.subjects(RDF.predicate, GCM.relevantToAllGoals)
    )
    lines = sorted(
        int(links.value(s, GCM.firstLine)) for s in links.objects(statement, PROV.wasDerivedFrom)
    )
    assert lines == [1164, 1166]
    assert {str(q) for q in links.objects(statement, GCM.quotation)} == {
        "All SDGs",
        "all SDGs are relevant",
    }


def test_prose_mentions_are_their_own_links(links):
    assert set(links.objects(objective(2), GCM.mentionsTarget)) == {SDG["17.14"]}
    assert set(links.objects(objective(2), GCM.mentionsGoal)) == {
        SDG[n] for n in ("1", "2", "3", "13", "16")
    }


def test_booklet_commentary_on_the_link(links):
    (statement,) = set(links.subjects(RDF.subject, objective(7))) & set(
        links.subjects(RDF.object, SDG["17.14"])
    )
    (comment,) = links.objects(statement, GCM.bookletCommentary)
    assert str(comment).startswith("which can be achieved")


def test_code_mismatches(built, links):
    found = {
        (d.subject, d.details["text_of"]) for d in built.report.by_check("target-code-mismatch")
    }
    # Line 586 prints "17.16" with 17.6's text; lines 1060 and 1123 print "17.7" with 17.17's.
    assert found == {
        ("objective 9 target 17.16", "17.6"),
        ("objective 17 target 17.7", "17.17"),
        ("objective 18 target 17.7", "17.17"),
    }
    assert {d.severity for d in built.report.by_check("target-code-mismatch")} == {"substantive"}
    wording = sdg.target_wording_iri(built.iris, 9, "17.16")
    assert links.value(wording, GCM.matchesTextOf) == SDG["17.6"]
    assert links.value(wording, GCM.wordingOf) == SDG["17.16"]
    assert str(links.value(wording, RDF.value)).startswith("Enhance North-South, South-South")


def test_text_differences(built):
    found = {d.subject: d.severity for d in built.report.by_check("target-text-differs")}
    # Line 1388: 17.17 printed with "; data, monitoring and accountability" appended.
    assert found["objective 23 target 17.17"] == "substantive"
    # Line 693: "global partnership ... sustainable development goals" in lower case.
    assert found["objective 11 target 17.16"] == "trivial"
    # Line 1105: "...small island developing State" (the final s cut).
    assert found["objective 18 target 3.c"] == "trivial"
    # Line 313: "...relevant in national context." for "contexts".
    assert found["objective 4 target 17.18"] == "trivial"
    # Line 1384: "knowledge sharing" for "knowledge-sharing" is punctuation only: no finding.
    assert "objective 23 target 17.6" not in found
    assert "objective 9 target 10.7" not in found  # the dangling quote of line 575
    assert "objective 7 target 17.14" not in found  # the commentary of line 500 is split off
    assert found.keys() == {
        f"objective {n} target {c}"
        for n, c in [(4, "17.18"), (8, "17.18"), (11, "17.16"), (14, "17.16"), (18, "3.c"),
                     (22, "17.18"), (23, "17.16"), (23, "17.17"), (23, "17.18")]
    }  # fmt: skip


def test_code_typo_finding(built):
    (typo,) = built.report.by_check("target-code-typo")
    assert typo.subject == "objective 16 target 17.18"
    assert typo.locations == {"booklet": "line 998"}


def test_unknown_code_is_reported_not_linked(sources, tmp_path):
    text = (
        sources["booklet"]
        .read_text()
        .replace("- **16.10:** Ensure public", "- **16.99:** Ensure public", 1)
    )
    booklet = parse_booklet_targets(fake_booklet(tmp_path, text))
    kos = parse_sdg_kos(sources["sdg-kos"])
    graph = SourceGraph(Dataset(), Iris(DEFAULT_BASE_URI), sources["booklet"])
    findings = sdg.add_booklet_links(graph, kos, booklet)
    unknown = [f for f in findings if f.check == "target-unknown"]
    # The first 16.10 item is objective 3's (line 269).
    assert [(f.subject, f.severity, f.locations) for f in unknown] == [
        ("objective 3 target 16.99", "substantive", {"booklet": "line 269"})
    ]
    assert (objective(3), GCM.relevantTarget, SDG["16.99"]) not in graph.graph


def test_the_links_conform_to_the_shapes(built):
    union = Graph()
    for graph in built.dataset.graphs():
        for triple in graph:
            union.add(triple)
    for source_id in ("booklet", "sdg-kos", "resolution"):
        union.add((built.iris.source(source_id), RDF.type, GCM.SourceDocument))
    conforms, _, text = validate(union, shacl_graph=str(SHAPES_DIR / "sdg.ttl"), advanced=True)
    assert conforms, text


# --- negative shape tests for the links ----------------------------------------------------

LINK_PREFIXES = """
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix sdgo: <http://metadata.un.org/sdg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix gcm: <https://w3id.org/gcm/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix o: <https://w3id.org/gcm/objective/> .
"""
SPAN = "https://w3id.org/gcm/source/booklet/lines/1-1"
VALID_LINKS = (
    SDG_SCHEME_TURTLE.format(span=SPAN)
    + sdg_goals_turtle(SPAN, {10: ["10.7"], 11: ["11.1"]})
    + """
<https://w3id.org/gcm/source/booklet/lines/1-1> a gcm:SourceSpan .
o:1 a gcm:Objective .
o:1 gcm:relevantTarget sdg:10.7 ; gcm:relevantGoal sdg:10 ; gcm:mentionsGoal sdg:11 ;
    gcm:mentionsTarget sdg:11.1 ; gcm:relevantToAllGoals true .
<https://w3id.org/gcm/objective/1/target-wording/10.7> a gcm:TargetWording ;
    rdf:value "Facilitate migration"@en ; gcm:printedCode "10:7" ; gcm:wordingOf sdg:10.7 ;
    gcm:printedUnderObjective o:1 ;
    prov:wasDerivedFrom <https://w3id.org/gcm/source/booklet/lines/1-1> .
"""
)


def links_conform(turtle: str) -> tuple[bool, str]:
    data = Graph()
    data.parse(data=LINK_PREFIXES + turtle, format="turtle")
    conforms, _, text = validate(data, shacl_graph=str(SHAPES_DIR / "sdg.ttl"), advanced=True)
    return bool(conforms), text


def test_valid_links_conform():
    conforms, text = links_conform(VALID_LINKS)
    assert conforms, text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("gcm:relevantTarget sdg:10.7", "gcm:relevantTarget sdg:10", "relevant target is an sdgo:Target"),
        ("gcm:relevantGoal sdg:10 ;", "gcm:relevantGoal sdg:10.7 ;", "relevant goal is an sdgo:Goal"),
        ("gcm:relevantGoal sdg:10 ;", "", "no matching relevantGoal"),
        ("gcm:relevantGoal sdg:10 ;", "gcm:relevantGoal sdg:10, sdg:11 ;", "no relevant target of that goal"),
        ("gcm:mentionsTarget sdg:11.1", "gcm:mentionsTarget sdg:11", "mentioned target is an sdgo:Target"),
        ("gcm:mentionsGoal sdg:11", "gcm:mentionsGoal sdg:11.1", "mentioned goal is an sdgo:Goal"),
        ("gcm:relevantToAllGoals true", 'gcm:relevantToAllGoals "yes"', "DatatypeConstraintComponent"),
        ("o:1 a gcm:Objective .", "", "ClassConstraintComponent"),
        ("gcm:wordingOf sdg:10.7 ;", "", "MinCountConstraintComponent"),
        ("gcm:wordingOf sdg:10.7 ;", "gcm:wordingOf sdg:10 ;", "ClassConstraintComponent"),
        ('rdf:value "Facilitate migration"@en', 'rdf:value "Facilitate migration"', "DatatypeConstraintComponent"),
        ("gcm:printedUnderObjective o:1 ;", "", "MinCountConstraintComponent"),
    ],
)  # fmt: skip
def test_broken_link_fails_its_shape(old, new, message):
    assert old in VALID_LINKS
    conforms, text = links_conform(VALID_LINKS.replace(old, new, 1))
    assert not conforms
    assert message in text
