"""The officer's pages: incidents, the task list, and each screen of the checklist."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import FormData

from app.accounts.deps import Pending, require_roles, require_roles_in_thread
from app.accounts.models import Role
from app.accounts.service import Principal
from app.checklist import field_markup, forms, navigation, screen_service, screens, service, view
from app.checklist.models import Incident, IncidentStatus
from app.checklist.pages import locked
from app.checklist.promptset import PromptSet, PromptType
from app.db import SessionDep
from app.errors import NotFound
from app.htmx import IsHtmx, redirect
from app.templating import uk_time
from app.web import PostedForm, render

router = APIRouter(tags=["checklist"], include_in_schema=False)
Officer = Annotated[Principal, Depends(require_roles(Role.OFFICER))]
# The screens: the officer checked in the route's own thread (``asking.principal()``).
OfficerAsking = Annotated[Pending, Depends(require_roles_in_thread(Role.OFFICER))]


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
        flow=screens.flow(ps, incident.answers),
        reference=incident.reference,
    )


def _screen(ps: PromptSet, **where: Any) -> screens.Screen:
    screen = screens.screen_at(ps, **where)
    if screen is None:
        raise NotFound()
    return screen


def _page(
    request: Request,
    officer: Principal,
    incident: Incident,
    ps: PromptSet,
    screen: screens.Screen,
    result: screen_service.ScreenResult | None = None,
) -> Response:
    scope = (
        screen.place.get(incident.answers) if screen.place != screens.Place() else incident.answers
    )
    if scope is None:
        raise NotFound()
    prompts = screen.prompts(ps)
    errors = result.errors if result else {}
    summary = [
        {"text": errors[p.id], "href": "#" + forms.first_input_id(p)}
        for p in prompts
        if p.id in errors
    ]
    for path, message in (result.elsewhere if result else {}).items():
        target = screens.screen_for_path(ps, path, incident.answers)
        summary.append({"text": message, "href": target.url(incident.id) if target else "#"})
    return render(
        request,
        "checklist/screen.html",
        principal=officer,
        status_code=422 if result else 200,
        vary_htmx=True,
        incident=incident,
        ps=ps,
        screen=screen,
        progress=screens.progress(ps, screen.section.id),
        action=screen.url(incident.id),
        fields=view.fields_for(ps, screen, incident.answers, errors),
        raw=result.raw if result else forms.raw_for(prompts, scope),
        summary=summary,
        saved=result.saved if result else True,
        place=view.place_view(ps, screen.place, incident.answers),
        base=screen_service.base_of(ps, screen, incident.answers),
        locked=incident.status != IncidentStatus.DRAFT,
        field=field_markup.render,
    )


def _conflict(
    request: Request,
    officer: Principal,
    incident: Incident,
    ps: PromptSet,
    screen: screens.Screen,
    form: FormData,
    conflict: screen_service.Conflict,
) -> Response:
    """The screen was changed (or its child or item removed) on another tab or device: what the
    officer typed beside what is stored now; they choose. Nothing typed is lost (409)."""
    prompts = [p for p in screen.prompts(ps) if p.type is not PromptType.REPEAT]
    typed = forms.parse(ps, prompts, form).values
    return render(
        request,
        "checklist/conflict.html",
        principal=officer,
        status_code=409,
        incident=incident,
        ps=ps,
        screen=screen,
        progress=screens.progress(ps, screen.section.id),
        action=screen.url(incident.id),
        conflict=conflict,
        rows=view.conflict_rows(ps, prompts, typed, conflict.stored),
        resend=forms.resend(form),
        revision=incident.revision,
        base=screen_service.base_of(ps, screen, incident.answers),
        place=view.place_view(ps, screen.place, incident.answers),
    )


_URL_TYPES: dict[str, TypeAdapter[Any]] = {
    "incident_id": TypeAdapter(uuid.UUID),
    "page": TypeAdapter(int),
}


def _asked(
    asking: Pending, incident_id: str, where: dict[str, str]
) -> tuple[Principal, uuid.UUID, dict[str, Any]]:
    """Who asks, then what the URL names: checked in that order, as for a route behind a role
    gate (a malformed URL is refused, and recorded, like any other for someone without the
    role), then parsed as FastAPI parses a typed path value (the same 422 when malformed)."""
    officer = asking.principal()
    parsed: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for name, value in {"incident_id": incident_id, **where}.items():
        adapter = _URL_TYPES.get(name)
        try:
            parsed[name] = adapter.validate_python(value) if adapter else value
        except ValidationError as e:
            errors += [{**error, "loc": ("path", name)} for error in e.errors()]
    if errors:
        raise RequestValidationError(errors)
    return officer, parsed.pop("incident_id"), parsed


def show(
    request: Request, session: SessionDep, asking: Pending, incident_id: str, **where: str
) -> Response:
    """GET a screen named by its URL (``where``: section_id and page, child, repeat and item),
    for the officer whose incident it is (checked first, here)."""
    officer, parsed_id, place = _asked(asking, incident_id, where)
    incident, ps = _own(session, officer, parsed_id)
    return _page(request, officer, incident, ps, _screen(ps, **place))


def save(
    request: Request,
    session: SessionDep,
    asking: Pending,
    incident_id: str,
    form: FormData,
    is_htmx: bool,
    **where: str,
) -> Response:
    """POST a screen, for the officer whose incident it is: who asks (and the CSRF token)
    checked first, here."""
    officer, parsed_id, place = _asked(asking, incident_id, where)
    return save_as(request, session, officer, parsed_id, form, is_htmx, **place)


def save_as(
    request: Request,
    session: SessionDep,
    officer: Principal,
    incident_id: uuid.UUID,
    form: FormData,
    is_htmx: bool,
    **where: Any,
) -> Response:
    """Save what is valid, then autosave's status, the page again with its errors (422), the
    new item of a list, or the next screen. The incident is read once, locked (the screen is
    found in its prompt set by ``save_screen``)."""
    autosave = bool(form.get("autosave")) and is_htmx
    csrf_token = officer.session.csrf_token  # read now: the save's commit expires the row
    try:
        result = screen_service.save_screen(
            session=session,
            officer=officer,
            incident_id=incident_id,
            screen=lambda ps: screens.screen_at(ps, **where),
            form=form,
            restore=form.get("resolve") == "mine",
        )
    except service.IncidentLocked:
        return locked(request, session, officer, incident_id, fragment=autosave)
    ps, screen = result.ps, result.screen
    if autosave:
        return render(
            request,
            "checklist/_save_status.html",
            principal=officer,
            csrf_token=csrf_token,
            result=result,
            saved_at=uk_time(result.now.updated_at, "%H:%M"),
            revision=result.now.revision,
            base=screen_service.base_of(ps, screen, result.now.answers),
            vary_htmx=True,
        )
    if result.conflict is not None:
        return _conflict(request, officer, result.incident, ps, screen, form, result.conflict)
    if not result.ok:
        return _page(request, officer, result.incident, ps, screen, result)
    action = form.get("action")
    if isinstance(action, str) and action.startswith("add:"):
        repeat = action.removeprefix("add:")
        if any(p.id == repeat for p in screen.prompts(ps)):
            place = screens.Place(child=screen.place.child)
            try:
                item_id = screen_service.add_item(
                    session=session,
                    officer=officer,
                    incident_id=incident_id,
                    place=place,
                    repeat=repeat,
                )
            except screen_service.ListFull:
                full = screen_service.list_full(ps, result, repeat)
                return _page(request, officer, result.incident, ps, screen, full)
            if item_id is None:  # the list is not asked for yet: say which answer opens it
                refused = screen_service.add_refused(ps, result, repeat)
                return _page(request, officer, result.incident, ps, screen, refused)
            item = screens.Place(screen.place.child, repeat, item_id)
            return redirect(
                request, screens.Screen(ps.section_of(repeat), 0, item).url(incident_id)
            )
    return redirect(request, navigation.next_url(ps, result.incident.answers, screen, incident_id))


@router.get("/incidents/{incident_id}/s/{section_id}/{page}")
def section_page(
    request: Request,
    session: SessionDep,
    asking: OfficerAsking,
    incident_id: str,
    section_id: str,
    page: str,
) -> Response:
    return show(request, session, asking, incident_id, section_id=section_id, page=page)


@router.post("/incidents/{incident_id}/s/{section_id}/{page}")
def save_section_page(
    request: Request,
    session: SessionDep,
    asking: OfficerAsking,
    form: PostedForm,
    is_htmx: IsHtmx,
    incident_id: str,
    section_id: str,
    page: str,
) -> Response:
    where = {"section_id": section_id, "page": page}
    return save(request, session, asking, incident_id, form, is_htmx, **where)


@router.get("/incidents/{incident_id}/c/{child}/s/{section_id}/{page}")
def child_page(
    request: Request,
    session: SessionDep,
    asking: OfficerAsking,
    incident_id: str,
    child: str,
    section_id: str,
    page: str,
) -> Response:
    where = {"section_id": section_id, "page": page, "child": child}
    return show(request, session, asking, incident_id, **where)


@router.post("/incidents/{incident_id}/c/{child}/s/{section_id}/{page}")
def save_child_page(
    request: Request,
    session: SessionDep,
    asking: OfficerAsking,
    form: PostedForm,
    is_htmx: IsHtmx,
    incident_id: str,
    child: str,
    section_id: str,
    page: str,
) -> Response:
    where = {"section_id": section_id, "page": page, "child": child}
    return save(request, session, asking, incident_id, form, is_htmx, **where)
