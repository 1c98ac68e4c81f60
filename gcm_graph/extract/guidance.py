"""What the guidance documents (GFMD recollection, IDM report) share: practices and their mentions.

A practice is a concrete example of a state or an organisation doing something. Its facts are
read from its own text only: the countries and organisations it names, the years it mentions and
the GCM objectives it names explicitly ("Objective 4", "objectives 1 and 3", "Nos. 2 and 3").
Each mention keeps the line it was read from, so that every link in the graph can say where it
came from. Objective numbers are kept as printed, also when no such objective exists: the model
reports those and does not link them.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field

from ..errors import SourceError
from ..sources import Source
from ..text import Line, normalize_space, numbered
from .countries import find_countries
from .mentions import find_organisations, find_years


@dataclass(frozen=True)
class Mention:
    """A value found in a text (alpha-3 code, organisation slug, year, objective number)."""

    value: str | int
    line: int
    text: str
    """The words as printed."""
    name: str | None = None
    """For an organisation: its canonical name (the label of its IRI)."""
    acronym: str | None = None
    """For an organisation: its acronym, where known."""


@dataclass(frozen=True)
class Citation:
    """A footnote a practice cites: its number and text as printed."""

    number: int
    text: str
    line: int


@dataclass(frozen=True)
class PracticeRecord:
    id: str
    title: str
    """A short title: the name of the initiative where the document gives one."""
    description: str
    first_line: int
    last_line: int
    countries: tuple[Mention, ...] = ()
    organisations: tuple[Mention, ...] = ()
    years: tuple[Mention, ...] = ()
    objectives: tuple[Mention, ...] = ()
    citations: tuple[Citation, ...] = field(default=())


class LinedText:
    """Lines joined into one text, with a way back from an offset to its line number."""

    def __init__(self, lines: list[Line]):
        self.lines = [line for line in lines if line.text.strip()]
        self.starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            parts.append(line.text)
            offset += len(line.text) + 1
        self.text = "\n".join(parts)

    def line_at(self, offset: int) -> int:
        return self.lines[bisect.bisect_right(self.starts, offset) - 1].number


def country_mentions(text: LinedText) -> tuple[Mention, ...]:
    return _first_each(
        Mention(m.alpha3, text.line_at(m.start), m.text) for m in find_countries(text.text)
    )


def organisation_mentions(text: LinedText) -> tuple[Mention, ...]:
    """Organisations of the shared gazetteer (organisations.py, mentions.py) a text names."""
    return _first_each(
        Mention(org.slug, text.line_at(start), printed, org.name, org.acronym)
        for org, printed, start in find_organisations(text.text)
    )


def year_mentions(text: LinedText) -> tuple[Mention, ...]:
    """Years used as years (mentions.find_years: not "2030 Agenda", "2000 migrants")."""
    return _first_each(
        Mention(year, text.line_at(start), text.text[start:end])
        for year, start, end in find_years(text.text)
    )


_NUMBER_LIST = r"\d{1,3}(?:\s*(?:,|and|&|or|to|–|-)\s*(?:and\s+)?\d{1,3})*"
# "Objective 23", "GCM objective 5", "objectives 1 and 3", "Objectives 1, 2 and 3", "objective no. 7"
_OBJECTIVE_REFERENCE = re.compile(
    rf"\b[Oo]bjectives?\s+(?:[Nn]os?\.\s*|number\s+)?(?P<numbers>{_NUMBER_LIST})(?![.,]?\d)"
)
# "... other objectives, such as Nos. 2 and 3": a bare "Nos." list in the same sentence as
# the word "objectives".
_OBJECTIVE_NOS = re.compile(rf"\bobjectives\b[^.]{{0,60}}?\bNos?\.\s*(?P<numbers>{_NUMBER_LIST})")


def objective_mentions(text: LinedText) -> tuple[Mention, ...]:
    """Objective numbers a text names explicitly, in order, each once (first mention)."""
    found: list[Mention] = []
    seen_spans: set[tuple[int, int]] = set()
    for pattern in (_OBJECTIVE_REFERENCE, _OBJECTIVE_NOS):
        for match in pattern.finditer(text.text):
            span = match.span("numbers")
            if span in seen_spans:
                continue
            seen_spans.add(span)
            line = text.line_at(match.start())
            for number in parse_number_list(match.group("numbers")):
                found.append(Mention(number, line, match.group(0)))
    found.sort(key=lambda m: (m.line, m.text))
    return _first_each(found)


def parse_number_list(text: str) -> list[int]:
    """'1 and 3' -> [1, 3]; '1, 2 and 3' -> [1, 2, 3]; '4-6' or '4 to 6' -> [4, 5, 6]."""
    numbers: list[int] = []
    tokens = re.findall(r"\d+|–|-|\bto\b", text)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in ("–", "-", "to") and numbers and index + 1 < len(tokens):
            end = int(tokens[index + 1])
            numbers.extend(range(numbers[-1] + 1, end + 1))
            index += 2
            continue
        if token.isdigit():
            numbers.append(int(token))
        index += 1
    return numbers


def _first_each(mentions) -> tuple[Mention, ...]:
    """Keep the first mention of each value, in order of appearance."""
    seen: set[str | int] = set()
    kept: list[Mention] = []
    for mention in mentions:
        if mention.value not in seen:
            seen.add(mention.value)
            kept.append(mention)
    return tuple(kept)


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’]*")
_ROMAN = re.compile(r"^[IVX]{1,4}$")
_MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "against",
        "among",
        "via",
    ]
)


def title_case(heading: str, context: str) -> str:
    """An upper-case heading in title case, acronyms kept: "Access to COVID-19 Tools (ACT)".

    `context` is the practice's own text: a word it prints in capitals is an acronym and stays
    so ("COVAX", "ID"), as do roman numerals ("PHASE III") and words with digits ("COVID-19").
    Minor words (articles, short prepositions, conjunctions) are lower case except at the start;
    the parts of a hyphenated word are capitalised each ("Four-Pronged").
    """
    acronyms = {w for w in _WORD.findall(context) if w.isupper() and len(w) > 1}

    def cased(match: re.Match[str]) -> str:
        word = match.group(0)
        if (
            not word.isupper()
            or word in acronyms
            or _ROMAN.match(word)
            or any(c.isdigit() for c in word)
        ):
            return word
        lower = word.lower()
        at_start = match.start() == 0
        if lower in _MINOR_WORDS and not at_start:
            return lower
        return lower[:1].upper() + lower[1:]

    return _WORD.sub(cased, heading)


def text_key(text: str) -> str:
    """The normalised form of a text that its stable id is a hash of.

    Case, punctuation, markup and spacing do not change the key, so a re-extraction of the same
    words keeps the same id.
    """
    folded = re.sub(r"[^0-9a-z]+", " ", text.casefold())
    return normalize_space(folded)


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha1(text_key(text).encode("utf-8")).hexdigest()[:length]


class GuidanceParser:
    """What the guidance parsers (GFMD, IDM) share: the source's numbered lines, and errors that
    name the file and the line."""

    def __init__(self, source: Source):
        self.source = source
        self.lines = numbered(source.lines())

    def fail(self, line: int, expected: str, found: str | None = None) -> SourceError:
        return SourceError(self.source.path, line, expected, found)
