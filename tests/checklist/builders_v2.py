"""Answers for v2 tests: a complete, valid v2 domestic abuse incident with one child.

Keywords name prompt ids with ``__`` for ``.`` (``incident__type="crime"`` sets
``incident.type``); ``None`` removes an answer. ``complete_answers_v2(children=[...])`` changes
the children; ``child_answers_v2(...)`` changes one child (its per-child concerns included);
``baby_answers_v2(...)`` is a second kind of child: a baby, seen but not spoken to.

The child (Amy, 7) was seen and spoken to alone and disclosed that her father hurt her: the
suggested grade is high, so the urgent call is answered too. ``problems_v2(answers)`` is empty
for ``complete_answers_v2()``.
"""

from __future__ import annotations

from typing import Any

from app.checklist.answers import missing_required, prune_hidden, validate_values
from app.checklist.promptset import PromptSet, load_version
from tests.checklist.builders import apply_changes


def v2() -> PromptSet:
    return load_version(2)


def child_answers_v2(**overrides: Any) -> dict[str, Any]:
    """One child of 7, living at the address, seen and spoken to alone, who disclosed that her
    father hurt her; concern: domestic abuse seen and heard."""
    entry: dict[str, Any] = {
        "child.name": "Amy Smith",
        "child.dob": "2019-03-27",
        "child.sex": "female",
        "child.lives_here": True,
        "child.school": "Anytown Primary School",
        "child.known_to_social_care": "no",
        "child.present": True,
        "child.location_during": "in the living room",
        "child.seen": True,
        "child.injury_reported": False,
        "child.spoken_to": True,
        "child.spoken_alone": True,
        "child.tonight_where": "At home, 1 High Street, with her mother Jo Smith",
        "child.tonight_checked": True,
        "voice.words": '"Daddy hit mummy and then he pushed me over"',
        "voice.afraid_to_go_home": False,
        "voice.disclosure": True,
        "voice.disclosure_about": "parent_or_carer",
        "voice.disclosure_sexual": False,
        "voice.disclosure_to": "this_officer",
        "voice.alleged_abuser_present_tonight": False,
        "voice.disclosure_time": "2026-03-10T21:40:00+00:00",
        "observed.demeanour": "Quiet and watchful; flinched when her father spoke.",
        "observed.injury": False,
        "observed.medical_needed": False,
        "concern.categories": ["domestic_abuse_witnessed"],
    }
    return apply_changes(entry, overrides)


def baby_answers_v2(**overrides: Any) -> dict[str, Any]:
    """A baby of 4 months on the incident date, not yet crawling, seen asleep and not spoken to,
    staying tonight with her grandmother (checked); concern: neglect."""
    entry: dict[str, Any] = {
        "child.name": "Amy Smith",
        "child.dob": "2025-11-02",
        "child.sex": "female",
        "child.mobile": False,
        "child.lives_here": True,
        "child.known_to_social_care": "unknown",
        "child.present": True,
        "child.seen": True,
        "child.injury_reported": False,
        "child.spoken_to": False,
        "child.not_spoken_reason": "A baby.",
        "child.tonight_where": "With her grandmother Pat Smith, 3 Low Road",
        "child.tonight_checked": True,
        "voice.afraid_to_go_home": False,
        "voice.disclosure": False,
        "observed.demeanour": "Asleep, then settled.",
        "observed.injury": False,
        "observed.medical_needed": False,
        "concern.categories": ["neglect"],
    }
    return apply_changes(entry, overrides)


def adult_answers_v2(**overrides: Any) -> dict[str, Any]:
    """The child's mother: not a suspect, checked, no risk to children."""
    entry: dict[str, Any] = {
        "adult.name": "Jo Smith",
        "adult.relationship": "mother",
        "adult.parental_responsibility": True,
        "adult.lives_there": True,
        "adult.is_suspect": False,
        "adult.checks_done": True,
        "adult.risk_to_children": False,
    }
    return apply_changes(entry, overrides)


def complete_answers_v2(**overrides: Any) -> dict[str, Any]:
    """A complete v2 domestic abuse referral for one child (``child_answers_v2()``), graded
    high by the officer, with the urgent call made."""
    base: dict[str, Any] = {
        "incident.log_ref": "INC-2026-0310-123",
        "incident.type": "domestic_abuse",
        "incident.datetime": "2026-03-10T21:15:00+00:00",
        "incident.address": "1 High Street, Anytown",
        "incident.bwv": False,
        "incident.summary": "Neighbours heard shouting. Both adults present.",
        "gate.children_present": True,
        "gate.pregnancy": False,
        "children": [child_answers_v2()],
        "home.conditions": ["none_of_these"],
        "home.carer_capable": True,
        "household.adults": [adult_answers_v2()],
        "concern.da_abuser_hurt_children": True,
        "concern.da_child_contact_conflict": False,
        "concern.da_strangulation": False,
        "concern.da_weapon": False,
        "concern.da_threats_to_kill": False,
        "concern.da_separation": False,
        "concern.da_stalking": False,
        "concern.da_victim_pregnant": False,
        "concern.da_risk_tool": "dash",
        "concern.da_risk_level": "medium",
        "concern.dash_score": 11,
        "action.police_protection": False,
        "action.taken": ["social_care_called_now", "arrest"],
        "action.urgent_call_to": "Sam Patel, MASH duty social worker",
        "action.urgent_call_time": "2026-03-10T22:05:00+00:00",
        "action.urgent_call_agreed": "Strategy discussion at 9am; Amy stays with her mother.",
        "sharing.basis": "safeguarding_of_children",
        "sharing.agencies": ["school"],
        "sharing.parents_told": True,
        "risk.officer_grade": "high",
        "risk.rationale": "Amy told me her father pushed her over.",
        "risk.request": "strategy_discussion",
        "declaration.confirmed": True,
    }
    return apply_changes(base, overrides)


def problems_v2(answers: dict[str, Any]) -> dict[str, Any]:
    """What stops ``answers`` being a clean complete v2 referral (empty when nothing does)."""
    ps = v2()
    pruned, dropped = prune_hidden(ps, answers)
    return {
        k: v
        for k, v in {
            "missing": missing_required(ps, answers),
            "dropped": dropped,
            "invalid": validate_values(ps, pruned),
        }.items()
        if v
    }
