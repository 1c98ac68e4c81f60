"""SDG goals and targets from the UN SDG KOS (sources/sdg-kos/sdg-kos-goals-targets-indicators.ttl).

Golden facts were read from the file by eye; line numbers in comments refer to it. The file is
written predicate by predicate: a concept's `a`, `skos:broader`, `skos:prefLabel`,
`skos:notation` statements are far apart.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from gcm_graph.config import DEFAULT_BASE_URI, SHAPES_DIR
from gcm_graph.errors import SourceError
from gcm_graph.extract.sdg_kos import code_key, parse_sdg_kos
from gcm_graph.extract.sdg_labels import repair_label
from gcm_graph.model.base import SourceGraph
from gcm_graph.model.sdg import add_sdg_concepts
from gcm_graph.sources import Source, load_verified
from gcm_graph.vocab import GCM, SDG, SDGO, Iris

from support import SDG_SCHEME_TURTLE, sdg_goals_turtle

KOS_FILE = "sdg-kos-goals-targets-indicators.ttl"


@pytest.fixture(scope="module")
def source() -> Source:
    return load_verified()["sdg-kos"]


@pytest.fixture(scope="module")
def kos(source):
    return parse_sdg_kos(source)


@pytest.fixture(scope="module")
def kos_graph(source, kos):
    dataset = Dataset()
    graph = SourceGraph(dataset, Iris(DEFAULT_BASE_URI), source)
    findings = add_sdg_concepts(graph, kos)
    return graph.graph, findings


def fake_source(tmp_path: Path, text: str) -> Source:
    path = tmp_path / KOS_FILE
    path.write_text(text, encoding="utf-8")
    return Source("sdg-kos", path, "test KOS", None, None, None, "test", "0" * 64)


# --- counts and identifiers ----------------------------------------------------------------


def test_seventeen_goals_and_169_targets(kos):
    assert [g.code for g in kos.goals] == [str(n) for n in range(1, 18)]
    assert len(kos.targets) == 169
    assert len({t.code for t in kos.targets}) == 169


def test_targets_per_goal(kos):
    # Goal 10 has targets 10.1-10.7 and 10.a-10.c (line 5911 area: sdg:10 skos:narrower ...).
    assert [t.code for t in kos.targets if t.goal == 10] == [
        "10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7", "10.a", "10.b", "10.c",
    ]  # fmt: skip
    # Goal 17 has 19 targets, 17.1-17.19, and no lettered ones.
    assert [t.code for t in kos.targets if t.goal == 17] == [f"17.{n}" for n in range(1, 20)]


def test_targets_are_in_un_order(kos):
    codes = [t.code for t in kos.targets]
    assert codes == sorted(codes, key=code_key)
    assert codes.index("1.5") < codes.index("1.a") < codes.index("2.1")
    assert codes.index("16.9") < codes.index("16.10") < codes.index("16.a")


def test_target_10_7_golden(kos):
    target = kos.target("10.7")
    assert target.broader == "10"
    # Line 2697, the @en value of `sdg:10.7 skos:prefLabel` (statement lines 2696-2698).
    assert target.label("en") == (
        "Facilitate orderly, safe, regular and responsible migration and mobility of people, "
        "including through the implementation of planned and well-managed migration policies"
    )
    assert target.label("fr").startswith("Faciliter la migration et la mobilité")
    assert target.label("es").startswith("Facilitar la migración y la movilidad")
    spans = {s.predicate: (s.first_line, s.last_line) for s in target.statements}
    # `sdg:10.7 a` line 121, `skos:broader` line 925, `skos:inScheme` line 1761,
    # `skos:prefLabel` 2696-2698, `skos:notation` line 4175, `skos:exactMatch` line 6376 (its
    # `skos:narrower` line 5911 names only indicators, which are not read).
    assert spans == {
        "type": (121, 121),
        "broader": (925, 925),
        "inScheme": (1761, 1761),
        "prefLabel": (2696, 2698),
        "notation": (4175, 4175),
        "exactMatch": (6376, 6376),
    }
    assert target.exact_matches == ("http://purl.unep.org/sdg/SDGIO_00000157",)
    assert target.narrower == ()


def test_goal_short_name(kos):
    # Line 4954: sdg:1 skos:altLabel "No poverty"@en;
    goal = kos.goal(1)
    assert goal.short_names == (("en", "No poverty"),)
    assert goal.label("en") == "End poverty in all its forms everywhere"  # line 2497
    assert goal.broader is None


def test_statement_parse_agrees_with_whole_file_parse(source, kos):
    """Reading statement by statement loses nothing rdflib reads from the whole file."""
    whole = Graph()
    whole.parse(source.path, format="turtle")
    for concept in kos.goals + kos.targets:
        iri = SDG[concept.code]
        assert concept.broader == (
            str(whole.value(iri, SKOS.broader)).rsplit("/", 1)[-1]
            if concept.kind == "target"
            else None
        )
        file_languages = {label.language for label in whole.objects(iri, SKOS.prefLabel)}
        assert {lang for lang, _ in concept.labels} | _dropped_languages(concept) >= file_languages


def _dropped_languages(concept) -> set[str]:
    return {c.language for c in concept.cleanings if c.action == "dropped"}


# --- the known flaws, cleaned --------------------------------------------------------------


def test_14_6_stray_footnote_3_removed_in_every_language(kos):
    # Lines 2990-2992: each of the three labels ends in "...negotiation3", "...adelantados3",
    # "...du commerce3".
    target = kos.target("14.6")
    assert target.label("en").endswith("World Trade Organization fisheries subsidies negotiation")
    assert target.label("es").endswith("los países menos adelantados")
    assert target.label("fr").endswith("l’Organisation mondiale du commerce")
    assert [(c.language, c.action) for c in target.cleanings] == [
        ("en", "repaired"), ("es", "repaired"), ("fr", "repaired"),
    ]  # fmt: skip
    assert all((c.first_line, c.last_line) == (2990, 2992) for c in target.cleanings)
    assert all("footnote marker '3'" in c.reason for c in target.cleanings)


def test_12_3_garbled_labels_dropped_and_text_repaired(kos):
    # Lines 2838-2841: "By 2030,d"@en, "By 2030,halve ..."@en, es and fr texts, and the
    # labels of indicator 17.13.1 "Tableau de bord macroéconomique"@fr (line 3280),
    # "Tablero macroeconómico"@es.
    target = kos.target("12.3")
    assert target.label("en") == (
        "By 2030, halve per capita global food waste at the retail and consumer levels and "
        "reduce food losses along production and supply chains, including post-harvest losses"
    )
    assert target.label("fr").startswith("D’ici à 2030, réduire de moitié")
    assert target.label("es").startswith("De aquí a 2030, reducir a la mitad")
    dropped = {(c.language, c.original) for c in target.cleanings if c.action == "dropped"}
    assert dropped == {
        ("en", "By 2030,d"),
        ("fr", "Tableau de bord macroéconomique"),
        ("es", "Tablero macroeconómico"),
    }
    repaired = [c for c in target.cleanings if c.action == "repaired"]
    assert [(c.language, c.reason) for c in repaired] == [
        ("en", "missing space after a comma inserted")
    ]


def test_17_13_spliced_french_label_dropped(kos):
    # Line 3274: the @fr label ends "...la coordination et la  and domestic material
    # consumption per GDP" -- the tail of indicator 12.2.2's English label.
    target = kos.target("17.13")
    assert "fr" not in dict(target.labels)
    assert target.label("en") == (
        "Enhance global macroeconomic stability, including through policy coordination and "
        "policy coherence"
    )
    (cleaning,) = target.cleanings
    assert (cleaning.language, cleaning.action) == ("fr", "dropped")
    assert "and domestic material consumption per GDP" in cleaning.reason


def test_only_the_known_flaws_are_more_than_whitespace(kos):
    touched = {
        c.code
        for c in kos.goals + kos.targets
        if any(not x.is_whitespace_only for x in c.cleanings)
    }
    assert touched == {"12.3", "14.6", "17.13"}


def test_trailing_whitespace_normalised(kos):
    # Line 3991: the @en label of 8.7 ends "...in all its forms "@en (a trailing space).
    target = kos.target("8.7")
    assert target.label("en").endswith("end child labour in all its forms")
    assert any(c.is_whitespace_only and c.language == "en" for c in target.cleanings)


def test_every_concept_has_one_clean_label_per_language(kos):
    for concept in kos.goals + kos.targets:
        languages = [lang for lang, _ in concept.labels]
        assert languages == sorted(set(languages))
        assert "en" in languages
        for _, text in concept.labels:
            assert text == " ".join(text.split())
            assert not (text[-1].isdigit() and text[-2].isalpha()), (concept.code, text)


@given(st.text(alphabet=st.sampled_from("ab ,3\t\u00e9"), max_size=40))
def test_repair_label_is_idempotent(text):
    once, _ = repair_label(text)
    twice, reasons = repair_label(once)
    assert twice == once
    assert reasons == []


@given(st.lists(st.sampled_from(["By", "2030", "halve", "per", "capita"]), min_size=1))
def test_repair_label_keeps_clean_text(words):
    text = " ".join(words)
    assert repair_label(text) == (text, [])


# --- bad input -----------------------------------------------------------------------------

PREFIXES = (
    "@prefix sdg: <http://metadata.un.org/sdg/> .\n"
    "@prefix sdgo: <http://metadata.un.org/sdg/ontology#> .\n"
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n"
)
GOOD = (
    "sdg:1 a sdgo:Goal, skos:Concept .\n\n"
    "sdg:1.1 a sdgo:Target, skos:Concept .\n\n"
    "sdg:1.1 skos:broader sdg:1 .\n\n"
    'sdg:1 skos:prefLabel "End poverty"@en .\n\n'
    'sdg:1.1 skos:prefLabel "Eradicate extreme poverty"@en,\n    "Éliminer"@fr .\n\n'
    'sdg:1 skos:notation "01"^^sdgo:SDGCode, "1"^^sdgo:SDGCodeCompact .\n\n'
    'sdg:1.1 skos:notation "01.01"^^sdgo:SDGCode, "1.1"^^sdgo:SDGCodeCompact .\n\n'
    "<http://metadata.un.org/sdg> a skos:ConceptScheme ;\n"
    "    skos:hasTopConcept sdg:1 .\n\n"
    "sdg:1 skos:inScheme <http://metadata.un.org/sdg> .\n\n"
    "sdg:1.1 skos:inScheme <http://metadata.un.org/sdg> .\n\n"
    "sdg:1 skos:topConceptOf <http://metadata.un.org/sdg> .\n\n"
    "sdg:1 skos:narrower sdg:1.1 .\n\n"
    "sdg:1.1 skos:narrower sdg:C010101 .\n"
)


def test_small_file_parses(tmp_path):
    kos = parse_sdg_kos(fake_source(tmp_path, PREFIXES + GOOD))
    (target,) = kos.targets
    assert target.labels == (("en", "Eradicate extreme poverty"), ("fr", "Éliminer"))
    span = target.spans("prefLabel")[0]
    assert (span.first_line, span.last_line) == (13, 14)  # prefixes and blanks are lines 1-4


def test_unclosed_string_is_a_source_error_with_its_line(tmp_path):
    text = PREFIXES + GOOD.replace('"Éliminer"@fr', '"Éliminer@fr')
    with pytest.raises(SourceError, match=rf"{KOS_FILE}:14: expected a string literal closed"):
        parse_sdg_kos(fake_source(tmp_path, text))


def test_target_without_english_label_is_a_source_error(tmp_path):
    text = PREFIXES + GOOD.replace('"Eradicate extreme poverty"@en', '"Erradicar"@es')
    with pytest.raises(SourceError, match=re.escape("an English skos:prefLabel for 1.1")):
        parse_sdg_kos(fake_source(tmp_path, text))


def test_target_of_the_wrong_goal_is_a_source_error(tmp_path):
    text = PREFIXES + GOOD.replace("sdg:1.1 skos:broader sdg:1 .", "sdg:1.1 skos:broader sdg:2 .")
    expected = f"{KOS_FILE}:9: expected skos:broader sdg:1 (its goal) only for target 1.1"
    with pytest.raises(SourceError, match=re.escape(expected)):
        parse_sdg_kos(fake_source(tmp_path, text))


@pytest.mark.parametrize(
    "notation",
    ['"1.2"^^sdgo:SDGCodeCompact', '"1.1"', '"01.01"^^sdgo:SDGCode'],
    ids=["other-code", "untyped", "padded-only"],
)
def test_a_target_without_its_compact_code_is_a_source_error(tmp_path, notation):
    old = 'sdg:1.1 skos:notation "01.01"^^sdgo:SDGCode, "1.1"^^sdgo:SDGCodeCompact'
    text = PREFIXES + GOOD.replace(old, f"sdg:1.1 skos:notation {notation}")
    expected = f"{KOS_FILE}:18: expected a skos:notation '1.1' (typed sdgo:SDGCodeCompact)"
    with pytest.raises(SourceError, match=re.escape(expected)):
        parse_sdg_kos(fake_source(tmp_path, text))


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        (
            "sdg:1.1 skos:inScheme <http://metadata.un.org/sdg> .",
            "sdg:1.1 skos:inScheme <http://example.org/other> .",
            25,
            "skos:inScheme <http://metadata.un.org/sdg> only for sdg:1.1",
        ),
        (
            "sdg:1 skos:topConceptOf <http://metadata.un.org/sdg> .",
            "",
            5,
            "skos:topConceptOf <http://metadata.un.org/sdg> where a goal is a top concept",
        ),
        (
            "sdg:1 skos:narrower sdg:1.1 .",
            "sdg:1 skos:narrower sdg:1.2 .",
            29,
            "skos:narrower naming exactly the targets of goal 1",
        ),
        (
            "sdg:1.1 skos:narrower sdg:C010101 .",
            "sdg:1.1 skos:narrower sdg:1 .",
            31,
            "no goal or target as skos:narrower of target 1.1",
        ),
        (
            "    skos:hasTopConcept sdg:1 .",
            "    skos:hasTopConcept sdg:2 .",
            20,
            "skos:hasTopConcept naming every goal (missing: 1)",
        ),
        (
            "<http://metadata.un.org/sdg> a skos:ConceptScheme ;",
            "<http://metadata.un.org/sdg> a skos:Collection ;",
            20,
            "<http://metadata.un.org/sdg> typed skos:ConceptScheme",
        ),
    ],
    ids=["other-scheme", "goal-not-top", "narrower-not-inverse", "target-narrower", "tops", "type"],
)
def test_a_broken_scheme_structure_is_a_source_error(tmp_path, old, new, line, expected):
    assert old in GOOD
    text = PREFIXES + GOOD.replace(old, new)
    with pytest.raises(SourceError, match=re.escape(f"{KOS_FILE}:{line}: expected {expected}")):
        parse_sdg_kos(fake_source(tmp_path, text))


# --- RDF -----------------------------------------------------------------------------------


def test_rdf_of_target_10_7(kos_graph):
    graph, _ = kos_graph
    target = SDG["10.7"]
    assert (target, RDF.type, SDGO.Target) in graph
    assert (target, RDF.type, SKOS.Concept) in graph
    assert list(graph.objects(target, SKOS.notation)) == [
        Literal("10.7", datatype=SDGO.SDGCodeCompact)
    ]
    assert list(graph.objects(target, SKOS.inScheme)) == [URIRef("http://metadata.un.org/sdg")]
    assert list(graph.objects(target, SKOS.exactMatch)) == [
        URIRef("http://purl.unep.org/sdg/SDGIO_00000157")
    ]
    assert set(graph.objects(target, SKOS.broader)) == {SDG["10"]}
    assert {label.language for label in graph.objects(target, SKOS.prefLabel)} == {"en", "fr", "es"}
    spans = {
        (int(graph.value(s, GCM.firstLine)), int(graph.value(s, GCM.lastLine)))
        for s in graph.objects(target, PROV.wasDerivedFrom)
    }
    assert spans == {(121, 121), (2696, 2698), (4175, 4175)}


def test_broader_link_is_reified_with_its_line(kos_graph):
    graph, _ = kos_graph
    (statement,) = set(graph.subjects(RDF.object, SDG["10"])) & set(
        graph.subjects(RDF.subject, SDG["10.7"])
    )
    assert graph.value(statement, RDF.predicate) == SKOS.broader
    span = graph.value(statement, PROV.wasDerivedFrom)
    assert span == URIRef(f"{DEFAULT_BASE_URI}source/sdg-kos/lines/925-925")


def test_the_sdg_concept_scheme_is_the_kos_own(kos_graph, kos):
    graph, _ = kos_graph
    scheme = URIRef("http://metadata.un.org/sdg")
    # Line 857: `<http://metadata.un.org/sdg> a owl:Ontology, skos:ConceptScheme .`; line 4113
    # its prefLabel; lines 4951-4952 `skos:hasTopConcept sdg:1, sdg:10, ..., sdg:9`.
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert list(graph.objects(scheme, SKOS.prefLabel)) == [
        Literal("Sustainable Development Goals Taxonomy", lang="en")
    ]
    goals = {SDG[str(n)] for n in range(1, 18)}
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) == goals
    assert set(graph.subjects(SKOS.topConceptOf, scheme)) == goals
    in_scheme = set(graph.subjects(SKOS.inScheme, scheme))
    assert len(in_scheme) == 17 + 169 and goals <= in_scheme
    spans = {
        (int(graph.value(s, GCM.firstLine)), int(graph.value(s, GCM.lastLine)))
        for s in graph.objects(scheme, PROV.wasDerivedFrom)
    }
    assert spans == {(857, 857), (4113, 4113)}
    assert kos.scheme.top_concepts == tuple(str(n) for n in range(1, 18))


def test_goal_10_narrower_its_ten_targets_and_wikidata(kos_graph):
    graph, _ = kos_graph
    # Lines 5861-5862: `sdg:10 skos:narrower sdg:10.1, ..., sdg:10.7, sdg:10.a, sdg:10.b, sdg:10.c`.
    codes = ["10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7", "10.a", "10.b", "10.c"]
    assert set(graph.objects(SDG["10"], SKOS.narrower)) == {SDG[c] for c in codes}
    assert set(graph.subjects(SKOS.broader, SDG["10"])) == {SDG[c] for c in codes}
    # Line 6294: `sdg:10 skos:exactMatch <http://purl.unep.org/sdg/SDGIO_00000044>,
    # <http://www.wikidata.org/entity/Q53581222>`.
    assert set(graph.objects(SDG["10"], SKOS.exactMatch)) == {
        URIRef("http://purl.unep.org/sdg/SDGIO_00000044"),
        URIRef("http://www.wikidata.org/entity/Q53581222"),
    }
    (statement,) = set(graph.subjects(RDF.subject, SDG["10"])) & set(
        graph.subjects(RDF.object, SDG["10.7"])
    )
    assert graph.value(statement, RDF.predicate) == SKOS.narrower
    span = graph.value(statement, PROV.wasDerivedFrom)
    assert span == URIRef(f"{DEFAULT_BASE_URI}source/sdg-kos/lines/5861-5862")
    # Line 4990-4992: sdg:10's altLabel, note and `skos:topConceptOf <http://metadata.un.org/sdg>`.
    (top,) = set(graph.subjects(RDF.subject, SDG["10"])) & set(
        graph.subjects(RDF.predicate, SKOS.topConceptOf)
    )
    assert graph.value(top, PROV.wasDerivedFrom) == URIRef(
        f"{DEFAULT_BASE_URI}source/sdg-kos/lines/4990-4992"
    )


def test_every_goal_and_target_has_one_typed_notation(kos_graph):
    graph, _ = kos_graph
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        (notation,) = graph.objects(concept, SKOS.notation)
        assert notation.datatype == SDGO.SDGCodeCompact
        assert str(concept) == f"http://metadata.un.org/sdg/{notation}"


def test_cleanings_are_recorded_as_notes_and_findings(kos_graph):
    graph, findings = kos_graph
    notes = [str(n) for n in graph.objects(SDG["14.6"], GCM.cleaningNote)]
    assert len(notes) == 3
    assert all("lines 2990-2992" in n and "footnote marker '3'" in n for n in notes)
    assert any(
        "Tableau de bord macroéconomique" in str(n)
        for n in graph.objects(SDG["12.3"], GCM.cleaningNote)
    )
    assert sorted((f.subject, f.severity) for f in findings) == sorted(
        [("target 12.3", "info")] * 4 + [("target 14.6", "info")] * 3 + [("target 17.13", "info")]
    )
    assert {f.check for f in findings} == {"sdg-kos-label-cleaned"}


def test_concepts_conform_to_the_shapes(kos_graph, source):
    graph, _ = kos_graph
    data = Graph()
    for triple in graph:
        data.add(triple)
    data.add((URIRef(f"{DEFAULT_BASE_URI}source/sdg-kos"), RDF.type, GCM.SourceDocument))
    conforms, _, text = validate(data, shacl_graph=str(SHAPES_DIR / "sdg.ttl"), advanced=True)
    assert conforms, text


# --- negative shape tests ------------------------------------------------------------------

SHAPE_PREFIXES = """
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix sdgo: <http://metadata.un.org/sdg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix gcm: <https://w3id.org/gcm/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
SPAN = "https://w3id.org/gcm/source/sdg-kos/lines/1-1"
VALID_CONCEPTS = (
    f"<{SPAN}> a gcm:SourceSpan .\n"
    + SDG_SCHEME_TURTLE.format(span=SPAN)
    + """
sdg:10 a sdgo:Goal, skos:Concept ; skos:notation "10"^^sdgo:SDGCodeCompact ;
    skos:prefLabel "Reduce inequality"@en ; skos:narrower sdg:10.7 ;
    skos:inScheme <http://metadata.un.org/sdg> ; skos:topConceptOf <http://metadata.un.org/sdg> ;
    prov:wasDerivedFrom <https://w3id.org/gcm/source/sdg-kos/lines/1-1> .
sdg:10.7 a sdgo:Target, skos:Concept ; skos:notation "10.7"^^sdgo:SDGCodeCompact ;
    skos:broader sdg:10 ; skos:inScheme <http://metadata.un.org/sdg> ;
    skos:prefLabel "Facilitate orderly migration"@en, "Faciliter"@fr ;
    prov:wasDerivedFrom <https://w3id.org/gcm/source/sdg-kos/lines/1-1> .
"""
    + sdg_goals_turtle(SPAN, {}, skip=(10,))
)


def shapes_conform(turtle: str) -> tuple[bool, str]:
    data = Graph()
    data.parse(data=SHAPE_PREFIXES + turtle, format="turtle")
    conforms, _, text = validate(data, shacl_graph=str(SHAPES_DIR / "sdg.ttl"), advanced=True)
    return bool(conforms), text


def test_valid_concepts_conform():
    conforms, text = shapes_conform(VALID_CONCEPTS)
    assert conforms, text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('skos:notation "10.7"^^sdgo:SDGCodeCompact ;', "", "exactly one notation"),
        (
            'skos:notation "10.7"^^sdgo:SDGCodeCompact ;',
            'skos:notation "10.7"^^sdgo:SDGCodeCompact, "10.07"^^sdgo:SDGCode ;',
            "exactly one notation",
        ),
        (
            'skos:notation "10.7"^^sdgo:SDGCodeCompact ;',
            'skos:notation "10-7"^^sdgo:SDGCodeCompact ;',
            "exactly one notation",
        ),
        ('skos:notation "10.7"^^sdgo:SDGCodeCompact ;', 'skos:notation "10.7" ;', "typed"),
        (
            'skos:notation "10.7"^^sdgo:SDGCodeCompact ;',
            'skos:notation "10.6"^^sdgo:SDGCodeCompact ;',
            "not the code in its IRI",
        ),
        ("skos:broader sdg:10 ;", "", "exactly one broader"),
        ("skos:broader sdg:10 ;", "skos:broader sdg:10, sdg:11 ;", "exactly one broader"),
        ("skos:broader sdg:10 ;", "skos:broader sdg:11 ;", "not a code of its goal"),
        ("skos:broader sdg:10 ;", "skos:broader sdg:10.7 ;", "exactly one broader"),
        (
            '"Facilitate orderly migration"@en',
            '"Facilitate orderly migration"@es',
            "English prefLabel",
        ),
        ('"Faciliter"@fr', '"Facilitate"@en', "uniqueLang"),
        (
            '"Facilitate orderly migration"@en',
            '"Facilitate orderly migration3"@en',
            "footnote digit",
        ),
        ("sdg:10.7 a sdgo:Target, skos:Concept", "sdg:10.7 a sdgo:Target", "Concept"),
        (
            'skos:notation "10"^^sdgo:SDGCodeCompact',
            'skos:notation "18"^^sdgo:SDGCodeCompact',
            "number 1-17",
        ),
        ('"Reduce inequality"@en', '"Reduire"@fr', "English prefLabel"),
        ("skos:narrower sdg:10.7 ;", "", "targets as narrower"),
        (
            "skos:broader sdg:10 ; skos:inScheme <http://metadata.un.org/sdg> ;",
            "skos:broader sdg:10 ;",
            "in the SDG concept scheme",
        ),
        (
            "skos:broader sdg:10 ; skos:inScheme <http://metadata.un.org/sdg> ;",
            "skos:broader sdg:10 ; skos:inScheme <http://example.org/other> ;",
            "in the SDG concept scheme",
        ),
        (
            'skos:prefLabel "Reduce inequality"@en ; skos:narrower sdg:10.7 ;\n'
            "    skos:inScheme <http://metadata.un.org/sdg> ; skos:topConceptOf <http://metadata.un.org/sdg> ;",
            'skos:prefLabel "Reduce inequality"@en ; skos:narrower sdg:10.7 ;\n'
            "    skos:inScheme <http://metadata.un.org/sdg> ;",
            "top concept of the SDG concept scheme",
        ),
        ("sdg:11, sdg:12, sdg:13,", "sdg:12, sdg:13,", "the 17 goals as its top concepts"),
        ('skos:prefLabel "SDG Taxonomy"@en ;', "", "scheme has an English prefLabel"),
    ],
)
def test_broken_concept_fails_its_shape(old, new, message):
    assert old in VALID_CONCEPTS
    conforms, text = shapes_conform(VALID_CONCEPTS.replace(old, new, 1))
    assert not conforms
    assert message.lower() in text.lower()


def test_goal_with_a_broader_concept_fails():
    conforms, text = shapes_conform(VALID_CONCEPTS + "sdg:11 skos:broader sdg:10 .\n")
    assert not conforms
    assert "no broader concept" in text
