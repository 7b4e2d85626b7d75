"""The lists on the checklist: children (add, change, remove), items of a repeat (remove), and
closing an incident at the gate."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.accounts.deps import require_roles
from app.accounts.models import Role
from app.accounts.service import Principal
from app.checklist import answers as engine
from app.checklist import navigation, screen_service, screens, service
from app.checklist.models import IncidentStatus
from app.db import SessionDep
from app.errors import NotFound
from app.htmx import redirect
from app.web import render

router = APIRouter(tags=["checklist"], include_in_schema=False)
Officer = Annotated[Principal, Depends(require_roles(Role.OFFICER))]


@router.get("/incidents/{incident_id}/children")
def children(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    ps = service.prompt_set_of(incident)
    section = ps.section("child")
    if not engine.is_visible(section.when, None, incident.answers):
        return redirect(request, navigation.incident_url(incident_id))
    items = incident.answers.get(screens.CHILDREN) or []
    missing = set(service.status_of(ps, incident.answers).missing)
    return render(
        request,
        "checklist/children.html",
        principal=officer,
        incident=incident,
        ps=ps,
        section=section,
        children=[
            (i, child, any(m.startswith(f"children[{i}].child.") for m in missing))
            for i, child in enumerate(items)
        ],
        child_url=lambda i: screens.Screen(section, 0, screens.Place(child=i)).url(incident_id),
        continue_url=navigation.after_children(ps, incident.answers, incident_id),
        locked=incident.status != IncidentStatus.DRAFT,
        step=screens.STEP_SECTIONS.index("child") + 1,
        total=screens.TOTAL_STEPS,
    )


@router.post("/incidents/{incident_id}/children/add")
def add_child(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    index = screen_service.add_item(
        session=session,
        officer=officer,
        incident_id=incident_id,
        place=screens.Place(),
        repeat=screens.CHILDREN,
    )
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    section = service.prompt_set_of(incident).section("child")
    return redirect(
        request, screens.Screen(section, 0, screens.Place(child=index)).url(incident_id)
    )


def _place(child: int | None, repeat: str | None, item: int | None) -> screens.Place:
    if (child is not None and child < 0) or (item is not None and item < 0):
        raise NotFound()
    return screens.Place(child=child, repeat=repeat, item=item)


def _confirm(
    request: Request,
    session: SessionDep,
    officer: Principal,
    incident_id: uuid.UUID,
    place: screens.Place,
) -> Response:
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    ps = service.prompt_set_of(incident)
    target = place.get(incident.answers)
    if target is None:
        raise NotFound()
    label = (
        ps.section("child").item_label
        if place.repeat is None
        else ps.prompt(place.repeat).item_label
    )
    back = (
        navigation.incident_url(incident_id, "/children")
        if place.repeat is None
        else navigation.next_url(
            ps, incident.answers, screens.Screen(ps.section_of(place.repeat), 0, place), incident_id
        )
    )
    return render(
        request,
        "checklist/remove.html",
        principal=officer,
        item=target,
        item_label=label,
        action=request.url.path,
        back=back,
    )


async def _remove(
    request: Request,
    session: SessionDep,
    officer: Principal,
    incident_id: uuid.UUID,
    place: screens.Place,
) -> Response:
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    ps = service.prompt_set_of(incident)
    screen_service.remove_item(
        session=session, officer=officer, incident_id=incident_id, place=place
    )
    if place.repeat is None:
        return redirect(request, navigation.incident_url(incident_id, "/children"))
    item_screen = screens.Screen(ps.section_of(place.repeat), 0, place)
    return redirect(request, navigation.next_url(ps, incident.answers, item_screen, incident_id))


@router.get("/incidents/{incident_id}/c/{child}/remove")
def confirm_remove_child(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID, child: int
) -> Response:
    return _confirm(request, session, officer, incident_id, _place(child, None, None))


@router.post("/incidents/{incident_id}/c/{child}/remove")
async def remove_child(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID, child: int
) -> Response:
    return await _remove(request, session, officer, incident_id, _place(child, None, None))


@router.get("/incidents/{incident_id}/r/{repeat}/{item}/remove")
def confirm_remove_item(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    repeat: str,
    item: int,
) -> Response:
    return _confirm(request, session, officer, incident_id, _place(None, repeat, item))


@router.post("/incidents/{incident_id}/r/{repeat}/{item}/remove")
async def remove_item(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    repeat: str,
    item: int,
) -> Response:
    return await _remove(request, session, officer, incident_id, _place(None, repeat, item))


@router.get("/incidents/{incident_id}/c/{child}/r/{repeat}/{item}/remove")
def confirm_remove_child_item(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    child: int,
    repeat: str,
    item: int,
) -> Response:
    return _confirm(request, session, officer, incident_id, _place(child, repeat, item))


@router.post("/incidents/{incident_id}/c/{child}/r/{repeat}/{item}/remove")
async def remove_child_item(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    child: int,
    repeat: str,
    item: int,
) -> Response:
    return await _remove(request, session, officer, incident_id, _place(child, repeat, item))


@router.get("/incidents/{incident_id}/close")
def confirm_close(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    if incident.status == IncidentStatus.NO_CHILD:
        return redirect(request, navigation.incident_url(incident_id))
    return render(
        request,
        "checklist/close.html",
        principal=officer,
        incident=incident,
        can_close=service.gate_closes(incident.answers)
        and engine.has_answer(incident.answers.get("gate.no_child_reason")),
        gate_url=screens.Screen(service.prompt_set_of(incident).section("gate"), 0).url(
            incident_id
        ),
    )


@router.post("/incidents/{incident_id}/close")
def close(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    service.close_no_child(session=session, officer=officer, incident_id=incident_id)
    return redirect(request, navigation.incident_url(incident_id))
