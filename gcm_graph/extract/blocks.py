"""Tokenise a PDF text extraction into blocks: headings, numbered paragraphs, labelled items, text.

Page headers and footers and footnote definitions are taken out of the flow first (footnotes are
kept aside), so a paragraph or list item that a page break or a footnote block splits is joined
again: a plain line continues the block before it unless that block already ended a sentence.

Footnote markers that the extraction printed as bare numbers after punctuation ("Organized
Crime, 5 including", "the New Urban Agenda. 17") are given back their <sup> form, so that the
block's text drops them like any other marker. A bare number is a marker only if the document
defines a footnote with that number and it fits the sequence of markers: above the last marker
before it and not above the next <sup> marker after it ("No. 97", "paragraphs 1, 2 and 3" stay).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import (
    SUP_MARKER,
    Line,
    footnote_definition,
    is_page_header,
    join_wrapped,
    strip_footnote_markers,
    strip_markdown,
)

HEADING = "heading"
PARAGRAPH = "paragraph"
ITEM = "item"
TEXT = "text"

_HEADING = re.compile(r"^(#+)\s*(.*?)\s*$")
_PARAGRAPH = re.compile(r"^(?:[-*]\s+)?(\d{1,3})\.\s+(.*)$")
_ITEM = re.compile(r"^(?:[-*]\s+)?\(([a-z]{1,4})\)\s+(.*)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_SENTENCE_END = (".", ";", ":", '."', ".”", "?")


@dataclass
class Block:
    kind: str
    first_line: int
    last_line: int
    label: str | None = None
    """Paragraph number or item label ('a', 'iv'); None for headings and text."""
    level: int = 0
    """Heading level (number of '#'), or indentation of an item."""
    bulleted: bool = False
    parts: list[str] = field(default_factory=list)

    @property
    def raw(self) -> str:
        return " ".join(self.parts)

    @property
    def text(self) -> str:
        """The block's text: markers removed, markdown and whitespace normalised."""
        return join_wrapped([strip_markdown(strip_footnote_markers(p)) for p in self.parts])

    def ends_sentence(self) -> bool:
        return self.text.rstrip("* ").endswith(_SENTENCE_END)


@dataclass(frozen=True)
class FootnoteLine:
    number: int
    text: str
    line: int


def tokenize(lines: list[Line]) -> tuple[list[Block], list[FootnoteLine]]:
    """Split lines into blocks, with page furniture removed and footnotes set aside."""
    blocks: list[Block] = []
    footnotes: list[FootnoteLine] = []
    for line in lines:
        stripped = line.text.strip()
        if not stripped or is_page_header(stripped):
            continue
        note = footnote_definition(stripped)
        if note is not None and stripped.startswith("<sup>"):
            footnotes.append(FootnoteLine(note[0], note[1], line.number))
            continue
        block = _start_block(line, stripped)
        if block is None:
            previous = blocks[-1] if blocks else None
            if previous is not None and previous.kind != HEADING and not previous.ends_sentence():
                previous.parts.append(stripped)
                previous.last_line = line.number
                continue
            block = Block(TEXT, line.number, line.number, parts=[stripped])
        blocks.append(block)
    restore_bare_markers(blocks, {note.number for note in footnotes})
    return blocks, footnotes


_BARE_MARKER = re.compile(r"(?<=[,;.])\s(\d{1,3})(?=\s|$)")


def restore_bare_markers(blocks: list[Block], defined: set[int]) -> None:
    """Rewrite the bare numbers that are footnote markers as <sup>n</sup>, in place."""
    # Every marker candidate in document order: (block, part, match, is <sup>, number).
    found = []
    for block in blocks:
        for index, part in enumerate(block.parts):
            candidates = [(m, True) for m in SUP_MARKER.finditer(part)]
            candidates += [(m, False) for m in _BARE_MARKER.finditer(part)]
            for match, sup in sorted(candidates, key=lambda c: c[0].start()):
                found.append((block, index, match, sup, int(match.group(1))))
    limit = max(defined, default=0)
    next_sup = []
    for *_, sup, number in reversed(found):
        limit = number if sup else limit
        next_sup.append(limit)
    next_sup.reverse()
    last = 0
    accepted: list[tuple[Block, int, re.Match[str]]] = []
    for (block, index, match, sup, number), ceiling in zip(found, next_sup, strict=True):
        if not sup and (number not in defined or not last < number <= ceiling):
            continue
        if not sup:
            accepted.append((block, index, match))
        last = max(last, number)
    for block, index, match in reversed(accepted):
        part = block.parts[index]
        block.parts[index] = (
            f"{part[: match.start()]}<sup>{match.group(1)}</sup>{part[match.end() :]}"
        )


def _start_block(line: Line, stripped: str) -> Block | None:
    indent = len(line.text) - len(line.text.lstrip(" "))
    bulleted = stripped.startswith(("- ", "* "))
    match = _HEADING.match(stripped)
    if match:
        return Block(
            HEADING, line.number, line.number, level=len(match.group(1)), parts=[match.group(2)]
        )
    match = _PARAGRAPH.match(stripped)
    if match:
        return Block(
            PARAGRAPH,
            line.number,
            line.number,
            label=match.group(1),
            bulleted=bulleted,
            parts=[match.group(2)],
        )
    match = _ITEM.match(stripped)
    if match:
        return Block(
            ITEM,
            line.number,
            line.number,
            label=match.group(1),
            level=indent,
            bulleted=bulleted,
            parts=[match.group(2)],
        )
    match = _BULLET.match(stripped)
    if match:
        return Block(TEXT, line.number, line.number, bulleted=True, parts=[match.group(1)])
    return None
