"""The reference of the instruments' official dates (sources/instrument-dates.csv) and the check of
the documents' dated claims against it.

The booklet (sources/gcm-implementation-booklet.txt) says of the UNFCCC, line 102: "The convention
entered into force in 2004"; the Convention entered into force on 21 March 1994 (UN Treaty
Collection, MTDSG chapter XXVII.7; the resolution's footnote 10, line 61, cites its UNTS record
"vol. 1771, No. 30822"). The graph must state 1994 and keep the booklet's 2004 as a flagged claim.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, PROV, XSD

from gcm_graph.errors import SourceError
from gcm_graph.extract.instrument_catalogue import CATALOGUE
from gcm_graph.extract.instrument_dates import read_instrument_dates
from gcm_graph.extract.instruments import ADOPTION, YearClaim, resolution_evidence
from gcm_graph.extract.resolution import parse_resolution
from gcm_graph.model import booklet as booklet_model
from gcm_graph.model import gfmd as gfmd_model
from gcm_graph.model import idm as idm_model
from gcm_graph.model import instruments as instruments_model
from gcm_graph.model import resolution as resolution_model
from gcm_graph.model.instrument_dates import agrees, stated_date
from gcm_graph.release import merged_graph
from gcm_graph.sources import Source
from gcm_graph.validate import load_shapes, validate_graph
from gcm_graph.vocab import GCM, Iris

from support import damaged, models_context

IRIS = Iris("https://w3id.org/gcm/")
UNFCCC = IRIS.instrument("unfccc")
BOOKLET_CLAIM = IRIS.claim("unfccc-entry-into-force-booklet-2004-line-102")
REFERENCE_FILE = "instrument-dates.csv"


@pytest.fixture(scope="module")
def context(sources):
    builders = (resolution_model.build, booklet_model.build, gfmd_model.build, idm_model.build)
    return models_context(sources, *builders, instruments_model.build)


@pytest.fixture(scope="module")
def graph(context):
    return merged_graph(context.dataset)


@pytest.fixture(scope="module")
def reference(sources):
    return read_instrument_dates(sources["instrument-dates"])


def reference_line(text: str) -> int:
    path = Path(__file__).parent.parent / "sources" / REFERENCE_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(text))


# -- the graph states the reference's date, not the booklet's ------------------------------------


def test_unfccc_entry_into_force_is_the_reference_date(graph):
    assert list(graph.objects(UNFCCC, GCM.entryIntoForceYear)) == [
        Literal("1994", datatype=XSD.gYear)
    ]
    assert list(graph.objects(UNFCCC, GCM.entryIntoForceDate)) == [
        Literal("1994-03-21", datatype=XSD.date)
    ]
    assert list(graph.objects(UNFCCC, GCM.adoptionDate)) == [
        Literal("1992-05-09", datatype=XSD.date)
    ]


def test_the_booklet_claim_is_kept_and_flagged(context, graph):
    booklet = context.dataset.graph(IRIS.graph("booklet"))
    assert (BOOKLET_CLAIM, GCM.claimValue, Literal("2004", datatype=XSD.gYear)) in booklet
    assert (BOOKLET_CLAIM, PROV.wasDerivedFrom, IRIS.span("booklet", 102, 102)) in booklet
    # the booklet's graph does not state 2004 as the Convention's year
    assert (UNFCCC, GCM.entryIntoForceYear, Literal("2004", datatype=XSD.gYear)) not in graph
    (against,) = graph.objects(BOOKLET_CLAIM, GCM.disagreesWith)
    line = reference_line("unfccc,entry-into-force,")
    assert (against, GCM.claimValue, Literal("1994-03-21", datatype=XSD.date)) in graph
    assert (against, DCTERMS.source, IRIS.source("instrument-dates")) in graph
    assert (against, PROV.wasDerivedFrom, IRIS.span("instrument-dates", line, line)) in graph
    assert str(graph.value(against, GCM.authority)) == "UN Treaty Collection"
    assert "XXVII.7" in str(graph.value(against, DCTERMS.bibliographicCitation))
    # the judgement is the reference's: stated in its graph, not in the booklet's
    judged = context.dataset.graph(IRIS.graph("instrument-dates"))
    assert (BOOKLET_CLAIM, GCM.disagreesWith, against) in judged
    assert (BOOKLET_CLAIM, GCM.disagreesWith, against) not in booklet


def test_the_disagreement_is_reported(context):
    (finding,) = context.report.by_check("instrument-date-disagrees-with-reference")
    assert finding.subject == "instrument unfccc"
    assert finding.severity == "substantive"
    line = reference_line("unfccc,entry-into-force,")
    assert finding.locations == {"booklet": "line 102", "instrument-dates": f"line {line}"}
    assert finding.details["reference"]["date"] == "1994-03-21"
    assert finding.details["claim"]["words"] == "entered into force in 2004"


def test_agreeing_claims_point_at_the_reference_and_stay_facts(context, graph):
    # booklet line 94: "... Organized Crime, also known as the Palermo Convention, (entering
    # into force in 2003) ..." — the Convention entered into force on 29 September 2003.
    claim = IRIS.claim("untoc-entry-into-force-booklet-2003-line-94")
    (agrees,) = graph.objects(claim, GCM.agreesWith)
    assert graph.value(agrees, GCM.claimValue) == Literal("2003-09-29", datatype=XSD.date)
    booklet = context.dataset.graph(IRIS.graph("booklet"))
    untoc = IRIS.instrument("untoc")
    assert (untoc, GCM.entryIntoForceYear, Literal("2003", datatype=XSD.gYear)) in booklet
    # booklet line 56: the UDHR "Adopted by the United Nations General Assembly on 10 December 1948"
    udhr = IRIS.instrument("udhr")
    assert list(graph.objects(udhr, GCM.adoptionDate)) == [Literal("1948-12-10", datatype=XSD.date)]


def test_every_dated_claim_of_the_documents_is_checked(context, graph):
    assert context.report.by_check("instrument-date-unchecked") == []
    year_claims = {
        c
        for c in graph.subjects(GCM.claimSubject, None)
        if graph.value(c, GCM.claimProperty)
        in (GCM.adoptionYear, GCM.entryIntoForceYear, GCM.endorsementYear)
        and graph.value(c, DCTERMS.source) != IRIS.source("instrument-dates")
    }
    # the booklet's frameworks section alone states 32 (test_instruments.py)
    assert len(year_claims) > 32
    judged = set(graph.subjects(GCM.agreesWith, None)) | set(
        graph.subjects(GCM.disagreesWith, None)
    )
    assert year_claims == judged
    assert set(graph.subjects(GCM.disagreesWith, None)) == {BOOKLET_CLAIM}


def test_each_instrument_has_at_most_one_value_per_fact(graph):
    for prop in (GCM.adoptionYear, GCM.entryIntoForceYear, GCM.endorsementYear, GCM.adoptionDate):
        for instrument in set(graph.subjects(prop, None)):
            assert len(list(graph.objects(instrument, prop))) == 1, (instrument, prop)


@pytest.mark.parametrize(
    ("words", "year", "stated"),
    [
        ("Adopted by the United Nations General Assembly on 10 December 1948", 1948, "1948-12-10"),
        ("came into effect on 1st January, 2016", 2016, "2016-01-01"),  # booklet line 121
        ("endorsed by the UN General Assembly in December of 2016", 2016, "2016-12"),  # line 137
        ("endorsed by the UN General Assembly in July 2015", 2015, "2015-07"),  # line 125
        ("entered into force in 2004", 2004, "2004"),  # line 102
    ],
)
def test_a_claim_is_compared_at_the_precision_it_is_stated(words, year, stated):
    assert stated_date(words, year) == stated


def test_a_wrong_day_or_month_disagrees(reference):
    udhr = reference[("udhr", "adoption")]  # 1948-12-10

    def claim(words: str) -> YearClaim:
        return YearClaim("udhr", ADOPTION, 1948, "booklet", 56, words)

    assert agrees(claim("Adopted ... on 10 December 1948"), udhr)
    assert agrees(claim("Adopted ... in December 1948"), udhr)
    assert agrees(claim("the 1948 Universal Declaration"), udhr)
    assert not agrees(claim("Adopted ... on 11 December 1948"), udhr)
    assert not agrees(claim("Adopted ... in November 1948"), udhr)
    # a year-only reference date is compared by year
    addis = reference[("addis-ababa-action-agenda", "adoption")]  # 2015
    assert agrees(YearClaim(addis.slug, ADOPTION, 2015, "gfmd", 1, "in July 2015"), addis)


# -- the reference itself -------------------------------------------------------------------------


def test_reference_covers_the_instruments_with_dated_claims(reference):
    assert {slug for slug, _ in reference} <= {e.slug for e in CATALOGUE}
    assert reference[("unfccc", "entry-into-force")].date == "1994-03-21"
    assert reference[("ilo-c097", "adoption")].date == "1949-07-01"
    assert reference[("addis-ababa-action-agenda", "adoption")].date == "2015"


def test_reference_records_match_the_resolutions_own_citations(sources, reference):
    """The resolution's footnotes cite each treaty's UNTS/LNTS record or GA resolution (lines
    45-75, 97, 361); the reference's record for the same instrument names the same numbers."""
    resolution = parse_resolution(sources["resolution"])
    checked = 0
    for citation in resolution_evidence(resolution).citations:
        records = " ".join(d.record for (slug, _), d in reference.items() if slug == citation.slug)
        volume = re.search(r"vol\. (\w+), No\. (\d+)", citation.text)
        number = re.search(r"[Rr]esolution (\d+/\d+|\d+ A \([IVX]+\))", citation.text)
        if volume:
            assert f"vol. {volume.group(1)}, No. {volume.group(2)}" in records, citation
        elif number:
            assert f"resolution {number.group(1)}" in records, citation
        else:
            continue
        checked += 1
    assert checked >= 14


def source_with(tmp_path: Path, text: str) -> Source:
    path = tmp_path / REFERENCE_FILE
    path.write_text(text, encoding="utf-8")
    return Source("instrument-dates", path, "t", None, None, None, "l", "0")


HEADER = "instrument,event,date,authority,record\n"


@pytest.mark.parametrize(
    ("rows", "line", "expected"),
    [
        ("atlantis-treaty,adoption,1990-01-01,A,B\n", 2, "an instrument of the catalogue"),
        ("unfccc,ratification,1992-05-09,A,B\n", 2, "an event of"),
        ("unfccc,adoption,1992-02-30,A,B\n", 2, "a date YYYY-MM-DD"),
        ("unfccc,adoption,9 May 1992,A,B\n", 2, "a date YYYY-MM-DD"),
        ("unfccc,adoption,1992-05-09,A\n", 2, "5 fields"),
        ("unfccc,adoption,1992-05-09,A, \n", 2, "5 non-empty fields"),
        ("unfccc,adoption,1992-05-09,A,B\nunfccc,adoption,1992-05-10,A,B\n", 3, "one adoption"),
        ("unfccc,adoption,1992-05-09,A,B\nunfccc,entry-into-force,1991-03-21,A,B\n", 3,
         "not before its adoption"),
        ("sendai-framework,adoption,2015-03-18,A,B\nsendai-framework,endorsement,2014,A,B\n", 3,
         "not before its adoption"),
    ],
)  # fmt: skip
def test_a_faulty_reference_line_stops_the_build(tmp_path, rows, line, expected):
    with pytest.raises(SourceError) as error:
        read_instrument_dates(source_with(tmp_path, HEADER + rows))
    assert error.value.line == line
    assert expected in str(error.value)


def test_a_reference_without_its_header_stops_the_build(tmp_path):
    with pytest.raises(SourceError, match=r"instrument-dates.csv:1: expected the header"):
        read_instrument_dates(source_with(tmp_path, "unfccc,adoption,1992-05-09,A,B\n"))


# -- shapes ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def test_graph_with_the_reference_conforms(graph, shapes):
    result = validate_graph(graph, shapes)
    assert result.conforms, result.text()


def test_shape_bites_a_contradicted_claim_stated_as_fact(graph, shapes):
    wrong = Literal("2004", datatype=XSD.gYear)
    right = Literal("1994", datatype=XSD.gYear)
    result = validate_graph(
        damaged(
            graph,
            remove=[(UNFCCC, GCM.entryIntoForceYear, right)],
            add=[(UNFCCC, GCM.entryIntoForceYear, wrong)],
        ),
        shapes,
    )
    messages = {v.message for v in result.violations}
    assert any("a claim that disagrees with the reference" in m for m in messages), messages
    assert any("its date 1994-03-21 and its year 2004" in m for m in messages), messages


def test_shape_bites_an_agreement_that_is_not_one(graph, shapes):
    (against,) = graph.objects(BOOKLET_CLAIM, GCM.disagreesWith)
    result = validate_graph(
        damaged(
            graph,
            remove=[(BOOKLET_CLAIM, GCM.disagreesWith, against)],
            add=[(BOOKLET_CLAIM, GCM.agreesWith, against)],
        ),
        shapes,
    )
    assert any("agrees or disagrees with" in v.message for v in result.violations)
