"""Request dependencies: the session cookie, the signed-in user, role gates and CSRF checks."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, NoReturn

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.accounts import login_csrf, signed_in
from app.accounts.models import Role, UserSession
from app.accounts.service import Principal
from app.audit import service as audit
from app.config import get_settings
from app.db import SessionDep
from app.errors import CsrfRefused, NotAuthenticated, NotPermitted, SessionLocked, StepRequired
from app.request_context import current_address, current_route

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def cookie_name() -> str:
    # The __Host- prefix pins the cookie to this host and path, and needs Secure.
    return "__Host-tc_session" if get_settings().secure_cookies else "tc_session"


def set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        cookie_name(),
        token,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(cookie_name(), path="/")


def session_token(request: Request) -> str | None:
    return request.cookies.get(cookie_name())


_FOUND = "tc.signed_in"  # where a request keeps what the lookup found (its ASGI scope)


def signed_in_here(request: Request, session: Session) -> signed_in.SignedIn | None:
    """The session, user, roles and teams in one query, once a request, in the calling thread:
    a worker thread, never the event loop (a database wait there stops every request)."""
    if _FOUND not in request.scope:
        request.scope[_FOUND] = signed_in.load(session=session, token=session_token(request))
    found: signed_in.SignedIn | None = request.scope[_FOUND]
    return found


async def _signed_in(request: Request, session: SessionDep) -> signed_in.SignedIn | None:
    """The lookup in the thread pool (one trip there and back), unless this request has made
    it already. What it returns is loaded (nothing left expired), so the checks below read it
    without the database: they are ``async``, run on the event loop without a trip each."""
    if _FOUND in request.scope:
        found: signed_in.SignedIn | None = request.scope[_FOUND]
        return found
    return await run_in_threadpool(signed_in_here, request, session)


SignedInDep = Annotated[signed_in.SignedIn | None, Depends(_signed_in)]


async def _live_session(found: SignedInDep) -> UserSession | None:
    return found.row if found else None


LiveSession = Annotated[UserSession | None, Depends(_live_session)]


async def _principal(found: SignedInDep) -> Principal | None:
    """The signed-in user; None too while a second factor's code is owed (signed in to
    nothing yet: `_require_user` sends them to the code page)."""
    return found.principal if found else None


MaybeUser = Annotated[Principal | None, Depends(_principal)]


# Pages a user who must change their password, or enrol a second factor, may still reach.
PASSWORD_CHANGE = "/account/password"
SECOND_FACTOR_CODE = "/login/code"
SECOND_FACTOR_ENROL = "/account/second-factor"
UNLOCK = "/unlock"
_ALWAYS_ALLOWED = frozenset({PASSWORD_CHANGE, "/logout"})
# Quick hide: a locked session may only unlock (or hide again) and sign out.
_WHILE_LOCKED = frozenset({UNLOCK, "/lock", "/logout"})
_WHILE_ENROLLING = frozenset({SECOND_FACTOR_ENROL, PASSWORD_CHANGE, "/logout"})


def check_user(request: Request, found: signed_in.SignedIn | None) -> Principal:
    """The signed-in user, or the step they owe first (signing in, the second factor's code,
    unlocking, a new password, enrolling a second factor) raised. No database."""
    principal = found.principal if found else None
    if found is None or principal is None:
        row = found.row if found else None
        if row is not None and row.user_id is not None and row.pending_second_factor:
            raise StepRequired(SECOND_FACTOR_CODE)
        raise NotAuthenticated()
    path = request.url.path
    if principal.session.locked and path not in _WHILE_LOCKED:
        raise SessionLocked()
    if principal.user.must_change_password and path not in _ALWAYS_ALLOWED:
        raise StepRequired(PASSWORD_CHANGE)
    if path not in _WHILE_ENROLLING and found.must_enrol:
        raise StepRequired(SECOND_FACTOR_ENROL)
    return principal


async def _require_user(request: Request, found: SignedInDep) -> Principal:
    return check_user(request, found)


CurrentUser = Annotated[Principal, Depends(_require_user)]


def require_roles(*roles: Role) -> Callable[[Session, Principal], Awaitable[Principal]]:
    """A dependency that lets through only users holding one of `roles` (on the event loop;
    a refusal is recorded in the thread pool)."""

    async def gate(session: SessionDep, principal: CurrentUser) -> Principal:
        if not principal.has(*roles):
            await run_in_threadpool(functools.partial(refuse, session, principal, roles))
        return principal

    gate.__name__ = "require_" + "_or_".join(roles)
    return gate


def refuse(session: Session, principal: Principal, roles: tuple[Role, ...]) -> NoReturn:
    """A user without the role a route needs: recorded, then refused."""
    record_refusal(session=session, principal=principal, reason="needs role: " + " or ".join(roles))
    raise NotPermitted()


@dataclass(frozen=True)
class Pending:
    """Who asks, not checked yet: the route checks it in its own worker thread, first thing
    (``principal()``): the CSRF token of a state-changing request, then the same checks as
    ``require_roles``. For what an officer does most (each checklist screen, each autosave):
    the lookup then costs no trip of its own to the thread pool and back (about 0.1 ms of a
    2 ms screen). Such a route takes its path values as ``str`` and parses them after
    ``principal()`` (app/checklist/routes.py ``_asked``): a typed one would be refused as
    malformed before anyone is checked."""

    request: Request
    session: Session
    roles: tuple[Role, ...]

    def principal(self) -> Principal:
        found = signed_in_here(self.request, self.session)
        check_csrf(self.request, self.request.scope.get(_SENT), found)  # first, as csrf_protect
        principal = check_user(self.request, found)
        if not principal.has(*self.roles):
            refuse(self.session, principal, self.roles)
        return principal


def require_roles_in_thread(*roles: Role) -> Callable[[Request, Session], Awaitable[Pending]]:
    """As ``require_roles``, checked by the route itself: ``officer = pending.principal()``."""

    async def pending(request: Request, session: SessionDep) -> Pending:
        return Pending(request, session, roles)

    pending.__name__ = "pending_" + "_or_".join(roles)
    setattr(pending, _IN_THREAD, True)
    return pending


def record_refusal(
    *, session: SessionDep, principal: Principal, reason: str, **detail: str
) -> None:
    """One `access.refused` entry (route, user, reason), kept even though the refused request's
    own transaction is rolled back."""
    audit.record_apart(
        session=session,
        action="access.refused",
        actor_id=principal.id,
        actor_name=principal.user.username,
        reason=reason,
        detail={"route": current_route(), **detail},
        ip=current_address(),
    )


async def _sent_csrf_token(request: Request) -> str | None:
    """The token a state-changing request carries: the header (scripts, htmx) or form field."""
    if request.method in SAFE_METHODS:
        return None
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent


async def csrf_protect(
    request: Request,
    sent: Annotated[str | None, Depends(_sent_csrf_token)],
    session: SessionDep,
) -> None:
    """Refuse a state-changing request without the right token: signed in, the session's
    (synchronizer); before, the sign-in form's signed cookie token. The database read it
    needs runs in the thread pool (`_signed_in`), for a state-changing request only (a page
    read needs none); this compares only. The form is read first (`sent`, a dependency): a
    slow upload from a phone must not hold a database transaction open (on SQLite that is the
    write lock). A route that checks who asks in its own thread (a ``Pending``) has the token
    checked there, first thing, before anything else (``Pending.principal``)."""
    if request.method in SAFE_METHODS:
        return
    if _checks_in_thread(request):
        request.scope[_SENT] = sent
        return
    check_csrf(request, sent, await _signed_in(request, session))


def check_csrf(request: Request, sent: str | None, found: signed_in.SignedIn | None) -> None:
    if request.method in SAFE_METHODS:
        return
    row = found.row if found else None
    if row is not None and row.user_id is not None:
        # Bytes, not str: compare_digest refuses a str with non-ASCII characters.
        ok = sent is not None and hmac.compare_digest(sent.encode(), row.csrf_token.encode())
    else:
        ok = login_csrf.matches(request, sent)  # before sign-in: the signed double-submit token
    if not ok:
        raise CsrfRefused()


_SENT = "tc.csrf_sent"  # the token a request carried, for its route to check (a Pending)
_IN_THREAD = "checks_in_thread"  # marks the dependency that hands a route its Pending


def _checks_in_thread(request: Request) -> bool:
    """Whether the matched route takes a ``Pending`` (and so checks who asks, and the CSRF
    token, in its own thread): known from the route's own parameters, not from anything sent.
    Only a ``Pending`` handed to the endpoint (a named parameter) counts: one in a route's or
    router's ``dependencies=[...]`` reaches no code that could check it."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    return dependant is not None and any(
        d.name is not None and getattr(d.call, _IN_THREAD, False) for d in dependant.dependencies
    )
