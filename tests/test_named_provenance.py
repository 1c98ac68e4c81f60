"""The Compact, the organisations and the countries carry provenance like every other resource.

Golden lines were read from the vendored documents by eye:
- resolution line 16 "#### 73/195. Global Compact for Safe, Orderly and Regular Migration",
  line 23 "2. *Endorses* the Global Compact ... which will also be known as the Marrakech Compact
  on Migration.", line 29 "#### Global Compact for Safe, Orderly and Regular Migration" (after
  "#### Annex", line 27);
- booklet line 205 "... UNICEF, UNHCR, and ILO aims to shift the paradigm ..." and line 1160
  "... developed by **ILO** ..."; line 289 "... issued by the Mexican government ...".
"""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef
from rdflib.namespace import PROV, SKOS

from gcm_graph.errors import SourceError
from gcm_graph.extract.compact import COMPACT_TITLE, find_compact_mentions
from gcm_graph.model import booklet as booklet_model
from gcm_graph.model import resolution as resolution_model
from gcm_graph.release import merged_graph
from gcm_graph.sources import load_verified
from gcm_graph.validate import load_shapes, validate_graph
from gcm_graph.vocab import Iris

from support import copy_sources, damaged, models_context, rewrite_source, spans_of

IRIS = Iris("https://w3id.org/gcm/")


@pytest.fixture(scope="module")
def graph(sources):
    ctx = models_context(sources, resolution_model.build, booklet_model.build)
    return merged_graph(ctx.dataset)


def test_the_compact_is_derived_from_the_lines_naming_it(graph):
    compact = URIRef(IRIS.base + "compact")
    resolution = "un-ga-resolution-A-RES-73-195-gcm.txt"
    assert spans_of(graph, compact) == {(resolution, n, n) for n in (16, 23, 29)}
    assert [str(x) for x in graph.objects(compact, SKOS.altLabel)] == [
        "Marrakech Compact on Migration"
    ]


def test_an_organisation_is_derived_from_each_line_naming_it(graph):
    ilo = IRIS.organisation("international-labour-organization")
    booklet = "gcm-implementation-booklet.txt"
    assert {(booklet, 205, 205), (booklet, 1160, 1160)} <= spans_of(graph, ilo)
    assert {name for name, _, _ in spans_of(graph, ilo)} == {booklet}


def test_a_country_is_derived_from_the_lines_naming_it(graph):
    assert ("gcm-implementation-booklet.txt", 289, 289) in spans_of(graph, IRIS.country("MEX"))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "#### 73/195. Global Compact for Safe, Orderly and Regular Migration",
            "#### 73/195. Global Compact on Refugees",
            ":16: expected the resolution title",
        ),
        ("2. *Endorses* the Global Compact", "2. *Welcomes* the Global Compact", "that endorses"),
        ("#### Annex\n", "#### Appendix\n", "expected the annex heading"),
    ],
)
def test_a_resolution_that_does_not_name_the_compact_is_a_source_error(
    tmp_path, old, new, expected
):
    sources_dir = copy_sources(tmp_path)
    rewrite_source(sources_dir, "resolution", lambda text: text.replace(old, new, 1))
    source = load_verified(sources_dir)["resolution"]
    with pytest.raises(SourceError, match=re.escape(expected)):
        find_compact_mentions(source, COMPACT_TITLE)


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        (URIRef(IRIS.base + "compact"), "The Compact is derived from the lines"),
        (IRIS.organisation("international-labour-organization"), "organisation is derived"),
        (IRIS.country("MEX"), "country is derived from the lines"),
    ],
)
def test_a_resource_without_provenance_fails_its_shape(graph, subject, message):
    broken = damaged(graph, remove=[(subject, PROV.wasDerivedFrom, None)])
    result = validate_graph(broken, load_shapes())
    assert any(v.focus == str(subject) and message in v.message for v in result.violations), (
        result.text()
    )
