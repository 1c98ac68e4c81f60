"""Full-text search over the release: an in-memory SQLite FTS5 index built from the store.

What is indexed (one row per resource): objectives (their title and commitment), actions,
guiding principles, practices, instruments, SDG goals and targets, and countries, with every
label they have in any language (a country's names in the six UN languages, so "Mexique" finds
Mexico). Everything is read from the release through SPARQL `SELECT`s over its named graphs (one
per source document), never from the parsers, so the index is the same whether the release is
the embedded store, a raw N-Quads load or a remote endpoint.

The FTS5 table has two columns, `title` (labels, notations, acronyms) and `body` (descriptions,
commitments, impacts, lessons learned); `bm25()` ranks with a weight on the title, times a
prior per kind (KINDS). The tokenizer is `porter unicode61 remove_diacritics 2`: English
stemming (remittance/remittances) and accent-insensitive matching (Mexico/México).

User input never reaches FTS5 query syntax: `fts_query` keeps only word characters, quotes every
term (phrases the user put in double quotes stay phrases) and makes the last term a prefix
("remit" finds remittances). Snippets are marked with private-use sentinels that cannot occur in
the indexed text; `snippet_html` escapes the text and only then turns the sentinels into `<mark>`.
"""

from __future__ import annotations

import html
import re
import sqlite3
import threading
import time
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

GCM = "https://w3id.org/gcm/ontology#"
SDGO = "http://metadata.un.org/sdg/ontology#"
# kind -> (class IRI, label, plural, prior): the prior multiplies bm25, so that the Compact's own
# text (objectives, principles, actions) comes before the SDG vocabulary and the instruments, and
# those before the examples (practices) and countries.
KINDS: dict[str, tuple[str, str, str, float]] = {
    "objective": (GCM + "Objective", "Objective", "Objectives", 1.5),
    "action": (GCM + "Action", "Action", "Actions", 1.2),
    "principle": (GCM + "GuidingPrinciple", "Guiding principle", "Guiding principles", 1.3),
    "practice": (GCM + "Practice", "Practice", "Practices", 1.0),
    "instrument": (GCM + "Instrument", "Instrument", "Instruments", 1.1),
    "goal": (SDGO + "Goal", "SDG goal", "SDG goals", 1.15),
    "target": (SDGO + "Target", "SDG target", "SDG targets", 1.1),
    "country": (GCM + "Country", "Country", "Countries", 1.0),
}
TITLE_WEIGHT = 10.0  # bm25 weight of the title column (the body's is 1)
MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MAX_COMPLETIONS = 64  # indexed words OR-ed with the last, partial one
SNIPPET_TOKENS = 24
MARK_OPEN, MARK_CLOSE, ELLIPSIS = "\ue000", "\ue001", "\ue002"
_SENTINELS = re.compile("[\ue000-\ue002]")
TOKENIZER = "porter unicode61 remove_diacritics 2"

PREFIXES = f"""PREFIX gcm: <{GCM}>
PREFIX sdgo: <{SDGO}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# The resources to index, their kind, and the named graph (source document) stating it.
RESOURCE_QUERY = (
    PREFIXES
    + "SELECT DISTINCT ?r ?class ?g WHERE {\n  VALUES ?class { "
    + " ".join(f"<{kind[0]}>" for kind in KINDS.values())
    + " }\n  GRAPH ?g { ?r a ?class }\n}"
)
TITLE_PREDICATES = "rdfs:label skos:prefLabel dcterms:title skos:altLabel skos:notation gcm:acronym"
BODY_PREDICATES = "dcterms:description gcm:impacts gcm:lessonsLearned gcm:geographicScope"
BODY_PREDICATES += " dcterms:bibliographicCitation"
# Every text of those predicates (in any graph); resources not indexed are skipped in Python.
TEXT_QUERY = (
    PREFIXES
    + "SELECT ?r ?p ?text WHERE {\n  VALUES ?p { "
    + f"{TITLE_PREDICATES} {BODY_PREDICATES}"
    + " }\n  GRAPH ?g { ?r ?p ?text }\n}"
)
# An objective's commitment text belongs to the objective's body.
COMMITMENT_QUERY = (
    PREFIXES
    + "SELECT ?r ?text WHERE { GRAPH ?g { ?r gcm:commitment ?c . ?c dcterms:description ?text } }"
)
# The objectives a resource belongs to or is linked with (the `objective` filter).
OBJECTIVE_QUERY = (
    PREFIXES
    + """SELECT DISTINCT ?r ?n WHERE {
  { GRAPH ?g { ?r a gcm:Objective } BIND(?r AS ?o) }
  UNION { GRAPH ?g { ?r gcm:objective|gcm:illustrates ?o } }
  UNION { GRAPH ?g { ?r dcterms:isPartOf ?section . ?section gcm:addressesObjective ?o } }
  UNION { GRAPH ?g { ?o gcm:relevantTarget|gcm:relevantGoal|gcm:relatedInstrument ?r } }
  GRAPH ?h { ?o a gcm:Objective ; gcm:number ?n }
}"""
)
# Titles of the source documents: `<base>source/{id}` is the document of graph `<base>graph/{id}`.
SOURCE_TITLE_QUERY = (
    PREFIXES
    + "SELECT ?document ?title WHERE "
    + "{ GRAPH ?g { ?document a gcm:SourceDocument ; dcterms:title ?title } }"
)
LABEL_PREFERENCE = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
NOTATION = "http://www.w3.org/2004/02/skos/core#notation"

# Runs a SELECT and yields its rows as tuples of terms in the order of the projected variables.
Select = Callable[[str], Iterable[tuple]]


class FullTextUnavailable(RuntimeError):
    """This Python's SQLite was compiled without FTS5 (or without its porter tokenizer)."""


class SearchQueryError(ValueError):
    """The user's query cannot be searched (too long); the message says why."""


@dataclass
class Entry:
    iri: str
    kind: str
    titles: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # predicate -> texts
    body: list[str] = field(default_factory=list)

    def add_title(self, predicate: str, text: str, lang: str) -> None:
        texts = self.titles.setdefault(predicate, [])
        if (text, lang) not in texts:
            texts.append((text, lang))

    def add_body(self, text: str) -> None:
        if text not in self.body:
            self.body.append(text)

    def label(self) -> str:
        for predicate in LABEL_PREFERENCE:
            texts = self.titles.get(predicate, [])
            english = [t for t, lang in texts if lang in ("en", "")]
            if english or texts:
                text = (english or [t for t, _ in texts])[0]
                break
        else:
            text = self.iri
        notation = next((t for t, _ in self.titles.get(NOTATION, [])), None)
        if self.kind in ("goal", "target") and notation and not text.startswith(notation):
            text = f"{notation} {text}"
        return text

    def title_text(self) -> str:
        """Every title text once: the notation and the preferred labels first (the snippet
        window starts there), then the other labels."""
        order = (NOTATION, *LABEL_PREFERENCE)
        predicates = sorted(self.titles, key=lambda p: order.index(p) if p in order else 99)
        seen: list[str] = []
        for predicate in predicates:
            for text, _ in sorted(self.titles[predicate], key=lambda t: t[1] not in ("en", "")):
                if text not in seen:
                    seen.append(text)
        return " · ".join(seen)


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    label: str
    snippet: str  # HTML: escaped text with <mark> around the matched terms
    score: float  # -bm25 times the kind's boost: higher is better


@dataclass(frozen=True)
class Results:
    query: str
    total: int
    hits: list[Hit]
    kinds: dict[str, int]  # matches per kind under the other filters (facet counts)


def check_fts5() -> None:
    """Raise FullTextUnavailable unless SQLite has FTS5 with the porter tokenizer."""
    try:
        connection = sqlite3.connect(":memory:")
        connection.execute(f"CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='{TOKENIZER}')")
        connection.close()
    except sqlite3.OperationalError as error:
        raise FullTextUnavailable(
            f"SQLite {sqlite3.sqlite_version} has no FTS5 ({error}): search is unavailable"
        ) from error


def _clean(text: str) -> str:
    return _SENTINELS.sub(" ", text)


_TERM = re.compile(r"\w+")
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|([^"\s]+)')


def fts_query(text: str, completions: Callable[[str], list[str]] | None = None) -> str:
    """An FTS5 query matching every term of the user's text (AND), or "" if it has none.

    Only runs of word characters survive, each inside double quotes, so no operator, column
    filter, NEAR, `*`, `^` or parenthesis the user types is interpreted. A "quoted phrase" stays
    a phrase, and so does a word with inner punctuation (`10.c`, `e-mail`), as the tokenizer
    splits it. The last term, when the text ends with a word character, is a prefix; a single
    word is also OR-ed with the indexed words it begins (`completions`), since the Porter stem
    of a partial word ("migrati") need not begin the stem of the whole one ("migrat").
    """
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"The search text is too long (at most {MAX_QUERY_CHARS} characters)."
        )
    parts = []
    for match in _PHRASE_OR_WORD.finditer(text):
        words = _TERM.findall(match.group(1) if match.group(1) is not None else match.group(2))
        if words:
            parts.append('"' + " ".join(words) + '"')
    if len(parts) > MAX_TERMS:
        raise SearchQueryError(f"Too many search terms (at most {MAX_TERMS}).")
    if parts and re.search(r"\w$", text):
        last = parts[-1][1:-1]
        words = completions(last) if completions and " " not in last else []
        parts[-1] = " OR ".join([f'"{last}"*', *(f'"{word}"' for word in words)])
        if words:
            parts[-1] = f"({parts[-1]})"
    return " AND ".join(parts)


def fold(text: str) -> str:
    """Lower case without diacritics, as the tokenizer compares words."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def snippet_html(marked: str) -> str:
    """Escape a snippet's text for HTML, then turn our sentinels into <mark> and an ellipsis."""
    escaped = html.escape(marked, quote=True)
    return (
        escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>").replace(ELLIPSIS, "…")
    )


_NAMESPACES = dict(re.findall(r"PREFIX (\w+): <([^>]+)>", PREFIXES))


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return _NAMESPACES[prefix] + local


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rpartition("/")[2]


def _is_literal(term: object) -> bool:
    return hasattr(term, "datatype")


def _literal(term: object) -> tuple[str, str]:
    """The cleaned text of a literal and its language tag ("" if none)."""
    return _clean(str(getattr(term, "value", term))), str(getattr(term, "language", None) or "")


def _iri(term: object) -> str:
    return str(getattr(term, "value", term))


class SearchIndex:
    """The FTS5 index of one release (thread-safe: one connection behind a lock)."""

    def __init__(self, select: Select):
        check_fts5()
        started = time.perf_counter()
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self.sources: dict[str, str] = {}  # source id -> title
        self.objectives: list[int] = []
        self._words: list[str] = []  # every indexed word, folded and sorted
        self._load(select)
        self.build_ms = (time.perf_counter() - started) * 1000

    # --- building ---------------------------------------------------------------------------

    def _load(self, select: Select) -> None:
        entries: dict[str, Entry] = {}
        graphs: dict[str, set[str]] = {}  # resource -> source ids (named graphs stating its type)
        kind_of = {iri: kind for kind, (iri, *_) in KINDS.items()}
        for resource, cls, graph in select(RESOURCE_QUERY):
            iri = _iri(resource)
            entries.setdefault(iri, Entry(iri, kind_of[_iri(cls)]))
            graphs.setdefault(iri, set()).add(_last_segment(_iri(graph)))
        titles = {_expand(p) for p in TITLE_PREDICATES.split()}
        for resource, predicate, text in select(TEXT_QUERY):
            entry = entries.get(_iri(resource))
            if entry is not None and _is_literal(text):
                if _iri(predicate) in titles:
                    entry.add_title(_iri(predicate), *_literal(text))
                else:
                    entry.add_body(_literal(text)[0])
        for resource, text in select(COMMITMENT_QUERY):
            entry = entries.get(_iri(resource))
            if entry is not None and _is_literal(text):
                entry.add_body(_literal(text)[0])
        ids = {iri: number for number, iri in enumerate(sorted(entries), start=1)}
        objectives = [
            (ids[_iri(r)], int(_literal(n)[0]))
            for r, n in select(OBJECTIVE_QUERY)
            if _iri(r) in ids
        ]
        document_titles = {
            _last_segment(_iri(document)): _literal(title)[0]
            for document, title in select(SOURCE_TITLE_QUERY)
        }
        texts = {iri: (e.title_text(), "\n".join(e.body)) for iri, e in entries.items()}
        raw_words = set()
        for title, body in texts.values():
            raw_words.update(_TERM.findall(title), _TERM.findall(body))
        self._words = sorted({fold(word) for word in raw_words})
        db = self._db
        db.executescript(
            f"""CREATE TABLE resource(
                id INTEGER PRIMARY KEY, iri TEXT, kind TEXT, label TEXT, boost REAL);
            CREATE VIRTUAL TABLE text USING fts5(title, body, tokenize='{TOKENIZER}');
            CREATE TABLE objective(id INTEGER, number INTEGER, PRIMARY KEY(id, number));
            CREATE TABLE source(id INTEGER, source TEXT, PRIMARY KEY(id, source));"""
        )
        db.executemany(
            "INSERT INTO resource VALUES (?, ?, ?, ?, ?)",
            [(ids[i], i, e.kind, e.label(), KINDS[e.kind][3]) for i, e in entries.items()],
        )
        db.executemany(
            "INSERT INTO text(rowid, title, body) VALUES (?, ?, ?)",
            [(ids[iri], title, body) for iri, (title, body) in texts.items()],
        )
        db.executemany("INSERT OR IGNORE INTO objective VALUES (?, ?)", objectives)
        db.executemany(
            "INSERT INTO source VALUES (?, ?)",
            [(ids[iri], source) for iri, sources in graphs.items() for source in sources],
        )
        db.commit()
        self.objectives = sorted({number for _, number in objectives})
        used = sorted({source for sources in graphs.values() for source in sources})
        self.sources = {source: document_titles.get(source, source) for source in used}

    def completions(self, prefix: str) -> list[str]:
        """Up to MAX_COMPLETIONS indexed words that begin with `prefix` (folded), in order."""
        prefix = fold(prefix)
        start = bisect_left(self._words, prefix)
        found = []
        for word in self._words[start : start + MAX_COMPLETIONS]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found

    @property
    def size(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM resource").fetchone()[0]

    # --- searching --------------------------------------------------------------------------

    def search(
        self,
        text: str,
        kinds: Iterable[str] = (),
        objective: int | None = None,
        source: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Results:
        """The resources matching every term of `text`, best first, under the filters.

        Raises SearchQueryError for text that is too long; text without any word gives no hits.
        """
        match = fts_query(text, self.completions)
        kinds = [k for k in dict.fromkeys(kinds) if k in KINDS]
        if not match:
            return Results(text, 0, [], {})
        where = ["text MATCH ?"]
        params: list[object] = [match]
        if objective is not None:
            where.append("resource.id IN (SELECT id FROM objective WHERE number = ?)")
            params.append(objective)
        if source:
            where.append("resource.id IN (SELECT id FROM source WHERE source = ?)")
            params.append(source)
        base = "FROM text JOIN resource ON resource.id = text.rowid WHERE " + " AND ".join(where)
        kind_filter = ""
        kind_params: list[object] = []
        if kinds:
            kind_filter = f" AND resource.kind IN ({', '.join('?' * len(kinds))})"
            kind_params = list(kinds)
        with self._lock:
            facets = dict(
                self._db.execute(
                    f"SELECT resource.kind, COUNT(*) {base} GROUP BY resource.kind", params
                ).fetchall()
            )
            total = self._db.execute(
                f"SELECT COUNT(*) {base}{kind_filter}", params + kind_params
            ).fetchone()[0]
            rows = self._db.execute(
                f"""SELECT resource.iri, resource.kind, resource.label,
                    snippet(text, -1, ?, ?, ?, {SNIPPET_TOKENS}),
                    bm25(text, {TITLE_WEIGHT}, 1.0) * resource.boost AS rank
                {base}{kind_filter} ORDER BY rank, resource.iri LIMIT ? OFFSET ?""",
                [MARK_OPEN, MARK_CLOSE, ELLIPSIS, *params, *kind_params, limit, offset],
            ).fetchall()
        hits = [
            Hit(iri, kind, label, snippet_html(snippet), round(-rank, 4))
            for iri, kind, label, snippet, rank in rows
        ]
        ordered = {k: facets[k] for k in KINDS if k in facets}
        return Results(text, total, hits, ordered)


def store_select(store: object) -> Select:
    """A `Select` over anything with pyoxigraph's `query()` (a Store, the remote backend's store).

    Rows are read as tuples: looking terms up by variable name is several times slower."""

    def select(query: str) -> Iterable[tuple]:
        return (tuple(row) for row in store.query(query))  # type: ignore[attr-defined]

    return select
