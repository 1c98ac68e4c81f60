"""Parse the GFMD Thematic Recollection 2007-2017 (source `gfmd`).

Section II has six thematic clusters ("1. HUMAN RIGHTS OF ALL MIGRANTS, ..."), each with numbered
sub-themes ("(1) Guaranteeing migrants' human rights ..."). Under a sub-theme, "Policy Options:"
and "Options for practical action:" head lists of recommendations; the prose paragraphs after
them are policy and practice examples (practices), with or without a "Policy and Practice
Examples" heading. Section IV ends the document with bulleted action areas for the GCM.

The sub-themes are listed three times: in the CONTENT list, in each cluster's "focus areas" and as
headings in the body. The body heading is taken as the title; the other two are kept so the
model can report where they differ (the CONTENT list has typos: "PORTABILITY O EARNED",
"THROUG"). The sub-theme numbering of the body must match the CONTENT list, else SourceError.

List artefacts handled: bullets that lost their "- " (a capitalised line indented by one space,
or the first line under a list heading), items split by a page break or a footnote block (the
rest starts in lower case, with or without a bullet), wrapped lines and nested lists (indented
lines directly below an item), "•" bullets, footnote markers (see gfmd_notes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..sources import Source
from ..text import Line, join_wrapped, strip_footnote_markers, strip_markdown
from .gfmd_notes import Notes, clean, read_notes, without_markers
from .guidance import (
    Citation,
    GuidanceParser,
    LinedText,
    PracticeRecord,
    country_mentions,
    objective_mentions,
    organisation_mentions,
    short_hash,
    title_case,
    year_mentions,
)

POLICY_OPTION = "policy-option"
PRACTICAL_ACTION = "practical-action"
ACTION_AREA = "action-area"
EXAMPLES = "examples"
_LIST_LABELS = {
    "Policy Options:": POLICY_OPTION,
    "Options for practical action:": PRACTICAL_ACTION,
    "Policy and Practice Examples": EXAMPLES,
}
_KIND_CODES = {POLICY_OPTION: "po", PRACTICAL_ACTION: "pa"}
CLUSTER_COUNT = 6

_CLUSTER = re.compile(r"^([1-6])\.\s+([A-Z][A-Z ,'\-]+?)\.?$")
_SUBTHEME = re.compile(r"^\((\d)\)\s+(\S.*?)$")
_FOCUS_ITEM = re.compile(r"^(?:-\s+)?\((\d)\)\s+(\S.*?)\s*[;.]$")
_CONTENTS_ENTRY = re.compile(r"^(?:([1-6])\.|\((\d)\)|(I|II|III|IV)\.)\s+([^\t]+?)\s*(?:\t.*)?$")
_BULLET = re.compile(r"^[-•]\s+(.*)$")
_JUNK = re.compile(r"^[\s_.•]*$")


@dataclass(frozen=True)
class Title:
    text: str
    line: int


@dataclass(frozen=True)
class SubTheme:
    cluster: int
    number: int
    title: str
    line: int
    last_line: int
    contents_title: Title | None = None
    focus_title: Title | None = None


@dataclass(frozen=True)
class Cluster:
    number: int
    title: str
    """The heading in title case (the document prints it in capitals)."""
    heading: str
    """The heading as printed (markup removed)."""
    line: int
    last_line: int
    contents_title: Title
    subthemes: tuple[SubTheme, ...]


@dataclass(frozen=True)
class Recommendation:
    id: str
    kind: str
    """POLICY_OPTION, PRACTICAL_ACTION (under a sub-theme) or ACTION_AREA (section IV)."""
    text: str
    first_line: int
    last_line: int
    cluster: int | None = None
    subtheme: int | None = None


@dataclass(frozen=True)
class GfmdPractice:
    record: PracticeRecord
    cluster: int
    subtheme: int


@dataclass(frozen=True)
class Gfmd:
    clusters: tuple[Cluster, ...]
    recommendations: tuple[Recommendation, ...]
    practices: tuple[GfmdPractice, ...]
    notes: Notes
    section_lines: dict[str, tuple[int, int]] = field(default_factory=dict)
    """'II', 'III', 'IV' -> (first, last) line of the section in the body."""


def parse_gfmd(source: Source) -> Gfmd:
    return GfmdParser(source).parse()


class GfmdParser(GuidanceParser):
    def find_line(self, prefix: str, start: int = 1) -> int:
        for line in self.lines[start - 1 :]:
            if line.text.strip().startswith(prefix) and "\t" not in line.text:
                return line.number
        raise self.fail(start, f"a line starting {prefix!r}")

    def parse(self) -> Gfmd:
        contents = self.find_line("CONTENT")
        body = self.find_line("I. Introduction", contents + 1)
        section_2 = self.find_line("II. Contribution to the six GCM Thematic Clusters", body)
        section_3 = self.find_line("III. Provide feedback", section_2)
        section_4 = self.find_line("IV. Conclusions and Action Areas", section_3)
        listed = self.contents(contents + 1, body - 1)
        notes = read_notes(self.lines, body)
        clusters, recommendations, practices = self.clusters(
            section_2, section_3 - 1, listed, notes
        )
        last = self.lines[-1].number
        recommendations += self.action_areas(section_4, last, notes)
        sections = {"II": (section_2, section_3 - 1), "III": (section_3, section_4 - 1)}
        sections["IV"] = (section_4, last)
        return Gfmd(clusters, tuple(recommendations), tuple(practices), notes, sections)

    # --- the CONTENT list ---------------------------------------------------------------

    def contents(self, first: int, last: int) -> dict[int, tuple[Title, list[Title]]]:
        """Cluster number -> (title, sub-theme titles) as the CONTENT list prints them."""
        listed: dict[int, tuple[Title, list[Title]]] = {}
        current: int | None = None
        for line in self.lines[first - 1 : last]:
            text = line.text.strip()
            match = _CONTENTS_ENTRY.match(text)
            if match and match.group(1):
                current = int(match.group(1))
                listed[current] = (Title(match.group(4), line.number), [])
            elif match and match.group(2) and current is not None:
                listed[current][1].append(Title(match.group(4), line.number))
            elif match and match.group(3):
                current = None
            elif current is not None and text.isupper() and not listed[current][1]:
                head = listed[current][0]  # a cluster title wrapped onto a second line
                wrapped = text.split("\t")[0]
                listed[current] = (Title(f"{head.text} {wrapped}", head.line), [])
        if sorted(listed) != list(range(1, CLUSTER_COUNT + 1)):
            raise self.fail(first, "the CONTENT list to name clusters 1 to 6", str(sorted(listed)))
        return listed

    # --- section II: clusters and sub-themes --------------------------------------------

    def clusters(
        self, first: int, last: int, listed: dict[int, tuple[Title, list[Title]]], notes: Notes
    ) -> tuple[tuple[Cluster, ...], list[Recommendation], list[GfmdPractice]]:
        starts = self.cluster_headings(first, last)
        clusters: list[Cluster] = []
        recommendations: list[Recommendation] = []
        practices: list[GfmdPractice] = []
        for index, (number, title, line) in enumerate(starts):
            end = starts[index + 1][2] - 1 if index + 1 < len(starts) else last
            contents_title, contents_subthemes = listed[number]
            subthemes = self.subthemes(number, line + 1, end, contents_subthemes)
            clusters.append(
                Cluster(
                    number,
                    title_case(title, ""),
                    title,
                    line,
                    end,
                    contents_title,
                    tuple(subthemes),
                )
            )
            for subtheme in subthemes:
                recs, found = SubThemeReader(self, subtheme, notes).read()
                recommendations += recs
                practices += found
        return tuple(clusters), recommendations, practices

    def cluster_headings(self, first: int, last: int) -> list[tuple[int, str, int]]:
        headings = []
        for line in self.lines[first - 1 : last]:
            match = _CLUSTER.match(strip_markdown(line.text.strip()))
            if match:
                headings.append((int(match.group(1)), match.group(2), line.number))
        if [h[0] for h in headings] != list(range(1, CLUSTER_COUNT + 1)):
            found = ", ".join(str(h[0]) for h in headings)
            raise self.fail(first, "cluster headings 1. to 6. in order", found)
        return headings

    def subthemes(self, cluster: int, first: int, last: int, listed: list[Title]) -> list[SubTheme]:
        headings: list[tuple[int, str, int]] = []
        focus: dict[int, Title] = {}
        for line in self.lines[first - 1 : last]:
            text = line.text.strip()
            match = _FOCUS_ITEM.match(text)
            if match and (text.startswith("-") or text.endswith(";")):
                focus.setdefault(int(match.group(1)), Title(match.group(2), line.number))
                continue
            match = _SUBTHEME.match(text)
            if match:
                headings.append((int(match.group(1)), match.group(2), line.number))
        numbers = [h[0] for h in headings]
        if numbers != list(range(1, len(listed) + 1)):
            line = headings[0][2] if headings else first
            raise self.fail(
                line,
                f"sub-theme headings (1) to ({len(listed)}) in cluster {cluster}, as listed in "
                "CONTENT",
                ", ".join(f"({n})" for n in numbers),
            )
        subthemes = []
        for index, (number, title, line) in enumerate(headings):
            end = headings[index + 1][2] - 1 if index + 1 < len(headings) else last
            subthemes.append(
                SubTheme(cluster, number, title, line, end, listed[index], focus.get(number))
            )
        return subthemes

    # --- section IV: action areas --------------------------------------------------------

    def action_areas(self, first: int, last: int, notes: Notes) -> list[Recommendation]:
        items: list[list[Line]] = []
        for line in self.lines[first:last]:
            text = line.text.strip()
            if not text or line.number in notes.note_lines:
                continue
            bullet = _BULLET.match(text)
            if bullet:
                items.append([line])
            elif items and text[0].islower():
                items[-1].append(line)
        return [_recommendation(self, ACTION_AREA, lines, notes, None, None) for lines in items]


class SubThemeReader:
    """Reads one sub-theme: its two lists of recommendations, then its practice paragraphs."""

    def __init__(self, parser: GfmdParser, subtheme: SubTheme, notes: Notes):
        self.parser = parser
        self.subtheme = subtheme
        self.notes = notes
        self.kind: str | None = None
        self.items: dict[str, list[list[Line]]] = {POLICY_OPTION: [], PRACTICAL_ACTION: []}
        self.paragraphs: list[list[Line]] = []

    def read(self) -> tuple[list[Recommendation], list[GfmdPractice]]:
        gap = True
        for line in self.parser.lines[self.subtheme.line : self.subtheme.last_line]:
            text = line.text.strip()
            if not text or line.number in self.notes.note_lines or _JUNK.match(text):
                gap = True
                continue
            if text in _LIST_LABELS:
                self.kind = _LIST_LABELS[text]
            elif self.kind is None:
                raise self.parser.fail(line.number, "'Policy Options:' under a sub-theme", text)
            elif self.kind == EXAMPLES:
                self.add_paragraph(line, text)
            else:
                self.add_list_line(line, text, gap)
            gap = False
        s = self.subtheme
        recommendations = [
            _recommendation(self.parser, kind, lines, self.notes, s.cluster, s.number)
            for kind, items in self.items.items()
            for lines in items
        ]
        practices = [self.practice(lines) for lines in self.paragraphs]
        return recommendations, practices

    def add_list_line(self, line: Line, text: str, gap: bool) -> None:
        items = self.items[self.kind]
        bullet = _BULLET.match(text)
        body = bullet.group(1) if bullet else text
        indented = line.text[:1].isspace()
        if items and (body[:1].islower() or (indented and not gap)):
            items[-1].append(line)
        elif bullet or indented or not items:
            items.append([line])
        else:
            self.kind = EXAMPLES  # prose after the list: the examples (heading missing)
            self.add_paragraph(line, text)

    def add_paragraph(self, line: Line, text: str) -> None:
        if self.paragraphs and text[:1].islower():
            self.paragraphs[-1].append(line)
        else:
            self.paragraphs.append([line])

    def practice(self, lines: list[Line]) -> GfmdPractice:
        s = self.subtheme
        cleaned = [Line(n.number, _clean_line(n, self.notes)) for n in lines]
        description = join_wrapped([c.text for c in cleaned])
        mentioned = LinedText(cleaned)
        cited = [m.number for n in lines for m in self.notes.markers.get(n.number, ())]
        citations = tuple(
            Citation(number, clean(note.text), note.line)
            for number in dict.fromkeys(cited)
            if (note := self.notes.by_number.get(number)) is not None
        )
        record = PracticeRecord(
            id=f"gfmd-c{s.cluster}-s{s.number}-{short_hash(description)}",
            title=short_title(lines, self.notes),
            description=description,
            first_line=lines[0].number,
            last_line=lines[-1].number,
            countries=country_mentions(mentioned),
            organisations=organisation_mentions(mentioned),
            years=year_mentions(mentioned),
            objectives=objective_mentions(mentioned),
            citations=citations,
        )
        return GfmdPractice(record, s.cluster, s.number)


def _clean_line(line: Line, notes: Notes) -> str:
    text = without_markers(line.text, notes.markers.get(line.number, ()))
    text = strip_footnote_markers(text).strip()
    bullet = _BULLET.match(text)
    return strip_markdown(bullet.group(1) if bullet else text)


def _recommendation(
    parser: GfmdParser,
    kind: str,
    lines: list[Line],
    notes: Notes,
    cluster: int | None,
    subtheme: int | None,
) -> Recommendation:
    text = join_wrapped([_clean_line(line, notes) for line in lines])
    if len(text) < 10:
        raise parser.fail(lines[0].number, "a recommendation's text", text)
    prefix = f"gfmd-c{cluster}-s{subtheme}-{_KIND_CODES[kind]}" if cluster else "gfmd-iv"
    return Recommendation(
        id=f"{prefix}-{short_hash(text)}",
        kind=kind,
        text=text,
        first_line=lines[0].number,
        last_line=lines[-1].number,
        cluster=cluster,
        subtheme=subtheme,
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])(?:\*\*)?\s+(?=[A-Z(\"“*])")
_BOLD_AT_END = re.compile(r"\*\*([^*]+?)\*\*(\s*\(\*\*([^*]+)\*\*\))?\s*$")
_MARK = "\x00"
SHORT_TITLE_WORDS = 12
MAX_TITLE_WORDS = 24
FALLBACK_TITLE_WORDS = 16


def short_title(lines: list[Line], notes: Notes) -> str:
    """The name of the example, read from the words before its first footnote marker.

    Examples name their initiative and put the note right after the name ("The **Joint
    Information and Services Bureaus** (**JISBs**)⁵² have been introduced ..."). The title is
    the start of the first sentence with a marker, up to its last marker, if that is short;
    else the bold name just before the marker; else, if not too long, that start anyway;
    else the first words of the paragraph.
    """
    marked = []
    for line in lines:
        text = line.text
        for marker in sorted(notes.markers.get(line.number, ()), key=lambda m: -m.start):
            text = text[: marker.start] + _MARK + text[marker.end :]
        marked.append(strip_footnote_markers(text.strip()))
    paragraph = join_wrapped(marked)
    sentences = _SENTENCE_END.split(paragraph)
    with_marker = next((s for s in sentences if _MARK in s), "")
    # The text before each marker, from the last marker to the first: a marker can sit
    # inside a name ("The Australia-Asia¹⁵³ Program ... (AAPTIP)¹⁵⁴").
    heads = [
        _MARK.join(with_marker.split(_MARK)[:i]) for i in range(with_marker.count(_MARK), 0, -1)
    ]
    plain_heads = [h for h in map(_plain, heads) if h]
    bolds = [b for h in heads if (b := _BOLD_AT_END.search(h.replace(_MARK, "")))]
    for head in plain_heads:
        if len(head.split()) <= SHORT_TITLE_WORDS:
            return head
    for bold in bolds:
        if len(bold.group(1).split()) >= 2:
            return _plain(bold.group(0))
    for head in plain_heads:
        if len(head.split()) <= MAX_TITLE_WORDS:
            return head
    words = _plain(sentences[0]).split()
    if len(words) <= MAX_TITLE_WORDS:
        return " ".join(words).rstrip(",;:.")
    return " ".join(words[:FALLBACK_TITLE_WORDS]).rstrip(",;:.") + "…"


def _plain(text: str) -> str:
    return join_wrapped([strip_markdown(text.replace(_MARK, ""))]).strip(" ,;:.")
