"""The query editor page (YASGUI) at /query and, for browsers, at /sparql.

`/sparql` is the SPARQL 1.1 Protocol endpoint (http/sparql.py); before it runs,
`editor_for_browsers` hands a client whose Accept header prefers `text/html`
over every results and graph format (a browser following a link) this page instead, with the
`query` parameter, if any, in the editor (as Fuseki's and Oxigraph's UIs do). Protocol clients
(`*/*`, SPARQL JSON/XML, Turtle, a `format` parameter) are answered as before; the choice goes
through formats.negotiate, the one format table.

The page carries no inline script: its configuration is a JSON `data-config` attribute read by
static/editor.js. Without JavaScript the plain form (GET /query) still works, and a query given
to /query is also run on the server so that its table is shown to such a browser.
"""

from __future__ import annotations

from flask import Request, Response, request

from .. import formats
from ..query.store import PREFIX_MAP
from . import site
from .queryform import run_for_page
from .responses import finish, html

# Kinds in this order: a client that accepts anything (`*/*`) gets the protocol, not the page.
ENDPOINT_KINDS: tuple[formats.Kind, ...] = ("results", "graph", "page")
STARTER = (
    "SELECT ?objective ?number ?title WHERE {\n"
    "  ?objective a gcm:Objective ; gcm:number ?number ; dcterms:title ?title .\n"
    "}\nORDER BY ?number"
)


def wants_editor(req: Request) -> bool:
    """Whether a request to /sparql is a browser's (HTML preferred) rather than a protocol call."""
    if req.method not in ("GET", "HEAD") or "format" in req.args or "update" in req.args:
        return False
    if not req.accept_mimetypes or req.accept_mimetypes.quality("text/html") <= 0:
        return False
    chosen = formats.negotiate(req.accept_mimetypes, ENDPOINT_KINDS)
    return chosen is not None and chosen.kind == "page"


def editor_config(query_text: str, examples: list) -> dict:
    """What static/editor.js needs: the endpoint, the query, our prefixes, the catalogue."""
    return {
        "endpoint": f"{request.host_url.rstrip('/')}{request.script_root}/sparql",
        "query": query_text,
        "run": bool(query_text.strip()),
        "starter": STARTER,
        "prefixes": dict(PREFIX_MAP),
        "examples": [
            {"name": e.name, "title": e.title, "description": e.description, "query": e.text}
            for e in examples
        ],
    }


def editor_page(run_on_server: bool = True) -> tuple[Response, int, str]:
    """The editor page for the current request: (response, status, query text).

    `?query=` puts a query in the editor; `?example=NAME` a catalogue query. With
    `run_on_server`, the query is also run here for the no-script table (the /query form).
    """
    s = site.current()
    text = request.values.get("query", "")
    example = s.example(request.values.get("example", ""))
    if example is not None and not text.strip():
        text = example.text
    result, error, status = (None, None, 200)
    if run_on_server and text.strip():
        result, error, status = run_for_page(text, s.linker(), s.term_labels())
    examples = s.examples()
    response = html(
        "editor.html",
        status=status,
        query_text=text,
        result=result,
        error=error,
        examples=examples,
        prefixes=list(PREFIX_MAP),
        editor_config=editor_config(text, examples),
        sparql_url=f"{request.script_root}/sparql",
    )
    response.headers["Vary"] = "Accept"
    return response, status, text


def editor_for_browsers() -> Response | None:
    """Run before every request (pages.py registers it): the editor for a browser's GET /sparql,
    None (the endpoint answers) for everybody else."""
    if request.endpoint != "sparql.endpoint" or not wants_editor(request):
        return None
    response, _status, text = editor_page()
    return finish(response, "sparql-editor", text)
