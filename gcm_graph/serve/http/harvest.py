"""What harvesters and crawlers fetch first: the JSON-LD context, named graphs, robots, sitemap, API.

* `/context.jsonld` — the release's JSON-LD @context (the one every JSON-LD answer names);
* `/graph/{id}` — a named graph (a void:subset of the VoID): 303 to `/graph/{id}.{ext}` by
  content negotiation; `.ttl`, `.nt`, `.jsonld`, `.rdf` hold the graph's triples (sorted, so the
  same bytes every time), `.html` the graph's description from the VoID;
* `/robots.txt` — everything allowed, the sitemap named;
* `/sitemap.xml` — the home page and every resource the release describes under the base, sorted
  (a sitemap index over `/sitemap/{n}.xml` beyond the protocol's 50,000 URLs per file);
* `/openapi.yaml` — the API description (gcm_graph/resources/openapi.yaml).
"""

from __future__ import annotations

import json
from importlib.resources import files
from xml.sax.saxutils import escape

from flask import Blueprint, Response, request
from pyoxigraph import NamedNode

from ..query.ldcontext import release_context
from . import site
from .compression import compress
from .pages import resource_document
from .responses import (
    finish,
    negotiated,
    not_acceptable,
    not_found,
    rdf_document,
    see_other,
    twin_format,
)

bp = Blueprint("harvest", __name__)

SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org protocol)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
OPENAPI_MEDIA_TYPE = "application/yaml"
RESOURCES_QUERY = (
    "SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), {base})) }}"
)


@bp.get("/context.jsonld")
def context() -> Response:
    s = site.current()
    body = json.dumps(release_context(str(s.release.directory)), indent=2, sort_keys=True)
    response = Response(body + "\n", content_type="application/ld+json")
    return finish(response, "context.jsonld")


# --- named graphs --------------------------------------------------------------------------


@bp.get("/graph/<name>")
@compress.compressed()
def named_graph(name: str) -> Response:
    s = site.current()
    stem, dot, ext = name.rpartition(".")
    graph = s.base_uri + "graph/" + (stem if dot else name)
    if graph not in {info.name for info in s.release.named_graphs()}:
        return not_found(f"No named graph {graph} in this release; see /.well-known/void.", graph)
    if not dot:
        fmt = negotiated()
        if fmt is None:
            return not_acceptable()
        return see_other(f"{request.script_root}/graph/{name}.{fmt.extension}")
    fmt = twin_format(ext)
    if fmt is None:
        return not_found(f"Named graph {graph} is not available as .{ext}", graph)
    if fmt.kind == "page":
        return resource_document(graph, fmt, lambda e: f"{request.script_root}/graph/{stem}.{e}")
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{NamedNode(graph).value}> {{ ?s ?p ?o }} }}"
    triples = sorted(s.release.construct(query), key=str)
    return rdf_document(triples, fmt, "graph", graph)


# --- robots, sitemap, OpenAPI ----------------------------------------------------------------


@bp.get("/robots.txt")
def robots() -> Response:
    body = f"User-agent: *\nAllow: /\n\nSitemap: {request.url_root}sitemap.xml\n"
    return finish(Response(body, content_type="text/plain; charset=utf-8"), "robots", body)


def sitemap_urls() -> list[str]:
    """The home page, then every resource under the base (its IRI's path here), sorted."""
    s = site.current()
    rows = s.release.select(RESOURCES_QUERY.format(base=json.dumps(s.base_uri)))
    paths = sorted({row["s"].value[len(s.base_uri) :] for row in rows} - {""})
    return [request.url_root] + [request.url_root + path for path in paths]


def _xml(root: str, entries: list[str], element: str) -> Response:
    lines = [f"<{element}><loc>{escape(url)}</loc></{element}>" for url in entries]
    body = "\n".join(
        ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{SITEMAP_NS}">', *lines]
    )
    response = Response(f"{body}\n</{root}>\n", content_type="application/xml; charset=utf-8")
    return finish(response, "sitemap", root, request.url_root, *entries[:1])


@bp.get("/sitemap.xml")
@compress.compressed()
def sitemap() -> Response:
    urls = sitemap_urls()
    if len(urls) <= SITEMAP_LIMIT:
        return _xml("urlset", urls, "url")
    parts = range((len(urls) + SITEMAP_LIMIT - 1) // SITEMAP_LIMIT)
    return _xml("sitemapindex", [f"{request.url_root}sitemap/{n}.xml" for n in parts], "sitemap")


@bp.get("/sitemap/<int:number>.xml")
@compress.compressed()
def sitemap_part(number: int) -> Response:
    part = sitemap_urls()[number * SITEMAP_LIMIT : (number + 1) * SITEMAP_LIMIT]
    if not part:
        return not_found(f"No sitemap part {number}; see /sitemap.xml.")
    return _xml("urlset", part, "url")


def openapi_text() -> str:
    return files("gcm_graph.resources").joinpath("openapi.yaml").read_text(encoding="utf-8")


@bp.get("/openapi.yaml")
def openapi() -> Response:
    text = openapi_text()
    response = Response(text, content_type=f"{OPENAPI_MEDIA_TYPE}; charset=utf-8")
    return finish(response, "openapi", text)
