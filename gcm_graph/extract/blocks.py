"""Tokenise a PDF text extraction into blocks: headings, numbered paragraphs, labelled items, text.

Page headers and footers and footnote definitions are taken out of the flow first (footnotes are
kept aside), so a paragraph or list item that a page break or a footnote block splits is joined
again: a plain line continues the block before it unless that block already ended a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import (
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
    return blocks, footnotes


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
