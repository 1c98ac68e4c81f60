"""run_catalogue_query (behind `gcm-graph query`): formats, refusals, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gcm_graph.catalogue import catalogue
from gcm_graph.serve.cli_support import QueryFailed, run_catalogue_query

FIXTURE = Path(__file__).parent / "fixtures" / "release"
TITLES = """# title: Objective titles
PREFIX gcm: <https://w3id.org/gcm/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?objective ?title WHERE { ?objective a gcm:Objective ; dcterms:title ?title }
ORDER BY ?objective
"""


def write_query(tmp_path: Path, text: str, name: str = "q.rq") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_table_csv_and_json(tmp_path: Path) -> None:
    query = write_query(tmp_path, TITLES)
    table = run_catalogue_query(query, FIXTURE, "table").splitlines()
    assert table[0].split() == ["objective", "title"]
    assert set(table[1]) <= {"-", " "}
    assert table[-1] == "(3 rows)"
    # resolution line 289; long titles (line 165) are cut for the table only
    assert table[4].endswith("Address and reduce vulnerabilities in migration")
    assert table[2].endswith("…") and len(table[2].split("  ", 1)[1].strip()) == 80
    rows = list(csv.reader(io.StringIO(run_catalogue_query(query, FIXTURE, "csv"))))
    assert rows[0] == ["objective", "title"] and len(rows) == 4
    assert rows[1][1].endswith("as a basis for evidence-based policies")
    bindings = json.loads(run_catalogue_query(query, FIXTURE, "json"))["results"]["bindings"]
    assert [b["objective"]["value"].rsplit("/", 1)[1] for b in bindings] == ["1", "2", "7"]


def test_ask_and_construct(tmp_path: Path) -> None:
    ask = write_query(tmp_path, "ASK { <https://w3id.org/gcm/objective/7> ?p ?o }", "ask.rq")
    assert run_catalogue_query(ask, FIXTURE, "table") == "true\n"
    assert json.loads(run_catalogue_query(ask, FIXTURE, "json"))["boolean"] is True
    construct = write_query(tmp_path, "DESCRIBE <https://w3id.org/gcm/objective/7>", "d.rq")
    turtle = run_catalogue_query(construct, FIXTURE, "table")
    assert "Address and reduce vulnerabilities in migration" in turtle
    assert "@prefix gcm:" in turtle
    assert json.loads(run_catalogue_query(construct, FIXTURE, "json"))
    with pytest.raises(QueryFailed, match="CONSTRUCT/DESCRIBE"):
        run_catalogue_query(construct, FIXTURE, "csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * WHERE { ?s ?p }", r"Malformed query: error at 1:\d+"),
        ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("DELETE WHERE { ?s ?p ?o }", "read-only"),
        # the lexical guard's bypasses (issue 11): the policy of /sparql decides here too
        (
            r'SELECT * { BIND("\u005C" AS ?x) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',
            "Malformed query: error at 1:",
        ),
        ("SELECT * { ?s ?p ?o FILTER(?o<'>') SERVICE <http://127.0.0.1:9/> { } }", "SERVICE"),
    ],
)
def test_bad_queries_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    query = write_query(tmp_path, text)
    with pytest.raises(QueryFailed, match=message) as failure:
        run_catalogue_query(query, FIXTURE, "table")
    assert str(failure.value).startswith(query)
    assert failure.value.exit_code == 2


def test_unknown_format_query_and_release(tmp_path: Path) -> None:
    query = write_query(tmp_path, TITLES)
    with pytest.raises(QueryFailed, match="unknown format"):
        run_catalogue_query(query, FIXTURE, "xlsx")
    with pytest.raises(QueryFailed, match="gcm-graph build"):
        run_catalogue_query(query, tmp_path, "table")
    with pytest.raises(Exception, match="no catalogue query 'no-such-query'"):
        run_catalogue_query("no-such-query", FIXTURE, "table")


def test_every_catalogue_query_runs_on_the_built_release(built_release: Path) -> None:
    entries = catalogue()
    assert entries, "the catalogue (sparql_queries/*.rq) is empty"
    for entry in entries:
        answer = json.loads(run_catalogue_query(entry.name, built_release, "json"))
        assert "results" in answer or "boolean" in answer or "@graph" in answer or answer, (
            entry.name
        )
