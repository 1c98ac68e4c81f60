"""The cross-check of a secondary list against the resolution, on hand-made and real input."""

from __future__ import annotations

import pytest

from gcm_graph.crosscheck import check_objective_list
from gcm_graph.extract.objective_list import ListedAction, ListedObjective, parse_objective_list
from gcm_graph.extract.resolution import parse_resolution
from gcm_graph.sources import load_verified


@pytest.fixture(scope="module")
def resolution():
    return parse_resolution(load_verified()["resolution"])


def listed_copy(resolution, **changes):
    """The resolution's own objectives as a list, with some objectives replaced."""
    items = []
    for o in resolution.objectives:
        actions = tuple(ListedAction(a.letter, a.text, a.first_line) for a in o.actions)
        items.append(ListedObjective(o.number, o.title, 1, 1, changes.get(f"o{o.number}", actions)))
    return items


def test_identical_list_has_no_findings(resolution):
    assert check_objective_list(resolution, listed_copy(resolution)) == []


def test_missing_extra_and_reworded_actions(resolution):
    o3 = resolution.objective(3).actions
    actions = [ListedAction(a.letter, a.text, 10 + i) for i, a in enumerate(o3[:4])]  # (e) missing
    actions[1] = ListedAction("b", actions[1].text.replace("Promote", "Forbid"), 11)
    actions[2] = ListedAction("c", actions[2].text.replace(" the ", " "), 12)
    findings = check_objective_list(resolution, listed_copy(resolution, o3=tuple(actions)))
    kinds = {(f.check, f.severity, f.subject) for f in findings}
    assert kinds == {
        ("action-missing", "substantive", "objective 3 action (e)"),
        ("action-wording", "substantive", "objective 3 action (b)"),
        ("action-wording", "trivial", "objective 3 action (c)"),
    }
    extra = (*(ListedAction(a.letter, a.text, 1) for a in o3), ListedAction("f", "Do more.", 9))
    findings = check_objective_list(resolution, listed_copy(resolution, o3=extra))
    assert [(f.check, f.subject) for f in findings] == [("action-extra", "objective 3 action (f)")]


def test_a_list_copied_from_another_objective_is_named_as_a_copy(resolution):
    o5 = tuple(ListedAction(a.letter, a.text, 1) for a in resolution.objective(5).actions)
    findings = check_objective_list(resolution, listed_copy(resolution, o9=o5))
    assert [(f.check, f.subject, f.details["copied_from_objective"]) for f in findings] == [
        ("action-list-copied", "objective 9", 5)
    ]


def test_the_real_list(resolution):
    listed = parse_objective_list(load_verified()["objective-list"])
    findings = check_objective_list(resolution, listed)
    copied = [f for f in findings if f.check == "action-list-copied"]
    assert [(f.subject, f.details["copied_from_objective"]) for f in copied] == [
        ("objective 20", 2)
    ]
    # Its title is Objective 2's too (line 239 of the list).
    titles = [f for f in findings if f.check == "objective-title-copied"]
    assert [(f.subject, f.details["copied_from_objective"]) for f in titles] == [
        ("objective 20", 2)
    ]
    # Title case only ("Facilitate Fair And Ethical Recruitment ...", line 67): trivial.
    o6 = [
        f for f in findings if f.subject == "objective 6" and f.check == "objective-title-differs"
    ]
    assert [f.severity for f in o6] == ["trivial"]
    # Objective 1 (d): "with a view to inform" (list) vs "with a view to informing" (resolution).
    o1d = [f for f in findings if f.subject == "objective 1 action (d)"]
    assert o1d[0].severity == "substantive"
    assert {"resolution": "informing", "other": "inform"} in o1d[0].details["changes"]
