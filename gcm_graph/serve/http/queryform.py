"""The HTML query form's back end: the same policy, job and worker pool as /sparql.

A query from the form is checked by the query policy (sparql.checked_query: updates, SERVICE,
length, syntax) and its re-serialised text is run by the
query pool under the same deadline as the endpoint; its answer comes back as SPARQL JSON
(SELECT/ASK) or N-Triples (CONSTRUCT/DESCRIBE) and is turned into table rows here. The page shows
at most MAX_ROWS rows and links the full answer in other formats at /sparql.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import current_app, request
from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse,
    parse_query_results,
)

from ..query import admission
from ..query.jobs import QueryJob
from ..query.policy import PolicyError
from .sparql import checked_query
from .views import Linker, TermView, Viewer

MAX_ROWS = 1000
RESULT_DOWNLOADS = (("csv", "CSV"), ("json", "JSON"), ("tsv", "TSV"), ("xml", "XML"))
GRAPH_DOWNLOADS = (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))


@dataclass
class QueryResult:
    kind: str  # "table" | "boolean"
    columns: list[str] = field(default_factory=list)
    rows: list[list[TermView | None]] = field(default_factory=list)
    boolean: bool = False
    truncated: bool = False
    downloads: list[dict[str, str]] = field(default_factory=list)


def run_for_page(
    text: str, linker: Linker, term_labels: dict[str, str]
) -> tuple[QueryResult | None, str | None, int]:
    """(result, None, 200) or (None, error message, HTTP status). Cells show IRIs by their path
    under the base (or as CURIEs), ontology terms by their labels."""
    config = current_app.config
    try:
        plan = checked_query(text)
    except PolicyError as refusal:
        return None, refusal.message, refusal.status
    job = QueryJob(
        query=plan.text,
        results_format="json",
        graph_format="nt",
        max_result_bytes=config["MAX_RESULT_BYTES"],
    )
    try:
        answer = admission.answer(job)
    except admission.QueryNotRun as refusal:
        return None, refusal.message, refusal.status
    if answer.status != 200:
        return None, answer.message, answer.status
    viewer = Viewer(linker, {}, term_labels)
    if answer.format == "nt":
        return _graph_result(answer.body, viewer, text), None, 200
    return _table_result(answer.body, viewer, text), None, 200


def _downloads(text: str, choices: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    from .. import formats

    found = []
    for name, label in choices:
        fmt = formats.by_name(name, ["results", "graph"])
        href = f"{request.script_root}/sparql?{urlencode({'query': text, 'format': name})}"
        found.append({"href": href, "label": label, "media_type": fmt.media_type if fmt else ""})
    return found


def _table_result(body: bytes, viewer: Viewer, text: str) -> QueryResult:
    parsed = parse_query_results(body, format=QueryResultsFormat.JSON)
    if isinstance(parsed, QueryBoolean):
        return QueryResult("boolean", boolean=bool(parsed))
    assert isinstance(parsed, QuerySolutions)
    columns = [v.value for v in parsed.variables]
    rows: list[list[TermView | None]] = []
    truncated = False
    for solution in parsed:
        if len(rows) == MAX_ROWS:
            truncated = True
            break
        rows.append(
            [
                None if solution[c] is None else viewer.term(solution[c], _no_nesting)
                for c in columns
            ]
        )
    return QueryResult(
        "table", columns, rows, truncated=truncated, downloads=_downloads(text, RESULT_DOWNLOADS)
    )


def _graph_result(body: bytes, viewer: Viewer, text: str) -> QueryResult:
    rows: list[list[TermView | None]] = []
    truncated = False
    for quad in parse(body, format=RdfFormat.N_TRIPLES):
        if len(rows) == MAX_ROWS:
            truncated = True
            break
        rows.append(
            [viewer.term(t, _no_nesting) for t in (quad.subject, quad.predicate, quad.object)]
        )
    return QueryResult(
        "table",
        ["subject", "predicate", "object"],
        rows,
        truncated=truncated,
        downloads=_downloads(text, GRAPH_DOWNLOADS),
    )


def _no_nesting(_node: object) -> list:
    return []
