"""Parser of resolution A/RES/73/195, the authoritative text of the Global Compact.

The document is walked as blocks (see blocks.py). The annex is read section by section:
preamble and vision (paragraphs 1-15, with the guiding principles as paragraph 15's items),
the list of objectives in paragraph 16, one section per objective (heading, commitment
paragraph, lettered actions), then implementation and follow-up (paragraphs 40-54).
"""

from __future__ import annotations

import itertools
import re

from ..errors import SourceError
from ..sources import Source
from ..text import normalize_space, numbered
from .blocks import HEADING, ITEM, PARAGRAPH, TEXT, Block, FootnoteLine, tokenize
from .compact import find_compact_mentions
from .preamble import preamble_instruments
from .records import (
    Action,
    Footnote,
    GuidingPrinciple,
    Mechanism,
    Objective,
    Paragraph,
    Resolution,
)

OBJECTIVE_COUNT = 23
FIRST_COMMITMENT_PARAGRAPH = 17
PRINCIPLE_COUNT = 10
_OBJECTIVE_HEADING = re.compile(r"^Objective\s+(\d{1,2})\s*:\s*(.+)$")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_PRINCIPLE = re.compile(r"^(?P<name>[^.]+?)\.\s+(?P<text>.+)$")

# Section headings of the annex, as printed (compared case-insensitively).
ANNEX = "annex"
LIST_HEADING = "objectives for safe, orderly and regular migration"
OBJECTIVES_HEADING = "objectives and commitments"
IMPLEMENTATION = "implementation"
FOLLOW_UP = "follow-up and review"

# The mechanisms that implementation and follow-up set up: (slug, name, phrase that names it,
# the mechanism it is part of). The paragraph is the first one of those sections naming it.
MECHANISMS = (
    (
        "capacity-building-mechanism",
        "Capacity-building mechanism",
        "capacity-building mechanism",
        None,
    ),
    ("connection-hub", "Connection hub", "connection hub", "capacity-building-mechanism"),
    ("start-up-fund", "Start-up fund", "start-up fund", "capacity-building-mechanism"),
    (
        "global-knowledge-platform",
        "Global knowledge platform",
        "global knowledge platform",
        "capacity-building-mechanism",
    ),
    (
        "united-nations-network-on-migration",
        "United Nations Network on Migration",
        "united nations network on migration",
        None,
    ),
    (
        "international-migration-review-forum",
        "International Migration Review Forum",
        "international migration review forum",
        None,
    ),
    (
        "regional-reviews",
        "Regional reviews of the implementation of the Global Compact",
        "within the respective regions",
        None,
    ),
)


def parse_resolution(source: Source) -> Resolution:
    """Parse the resolution into objectives, actions, principles, instruments and paragraphs."""
    blocks, footnote_lines = tokenize(numbered(source.lines()))
    parser = _ResolutionParser(source, blocks)
    return parser.parse(footnote_lines)


class _ResolutionParser:
    def __init__(self, source: Source, blocks: list[Block]):
        self.source = source
        self.blocks = blocks
        self.last_line = blocks[-1].last_line if blocks else 1

    def fail(self, block: Block | None, expected: str) -> SourceError:
        if block is None:
            return SourceError(self.source.path, self.last_line, expected, "end of file")
        return SourceError(self.source.path, block.first_line, expected, block.text)

    def heading_index(self, title: str, start: int = 0) -> int:
        for i in range(start, len(self.blocks)):
            block = self.blocks[i]
            if block.kind == HEADING and block.text.lower() == title:
                return i
        raise self.fail(None, f"a heading '{title}'")

    def parse(self, footnote_lines: list[FootnoteLine]) -> Resolution:
        annex = self.heading_index(ANNEX)
        listing = self.heading_index(LIST_HEADING, annex)
        body = self.heading_index(OBJECTIVES_HEADING, listing)
        implementation = self.heading_index(IMPLEMENTATION, body)
        follow_up = self.heading_index(FOLLOW_UP, implementation)

        opening = _numbered_paragraphs(self.blocks[annex:listing], "preamble and vision")
        self.check_paragraph_sequence(opening, 1)
        titles = self.objective_titles(listing + 1, body)
        objectives = self.objectives(body + 1, implementation, titles)
        closing = _numbered_paragraphs(
            self.blocks[implementation:follow_up], "implementation"
        ) + _numbered_paragraphs(self.blocks[follow_up:], "follow-up and review")
        self.check_paragraph_sequence(closing, 40)
        paragraphs = tuple(opening + closing)
        footnotes = tuple(Footnote(f.number, f.text, f.line) for f in footnote_lines)
        return Resolution(
            objectives=tuple(objectives),
            principles=tuple(self.principles(annex, listing)),
            instruments=tuple(preamble_instruments(opening, footnotes)),
            paragraphs=paragraphs,
            mechanisms=tuple(_mechanisms(closing, self)),
            footnotes=footnotes,
            compact=find_compact_mentions(self.source),
        )

    def objective_titles(self, start: int, end: int) -> dict[int, tuple[str, int]]:
        """Paragraph 16's list: number -> (title, line)."""
        titles: dict[int, tuple[str, int]] = {}
        for block in self.blocks[start:end]:
            if block.kind != PARAGRAPH:
                continue
            number = int(block.label or 0)
            expected = len(titles) + 1
            if number != expected:
                raise self.fail(block, f"objective {expected} in the list of paragraph 16")
            titles[number] = (block.text, block.first_line)
        if len(titles) != OBJECTIVE_COUNT:
            last = self.blocks[end - 1] if end > start else None
            raise self.fail(last, f"{OBJECTIVE_COUNT} objectives in the list of paragraph 16")
        return titles

    def objectives(
        self, start: int, end: int, titles: dict[int, tuple[str, int]]
    ) -> list[Objective]:
        sections: list[tuple[int, int]] = []
        for i in range(start, end):
            block = self.blocks[i]
            if block.kind == HEADING and _OBJECTIVE_HEADING.match(block.text):
                sections.append((i, 0))
        bounds = [index for index, _ in sections] + [end]
        objectives = []
        for n, (begin, stop) in enumerate(itertools.pairwise(bounds), start=1):
            objectives.append(self.objective(n, begin, stop, titles[n]))
        if len(objectives) != OBJECTIVE_COUNT:
            raise self.fail(
                self.blocks[end] if end < len(self.blocks) else None,
                f"the heading of Objective {len(objectives) + 1}",
            )
        return objectives

    def objective(self, n: int, begin: int, stop: int, title: tuple[str, int]) -> Objective:
        heading_block = self.blocks[begin]
        match = _OBJECTIVE_HEADING.match(heading_block.text)
        assert match is not None
        if int(match.group(1)) != n:
            raise self.fail(heading_block, f"the heading of Objective {n}")
        commitment = next((b for b in self.blocks[begin + 1 : stop] if b.kind == PARAGRAPH), None)
        expected_paragraph = FIRST_COMMITMENT_PARAGRAPH + n - 1
        if commitment is None or int(commitment.label or 0) != expected_paragraph:
            raise self.fail(
                commitment, f"commitment paragraph {expected_paragraph} of Objective {n}"
            )
        actions = self.actions(n, self.blocks[begin + 1 : stop])
        return Objective(
            number=n,
            title=title[0],
            title_line=title[1],
            heading=normalize_space(match.group(2)),
            heading_line=heading_block.first_line,
            commitment_paragraph=expected_paragraph,
            commitment_text=commitment.text,
            commitment_lines=(commitment.first_line, commitment.last_line),
            actions=tuple(actions),
            last_line=self.blocks[stop - 1].last_line,
        )

    def actions(self, n: int, blocks: list[Block]) -> list[Action]:
        """The lettered items of an objective section; sub-headings and prose are not actions."""
        actions: list[Action] = []
        for block in blocks:
            if block.kind != ITEM:
                continue
            expected = _LETTERS[len(actions)]
            if block.label != expected:
                raise self.fail(block, f"action ({expected}) of Objective {n}")
            actions.append(Action(n, expected, block.text, block.first_line, block.last_line))
        if not actions:
            raise self.fail(blocks[-1] if blocks else None, f"actions of Objective {n}")
        return actions

    def principles(self, annex: int, listing: int) -> list[GuidingPrinciple]:
        """The lettered items of paragraph 15: 'People-centred. The Global Compact ...'.

        Each block of paragraph 15 must be the next principle, (a) to (j): a failure names the
        first block that is not, i.e. the line that was changed, not the end of the list."""
        principles: list[GuidingPrinciple] = []
        in_paragraph = False
        for block in self.blocks[annex:listing]:
            if not in_paragraph:
                in_paragraph = block.kind == PARAGRAPH and block.label == "15"
                continue
            if len(principles) == PRINCIPLE_COUNT:
                if block.kind == ITEM:
                    raise self.fail(block, f"{PRINCIPLE_COUNT} guiding principles in paragraph 15")
                break
            letter = _LETTERS[len(principles)]
            if block.kind != ITEM or block.label != letter:
                raise self.fail(block, f"guiding principle ({letter}) of paragraph 15")
            match = _PRINCIPLE.match(block.text)
            if match is None:
                raise self.fail(block, "a guiding principle 'Name. Text'")
            principles.append(
                GuidingPrinciple(
                    letter=letter,
                    name=match.group("name").strip(),
                    text=match.group("text").strip(),
                    paragraph=15,
                    first_line=block.first_line,
                    last_line=block.last_line,
                )
            )
        if len(principles) != PRINCIPLE_COUNT:  # no paragraph 15, or the list ends the annex
            raise self.fail(self.blocks[listing], f"{PRINCIPLE_COUNT} guiding principles")
        return principles

    def check_paragraph_sequence(self, paragraphs: list[Paragraph], first: int) -> None:
        for offset, paragraph in enumerate(paragraphs):
            if paragraph.number != first + offset:
                raise SourceError(
                    self.source.path,
                    paragraph.first_line,
                    f"paragraph {first + offset}",
                    f"paragraph {paragraph.number}",
                )


def _numbered_paragraphs(blocks: list[Block], section: str) -> list[Paragraph]:
    """Numbered paragraphs with their lettered items joined into one text.

    A bulleted block without a number that follows paragraph n is paragraph n + 1 whose number
    the extraction lost (paragraph 2 of the preamble); the caller checks the sequence.
    """
    paragraphs: list[Paragraph] = []
    current: list[Block] = []
    number = 0
    current_section = section

    def close() -> None:
        if current:
            text = normalize_space(" ".join(_item_text(b) for b in current))
            raw = " ".join(b.raw for b in current)
            first, last = current[0].first_line, current[-1].last_line
            paragraphs.append(Paragraph(number, current_section, text, first, last, raw))
            current.clear()

    for block in blocks:
        if block.kind == HEADING:
            close()
            current_section = block.text
        elif block.kind == PARAGRAPH:
            close()
            number = int(block.label or 0)
            current.append(block)
        elif block.kind == ITEM and current:
            current.append(block)
        elif block.kind == TEXT and block.bulleted and number:
            close()
            number += 1
            current.append(block)
        else:
            close()
    close()
    return paragraphs


def _item_text(block: Block) -> str:
    return f"({block.label}) {block.text}" if block.kind == ITEM else block.text


def _mechanisms(paragraphs: list[Paragraph], parser: _ResolutionParser) -> list[Mechanism]:
    mechanisms = []
    for slug, name, phrase, part_of in MECHANISMS:
        paragraph = next((p for p in paragraphs if phrase in p.text.lower()), None)
        if paragraph is None:
            raise SourceError(
                parser.source.path,
                parser.last_line,
                f"a paragraph of implementation or follow-up naming the {name.lower()}",
            )
        mechanisms.append(
            Mechanism(
                slug=slug,
                name=name,
                paragraph=paragraph.number,
                line=paragraph.first_line,
                part_of=part_of,
                description=_sentence_with(paragraph.text, phrase),
            )
        )
    return mechanisms


def _sentence_with(text: str, phrase: str) -> str:
    """The first sentence or item of a paragraph that names the phrase."""
    pieces = re.split(r"(?<=[.;:])\s+(?=\(?[A-Za-z])", text)
    return next((p for p in pieces if phrase in p.lower()), text)
