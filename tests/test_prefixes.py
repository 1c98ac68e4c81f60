"""Queries without PREFIX lines (serve/query/prefixes.py): the standard prefixes are declared for them,
and a syntax error names the line and column of the text as written, without a Unicode dump."""

from __future__ import annotations

import pytest
from pyoxigraph import Store

from gcm_graph.serve.query.prefixes import (
    declare_standard_prefixes,
    explain_syntax_error,
    undeclared_prefixes,
)
from gcm_graph.serve.query.store import PREFIX_MAP


def test_undeclared_prefixes_ignore_strings_iris_variables_and_declarations():
    query = (
        "PREFIX ex: <http://example.org/>\n"
        'SELECT ?x WHERE { ?x ex:p "gcm:no" ; rdfs:label ?l . ?x <urn:a:b> skos:c ; dcterms:t ?t }'
    )
    assert undeclared_prefixes(query) == ["rdfs", "skos", "dcterms"]
    assert undeclared_prefixes("SELECT * WHERE { ?s ?p _:b }") == []


def test_known_prefixes_are_declared_on_one_first_line():
    query = "SELECT ?o WHERE { ?o a gcm:Objective ; rdfs:label ?l ; foo:bar ?x }"
    completed, added = declare_standard_prefixes(query, PREFIX_MAP)
    assert added == 1
    first, rest = completed.split("\n", 1)
    assert rest == query
    assert f"PREFIX gcm: <{PREFIX_MAP['gcm']}>" in first and "PREFIX rdfs:" in first
    assert "foo:" not in first  # unknown: left for the parser to report
    assert declare_standard_prefixes("SELECT * WHERE { ?s ?p ?o }", PREFIX_MAP) == (
        "SELECT * WHERE { ?s ?p ?o }",
        0,
    )


def test_declarations_follow_a_leading_base_on_its_line():
    query = "BASE <https://w3id.org/gcm/sparql> SELECT * WHERE { ?o a gcm:Objective }"
    completed, added = declare_standard_prefixes(query, PREFIX_MAP)
    assert added == 0
    assert completed == (
        f"BASE <https://w3id.org/gcm/sparql> PREFIX gcm: <{PREFIX_MAP['gcm']}> "
        "SELECT * WHERE { ?o a gcm:Objective }"
    )


def test_a_query_without_prefix_lines_runs():
    store = Store()
    completed, _ = declare_standard_prefixes(
        "SELECT (COUNT(*) AS ?n) WHERE { ?o a gcm:Objective }", PREFIX_MAP
    )
    assert [row["n"].value for row in store.query(completed)] == ["0"]


@pytest.mark.parametrize(
    ("query", "line", "column"),
    [
        ("SELECT ?x WHERE {\n  ?x foo:bar ?y }", 2, 13),  # columns as the parser counts
        ("SELECT ?x WHERE {\n  ?x rdfs:label ?y \n FILTER( }", 3, 11),
    ],
)
def test_syntax_errors_name_the_line_as_written_without_unicode_ranges(query, line, column):
    completed, added = declare_standard_prefixes(query, PREFIX_MAP)
    with pytest.raises(SyntaxError) as raised:
        Store().query(completed)
    message = explain_syntax_error(str(raised.value), added, query, PREFIX_MAP)
    assert f"line {line}, column {column}" in message
    assert "rdfs:" not in message.partition("Undeclared")[2]  # declared for it: not blamed
    assert "\\u{" not in message and "..=" not in message
    assert f"  {line} | {query.splitlines()[line - 1]}" in message


def test_an_unknown_prefix_is_named():
    query = "SELECT ?x WHERE { ?x foo:bar ?y }"
    with pytest.raises(SyntaxError) as raised:
        Store().query(query)
    message = explain_syntax_error(str(raised.value), 0, query)
    assert "a prefix that is not declared" in message
    assert "Undeclared prefix(es): foo:" in message
