"""What a query may do on this endpoint, decided from a real SPARQL parser's tree, in linear time.

`analyse(text, base_iri=...)` returns a QueryPlan (the query form, the graphs of its FROM / FROM
NAMED clauses, the text to run) or raises PolicyError with an HTTP status and a message:
400 for a text that is not one SPARQL query (with line:column of the first error), 403 for an
update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY), for SERVICE in any form
(SERVICE SILENT, SERVICE ?var, a prefixed name, in a subquery: federation is never allowed, with
the embedded store and with a --backend store alike) and for a FROM graph that is not a graph of
the release, 413 for an over-long text.

Why tree-sitter (`tree-sitter` + the `tree-sitter-sparql` grammar) and not another parser:

* pyoxigraph, which runs the query, exposes no parser or algebra to Python.
* rdflib's parser (pyparsing, pure Python) takes 25-235 ms of CPU for one catalogue query: too
  slow for a check that runs in the web process, before any deadline, on hostile text.
* tree-sitter's GLR parser is a C library, linear in the input, and always returns a tree (with
  ERROR / MISSING nodes where the text is not SPARQL). Measured here (bench_policy.py, median
  CPU, two runs on a shared machine): the parse takes 0.1 ms for a catalogue query and the
  whole policy 0.7-0.9 ms (the tree walk is Python), against 52-79 ms for rdflib's parser; the
  crafted 20,000-character unclosed string (`"` then `\\"` 9,990 times) is refused in 15-25 ms,
  where the lexical guard spent 2.6-3.0 s; 0.8-1.2 us a character, flat from 2,000 to 160,000.

Two parsers see the text (this one decides, pyoxigraph or the remote store runs it), so the text
that runs must be exactly the one decided on:

1. Codepoint escapes (\\uXXXX, \\UXXXXXXXX) are processed before parsing, as SPARQL 1.1 (19.2)
   says; stores differ here (pyoxigraph 0.5 decodes them only inside strings and IRIs, so
   `\\u0053ERVICE` is a syntax error to it and a keyword to the specification). The decoded text
   must hold no escape any more (`\\u005Cu0053` decodes to `\\u0053`, which a store that decodes
   again would read as `S`): such a text is refused. No store can then decode anything else.
2. The text that runs is a re-serialisation of the tree (QueryPlan.text): its tokens one space
   apart, comments dropped, FROM graphs and the first BASE written as the absolute IRIs that
   were checked, and `BASE <endpoint>` in front when the query has no BASE (the protocol's base
   IRI reaches every store that way). Whatever store reads it sees the same tokens: an IRI can
   hold no space, so `?o<'>'` can no longer be lexed as the IRI `<'>` by one reader and as `<`
   then a string by the other (the `'>'` bypass of the lexical guard), and `FROM<iri>` reads
   `FROM <iri>`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import dropwhile
from typing import Literal
from urllib.parse import urljoin

import tree_sitter_sparql
from tree_sitter import Language, Node, Parser, Point

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

with warnings.catch_warnings():  # the grammar package hands over a pointer as an int (0.1.0)
    warnings.filterwarnings("ignore", "int argument support is deprecated", DeprecationWarning)
    _LANGUAGE = Language(tree_sitter_sparql.language())
_FORMS: dict[str, QueryForm] = {
    "select_query": "SELECT",
    "ask_query": "ASK",
    "construct_query": "CONSTRUCT",
    "describe_query": "DESCRIBE",
}
# The node types of SPARQL 1.1 Update operations in this grammar.
_UPDATES = frozenset(
    {
        "load",
        "clear",
        "drop",
        "create",
        "add",
        "move",
        "copy",
        "insert_data",
        "delete_data",
        "delete_where",
        "modify",
    }
)
# Nodes that are one token of the query although the grammar gives them children.
_ATOMIC = frozenset({"string", "iri_reference", "prefixed_name", "namespace"})
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_QUOTES = frozenset({'"', "'", '"""', "'''"})
_WORD = re.compile(r"[A-Za-z_]+")
_IRI = re.compile(r'[^<>"{}|^`\\\x00-\x20]+')
_LOCAL_ESCAPE = re.compile(r"\\(.)")

UPDATE_REFUSED = (
    "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, "
    "MOVE, COPY) is not accepted. Download the dumps to modify the data."
)
SERVICE_REFUSED = (
    "SERVICE (federated query) is disabled on this endpoint: it makes no outbound connections. "
    "Query the other endpoint yourself and join the answers locally."
)


class PolicyError(Exception):
    """A query the endpoint will not run: HTTP status (4xx) and a message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryPlan:
    """A query the endpoint may run, as parsed.

    `text` is what to run: the tokens of the parsed query, one space apart, comments dropped,
    relative IRIs made absolute where this module resolved them (see the module's docstring).
    `text_without_dataset` is the same without its FROM / FROM NAMED clauses, for a store that
    must be given the dataset as protocol parameters (Virtuoso adds a query's FROM to them
    instead of being overridden, see remote_dataset.py). `default_graphs` / `named_graphs` are
    the clauses' IRIs, resolved against BASE and the prefixes; `has_dataset` tells an absent
    dataset (the service's own) from an empty one.
    """

    form: QueryForm
    text: str
    text_without_dataset: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def analyse(
    query_text: str,
    *,
    base_iri: str,
    allowed_graphs: Collection[str] | None = None,
    max_length: int | None = None,
) -> QueryPlan:
    """The plan of one read-only SPARQL query, or PolicyError.

    `base_iri` resolves relative IRIs (the protocol makes it the endpoint's IRI); with
    `allowed_graphs` (the release's graphs), a FROM / FROM NAMED graph outside it is refused.
    """
    if not _IRI.fullmatch(base_iri):
        raise ValueError(f"not an IRI to write in a query: {base_iri!r}")
    if max_length is not None and len(query_text) > max_length:
        raise PolicyError(
            413,
            f"The query is {len(query_text)} characters long; this endpoint accepts at most "
            f"{max_length}.",
        )
    text = decode_codepoints(query_text)
    if not text.strip():
        raise PolicyError(400, "The query is empty.")
    if "\x00" in text:  # the parser would stop reading there
        raise PolicyError(400, "The query contains a NUL character (U+0000).")
    source = text.encode("utf-8")
    tree = Parser(_LANGUAGE).parse(source)
    root = tree.root_node
    if root.has_error:
        raise PolicyError(400, _syntax_message(root, source))
    operation = _operation(root)
    dataset: list[Node] = []
    tokens = [t for child in root.children for t in _walk(child, dataset)]
    prologue = _Prologue(base_iri)
    for child in root.children:
        if child.type == "prologue":
            prologue.read(child)
    default, named = [], []
    replacements: dict[int, str] = {}  # start byte -> text: resolved IRIs instead of the query's
    for clause in dataset:
        graph = clause.named_children[0]
        target = named if graph.type == "named_graph_clause" else default
        target.append(prologue.resolve(graph.named_children[0]))
        replacements[graph.named_children[0].start_byte] = f"<{target[-1]}>"
    head = f"BASE <{base_iri}> "
    if prologue.first_base is not None:  # its IRI, made absolute, stands for the endpoint's
        head = ""
        replacements[prologue.first_base.start_byte] = f"<{prologue.first_base_iri}>"
    plan = QueryPlan(
        form=_FORMS[operation[0].type],
        text=head + _serialise(tokens, replacements),
        text_without_dataset=head + _serialise([t for t in tokens if not t[1]], replacements),
        default_graphs=tuple(default),
        named_graphs=tuple(named),
    )
    if allowed_graphs is not None:
        refuse_foreign_graphs(plan, allowed_graphs)
    return plan


def refuse_foreign_graphs(plan: QueryPlan, allowed_graphs: Collection[str]) -> None:
    """PolicyError (403) if the plan's FROM / FROM NAMED name a graph outside `allowed_graphs`."""
    foreign = [g for g in plan.default_graphs + plan.named_graphs if g not in allowed_graphs]
    if foreign:
        raise PolicyError(
            403,
            f"The graph <{foreign[0]}> is not part of this release; FROM and FROM NAMED "
            "may name only the release's graphs (listed in /.well-known/void).",
        )


def decode_codepoints(text: str) -> str:
    """SPARQL 1.1 (19.2): \\uXXXX and \\UXXXXXXXX stand for their character anywhere in a query.

    Refused (400): an escape of no character (a surrogate, past U+10FFFF) and a text whose
    decoding leaves an escape (see the module's docstring).
    """

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise PolicyError(400, f"The escape {match.group(0)} stands for no character.")
        return chr(code)

    decoded = _CODEPOINT.sub(replace, text)
    if decoded is not text and _CODEPOINT.search(decoded):
        raise PolicyError(
            400,
            "A codepoint escape (\\u or \\U) produces another escape once decoded; stores "
            "disagree on such text, so it is not accepted. Write the character itself.",
        )
    return decoded


def _syntax_message(root: Node, source: bytes) -> str:
    """Where the text stops being SPARQL, as line:column (characters, counted from 1)."""
    lines = source.split(b"\n")

    def position(point: Point) -> str:
        line = lines[point.row] if point.row < len(lines) else b""
        return f"{point.row + 1}:{len(line[: point.column].decode('utf-8', 'replace')) + 1}"

    node = _first_error(root)
    if node.is_missing:
        return f"Malformed query: error at {position(node.start_point)}: expected {node.type!r}."
    quotes = [c for c in node.children if c.type in _QUOTES and not c.is_named]
    if quotes:
        where = position(quotes[-1].start_point)
        return f"Malformed query: error at {where}: this string is never closed."
    return (
        f"Malformed query: error at {position(node.start_point)}: not SPARQL from here to "
        f"{position(node.end_point)}."
    )


def _first_error(node: Node) -> Node:
    """The first ERROR or MISSING node, in text order (`node` must have an error below it)."""
    while not (node.is_error or node.is_missing):
        node = next(c for c in node.children if c.has_error or c.is_missing)
    return node


def _operation(root: Node) -> list[Node]:
    """The one query form of the request (with its trailing VALUES); updates and else refused."""
    children = [c for c in root.children if c.type != "comment"]
    if any(c.type in _UPDATES or c.type == ";" for c in children):  # `;` joins updates
        raise PolicyError(403, UPDATE_REFUSED)
    operations = list(dropwhile(lambda c: c.type == "prologue", children))
    kinds = [c.type for c in operations]
    if not kinds or kinds[0] not in _FORMS or any(k != "values_clause" for k in kinds[1:]):
        found = ", ".join(kinds) or "nothing"
        raise PolicyError(
            400, f"Expected one SELECT, ASK, CONSTRUCT or DESCRIBE query; found {found}."
        )
    return operations


def _walk(node: Node, clauses: list[Node]) -> Iterator[tuple[Node, bool]]:
    """Every token node in text order (comments left out), with: is it in a dataset clause.

    Refuses SERVICE and update operations wherever they are; collects the dataset clauses.
    """
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, in_dataset = stack.pop()
        kind = current.type
        if kind == "comment":
            continue
        if kind == "service_graph_pattern" or (kind == "SERVICE" and not current.is_named):
            raise PolicyError(403, SERVICE_REFUSED)
        if kind in _UPDATES:
            raise PolicyError(403, UPDATE_REFUSED)
        if current.child_count == 0 or kind in _ATOMIC:
            yield current, in_dataset
            continue
        if kind == "dataset_clause":
            clauses.append(current)
            in_dataset = True
        stack.extend((child, in_dataset) for child in reversed(current.children))


def _serialise(tokens: list[tuple[Node, bool]], replacements: dict[int, str]) -> str:
    """The tokens, one space apart; a word and a `(` that the query wrote right after it stay
    together (pyoxigraph refuses `COALESCE (`), and are kept apart where it wrote them apart.
    A token is replaced where `replacements` has its start byte."""
    pieces: list[str] = []
    previous: Node | None = None
    previous_text = ""
    for node, _ in tokens:
        token = replacements.get(node.start_byte) or node.text.decode("utf-8")
        if previous is not None and not (
            token == "(" and previous.end_byte == node.start_byte and _WORD.fullmatch(previous_text)
        ):
            pieces.append(" ")
        pieces.append(token)
        previous, previous_text = node, token
    return "".join(pieces)


class _Prologue:
    """BASE and PREFIX declarations in order, each relative IRI resolved against the base so far."""

    def __init__(self, base: str):
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.first_base: Node | None = None  # the IRI of the first BASE declaration
        self.first_base_iri = ""

    def read(self, prologue: Node) -> None:
        for declaration in prologue.named_children:
            if declaration.type == "base_declaration":
                iri = declaration.named_children[-1]
                self.base = self.resolve(iri)
                if self.first_base is None:
                    self.first_base, self.first_base_iri = iri, self.base
            elif declaration.type == "prefix_declaration":
                namespace, iri = declaration.named_children[0], declaration.named_children[-1]
                self.prefixes[namespace.text.decode("utf-8")[:-1]] = self.resolve(iri)

    def resolve(self, node: Node) -> str:
        text = node.text.decode("utf-8")
        if node.type == "iri_reference":
            return urljoin(self.base, text[1:-1])
        prefix, _, local = text.partition(":")
        if prefix not in self.prefixes:
            raise PolicyError(400, f"The prefix {prefix!r}: is used but not declared.")
        return self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
