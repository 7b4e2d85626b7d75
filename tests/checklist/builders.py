"""Answers for tests: a complete, valid referral for one child, with overrides.

Keywords name prompt ids with ``__`` for ``.`` (``incident__type="domestic_abuse"`` sets
``incident.type``); ``None`` removes an answer. ``complete_answers(children=[child_answers(...)])``
changes the child.
"""

from __future__ import annotations

from typing import Any

from app.checklist.answers import missing_required, prune_hidden, validate_values
from app.checklist.promptset import PromptSet, load_version


def apply_changes(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        key = key.replace("__", ".")
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def child_answers(**overrides: Any) -> dict[str, Any]:
    """One child, seen and spoken to alone, who disclosed abuse (suggested grade: high)."""
    entry: dict[str, Any] = {
        "child.name": "Amy Smith",
        "child.dob": "2019-03-27",
        "child.sex": "female",
        "child.known_to_social_care": "unknown",
        "child.present": True,
        "child.location_during": "in the living room",
        "child.seen": True,
        "child.spoken_to": True,
        "child.spoken_alone": True,
        "voice.words": '"Daddy hit mummy and then he pushed me over"',
        "voice.afraid_to_go_home": False,
        "voice.disclosure": True,
        "voice.disclosure_time": "2026-03-10T21:40:00+00:00",
        "observed.demeanour": "Quiet and watchful; flinched when her father spoke.",
        "observed.injury": False,
        "observed.medical_needed": False,
    }
    return apply_changes(entry, overrides)


def complete_answers(**overrides: Any) -> dict[str, Any]:
    """A complete referral for one child (``child_answers()``), graded high by the officer."""
    base: dict[str, Any] = {
        "incident.log_ref": "INC-2026-0310-123",
        "incident.type": "crime",
        "incident.datetime": "2026-03-10T21:15:00+00:00",
        "incident.address": "1 High Street, Anytown",
        "incident.summary": "Neighbours heard shouting. Both adults present.",
        "gate.children_present": True,
        "gate.pregnancy": False,
        "children": [child_answers()],
        "home.conditions": ["none_of_these"],
        "home.carer_capable": True,
        "household.adults": [
            {
                "adult.name": "Jo Smith",
                "adult.relationship": "mother",
                "adult.parental_responsibility": True,
                "adult.lives_there": True,
                "adult.is_suspect": False,
            }
        ],
        "concern.categories": ["physical"],
        "action.police_protection": False,
        "action.taken": ["social_care_called_now"],
        "sharing.consent_sought": True,
        "sharing.consent_given": True,
        "sharing.parents_told": True,
        "risk.officer_grade": "high",
        "risk.rationale": "Amy told me her father pushed her over.",
        "declaration.confirmed": True,
    }
    return apply_changes(base, overrides)


def without_ids(answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` without the ``id`` of each list item (children, adults, injuries), to compare
    stored answers with answers built here (which have none: the server makes them)."""
    return {k: _strip_ids(v) for k, v in answers.items()}


def _strip_ids(value: Any) -> Any:
    if isinstance(value, list):
        return [
            {k: _strip_ids(v) for k, v in item.items() if k != "id"}
            if isinstance(item, dict)
            else item
            for item in value
        ]
    return value


def list_item_ids(answers: dict[str, Any]) -> list[Any]:
    """The ``id`` of every list item in ``answers`` (None for an item without one)."""
    found: list[Any] = []
    for value in answers.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    found.append(item.get("id"))
                    found += list_item_ids(item)
    return found


def problems(answers: dict[str, Any], ps: PromptSet | None = None) -> dict[str, Any]:
    """What stops ``answers`` being a clean complete referral (empty when there is nothing)."""
    ps = ps or load_version(1)
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
