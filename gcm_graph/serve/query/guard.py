"""Refuse what a public read-only endpoint must not run, before a worker parses the query.

The checks are lexical (pyoxigraph exposes no query parser), so they look at a *skeleton* of the
query: codepoint escapes decoded, then string literals, IRIs and comments blanked out, so that the
word "service" inside `"public services"` or `<http://example.org/service>` is not mistaken for the
keyword. They err on the side of refusing. They are the first line only: pyoxigraph's query parser
rejects every update form by itself, and the worker's seccomp filter (sandbox.py) makes SERVICE
unable to connect even if a query slipped past the skeleton (pyoxigraph's contextual tokeniser
reads `FILTER(?o<'>')` as a comparison with the string ">", the SPARQL grammar's longest-match
rule as an IRI `<'>`: the two disagree on where later strings start). Without the sandbox, the
endpoint switches to the strict SERVICE check over the whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# SPARQL 1.1 terminals (section 19.8) that may contain arbitrary text; the longer quote forms first.
_OPAQUE = re.compile(
    r"""
      '''(?:'{0,2}(?:[^'\\]|\\.))*'''
    | \"\"\"(?:"{0,2}(?:[^"\\]|\\.))*\"\"\"
    | '(?:[^'\\\n\r]|\\.)*'
    | "(?:[^"\\\n\r]|\\.)*"
    | <[^<>"{}|^`\\\x00-\x20]*>
    | \#[^\n\r]*
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Declarations that may precede the operation (PREFIX p: <iri> / BASE <iri>; IRIs already blanked).
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*<\s*>\s*)*", re.IGNORECASE)
_UPDATE_START = re.compile(
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE
)
# SERVICE as a keyword: not part of a variable (?service), a longer word or a prefixed local name.
_SERVICE = re.compile(r"(?<![?$\w:])SERVICE(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Refusal(Exception):
    """A query the endpoint will not run: HTTP status and a message for the client."""

    status: int
    message: str

    def __str__(self) -> str:
        return self.message


def decode_codepoints(text: str) -> str:
    """Apply SPARQL's \\uXXXX / \\UXXXXXXXX escapes (the spec allows them anywhere in a query)."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(replace, text)


def skeleton(query: str) -> str:
    """The query with literals, IRIs and comments replaced by spaces (keywords and syntax kept).

    IRIs become `<>` so that `PREFIX x: <...>` stays recognisable as a declaration.
    """

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return "<>" if token.startswith("<") else " "

    return _OPAQUE.sub(blank, decode_codepoints(query))


def is_update(query: str) -> bool:
    """Whether the text is a SPARQL Update request (INSERT, DELETE, LOAD, CLEAR, DROP, ...)."""
    shape = skeleton(query)
    body = shape[_PROLOGUE.match(shape).end() :]  # type: ignore[union-attr]
    return _UPDATE_START.match(body) is not None


def uses_service(query: str, strict: bool = False) -> bool:
    """Whether the query contains a SERVICE (federated query) clause.

    `strict` looks at the whole text, literals and comments included: it refuses some harmless
    queries (a FILTER on the word "service"), but no tokenisation trick can hide the keyword from
    it. The endpoint uses it when its workers run without the network sandbox.
    """
    text = decode_codepoints(query) if strict else skeleton(query)
    return _SERVICE.search(text) is not None


def check_query(
    query: str, max_length: int, allow_service: bool = False, strict_service: bool = False
) -> None:
    """Raise Refusal for an over-long query, an update, or SERVICE (unless allowed)."""
    if len(query) > max_length:
        raise Refusal(
            413,
            f"The query is {len(query)} characters long; this endpoint accepts at most "
            f"{max_length}.",
        )
    if not query.strip():
        raise Refusal(400, "The query is empty.")
    if is_update(query):
        raise Refusal(403, UPDATE_REFUSED)
    if not allow_service and uses_service(query, strict=strict_service):
        raise Refusal(
            403,
            "SERVICE (federated query) is disabled on this endpoint: it makes no outbound "
            "connections. Query the other endpoint yourself and join the answers locally.",
        )


UPDATE_REFUSED = (
    "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, "
    "MOVE, COPY) is not accepted. Download the dumps to modify the data."
)
