"""Saving one screen of the checklist from its form: parse, check, save what is valid."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData

from app.accounts.service import Principal
from app.checklist import forms, screens, service
from app.checklist.models import Incident, IncidentStatus
from app.checklist.promptset import PromptSet, PromptType, checks_of


@dataclass
class ScreenResult:
    incident: Incident
    raw: dict[str, Any]
    errors: dict[str, str]  # prompt id on this screen -> message
    elsewhere: dict[str, str] = field(default_factory=dict)  # path elsewhere -> message
    saved: bool = True  # the valid answers were saved (False: an answer elsewhere stopped it)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.elsewhere


def save_screen(
    *,
    session: Session,
    officer: Principal,
    incident_id: uuid.UUID,
    screen: screens.Screen,
    form: FormData,
) -> ScreenResult:
    """Save every valid answer on the screen; report the invalid ones, which keep what was typed
    (nothing typed is lost, and nothing invalid is stored)."""
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    if incident.status != IncidentStatus.DRAFT:
        raise service.IncidentLocked()
    ps = service.prompt_set_of(incident)
    if screen.place.get(incident.answers) is None and screen.place != screens.Place():
        raise service.IncidentNotFound()
    prompts = screen.prompts(ps)
    parsed = forms.parse(ps, prompts, form)
    errors = dict(parsed.errors)
    values = {k: v for k, v in parsed.values.items() if k not in errors}
    paths = {screen.path(p.id): p.id for p in prompts if p.type is not PromptType.REPEAT}
    check = service.preview(ps, incident.answers, screen.place.put(incident.answers, values))
    for path, message in check.errors.items():
        if path in paths:
            errors[paths[path]] = message
            values.pop(paths[path], None)
    updates = screen.place.put(incident.answers, values)
    incident, result = service.save(
        session=session, officer=officer, incident_id=incident_id, updates=updates
    )
    elsewhere = {k: v for k, v in result.errors.items() if k not in paths}
    return ScreenResult(
        incident=incident,
        raw=parsed.raw,
        errors=errors,
        elsewhere=elsewhere,
        saved=not result.errors,
    )


def add_refused(ps: PromptSet, result: ScreenResult, repeat: str) -> ScreenResult:
    """``result`` with an error on the question that opens the list ``repeat`` (the officer
    pressed "Add" before giving the answer that asks for the list)."""
    when = ps.prompt(repeat).when
    opener = ps.prompt(checks_of(when)[0].prompt) if when is not None else ps.prompt(repeat)
    errors = {**result.errors, opener.id: ps.message("required", opener)}
    return dataclasses.replace(result, errors=errors)


def add_item(
    *,
    session: Session,
    officer: Principal,
    incident_id: uuid.UUID,
    place: screens.Place,
    repeat: str,
) -> int | None:
    """Add an empty item to a list (children, or a repeat at ``place``); returns its index, or
    None when the list is not asked for (its condition does not hold), so nothing was added."""
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    if incident.status != IncidentStatus.DRAFT:
        raise service.IncidentLocked()
    scope = place.get(incident.answers) if place != screens.Place() else incident.answers
    if scope is None:
        raise service.IncidentNotFound()
    items = [*list(scope.get(repeat) or []), {}]
    if repeat == screens.CHILDREN:
        updates: dict[str, Any] = {screens.CHILDREN: items}
    else:
        updates = place.put(incident.answers, {repeat: items})
    incident, _ = service.save(
        session=session, officer=officer, incident_id=incident_id, updates=updates
    )
    index = len(items) - 1
    item = screens.Place(place.child, repeat, index) if repeat != screens.CHILDREN else None
    if item is not None and item.get(incident.answers) is None:
        return None
    if item is None and len(incident.answers.get(screens.CHILDREN) or []) <= index:
        return None
    return index


def remove_item(
    *,
    session: Session,
    officer: Principal,
    incident_id: uuid.UUID,
    place: screens.Place,
) -> None:
    """Remove the item at ``place`` (a child, or one item of a repeat)."""
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    if incident.status != IncidentStatus.DRAFT:
        raise service.IncidentLocked()
    if place.get(incident.answers) is None:
        return  # already gone: a repeated request
    if place.repeat is None and place.child is not None:
        children = list(incident.answers.get(screens.CHILDREN) or [])
        del children[place.child]
        updates: dict[str, Any] = {screens.CHILDREN: children}
    else:
        parent = screens.Place(child=place.child)
        scope = parent.get(incident.answers) if place.child is not None else incident.answers
        assert scope is not None and place.repeat is not None and place.item is not None
        items = list(scope.get(place.repeat) or [])
        del items[place.item]
        updates = parent.put(incident.answers, {place.repeat: items or None})
    service.save(session=session, officer=officer, incident_id=incident_id, updates=updates)
