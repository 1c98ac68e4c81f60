"""Namespaces and the minting of IRIs: the one place that knows the public IRI patterns."""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .config import ONTOLOGY_NS

GCM = Namespace(ONTOLOGY_NS)
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SH = Namespace("http://www.w3.org/ns/shacl#")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "gcm": GCM,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "prov": PROV,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sdg": SDG,
    "sdgo": SDGO,
    "void": VOID,
    "dcat": DCAT,
    "wd": WIKIDATA,
}


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-', for readable IRIs ('Paris Agreement' -> 'paris-agreement')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class Iris:
    """IRI minting under one instance base (the default https://w3id.org/gcm/ or an override)."""

    def __init__(self, base: str):
        self.base = base if base.endswith("/") else base + "/"

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def dataset(self) -> URIRef:
        return self._iri("dataset")

    def objective(self, number: int) -> URIRef:
        return self._iri(f"objective/{number}")

    def action(self, objective: int, letter: str) -> URIRef:
        return self._iri(f"objective/{objective}/action/{letter}")

    def commitment(self, objective: int) -> URIRef:
        return self._iri(f"objective/{objective}/commitment")

    def principle(self, letter: str) -> URIRef:
        return self._iri(f"principle/{letter}")

    def paragraph(self, number: int) -> URIRef:
        return self._iri(f"paragraph/{number}")

    def mechanism(self, slug: str) -> URIRef:
        return self._iri(f"mechanism/{slug}")

    def instrument(self, slug: str) -> URIRef:
        return self._iri(f"instrument/{slug}")

    def practice(self, practice_id: str) -> URIRef:
        return self._iri(f"practice/{practice_id}")

    def country(self, alpha3: str) -> URIRef:
        return self._iri(f"country/{alpha3.upper()}")

    def organisation(self, slug: str) -> URIRef:
        return self._iri(f"organisation/{slug}")

    def region(self, m49: str) -> URIRef:
        """A UN M49 area (world, region, sub-region, intermediate region) by its 3-digit code."""
        return self._iri(f"region/{m49}")

    def country_group(self, slug: str) -> URIRef:
        """A UN group of countries ('ldc', 'lldc', 'sids')."""
        return self._iri(f"group/{slug}")

    def scheme(self, slug: str) -> URIRef:
        """A SKOS concept scheme of our own ('m49-regions', 'country-groups')."""
        return self._iri(f"scheme/{slug}")

    def cluster(self, number: int) -> URIRef:
        return self._iri(f"cluster/{number}")

    def subtheme(self, cluster: int, number: int) -> URIRef:
        return self._iri(f"cluster/{cluster}/subtheme/{number}")

    def recommendation(self, rec_id: str) -> URIRef:
        return self._iri(f"recommendation/{rec_id}")

    def source(self, source_id: str) -> URIRef:
        return self._iri(f"source/{source_id}")

    def span(self, source_id: str, first_line: int, last_line: int) -> URIRef:
        return self._iri(f"source/{source_id}/lines/{first_line}-{last_line}")

    def section(self, source_id: str, number: str) -> URIRef:
        """A numbered section of a source document ('1.1', 'IV')."""
        return self._iri(f"source/{source_id}/section/{number}")

    def footnote(self, source_id: str, number: int) -> URIRef:
        """A footnote of a source document (its number as printed)."""
        return self._iri(f"source/{source_id}/footnote/{number}")

    def graph(self, source_id: str) -> URIRef:
        return self._iri(f"graph/{source_id}")

    def claim(self, slug: str) -> URIRef:
        return self._iri(f"claim/{slug}")


def geonames(geonames_id: str) -> URIRef:
    """The GeoNames feature IRI ('https://sws.geonames.org/3996063/')."""
    return URIRef(f"https://sws.geonames.org/{geonames_id}/")


def sdg_goal(number: int) -> URIRef:
    return SDG[str(number)]


def sdg_target(code: str) -> URIRef:
    return SDG[code]
