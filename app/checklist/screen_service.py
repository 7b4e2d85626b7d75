"""Saving one screen of the checklist from its form: parse, check, save what is valid."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData

from app.accounts.service import Principal
from app.checklist import answers as engine
from app.checklist import forms, screens, service
from app.checklist.answers import items
from app.checklist.models import Incident, IncidentStatus
from app.checklist.promptset import PromptSet, PromptType, checks_of
from app.errors import DomainError, NotFound


@dataclass(frozen=True)
class Base:
    """What a form was drawn from: the incident's revision and the answers on its screen as
    they were stored then. Posted back with the form (missing for a client that sends neither)."""

    revision: int | None = None
    values: dict[str, Any] | None = None

    @classmethod
    def from_form(cls, form: FormData) -> Base:
        revision, raw = form.get("revision"), form.get("base")
        values: dict[str, Any] | None = None
        if isinstance(raw, str) and raw:
            try:
                loaded = json.loads(raw)
            except ValueError:
                loaded = None
            values = loaded if isinstance(loaded, dict) else None
        return cls(
            revision=int(revision) if isinstance(revision, str) and revision.isdigit() else None,
            values=values,
        )

    def conflicts(
        self, stored: Mapping[str, Any], posted: Mapping[str, Any], revision: int
    ) -> bool:
        """Would saving ``posted`` overwrite a change made elsewhere since the form was drawn?
        Question by question, as a three-way merge: only where the stored answer changed since
        (``stored != base``) and differs from what is sent now. So an autosave from this same
        page that landed first (it stored what is being sent) is no conflict."""
        if self.revision in (None, revision) or self.values is None:
            return False
        return any(
            stored.get(pid) != self.values.get(pid) and stored.get(pid) != value
            for pid, value in posted.items()
        )


def base_of(ps: PromptSet, screen: screens.Screen, answers: Mapping[str, Any]) -> str:
    """The stored answers on ``screen`` as the form carries them (JSON): what it was drawn
    from, for the three-way check when it is saved (``Base.conflicts``)."""
    scope = screen.place.get(answers) if screen.place != screens.Place() else answers
    values = {
        p.id: (scope or {}).get(p.id)
        for p in screen.prompts(ps)
        if p.type is not PromptType.REPEAT and (scope or {}).get(p.id) is not None
    }
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class Conflict:
    """The screen changed (or its child or item was removed) on another tab or device since
    the form was drawn: nothing was saved, and the officer chooses."""

    removed: bool  # the child or item is no longer there
    stored: dict[str, Any]  # the answers on this screen as they are stored now


@dataclass
class ScreenResult:
    incident: Incident
    now: service.Snapshot  # the incident as this save left it (no read after the commit)
    ps: PromptSet
    screen: screens.Screen
    raw: dict[str, Any]
    errors: dict[str, str]  # prompt id on this screen -> message
    elsewhere: dict[str, str] = field(default_factory=dict)  # path elsewhere -> message
    saved: bool = True  # the valid answers were saved (False: an answer elsewhere stopped it)
    conflict: Conflict | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.elsewhere and self.conflict is None


# Which screen a form was posted from, found in the incident's own prompt set version.
Locate = Callable[[PromptSet], screens.Screen | None]


def save_screen(
    *,
    session: Session,
    officer: Principal,
    incident_id: uuid.UUID,
    screen: screens.Screen | Locate,
    form: FormData,
    restore: bool = False,
) -> ScreenResult:
    """Save every valid answer on the screen; report the invalid ones, which keep what was typed
    (nothing typed is lost, and nothing invalid is stored). The incident is locked from the first
    read. A form drawn before another tab or device changed this screen saves nothing and
    reports the conflict; ``restore`` (the officer chose to keep what they typed for a child or
    item removed elsewhere) makes the child or item again under its id. ``screen`` may be
    found in the incident's prompt set (``Locate``): the incident is then read once."""
    incident = service.get_own(
        session=session, officer=officer, incident_id=incident_id, for_update=True
    )
    ps = service.prompt_set_of(incident)
    found = screen if isinstance(screen, screens.Screen) else screen(ps)
    if found is None:
        session.rollback()
        raise NotFound()
    if incident.status != IncidentStatus.DRAFT:
        raise service.IncidentLocked()
    screen = found
    prompts = screen.prompts(ps)
    parsed = forms.parse(ps, prompts, form)
    answers = incident.answers
    base = Base.from_form(form)
    here = screen.place.get(answers) if screen.place != screens.Place() else answers
    if here is None and restore:
        answers = screen.place.restore(answers)
    elif here is None or base.conflicts(here, parsed.values, incident.revision):
        now = service.Snapshot.of(incident)
        session.rollback()
        stored = {p.id: here[p.id] for p in prompts if here and p.id in here}
        conflict = Conflict(removed=here is None, stored=stored)
        return ScreenResult(
            incident, now, ps, screen, parsed.raw, {}, saved=False, conflict=conflict
        )
    errors = dict(parsed.errors)
    values = {k: v for k, v in parsed.values.items() if k not in errors}
    paths = {screen.path(p.id, answers): p.id for p in prompts if p.type is not PromptType.REPEAT}
    result = service.preview(ps, incident.answers, screen.place.put(answers, values))
    here_wrong = {path: m for path, m in result.errors.items() if path in paths}
    if here_wrong:  # keep what is valid on this screen: check again without the wrong ones
        for path, message in here_wrong.items():
            errors[paths[path]] = message
            values.pop(paths[path], None)
        result = service.preview(ps, incident.answers, screen.place.put(answers, values))
    if result.errors:
        now = service.Snapshot.of(incident)
        session.rollback()
    else:
        now = service.store(
            session=session,
            officer=officer,
            incident=incident,
            result=result,
            prompts=sorted(values),
        )
    elsewhere = {k: v for k, v in result.errors.items() if k not in paths}
    return ScreenResult(
        incident=incident,
        now=now,
        ps=ps,
        screen=screen,
        raw=parsed.raw,
        errors=errors,
        elsewhere=elsewhere,
        saved=not result.errors,
    )


def list_full(ps: PromptSet, result: ScreenResult, repeat: str) -> ScreenResult:
    """``result`` with an error on the list ``repeat``: it holds as many items as it may."""
    p = ps.prompt(repeat) if repeat != screens.CHILDREN else None
    label = p.label if p else ps.section("child").title
    errors = {**result.errors, repeat: ps.too_many_items(repeat, label)}
    return dataclasses.replace(result, errors=errors)


def add_refused(ps: PromptSet, result: ScreenResult, repeat: str) -> ScreenResult:
    """``result`` with an error on the question that opens the list ``repeat`` (the officer
    pressed "Add" before giving the answer that asks for the list)."""
    when = ps.prompt(repeat).when
    opener = ps.prompt(checks_of(when)[0].prompt) if when is not None else ps.prompt(repeat)
    errors = {**result.errors, opener.id: ps.message("required", opener)}
    return dataclasses.replace(result, errors=errors)


class ListFull(DomainError):
    """The list already holds as many items as the prompt set allows."""

    status_code = 422
    code = "list_full"


def _list_shows(
    ps: PromptSet, place: screens.Place, repeat: str, answers: Mapping[str, Any]
) -> bool:
    if repeat == screens.CHILDREN:
        return engine.is_visible(ps.section("child").when, None, answers)
    when = ps.prompt(repeat).when
    return engine.is_visible(when, place.item_scope(answers), answers)


def add_item(
    *,
    session: Session,
    officer: Principal,
    incident_id: uuid.UUID,
    place: screens.Place,
    repeat: str,
) -> str | None:
    """Add an empty item, with a new id, to a list (children, or a repeat at ``place``);
    returns its id, or None when the list is not asked for (its condition does not hold), so
    nothing was added. Raises ``ListFull`` at the prompt set's cap."""
    incident = service.get_own(
        session=session, officer=officer, incident_id=incident_id, for_update=True
    )
    if incident.status != IncidentStatus.DRAFT:
        raise service.IncidentLocked()
    ps = service.prompt_set_of(incident)
    scope = place.get(incident.answers) if place != screens.Place() else incident.answers
    if scope is None:
        raise service.IncidentNotFound()
    if not _list_shows(ps, place, repeat, incident.answers):
        session.rollback()
        return None
    current = list(scope.get(repeat) or [])
    if len(current) >= ps.max_items(repeat):
        session.rollback()
        raise ListFull()
    item_id = items.new_id()
    added = [*current, {items.ITEM_ID: item_id}]
    if repeat == screens.CHILDREN:
        updates: dict[str, Any] = {screens.CHILDREN: added}
    else:
        updates = place.put(incident.answers, {repeat: added})
    result = service.preview(ps, incident.answers, updates)
    service.store(
        session=session, officer=officer, incident=incident, result=result, prompts=[repeat]
    )
    return item_id


def remove_item(
    *,
    session: Session,
    officer: Principal,
    incident_id: uuid.UUID,
    place: screens.Place,
) -> None:
    """Remove the item at ``place`` (a child, or one item of a repeat), found by its id."""
    incident = service.get_own(
        session=session, officer=officer, incident_id=incident_id, for_update=True
    )
    if incident.status != IncidentStatus.DRAFT:
        raise service.IncidentLocked()
    if place.get(incident.answers) is None:
        session.rollback()
        return  # already gone: a repeated request, or removed on another device
    if place.repeat is None:
        key, parent = screens.CHILDREN, screens.Place()
        scope: Mapping[str, Any] = incident.answers
        gone = place.child
    else:
        key, parent = place.repeat, screens.Place(child=place.child)
        found = parent.get(incident.answers) if place.child is not None else incident.answers
        assert found is not None
        scope, gone = found, place.item
    kept = [
        i
        for i in scope.get(key) or []
        if not (isinstance(i, Mapping) and i.get(items.ITEM_ID) == gone)
    ]
    if parent == screens.Place():
        updates: dict[str, Any] = {key: kept if key == screens.CHILDREN else kept or None}
    else:
        updates = parent.put(incident.answers, {key: kept or None})
    result = service.preview(service.prompt_set_of(incident), incident.answers, updates)
    service.store(session=session, officer=officer, incident=incident, result=result, prompts=[key])
