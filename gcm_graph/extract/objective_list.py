"""Parser of the structured list of objectives and actions (a secondary copy of the GCM).

Its format: '# Objective N', '## Title: ...', '## Associated actions', then '- a. text' items.
Nothing from it enters the graph as GCM text; the cross-check compares it with the resolution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SourceError
from ..sources import Source
from ..text import normalize_space, numbered

_OBJECTIVE = re.compile(r"^#\s+Objective\s+(\d{1,2})\s*$")
_TITLE = re.compile(r"^##\s+Title:\s*(.+)$")
_ACTIONS = re.compile(r"^##\s+Associated actions\s*$")
_ACTION = re.compile(r"^-\s+([a-z])\.\s+(.+)$")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class ListedAction:
    letter: str
    text: str
    line: int


@dataclass(frozen=True)
class ListedObjective:
    number: int
    title: str
    line: int
    title_line: int
    actions: tuple[ListedAction, ...]


def parse_objective_list(source: Source) -> list[ListedObjective]:
    objectives: list[ListedObjective] = []
    current: dict | None = None

    def close(line: int) -> None:
        if current is None:
            return
        if current["title"] is None:
            raise SourceError(source.path, line, f"a '## Title:' line for Objective {current['n']}")
        if not current["actions"]:
            raise SourceError(source.path, line, f"actions '- a. ...' for Objective {current['n']}")
        objectives.append(
            ListedObjective(
                current["n"],
                current["title"],
                current["line"],
                current["title_line"],
                tuple(current["actions"]),
            )
        )

    lines = numbered(source.lines())
    for line in lines:
        text = line.text.strip()
        if not text or _ACTIONS.match(text):
            continue
        if match := _OBJECTIVE.match(text):
            close(line.number)
            expected = len(objectives) + 1
            if int(match.group(1)) != expected:
                raise SourceError(source.path, line.number, f"'# Objective {expected}'", text)
            current = {
                "n": expected,
                "title": None,
                "line": line.number,
                "title_line": 0,
                "actions": [],
            }
        elif current is None:
            raise SourceError(source.path, line.number, "'# Objective 1'", text)
        elif match := _TITLE.match(text):
            current["title"] = normalize_space(match.group(1))
            current["title_line"] = line.number
        elif match := _ACTION.match(text):
            expected = _LETTERS[len(current["actions"])]
            if match.group(1) != expected:
                raise SourceError(
                    source.path,
                    line.number,
                    f"action '{expected}.' of Objective {current['n']}",
                    text,
                )
            current["actions"].append(
                ListedAction(expected, normalize_space(match.group(2)), line.number)
            )
        elif current["actions"]:
            last = current["actions"][-1]
            current["actions"][-1] = ListedAction(
                last.letter, normalize_space(f"{last.text} {text}"), last.line
            )
        else:
            raise SourceError(source.path, line.number, "a title or an action", text)
    close(lines[-1].number if lines else 1)
    if len(objectives) != 23:
        raise SourceError(
            source.path,
            lines[-1].number if lines else 1,
            f"23 objectives (the list ends after Objective {len(objectives)})",
            "end of file",
        )
    return objectives
