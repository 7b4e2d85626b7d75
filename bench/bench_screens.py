"""Screens, questions and required questions for a typical domestic abuse incident (two
children, two adults) under prompt set v1 and v2, side by side.

    .venv/bin/python bench/bench_screens.py

A screen is a page the officer goes through (``screens.flow``), plus the children list, each
child's details pages, each adult's page and "check your answers". Questions are the prompts
that show on those pages for the incident's answers (guidance cards are not questions); required
are those that must be answered before submission.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.checklist import screens
from app.checklist.answers import is_visible, items
from app.checklist.promptset import PromptSet, PromptType, load_version


@dataclass(frozen=True)
class Counts:
    screens: int
    questions: int
    required: int


def _item_screens(ps: PromptSet, answers: Mapping[str, Any]) -> Iterator[screens.Screen]:
    """The children list's pages for each child's details, and a page per adult or injury."""
    child = ps.section("child")
    for child_id in screens.child_ids(answers):
        for page in range(screens.section_pages(ps, child.id)):
            screen = screens.Screen(child, page, screens.Place(child=child_id))
            if screens.screen_shows(ps, screen, answers):
                yield screen
    for key, scope, child_id in _repeat_scopes(ps, answers):
        for item in scope.get(key) or []:
            if isinstance(item, Mapping) and items.ITEM_ID in item:
                place = screens.Place(child=child_id, repeat=key, item=item[items.ITEM_ID])
                yield screens.Screen(ps.section_of(key), 0, place)


def _repeat_scopes(
    ps: PromptSet, answers: Mapping[str, Any]
) -> Iterator[tuple[str, Mapping[str, Any], str | None]]:
    for key, p in ps.top_prompts.items():
        if p.type is PromptType.REPEAT:
            yield key, answers, None
    children = answers.get(screens.CHILDREN) or []
    for section in ps.repeat_sections.get(screens.CHILDREN, ()):
        for p in section.prompts:
            if p.type is PromptType.REPEAT:
                for c in children:
                    yield p.id, c, c.get(items.ITEM_ID)


def counts(ps: PromptSet, answers: Mapping[str, Any]) -> Counts:
    answers = items.with_ids(ps, answers)
    pages = [*screens.flow(ps, answers), *_item_screens(ps, answers)]
    check = screens.check_screen(ps)
    questions = required = 0
    for screen in [*pages, check]:
        scope = screen.place.item_scope(answers)
        for p in screen.prompts(ps):
            if p.type in (PromptType.GUIDANCE, PromptType.REPEAT):
                continue
            if is_visible(p.when, scope, answers):
                questions += 1
                required += p.required
    return Counts(screens=len(pages) + 2, questions=questions, required=required)  # + list, check


def _child(name: str, dob: str, *, spoken: bool, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "child.name": name,
        "child.dob": dob,
        "child.sex": "female",
        "child.known_to_social_care": "no",
        "child.present": True,
        "child.location_during": "in the living room",
        "child.seen": True,
        "child.spoken_to": spoken,
        "voice.afraid_to_go_home": False,
        "voice.disclosure": False,
        "observed.demeanour": "Quiet and watchful.",
        "observed.injury": False,
        "observed.medical_needed": False,
    }
    if spoken:
        entry |= {"child.spoken_alone": True, "voice.words": '"Daddy shouted at mummy"'}
    else:
        entry["child.not_spoken_reason"] = "Too young to talk."
    return entry | extra


def _adult(name: str, relationship: str, suspect: bool, **extra: Any) -> dict[str, Any]:
    return {
        "adult.name": name,
        "adult.relationship": relationship,
        "adult.parental_responsibility": True,
        "adult.lives_there": True,
        "adult.is_suspect": suspect,
    } | extra


def typical_v1() -> dict[str, Any]:
    """Domestic abuse; Amy (7, spoken to) and Ben (2, not); mother and father (suspect)."""
    return {
        "incident.log_ref": "INC-1",
        "incident.type": "domestic_abuse",
        "incident.datetime": "2026-03-10T21:15:00+00:00",
        "incident.address": "1 High Street",
        "incident.summary": "Shouting reported by neighbours.",
        "gate.children_present": True,
        "gate.pregnancy": False,
        "children": [
            _child("Amy Smith", "2019-03-27", spoken=True, **{"child.school": "Anytown Primary"}),
            _child("Ben Smith", "2024-01-05", spoken=False, **{"child.not_yet_mobile": False}),
        ],
        "home.conditions": ["none_of_these"],
        "home.carer_capable": True,
        "household.adults": [
            _adult("Jo Smith", "mother", False),
            _adult("Al Smith", "father", True),
        ],
        "concern.categories": ["domestic_abuse_witnessed"],
        "concern.da_abuser_hurt_children": False,
        "concern.da_child_contact_conflict": False,
        "concern.dash_completed": True,
        "concern.dash_score": 8,
        "action.police_protection": False,
        "action.taken": ["arrest"],
        "sharing.consent_sought": False,
        "sharing.basis": "safeguarding_of_children",
        "sharing.basis_reason": "Children at risk.",
        "sharing.decided_by": "PC 123 Jones",
        "sharing.parents_told": True,
    }


def typical_v2() -> dict[str, Any]:
    """The same incident answered under v2."""
    checked = {"adult.checks_done": True, "adult.risk_to_children": False}
    tonight = {
        "child.lives_here": True,
        "child.injury_reported": False,
        "child.tonight_where": "At home with mother",
        "child.tonight_checked": True,
        "concern.categories": ["domestic_abuse_witnessed"],
    }
    return {
        **{k: v for k, v in typical_v1().items() if not k.startswith(("concern.", "sharing."))},
        "incident.bwv": True,
        "children": [
            _child("Amy Smith", "2019-03-27", spoken=True, **{"child.school": "Anytown Primary"})
            | tonight,
            _child("Ben Smith", "2024-01-05", spoken=False, **{"child.mobile": True}) | tonight,
        ],
        "household.adults": [
            _adult("Jo Smith", "mother", False, **checked),
            _adult("Al Smith", "father", True, **checked),
        ],
        "concern.da_abuser_hurt_children": False,
        "concern.da_child_contact_conflict": False,
        "concern.da_strangulation": False,
        "concern.da_weapon": False,
        "concern.da_threats_to_kill": False,
        "concern.da_separation": False,
        "concern.da_stalking": False,
        "concern.da_victim_pregnant": False,
        "concern.da_risk_tool": "dash",
        "concern.da_risk_level": "standard",
        "concern.dash_score": 8,
        "sharing.basis": "safeguarding_of_children",
        "sharing.agencies": ["school"],
        "sharing.parents_told": True,
    }


def main() -> None:
    rows = {
        "v1": counts(load_version(1), typical_v1()),
        "v2": counts(load_version(2), typical_v2()),
    }
    print("Domestic abuse, two children (7 and 2), two adults")
    print(f"{'':10}{'v1':>6}{'v2':>6}")
    for name in ("screens", "questions", "required"):
        print(f"{name:10}{getattr(rows['v1'], name):>6}{getattr(rows['v2'], name):>6}")


if __name__ == "__main__":
    main()
