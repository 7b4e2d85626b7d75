"""The lists on the checklist: children (add, change, remove), the items of a repeat (an
adult, an injury: their pages, and remove), and closing an incident at the gate."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.accounts.deps import require_roles
from app.accounts.models import Role
from app.accounts.service import Principal
from app.checklist import answers as engine
from app.checklist import lifecycle, navigation, screen_service, screens, service
from app.checklist.answers import items
from app.checklist.models import IncidentStatus
from app.checklist.pages import locked
from app.checklist.routes import OfficerAsking, save, show
from app.db import SessionDep
from app.errors import NotFound
from app.htmx import IsHtmx, redirect
from app.web import PostedForm, render

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
    kids = [c for c in incident.answers.get(screens.CHILDREN) or [] if isinstance(c, dict)]
    missing = set(service.status_of(ps, incident.answers).missing)
    base = navigation.incident_url(incident_id)
    rows = [
        (
            i + 1,
            child,
            any(m.startswith(f"children[{i}].child.") for m in missing),
            screens.Screen(section, 0, screens.Place(child=child.get("id"))).url(incident_id),
            f"{base}/c/{child.get('id')}/remove",
        )
        for i, child in enumerate(kids)
    ]
    return render(
        request,
        "checklist/children.html",
        principal=officer,
        incident=incident,
        ps=ps,
        section=section,
        children=rows,
        full=ps.too_many_items(screens.CHILDREN, section.title)
        if len(kids) >= ps.max_items(screens.CHILDREN)
        else "",
        continue_url=navigation.after_children(ps, incident.answers, incident_id),
        locked=incident.status != IncidentStatus.DRAFT,
        progress=screens.progress(ps, "child"),
    )


@router.post("/incidents/{incident_id}/children/add")
def add_child(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    try:
        child_id = screen_service.add_item(
            session=session,
            officer=officer,
            incident_id=incident_id,
            place=screens.Place(),
            repeat=screens.CHILDREN,
        )
    except service.IncidentLocked:
        return locked(request, session, officer, incident_id)
    except screen_service.ListFull:  # the list page says so
        return redirect(request, navigation.incident_url(incident_id, "/children"))
    if child_id is None:  # no children are asked for (the Think Child answers say so)
        return redirect(request, navigation.incident_url(incident_id))
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    section = service.prompt_set_of(incident).section("child")
    return redirect(
        request, screens.Screen(section, 0, screens.Place(child=child_id)).url(incident_id)
    )


def _place(child: str | None, repeat: str | None, item: str | None) -> screens.Place:
    if (child is not None and not items.is_id(child)) or (
        item is not None and not items.is_id(item)
    ):
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
    if incident.status != IncidentStatus.DRAFT:  # nothing can be removed now
        return redirect(request, navigation.incident_url(incident_id))
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


def _remove(
    request: Request,
    session: SessionDep,
    officer: Principal,
    incident_id: uuid.UUID,
    place: screens.Place,
) -> Response:
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    ps = service.prompt_set_of(incident)
    try:
        screen_service.remove_item(
            session=session, officer=officer, incident_id=incident_id, place=place
        )
    except service.IncidentLocked:
        return locked(request, session, officer, incident_id)
    if place.repeat is None:
        return redirect(request, navigation.incident_url(incident_id, "/children"))
    item_screen = screens.Screen(ps.section_of(place.repeat), 0, place)
    return redirect(request, navigation.next_url(ps, incident.answers, item_screen, incident_id))


@router.get("/incidents/{incident_id}/r/{repeat}/{item}")
def item_page(
    request: Request,
    session: SessionDep,
    asking: OfficerAsking,
    incident_id: str,
    repeat: str,
    item: str,
) -> Response:
    return show(request, session, asking, incident_id, repeat=repeat, item=item)


@router.post("/incidents/{incident_id}/r/{repeat}/{item}")
def save_item_page(
    request: Request,
    session: SessionDep,
    asking: OfficerAsking,
    form: PostedForm,
    is_htmx: IsHtmx,
    incident_id: str,
    repeat: str,
    item: str,
) -> Response:
    return save(request, session, asking, incident_id, form, is_htmx, repeat=repeat, item=item)


@router.get("/incidents/{incident_id}/c/{child}/r/{repeat}/{item}")
def child_item_page(
    request: Request,
    session: SessionDep,
    asking: OfficerAsking,
    incident_id: str,
    child: str,
    repeat: str,
    item: str,
) -> Response:
    where = {"child": child, "repeat": repeat, "item": item}
    return show(request, session, asking, incident_id, **where)


@router.post("/incidents/{incident_id}/c/{child}/r/{repeat}/{item}")
def save_child_item_page(
    request: Request,
    session: SessionDep,
    asking: OfficerAsking,
    form: PostedForm,
    is_htmx: IsHtmx,
    incident_id: str,
    child: str,
    repeat: str,
    item: str,
) -> Response:
    where = {"child": child, "repeat": repeat, "item": item}
    return save(request, session, asking, incident_id, form, is_htmx, **where)


@router.get("/incidents/{incident_id}/c/{child}/remove")
def confirm_remove_child(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID, child: str
) -> Response:
    return _confirm(request, session, officer, incident_id, _place(child, None, None))


@router.post("/incidents/{incident_id}/c/{child}/remove")
def remove_child(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID, child: str
) -> Response:
    return _remove(request, session, officer, incident_id, _place(child, None, None))


@router.get("/incidents/{incident_id}/r/{repeat}/{item}/remove")
def confirm_remove_item(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    repeat: str,
    item: str,
) -> Response:
    return _confirm(request, session, officer, incident_id, _place(None, repeat, item))


@router.post("/incidents/{incident_id}/r/{repeat}/{item}/remove")
def remove_item(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    repeat: str,
    item: str,
) -> Response:
    return _remove(request, session, officer, incident_id, _place(None, repeat, item))


@router.get("/incidents/{incident_id}/c/{child}/r/{repeat}/{item}/remove")
def confirm_remove_child_item(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    child: str,
    repeat: str,
    item: str,
) -> Response:
    return _confirm(request, session, officer, incident_id, _place(child, repeat, item))


@router.post("/incidents/{incident_id}/c/{child}/r/{repeat}/{item}/remove")
def remove_child_item(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    child: str,
    repeat: str,
    item: str,
) -> Response:
    return _remove(request, session, officer, incident_id, _place(child, repeat, item))


def _close_page(
    request: Request, session: SessionDep, officer: Principal, incident_id: uuid.UUID
) -> Response:
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    if incident.status != IncidentStatus.DRAFT:  # closed already, or submitted
        return redirect(request, navigation.incident_url(incident_id))
    can_close = service.gate_closes(incident.answers) and engine.has_answer(
        incident.answers.get("gate.no_child_reason")
    )
    return render(
        request,
        "checklist/close.html",
        principal=officer,
        status_code=200 if request.method == "GET" else 422,
        incident=incident,
        can_close=can_close,
        gate_url=screens.Screen(service.prompt_set_of(incident).section("gate"), 0).url(
            incident_id
        ),
    )


@router.get("/incidents/{incident_id}/close")
def confirm_close(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    return _close_page(request, session, officer, incident_id)


@router.post("/incidents/{incident_id}/close")
def close(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    try:
        lifecycle.close_no_child(session=session, officer=officer, incident_id=incident_id)
    except service.IncidentLocked:
        return locked(request, session, officer, incident_id)
    except lifecycle.CannotClose:  # the answers changed since the page was drawn
        return _close_page(request, session, officer, incident_id)
    return redirect(request, navigation.incident_url(incident_id))
