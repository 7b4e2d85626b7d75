"""Log in, log out and the home page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import service, sessions
from app.accounts.deps import (
    LiveSession,
    MaybeUser,
    clear_session_cookie,
    session_token,
    set_session_cookie,
)
from app.accounts.models import Role
from app.db import SessionDep
from app.web import render

router = APIRouter(tags=["accounts"])


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme) may follow log-in."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target[:500]
    return "/"


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


@router.get("/", include_in_schema=False)
def home(request: Request, principal: MaybeUser) -> Response:
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    single_role_home = {Role.OFFICER: "/incidents", Role.SUPERVISOR: "/review"}
    if len(principal.roles) == 1 and (
        home_url := single_role_home.get(next(iter(principal.roles)))
    ):
        return RedirectResponse(home_url, status_code=303)
    return render(request, "accounts/home.html", principal=principal)


def _login_page(
    request: Request,
    session: SessionDep,
    row: LiveSession,
    *,
    status_code: int = 200,
    error: str = "",
    username: str = "",
    next_url: str = "/",
    minutes: int = 0,
) -> Response:
    token: str | None = None
    if row is None:
        token, row = sessions.create(session=session, user_id=None)
        session.commit()
    response = render(
        request,
        "accounts/login.html",
        principal=None,
        csrf_token=row.csrf_token,
        status_code=status_code,
        error=error,
        username=username,
        next_url=next_url,
        minutes=minutes,
    )
    if token:
        set_session_cookie(response, token)
    return response


@router.get("/login", include_in_schema=False)
def login_form(
    request: Request, session: SessionDep, row: LiveSession, principal: MaybeUser, next: str = "/"
) -> Response:
    if principal is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, session, row, next_url=_safe_next(next))


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    session: SessionDep,
    row: LiveSession,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    page: dict[str, Any] = {"username": username[:50], "next_url": _safe_next(next)}
    if not username.strip() or not password:
        error = "missing_username" if not username.strip() else "missing_password"
        return _login_page(request, session, row, status_code=422, error=error, **page)
    try:
        token = service.log_in(
            session=session,
            username=username,
            password=password,
            old_token=session_token(request),
            ip=_client_ip(request),
        )
    except service.LoginLocked as locked:
        return _login_page(
            request, session, row, status_code=429, error="locked", minutes=locked.minutes, **page
        )
    except service.LoginFailed:
        return _login_page(request, session, row, status_code=422, error="failed", **page)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, token)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, session: SessionDep, principal: MaybeUser) -> Response:
    service.log_out(
        session=session, principal=principal, token=session_token(request), ip=_client_ip(request)
    )
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    clear_session_cookie(response)
    return response
