"""Linked-data pages: dereferenceable IRIs, the home page, resource pages, ontology and shapes.

URL design (the served path of an IRI is its path relative to the configured BASE_URI, so the
same release works on localhost and at its public address):

* `/objective/7` — 303 See Other to `/objective/7.html` or `/objective/7.ttl` (`.jsonld`, `.nt`,
  `.rdf`) by content negotiation (q-values; `?format=` wins); 406 if nothing acceptable. Without
  an Accept header (or `*/*`) the answer is Turtle; browsers get HTML;
* `/objective/7.{html,ttl,jsonld,nt,rdf}` — the document itself (see describe.py for its content);
* `/describe?uri=IRI` (303) and `/describe.{ext}?uri=IRI` — the same for IRIs outside the base
  that the release describes (the UN SDG goals and targets, `http://metadata.un.org/sdg/...`); an
  IRI under the base is redirected to its own path;
* `/dataset` — the dataset as the VoID description has it (see release_files.py);
* `/ontology` (303), `/ontology.html` (pyLODE documentation, generated at first request and
  cached), `/ontology.{ttl,jsonld,nt,rdf}`; `/shapes` (the SHACL files shown), `/shapes/{file}.ttl`;
* `/` home page; `/query` the query form and its results as a table (queryform.py);
* anything else: 404, as an HTML page for clients that prefer HTML, else plain text.

CORS headers come from the app (create_app applies flask-cors to every route; the pages must not
add their own, or the header would be doubled). Every answer carries an ETag derived from the
release fingerprint and the request, Cache-Control, and answers revalidation with 304; HTML pages
forbid scripts by Content-Security-Policy (none is needed).
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from pyoxigraph import NamedNode, Store

from ..formats import Format
from ..query.describe import MAX_DESCRIPTION_TRIPLES, Description, notations, subject_labels
from . import site
from .compression import compress
from .editor import editor_for_browsers, editor_page
from .page_extras import claim_labels, enrich
from .responses import (
    Twin,
    finish,
    html,
    negotiated,
    not_acceptable,
    not_found,
    plain,
    rdf_document,
    see_other,
    twin_format,
    twin_links,
)
from .security import CSP
from .views import ResourcePage, Viewer, resource_page

bp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)

# --- home, query, ontology, shapes --------------------------------------------------------


@bp.get("/")
@compress.compressed()
def home() -> Response:
    return finish(html("home.html", **site.current().home_context()), "home")


@bp.before_app_request
def sparql_editor() -> Response | None:
    """GET /sparql from a browser: the query editor (editor.py), not the protocol."""
    return editor_for_browsers()


@bp.route("/query", methods=["GET", "POST"])
@compress.compressed()
def query() -> Response:
    """The query editor (editor.py); with a query (or `example=NAME`), also its no-script table."""
    response, status, text = editor_page()
    if request.method == "POST" or status != 200:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = CSP
        return response
    return finish(response, "query", text)


@bp.get("/ontology")
def ontology_redirect() -> Response:
    fmt = negotiated()
    if fmt is None:
        return not_acceptable()
    return see_other(f"{request.script_root}/ontology.{fmt.extension}")


@bp.get("/ontology.<ext>")
@compress.compressed()
def ontology(ext: str) -> Response:
    fmt = twin_format(ext)
    if fmt is None:
        return not_found(f"The ontology is not available as .{ext}")
    s = site.current()
    if fmt.kind == "page":
        response = Response(s.ontology_html(), content_type=fmt.content_type)
        return finish(response, "ontology", s.ontology_digest())
    return rdf_document(s.ontology_triples(), fmt, "ontology", s.ontology_digest())


@bp.get("/shapes")
@compress.compressed()
def shapes() -> Response:
    from .shapes_view import shape_views

    found = [{**s, "views": shape_views(s["path"])} for s in site.current().shapes()]
    return finish(html("shapes.html", shapes=found), "shapes", *(s["digest"] for s in found))


@bp.get("/shapes/<name>")
def shapes_file(name: str) -> Response:
    for shape in site.current().shapes():
        if shape["name"] == name:
            response = Response(shape["text"], content_type="text/turtle; charset=utf-8")
            return finish(response, "shapes", name, shape["digest"])
    return not_found(f"No shapes file named {name}")


# --- resources ---------------------------------------------------------------------------


@bp.get("/describe")
def describe_redirect() -> Response:
    iri = request.args.get("uri", "").strip()
    if not iri:
        return plain(400, "Give the IRI to describe as ?uri=")
    linker = site.current().linker()
    local = linker.local_path(iri)
    if local is not None:
        return see_other(local)
    fmt = negotiated()
    if fmt is None:
        return not_acceptable()
    return see_other(linker.describe_path(iri, fmt.extension))


@bp.get("/describe.<ext>")
@compress.compressed()
def describe_document(ext: str) -> Response:
    iri = request.args.get("uri", "").strip()
    fmt = twin_format(ext)
    if not iri or fmt is None:
        return not_found("Use /describe.{html,ttl,jsonld,nt,rdf}?uri=IRI")
    linker = site.current().linker()
    return resource_document(iri, fmt, lambda e: linker.describe_path(iri, e))


@bp.get("/<path:path>")
@compress.compressed()
def resource(path: str) -> Response:
    """A path under the base: a resource IRI (303) or one of its documents (twin extension)."""
    s = site.current()
    iri = s.base_uri + path
    if s.lookup(iri) is not None:
        fmt = negotiated()
        if fmt is None:
            return not_acceptable()
        return see_other(f"{request.script_root}/{path}.{fmt.extension}")
    stem, dot, ext = path.rpartition(".")
    fmt = twin_format(ext) if dot and "/" not in ext else None
    if fmt is not None:
        prefix = f"{request.script_root}/{stem}."
        return resource_document(s.base_uri + stem, fmt, lambda e: prefix + e)
    return not_found(f"No resource {iri} in this release.", iri)


def resource_document(iri: str, fmt: Format, twin: Twin) -> Response:
    found = site.current().lookup(iri)
    if found is None:
        return not_found(f"No resource {iri} in this release.", iri)
    description, store = found
    links, header = twin_links(twin, fmt)
    if fmt.kind != "page":
        return rdf_document(description.triples, fmt, "resource", iri, links=header)
    page = build_page(description, store)
    page.formats = links
    alternates = [link for link in links if link["name"] != fmt.name]
    response = html("resource.html", page=page, alternates=alternates)
    response.headers["Link"] = header
    return finish(response, "resource", iri, fmt.name)


def build_page(description: Description, store: Store) -> ResourcePage:
    s = site.current()
    labels = description.labels()
    linked = [t.object for t in description.triples if isinstance(t.object, NamedNode)]
    for iri, notation in notations(store, linked).items():
        if iri != description.resource.value and iri in labels:
            labels[iri] = f"{notation} {labels[iri]}"
    subjects = [t.subject for t in description.incoming if isinstance(t.subject, NamedNode)]
    named_claims = claim_labels(store, [description.resource, *linked, *subjects], s.term_labels())
    labels = named_claims | labels
    viewer = Viewer(s.linker(), labels, s.term_labels())
    page = resource_page(
        description, viewer, named_claims | subject_labels(store, subjects), MAX_DESCRIPTION_TRIPLES
    )
    enrich(page, store, viewer.linker)
    return page
