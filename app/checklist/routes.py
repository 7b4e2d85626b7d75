"""The officer's pages: incidents, the task list, and each screen of the checklist."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.accounts.deps import require_roles
from app.accounts.models import Role
from app.accounts.service import Principal
from app.checklist import forms, navigation, screen_service, screens, service, view
from app.checklist.models import Incident, IncidentStatus
from app.checklist.promptset import PromptSet
from app.db import SessionDep
from app.errors import NotFound
from app.htmx import IsHtmx, redirect
from app.templating import uk_time
from app.web import render

router = APIRouter(tags=["checklist"], include_in_schema=False)
Officer = Annotated[Principal, Depends(require_roles(Role.OFFICER))]


@router.get("/incidents")
def incidents(request: Request, session: SessionDep, officer: Officer) -> Response:
    from app.referrals import service as referrals  # referrals builds on the checklist

    mine = service.list_own(session=session, officer=officer)
    refs = {r.incident_id: r for r in referrals.list_own(session=session, officer=officer)}
    return render(
        request,
        "checklist/incidents.html",
        principal=officer,
        drafts=[i for i in mine if i.status == IncidentStatus.DRAFT],
        submitted=[(i, refs.get(i.id)) for i in mine if i.status == IncidentStatus.SUBMITTED],
        closed=[i for i in mine if i.status == IncidentStatus.NO_CHILD],
        new_uuid=uuid.uuid4(),
    )


@router.post("/incidents")
def start(
    request: Request,
    session: SessionDep,
    officer: Officer,
    client_uuid: Annotated[uuid.UUID, Form()],
) -> Response:
    incident, _created = service.start(session=session, officer=officer, client_uuid=client_uuid)
    ps = service.prompt_set_of(incident)
    return redirect(request, screens.Screen(ps.section("incident"), 0).url(incident.id))


def _own(
    session: SessionDep, officer: Principal, incident_id: uuid.UUID
) -> tuple[Incident, PromptSet]:
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    return incident, service.prompt_set_of(incident)


@router.get("/incidents/{incident_id}")
def overview(
    request: Request, session: SessionDep, officer: Officer, incident_id: uuid.UUID
) -> Response:
    incident, ps = _own(session, officer, incident_id)
    state = service.status_of(ps, incident.answers)
    return render(
        request,
        "checklist/overview.html",
        principal=officer,
        incident=incident,
        ps=ps,
        state=state,
        resume=navigation.resume_url(ps, incident.answers, state.missing, incident.id),
        first=screens.Screen(ps.section("incident"), 0).url(incident.id),
        flow=screens.flow(ps, incident.answers),
    )


def _screen(
    ps: PromptSet,
    section_id: str | None = None,
    page: int = 1,
    child: int | None = None,
    repeat: str | None = None,
    item: int | None = None,
) -> screens.Screen:
    """The screen a URL names, or 404 for one that does not exist."""
    try:
        if repeat is not None:
            nested = screens.CHILDREN in ps.scope_of(repeat)
            if (
                ps.prompt(repeat).type != "repeat"
                or nested != (child is not None)
                or item is None
                or item < 0
            ):
                raise KeyError(repeat)
            return screens.Screen(ps.section_of(repeat), 0, screens.Place(child, repeat, item))
        section = ps.section(section_id or "")
    except KeyError:
        raise NotFound() from None
    in_children = section.repeat == screens.CHILDREN
    if (child is not None) != in_children or section.id in screens.CHECK_SECTIONS:
        raise NotFound()
    if not 1 <= page <= screens.section_pages(ps, section.id):
        raise NotFound()
    return screens.Screen(section, page - 1, screens.Place(child=child))


def _page(
    request: Request,
    officer: Principal,
    incident: Incident,
    ps: PromptSet,
    screen: screens.Screen,
    *,
    raw: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    elsewhere: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    scope = (
        screen.place.get(incident.answers) if screen.place != screens.Place() else incident.answers
    )
    if scope is None:
        raise NotFound()
    prompts = screen.prompts(ps)
    errors = errors or {}
    summary = [
        {"text": errors[p.id], "href": "#" + forms.first_input_id(p)}
        for p in prompts
        if p.id in errors
    ]
    for path, message in (elsewhere or {}).items():
        target = screens.screen_for_path(ps, path)
        summary.append({"text": message, "href": target.url(incident.id) if target else "#"})
    child = None
    if screen.place.child is not None:
        child = screens.Place(child=screen.place.child).get(incident.answers)
    return render(
        request,
        "checklist/screen.html",
        principal=officer,
        status_code=status_code,
        vary_htmx=True,
        incident=incident,
        ps=ps,
        screen=screen,
        action=screen.url(incident.id),
        fields=view.fields_for(ps, screen, incident.answers, errors),
        raw=raw if raw is not None else forms.raw_for(prompts, scope),
        summary=summary,
        child=child,
        locked=incident.status != IncidentStatus.DRAFT,
    )


async def _save(
    request: Request,
    session: SessionDep,
    officer: Principal,
    incident_id: uuid.UUID,
    is_htmx: bool,
    screen_of: Any,
) -> Response:
    _incident, ps = _own(session, officer, incident_id)
    screen: screens.Screen = screen_of(ps)
    form = await request.form()
    result = screen_service.save_screen(
        session=session, officer=officer, incident_id=incident_id, screen=screen, form=form
    )
    if form.get("autosave") and is_htmx:
        return render(
            request,
            "checklist/_save_status.html",
            principal=officer,
            result=result,
            saved_at=uk_time(result.incident.updated_at, "%H:%M"),
            vary_htmx=True,
        )
    if not result.ok:
        return _page(
            request,
            officer,
            result.incident,
            ps,
            screen,
            raw=result.raw,
            errors=result.errors,
            elsewhere=result.elsewhere,
            status_code=422,
        )
    action = form.get("action")
    if isinstance(action, str) and action.startswith("add:"):
        repeat = action.removeprefix("add:")
        if any(p.id == repeat for p in screen.prompts(ps)):
            place = screens.Place(child=screen.place.child)
            index = screen_service.add_item(
                session=session,
                officer=officer,
                incident_id=incident_id,
                place=place,
                repeat=repeat,
            )
            item = screens.Screen(
                ps.section_of(repeat), 0, screens.Place(screen.place.child, repeat, index)
            )
            return redirect(request, item.url(incident_id))
    return redirect(request, navigation.next_url(ps, result.incident.answers, screen, incident_id))


@router.get("/incidents/{incident_id}/s/{section_id}/{page}")
def section_page(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    section_id: str,
    page: int,
) -> Response:
    incident, ps = _own(session, officer, incident_id)
    return _page(request, officer, incident, ps, _screen(ps, section_id, page))


@router.post("/incidents/{incident_id}/s/{section_id}/{page}")
async def save_section_page(
    request: Request,
    session: SessionDep,
    officer: Officer,
    is_htmx: IsHtmx,
    incident_id: uuid.UUID,
    section_id: str,
    page: int,
) -> Response:
    return await _save(
        request, session, officer, incident_id, is_htmx, lambda ps: _screen(ps, section_id, page)
    )


@router.get("/incidents/{incident_id}/c/{child}/s/{section_id}/{page}")
def child_page(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    child: int,
    section_id: str,
    page: int,
) -> Response:
    incident, ps = _own(session, officer, incident_id)
    return _page(request, officer, incident, ps, _screen(ps, section_id, page, child=child))


@router.post("/incidents/{incident_id}/c/{child}/s/{section_id}/{page}")
async def save_child_page(
    request: Request,
    session: SessionDep,
    officer: Officer,
    is_htmx: IsHtmx,
    incident_id: uuid.UUID,
    child: int,
    section_id: str,
    page: int,
) -> Response:
    return await _save(
        request,
        session,
        officer,
        incident_id,
        is_htmx,
        lambda ps: _screen(ps, section_id, page, child=child),
    )


@router.get("/incidents/{incident_id}/r/{repeat}/{item}")
def item_page(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    repeat: str,
    item: int,
) -> Response:
    incident, ps = _own(session, officer, incident_id)
    return _page(request, officer, incident, ps, _screen(ps, repeat=repeat, item=item))


@router.post("/incidents/{incident_id}/r/{repeat}/{item}")
async def save_item_page(
    request: Request,
    session: SessionDep,
    officer: Officer,
    is_htmx: IsHtmx,
    incident_id: uuid.UUID,
    repeat: str,
    item: int,
) -> Response:
    return await _save(
        request,
        session,
        officer,
        incident_id,
        is_htmx,
        lambda ps: _screen(ps, repeat=repeat, item=item),
    )


@router.get("/incidents/{incident_id}/c/{child}/r/{repeat}/{item}")
def child_item_page(
    request: Request,
    session: SessionDep,
    officer: Officer,
    incident_id: uuid.UUID,
    child: int,
    repeat: str,
    item: int,
) -> Response:
    incident, ps = _own(session, officer, incident_id)
    return _page(request, officer, incident, ps, _screen(ps, child=child, repeat=repeat, item=item))


@router.post("/incidents/{incident_id}/c/{child}/r/{repeat}/{item}")
async def save_child_item_page(
    request: Request,
    session: SessionDep,
    officer: Officer,
    is_htmx: IsHtmx,
    incident_id: uuid.UUID,
    child: int,
    repeat: str,
    item: int,
) -> Response:
    return await _save(
        request,
        session,
        officer,
        incident_id,
        is_htmx,
        lambda ps: _screen(ps, child=child, repeat=repeat, item=item),
    )
