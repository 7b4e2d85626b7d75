"""Log in, log out and the home page."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import login_csrf, service
from app.accounts.deps import (
    MaybeUser,
    clear_session_cookie,
    session_token,
    set_session_cookie,
)
from app.accounts.models import Role
from app.db import SessionDep
from app.models_base import utcnow
from app.web import client_ip, render

router = APIRouter(tags=["accounts"])
CLEAR_SITE_DATA = '"cache", "storage"'


def safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme) may follow log-in."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target[:500]
    return "/"


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
    *,
    status_code: int = 200,
    error: str = "",
    username: str = "",
    next_url: str = "/",
) -> Response:
    """The sign-in form. Its CSRF token lives in a signed cookie: nothing is stored."""
    token, is_new = login_csrf.token_for(request)
    response = render(
        request,
        "accounts/login.html",
        principal=None,
        csrf_token=token,
        status_code=status_code,
        error=error,
        username=username,
        next_url=next_url,
    )
    if is_new:
        login_csrf.set_cookie(response, token)
    return response


def throttled_page(request: Request, retry_at: datetime) -> Response:
    wait = max(1, math.ceil((retry_at - utcnow()).total_seconds()))
    response = render(
        request,
        "errors/429.html",
        principal=None,
        status_code=429,
        code="login_throttled",
        retry_at=retry_at,
        minutes=math.ceil(wait / 60),
    )
    response.headers["Retry-After"] = str(wait)
    return response


@router.get("/login", include_in_schema=False)
def login_form(request: Request, principal: MaybeUser, next: str = "/") -> Response:
    if principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_url=safe_next(next))


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    page: dict[str, Any] = {"username": username[:50], "next_url": safe_next(next)}
    if not username.strip() or not password:
        error = "missing_username" if not username.strip() else "missing_password"
        return _login_page(request, status_code=422, error=error, **page)
    try:
        signed_in = service.log_in(
            session=session,
            username=username,
            password=password,
            old_token=session_token(request),
            ip=client_ip(request),
        )
    except service.LoginThrottled as throttled:
        return throttled_page(request, throttled.retry_at)
    except service.LoginFailed:
        return _login_page(request, status_code=422, error="failed", **page)
    target = safe_next(next)
    if signed_in.code_needed:
        target = "/login/code?" + urlencode({"next": target})
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, signed_in.token)
    login_csrf.clear_cookie(response)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, session: SessionDep, principal: MaybeUser) -> Response:
    service.log_out(
        session=session, principal=principal, token=session_token(request), ip=client_ip(request)
    )
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    clear_session_cookie(response)
    # Nothing of the incidents stays in this browser: its caches, the encrypted outbox and its
    # key (IndexedDB), local storage and the service worker (registered again on the next page).
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
