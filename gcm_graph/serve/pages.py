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
* `/dataset` — the dataset as the VoID description has it (see dumps.py);
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

import hashlib
from collections.abc import Callable, Iterable

from flask import Blueprint, Response, redirect, render_template, request
from pyoxigraph import NamedNode, Store, Triple, serialize

from . import compress, formats, site
from .describe import MAX_DESCRIPTION_TRIPLES, Description, notations, subject_labels
from .formats import Format
from .queryform import run_for_page
from .security import same_origin_location
from .store import PREFIX_MAP
from .views import ResourcePage, Viewer, resource_page

bp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)

DOCUMENT_KINDS: tuple[formats.Kind, ...] = ("graph", "page")
CACHE_CONTROL = "public, max-age=300"
Twin = Callable[[str], str]  # extension -> URL of that twin


# --- responses ---------------------------------------------------------------------------


def finish(response: Response, *key: str) -> Response:
    """ETag from the release and `key`, caching headers, 304 on a matching revalidation.

    A revalidation may carry the tag of the gzip-compressed representation (`"tag:gzip"`, which
    flask-compress derives from ours), so that form matches as well.
    """
    fingerprint = site.current().release.fingerprint
    digest = hashlib.sha256("\n".join((fingerprint, *key)).encode()).hexdigest()[:32]
    response.set_etag(digest)
    response.headers.setdefault("Cache-Control", CACHE_CONTROL)  # CSP: security.py
    tags = request.if_none_match
    if request.method in ("GET", "HEAD") and response.status_code == 200 and tags:
        matched = next((t for t in (digest, f"{digest}:gzip") if tags.contains_weak(t)), None)
        if matched or tags.star_tag:
            response.status_code = 304
            response.set_data(b"")
            response.set_etag(matched or digest)
            return response
    return response


def html(template: str, status: int = 200, **context: object) -> Response:
    body = render_template(template, base_uri=site.current().base_uri, **context)
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def rdf_document(triples: Iterable[Triple], fmt: Format, *key: str, links: str = "") -> Response:
    body = serialize(list(triples), format=fmt.oxigraph, prefixes=PREFIX_MAP)
    response = Response(body, content_type=fmt.content_type)
    if links:
        response.headers["Link"] = links
    return finish(response, *key, fmt.name)


def plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def not_found(message: str, iri: str | None = None) -> Response:
    """404: an HTML page for clients that prefer HTML, plain text for everybody else."""
    best = request.accept_mimetypes.best_match(["text/plain", "text/html"])
    if best == "text/html" and request.accept_mimetypes.quality("text/html") > 0:
        return html("error.html", 404, code=404, heading="Not found", message=message, iri=iri)
    return plain(404, message)


def not_acceptable() -> Response:
    offered = ", ".join(f.media_type for f in formats.of_kind(*DOCUMENT_KINDS))
    return plain(406, f"Not Acceptable: this resource is available as {offered}")


def see_other(location: str) -> Response:
    response = redirect(same_origin_location(location), code=303)
    response.headers["Vary"] = "Accept"
    return response


def negotiated() -> Format | None:
    return formats.choose(request.accept_mimetypes, request.args.get("format"), DOCUMENT_KINDS)


def twin_format(extension: str) -> Format | None:
    return formats.by_extension(extension, DOCUMENT_KINDS)


def twin_links(twin: Twin, current: Format) -> tuple[list[dict[str, str]], str]:
    """The formats of a document (for the page) and the Link header naming the other ones."""
    links = [
        {"href": twin(f.extension), "label": f.label, "media_type": f.media_type, "name": f.name}
        for f in formats.of_kind("page", "graph")
    ]
    header = ", ".join(
        f'<{link["href"]}>; rel="alternate"; type="{link["media_type"]}"'
        for link in links
        if link["name"] != current.name
    )
    return links, header


# --- home, query, ontology, shapes --------------------------------------------------------


@bp.get("/")
@compress.compressed()
def home() -> Response:
    return finish(html("home.html", **site.current().home_context()), "home")


@bp.route("/query", methods=["GET", "POST"])
@compress.compressed()
def query() -> Response:
    """The query form; with a query (or `example=NAME`), its results as a table."""
    s = site.current()
    text = request.values.get("query", "")
    example = s.example(request.values.get("example", ""))
    if example is not None and not text.strip():
        text = example.text
    result, error, status = (
        run_for_page(text, s.linker(), s.term_labels()) if text.strip() else (None, None, 200)
    )
    response = html(
        "query.html",
        status=status,
        query_text=text,
        result=result,
        error=error,
        examples=s.examples(),
        sparql_url=f"{request.script_root}/sparql",
    )
    if request.method == "POST" or status != 200:
        response.headers["Cache-Control"] = "no-store"
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
    found = site.current().shapes()
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
    viewer = Viewer(s.linker(), labels, s.term_labels())
    subjects = [t.subject for t in description.incoming if isinstance(t.subject, NamedNode)]
    return resource_page(
        description, viewer, subject_labels(store, subjects), MAX_DESCRIPTION_TRIPLES
    )
