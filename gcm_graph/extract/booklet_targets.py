"""The "RELEVANT SDGs" section of each objective of the implementation booklet.

A section runs from its heading ("RELEVANT SDGs", once "RELEVANT SDGs AND INTERNATIONAL
FRAMEWORKS") to the next "GCM Objective N" heading (or "Useful websites" after objective 23). It
holds goal headings ("SDG 10: Reduced inequalities") and target items
("- **10.7:** Facilitate orderly, ..."), and sometimes prose instead of, or before, a list.

What the booklet says is kept apart by kind, never merged or expanded:
- `ListedTarget`: a target item of the list: the objective's relevant targets.
- `AllGoalsStatement`: the section says all SDGs are relevant, in its own words: "All SDGs" as
  a sub-heading (objectives 2 and 19), or a sentence saying all SDGs "are relevant" (objective
  19, line 1166). It is NOT expanded into 17 goals or 169 targets. A sentence that only names
  all the SDGs is not such a statement: objective 23's "good migration governance can become
  an accelerators towards all 17 Sustainable Development Goals depending on country context"
  (line 1379) goes on "In particular, the following SDG targets ... are relevant" and lists
  its targets; the list is what the section says is relevant.
- `ProseMention`: a goal or target named in the prose ("SDG 1 on poverty", "SDG 17.14: Enhance
  policy coherence ..." in objective 2): a mention, weaker than a listing.

PDF artefacts handled (each has a test): footnote definitions between items or before the first
goal heading, and their unmarked continuation lines (URLs, a citation); a code printed with a
wrong separator ("17:18"); a closing quote left after the target text ("... policies”); booklet
commentary run on after the quoted target text (objective 7, 17.14); page headers.
Anything else in a section stops the build with the file and line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..compare import SAME, SUBSTANTIVE, TRIVIAL, similarity, wording_key
from ..errors import SourceError
from ..sources import Source
from ..text import Line, footnote_definition, is_page_header, numbered, strip_footnote_markers
from .sdg_kos import code_key

OBJECTIVE_COUNT = 23
_OBJECTIVE_HEADING = re.compile(r"^GCM Objective (\d{1,2})$")
_SECTION_HEADING = re.compile(r"^RELEVANT SDGs(?: AND INTERNATIONAL FRAMEWORKS)?$")
_SECTION_END = re.compile(r"^Useful websites$")
_GOAL_HEADING = re.compile(r"^SDG\s*(\d{1,2})\s*:\s*(\S.*)$")
_ITEM = re.compile(r"^- \*\*(\d{1,2})\s*([.:])\s*(\d{1,2}|[a-z])\s*:\*\*\s*(\S.*)$")
_ALL_GOALS_HEADING = re.compile(r"^All SDGs\s*:?$")
_ALL_GOALS_PHRASE = re.compile(
    r"\ball (?:the )?(?:17 )?(?:SDGs|Sustainable Development Goals) (?:are|is) relevant\b",
    re.IGNORECASE,
)
_PROSE_MENTION = re.compile(r"\bSDG\s*(\d{1,2})(?:\.(\d{1,2}|[a-z]))?\b(?::\s*([^.]+))?")
_CLOSING_QUOTES = '”"'


@dataclass(frozen=True)
class ListedTarget:
    """One item of a section's list: `- **10.7:** Facilitate orderly, ...`."""

    objective: int
    code: str
    """The code with the separator repaired ("17.18")."""
    printed_code: str
    """The code as printed ("17:18")."""
    wording: str
    """The target text as printed (footnote markers, a dangling quote and commentary removed)."""
    commentary: str | None
    """Booklet text run on after the quoted target text, if any."""
    goal_heading: int
    """The goal of the "SDG n: ..." heading the item is listed under."""
    line: int
    artefacts: tuple[str, ...] = ()

    @property
    def goal(self) -> int:
        return int(self.code.split(".")[0])


@dataclass(frozen=True)
class AllGoalsStatement:
    objective: int
    phrase: str
    """The words that say so, as printed ("All SDGs", "all 17 Sustainable Development Goals")."""
    line: int


@dataclass(frozen=True)
class ProseMention:
    objective: int
    code: str
    """A goal number ("13") or a target code ("17.14")."""
    quotation: str
    """The mention as printed ("SDG 13", "SDG 17.14: Enhance policy coherence for ...")."""
    wording: str | None
    """For a target quoted with its text after a colon: that text."""
    line: int

    @property
    def is_target(self) -> bool:
        return "." in self.code


@dataclass(frozen=True)
class SkippedLine:
    line: int
    reason: str
    """'footnote', 'footnote-continuation' or 'page-header'."""


@dataclass(frozen=True)
class SdgSection:
    objective: int
    heading_line: int
    last_line: int
    goal_headings: tuple[tuple[int, str, int], ...]
    """(goal, name as printed, line)."""
    targets: tuple[ListedTarget, ...]
    all_goals: tuple[AllGoalsStatement, ...]
    mentions: tuple[ProseMention, ...]
    skipped: tuple[SkippedLine, ...]


@dataclass(frozen=True)
class BookletTargets:
    sections: tuple[SdgSection, ...]

    def section(self, objective: int) -> SdgSection:
        return next(s for s in self.sections if s.objective == objective)


def parse_booklet_targets(source: Source) -> BookletTargets:
    """The RELEVANT SDGs section of each of the 23 objectives, in objective order."""
    lines = numbered(source.lines())
    sections = [
        _parse_section(source, objective, body) for objective, body in _sections(source, lines)
    ]
    numbers = [s.objective for s in sections]
    if numbers != list(range(1, OBJECTIVE_COUNT + 1)):
        missing = sorted(set(range(1, OBJECTIVE_COUNT + 1)) - set(numbers))
        found = f"none for objective(s) {missing}" if missing else f"the order {numbers}"
        raise SourceError(
            source.path,
            lines[-1].number if lines else 1,
            f"one RELEVANT SDGs section for each objective 1-{OBJECTIVE_COUNT}, in order",
            found,
        )
    return BookletTargets(tuple(sections))


def relevant_target_codes(targets: BookletTargets) -> dict[int, list[str]]:
    """{objective number: its listed target codes, sorted in the UN's order} for all 23 objectives.

    Only listed targets: "All SDGs" statements and prose mentions are not expanded into codes.
    """
    return {
        s.objective: sorted({t.code for t in s.targets}, key=code_key) for s in targets.sections
    }


def _sections(source: Source, lines: list[Line]) -> list[tuple[int, list[Line]]]:
    """(objective, lines from its RELEVANT SDGs heading to the section's end)."""
    found: list[tuple[int, list[Line]]] = []
    objective: int | None = None
    body: list[Line] | None = None
    for line in lines:
        text = line.text.strip()
        heading = _OBJECTIVE_HEADING.match(text)
        if heading or _SECTION_END.match(text):
            body = None
            objective = int(heading.group(1)) if heading else None
        elif _SECTION_HEADING.match(text):
            if objective is None:
                raise SourceError(source.path, line.number, "a GCM Objective heading before", text)
            if any(number == objective for number, _ in found):
                raise SourceError(source.path, line.number, "one section per objective", text)
            body = [line]
            found.append((objective, body))
        elif body is not None:
            body.append(line)
    return found


@dataclass
class _SectionState:
    goal: int | None = None
    in_footnote: bool = False
    listing_started: bool = False
    goal_headings: list[tuple[int, str, int]] = field(default_factory=list)
    targets: list[ListedTarget] = field(default_factory=list)
    all_goals: list[AllGoalsStatement] = field(default_factory=list)
    mentions: list[ProseMention] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)


def _parse_section(source: Source, objective: int, body: list[Line]) -> SdgSection:
    state = _SectionState()
    for line in body[1:]:
        _read_line(source, objective, line, state)
    last = max((ln.number for ln in body if ln.text.strip()), default=body[0].number)
    return SdgSection(
        objective=objective,
        heading_line=body[0].number,
        last_line=last,
        goal_headings=tuple(state.goal_headings),
        targets=tuple(state.targets),
        all_goals=tuple(state.all_goals),
        mentions=tuple(state.mentions),
        skipped=tuple(state.skipped),
    )


def _read_line(source: Source, objective: int, line: Line, state: _SectionState) -> None:
    text = line.text.strip()
    if not text:
        return
    if is_page_header(text):
        state.skipped.append(SkippedLine(line.number, "page-header"))
    elif footnote_definition(text) is not None:
        state.skipped.append(SkippedLine(line.number, "footnote"))
        state.in_footnote = True
    elif goal := _GOAL_HEADING.match(text):
        state.goal, state.in_footnote, state.listing_started = int(goal.group(1)), False, True
        state.goal_headings.append((state.goal, goal.group(2).strip(), line.number))
    elif text.startswith("- "):
        state.targets.append(_listed_target(source, objective, line, state.goal))
        state.in_footnote = False
    elif _ALL_GOALS_HEADING.match(text):
        state.all_goals.append(AllGoalsStatement(objective, text.rstrip(" :"), line.number))
    elif state.in_footnote:
        state.skipped.append(SkippedLine(line.number, "footnote-continuation"))
    elif not state.listing_started:
        state.all_goals += [
            AllGoalsStatement(objective, m.group(0), line.number)
            for m in _ALL_GOALS_PHRASE.finditer(text)
        ]
        state.mentions += _prose_mentions(objective, line)
    else:
        raise SourceError(
            source.path, line.number, "a goal heading, a target item or a footnote", text
        )


def _listed_target(source: Source, objective: int, line: Line, goal: int | None) -> ListedTarget:
    match = _ITEM.match(line.text.strip())
    if match is None:
        raise SourceError(source.path, line.number, "a target item '- **10.7:** text'", line.text)
    if goal is None:
        raise SourceError(source.path, line.number, "an 'SDG n: ...' heading before", line.text)
    goal_part, separator, target_part, text = match.groups()
    artefacts = []
    if separator != ".":
        artefacts.append(f"code separator '{separator}' instead of '.'")
    wording, commentary, text_artefacts = split_wording(strip_footnote_markers(text))
    return ListedTarget(
        objective=objective,
        code=f"{goal_part}.{target_part}",
        printed_code=f"{goal_part}{separator}{target_part}",
        wording=wording,
        commentary=commentary,
        goal_heading=goal,
        line=line.number,
        artefacts=tuple(artefacts + text_artefacts),
    )


def split_wording(text: str) -> tuple[str, str | None, list[str]]:
    """(target wording, booklet commentary run on after it, artefacts found).

    The booklet closes a quoted target text with a quote even where it never opened one; text
    after that quote is the booklet's own ('... development” which can be achieved by ...').
    """
    text = " ".join(text.split())
    quote = re.search(rf"[{_CLOSING_QUOTES}](?=\s|$)", text)
    if quote is None:
        return text, None, []
    wording, rest = text[: quote.start()].rstrip(), text[quote.end() :].strip()
    if rest:
        return wording, rest, ["booklet commentary after the closing quote"]
    return wording, None, ["dangling closing quote"]


def _prose_mentions(objective: int, line: Line) -> list[ProseMention]:
    mentions = []
    for match in _PROSE_MENTION.finditer(line.text):
        goal, target, wording = match.groups()
        code = f"{goal}.{target}" if target else goal
        quoted = wording.strip() if (target and wording) else None
        quotation = match.group(0).strip() if quoted else match.group(0).split(":")[0].strip()
        mentions.append(ProseMention(objective, code, quotation, quoted, line.number))
    return mentions


# --- comparing a printed wording with the official text --------------------------------------

TRIVIAL_WORDS = 2
"""At most this many words added, removed or replaced is a trivial difference (a plural, a
truncated last word); more is substantive."""
SAME_TEXT_RATIO = 0.8
"""Word similarity from which a printed text is taken to be a given target's text."""


@dataclass(frozen=True)
class WordingDifference:
    level: str
    """'same' (whitespace and punctuation only), 'trivial' or 'substantive'."""
    words_changed: int
    """Words added, removed or replaced, once case, hyphens and articles are set aside."""
    ratio: float


def compare_wording(printed: str, official: str) -> WordingDifference:
    """How a printed target text differs from the official one.

    Built on the project's shared comparison (gcm_graph.compare): 'same' when only spacing and
    punctuation differ, 'trivial' for case, hyphenation, articles or at most TRIVIAL_WORDS
    changed words, else 'substantive'.
    """
    if _words(printed) == _words(official):
        return WordingDifference(SAME, 0, 1.0)
    a, b = wording_key(official), wording_key(printed)
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")
    level = TRIVIAL if changed <= TRIVIAL_WORDS else SUBSTANTIVE
    return WordingDifference(level, changed, round(similarity(official, printed), 3))


def best_matching_code(printed: str, official: Iterable[tuple[str, str]]) -> tuple[str, float]:
    """The code whose official text the printed text is closest to, and the similarity."""
    scored = sorted(
        ((code, similarity(text, printed)) for code, text in official), key=lambda s: code_key(s[0])
    )
    return max(scored, key=lambda s: s[1])


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)
