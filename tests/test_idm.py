"""IOM International Dialogue on Migration No. 33: parser, graph, objective checks and shapes.

Golden facts were read by eye from sources/iom-idm-33-gcm-implementation-in-practice.txt; the
comments give the lines (1-based, as `cat -n` prints them).
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
from gcm_graph.extract.guidance import LinedText, objective_mentions, parse_number_list
from gcm_graph.extract.idm import Field, organisation_field, parse_idm, practice_id
from gcm_graph.extract.organisations import name_table
from gcm_graph.extract.resolution import parse_resolution
from gcm_graph.model import idm as idm_model
from gcm_graph.model.base import describe_source
from gcm_graph.text import Line
from gcm_graph.validate import validate_graph
from gcm_graph.vocab import GCM, Iris

IRIS = Iris("https://w3id.org/gcm/")
SOURCE_FILE = "iom-idm-33-gcm-implementation-in-practice.txt"


@pytest.fixture(scope="module")
def resolution(sources):
    return parse_resolution(sources["resolution"])


@pytest.fixture(scope="module")
def idm(sources):
    return parse_idm(sources["idm"])


def build(sources, resolution, source=None) -> BuildContext:
    chosen = dict(sources)
    if source is not None:
        chosen["idm"] = source
    ctx = BuildContext(IRIS, chosen, resolution)
    idm_model.build(ctx)
    return ctx


@pytest.fixture(scope="module")
def built(sources, resolution):
    return build(sources, resolution)


def graph_of(ctx: BuildContext) -> Graph:
    return ctx.dataset.graph(IRIS.graph("idm"))


def practice(idm, code: str):
    return next(p for p in idm.practices if p.code == code)


def values(mentions) -> list:
    return [m.value for m in mentions]


# --- sections and their objective boxes -------------------------------------------------------


def test_sections(idm):
    found = [(s.number, s.part, s.line) for s in idm.sections]
    assert found == [
        ("1.1", "I", 334),
        ("1.2", "I", 757),
        ("2.1", "II", 1372),
        ("2.2", "II", 1895),
        ("2.3", "II", 2101),
        ("3.1", "III", 2500),
        ("3.2", "III", 3092),
    ]
    assert (
        idm.sections[2].title == "Legal identity: enabling regular migration and access to rights"
    )


def test_objective_boxes(idm):
    boxes = {s.number: [(b.number, b.line) for b in s.boxes] for s in idm.sections}
    assert boxes == {
        "1.1": [(1, 340), (2, 343), (3, 346), (4, 349), (7, 352), (8, 355)],
        "1.2": [(5, 769), (9, 772), (10, 775)],
        "2.1": [(4, 1378), (5, 1381), (14, 1384)],
        "2.2": [(5, 1904)],
        "2.3": [(2, 2113), (5, 2116)],
        "3.1": [(15, 2519), (16, 2522), (17, 2525), (19, 2528)],
        "3.2": [(15, 3100), (16, 3103), (17, 3106), (19, 3109)],
    }
    # line 350: the entry labelled Objective 4 quotes the title of Objective 5
    box = idm.sections[0].boxes[3]
    assert (box.title, box.title_line) == (
        "Enhance availability and flexibility of pathways for regular migration.",
        350,
    )


def test_objectives_named_in_section_prose(idm):
    mentioned = {
        s.number: [(m.value, m.line) for m in s.mentioned_objectives] for s in idm.sections
    }
    # 338 "Objective 8 of the Global Compact for Migration"; 759 "Objective 9"; 767 "Objective 10";
    # 1374 "Objective 4"; 1915 (a quote) "in line with Objective 15 of the Global Compact"
    assert mentioned["1.1"] == [(8, 338)]
    assert mentioned["1.2"] == [(9, 759), (10, 767)]
    assert mentioned["2.1"] == [(4, 1374)]
    assert mentioned["2.2"] == [(15, 1915)]
    assert mentioned["3.1"] == mentioned["3.2"] == []


# --- practices ---------------------------------------------------------------------------


def test_practice_counts(idm):
    # headings "1.1.1" to "1.1.7" (453-695), "1.2.1"-"1.2.12" (851-1292), "2.1.1"-"2.1.10",
    # "2.2.1"-"2.2.2", "2.3.1"-"2.3.7", "3.1.1"-"3.1.11", "3.2.1"-"3.2.12" (3198-3639)
    assert Counter(p.section for p in idm.practices) == {
        "1.1": 7,
        "1.2": 12,
        "2.1": 10,
        "2.2": 2,
        "2.3": 7,
        "3.1": 11,
        "3.2": 12,
    }
    assert len({p.record.id for p in idm.practices}) == 61


def test_council_of_europe_action_plan(idm):
    # 453 "1.1.1 ACTION PLAN ON PROTECTING VULNERABLE PERSONS ...", 457 "Council of Europe",
    # 461 "2021–2025", 465 "Member States of the Council of Europe"
    p = practice(idm, "1.1.1")
    assert p.record.title == (
        "Action Plan on Protecting Vulnerable Persons in the Context of Migration and Asylum in "
        "Europe"
    )
    assert values(p.lead_organisations) == ["council-of-europe"]
    assert p.field_text("PERIOD") == "2021–2025"
    assert values(p.record.years)[:2] == [2021, 2025]
    assert p.field_text("GEOGRAPHICAL SCOPE") == "Member States of the Council of Europe"
    assert (p.record.first_line, p.record.last_line) == (453, 495)
    assert not p.briefly_referred


def test_briefly_referred_heading(idm):
    # 576 "1.1.4 PRE-DEPARTURE TRAINING ... (BRIEFLY REFERRED TO)"; 580 "Sri Lanka Bureau of
    # Foreign Employment"
    p = practice(idm, "1.1.4")
    assert p.briefly_referred
    assert p.heading == "PRE-DEPARTURE TRAINING PROGRAMME FOR FIRST-TIME MIGRANT WORKERS"
    assert values(p.lead_organisations) == ["sri-lanka-bureau-of-foreign-employment"]
    assert values(p.record.countries) == ["LKA"]


def test_a_government_is_its_country_not_an_organisation(idm):
    # 938 "Government of Japan/UNODC"
    p = practice(idm, "1.2.3")
    assert values(p.lead_organisations) == ["united-nations-office-on-drugs-and-crime"]
    assert values(p.lead_countries) == ["JPN"]
    # 1296 "Venezuela (Bolivarian Republic of)"
    p = practice(idm, "1.2.12")
    assert (values(p.lead_organisations), values(p.lead_countries)) == ([], ["VEN"])


def test_organisation_field_over_two_lines(idm):
    # 501-502 "Insan Association, Cross-Regional" / "Center for Refugees and Migrants"
    assert values(practice(idm, "1.1.2").lead_organisations) == [
        "insan-association",
        "cross-regional-center-for-refugees-and-migrants",
    ]


def test_a_list_of_eleven_lead_organisations(idm):
    # 1989 "Bill and Melinda Gates Foundation, Coalition for Epidemic Preparedness Innovations,
    # FIND Diagnosis for all, Gavi, The Global Fund, Unitaid, Wellcome, WHO, World Bank, UNICEF
    # and the Pan American Health Organization"
    leads = practice(idm, "2.2.1").lead_organisations
    assert len(leads) == 11
    assert leads[0].name == "Bill and Melinda Gates Foundation"
    assert leads[-1].name == "Pan American Health Organization"
    assert "world-health-organization" in values(leads)


def test_a_national_branch_names_its_country(idm):
    # 2816 "SOS Children's Villages Colombia"
    p = practice(idm, "3.1.6")
    assert values(p.lead_organisations) == ["sos-children-s-villages"]
    assert values(p.lead_countries) == ["COL"]


def test_consular_id_countries_and_years(idm):
    # 1652 "2002-present"; 1660 "Following the September 2001 terrorist attacks ... 51 consulates
    # in the United States. It now also issues consular IDs in Spain and Costa Rica. Since 2006,
    # ... As of June 2022, ..."; 1666 "As of December 2021"
    record = practice(idm, "2.1.5").record
    assert values(record.countries) == ["MEX", "USA", "ESP", "CRI"]
    assert values(record.years) == [2002, 2001, 2006, 2022, 2021]


def test_objectives_named_by_a_practice(idm):
    # 1519 "Sri Lanka has taken a number of measures to realize Objective 4"
    assert [(m.value, m.line) for m in practice(idm, "2.1.2").record.objectives] == [(4, 1519)]
    # 1733 "such as Objective 6"; 1741 "implementation of Objective 4 and other objectives, such
    # as Nos. 2 and 3"
    found = [(m.value, m.line) for m in practice(idm, "2.1.7").record.objectives]
    assert found == [(6, 1733), (4, 1741), (2, 1741), (3, 1741)]
    # 2947 "Objective 23 of the Global Compact for Migration was used as a platform"
    p = practice(idm, "3.1.9")
    assert [(m.value, m.line) for m in p.record.objectives] == [(23, 2947)]
    assert values(p.record.countries)[:2] == ["PHL", "BHR"]


def test_codifying_the_23_objectives_links_no_single_objective(idm):
    # 2660 "3.1.2 CODIFYING THE GLOBAL COMPACT FOR MIGRATION'S 23 OBJECTIVES INTO LAW"
    assert practice(idm, "3.1.2").record.objectives == ()


def test_a_list_without_its_heading_and_a_label_with_a_note(idm):
    # section 2.3 has no "Innovative approaches" line before 2181 "2.3.1 AFRICAN CLIMATE ...";
    # its impacts are labelled "IMPACTS (intended)" (2200)
    p = practice(idm, "2.3.1")
    assert p.section == "2.3"
    assert "Africa speaks with one voice." in p.field_text("IMPACTS")


def test_a_field_broken_by_a_page_break_is_joined(idm):
    # 1581 "... (either because they" / 1583 "were stolen or confiscated by employers, etc.)"
    assert "(either because they were stolen or confiscated" in practice(idm, "2.1.3").field_text(
        "LESSONS LEARNED"
    )


def test_not_available_is_no_text(idm):
    # 600 "Not available"
    assert practice(idm, "1.1.4").field_text("LESSONS LEARNED") == ""


def test_titles_in_title_case_keep_acronyms(idm):
    assert practice(idm, "2.2.1").record.title == (
        "Access to COVID-19 Tools (ACT) Accelerator + COVAX Facility"
    )
    assert practice(idm, "3.1.5").record.title == (
        "European Qualifications Passport for Refugees (EQPR) - Phase III"
    )


def test_practice_ids_are_title_slugs(idm):
    assert practice(idm, "1.1.3").record.id == "idm-missing-persons-project"
    long_id = practice(idm, "1.2.11").record.id
    assert long_id.startswith("idm-resolution-on-the-political-declaration")
    assert len(long_id) <= len("idm-") + 48 + 7
    assert practice_id("A" * 10) == practice_id("a" * 10) == "idm-aaaaaaaaaa"


def test_the_licence_statement(idm, sources):
    # line 36 "... Creative Commons Attribution-NonCommercial-NoDerivs 3.0 IGO License ..."
    assert idm.licence.number == 36
    assert "CC BY-NC-ND 3.0 IGO" in sources["idm"].licence
    assert idm_model.licence_findings(idm, sources["idm"].licence) == []
    [finding] = idm_model.licence_findings(idm, "CC BY 4.0")
    assert (finding.check, finding.severity) == ("idm-licence-differs", "substantive")


# --- mentions and the organisation field ------------------------------------------------------


def mentions_in(*texts: str) -> list[int]:
    lines = [Line(n, t) for n, t in enumerate(texts, start=1)]
    return [m.value for m in objective_mentions(LinedText(lines))]


def test_objective_mention_forms():
    assert mentions_in("as GCM objective 5 requires") == [5]
    assert mentions_in("objectives 1 and 3 of the Compact") == [1, 3]
    assert mentions_in("Objectives 1, 2 and 3") == [1, 2, 3]
    assert mentions_in("Objective 23", "and again Objective 23") == [23]
    assert mentions_in("Objective 24 does not exist") == [24]
    assert mentions_in("objectives 4 to 6") == [4, 5, 6]
    assert mentions_in("SDG Target 8.7 and objective 10.7 of a plan") == []
    assert mentions_in("The first objective was to empower 8,000 children") == []


@given(st.lists(st.integers(1, 99), min_size=1, max_size=5, unique=True))
def test_parse_number_list_reads_what_it_is_given(numbers):
    if len(numbers) == 1:
        text = str(numbers[0])
    else:
        text = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
    assert parse_number_list(text) == numbers


def field(text: str) -> Field:
    lines = tuple(Line(n, t) for n, t in enumerate(text.split("\n"), start=10))
    return Field("ORGANIZATION", text, lines)


def test_organisation_field_rules():
    orgs, countries = organisation_field(field("Government of the Islamic Republic of Iran"))
    assert (orgs, values(countries)) == ((), ["IRN"])
    orgs, countries = organisation_field(
        field("Guatemala, United Nations Economic\nCommission for Latin America and\nthe Caribbean")
    )
    assert values(orgs) == [
        "united-nations-economic-commission-for-latin-america-and-the-caribbean"
    ]
    assert values(countries) == ["GTM"]
    orgs, countries = organisation_field(field("Office of the Prime Minister, Somalia"))
    assert [(o.value, o.name, o.line) for o in orgs] == [
        ("office-of-the-prime-minister-somalia", "Office of the Prime Minister, Somalia", 10)
    ]
    assert values(countries) == ["SOM"]


def test_the_gazetteer_has_no_name_for_two_organisations():
    table = name_table()
    assert table["IOM"] is table["International Organization for Migration"]
    assert table["UNWomen"].slug == "un-women"


# --- the graph ------------------------------------------------------------------------------


def test_section_links_to_objectives(built):
    g = graph_of(built)
    section = IRIS.section("idm", "1.1")
    assert (section, RDF.type, GCM.DocumentSection) in g
    linked = sorted(
        int(str(o).rsplit("/", 1)[1]) for o in g.objects(section, GCM.addressesObjective)
    )
    assert linked == [1, 2, 3, 7, 8]  # not 4: its box entry quotes objective 5's title
    assert sorted(
        int(str(o).rsplit("/", 1)[1])
        for o in g.objects(IRIS.section("idm", "2.2"), GCM.addressesObjective)
    ) == [5, 15]


def test_practice_resource(built, idm):
    g = graph_of(built)
    record = practice(idm, "2.1.7").record
    iri = IRIS.practice(record.id)
    assert g.value(iri, DCTERMS.isPartOf) == IRIS.section("idm", "2.1")
    assert g.value(iri, SKOS.notation) == Literal("2.1.7")
    assert g.value(iri, GCM.brieflyReferred) == Literal(False, datatype=XSD.boolean)
    assert g.value(iri, GCM.period) == Literal("Ongoing")
    assert sorted(str(o).rsplit("/", 1)[1] for o in g.objects(iri, GCM.illustrates)) == [
        "2",
        "3",
        "4",
        "6",
    ]
    assert str(g.value(iri, SKOS.hiddenLabel)) == "REGULARIZING UNDOCUMENTED MIGRANTS"


def test_lead_organisations_are_also_named(built, idm):
    g = graph_of(built)
    iri = IRIS.practice(practice(idm, "1.2.3").record.id)
    unodc = IRIS.organisation("united-nations-office-on-drugs-and-crime")
    assert (iri, GCM.leadOrganisation, unodc) in g
    assert (iri, GCM.namesOrganisation, unodc) in g
    assert (iri, GCM.namesCountry, IRIS.country("JPN")) in g


def test_a_country_link_points_to_its_line(built, idm):
    g = graph_of(built)
    iri = IRIS.practice(practice(idm, "2.1.5").record.id)
    [statement] = [
        s for s in g.subjects(RDF.object, IRIS.country("USA")) if g.value(s, RDF.subject) == iri
    ]
    span = g.value(statement, PROV.wasDerivedFrom)
    assert g.value(span, GCM.firstLine).toPython() == 1660


def test_contacts_are_not_in_the_graph(built):
    """Names and e-mail addresses of the CONTACT fields are personal data."""
    literals = [str(o) for o in graph_of(built).objects() if isinstance(o, Literal)]
    assert not any("@" in text for text in literals)
    assert not any("Kayacik" in text for text in literals)  # 492, a contact of 1.1.1


def test_box_discrepancies(built):
    [other] = built.report.by_check("idm-box-title-of-other-objective")
    assert other.severity == "substantive"
    assert other.locations == {"idm": "lines 349-350"}
    assert other.details["quoted_is_title_of"] == 5
    [repeated] = built.report.by_check("idm-objective-box-repeated")
    assert repeated.subject == "IDM section 3.2 objective box"
    assert not built.report.by_check("objective-does-not-exist")
    assert not built.report.by_check("idm-box-title-differs")


def damaged(sources, tmp_path: Path, old: str, new: str):
    source = sources["idm"]
    text = source.read_text()
    assert old in text
    path = tmp_path / source.path.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dataclasses.replace(source, path=path)


def test_an_objective_that_does_not_exist_is_reported_not_linked(sources, resolution, tmp_path):
    # line 2947 with "Objective 23" changed to "Objective 24"
    source = damaged(
        sources,
        tmp_path,
        "Rather, Objective 23 of the Global",
        "Rather, Objective 24 of the Global",
    )
    ctx = build(sources, resolution, source)
    [finding] = ctx.report.by_check("objective-does-not-exist")
    assert finding.severity == "substantive"
    assert finding.locations == {"idm": "line 2947"}
    assert finding.details["number"] == 24
    g = graph_of(ctx)
    assert not list(g.triples((None, None, IRIS.objective(24))))


def test_a_box_title_in_other_words_is_trivial(sources, resolution, tmp_path):
    source = damaged(
        sources,
        tmp_path,
        "“Provide access to basic services for migrants.”",
        "“Provide basic services to migrants.”",
    )
    ctx = build(sources, resolution, source)
    [finding] = ctx.report.by_check("idm-box-title-differs")
    assert (finding.severity, finding.locations) == ("trivial", {"idm": "lines 2519-2520"})
    assert (IRIS.section("idm", "3.1"), GCM.addressesObjective, IRIS.objective(15)) in graph_of(ctx)


# --- bad input ------------------------------------------------------------------------------


def test_a_practice_without_description_names_file_and_line(sources, tmp_path):
    source = damaged(
        sources,
        tmp_path,
        "Global\n\nDESCRIPTION\n\nThrough the Missing Persons Project",
        "Global\n\nThrough the Missing Persons Project",
    )
    with pytest.raises(SourceError) as error:
        parse_idm(source)
    assert str(error.value).startswith(f"{SOURCE_FILE}:536: expected the field(s) DESCRIPTION")


def test_a_practice_numbered_for_another_section(sources, tmp_path):
    source = damaged(sources, tmp_path, "1.1.3 MISSING PERSONS", "1.2.3 MISSING PERSONS")
    with pytest.raises(
        SourceError, match=rf"{SOURCE_FILE}:536: expected a practice numbered 1\.1\.n"
    ):
        parse_idm(source)


def test_fields_out_of_order(sources, tmp_path):
    source = damaged(
        sources,
        tmp_path,
        "PERIOD\n\n2018–2022\n\nGEOGRAPHICAL SCOPE\n\nGlobal",
        "GEOGRAPHICAL SCOPE\n\nGlobal\n\nPERIOD\n\n2018–2022",
    )
    with pytest.raises(SourceError, match=r":536: expected fields in the order"):
        parse_idm(source)


# --- shapes ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(SHAPES_DIR / "gfmd.ttl")


def with_context(ctx: BuildContext) -> Graph:
    """The idm graph with the source documents and typed objectives it points to."""
    graph = Graph()
    for triple in graph_of(ctx):
        graph.add(triple)
    for source in ctx.sources.values():
        describe_source(graph, IRIS, source)
    for number in range(1, 24):
        graph.add((IRIS.objective(number), RDF.type, GCM.Objective))
    return graph


def failures(graph: Graph, shapes: Graph) -> list[str]:
    result = validate_graph(graph, shapes)
    return [f"{v.shape} <{v.focus}> {v.path}: {v.message}" for v in result.violations]


def test_the_built_idm_graph_conforms(built, shapes):
    assert failures(with_context(built), shapes) == []


def test_section_shape_bites(built, shapes):
    section = IRIS.section("idm", "2.1")
    graph = with_context(built)
    graph.remove((section, GCM.sectionNumber, None))
    assert any("/section/2.1> sectionNumber: Less than 1" in f for f in failures(graph, shapes))
    graph = with_context(built)
    graph.add((section, GCM.addressesObjective, IRIS.principle("a")))
    assert any(
        "addressesObjective: Value does not have class" in f for f in failures(graph, shapes)
    )


def test_lead_organisation_shape_bites(built, idm, shapes):
    graph = with_context(built)
    iri = IRIS.practice(practice(idm, "1.2.3").record.id)
    graph.remove((iri, GCM.namesOrganisation, None))
    found = failures(graph, shapes)
    assert any("LeadOrganisationShape" in f and "is not also named" in f for f in found), found
    graph = with_context(built)
    graph.add((iri, GCM.leadOrganisation, URIRef("https://w3id.org/gcm/country/JPN")))
    graph.add((iri, GCM.namesOrganisation, URIRef("https://w3id.org/gcm/country/JPN")))
    assert any("leadOrganisation: Value does not have class" in f for f in failures(graph, shapes))


def test_practice_fields_shape_bites(built, idm, shapes):
    graph = with_context(built)
    iri = IRIS.practice(practice(idm, "1.1.1").record.id)
    graph.add((iri, GCM.period, Literal("2020")))
    assert any("period: More than 1" in f for f in failures(graph, shapes))
    graph = with_context(built)
    graph.set((iri, GCM.brieflyReferred, Literal("no")))
    assert any("brieflyReferred: Value is not Literal" in f for f in failures(graph, shapes))
