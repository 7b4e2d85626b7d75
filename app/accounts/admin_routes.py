"""Admin pages: users, roles and teams. Only admins; every change audited by the service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.accounts import grants, password_rules, users
from app.accounts.deps import require_roles
from app.accounts.forms import UserForm, parse_user_form
from app.accounts.models import Role
from app.accounts.service import Principal
from app.db import SessionDep
from app.errors import InvalidTransition
from app.htmx import redirect
from app.text import strip_bidi
from app.web import PostedForm, render

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False)
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]


def _form_page(
    request: Request,
    session: SessionDep,
    admin: Principal,
    form: UserForm,
    *,
    user_id: uuid.UUID | None,
    status_code: int = 200,
) -> Response:
    view = users.view_user(session=session, user_id=user_id) if user_id else None
    return render(
        request,
        "accounts/admin/user_form.html",
        principal=admin,
        status_code=status_code,
        form=form,
        view=view,
        teams=users.list_teams(session=session),
        roles=list(Role),
    )


def _form_from(view: users.UserView) -> UserForm:
    return UserForm(
        username=view.user.username,
        display_name=view.user.display_name,
        collar_number=view.user.collar_number,
        roles=set(view.roles),
        team_id=view.team.id if view.team else None,
        supervises={t.id for t in view.supervises},
        coaches={t.id for t in view.coaches},
    )


@router.get("/users")
def list_users(request: Request, session: SessionDep, admin: Admin) -> Response:
    return render(
        request,
        "accounts/admin/users.html",
        principal=admin,
        views=users.view_users(session=session),
        done=request.query_params.get("done", ""),
    )


@router.get("/users/new")
def new_user_form(request: Request, session: SessionDep, admin: Admin) -> Response:
    return _form_page(request, session, admin, UserForm(roles={Role.OFFICER}), user_id=None)


# The two posts below are plain ``def``, their form read before (``PostedForm``): their
# database work and the new password's hashing run in a worker thread, never on the event loop.
@router.post("/users/new")
def create_user(
    request: Request, session: SessionDep, admin: Admin, posted: PostedForm
) -> Response:
    known = {t.id for t in users.list_teams(session=session)}
    form = parse_user_form(posted, known_teams=known, new=True)
    if not form.errors:
        try:
            users.create_user(
                session=session,
                actor=admin,
                username=form.username,
                display_name=form.display_name,
                collar_number=form.collar_number,
                password=form.password,
                roles=form.roles,
                team_id=form.team_id,
                supervises=form.supervises,
                coaches=form.coaches,
            )
            return redirect(request, "/admin/users?done=created")
        except users.UsernameTaken:
            form.errors["username"] = "username_taken"
    form.password = ""
    return _form_page(request, session, admin, form, user_id=None, status_code=422)


@router.get("/users/{user_id}")
def edit_user_form(
    request: Request, session: SessionDep, admin: Admin, user_id: uuid.UUID
) -> Response:
    form = _form_from(users.view_user(session=session, user_id=user_id))
    return _form_page(request, session, admin, form, user_id=user_id)


@router.post("/users/{user_id}")
def update_user(
    request: Request, session: SessionDep, admin: Admin, posted: PostedForm, user_id: uuid.UUID
) -> Response:
    view = users.view_user(session=session, user_id=user_id)
    known = {t.id for t in users.list_teams(session=session)}
    form = parse_user_form(posted, known_teams=known, new=False)
    form.username = view.user.username
    if form.errors:
        return _form_page(request, session, admin, form, user_id=user_id, status_code=422)
    held = users.update_access(
        session=session,
        actor=admin,
        user_id=user_id,
        display_name=form.display_name,
        collar_number=form.collar_number,
        roles=form.roles,
        team_id=form.team_id,
        supervises=form.supervises,
        coaches=form.coaches,
    )
    return redirect(request, "/admin/access-requests" if held else "/admin/users?done=updated")


@router.get("/access-requests")
def access_requests(request: Request, session: SessionDep, admin: Admin) -> Response:
    """Administrators' requests to supervise or coach a team themselves: another approves."""
    return render(
        request,
        "accounts/admin/access_requests.html",
        principal=admin,
        waiting=grants.pending(session=session),
        done=request.query_params.get("done", ""),
    )


@router.post("/access-requests/{grant_id}")
def decide_access_request(
    request: Request,
    session: SessionDep,
    admin: Admin,
    grant_id: uuid.UUID,
    decision: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    if decision not in ("approve", "refuse"):
        raise InvalidTransition()
    try:
        grants.decide(
            session=session, actor=admin, grant_id=grant_id, approve=decision == "approve"
        )
    except InvalidTransition:  # another administrator decided first
        session.rollback()
        return redirect(request, "/admin/access-requests?done=already")
    return redirect(request, f"/admin/access-requests?done={decision}")


@router.post("/users/{user_id}/status")
def set_status(
    request: Request,
    session: SessionDep,
    admin: Admin,
    user_id: uuid.UUID,
    active: Annotated[bool, Form()],
) -> Response:
    users.set_active(session=session, actor=admin, user_id=user_id, active=active)
    return redirect(request, f"/admin/users?done={'enabled' if active else 'disabled'}")


@router.post("/users/{user_id}/unlock")
def unlock(request: Request, session: SessionDep, admin: Admin, user_id: uuid.UUID) -> Response:
    users.unlock(session=session, actor=admin, user_id=user_id)
    return redirect(request, "/admin/users?done=unlocked")


@router.post("/users/{user_id}/password")
def reset_password(
    request: Request,
    session: SessionDep,
    admin: Admin,
    user_id: uuid.UUID,
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    view = users.view_user(session=session, user_id=user_id)
    if bad := password_rules.problem(password, username=view.user.username):
        form = _form_from(view)
        form.errors["new_password"] = bad.value
        return _form_page(request, session, admin, form, user_id=user_id, status_code=422)
    users.reset_password(session=session, actor=admin, user_id=user_id, password=password)
    return redirect(request, "/admin/users?done=password")


@router.get("/teams")
def list_teams(request: Request, session: SessionDep, admin: Admin) -> Response:
    return render(
        request,
        "accounts/admin/teams.html",
        principal=admin,
        teams=users.list_teams(session=session),
        error="",
        name="",
    )


@router.post("/teams")
def create_team(
    request: Request,
    session: SessionDep,
    admin: Admin,
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    name = strip_bidi(name)
    error = "" if name.strip() else "name_missing"
    if len(name.strip()) > 100:
        error = "name_long"
    if not error:
        try:
            users.create_team(session=session, actor=admin, name=name)
            return redirect(request, "/admin/teams")
        except users.TeamNameTaken:
            error = "name_taken"
    return render(
        request,
        "accounts/admin/teams.html",
        principal=admin,
        status_code=422,
        teams=users.list_teams(session=session),
        error=error,
        name=name,
    )
