"""What the sources say about international instruments: where they name one, the name they give
it, and the years they state for it (with what the year means).

Readers, one per kind of text:
- the booklet's section "International frameworks underpinning the GCM" (headings such as
  "Universal Declaration of Human Rights (UDHR), 1948", ILO bullets "... of 1949 (ILO Convention
  No. 97)", and sentences "... (entering into force in 2003)", "Adopted ... in 2015");
- the resolution's preamble records (paragraph 2, footnotes 4 and 13) and any resolution text
  (actions, commitments, paragraphs), e.g. "ILO Social Protection Floors Recommendation, 2012
  (No. 202)";
- any other text line by line (GFMD, IDM): mentions, and years printed as "the 1990 <name>" or
  "<name> (ACRONYM), <symbol>, 1948" (adoption years by citation convention).

What a year means: a year in a heading "<name>, 1948", in "<name> of 1949" or "<name>, 2012
(No. 202)" is the adoption year (the UDHR entry confirms it: "Adopted ... on 10 December 1948");
"entered into force", "entry into force", "came into effect" give the entry-into-force year;
"endorsed" the year the General Assembly endorsed an outcome adopted elsewhere.
"""

from __future__ import annotations

import re
import re._constants
import re._parser
from dataclasses import dataclass, field
from functools import cache

from ..errors import SourceError
from ..sources import Source
from ..text import normalize_space, strip_footnote_markers
from .instrument_catalogue import InstrumentEntry, compiled, ilo_entry
from .records import PreambleInstrument, Resolution

ADOPTION = "adoption"
ENTRY_INTO_FORCE = "entry-into-force"
ENDORSEMENT = "endorsement"

FRAMEWORKS_HEADING = "International frameworks underpinning the GCM"
FRAMEWORKS_END = "GCM Objective 1"


@dataclass(frozen=True)
class InstrumentMention:
    slug: str
    text: str
    start: int
    end: int
    is_name: bool
    """True when the words are a full title (a claim about its name), not an acronym."""


@dataclass(frozen=True)
class Reference:
    slug: str
    source: str
    first_line: int
    last_line: int
    text: str


@dataclass(frozen=True)
class YearClaim:
    slug: str
    fact: str
    year: int
    source: str
    line: int
    evidence: str


@dataclass(frozen=True)
class NameClaim:
    slug: str
    name: str
    source: str
    line: int


@dataclass(frozen=True)
class Citation:
    slug: str
    text: str
    line: int


@dataclass
class Evidence:
    """Everything one reader found; evidence from several readers is concatenated."""

    references: list[Reference] = field(default_factory=list)
    years: list[YearClaim] = field(default_factory=list)
    names: list[NameClaim] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    unresolved: list[tuple[str, str, int]] = field(default_factory=list)
    """(source, printed name, line) of instruments the catalogue does not know."""

    def extend(self, other: Evidence) -> Evidence:
        self.references += other.references
        self.years += other.years
        self.names += other.names
        self.citations += other.citations
        self.unresolved += other.unresolved
        return self


def required_literal(pattern: re.Pattern[str]) -> str:
    """The longest run of plain characters that every match of `pattern` contains ('' if none
    is sure): outside groups, alternatives, repeats and classes; nothing if case is ignored."""
    parsed = re._parser.parse(pattern.pattern, pattern.flags)
    if parsed.state.flags & re.IGNORECASE:
        return ""
    longest, run = "", ""
    for op, value in parsed:
        run = run + chr(value) if op is re._constants.LITERAL else ""
        longest = max(longest, run, key=len)
    return longest


@cache
def _keyed_patterns() -> tuple[tuple[str, re.Pattern[str], InstrumentEntry, bool], ...]:
    return tuple((required_literal(p), p, item, is_name) for p, item, is_name in compiled())


def find_instruments(text: str) -> list[InstrumentMention]:
    """Catalogued instruments `text` names, in order; at one place the longest match wins.

    A pattern runs only on texts that contain its required literal: most texts name no
    instrument, and `in` is far cheaper than running the ~80 patterns (same matches)."""
    candidates = [
        InstrumentMention(item.slug, m.group(0), m.start(), m.end(), is_name)
        for literal, pattern, item, is_name in _keyed_patterns()
        if literal in text
        for m in pattern.finditer(text)
    ]
    candidates.sort(key=lambda c: (c.start, -(c.end - c.start), not c.is_name))
    chosen: list[InstrumentMention] = []
    for candidate in candidates:
        if not chosen or candidate.start >= chosen[-1].end:
            chosen.append(candidate)
    return chosen


# -- the booklet's frameworks section -------------------------------------------------------

_ILO_BULLET = re.compile(
    r"^-\s+(?P<name>.+?) of (?P<year>\d{4}) \(ILO (?P<kind>Convention|Recommendation) "
    r"No\. (?P<no>\d+)\)\s*$"
)
_HEADING_YEAR = re.compile(r",\s*(?P<year>\d{4}):?\s*$")
_EVENT = re.compile(
    r"\b(?P<kw>[Aa]dopted|endorsed|entered into force|entering into force|entry into force|"
    r"came into effect|came into force)\b"
)
_EVENT_FACT = {"adopted": ADOPTION, "endorsed": ENDORSEMENT}
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def booklet_frameworks(source: Source) -> Evidence:
    """The instruments of the booklet's frameworks section, with their names and years."""
    lines = source.lines()
    start = _line_of(lines, FRAMEWORKS_HEADING, source)
    stop = _line_of(lines, FRAMEWORKS_END, source, after=start)
    evidence = Evidence()
    heading: str | None = None
    for number in range(start + 1, stop):
        text = lines[number - 1].strip()
        if not text:
            continue
        ilo = _ILO_BULLET.match(text)
        if ilo is not None:
            evidence.extend(_ilo_bullet(ilo, source.id, number))
            continue
        mentions = find_instruments(text)
        evidence.references += [_reference(m, source.id, number) for m in mentions]
        if _is_heading(text):
            evidence.names += [
                NameClaim(m.slug, m.text, source.id, number) for m in mentions if m.is_name
            ]
            slugs = {m.slug for m in mentions}
            heading = slugs.pop() if len(slugs) == 1 else None
            year = _HEADING_YEAR.search(text)
            if heading is not None and year is not None:
                evidence.years.append(
                    YearClaim(heading, ADOPTION, int(year.group("year")), source.id, number, text)
                )
        evidence.years += event_years(text, mentions, heading, source.id, number)
    return evidence


def _line_of(lines: list[str], text: str, source: Source, after: int = 0) -> int:
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1].strip() == text:
            return number
    raise SourceError(source.path, after + 1, f"a line {text!r}")


def _is_heading(text: str) -> bool:
    """A heading line: short, not a bullet, not a sentence ending with a full stop."""
    return len(text) < 250 and not text.startswith("-") and not text.rstrip().endswith(".")


def _ilo_bullet(match: re.Match[str], source: str, line: int) -> Evidence:
    kind = "C" if match.group("kind") == "Convention" else "R"
    item = ilo_entry(kind, int(match.group("no")))
    if item is None:
        return Evidence(unresolved=[(source, match.group("name"), line)])
    return Evidence(
        references=[Reference(item.slug, source, line, line, match.group(0).lstrip("- "))],
        years=[
            YearClaim(
                item.slug,
                ADOPTION,
                int(match.group("year")),
                source,
                line,
                match.group(0).lstrip("- "),
            )
        ],
        names=[NameClaim(item.slug, match.group("name"), source, line)],
    )


def event_years(
    text: str, mentions: list[InstrumentMention], heading: str | None, source: str, line: int
) -> list[YearClaim]:
    """Years stated with an event word ('adopted', 'entered into force', 'endorsed').

    The instrument is the last one named before the event word in the same sentence, else the
    instrument of the heading the paragraph describes ("Adopted by the General Assembly on ...").
    The year is the first one after the event word, before the next event word.
    """
    claims = []
    for sentence in _sentences(text):
        events = list(_EVENT.finditer(sentence.group(0)))
        for index, event in enumerate(events):
            begin = sentence.start() + event.start()
            end = sentence.start() + (
                events[index + 1].start() if index + 1 < len(events) else len(sentence.group(0))
            )
            year = _YEAR.search(text, begin, end)
            before = [m for m in mentions if sentence.start() <= m.start and m.end <= begin]
            slug = before[-1].slug if before else heading
            if year is None or slug is None:
                continue
            fact = _EVENT_FACT.get(event.group("kw").lower(), ENTRY_INTO_FORCE)
            evidence = text[begin : year.end()]
            claims.append(YearClaim(slug, fact, int(year.group(0)), source, line, evidence))
    return claims


def _sentences(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"[^.!?]+(?:[.!?]+|$)", text)) if text else []


def _reference(mention: InstrumentMention, source: str, line: int) -> Reference:
    return Reference(mention.slug, source, line, line, mention.text)


# -- the resolution --------------------------------------------------------------------------

_ILO_TITLE = re.compile(
    r"(?:ILO |International Labour Organization )?(?P<name>[A-Z][\w ()]*? "
    r"(?P<kind>Convention|Recommendation)(?: \(Revised\))?), (?P<year>\d{4}) \(No\. (?P<no>\d+)\)"
)


def resolution_evidence(resolution: Resolution, source: str = "resolution") -> Evidence:
    """The preamble's instruments with their citations, and every text of the resolution."""
    evidence = Evidence()
    collective = {r.group for r in resolution.instruments if r.group}
    series = ""
    for record in resolution.instruments:
        if record.name in collective:
            continue
        evidence.extend(_preamble_record(record, source))
        if record.citation and not record.group:
            citation, series = _expand_ibid(record.citation, series)
            slug = resolve_name(record.name)
            if slug is not None:
                evidence.citations.append(Citation(slug, citation, record.line))
    texts = [(a.text, a.first_line, a.last_line) for a in resolution.actions]
    texts += [(o.commitment_text, *o.commitment_lines) for o in resolution.objectives]
    texts += [(p.text, p.first_line, p.last_line) for p in resolution.paragraphs]
    for text, first, last in texts:
        evidence.extend(text_evidence(text, source, first, last))
    return evidence


def _preamble_record(record: PreambleInstrument, source: str) -> Evidence:
    slug = resolve_name(record.name)
    if slug is None:
        return Evidence(unresolved=[(source, record.name, record.line)])
    evidence = Evidence(
        references=[Reference(slug, source, record.line, record.line, record.name)],
        names=[NameClaim(slug, record.name, source, record.line)],
    )
    ilo = re.match(r"ILO Convention No\. (\d+), (\d{4})$", record.citation or "")
    if ilo is not None:
        evidence.years.append(
            YearClaim(
                slug,
                ADOPTION,
                int(ilo.group(2)),
                source,
                record.line,
                f"{record.name}, {ilo.group(2)} (No. {ilo.group(1)})",
            )
        )
    return evidence


def resolve_name(name: str) -> str | None:
    """The catalogue slug of an instrument named exactly (the name must be one full match)."""
    mentions = [m for m in find_instruments(name) if m.is_name]
    covering = [m for m in mentions if m.end - m.start >= len(name.strip()) * 0.8]
    return covering[0].slug if covering else None


def _expand_ibid(citation: str, series: str) -> tuple[str, str]:
    """'Ibid., vol. 2237, No. 39574.' -> the series of the citation before it, spelled out."""
    text = normalize_space(citation.replace("*", ""))
    if text.startswith("Ibid.,") and series:
        text = series + text.removeprefix("Ibid.")
    match = re.match(r"^(.*?Treaty Series)", text)
    return text, (match.group(1) if match else series)


def text_evidence(text: str, source: str, first: int, last: int) -> Evidence:
    """Mentions in one text, and ILO titles with their adoption year."""
    text = strip_footnote_markers(text)
    evidence = Evidence(
        references=[Reference(m.slug, source, first, last, m.text) for m in find_instruments(text)]
    )
    for match in _ILO_TITLE.finditer(text):
        item = ilo_entry(match.group("kind")[0], int(match.group("no")))
        if item is None:
            evidence.unresolved.append((source, match.group(0), first))
            continue
        evidence.names.append(NameClaim(item.slug, match.group("name"), source, first))
        evidence.years.append(
            YearClaim(item.slug, ADOPTION, int(match.group("year")), source, first, match.group(0))
        )
    return evidence


# -- any other document, line by line --------------------------------------------------------

_YEAR_BEFORE = re.compile(r"\b[Tt]he (?P<year>(?:19|20)\d{2}) $")
_YEAR_AFTER = re.compile(
    r"^(?: \([^)]{2,40}\))?(?:, [A-Z]+/[\w/.()]+)?, (?P<year>(?:19|20)\d{2})(?=[,.;]|$)"
)


def document_evidence(source: Source) -> Evidence:
    """Mentions in every line, and adoption years printed beside a name by citation convention."""
    evidence = Evidence()
    for number, raw in enumerate(source.lines(), start=1):
        if not raw.strip():
            continue
        text = strip_footnote_markers(raw).replace("*", "").replace("_", " ")
        mentions = find_instruments(text)
        for mention in mentions:
            evidence.references.append(_reference(mention, source.id, number))
            before = _YEAR_BEFORE.search(text[: mention.start])
            after = None if before else _YEAR_AFTER.match(text[mention.end :])
            year = before or after
            if year is not None:
                # The words that state it: "the 1990 <name>" or "<name> (ACRONYM), 1948".
                first = before.start() if before else mention.start
                last = mention.end + after.end() if after else mention.end
                words = normalize_space(text[first:last])
                evidence.years.append(
                    YearClaim(
                        mention.slug, ADOPTION, int(year.group("year")), source.id, number, words
                    )
                )
    return evidence
