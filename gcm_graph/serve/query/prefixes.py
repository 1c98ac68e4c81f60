"""Queries without PREFIX lines: the release's standard prefixes are declared for them.

A researcher pastes `SELECT * WHERE { ?o a gcm:Objective }` and expects it to run, as Wikidata's
and DBpedia's endpoints predeclare their prefixes. `declare_standard_prefixes` finds the prefixed
names of a query whose prefix the query does not declare (from the parse tree of the query
policy's grammar, so that `"a:b"` in a string, `<urn:x>` in an IRI or `# a:b` in a comment does
not count), and prepends the declarations of those the release knows (store.PREFIX_MAP) on ONE
line, so that the parser's line numbers move by exactly one; `explain_syntax_error` moves them
back and cuts the character-class dump that the parser appends to some messages ("expected one
of [A-Z] | [a-z] | [\\u{c0}-\\u{d6}] | ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from tree_sitter import Node, Parser

from .policy import _LANGUAGE, PolicyError, decode_codepoints

_LEADING_BASE = re.compile(r"\s*BASE\s*<[^<>\"{}|^`\\\x00-\x20]*>", re.IGNORECASE)
_POSITION = re.compile(r"error at (\d+):(\d+)")
_LONG_EXPECTATION = re.compile(r"(expected one of )(.{160,})$", re.DOTALL)


def _namespaces(query: str) -> tuple[str, Iterator[tuple[Node, bool]]]:
    """The text parsed (codepoint escapes decoded, as the policy reads it) and its `namespace`
    nodes (a prefix and its colon), each with whether it is a PREFIX declaration."""
    try:
        text = decode_codepoints(query)
    except PolicyError:  # the policy refuses such a text with its own message
        text = query

    def walk(node: Node) -> Iterator[tuple[Node, bool]]:
        stack = [node]
        while stack:  # iterative and in document order: no recursion limit on deep queries
            current = stack.pop()
            if current.type == "namespace":
                yield (
                    current,
                    current.parent is not None and current.parent.type == ("prefix_declaration"),
                )
                continue
            stack.extend(reversed(current.children))

    root = Parser(_LANGUAGE).parse(text.encode("utf-8")).root_node
    return text, walk(root)


def _prefix(node: Node) -> str:
    return node.text.decode("utf-8")[:-1]  # without the colon


def undeclared_prefixes(query: str) -> list[str]:
    """The prefixes used in `query` (in order of first use) that it does not declare."""
    _text, nodes = _namespaces(query)
    declared: set[str] = set()
    used: dict[str, None] = {}
    for node, is_declaration in nodes:
        (declared.add if is_declaration else used.setdefault)(_prefix(node))
    return [p for p in used if p not in declared]


def unknown_prefix_error(query: str, known: Mapping[str, str]) -> str | None:
    """The 400 message for a query that uses a prefix it does not declare and that is not one of
    the `known` standard ones, positioned (line, column, from 1) at its first use; None if there
    is none. Checked before the query policy re-serialises the text."""
    unknown = [p for p in undeclared_prefixes(query) if p not in known]
    if not unknown:
        return None
    text, nodes = _namespaces(query)
    first = next(
        n for n, is_declaration in nodes if not is_declaration and _prefix(n) == unknown[0]
    )
    row, byte_column = first.start_point
    lines = text.split("\n")
    source = lines[row] if row < len(lines) else ""
    line = row + 1
    column = len(source.encode("utf-8")[:byte_column].decode("utf-8", "replace")) + 1
    names = ", ".join(f"{p}:" for p in unknown)
    return (
        f"Malformed query: error at line {line}, column {column}: the prefix {unknown[0]}: is "
        f"not declared\n  {line} | {source}\n  {' ' * len(str(line))} | {' ' * (column - 1)}^\n"
        f"Undeclared prefix(es): {names} (add a PREFIX line for each; predeclared: "
        f"{', '.join(p + ':' for p in known)})."
    )


def declare_standard_prefixes(query: str, known: Mapping[str, str]) -> tuple[str, int]:
    """The query with the known prefixes it uses but does not declare declared on a first line
    (or right after a leading BASE, on its line), and the number of lines added (0 or 1)."""
    missing = [p for p in undeclared_prefixes(query) if p in known]
    if not missing:
        return query, 0
    line = " ".join(f"PREFIX {p}: <{known[p]}>" for p in missing)
    base = _LEADING_BASE.match(query)
    if base:  # after a leading BASE (Virtuoso refuses a BASE that follows a PREFIX)
        return f"{query[: base.end()]} {line}{query[base.end() :]}", 0
    return f"{line}\n{query}", 1


def explain_syntax_error(
    message: str, added_lines: int, query: str, known: Mapping[str, str] | None = None
) -> str:
    """The parser's message with line numbers of the text as written (the column is the
    parser's), the offending line quoted, no dump of Unicode ranges, and the prefixes that are
    neither declared nor `known` (those were declared for the query)."""
    position = _POSITION.search(message)
    line = column = None
    if position:
        line, column = int(position.group(1)) - added_lines, int(position.group(2))
        message = (
            message[: position.start()]
            + f"error at line {line}, column {column}"
            + (message[position.end() :])
        )
    long_list = _LONG_EXPECTATION.search(message)
    if long_list:
        found = "Prefix not found" in long_list.group(2)
        message = message[: long_list.start()] + (
            "a prefix that is not declared" if found else "unexpected input here"
        )
    lines = query.splitlines()
    if line is not None and 1 <= line <= len(lines):
        source = lines[line - 1]
        pointer = " " * max(column - 1, 0) + "^"
        message += f"\n  {line} | {source}\n  {' ' * len(str(line))} | {pointer}"
    undeclared = [p for p in undeclared_prefixes(query) if p not in (known or {})]
    if undeclared:
        names = ", ".join(f"{p}:" for p in undeclared)
        message += f"\nUndeclared prefix(es): {names} (add a PREFIX line for each)."
    return message
