"""The one table of serialisation formats, and content negotiation over it.

Every place that turns a request into a format (the SPARQL endpoint, the linked-data pages, the
dumps) uses this table, so a format name, media type or file extension means the same everywhere:

* ``?format=ttl`` (a name, an alias such as ``turtle``, or a media type),
* ``/objective/7.ttl`` (the extension twin),
* ``Accept: text/turtle;q=0.9, application/ld+json`` (q-values, via werkzeug's ``best_match``;
  media-type parameters such as ``; charset=utf-8`` are dropped first, see
  accept_without_parameters).

Kinds: ``results`` (SELECT/ASK answers), ``graph`` (triples: CONSTRUCT/DESCRIBE answers, resource
documents), ``dataset`` (quads: the TriG/N-Quads dumps), ``page`` (HTML) and ``file`` (other release
files).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from pyoxigraph import QueryResultsFormat, RdfFormat
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_options_header

Kind = Literal["results", "graph", "dataset", "page", "file"]
RESULT_KINDS: tuple[Kind, ...] = ("results",)
GRAPH_KINDS: tuple[Kind, ...] = ("graph",)


@dataclass(frozen=True)
class Format:
    """One serialisation: the first media type is the one we answer with, the others we accept."""

    name: str
    kind: Kind
    media_types: tuple[str, ...]
    extension: str
    label: str
    rdflib: str | None = None
    oxigraph: RdfFormat | QueryResultsFormat | None = None
    aliases: tuple[str, ...] = ()

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """The Content-Type header value (with charset for the text types)."""
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("+xml", "/xml"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


# Order matters: within a kind, the first format is the default for `*/*` or no Accept header.
FORMATS: tuple[Format, ...] = (
    # SELECT / ASK results
    Format(
        "json",
        "results",
        ("application/sparql-results+json", "application/json"),
        "srj",
        "SPARQL JSON",
        "json",
        QueryResultsFormat.JSON,
        ("srj",),
    ),
    Format(
        "xml",
        "results",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        "srx",
        "SPARQL XML",
        "xml",
        QueryResultsFormat.XML,
        ("srx",),
    ),
    Format("csv", "results", ("text/csv",), "csv", "CSV", "csv", QueryResultsFormat.CSV),
    Format(
        "tsv",
        "results",
        ("text/tab-separated-values",),
        "tsv",
        "TSV",
        "tsv",
        QueryResultsFormat.TSV,
    ),
    # Graphs: CONSTRUCT / DESCRIBE results and resource documents
    Format(
        "ttl",
        "graph",
        ("text/turtle", "application/x-turtle"),
        "ttl",
        "Turtle",
        "turtle",
        RdfFormat.TURTLE,
        ("turtle",),
    ),
    Format(
        "nt",
        "graph",
        ("application/n-triples", "text/plain"),
        "nt",
        "N-Triples",
        "nt",
        RdfFormat.N_TRIPLES,
        ("ntriples", "n-triples"),
    ),
    Format(
        "jsonld",
        "graph",
        ("application/ld+json", "application/json"),  # plain JSON clients get JSON-LD
        "jsonld",
        "JSON-LD",
        "json-ld",
        RdfFormat.JSON_LD,
        ("json-ld",),
    ),
    Format(
        "rdfxml",
        "graph",
        ("application/rdf+xml",),
        "rdf",
        "RDF/XML",
        "xml",
        RdfFormat.RDF_XML,
        ("rdf", "rdf+xml", "owl"),
    ),
    # Datasets (named graphs): dumps only
    Format("trig", "dataset", ("application/trig",), "trig", "TriG", "trig", RdfFormat.TRIG),
    Format(
        "nq",
        "dataset",
        ("application/n-quads",),
        "nq",
        "N-Quads",
        "nquads",
        RdfFormat.N_QUADS,
        ("nquads", "n-quads"),
    ),
    # Human-readable pages
    Format(
        "html", "page", ("text/html", "application/xhtml+xml"), "html", "HTML", aliases=("htm",)
    ),
    # Other release files
    Format("jsonfile", "file", ("application/json",), "json", "JSON"),
    Format("md", "file", ("text/markdown",), "md", "Markdown", aliases=("markdown",)),
    Format("txt", "file", ("text/plain",), "txt", "Plain text"),
    Format("gz", "file", ("application/gzip",), "gz", "gzip"),
)

_BY_NAME: dict[str, Format] = {}
for _fmt in FORMATS:
    for _key in (_fmt.name, *_fmt.aliases):
        _BY_NAME.setdefault(_key, _fmt)
_BY_EXTENSION: dict[str, Format] = {}
for _fmt in FORMATS:
    _BY_EXTENSION.setdefault(_fmt.extension, _fmt)


def of_kind(*kinds: Kind) -> tuple[Format, ...]:
    """The formats of the given kinds: kinds in the order given, then table (preference) order."""
    return tuple(f for kind in kinds for f in FORMATS if f.kind == kind)


def by_name(value: str, kinds: Iterable[Kind] | None = None) -> Format | None:
    """The format a `format` parameter names: a name, an alias or a media type (case-insensitive).

    With `kinds`, only formats of those kinds count (so `xml` for SELECT and `application/rdf+xml`
    for CONSTRUCT resolve differently, and `json` is never mistaken for the plain JSON file type).
    """
    allowed = tuple(kinds) if kinds is not None else None
    key = value.strip().lower()
    candidates = [_BY_NAME.get(key)] + [f for f in FORMATS if key in f.media_types]
    for fmt in candidates:
        if fmt is not None and (allowed is None or fmt.kind in allowed):
            return fmt
    return None


def by_extension(extension: str, kinds: Iterable[Kind] | None = None) -> Format | None:
    """The format of a file extension ('ttl' or '.ttl'), optionally restricted to some kinds."""
    allowed = tuple(kinds) if kinds is not None else None
    key = extension.lower().lstrip(".")
    for fmt in FORMATS:
        if (key == fmt.extension or key in fmt.aliases) and (
            allowed is None or fmt.kind in allowed
        ):
            return fmt
    return None


def media_type_for_path(path: str | PurePath) -> str:
    """The media type to serve a release file with: our format table first (RDF, reports), then
    the standard table (the analysis' PNG, SVG, GraphML...), else `application/octet-stream`."""
    suffix = PurePath(path).suffix
    if suffix == ".json":
        return "application/json"
    fmt = _BY_EXTENSION.get(suffix.lower().lstrip("."))
    if fmt:
        return fmt.media_type
    return _OTHER_MEDIA_TYPES.get(suffix.lower()) or "application/octet-stream"


# Files of the analysis (build/analysis/) that the RDF format table does not cover.
_OTHER_MEDIA_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".graphml": "application/graphml+xml",
    ".gexf": "application/gexf+xml",
}


def negotiate(accept: MIMEAccept, kinds: Iterable[Kind]) -> Format | None:
    """The best format of `kinds` for an Accept header, or None if nothing acceptable (-> 406).

    An absent Accept header means `*/*`, which yields the first format of the first kind given
    (`negotiate(accept, ["page", "graph"])` prefers HTML). Among the client's equally weighted
    types, werkzeug prefers the more specific one, then our order.
    """
    candidates = of_kind(*kinds)
    if not accept:
        return candidates[0] if candidates else None
    accept = accept_without_parameters(accept)
    # Main media types first, so that `text/*` means CSV/Turtle rather than the `text/xml` alias.
    offered = [f.media_type for f in candidates]
    offered += [mt for f in candidates for mt in f.media_types[1:] if mt not in offered]
    best = accept.best_match(offered)
    if best is None:
        return None
    return next(f for f in candidates if best in f.media_types)


def choose(accept: MIMEAccept, format_param: str | None, kinds: Iterable[Kind]) -> Format | None:
    """A `format` parameter wins over the Accept header; None means 'cannot produce' (406)."""
    kinds = tuple(kinds)
    if format_param:
        return by_name(format_param, kinds)
    return negotiate(accept, kinds)


UTF8_NAMES = frozenset({"utf-8", "utf8"})


def is_utf8(charset: str | None) -> bool:
    """Whether a charset parameter means UTF-8 (absent counts: the protocol's default)."""
    return charset is None or charset.strip().strip('"').lower() in UTF8_NAMES


def accept_without_parameters(accept: MIMEAccept) -> MIMEAccept:
    """The Accept header with media-type parameters dropped (q-values kept).

    werkzeug's `best_match` matches parameters exactly: `Accept: text/csv; charset=utf-8` got
    406 although we serve exactly that (every textual answer of ours is UTF-8).

    An entry asking for a non-UTF-8 charset keeps its parameters, so that it matches none of
    our (parameter-less) media types: a client accepting only such types gets 406.
    """
    entries: dict[str, float] = {}
    for value, quality in accept:
        media_type, params = parse_options_header(value)
        key = media_type if is_utf8(params.get("charset")) else value
        entries[key] = max(quality, entries.get(key, 0))
    return MIMEAccept(list(entries.items()))
