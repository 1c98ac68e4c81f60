"""Booklet practices: sections, PDF artefacts, golden facts read by eye, stable ids, RDF, shapes,
and the cross-check of the booklet's associated actions against the resolution.

Line numbers in comments are lines of sources/gcm-implementation-booklet.txt.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from gcm_graph.errors import SourceError
from gcm_graph.extract.booklet import (
    clean,
    footnote_text,
    parse_booklet,
    practice_id,
    practice_title,
)
from gcm_graph.extract.mentions import objective_numbers, years
from gcm_graph.model import booklet as booklet_model
from gcm_graph.model import instruments as instruments_model
from gcm_graph.model import resolution as resolution_model
from gcm_graph.model.booklet import check_actions
from gcm_graph.release import merged_graph
from gcm_graph.sources import Source
from gcm_graph.validate import load_shapes, validate_graph
from gcm_graph.vocab import GCM, Iris

from support import damaged, models_context

IRIS = Iris("https://w3id.org/gcm/")

# The first line of each practice, per objective, read from the booklet's
# "POTENTIAL RESPONSES / CONCRETE EXAMPLES" lists (sub-bullets and continuation lines excluded).
FIRST_LINES = {
    1: [159, 163, 164, 165], 2: [204, 205, 206], 3: [234, 235, 236, 237], 4: [287, 288, 289],
    5: [336, 337, 343, 344, 345], 6: [403, 405, 406], 7: [457, 458, 459, 460, 461],
    8: [517, 518, 519], 9: [559, 560, 561, 569], 10: [612, 613, 620], 11: [666, 667, 668],
    12: [710, 711, 715, 725, 726, 727], 13: [771, 772, 773, 781], 14: [823, 824, 825],
    15: [874, 875, 876, 877, 895, 896], 16: [961, 962, 963, 977, 978],
    17: [1020, 1024, 1034, 1035, 1038, 1039], 18: [1094, 1098, 1099],
    19: [1149, 1153, 1159, 1160], 20: [1192, 1193, 1203, 1204, 1205],
    21: [1252, 1257, 1263, 1264, 1265], 22: [1307, 1308, 1309], 23: [1362, 1363, 1364, 1365],
}  # fmt: skip


@pytest.fixture(scope="module")
def booklet(sources):
    return parse_booklet(sources["booklet"])


def practice_at(booklet, line: int):
    return next(p for p in booklet.practices if p.first_line == line)


def test_every_section_and_practice(booklet):
    assert [s.objective for s in booklet.sections] == list(range(1, 24))
    found = {s.objective: [p.first_line for p in s.practices] for s in booklet.sections}
    assert found == FIRST_LINES
    assert len(booklet.practices) == 94
    # line 141: the title of objective 1; line 1350: of objective 23
    assert booklet.section(1).title.startswith("Collect and utilize accurate and disaggregated")
    assert booklet.section(23).title.startswith("Strengthen international cooperation")


def test_ids_are_unique_and_readable(booklet):
    ids = [p.id for p in booklet.practices]
    assert len(set(ids)) == len(ids)
    assert practice_at(booklet, 458).id == (
        "booklet-o07-morocco-initiated-two-regularization-campaigns-beginning"
    )


# -- PDF artefacts -------------------------------------------------------------------------


def test_footnote_block_inside_an_item_is_not_merged(booklet):
    # 337 "... in the international instruments ratified" / 339 footnote 18 / 341 "by both ..."
    practice = practice_at(booklet, 337)
    assert (practice.first_line, practice.last_line) == (337, 341)
    assert "instruments ratified by both countries, which includes" in practice.text
    assert "Clemens" not in practice.text
    assert practice.footnotes == ()
    # 289 ends "According to the Mexican Embassy," ; 291-293 footnotes 15-16 ; 295 the quote
    matricula = practice_at(booklet, 289)
    assert matricula.last_line == 295
    assert 'According to the Mexican Embassy, "[a]s of August 2013' in matricula.text
    assert "JMDI" not in matricula.text and "White Paper" not in matricula.text


def test_plain_line_after_a_finished_item_continues_the_footnote(booklet):
    # 875 ends "... reimbursed by the federal authorities."; 881-887 footnote 67 and its references
    note = booklet.section(15).footnotes[67]
    assert (note.first_line, note.last_line) == (881, 887)
    assert "A. C. Smith et al. (2018)" in note.text
    assert "Smith" not in practice_at(booklet, 875).text
    # 1322 "More information can be found here:" with two URL lines (1324, 1325)
    assert "mrci.ie" in booklet.section(22).footnotes[110].text


def test_sub_bullets_stay_with_their_parent(booklet):
    # 1252 with four indented sub-bullets 1253-1256
    ohchr = practice_at(booklet, 1252)
    assert len(ohchr.sub_items) == 4
    assert ohchr.text.splitlines()[1] == (
        "- Non-refoulement and the prohibition of arbitrary or collective expulsion;"
    )


def test_sub_bullet_that_lost_its_indent_after_a_footnote(booklet):
    # 614 " - Equip ...", 616 footnote 39, 618 "- Improve ..." (no indent), 619 " - Allow ..."
    protect = practice_at(booklet, 613)
    assert (protect.first_line, protect.last_line) == (613, 619)
    assert [s.split()[0] for s in protect.sub_items] == ["Equip", "Improve", "Allow"]
    # 1034 "- ILO hosts ..." after footnotes 80-82 is a practice of its own: no sub-bullet follows
    assert practice_at(booklet, 1034).title.startswith("ILO hosts a Global Media Competition")
    assert len(practice_at(booklet, 1024).sub_items) == 2


def test_footnote_markers_are_read_and_removed(booklet):
    # 345 "... in Portugal.²¹ Similarly, other countries, including Italy,²² France²³ and Poland²⁴"
    portugal = practice_at(booklet, 345)
    assert portugal.footnotes == (21, 22, 23, 24)
    assert "including Italy, France and Poland have" in portugal.text
    assert not any(c in portugal.text for c in "⁰¹²³⁴⁵⁶⁷⁸⁹")


def test_missing_footnote_is_kept_and_reported(booklet, context):
    # 1261 ends "... return and reintegration.¹⁰³"; the booklet prints no footnote 103
    platform = practice_at(booklet, 1257)
    assert 103 in platform.footnotes
    assert booklet.section(21).missing_footnotes(platform) == [103]
    reported = context.report.by_check("booklet-footnote-missing")
    assert [d.details["footnote"] for d in reported] == [103]


def test_markdown_escapes_and_emphasis_are_removed(booklet):
    # 1311 "\$125 million", 289 "*matrícula consular*"
    assert "$125 million" in practice_at(booklet, 1309).text
    assert "\\$" not in practice_at(booklet, 1309).text
    assert "The matrícula consular, an ID card" in practice_at(booklet, 289).text


def test_titles(booklet):
    # 237: bold is a later sentence of its own
    assert practice_at(booklet, 237).title.startswith("Twenty Child and Family Support Hubs")
    # 461: "In 2019, **the national Children on the Move Taskforce ...**": the whole sentence
    assert practice_at(booklet, 461).title.startswith(
        "In 2019, the national Children on the Move Taskforce in Egypt"
    )
    # 1034: no bold: the first sentence
    assert practice_at(booklet, 1034).title == (
        "ILO hosts a Global Media Competition to recognize exemplary media coverage on labour "
        "migration and fair recruitment"
    )
    # 405: the bold runs over two sentences: the first one
    assert practice_at(booklet, 405).title.endswith("aimed at promoting ethical and recruitment")
    assert all(len(p.title) <= 140 for p in booklet.practices)


# -- golden facts ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def context(sources):
    return models_context(
        sources, resolution_model.build, booklet_model.build, instruments_model.build
    )


@pytest.fixture(scope="module")
def graph(context):
    return merged_graph(context.dataset)


def objects(graph, practice_line_id: str, predicate) -> set[str]:
    iri = IRIS.practice(practice_line_id)
    return {str(o).rsplit("/", 1)[-1] for o in graph.objects(iri, predicate)}


@pytest.mark.parametrize(
    ("line", "countries", "years_named", "organisations"),
    [
        # 289 "issued by the Mexican government ... living in the US"; 295 "As of August 2013"
        (289, {"MEX", "USA"}, {"2013"}, set()),
        # 337 "the Colombia-Peru Framework Agreement of 2012"
        (337, {"COL", "PER"}, {"2012"}, set()),
        # 344 "In 2017, Colombia created a Special Stay Permit enabling 180,000 Venezuelan migrants"
        (344, {"COL"}, {"2017"}, set()),
        # 613 "the Republic of Croatia Government Office ... ended in 2016 ... the European
        # Union (ISEC)"; "International Centre for Policy Migration (ICMPD)"; British Red Cross
        # is not the United Kingdom
        (613, {"HRV"}, {"2016"}, {"european-union",
                                  "international-centre-for-migration-policy-development"}),
        # 1024 "On 4 December 2004 ...", 1025 "In November 2019 ... Embassy of Mexico, ... of
        # Switzerland, ... of Canada, Save the Children ... Bangkok, Thailand", 1026 OHCHR
        (1024, {"MEX", "CHE", "CAN", "THA"}, {"2004", "2019"},
         {"save-the-children", "office-of-the-united-nations-high-commissioner-for-human-rights"}),
        # 1153 "The IOM office in Moldova, collaborating with Columbia University's School of
        # International and Public Affairs (SIPA) ..."
        (1153, {"MDA"}, set(), {"international-organization-for-migration",
                                "columbia-university-s-school-of-international-and-public-affairs"}),
        # 1307 "A World Bank-sponsored project ... between EU and non-EU countries — namely,
        # Austria-Turkey, Germany-Turkey, Belgium-Morocco, and France-Morocco"
        (1307, {"AUT", "TUR", "DEU", "BEL", "MAR", "FRA"}, set(), {"world-bank", "european-union"}),
    ],
)  # fmt: skip
def test_golden_practice_facts(booklet, graph, line, countries, years_named, organisations):
    practice = practice_at(booklet, line)
    assert objects(graph, practice.id, GCM.namesCountry) == countries
    assert {str(y) for y in graph.objects(IRIS.practice(practice.id), GCM.namesYear)} == years_named
    assert objects(graph, practice.id, GCM.namesOrganisation) == organisations


def test_practice_resource_and_provenance(booklet, graph):
    matricula = practice_at(booklet, 289)
    iri = IRIS.practice(matricula.id)
    assert (iri, RDF.type, GCM.Practice) in graph
    assert (iri, GCM.illustrates, IRIS.objective(4)) in graph
    assert (iri, GCM.namesYear, Literal("2013", datatype=XSD.gYear)) in graph
    assert (iri, PROV.wasDerivedFrom, IRIS.span("booklet", 289, 295)) in graph
    # footnote 17 (line 315): "National Immigration Law Center (2015), Basic Facts about ..."
    note = IRIS.footnote("booklet", 17)
    assert (iri, GCM.citesFootnote, note) in graph
    citation = str(graph.value(note, DCTERMS.bibliographicCitation))
    assert citation.startswith("National Immigration Law Center (2015), Basic Facts about")
    # the link to Mexico is reified with the line it was read from
    statements = set(graph.subjects(RDF.subject, iri)) & set(
        graph.subjects(RDF.object, IRIS.country("MEX"))
    )
    assert len(statements) == 1
    (statement,) = statements
    assert (statement, PROV.wasDerivedFrom, IRIS.span("booklet", 289, 289)) in graph


def test_practice_naming_its_objective(booklet, graph):
    # 159 "Referring to GCM Objective 1 — this panel ..."
    panel = practice_at(booklet, 159)
    assert objective_numbers(panel.text) == [1]
    assert set(graph.objects(IRIS.practice(panel.id), GCM.illustrates)) == {IRIS.objective(1)}
    assert objective_numbers("see Objective 12 and GCM objectives 3 and 7; Objective 24") == [
        3, 7, 12
    ]  # fmt: skip


def test_practice_naming_an_instrument(booklet, graph):
    # 288 "Thailand lifted its reservation to Article 7 of the Convention on the Rights of the Child"
    thailand = practice_at(booklet, 288)
    assert (IRIS.practice(thailand.id), GCM.namesInstrument, IRIS.instrument("crc")) in graph


# -- stable ids --------------------------------------------------------------------------------


def booklet_from(tmp_path: Path, text: str, sources) -> Source:
    path = tmp_path / sources["booklet"].path.name
    path.write_text(text, encoding="utf-8")
    return dataclasses.replace(sources["booklet"], path=path)


def test_ids_survive_reordering_and_insertion(tmp_path, sources, booklet):
    lines = sources["booklet"].lines()
    # swap the Luxembourg (343) and Colombia (344) items, and add a new first item to objective 5
    lines[342], lines[343] = lines[343], lines[342]
    lines.insert(335, "- **A new example of regular pathways was added.** It has a text.")
    changed = parse_booklet(booklet_from(tmp_path, "\n".join(lines) + "\n", sources))
    before = {p.id for p in booklet.section(5).practices}
    after = {p.id for p in changed.section(5).practices}
    assert after - before == {"booklet-o05-a-new-example-of-regular-pathways"}
    assert before <= after


def test_id_depends_on_the_title_only():
    assert practice_id(7, "Morocco initiated two regularization campaigns beginning in 2014") == (
        "booklet-o07-morocco-initiated-two-regularization-campaigns-beginning"
    )
    assert practice_id(7, "Morocco initiated two regularization campaigns beginning anew") == (
        practice_id(7, "Morocco initiated two regularization campaigns beginning in 2014")
    )


# -- bad input ---------------------------------------------------------------------------------


def test_missing_section_heading_is_reported_with_its_line(tmp_path, sources):
    text = sources["booklet"].read_text().replace("GCM Objective 7\n", "GCM Objectve 7\n")
    # the heading of objective 8 (line 502) comes where objective 7's was expected
    with pytest.raises(SourceError, match=r"booklet.txt:502: expected section 'GCM Objective 7'"):
        parse_booklet(booklet_from(tmp_path, text, sources))


def test_stray_text_in_the_practice_list_is_reported(tmp_path, sources):
    lines = sources["booklet"].lines()
    lines.insert(158, "A stray paragraph that is no bullet.")  # after line 157's list heading
    with pytest.raises(SourceError, match=r":159: expected a practice bullet"):
        parse_booklet(booklet_from(tmp_path, "\n".join(lines), sources))


def test_missing_part_heading_is_reported(tmp_path, sources):
    lines = sources["booklet"].lines()
    lines[142] = "ASSOCIATED ACTION"  # line 143
    with pytest.raises(SourceError, match="expected ASSOCIATED ACTIONS"):
        parse_booklet(booklet_from(tmp_path, "\n".join(lines), sources))


# -- associated actions against the resolution ---------------------------------------------------


def test_check_actions_missing_merged_and_wording():
    resolution = [("a", "Do one thing;"), ("b", "Do another thing well;"), ("c", "Add a third.")]
    booklet = [("a", "Do one thing"), ("b", "Do another thing badly c) Add a third")]
    findings = {(d.check, d.subject, d.severity) for d in check_actions(5, booklet, resolution)}
    assert findings == {
        ("booklet-action-wording", "objective 5 action (a)", "trivial"),
        ("booklet-action-merged", "objective 5 action (c)", "substantive"),
        ("booklet-action-wording", "objective 5 action (b)", "substantive"),
    }
    missing = check_actions(5, [("a", "Do one thing;")], resolution[:2])
    assert [(d.check, d.subject) for d in missing] == [
        ("booklet-action-missing", "objective 5 action (b)")
    ]
    assert check_actions(5, [("a", "Do one thing;")], [("a", "Do one thing;")]) == []


def test_check_actions_page_number_is_trivial():
    # booklet line 1246: "on ways and means to 30 strengthen accountability" (page 30)
    resolution = [("f", "recommendations on ways and means to strengthen accountability;")]
    booklet = [("f", "recommendations on ways and means to 30 strengthen accountability")]
    (finding,) = check_actions(21, booklet, resolution)
    assert finding.severity == "trivial"
    assert finding.details["page_numbers_in_text"] == ["30"]


def test_booklet_actions_against_the_resolution(context):
    merged = context.report.by_check("booklet-action-merged")
    # line 1248: "(h) ... upon return i) Identify and address the needs of the communities ..."
    assert [(d.subject, d.locations["booklet"]) for d in merged] == [
        ("objective 21 action (i)", "line 1248")
    ]
    assert context.report.by_check("booklet-action-missing") == []
    wording = {d.subject: d for d in context.report.by_check("booklet-action-wording")}
    # line 1301: "in line with the ILO Recommendation 202 on Social Protection Floors"
    assert wording["objective 22 action (a)"].severity == "substantive"
    assert wording["objective 21 action (f)"].details["page_numbers_in_text"] == ["30"]
    assert wording["objective 18 action (e)"].details["page_numbers_in_text"] == ["26"]


# -- shapes --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def test_booklet_graph_conforms(graph, shapes):
    result = validate_graph(graph, shapes)
    assert result.conforms, result.text()


def test_shape_bites_booklet_practice_without_objective(booklet, graph, shapes):
    iri = IRIS.practice(practice_at(booklet, 289).id)
    result = validate_graph(damaged(graph, remove=[(iri, GCM.illustrates, None)]), shapes)
    assert not result.conforms
    assert any("illustrates at least the objective" in v.message for v in result.violations)


def test_shape_bites_artefacts_and_bad_values(booklet, graph, shapes):
    iri = IRIS.practice(practice_at(booklet, 289).id)
    bad = [
        (
            iri,
            DCTERMS.description,
            Literal("A text with a footnote marker²³ left in it.", lang="en"),
        ),
        (iri, GCM.namesYear, Literal("1812", datatype=XSD.gYear)),
        (iri, GCM.namesCountry, URIRef(IRIS.base + "country/mex")),
    ]
    result = validate_graph(damaged(graph, add=bad), shapes)
    messages = " | ".join(v.message for v in result.violations)
    assert "PDF artefact" in messages
    assert "1940-2039" in messages
    assert any(v.path.endswith("namesCountry") for v in result.violations)


def test_shape_bites_country_notation_mismatch(graph, shapes):
    from gcm_graph.vocab import GCM as G

    broken = damaged(
        graph,
        remove=[(IRIS.country("MEX"), None, None)],
        add=[
            (IRIS.country("MEX"), RDF.type, G.Country),
            (
                IRIS.country("MEX"),
                URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
                Literal("Mexico", lang="en"),
            ),
            (
                IRIS.country("MEX"),
                URIRef("http://www.w3.org/2004/02/skos/core#notation"),
                Literal("USA", datatype=G.ISO3166Alpha3),
            ),
        ],
    )
    result = validate_graph(broken, shapes)
    assert any("not the code in its IRI" in v.message for v in result.violations)


# -- properties of the normalisers ---------------------------------------------------------------


@given(st.text(max_size=80))
def test_clean_is_idempotent_and_leaves_no_marker(text):
    once = clean(text)
    assert clean(once) == once
    assert not any(c in once for c in "⁰¹²³⁴⁵⁶⁷⁸⁹")


@given(st.integers(min_value=1945, max_value=2030), st.sampled_from(["In", "Since", "By"]))
def test_years_in_context(year, lead):
    assert years(f"{lead} {year}, the government acted.") == [year]
    assert years(f"the {year} Agenda and ${year} and {year} migrants") == []


@given(st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=60))
def test_practice_id_shape(title):
    pid = practice_id(3, title)
    assert pid.startswith("booklet-o03")
    assert pid == practice_id(3, title)
    assert pid.count("-") <= 7


def test_practice_title_trims_long_bold():
    raw = "**" + "word " * 60 + "end.** More text."
    title = practice_title(raw)
    assert len(title) <= 140 and title.endswith("…")


def test_a_stray_number_after_a_footnote_is_not_part_of_it(booklet):
    # 245 "¹³ See UNHCR, [UNHCR, UNICEF launch Blue Dot hubs to boost protection for children and
    # families on the move across Europe](#). 1": the " 1" is PDF residue
    assert booklet.section(3).footnotes[13].text == (
        "See UNHCR, UNHCR, UNICEF launch Blue Dot hubs to boost protection for children and "
        "families on the move across Europe."
    )
    for section in booklet.sections:
        for note in section.footnotes.values():
            assert not re.search(r"[.!?]\s+\d{1,3}$", note.text), (note.number, note.text)


@pytest.mark.parametrize(
    ("printed", "text"),
    [
        ("See UNHCR, [Blue Dot hubs](#). 1", "See UNHCR, Blue Dot hubs."),
        ("ILO (2012), Good practices, ILO, Geneva. 12", "ILO (2012), Good practices, ILO, Geneva."),
        ("See the report, p. 12", "See the report, p. 12"),
        ("United Nations Treaty Series, vol. 2241, No. 39574", "United Nations Treaty Series, vol. 2241, No. 39574"),
        ("Resolution 73/195, para. 7", "Resolution 73/195, para. 7"),
        ("Migration Data Portal 2019", "Migration Data Portal 2019"),
    ],
)  # fmt: skip
def test_footnote_text_keeps_the_numbers_of_a_citation(printed, text):
    assert footnote_text(printed) == text
