"""Cross-check of the structured objective list against the resolution.

The resolution is the authority: every finding says how the list departs from it. A list of
actions that equals another objective's list is reported as a copy, not as a run of differences.
"""

from __future__ import annotations

from .compare import SUBSTANTIVE, TRIVIAL, classify_wording, similarity, word_changes
from .extract.objective_list import ListedObjective
from .extract.records import Objective, Resolution
from .report import Discrepancy

LIST = "objective-list"
RESOLUTION = "resolution"
# Two action lists are the same list when their actions match this well, letter by letter.
COPY_THRESHOLD = 0.9


def list_similarity(listed: ListedObjective, objective: Objective) -> float:
    """Mean word similarity of the actions, letter by letter, over the longer list."""
    pairs = zip(listed.actions, objective.actions, strict=False)
    total = sum(similarity(a.text, b.text) for a, b in pairs)
    return total / max(len(listed.actions), len(objective.actions))


def check_objective_list(
    resolution: Resolution, listed: list[ListedObjective]
) -> list[Discrepancy]:
    findings: list[Discrepancy] = []
    for item in listed:
        objective = resolution.objective(item.number)
        findings += _title_findings(item, objective, resolution)
        copied_from = _copied_from(item, resolution)
        if copied_from is not None:
            findings.append(_copy_finding(item, objective, copied_from))
            continue
        findings += _action_findings(item, objective)
    return findings


def _title_findings(
    item: ListedObjective, objective: Objective, resolution: Resolution
) -> list[Discrepancy]:
    kind = classify_wording(objective.title, item.title)
    if kind == "same":
        return []
    others = [o.number for o in resolution.objectives if o.number != item.number]
    copied = next(
        (
            n
            for n in others
            if classify_wording(resolution.objective(n).title, item.title) in ("same", TRIVIAL)
        ),
        None,
    )
    locations = {LIST: f"line {item.title_line}", RESOLUTION: f"line {objective.title_line}"}
    details = {"resolution": objective.title, "list": item.title}
    if copied is not None:
        return [
            Discrepancy(
                "objective-title-copied",
                SUBSTANTIVE,
                f"objective {item.number}",
                f"the list gives Objective {item.number} the title of Objective {copied}",
                locations,
                {**details, "copied_from_objective": copied},
            )
        ]
    return [
        Discrepancy(
            "objective-title-differs",
            kind,
            f"objective {item.number}",
            f"title differs from the resolution ({kind})",
            locations,
            details,
        )
    ]


def _copied_from(item: ListedObjective, resolution: Resolution) -> int | None:
    """The other objective whose action list this one reproduces, if any."""
    own = list_similarity(item, resolution.objective(item.number))
    if own >= COPY_THRESHOLD:
        return None
    best = max(
        (o for o in resolution.objectives if o.number != item.number),
        key=lambda o: list_similarity(item, o),
    )
    score = list_similarity(item, best)
    return best.number if score >= COPY_THRESHOLD and score > own else None


def _copy_finding(item: ListedObjective, objective: Objective, source: int) -> Discrepancy:
    return Discrepancy(
        "action-list-copied",
        SUBSTANTIVE,
        f"objective {item.number}",
        f"the list's actions for Objective {item.number} equal the actions of Objective "
        f"{source}, not Objective {item.number}'s own {len(objective.actions)} actions",
        {
            LIST: f"lines {item.actions[0].line}-{item.actions[-1].line}",
            RESOLUTION: f"lines {objective.actions[0].first_line}-{objective.actions[-1].last_line}",
        },
        {
            "copied_from_objective": source,
            "list_action_count": len(item.actions),
            "resolution_action_count": len(objective.actions),
        },
    )


def _action_findings(item: ListedObjective, objective: Objective) -> list[Discrepancy]:
    findings = []
    listed = {a.letter: a for a in item.actions}
    authoritative = {a.letter: a for a in objective.actions}
    for letter in sorted(set(authoritative) - set(listed)):
        action = authoritative[letter]
        findings.append(
            Discrepancy(
                "action-missing",
                SUBSTANTIVE,
                f"objective {item.number} action ({letter})",
                "the list lacks this action of the resolution",
                {RESOLUTION: f"line {action.first_line}"},
                {"resolution": action.text},
            )
        )
    for letter in sorted(set(listed) - set(authoritative)):
        action = listed[letter]
        findings.append(
            Discrepancy(
                "action-extra",
                SUBSTANTIVE,
                f"objective {item.number} action ({letter})",
                "the list has an action the resolution does not have",
                {LIST: f"line {action.line}"},
                {"list": action.text},
            )
        )
    for letter in sorted(set(listed) & set(authoritative)):
        ours, theirs = authoritative[letter], listed[letter]
        kind = classify_wording(ours.text, theirs.text)
        if kind == "same":
            continue
        details = {"resolution": ours.text, "list": theirs.text}
        if kind == SUBSTANTIVE:
            details["changes"] = word_changes(ours.text, theirs.text)
        findings.append(
            Discrepancy(
                "action-wording",
                kind,
                f"objective {item.number} action ({letter})",
                f"wording differs from the resolution ({kind})",
                {LIST: f"line {theirs.line}", RESOLUTION: f"line {ours.first_line}"},
                details,
            )
        )
    return findings
