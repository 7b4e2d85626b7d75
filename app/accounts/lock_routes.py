"""Quick hide: ``POST /lock`` blanks the officer's session at once; ``/unlock`` takes the
password to come back. A page script does both in place, keeping the screen and what was typed
on it (static/js/quick-hide.mjs); without the script, the forms here do the same by pages."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import lock
from app.accounts.deps import UNLOCK, CurrentUser
from app.accounts.routes import safe_next, throttled_page
from app.accounts.service import LoginThrottled, Principal
from app.db import SessionDep
from app.web import client_ip, render

router = APIRouter(tags=["accounts"], include_in_schema=False)


def _unlock_page(
    request: Request, principal: Principal, next_url: str, *, error: str = ""
) -> Response:
    # Drawn as for no one signed in: no name, no navigation, nothing of the records.
    return render(
        request,
        "accounts/unlock.html",
        principal=None,
        csrf_token=principal.session.csrf_token,
        status_code=422 if error else 200,
        next_url=next_url,
        error=error,
    )


@router.post("/lock")
def lock_session(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    lock.lock(session=session, principal=principal, ip=client_ip(request))
    return RedirectResponse(UNLOCK + "?" + urlencode({"next": safe_next(next)}), status_code=303)


@router.get("/unlock")
def unlock_form(request: Request, principal: CurrentUser, next: str = "/") -> Response:
    if not principal.session.locked:
        return RedirectResponse(safe_next(next), status_code=303)
    return _unlock_page(request, principal, safe_next(next))


@router.post("/unlock")
def unlock(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    target = safe_next(next)
    if not password:
        return _unlock_page(request, principal, target, error="missing_password")
    try:
        lock.unlock(session=session, principal=principal, password=password, ip=client_ip(request))
    except LoginThrottled as throttled:
        return throttled_page(request, throttled.retry_at)
    except lock.UnlockFailed:
        return _unlock_page(request, principal, target, error="failed")
    return RedirectResponse(target, status_code=303)
