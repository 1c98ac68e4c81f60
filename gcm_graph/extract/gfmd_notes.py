"""Footnotes of the GFMD recollection: which lines are notes, which number each note has, and
which markers the running text carries.

The PDF extraction mangles the notes in three ways, each handled here:

- Many notes lost their number: a bare URL line ("http://gfmd.org/pfp/ppd/215.") stands where
  note 53 should be. Such an orphan is given the smallest note number that the text referenced
  in the preceding 60 lines and that has no numbered definition (notes follow their markers
  within a page).
- Some markers lost their superscript and print as plain digits ("... State Action 129 is a ...",
  "... household surveys.82"). A plain number counts as a marker only if it continues the
  sequence of markers: the last marker + 1, or + 2 if a note with that number exists.
- Two notes can share a line ("... OpenElement. ¹⁵ UNGA, Convention ..."); a note's URL can
  follow it on a line of its own after a trailing comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import SUPERSCRIPT_DIGITS, Line

_TO_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_SUP = f"[{SUPERSCRIPT_DIGITS}]+"
_HTML = re.compile(r"</?sup>|</?u>|&lt;|<a href=\"[^\"]*\">|</a>")
_SUPERSCRIPT_NOTE = re.compile(rf"^({_SUP})\s*(.*)$")
# A plain-digit note: "82 Sutherland Report, 2017, ...", "131 http://gfmd.org/pfp/ppd/2193."
_PLAIN_NOTE = re.compile(r"^(\d{1,3})\s+(.*(?:https?://|\b(?:19|20)\d\d\b|\bIbid\b).*)$")
_INLINE_SECOND_NOTE = re.compile(rf"(?<=\.)\s+({_SUP})\s+(?=[A-Z])")
_URL_LINE = re.compile(r"^https?://")
_SUPERSCRIPT_MARKER = re.compile(_SUP)
_PLAIN_MARKER = re.compile(r"(?:(?<=\s)|(?<=\.))(\d{1,3})(?![.,]?\d)(?=[\s,;:)]|$)")
ORPHAN_WINDOW = 60


@dataclass(frozen=True)
class Note:
    number: int | None
    """None for an orphan that no marker could be matched to."""
    text: str
    line: int
    numbered: bool
    """True if the document prints the number; False if it was inferred for an orphan."""


@dataclass(frozen=True)
class Marker:
    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Notes:
    by_number: dict[int, Note]
    note_lines: frozenset[int]
    """Every line that is (part of) a footnote, not running text."""
    markers: dict[int, tuple[Marker, ...]]
    """Line number -> the note markers in that line of running text."""
    orphans: tuple[Note, ...]


def clean(text: str) -> str:
    return _HTML.sub("", text).strip()


def read_notes(lines: list[Line], first_body_line: int) -> Notes:
    """The notes and markers of the document body (from `first_body_line` on)."""
    body = [line for line in lines if line.number >= first_body_line]
    numbered, bare, note_lines = _note_lines(body)
    markers, first_reference = _markers(body, note_lines, numbered)
    by_number = dict(numbered)
    orphans: list[Note] = []
    for line, text in bare:
        candidates = [
            n
            for n, ref in first_reference.items()
            if n not in by_number and line - ORPHAN_WINDOW <= ref <= line
        ]
        if candidates:
            number = min(candidates)
            by_number[number] = Note(number, text, line, numbered=False)
        else:
            orphans.append(Note(None, text, line, numbered=False))
    return Notes(by_number, frozenset(note_lines), markers, tuple(orphans))


def _note_lines(body: list[Line]) -> tuple[dict[int, Note], list[tuple[int, str]], set[int]]:
    """Numbered notes (first definition of a number wins), bare URL lines, and all note lines."""
    numbered: dict[int, Note] = {}
    bare: list[tuple[int, str]] = []
    note_lines: set[int] = set()
    last: tuple[int, int] | None = None  # (number, line) of a note on the last non-blank line
    for line in body:
        stripped = clean(line.text)
        if not stripped:
            continue
        definitions = _definitions(stripped)
        if definitions:
            note_lines.add(line.number)
            for number, text in definitions:
                numbered.setdefault(number, Note(number, text, line.number, numbered=True))
            last = (definitions[-1][0], line.number)
            continue
        if _URL_LINE.match(stripped):
            note_lines.add(line.number)
            note = numbered.get(last[0]) if last else None
            if note is not None and note.line == last[1] and note.text.endswith((",", ";")):
                numbered[note.number] = Note(
                    note.number, f"{note.text} {stripped}", note.line, True
                )
            else:
                bare.append((line.number, stripped))
                last = None
            continue
        if stripped.startswith("```"):
            note_lines.add(line.number)
            continue
        last = None
    return numbered, bare, note_lines


def _definitions(stripped: str) -> list[tuple[int, str]]:
    match = _SUPERSCRIPT_NOTE.match(stripped)
    if match:
        first = int(match.group(1).translate(_TO_DIGITS))
        pieces = _INLINE_SECOND_NOTE.split(match.group(2))
        found = [(first, pieces[0].strip())]
        for marker, text in zip(pieces[1::2], pieces[2::2], strict=True):
            found.append((int(marker.translate(_TO_DIGITS)), text.strip()))
        return found
    match = _PLAIN_NOTE.match(stripped)
    if match:
        return [(int(match.group(1)), match.group(2).strip())]
    return []


def _markers(
    body: list[Line], note_lines: set[int], numbered: dict[int, Note]
) -> tuple[dict[int, tuple[Marker, ...]], dict[int, int]]:
    """Markers per line of running text, and the line where each note number is first cited."""
    markers: dict[int, tuple[Marker, ...]] = {}
    first_reference: dict[int, int] = {}
    last = 0
    for line in body:
        if line.number in note_lines or not line.text.strip():
            continue
        found: list[Marker] = []
        candidates = [
            (m.start(), m.end(), int(m.group(0).translate(_TO_DIGITS)), True)
            for m in _SUPERSCRIPT_MARKER.finditer(line.text)
        ] + [
            (m.start(1), m.end(1), int(m.group(1)), False)
            for m in _PLAIN_MARKER.finditer(line.text)
        ]
        for start, end, number, superscript in sorted(candidates):
            if not superscript and not _continues(number, last, numbered):
                continue
            found.append(Marker(number, start, end))
            first_reference.setdefault(number, line.number)
            last = max(last, number)
        if found:
            markers[line.number] = tuple(found)
    return markers, first_reference


def _continues(number: int, last: int, numbered: dict[int, Note]) -> bool:
    """Whether a plain number in running text is the next note marker."""
    return number == last + 1 or (number == last + 2 and number in numbered)


def without_markers(text: str, markers: tuple[Marker, ...]) -> str:
    """The line with its note markers cut out."""
    for marker in sorted(markers, key=lambda m: m.start, reverse=True):
        text = text[: marker.start] + text[marker.end :]
    return text
