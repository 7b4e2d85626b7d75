"""The quality check's first marks, worked out from the answers: each criterion for v1 answers
(``complete_answers()``) and for v2-shaped answers built from the ids in think-child-v2.md
(concerns inside each child, domestic abuse questions at the top level)."""

from __future__ import annotations

from typing import Any

import pytest

from app.review import quality
from app.review.quality import CRITERIA, prefill
from app.templating import templates
from tests.checklist.builders import child_answers, complete_answers


def v2_child(**overrides: Any) -> dict[str, Any]:
    """A v2 child: seen, spoken to alone, words and demeanour recorded, where tonight known,
    at school, and saw domestic abuse (a per-child concern)."""
    child: dict[str, Any] = {
        "id": "6f1c2a8e-3b7d-4e1a-9c55-0d2b8e4f7a10",
        "child.name": "Amy Smith",
        "child.dob": "2019-03-27",
        "child.lives_here": True,
        "child.school": "Hill Primary",
        "child.seen": True,
        "child.spoken_to": True,
        "child.spoken_alone": True,
        "child.tonight_where": "At home with her mother, Jo Smith",
        "child.tonight_checked": True,
        "child.injury_reported": False,
        "voice.words": '"Daddy shouted and I hid upstairs"',
        "voice.disclosure": False,
        "observed.demeanour": "Quiet, watchful",
        "concern.categories": ["domestic_abuse_witnessed"],
    }
    for key, value in overrides.items():
        if value is None:
            child.pop(key, None)
        else:
            child[key] = value
    return child


def v2_answers(children: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    """A v2 domestic abuse incident: a crime recorded, DASH done, no police protection."""
    base: dict[str, Any] = {
        "incident.type": "domestic_abuse",
        "incident.crime_ref": "CR-2026-0042",
        "gate.children_present": True,
        "children": children if children is not None else [v2_child()],
        "concern.da_strangulation": False,
        "concern.da_risk_tool": "dash",
        "concern.dash_score": 8,
        "concern.da_risk_level": "standard",
        "action.police_protection": False,
        "sharing.basis": "safeguarding_of_children",
        "risk.officer_grade": "medium",
    }
    for key, value in overrides.items():
        key = key.replace("__", ".")
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def v1(**overrides: Any) -> dict[str, Any]:
    return complete_answers(**overrides)


def v1_child(**overrides: Any) -> dict[str, Any]:
    return v1(children=[child_answers(**overrides)])


def test_every_criterion_is_marked_in_order_for_v1_and_v2() -> None:
    assert list(prefill(1, complete_answers())) == list(CRITERIA)
    assert list(prefill(2, v2_answers())) == list(CRITERIA)
    assert set(prefill(2, v2_answers()).values()) <= set(quality.MARKS)


def test_the_criteria_words_live_in_one_macro_file_with_every_criterion() -> None:
    module = templates.env.get_template("review/_quality.html").module
    assert list(module.quality_words) == list(CRITERIA)  # type: ignore[attr-defined]
    assert all(title and hint for title, hint in module.quality_words.values())  # type: ignore[attr-defined]


CASES: list[tuple[str, int, dict[str, Any], str]] = [
    # child seen: every child born seen; an unborn child is not counted
    ("child_seen", 1, v1(), "yes"),
    ("child_seen", 1, v1_child(child__seen=False, child__not_seen_reason="Asleep"), "no"),
    ("child_seen", 2, v2_answers(), "yes"),
    ("child_seen", 2, v2_answers([v2_child(), v2_child(**{"child.seen": False})]), "no"),
    (
        "child_seen",
        2,
        v2_answers([{"child.unborn": True, "child.due_date": "2027-01-01"}]),
        "not_applicable",
    ),
    # spoken to alone, or the reason for not speaking to the child recorded
    ("spoken_alone", 1, v1(), "yes"),
    ("spoken_alone", 1, v1_child(child__spoken_alone=False), "no"),
    (
        "spoken_alone",
        1,
        v1_child(
            child__spoken_to=False, child__spoken_alone=None, child__not_spoken_reason="Too young"
        ),
        "yes",
    ),
    (
        "spoken_alone",
        2,
        v2_answers([v2_child(**{"child.spoken_to": False, "child.spoken_alone": None})]),
        "no",
    ),
    ("spoken_alone", 2, v2_answers(), "yes"),
    # words recorded for every child spoken to
    ("words_recorded", 1, v1(), "yes"),
    ("words_recorded", 1, v1_child(voice__words="  "), "no"),
    (
        "words_recorded",
        2,
        v2_answers([v2_child(**{"child.spoken_to": False, "voice.words": None})]),
        "not_applicable",
    ),
    ("words_recorded", 2, v2_answers([v2_child(), v2_child(**{"voice.words": None})]), "no"),
    # demeanour recorded for every child seen
    ("demeanour_recorded", 1, v1(), "yes"),
    (
        "demeanour_recorded",
        1,
        v1_child(child__seen=False, observed__demeanour=None),
        "not_applicable",
    ),
    ("demeanour_recorded", 2, v2_answers([v2_child(**{"observed.demeanour": None})]), "no"),
    ("demeanour_recorded", 2, v2_answers(), "yes"),
    # immediate safety: v2, where each child sleeps tonight; v1, a safety action or capable carer
    ("immediate_safety", 1, v1(), "yes"),
    ("immediate_safety", 1, v1(action__taken=["none"], home__carer_capable=False), "no"),
    ("immediate_safety", 1, v1(action__taken=["none"], home__carer_capable=True), "yes"),
    ("immediate_safety", 2, v2_answers(), "yes"),
    (
        "immediate_safety",
        2,
        v2_answers([v2_child(), v2_child(**{"child.tonight_where": None})]),
        "no",
    ),
    # s46 considered: answered, and the reason recorded when used
    ("s46_considered", 1, v1(), "yes"),
    ("s46_considered", 1, v1(action__police_protection=True), "no"),
    (
        "s46_considered",
        1,
        v1(action__police_protection=True, action__pp_reason="Father drunk"),
        "yes",
    ),
    ("s46_considered", 2, v2_answers(action__police_protection=None), "no"),
    ("s46_considered", 2, v2_answers([]), "not_applicable"),
    # crime recorded after a disclosure: v2 a crime reference; v1 the incident type
    ("crime_recorded", 1, v1(), "yes"),
    ("crime_recorded", 1, v1(incident__type="domestic_abuse"), "no"),
    ("crime_recorded", 1, v1_child(voice__disclosure=False), "not_applicable"),
    ("crime_recorded", 2, v2_answers(), "not_applicable"),
    ("crime_recorded", 2, v2_answers([v2_child(**{"voice.disclosure": True})]), "yes"),
    (
        "crime_recorded",
        2,
        v2_answers([v2_child(**{"voice.disclosure": True})], incident__crime_ref=None),
        "no",
    ),
    # DA risk tool: v2 concern.da_risk_tool; v1 concern.dash_completed (or the action)
    ("da_risk_tool", 1, v1(), "not_applicable"),
    (
        "da_risk_tool",
        1,
        v1(concern__categories=["domestic_abuse_witnessed"], concern__dash_completed=True),
        "yes",
    ),
    ("da_risk_tool", 1, v1(incident__type="domestic_abuse", concern__dash_completed=False), "no"),
    (
        "da_risk_tool",
        1,
        v1(incident__type="domestic_abuse", action__taken=["dash_completed"]),
        "yes",
    ),
    ("da_risk_tool", 2, v2_answers(), "yes"),
    ("da_risk_tool", 2, v2_answers(concern__da_risk_tool="dara"), "yes"),
    ("da_risk_tool", 2, v2_answers(concern__da_risk_tool="not_done"), "no"),
    ("da_risk_tool", 2, v2_answers(incident__type="crime"), "yes"),  # a child saw it: still DA
    (
        "da_risk_tool",
        2,
        v2_answers([v2_child(**{"concern.categories": ["neglect"]})], incident__type="crime"),
        "not_applicable",
    ),
    # Operation Encompass: v2 listed by the system; v1 the school told
    ("encompass", 1, v1(), "not_applicable"),
    (
        "encompass",
        1,
        v1(incident__type="domestic_abuse", action__encompass_school_told=True),
        "yes",
    ),
    (
        "encompass",
        1,
        v1(incident__type="domestic_abuse", action__encompass_school_told=False),
        "no",
    ),
    (
        "encompass",
        1,
        v1(incident__type="domestic_abuse", action__taken=["school_notified_encompass"]),
        "yes",
    ),
    (
        "encompass",
        1,
        v1(incident__type="domestic_abuse", children=[child_answers(child__school="Hill Primary")]),
        "no",
    ),
    ("encompass", 1, v1(incident__type="domestic_abuse"), "not_applicable"),
    ("encompass", 2, v2_answers(), "yes"),
    ("encompass", 2, v2_answers([v2_child(**{"child.school": None})]), "yes"),  # none due
    (
        "encompass",
        2,
        v2_answers([v2_child(**{"concern.categories": ["neglect"]})], incident__type="crime"),
        "not_applicable",
    ),
]


@pytest.mark.parametrize(
    ("criterion", "version", "answers", "expected"),
    CASES,
    ids=[f"{c}-v{v}-{i}" for i, (c, v, _, _) in enumerate(CASES)],
)
def test_prefill(criterion: str, version: int, answers: dict[str, Any], expected: str) -> None:
    assert prefill(version, answers)[criterion] == expected


def test_every_criterion_has_a_case_of_each_version() -> None:
    covered = {(c, v) for c, v, _, _ in CASES}
    assert covered == {(c, v) for c in CRITERIA for v in (1, 2)}


def test_validate_needs_every_criterion_with_a_known_mark() -> None:
    marks = {c: "yes" for c in CRITERIA}
    assert quality.validate(marks) == marks
    with pytest.raises(quality.QualityInvalid, match="encompass"):
        quality.validate({c: "yes" for c in CRITERIA if c != "encompass"})
    with pytest.raises(quality.QualityInvalid, match="child_seen"):
        quality.validate({**marks, "child_seen": "maybe"})
    with pytest.raises(quality.QualityInvalid, match="made_up"):
        quality.validate({**marks, "made_up": "yes"})
