"""The RDF dataset of a query sent to a remote store, confined to the published release.

The embedded store holds only the release, so a query can name any graph: an unknown one is
empty. A shared triplestore holds other data too (its system graphs, an organisation's own
knowledge graph), and Virtuoso does not follow the protocol where it matters here: a query's
FROM / FROM NAMED clauses are *added* to the `default-graph-uri` / `named-graph-uri` given with
the request instead of being overridden by them (measured on 7.2.5, tests/test_remote_http.py).
So before a query goes out:

* its FROM / FROM NAMED clauses are cut out of the text (lexically, with string literals,
  comments and IRIs recognised as in guard.py) and turned into protocol parameters;
* the protocol dataset (the request's parameters if any, else the query's clauses, else the
  release's: the merged graph as default graph and every source graph as a named graph) is
  filtered to the release's graphs; a graph outside the release becomes EMPTY_GRAPH, which
  holds nothing, exactly as the embedded store answers for a graph it does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from ..query.guard import decode_codepoints

EMPTY_GRAPH = "urn:gcm-graph:empty"

# Strings and comments are blanked; IRIs are matched so that a `#` inside one is not a comment.
_TOKENS = re.compile(
    r"""
      (?P<string>'''(?:'{0,2}(?:[^'\\]|\\.))*'''
        | \"\"\"(?:"{0,2}(?:[^"\\]|\\.))*\"\"\"
        | '(?:[^'\\\n\r]|\\.)*'
        | "(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
    """,
    re.VERBOSE | re.DOTALL,
)
_PN = r"[A-Za-z\u00C0-\uFFFF](?:[\w.\-\u00B7\u00C0-\uFFFF]*[\w\-\u00B7\u00C0-\uFFFF])?"
_PREFIXED = rf"(?:{_PN})?:(?:[\w\-.:%\\\u00B7\u00C0-\uFFFF]*[\w\-:%\u00B7\u00C0-\uFFFF])?"
_FROM = re.compile(
    rf"(?<![?$\w:])FROM\s+(?P<named>NAMED\s+)?(?P<graph><[^<>\s]*>|{_PREFIXED})",
    re.IGNORECASE,
)
_PREFIX_DECL = re.compile(rf"(?<![?$\w:])PREFIX\s+(?P<pn>(?:{_PN})?):\s*<(?P<iri>[^<>\s]*)>", re.I)
_BASE_DECL = re.compile(r"(?<![?$\w:])BASE\s*<(?P<iri>[^<>\s]*)>", re.IGNORECASE)


@dataclass(frozen=True)
class Dataset:
    default: tuple[str, ...]
    named: tuple[str, ...]


def _blank_strings_and_comments(text: str) -> str:
    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return token if match.lastgroup == "iri" else " " * len(token)

    return _TOKENS.sub(blank, text)


def split_dataset_clauses(query: str) -> tuple[str, Dataset | None]:
    """(query without FROM/FROM NAMED clauses, their dataset or None if it had none).

    Codepoint escapes are decoded first (SPARQL applies them before parsing), so the returned
    text is the decoded query. Offsets are kept by blanking with spaces of the same length.
    """
    text = decode_codepoints(query)
    shape = _blank_strings_and_comments(text)
    clauses = list(_FROM.finditer(shape))
    if not clauses:
        return text, None
    prefixes = {m.group("pn"): m.group("iri") for m in _PREFIX_DECL.finditer(shape)}
    bases = [m.group("iri") for m in _BASE_DECL.finditer(shape)]
    base = bases[-1] if bases else ""
    default: list[str] = []
    named: list[str] = []
    for clause in clauses:
        iri = _resolve(clause.group("graph"), prefixes, base)
        (named if clause.group("named") else default).append(iri)
    pieces, last = [], 0
    for clause in clauses:
        pieces.append(text[last : clause.start()])
        last = clause.end()
    pieces.append(text[last:])
    return "".join(pieces), Dataset(tuple(default), tuple(named))


def _resolve(token: str, prefixes: dict[str, str], base: str) -> str:
    if token.startswith("<"):
        return urljoin(base, token[1:-1]) if base else token[1:-1]
    prefix, _, local = token.partition(":")
    namespace = prefixes.get(prefix)
    if namespace is None:  # the local parser already refused undefined prefixes
        raise ValueError(f"undefined prefix {prefix!r}")
    local = re.sub(r"\\(.)", r"\1", local)  # PN_LOCAL_ESC
    return namespace + local


def confine(
    requested: Dataset | None, release_default: str, release_graphs: frozenset[str]
) -> Dataset:
    """The dataset to send: the requested one filtered to the release, or the release's own."""
    if requested is None:
        return Dataset((release_default,), tuple(sorted(release_graphs)))

    def keep(graphs: tuple[str, ...]) -> tuple[str, ...]:
        kept = tuple(dict.fromkeys(g for g in graphs if g in release_graphs))
        return kept or (EMPTY_GRAPH,)

    return Dataset(keep(requested.default), keep(requested.named))


def protocol_params(dataset: Dataset) -> list[tuple[str, str]]:
    return [("default-graph-uri", g) for g in dataset.default] + [
        ("named-graph-uri", g) for g in dataset.named
    ]
