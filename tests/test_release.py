"""The release: its files, determinism, atomic replacement, validation failure, committed copy."""

from __future__ import annotations

import json

import pytest
from conftest import COMMITTED_RELEASE
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from gcm_graph.cli import main
from gcm_graph.errors import ValidationFailure
from gcm_graph.pipeline import build_release
from gcm_graph.vocab import GCM

from support import (  # noqa: F401  (fresh_release: a fixture)
    differing_files,
    fresh_release,
    release_files,
    stricter_shapes,
)

EXPECTED_FILES = {
    "gcm.ttl",
    "gcm.nt",
    "gcm.trig",
    "gcm.nq",
    "gcm.jsonld",
    "context.jsonld",
    "discrepancies.json",
    "discrepancies.md",
    "validation-report.txt",
    "void.ttl",
    "ontology.ttl",
    "manifest.json",
}


def read(path):
    return path.read_bytes()


def test_release_files_and_contract_iris(fresh_release):  # noqa: F811
    out = fresh_release.out_dir
    assert {p.name for p in out.iterdir()} >= EXPECTED_FILES
    graph = Graph().parse(out / "gcm.ttl")
    objectives = set(graph.subjects(RDF.type, GCM.Objective))
    assert objectives == {URIRef(f"https://w3id.org/gcm/objective/{n}") for n in range(1, 24)}
    assert len(set(graph.subjects(RDF.type, GCM.Action))) == 187
    assert len(set(graph.subjects(RDF.type, GCM.GuidingPrinciple))) == 10
    o7 = URIRef("https://w3id.org/gcm/objective/7")
    assert str(graph.value(o7, DCTERMS.title)) == "Address and reduce vulnerabilities in migration"
    assert graph.value(o7, GCM.number).toPython() == 7
    assert graph.value(o7, GCM.commitmentParagraph).toPython() == 23
    action = URIRef("https://w3id.org/gcm/objective/7/action/c")
    assert (o7, GCM.hasAction, action) in graph
    assert graph.value(action, GCM.letter).toPython() == "c"
    assert graph.value(action, DCTERMS.description).language == "en"
    assert graph.value(action, GCM.objective) == o7


def test_every_dump_holds_the_same_graph(fresh_release):  # noqa: F811
    out = fresh_release.out_dir
    turtle = Graph().parse(out / "gcm.ttl")
    assert isomorphic(turtle, Graph().parse(out / "gcm.nt", format="nt"))
    for name, fmt in (("gcm.trig", "trig"), ("gcm.nq", "nquads")):
        dataset = Dataset()
        dataset.parse(out / name, format=fmt)
        merged = Graph()
        for graph in dataset.graphs():
            merged += graph
        assert isomorphic(turtle, merged), name
    nt_lines = (out / "gcm.nt").read_text().splitlines()
    assert nt_lines == sorted(nt_lines)


def test_manifest_hashes_the_outputs_and_sources(fresh_release):  # noqa: F811
    import hashlib

    out = fresh_release.out_dir
    manifest = json.loads((out / "manifest.json").read_text())
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert manifest["sources"]["resolution"]["sha256"].startswith("89fac304")
    assert manifest["triples"] == len(Graph().parse(out / "gcm.nt", format="nt"))
    assert "https://w3id.org/gcm/graph/resolution" in manifest["named_graphs"]


def test_discrepancy_report_names_the_copied_objective_20(fresh_release):  # noqa: F811
    report = json.loads((fresh_release.out_dir / "discrepancies.json").read_text())
    copied = [d for d in report["discrepancies"] if d["check"] == "action-list-copied"]
    assert [(d["subject"], d["details"]["copied_from_objective"]) for d in copied] == [
        ("objective 20", 2)
    ]
    markdown = (fresh_release.out_dir / "discrepancies.md").read_text()
    assert "equal the actions of Objective 2" in markdown


def test_two_builds_are_byte_identical(tmp_path, fresh_release):  # noqa: F811
    again = build_release(tmp_path / "again")
    assert not differing_files(release_files(fresh_release.out_dir), release_files(again.out_dir))


def test_committed_release_equals_a_fresh_build(fresh_release):  # noqa: F811
    committed = release_files(COMMITTED_RELEASE)
    fresh = release_files(fresh_release.out_dir)
    assert any(name.startswith("analysis/") for name in fresh)
    changed = differing_files(committed, fresh)
    assert not changed, (
        f"build/ differs from a fresh build in {changed}. Every committed byte must be the "
        "same on every machine. If your change alters the release (sources, code, shapes), "
        "run `gcm-graph build` and commit build/ with it. If you changed nothing the release is "
        "made from (e.g. a fresh clone), this machine makes other bytes than the one that "
        "committed build/: that is a bug in the build (see tests/test_release_machines.py), "
        "and committing your build/ would only move the failure to the other machine."
    )


def test_base_iri_override(tmp_path):
    result = build_release(tmp_path / "local", base="http://localhost:8000/", analysis=False)
    graph = Graph().parse(result.out_dir / "gcm.ttl")
    assert (URIRef("http://localhost:8000/objective/1"), RDF.type, GCM.Objective) in graph
    assert not list(graph.triples((URIRef("https://w3id.org/gcm/objective/1"), None, None)))


def test_validation_failure_keeps_the_previous_release(tmp_path, capsys):
    out = tmp_path / "build"
    build_release(out, analysis=False)
    before = {p.name: read(p) for p in out.iterdir()}
    with pytest.raises(ValidationFailure) as caught:
        build_release(out, shapes_dir=stricter_shapes(tmp_path), analysis=False)
    assert caught.value.exit_code == 1
    assert "/objective/1>" in caught.value.report_text
    assert {p.name: read(p) for p in out.iterdir()} == before
    failed = tmp_path / "build.failed" / "validation-report.txt"
    assert "SHACL validation failed" in failed.read_text()


def test_cli_build_prints_what_was_built(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path / "b")]) == 0
    captured = capsys.readouterr()
    assert "gcm.ttl" in captured.out and "conforms" in captured.out
    assert "validate ..." in captured.err


def test_void_describes_licences_counts_dumps_and_endpoint(fresh_release):  # noqa: F811
    from rdflib.namespace import DCTERMS

    from gcm_graph.vocab import VOID

    void = Graph().parse(fresh_release.out_dir / "void.ttl")
    dataset = URIRef("https://w3id.org/gcm/dataset")
    manifest = json.loads((fresh_release.out_dir / "manifest.json").read_text())
    assert void.value(dataset, VOID.triples).toPython() == manifest["triples"]
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef("https://w3id.org/gcm/sparql")
    assert URIRef("https://w3id.org/gcm/dumps/gcm.nt") in set(void.objects(dataset, VOID.dataDump))
    assert void.value(dataset, DCTERMS.license) is not None
    idm = URIRef("https://w3id.org/gcm/graph/idm")
    assert void.value(idm, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by-nc-nd/3.0/igo/legalcode"
    )
    sizes = {
        str(s): void.value(s, VOID.triples).toPython() for s in void.objects(dataset, VOID.subset)
    }
    assert sizes == manifest["named_graphs"]
