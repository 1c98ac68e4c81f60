"""International instruments: the catalogue matcher, the facts each document states (golden years
read from the booklet's frameworks section and the resolution), deduplication, links from actions,
claims and conflicts, and the shapes.

Line numbers: booklet = sources/gcm-implementation-booklet.txt, resolution =
sources/un-ga-resolution-A-RES-73-195-gcm.txt.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from gcm_graph.context import BuildContext
from gcm_graph.extract.instrument_catalogue import CATALOGUE, KINDS, compiled
from gcm_graph.extract.instruments import (
    ADOPTION,
    ENDORSEMENT,
    ENTRY_INTO_FORCE,
    Evidence,
    YearClaim,
    booklet_frameworks,
    find_instruments,
    required_literal,
    resolution_evidence,
    resolve_name,
)
from gcm_graph.extract.records import PreambleInstrument
from gcm_graph.extract.resolution import parse_resolution
from gcm_graph.model import booklet as booklet_model
from gcm_graph.model import instruments as instruments_model
from gcm_graph.model import resolution as resolution_model
from gcm_graph.release import merged_graph
from gcm_graph.validate import load_shapes, validate_graph
from gcm_graph.vocab import GCM, Iris

from support import damaged, models_context

IRIS = Iris("https://w3id.org/gcm/")


@pytest.fixture(scope="module")
def resolution(sources):
    return parse_resolution(sources["resolution"])


@pytest.fixture(scope="module")
def context(sources):
    return models_context(
        sources, resolution_model.build, booklet_model.build, instruments_model.build
    )


@pytest.fixture(scope="module")
def graph(context):
    return merged_graph(context.dataset)


# -- the matcher -----------------------------------------------------------------------------------


def slugs(text: str) -> list[str]:
    return [m.slug for m in find_instruments(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Slavery Convention and the Supplementary Convention on the Abolition of Slavery, "
         "the Slave Trade, and Institutions and Practices Similar to Slavery",
         ["slavery-convention", "supplementary-slavery-convention"]),
        ("Convention against Torture ... (UNCAT), 1984", ["cat"]),
        ("the 2030 Agenda for Sustainable Development", ["agenda-2030"]),
        ("the Sendai Framework for Disaster Risk Reduction 2015–2030", ["sendai-framework"]),
        ("ILO Convention No. 143 and C189", ["ilo-c143", "ilo-c189"]),
        ("the ILO Recommendation 202 on Social Protection Floors", ["ilo-r202"]),
        ("the Global Compact for Safe, Orderly and Regular Migration", []),
        ("Paris Agreement on Climate Change", ["paris-agreement"]),
        ("Protocol to Prevent, Suppress and Punish Trafficking in Persons\nEspecially Women",
         ["trafficking-protocol"]),
    ],
)  # fmt: skip
def test_find_instruments(text, expected):
    assert slugs(text) == expected


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"\bC0?97\b", "97"),
        (r"(?:United\s+Nations\s+)?Global\s+Plan\s+of\s+Action", "Global"),
        (r"(?<!Supplementary\s)Slavery\s+Convention", "Convention"),
        (r"Policy-?makers", "Policy"),
        (r"Paris|Kyoto", ""),  # an alternative: no literal is sure
        (r"(?i)Paris", ""),  # case ignored: `in` would miss "PARIS"
    ],
)
def test_required_literal(pattern, literal):
    """The prefilter of find_instruments: a pattern runs only on texts holding its literal."""
    assert required_literal(re.compile(pattern)) == literal


def test_prefilter_loses_no_match(sources):
    """Every match of every pattern in every source line contains the pattern's literal."""
    keyed = [(pattern, required_literal(pattern)) for pattern, _item, _is_name in compiled()]
    for source in sources.values():
        for line in source.lines():
            for pattern, literal in keyed:
                assert all(literal in m.group(0) for m in pattern.finditer(line))


def test_catalogue_is_consistent():
    assert len({e.slug for e in CATALOGUE}) == len(CATALOGUE)
    assert all(e.kind in KINDS for e in CATALOGUE)
    # every canonical name resolves to its own entry
    assert all(resolve_name(e.name) == e.slug for e in CATALOGUE)


# -- golden facts of the booklet's frameworks section --------------------------------------------


@pytest.fixture(scope="module")
def frameworks(sources):
    return booklet_frameworks(sources["booklet"])


def years_of(evidence: Evidence, slug: str, fact: str) -> set[tuple[int, int]]:
    return {(c.year, c.line) for c in evidence.years if c.slug == slug and c.fact == fact}


@pytest.mark.parametrize(
    ("slug", "fact", "year", "line"),
    [
        ("udhr", ADOPTION, 1948, 54),  # "Universal Declaration of Human Rights (UDHR), 1948"
        ("udhr", ADOPTION, 1948, 56),  # "Adopted by the United Nations General Assembly on 10 December 1948"
        ("iccpr", ADOPTION, 1966, 58),
        ("icescr", ADOPTION, 1966, 62),
        ("icerd", ADOPTION, 1965, 66),
        ("cedaw", ADOPTION, 1979, 70),
        ("cat", ADOPTION, 1984, 74),
        ("crc", ADOPTION, 1989, 78),
        ("icrmw", ADOPTION, 1990, 82),
        ("cped", ADOPTION, 2006, 86),
        ("crpd", ADOPTION, 2006, 90),
        # 94: "...Organized Crime, also known as the Palermo Convention, (entering into force in
        # 2003) ... Trafficking ... (entering into force in 2003) ... Smuggling ... (... 2004)"
        ("untoc", ENTRY_INTO_FORCE, 2003, 94),
        ("trafficking-protocol", ENTRY_INTO_FORCE, 2003, 94),
        ("smuggling-protocol", ENTRY_INTO_FORCE, 2004, 94),
        # 96: "Slavery Convention (entry into force in 1927) and the Supplementary Convention ...
        # (entry into force on 1957)"
        ("slavery-convention", ENTRY_INTO_FORCE, 1927, 96),
        ("supplementary-slavery-convention", ENTRY_INTO_FORCE, 1957, 96),
        # 102: "The convention entered into force in 2004" (so the booklet says, under UNFCCC)
        ("unfccc", ENTRY_INTO_FORCE, 2004, 102),
        ("unccd", ENTRY_INTO_FORCE, 1996, 106),
        ("paris-agreement", ENTRY_INTO_FORCE, 2016, 110),
        ("ilo-c097", ADOPTION, 1949, 114),  # "Migration for Employment Convention of 1949 (...97)"
        ("ilo-c143", ADOPTION, 1975, 115),
        ("ilo-c118", ADOPTION, 1962, 116),
        ("ilo-c189", ADOPTION, 2011, 117),
        # 121: "adopted by UN resolution in 2015 and came into effect on 1st January, 2016"
        ("agenda-2030", ADOPTION, 2015, 121),
        ("agenda-2030", ENTRY_INTO_FORCE, 2016, 121),
        # 125: "Adopted at the Third International Conference ..., then subsequently endorsed by
        # the UN General Assembly in July 2015"
        ("addis-ababa-action-agenda", ENDORSEMENT, 2015, 125),
        # 129: "The New York Declaration was adopted in 2016 ... The Global Compact for Refugees
        # was adopted in 2018"
        ("new-york-declaration", ADOPTION, 2016, 129),
        ("global-compact-on-refugees", ADOPTION, 2018, 129),
        ("sendai-framework", ADOPTION, 2015, 133),
        ("new-urban-agenda", ADOPTION, 2016, 137),  # "in Quito on 20 October 2016"
        ("new-urban-agenda", ENDORSEMENT, 2016, 137),  # "in December of 2016"
    ],
)  # fmt: skip
def test_booklet_framework_years(frameworks, slug, fact, year, line):
    assert (year, line) in years_of(frameworks, slug, fact)


def test_booklet_states_no_other_years(frameworks):
    # the Addis Ababa "Adopted at the Third International Conference" has no year of its own
    assert years_of(frameworks, "addis-ababa-action-agenda", ADOPTION) == set()
    # the period of the Sendai Framework (line 131, "(2015-2030)") is not an adoption year
    assert years_of(frameworks, "sendai-framework", ADOPTION) == {(2015, 133)}
    assert len(frameworks.years) == 32


def test_booklet_framework_names(frameworks):
    names = {(n.slug, n.name) for n in frameworks.names}
    assert ("ilo-c189", "Convention on Decent Work for Domestic Workers") in names  # line 117
    assert ("unccd", "United Nations Convention to Combat Desertification") in names  # line 104


# -- the resolution ------------------------------------------------------------------------------


def test_hand_made_preamble_records():
    """The reader of the preamble records, on records made by hand (as the parser makes them)."""
    records = (
        PreambleInstrument(
            "Universal Declaration of Human Rights", 2, 42, 2, "Resolution 217 A (III)."
        ),
        PreambleInstrument(
            "United Nations Convention against Transnational Organized Crime",
            2,
            42,
            5,
            "United Nations, Treaty Series, vol. 2225, No. 39574.",
        ),
        PreambleInstrument(
            "Protocol against the Smuggling of Migrants by Land, Sea and Air",
            2,
            42,
            7,
            "Ibid., vol. 2241, No. 39574.",
        ),
        PreambleInstrument(
            "International Labour Organization conventions on promoting decent "
            "work and labour migration",
            2,
            42,
            13,
            "Migration for ...",
        ),
        PreambleInstrument(
            "Migration for Employment Convention (Revised)",
            2,
            67,
            13,
            "ILO Convention No. 97, 1949",
            "International Labour Organization conventions on promoting decent "
            "work and labour migration",
        ),
        PreambleInstrument("A Convention Nobody Catalogued", 2, 42, 99, None),
    )

    class Stub:
        instruments = records
        actions = ()
        objectives = ()
        paragraphs = ()

    evidence = resolution_evidence(Stub())
    assert {r.slug for r in evidence.references} == {
        "udhr",
        "untoc",
        "smuggling-protocol",
        "ilo-c097",
    }
    assert years_of(evidence, "ilo-c097", ADOPTION) == {(1949, 67)}
    citations = {c.slug: c.text for c in evidence.citations}
    assert citations["smuggling-protocol"] == "United Nations, Treaty Series, vol. 2241, No. 39574."
    assert evidence.unresolved == [("resolution", "A Convention Nobody Catalogued", 42)]
    # footnote 13's collective name is a group, not an instrument
    assert not any("conventions on promoting" in u[1] for u in evidence.unresolved)


def test_resolution_facts(resolution):
    evidence = resolution_evidence(resolution)
    # line 564, 22 (a): "the ILO Social Protection Floors Recommendation, 2012 (No. 202)"
    assert years_of(evidence, "ilo-r202", ADOPTION) == {(2012, 564)}
    # line 67, footnote 13: "Domestic Workers Convention, 2011 (No. 189)"
    assert years_of(evidence, "ilo-c189", ADOPTION) == {(2011, 67)}
    assert evidence.unresolved == []


# -- the graph -----------------------------------------------------------------------------------


def test_one_resource_per_instrument(graph):
    # ILO C97 as the booklet (line 114, "Migration for Employment Convention of 1949"), the
    # resolution (line 67, "Migration for Employment Convention (Revised), 1949 (No. 97)") and the
    # GFMD name it: one resource, named by all three
    labelled = {
        s for s, o in graph.subject_objects(SKOS.prefLabel) if "Migration for Employment" in str(o)
    }
    c097 = IRIS.instrument("ilo-c097")
    assert labelled == {c097}
    referenced_by = {str(o).rsplit("/", 1)[-1] for o in graph.objects(c097, DCTERMS.isReferencedBy)}
    assert referenced_by == {"resolution", "booklet", "gfmd"}
    assert (c097, SKOS.altLabel, Literal("Migration for Employment Convention", lang="en")) in graph
    udhr = IRIS.instrument("udhr")
    assert list(graph.objects(udhr, SKOS.prefLabel)) == [
        Literal("Universal Declaration of Human Rights", lang="en")
    ]
    assert (udhr, GCM.instrumentKind, GCM.Declaration) in graph
    assert (IRIS.instrument("iccpr"), GCM.instrumentKind, GCM.CoreHumanRightsTreaty) in graph
    # every instrument the booklet's frameworks section or the preamble names is in the graph
    for slug in (
        "unccd",
        "kyoto-protocol",
        "global-compact-on-refugees",
        "charter-of-the-united-nations",
    ):
        assert (IRIS.instrument(slug), RDF.type, GCM.Instrument) in graph


@pytest.mark.parametrize(
    ("slug", "prop", "year"),
    [
        ("udhr", GCM.adoptionYear, "1948"),
        ("iccpr", GCM.adoptionYear, "1966"),
        ("crc", GCM.adoptionYear, "1989"),
        ("smuggling-protocol", GCM.entryIntoForceYear, "2004"),
        ("ilo-c097", GCM.adoptionYear, "1949"),
        ("ilo-r202", GCM.adoptionYear, "2012"),
        ("paris-agreement", GCM.entryIntoForceYear, "2016"),
    ],
)
def test_instrument_years(graph, slug, prop, year):
    assert list(graph.objects(IRIS.instrument(slug), prop)) == [Literal(year, datatype=XSD.gYear)]


def test_smuggling_protocol_link_from_9a(graph):
    # resolution line 336, 9 (a): "... implementation of the Protocol against the Smuggling of
    # Migrants by Land, Sea and Air, supplementing the United Nations Convention against ..."
    action = IRIS.action(9, "a")
    protocol = IRIS.instrument("smuggling-protocol")
    assert (action, GCM.namesInstrument, protocol) in graph
    assert (action, GCM.namesInstrument, IRIS.instrument("untoc")) in graph
    assert (IRIS.objective(9), GCM.relatedInstrument, protocol) in graph
    statement = next(
        s for s in graph.subjects(RDF.subject, action) if (s, RDF.object, protocol) in graph
    )
    assert (statement, PROV.wasDerivedFrom, IRIS.span("resolution", 336, 336)) in graph


def test_r202_link_from_22a(graph):
    # resolution line 564, 22 (a): "in line with the ILO Social Protection Floors Recommendation"
    r202 = IRIS.instrument("ilo-r202")
    assert (IRIS.action(22, "a"), GCM.namesInstrument, r202) in graph
    assert (IRIS.objective(22), GCM.relatedInstrument, r202) in graph
    assert (r202, GCM.instrumentKind, GCM.ILORecommendation) in graph
    assert str(graph.value(r202, SKOS.notation)) == "R202"
    # no other action names R202
    assert set(graph.subjects(GCM.namesInstrument, r202)) == {IRIS.action(22, "a")}


def test_preamble_footnote_treaties_link_paragraph_2(graph):
    # resolution line 49, footnote 4: "... Convention on the Rights of Persons with Disabilities"
    assert (IRIS.paragraph(2), GCM.namesInstrument, IRIS.instrument("crpd")) in graph
    citation = graph.value(IRIS.instrument("udhr"), DCTERMS.bibliographicCitation)
    assert str(citation) == "Resolution 217 A (III)."  # line 45, footnote 2


def test_claims_keep_each_document(graph):
    claims = set(graph.subjects(GCM.claimSubject, IRIS.instrument("ilo-c097")))
    sources = {
        str(graph.value(c, DCTERMS.source)).rsplit("/", 1)[-1]
        for c in claims
        if graph.value(c, GCM.claimProperty) == GCM.adoptionYear
    }
    assert sources == {"resolution", "booklet", "gfmd"}


def test_name_differences_are_reported(context):
    found = {
        d.subject: d for d in context.report.by_check("instrument-fact-conflict")
        if d.details["fact"] == "name"
    }  # fmt: skip
    # booklet line 117 vs resolution line 67
    c189 = found["instrument ilo-c189"]
    assert c189.details == {
        "fact": "name",
        "resolution": "Domestic Workers Convention",
        "booklet": "Convention on Decent Work for Domestic Workers",
    }
    assert c189.severity == "trivial"
    assert "instrument udhr" not in found


def test_no_year_conflict_between_the_documents(context):
    """The documents agree on every year they share (the booklet's wrong UNFCCC year is the only
    statement of that fact, so there is nothing to compare it with)."""
    conflicts = [
        d
        for d in context.report.by_check("instrument-fact-conflict")
        if d.details["fact"] != "name"
    ]
    assert conflicts == []


def test_year_conflict_keeps_both_claims(context):
    evidence = Evidence(years=[
        YearClaim("ilo-c118", ADOPTION, 1962, "resolution", 67, "Convention, 1962 (No. 118)"),
        YearClaim("ilo-c118", ADOPTION, 1952, "booklet", 116, "Convention of 1952"),
        YearClaim("crpd", ADOPTION, 2006, "booklet", 90, "Disabilities, 2006"),
        YearClaim("crpd", ADOPTION, 2007, "booklet", 91, "Disabilities, 2007"),
    ])  # fmt: skip
    scratch = BuildContext(IRIS, context.sources, context.resolution, Dataset())
    graphs = {sid: scratch.source_graph(sid) for sid in ("resolution", "booklet")}
    findings = instruments_model.year_findings(graphs, evidence)  # no reference dates
    conflicts = [d for d in findings if d.check == "instrument-fact-conflict"]
    assert [(d.subject, d.severity) for d in conflicts] == [
        ("instrument crpd", "substantive"),
        ("instrument ilo-c118", "substantive"),
    ]
    merged = merged_graph(scratch.dataset)
    # the resolution's year wins; the booklet's disagreeing claim stays, in the booklet's graph
    assert list(merged.objects(IRIS.instrument("ilo-c118"), GCM.adoptionYear)) == [
        Literal("1962", datatype=XSD.gYear)
    ]
    assert list(merged.objects(IRIS.instrument("crpd"), GCM.adoptionYear)) == []
    booklet_claim = IRIS.claim("ilo-c118-adoption-booklet-1952-line-116")
    assert (booklet_claim, GCM.claimValue, Literal("1952", datatype=XSD.gYear)) in (
        scratch.dataset.graph(IRIS.graph("booklet"))
    )


# -- shapes --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def test_instrument_graph_conforms(graph, shapes):
    result = validate_graph(graph, shapes)
    assert result.conforms, result.text()


def test_shape_bites_instrument_without_kind_or_with_two_years(graph, shapes):
    udhr = IRIS.instrument("udhr")
    result = validate_graph(
        damaged(graph, remove=[(udhr, GCM.instrumentKind, None)],
                add=[(udhr, GCM.adoptionYear, Literal("1949", datatype=XSD.gYear))]),
        shapes,
    )  # fmt: skip
    messages = {v.message for v in result.violations}
    assert "An instrument has one kind from gcm:InstrumentKindScheme" in messages
    assert "At most one adoption year: conflicting claims stay claims" in messages


def test_shape_bites_entry_into_force_before_adoption(graph, shapes):
    iccpr = IRIS.instrument("iccpr")
    result = validate_graph(
        damaged(graph, add=[(iccpr, GCM.entryIntoForceYear, Literal("1960", datatype=XSD.gYear))]),
        shapes,
    )
    assert any(
        "enters into force (1960) before it is adopted" in v.message for v in result.violations
    )


def test_shape_bites_claim_without_span_and_bad_link(graph, shapes):
    claim = IRIS.claim("crc-adoption-booklet-1989-line-78")
    assert (claim, RDF.type, GCM.Claim) in graph
    result = validate_graph(
        damaged(graph, remove=[(claim, PROV.wasDerivedFrom, None)],
                add=[(IRIS.action(1, "a"), GCM.namesInstrument, IRIS.objective(2))]),
        shapes,
    )  # fmt: skip
    messages = {v.message for v in result.violations}
    assert "A claim says which lines of its document state it" in messages
    assert "gcm:namesInstrument points to a gcm:Instrument" in messages
