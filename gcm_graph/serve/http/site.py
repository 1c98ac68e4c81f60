"""What the pages know about the site: the release, its base IRI, the ontology, shapes, examples.

One `Site` per Flask app (kept in `app.extensions`); everything derived from files is computed on
first use and cached, keyed by the release fingerprint where it depends on the release.

Where a description comes from (`Site.lookup`): the release store first, then the dataset
description (VoID), so that `<base>dataset` resolves even though the release does not describe
itself.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import re
import sys
import threading
import types
from functools import cached_property
from pathlib import Path
from urllib.parse import urlencode

from flask import current_app, request
from pyoxigraph import NamedNode, QuerySolutions, RdfFormat, Store, Triple, parse

from ... import config
from ...catalogue import CatalogueQuery, catalogue
from ..query.describe import Description, best_labels, describe, has_description
from ..query.store import PREFIX_MAP, Release, current_release
from .release_files import release_files, void_store
from .views import Linker, curie

__all__ = ["PREFIX_MAP", "Site", "current"]

EXTENSION_KEY = "gcm_pages"
# Classes shown as headline counts on the home page, in this order, when the release has them.
HEADLINE_CLASSES = (
    "Objective",
    "Action",
    "GuidingPrinciple",
    "Instrument",
    "Practice",
)
LIST_QUERY = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "SELECT ?resource (SAMPLE(?name) AS ?label) WHERE {{\n"
    "  ?resource a <{iri}> .\n"
    "  OPTIONAL {{ ?resource dcterms:title|rdfs:label ?name }}\n"
    "}} GROUP BY ?resource ORDER BY ?resource LIMIT 1000"
)
HIDDEN_CLASSES = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement",)


def pylode_ontpub() -> type:
    """pyLODE's OntPub class. pyLODE 3.4 reads its version from a pyproject.toml that its wheel
    does not ship; give it the installed version instead so that the import works."""
    spec = importlib.util.find_spec("pylode")
    if spec and spec.submodule_search_locations and "pylode.version" not in sys.modules:
        package = Path(next(iter(spec.submodule_search_locations)))
        if not (package.parent / "pyproject.toml").is_file():
            stub = types.ModuleType("pylode.version")
            stub.__version__ = importlib.metadata.version("pylode")
            sys.modules["pylode.version"] = stub
    from pylode import OntPub

    return OntPub


class Site:
    def __init__(self, app_config: dict):
        self.base_uri = config.base_uri(app_config.get("BASE_URI"))
        self.release_dir = Path(app_config["RELEASE_DIR"]).resolve()
        # The release's copy of the ontology (the build writes ontology.ttl) wins over the repo's.
        shipped = self.release_dir / "ontology.ttl"
        default = shipped if shipped.is_file() else config.ONTOLOGY_FILE
        self.ontology_file = Path(app_config.get("ONTOLOGY_FILE") or default)
        self.shapes_dir = Path(app_config.get("SHAPES_DIR") or config.SHAPES_DIR)
        self.queries_dir = Path(app_config.get("QUERIES_DIR") or config.QUERIES_DIR)
        self._lock = threading.Lock()
        self._ontology_html: str | None = None
        self._census: dict[str, list] = {}

    @property
    def release(self) -> Release:
        return current_release()

    def linker(self) -> Linker:
        store = self.release.store
        return Linker(self.base_uri, request.script_root, lambda iri: has_description(store, iri))

    def lookup(self, iri: str) -> tuple[Description, Store] | None:
        """The description of an IRI and the store it came from, or None if nobody knows it."""
        if not iri.startswith(("http://", "https://")) or any(c in iri for c in '<>" {}|\\^`'):
            return None
        try:
            node = NamedNode(iri)
        except ValueError:  # not an IRI (e.g. control characters): nothing describes it
            return None
        for store in (self.release.store, void_store()):  # VoID: built lazily
            found = describe(store, node)
            if found is not None:
                return found, store
        return None

    # --- ontology -------------------------------------------------------------------------

    @cached_property
    def _ontology(self) -> list[Triple]:
        if not self.ontology_file.is_file():
            return []
        return [q.triple for q in parse(path=self.ontology_file, format=RdfFormat.TURTLE)]

    def ontology_triples(self) -> list[Triple]:
        return self._ontology

    def ontology_digest(self) -> str:
        if not self.ontology_file.is_file():
            return "none"
        return hashlib.sha256(self.ontology_file.read_bytes()).hexdigest()

    @cached_property
    def _term_labels(self) -> dict[str, str]:
        return best_labels(self._ontology)

    def term_labels(self) -> dict[str, str]:
        return self._term_labels

    def ontology_html(self) -> str:
        """pyLODE's documentation of the ontology, generated once (it takes about a second).

        pyLODE renders literal values as Markdown without escaping HTML in them, so the graph
        given to it has `&`, `<` and `>` escaped in every literal first.
        """
        with self._lock:
            if self._ontology_html is None:
                self._ontology_html = _pylode_html(self.ontology_file)
            return self._ontology_html

    # --- shapes and examples ----------------------------------------------------------------

    def shapes(self) -> list[dict]:
        found = []
        for path in sorted(self.shapes_dir.glob("*.ttl")):
            text = path.read_text(encoding="utf-8")
            found.append(
                {
                    "name": path.name,
                    "anchor": path.stem,
                    "href": f"{request.script_root}/shapes/{path.name}",
                    "text": text,
                    "count": len(re.findall(r"\ba\s+sh:NodeShape\b", text)),
                    "digest": hashlib.sha256(text.encode()).hexdigest(),
                }
            )
        return found

    def examples(self) -> list[CatalogueQuery]:
        """The catalogue queries (sparql_queries/*.rq, headers parsed by gcm_graph.catalogue)."""
        return catalogue(self.queries_dir)

    def example(self, name: str) -> CatalogueQuery | None:
        return next((e for e in self.examples() if e.name == name), None)

    # --- home page ---------------------------------------------------------------------------

    def manifest(self) -> dict:
        path = self.release_dir / "manifest.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _class_rows(self) -> list:
        """The class census of the release (computed once per release fingerprint)."""
        key = self.release.fingerprint
        if key not in self._census:
            rows = self.release.store.query(
                "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) (MIN(STR(?s)) AS ?ex) "
                "WHERE { ?s a ?c FILTER(isIRI(?s)) } GROUP BY ?c ORDER BY DESC(?n) ?c"
            )
            assert isinstance(rows, QuerySolutions)
            self._census = {key: list(rows)}
        return self._census[key]

    def class_counts(self) -> list[dict]:
        """Per class: instances in the merged graph and the smallest IRI as an example."""
        rows = self._class_rows()
        linker = self.linker()
        labels = self.term_labels()
        found = []
        for row in rows:
            iri = row["c"].value
            if iri in HIDDEN_CLASSES:
                continue
            example = row["ex"].value if row["ex"] is not None else None
            found.append(
                {
                    "iri": iri,
                    "label": labels.get(iri) or _curie(iri),
                    "href": linker.href(iri),
                    "count": int(row["n"].value),
                    "list_href": f"{request.script_root}/query?"
                    + urlencode({"query": LIST_QUERY.format(iri=iri)}),
                    "example": {"href": linker.href(example), "text": _short(example, self)}
                    if example
                    else None,
                }
            )
        return found

    def home_context(self) -> dict:
        manifest = self.manifest()
        classes = self.class_counts()
        counts = [{"label": "triples", "value": self.release.triple_count(), "href": None}]
        graphs = self.release.named_graphs()
        counts.append(
            {"label": "named graphs (one per source)", "value": len(graphs), "href": None}
        )
        by_local = {
            c["iri"].rpartition("#")[2]: c
            for c in classes
            if c["iri"].startswith(config.ONTOLOGY_NS)
        }
        for name in HEADLINE_CLASSES:
            if name in by_local:
                c = by_local[name]
                counts.append(
                    {"label": _plural(c["label"]), "value": c["count"], "href": c["href"]}
                )
        built = manifest.get("built") or manifest.get("created") or manifest.get("generated")
        version = manifest.get("version")
        release_name = built or self.release.fingerprint[:12]
        return {
            "counts": counts,
            "classes": classes,
            "release": {"built": built, "version": version},
            "examples": self.examples(),
            "dumps": release_files(),
            "query_text": "",
            "sparql_url": f"{request.script_root}/sparql",
            "example_path": "/objective/7",
            "citation": (
                "gcm-graph: the Global Compact for Safe, Orderly and Regular Migration "
                f"(A/RES/73/195) as linked data, release {release_name}. {self.base_uri}"
            ),
        }


def _plural(label: str) -> str:
    lower = label[:1].lower() + label[1:] if label[1:2].islower() else label
    if lower.endswith("y"):
        return lower[:-1] + "ies"
    return lower + "s"


def _curie(iri: str) -> str:
    return curie(iri)


def _short(iri: str, site: Site) -> str:
    return iri[len(site.base_uri) :] if iri.startswith(site.base_uri) else _curie(iri)


def _pylode_html(ontology_file: Path) -> str:
    from rdflib import Graph, Literal
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

    graph = Graph().parse(ontology_file, format="turtle")
    # pyLODE prints both the title and the label of the ontology as one heading: keep the title.
    for ontology in graph.subjects(RDF.type, OWL.Ontology):
        if (ontology, DCTERMS.title, None) in graph:
            graph.remove((ontology, RDFS.label, None))
    escaped = Graph()
    for prefix, namespace in graph.namespaces():
        escaped.bind(prefix, namespace)
    for s, p, o in graph:
        if isinstance(o, Literal):
            text = str(o).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            o = Literal(text, lang=o.language, datatype=o.datatype)
        escaped.add((s, p, o))
    document = pylode_ontpub()(ontology=escaped, sort_subjects=True)
    return _local_name_anchors(document.make_html(), document.fids)


def _local_name_anchors(html: str, fragment_ids: dict) -> str:
    """Give every term an anchor named by its local name (`#GuidingPrinciple`), as the IRIs
    `…/ontology#GuidingPrinciple` promise; pyLODE derives its own ids from labels
    (`#Guidingprinciple`), so an empty anchor is added before its section where they differ."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    for iri, fid in sorted(fragment_ids.items()):
        local = re.split(r"[#/]", str(iri))[-1]
        if not local or local == fid or local in ids or not re.fullmatch(r"[\w.-]+", local):
            continue
        pattern = re.compile(r'<[^<>]*\sid="' + re.escape(fid) + '"')
        html, found = pattern.subn(
            lambda m, n=local: f'<span id="{n}"></span>{m.group(0)}', html, 1
        )
        if found:
            ids.add(local)
    return html


def current() -> Site:
    """The Site of the running app (created on first use)."""
    app = current_app._get_current_object()
    site = app.extensions.get(EXTENSION_KEY)
    if site is None:
        site = app.extensions.setdefault(EXTENSION_KEY, Site(app.config))
    return site
