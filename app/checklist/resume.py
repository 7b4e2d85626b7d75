"""A screen posted after the session ended keeps what was typed: the same answers come back
with a sign-in prompt on the page, and signing in there saves them through the screen's own
save (its CSRF, revision and three-way checks) and goes on as "Save and continue" would.

The answers travel in the page's own form (hidden fields, never the URL). The prompt carries a
fresh signed sign-in token (app/accounts/login_csrf.py): the ended session's token is gone.
Only a post from this site's own page is answered so (``Sec-Fetch-Site``/``Origin``): another
site's form gets the plain refusal, so it cannot put words in an officer's incident.
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.accounts import login_csrf, second_factor, second_factor_rules, signed_in
from app.accounts import service as accounts
from app.accounts.deps import (
    LiveSession,
    clear_session_cookie,
    session_token,
    set_session_cookie,
)
from app.accounts.models import Role
from app.checklist import items_routes, routes, typed
from app.db import SessionDep
from app.errors import DomainError, NotFound
from app.web import PostedForm, client_ip, render

router = APIRouter(tags=["checklist"], include_in_schema=False)

SIGN_IN = "/incidents/{incident_id}/sign-in-to-save"
_SCREEN_POSTS = frozenset(
    {
        routes.save_section_page,
        routes.save_child_page,
        items_routes.save_item_page,
        items_routes.save_child_item_page,
    }
)
# Fields of the prompt that are not answers: never sent to the screen's save, never carried on.
_OWN = frozenset({"csrf_token", "username", "password", "code", "screen"})
_NAME = r"[A-Za-z0-9_.\-]{1,100}"
_SCREEN = re.compile(
    rf"/incidents/(?P<incident>[0-9a-f\-]{{36}})(?:/c/(?P<child>{_NAME}))?"
    rf"(?:/s/(?P<section_id>{_NAME})/(?P<page>\d{{1,3}})|/r/(?P<repeat>{_NAME})/(?P<item>{_NAME}))"
)


def screen_where(url: object, incident_id: uuid.UUID) -> dict[str, Any] | None:
    """The screen a URL names, as ``routes.save`` takes it; None unless one of this incident."""
    match = _SCREEN.fullmatch(url) if isinstance(url, str) else None
    if match is None or match["incident"] != str(incident_id):
        return None
    found = {k: v for k, v in match.groupdict().items() if v is not None and k != "incident"}
    if "page" in found:
        found["page"] = int(found["page"])
    return found


def _from_this_site(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


def _answers(form: FormData) -> FormData:
    return FormData([(k, v) for k, v in form.multi_items() if k not in _OWN])


def _prompt(
    request: Request,
    form: FormData,
    incident_id: uuid.UUID,
    screen_url: str,
    *,
    error: str = "",
    status_code: int = 401,
    code_token: str | None = None,
) -> Response:
    """The sign-in prompt with the typed answers. ``code_token``: the password was right and
    a second factor's code is owed; the pending session's CSRF token."""
    token, is_new = (code_token, False) if code_token else login_csrf.token_for(request)
    response = render(
        request,
        "checklist/sign_in_to_save.html",
        principal=None,
        csrf_token=token,
        status_code=status_code,
        action=SIGN_IN.format(incident_id=incident_id),
        screen_url=screen_url,
        carried=[(k, v) for k, v in _answers(form).multi_items() if isinstance(v, str)],
        typed=typed.typed_rows(form),
        username=str(form.get("username") or "")[:50],
        code_needed=code_token is not None,
        error=error,
    )
    if code_token is None:
        # The page's session ended (or this page is from one before it): the next post signs in.
        clear_session_cookie(response)
    if is_new:
        login_csrf.set_cookie(response, token)
    return response


async def signed_out_screen(request: Request) -> Response | None:
    """For the error handler: a screen's plain post refused for want of a live session (or
    with a page from an ended one). None when this is not such a post."""
    endpoint = getattr(request.scope.get("route"), "endpoint", None)
    if request.method != "POST" or request.headers.get("HX-Request") == "true":
        return None
    if endpoint not in _SCREEN_POSTS and endpoint is not sign_in_to_save:
        return None
    if not _from_this_site(request):
        return None
    try:
        incident_id = uuid.UUID(str(request.path_params.get("incident_id")))
    except ValueError:
        return None
    form = await request.form()
    screen_url = form.get("screen") if endpoint is sign_in_to_save else request.url.path
    if not isinstance(screen_url, str) or screen_where(screen_url, incident_id) is None:
        return None
    return _prompt(request, form, incident_id, screen_url)


def _signed_in(
    request: Request, response: Response, token: str | None, *, keep_login_cookie: bool = False
) -> Response:
    if token is not None:
        set_session_cookie(response, token)
    if not keep_login_cookie:
        login_csrf.clear_cookie(response)
    return response


@router.post(SIGN_IN)
def sign_in_to_save(
    request: Request,
    session: SessionDep,
    row: LiveSession,
    form: PostedForm,
    incident_id: uuid.UUID,
) -> Response:
    """Sign in (the password, then a code if the account uses one), then save the answers."""
    screen_url = form.get("screen")
    where = screen_where(screen_url, incident_id)
    if where is None or not isinstance(screen_url, str):
        raise DomainError("no screen of this incident")  # 400: a malformed request
    ip = client_ip(request)
    if row is not None and row.user_id is not None and row.pending_second_factor:
        try:
            token = second_factor.complete_sign_in(
                session=session, row=row, code=str(form.get("code") or "").strip(), ip=ip
            )
        except (second_factor.CodeWrong, second_factor.CodeThrottled) as refused:
            throttled = isinstance(refused, second_factor.CodeThrottled)
            return _prompt(
                request,
                form,
                incident_id,
                screen_url,
                error="throttled" if throttled else "code",
                status_code=429 if throttled else 422,
                code_token=row.csrf_token,
            )
    else:
        username, password = form.get("username"), form.get("password")
        if not isinstance(username, str) or not username.strip():
            return _prompt(
                request, form, incident_id, screen_url, error="missing_username", status_code=422
            )
        if not isinstance(password, str) or not password:
            return _prompt(
                request, form, incident_id, screen_url, error="missing_password", status_code=422
            )
        try:
            entered = accounts.log_in(
                session=session,
                username=username[:200],
                password=password[:1000],
                old_token=session_token(request),
                ip=ip,
            )
        except accounts.LoginThrottled:
            return _prompt(
                request, form, incident_id, screen_url, error="throttled", status_code=429
            )
        except accounts.LoginFailed:
            return _prompt(request, form, incident_id, screen_url, error="failed", status_code=422)
        token = entered.token
        if entered.code_needed:
            pending = signed_in.load(session=session, token=token)
            if pending is None:  # ended at once (the account was just disabled): start again
                return _prompt(request, form, incident_id, screen_url)
            page = _prompt(
                request, form, incident_id, screen_url, code_token=pending.row.csrf_token
            )
            return _signed_in(request, page, token, keep_login_cookie=True)
    return _save(request, session, token, incident_id, form, where)


def _save(
    request: Request,
    session: SessionDep,
    token: str,
    incident_id: uuid.UUID,
    form: FormData,
    where: dict[str, Any],
) -> Response:
    live = signed_in.load(session=session, token=token)
    officer = live.principal if live else None
    home: Response = RedirectResponse("/", status_code=303)
    if officer is None or not officer.has(Role.OFFICER):
        return _signed_in(request, home, token)  # not an officer: nothing of this to save
    if officer.user.must_change_password or second_factor_rules.must_enrol(
        session=session, principal=officer
    ):
        return _signed_in(request, home, token)  # a step first: the home page sends them there
    try:
        response = routes.save_as(
            request, session, officer, incident_id, _answers(form), False, **where
        )
    except NotFound:
        # Another officer signed in: the answers were not theirs and are not saved anywhere.
        response = RedirectResponse("/incidents", status_code=303)
    return _signed_in(request, response, token)
