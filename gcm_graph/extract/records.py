"""The records the resolution parser produces, shared by the model and the cross-checks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Action:
    objective: int
    letter: str
    text: str
    first_line: int
    last_line: int


@dataclass(frozen=True)
class Objective:
    number: int
    title: str
    """The title as listed in paragraph 16 (the main title)."""
    title_line: int
    heading: str
    """The objective's heading in the body, as printed after artefact repair."""
    heading_line: int
    commitment_paragraph: int
    commitment_text: str
    commitment_lines: tuple[int, int]
    actions: tuple[Action, ...]
    last_line: int

    @property
    def heading_differs(self) -> bool:
        return self.heading != self.title


@dataclass(frozen=True)
class GuidingPrinciple:
    letter: str
    name: str
    text: str
    paragraph: int
    first_line: int
    last_line: int


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str
    line: int


@dataclass(frozen=True)
class PreambleInstrument:
    """An international instrument the preamble names (paragraph 2 or its footnotes)."""

    name: str
    paragraph: int
    line: int
    footnote: int | None = None
    citation: str | None = None
    """The footnote's reference for the instrument (treaty series, resolution symbol)."""
    group: str | None = None
    """The collective name in paragraph 2 that a footnote expands into this instrument."""


@dataclass(frozen=True)
class Paragraph:
    number: int
    section: str
    text: str
    first_line: int
    last_line: int
    raw: str = ""
    """The printed text with footnote markers still in it."""


@dataclass(frozen=True)
class Mechanism:
    slug: str
    name: str
    paragraph: int
    line: int
    part_of: str | None = None
    """The slug of the mechanism this one is a component of."""
    description: str = ""


@dataclass(frozen=True)
class CompactMentions:
    """The lines of the resolution that name the Compact, and the other name it gives."""

    title_line: int
    endorsement_line: int
    annex_heading_line: int
    other_name: str | None

    @property
    def lines(self) -> tuple[int, int, int]:
        return (self.title_line, self.endorsement_line, self.annex_heading_line)


@dataclass(frozen=True)
class Resolution:
    objectives: tuple[Objective, ...]
    principles: tuple[GuidingPrinciple, ...]
    instruments: tuple[PreambleInstrument, ...]
    paragraphs: tuple[Paragraph, ...]
    mechanisms: tuple[Mechanism, ...]
    footnotes: tuple[Footnote, ...] = field(default=())
    compact: CompactMentions | None = None
    """Where the resolution names the Compact itself (extract/compact.py)."""

    def objective(self, number: int) -> Objective:
        return self.objectives[number - 1]

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for o in self.objectives for a in o.actions)
