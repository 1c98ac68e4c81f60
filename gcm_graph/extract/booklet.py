"""Parser of the GCM implementation booklet: per objective, its associated actions, its practices
("Potential responses / concrete examples") and the footnotes they cite.

Each objective is a section from "GCM Objective N" to the next; within it "ASSOCIATED ACTIONS",
"POTENTIAL RESPONSES / CONCRETE EXAMPLES" and "RELEVANT SDGs" open the three parts. The PDF
extraction leaves these artefacts in the practice lists, each handled here (and tested):

- Footnote blocks between items, and even inside an item: a plain line after a footnote block
  continues the last practice if that practice had not ended its sentence ("... ratified" /
  footnote 18 / "by both countries, ..."), else it continues the footnote (a second reference).
- A sub-bullet whose indentation was lost after a footnote block: a top-level bullet that comes
  between sub-bullets of the same item (sub-bullet, footnotes, bullet, sub-bullet) is a sub-bullet.
- Footnote markers as superscript digits ("education²⁰", "Italy,²²"): read as the practice's
  citations, then removed from the text. Markdown emphasis, links and "\\$" escapes are removed.
- A marker whose footnote is not in the booklet (¹⁰³) is kept in `missing_footnotes`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..errors import SourceError
from ..sources import Source
from ..text import SUPERSCRIPT_DIGITS, footnote_definition, join_wrapped, strip_markdown
from ..vocab import slugify

OBJECTIVE_COUNT = 23
TITLE_MAX = 140
ID_WORDS = 6

_SECTION = re.compile(r"^GCM Objective (\d{1,2})\s*$")
_ACTIONS = "ASSOCIATED ACTIONS"
_PRACTICES = "POTENTIAL RESPONSES / CONCRETE EXAMPLES"
_SDGS = re.compile(r"^RELEVANT SDGs\b")
_BULLET = re.compile(r"^(?P<indent>\s*)[-*]\s+(?P<text>.*)$")
_ACTION = re.compile(r"^\s*-\s+\(?(?P<letter>[a-z]{1,2})\)\s+(?P<text>.*)$")
_MARKERS = re.compile(rf"[{SUPERSCRIPT_DIGITS}]+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
# A sentence ends at . ! ? before a capital; not after a capital ("U.S. Virgin Islands").
_SENTENCE_BREAK = re.compile(r"(?<![A-Z])[.!?][\"'”’)]*\s+(?=[A-Z“\"])")
# A bare number (1-3 digits) that the PDF extraction left after the full stop ending a footnote
# ("... across Europe](#). 1", line 245): residue, not part of the citation. A number that an
# abbreviation introduces is the citation's own ("p. 12", "No. 3").
_STRAY_NUMBER = re.compile(r"(?<=[.!?])\s+\d{1,3}$")
_CITED_NUMBER = re.compile(
    r"\b(?:p|pp|para|paras|no|nos|vol|art|arts|ch|chap|sec|fig|n)\.\s+\d+$", re.I
)
_SENTENCE_END = re.compile(r"""[.!?:;]["'”’)]*$|[.!?]\*\*$""")


@dataclass(frozen=True)
class BookletFootnote:
    number: int
    text: str
    first_line: int
    last_line: int


@dataclass(frozen=True)
class BookletAction:
    objective: int
    letter: str
    text: str
    line: int


@dataclass(frozen=True)
class Practice:
    id: str
    objective: int
    title: str
    text: str
    """Parent text, then each sub-bullet on its own line as '- ...'."""
    first_line: int
    last_line: int
    footnotes: tuple[int, ...]
    """Footnote numbers the practice cites, in order, including ones the booklet lacks."""
    sub_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class BookletSection:
    objective: int
    title: str
    heading_line: int
    title_line: int
    last_line: int
    actions: tuple[BookletAction, ...]
    practices: tuple[Practice, ...]
    footnotes: dict[int, BookletFootnote] = field(default_factory=dict, compare=False)

    def missing_footnotes(self, practice: Practice) -> list[int]:
        return [n for n in practice.footnotes if n not in self.footnotes]


@dataclass(frozen=True)
class Booklet:
    sections: tuple[BookletSection, ...]

    def section(self, objective: int) -> BookletSection:
        return self.sections[objective - 1]

    @property
    def practices(self) -> tuple[Practice, ...]:
        return tuple(p for s in self.sections for p in s.practices)


def parse_booklet(source: Source) -> Booklet:
    lines = source.lines()
    starts = [(i + 1, int(m.group(1))) for i, t in enumerate(lines) if (m := _SECTION.match(t))]
    for expected, (line, number) in enumerate(starts, start=1):
        if number != expected:
            raise SourceError(
                source.path, line, f"section 'GCM Objective {expected}'", lines[line - 1]
            )
    if len(starts) != OBJECTIVE_COUNT:
        raise SourceError(
            source.path,
            len(lines),
            f"{OBJECTIVE_COUNT} objective sections",
            f"{len(starts)} sections",
        )
    sections = []
    for index, (first, number) in enumerate(starts):
        last = starts[index + 1][0] - 1 if index + 1 < len(starts) else _end_of_last(lines, first)
        sections.append(_SectionParser(source, lines, number, first, last).parse())
    return Booklet(tuple(sections))


def _end_of_last(lines: list[str], first: int) -> int:
    """The last section ends before the closing 'Useful websites' list."""
    for number in range(first, len(lines) + 1):
        if lines[number - 1].strip() == "Useful websites":
            return number - 1
    return len(lines)


def clean(text: str) -> str:
    """Text without footnote markers, Markdown emphasis, links and escapes."""
    return strip_markdown(_MARKERS.sub("", text))


def footnote_text(raw: str) -> str:
    """A footnote's citation as printed, without a stray number after its last full stop."""
    text = join_wrapped([clean(raw)])
    if _CITED_NUMBER.search(text):
        return text
    return _STRAY_NUMBER.sub("", text)


def footnote_markers(text: str) -> list[int]:
    digits = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
    return [int(m.translate(digits)) for m in _MARKERS.findall(text)]


def ends_sentence(raw: str) -> bool:
    return bool(_SENTENCE_END.search(_MARKERS.sub("", raw).rstrip()))


@dataclass
class _Draft:
    first_line: int
    last_line: int
    parts: list[str]
    subs: list[list[str]] = field(default_factory=list)

    def append(self, line: int, text: str, to_sub: bool) -> None:
        (self.subs[-1] if to_sub and self.subs else self.parts).append(text)
        self.last_line = line

    @property
    def last_raw(self) -> str:
        return (self.subs[-1] if self.subs else self.parts)[-1]


class _SectionParser:
    def __init__(self, source: Source, lines: list[str], objective: int, first: int, last: int):
        self._continuations: set[int] = set()
        self.source = source
        self.lines = lines
        self.objective = objective
        self.first = first
        self.last = last

    def fail(self, line: int, expected: str) -> SourceError:
        return SourceError(self.source.path, line, expected, self.lines[line - 1].strip())

    def content(self, start: int, stop: int) -> list[tuple[int, str]]:
        """Non-blank (line number, text) pairs of lines start..stop-1."""
        return [(n, self.lines[n - 1]) for n in range(start, stop) if self.lines[n - 1].strip()]

    def find(self, test, start: int, what: str) -> int:
        for number in range(start, self.last + 1):
            if test(self.lines[number - 1].strip()):
                return number
        raise self.fail(start, what)

    def parse(self) -> BookletSection:
        title_line = self.find(bool, self.first + 1, "the objective's title")
        actions_at = self.find(lambda t: t == _ACTIONS, title_line + 1, _ACTIONS)
        practices_at = self.find(lambda t: t == _PRACTICES, actions_at + 1, _PRACTICES)
        sdgs_at = self.find(lambda t: bool(_SDGS.match(t)), practices_at + 1, "RELEVANT SDGs")
        practices = self.practices(practices_at + 1, sdgs_at)
        footnotes = self.footnotes(practices_at, sdgs_at)
        return BookletSection(
            objective=self.objective,
            title=self.lines[title_line - 1].strip(),
            heading_line=self.first,
            title_line=title_line,
            last_line=self.last,
            actions=tuple(self.actions(actions_at + 1, practices_at)),
            practices=tuple(practices),
            footnotes=footnotes,
        )

    def actions(self, start: int, stop: int) -> list[BookletAction]:
        actions = []
        for number, text in self.content(start, stop):
            match = _ACTION.match(text)
            if match is None:
                raise self.fail(number, "an associated action '- (a) ...'")
            actions.append(
                BookletAction(
                    self.objective, match.group("letter"), clean(match.group("text")), number
                )
            )
        return actions

    def footnotes(self, practices_at: int, sdgs_at: int) -> dict[int, BookletFootnote]:
        """Every footnote defined in the section, with its continuation lines."""
        notes: dict[int, list] = {}
        current: int | None = None
        for number, text in self.content(self.first, self.last + 1):
            definition = footnote_definition(text)
            if definition is not None and _MARKERS.match(text.strip()):
                current = definition[0]
                notes[current] = [definition[1], number, number]
            elif current is not None and self.continues_footnote(
                number, text, practices_at, sdgs_at
            ):
                notes[current][0] += " " + text.strip()
                notes[current][2] = number
            else:
                current = None
        return {
            n: BookletFootnote(n, footnote_text(t), first, last)
            for n, (t, first, last) in notes.items()
        }

    def continues_footnote(self, number: int, text: str, practices_at: int, sdgs_at: int) -> bool:
        if _BULLET.match(text) or _SDGS.match(text.strip()) or text.strip().startswith("SDG"):
            return False
        if practices_at < number < sdgs_at:
            return number not in self._continuations
        return number > sdgs_at

    def practices(self, start: int, stop: int) -> list[Practice]:
        drafts: list[_Draft] = []
        after_footnote = False
        rows = self.content(start, stop)
        for index, (number, text) in enumerate(rows):
            if footnote_definition(text) is not None and _MARKERS.match(text.strip()):
                after_footnote = True
                continue
            bullet = _BULLET.match(text)
            if bullet is not None:
                nested = bool(bullet.group("indent")) or (
                    after_footnote and self.resumes_sub_list(drafts, rows, index)
                )
                if nested:
                    if not drafts:
                        raise self.fail(number, "a practice before its sub-bullet")
                    drafts[-1].subs.append([bullet.group("text")])
                    drafts[-1].last_line = number
                else:
                    drafts.append(_Draft(number, number, [bullet.group("text")]))
                after_footnote = False
            elif drafts and not ends_sentence(drafts[-1].last_raw):
                drafts[-1].append(number, text.strip(), to_sub=bool(drafts[-1].subs))
                self._continuations.add(number)
                after_footnote = False
            elif not after_footnote:
                raise self.fail(number, "a practice bullet, a footnote or its continuation")
        return _with_ids([self.practice(d) for d in drafts])

    @staticmethod
    def resumes_sub_list(drafts: list[_Draft], rows: list[tuple[int, str]], index: int) -> bool:
        """True for a bullet between two runs of sub-bullets, its indentation lost to a page."""
        if not drafts or not drafts[-1].subs:
            return False
        following = next((t for _, t in rows[index + 1 :] if not footnote_definition(t)), "")
        match = _BULLET.match(following)
        return bool(match and match.group("indent"))

    def practice(self, draft: _Draft) -> Practice:
        raw_parts = draft.parts + [p for sub in draft.subs for p in sub]
        markers = [n for part in raw_parts for n in footnote_markers(part)]
        parent = join_wrapped([clean(p) for p in draft.parts])
        subs = tuple(join_wrapped([clean(p) for p in sub]) for sub in draft.subs)
        text = "\n".join([parent, *(f"- {s}" for s in subs)])
        return Practice(
            id="",
            objective=self.objective,
            title=practice_title(" ".join(draft.parts)),
            text=text,
            first_line=draft.first_line,
            last_line=draft.last_line,
            footnotes=tuple(dict.fromkeys(markers)),
            sub_items=subs,
        )


def practice_title(raw: str) -> str:
    """The practice's lead: its bold sentence, trimmed to one sentence of at most TITLE_MAX.

    A bold span of 3+ words that opens the item or a sentence is the title. Otherwise (no bold,
    or bold inside a sentence: "In 2019, **the national Taskforce ...**") the item's first
    sentence is.
    """
    text = clean(raw)
    bold = next((b for b in _BOLD.finditer(raw) if len(clean(b.group(1)).split()) >= 3), None)
    if bold is None:
        title = text
    else:
        lead = clean(bold.group(1))
        prefix = clean(raw[: bold.start()])
        # inside a later sentence, the bold is a detail: the item's first sentence leads
        title = lead if not prefix or ends_sentence(prefix) else text
    end = _SENTENCE_BREAK.search(title)
    title = (title[: end.start() + 1] if end else title).strip().rstrip(".:;,").strip()
    if len(title) > TITLE_MAX:
        cut = title[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
        title = cut + "…"
    return title


def practice_id(objective: int, title: str) -> str:
    """'booklet-o07-' and the first words of the title: stable when items move or are added."""
    words = slugify(title).split("-")[:ID_WORDS]
    return f"booklet-o{objective:02d}-" + "-".join(words)


def _with_ids(practices: list[Practice]) -> list[Practice]:
    """Give each practice its id; practices whose titles start alike get a text hash too."""
    ids = [practice_id(p.objective, p.title) for p in practices]
    result = []
    for practice, base in zip(practices, ids, strict=True):
        unique = base
        if ids.count(base) > 1:
            unique += "-" + hashlib.sha1(practice.text.encode("utf-8")).hexdigest()[:6]
        result.append(_replace_id(practice, unique))
    return result


def _replace_id(practice: Practice, new_id: str) -> Practice:
    from dataclasses import replace

    return replace(practice, id=new_id)
