"""Where "Save and continue" goes, and where to resume."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.checklist import screens
from app.checklist.promptset import PromptSet


def incident_url(incident_id: object, rest: str = "") -> str:
    return f"/incidents/{incident_id}{rest}"


def _section_index(ps: PromptSet, section_id: str) -> int:
    return [s.id for s in ps.sections].index(section_id)


def after_children(ps: PromptSet, answers: Mapping[str, Any], incident_id: object) -> str:
    """The first screen after the children list (the first child's voice, usually)."""
    child_at = _section_index(ps, "child")
    for screen in screens.flow(ps, answers):
        if _section_index(ps, screen.section.id) > child_at:
            return screen.url(incident_id)
    return incident_url(incident_id, "/check")


def next_url(
    ps: PromptSet, answers: Mapping[str, Any], screen: screens.Screen, incident_id: object
) -> str:
    place = screen.place
    if place.repeat is not None:  # back to the page that lists the items
        owner = screens.Place(child=place.child)
        parent = (
            screens.screen_for_path(ps, owner.prefix(answers) + place.repeat, answers)
            if place.child is None or owner.get(answers) is not None
            else None
        )
        return parent.url(incident_id) if parent else incident_url(incident_id)
    if screen.section.id == "child":
        if screen.page + 1 < screens.section_pages(ps, "child"):
            return screens.Screen(screen.section, screen.page + 1, place).url(incident_id)
        return incident_url(incident_id, "/children")
    if screen.section.id == "gate":
        if answers.get("gate.children_present") is False and answers.get("gate.pregnancy") is False:
            return incident_url(incident_id, "/close")
        return incident_url(incident_id, "/children")
    order = screens.flow(ps, answers)
    if screen in order:
        at = order.index(screen)
        if at + 1 < len(order):
            return order[at + 1].url(incident_id)
        return incident_url(incident_id, "/check")
    return incident_url(incident_id)


def resume_url(
    ps: PromptSet, answers: Mapping[str, Any], missing: list[str], incident_id: object
) -> str:
    """Where to pick up: the first screen with a required answer missing, else the check page."""
    for path in missing:
        if path == screens.CHILDREN:
            return incident_url(incident_id, "/children")
        screen = screens.screen_for_path(ps, path, answers)
        if screen is not None:
            return screen.url(incident_id)
    if not answers:
        return screens.Screen(ps.section("incident"), 0).url(incident_id)
    return incident_url(incident_id, "/check")
