"""Trips to the thread pool, and where the signed-in user is found. A checklist screen and an
autosave make one trip each (the officer, and an autosave's CSRF token, checked in the screen's
own worker thread); other pages two (the lookup, then the page); the session's lookup never
runs on the event loop; and the screens checked in their own thread refuse exactly as the pages
behind the usual role gate do (every write's CSRF check: tests/test_access_matrix.py).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlmodel import Session, col, select

from app.accounts import signed_in, users
from app.accounts.models import User, UserSession
from app.audit.models import AuditEvent
from app.db import get_session
from app.main import app
from tests.checklist.test_flow import start
from tests.factories import PASSWORD, make_team, make_user
from tests.helpers import Browserless

pytestmark = pytest.mark.db


def _name(func: Callable[..., Any]) -> str:
    inner = getattr(func, "func", func)  # starlette's partial
    endpoint = getattr(func, "keywords", {}).get("function")  # FastAPI's telemetry wrapper
    return str(getattr(endpoint or inner, "__name__", inner))


@pytest.fixture
def trips(
    client: Browserless, session: Session, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[str]]:
    """The name of each function sent to the thread pool, in order. The test session is handed
    over as the app's own dependency is, on the event loop (the suite's override is a plain
    function: a trip of its own)."""

    async def the_session() -> AsyncIterator[Session]:
        yield session

    monkeypatch.setitem(app.dependency_overrides, get_session, the_session)
    sent: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        sent.append(_name(func))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    yield sent


@pytest.fixture
def lookups_off_the_loop(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each lookup of the signed-in user: True if it ran with no event loop in its thread."""
    off: list[bool] = []
    real = signed_in.load

    def load(**kwargs: Any) -> signed_in.SignedIn | None:
        try:
            asyncio.get_running_loop()
            off.append(False)
        except RuntimeError:
            off.append(True)
        return real(**kwargs)

    monkeypatch.setattr(signed_in, "load", load)
    return off


def test_a_screen_is_one_trip_to_the_thread_pool(
    as_officer: Browserless, trips: list[str], lookups_off_the_loop: list[bool]
) -> None:
    url = f"/incidents/{start(as_officer)}/s/incident/1"
    trips.clear()
    lookups_off_the_loop.clear()
    response = as_officer.get(url)
    assert response.status_code == 200 and "Incident or occurrence number" in response.text
    assert trips == ["section_page"]  # the lookup and the checks ran in the screen's thread
    assert lookups_off_the_loop == [True]


def test_an_autosave_is_one_trip(
    as_officer: Browserless, trips: list[str], lookups_off_the_loop: list[bool]
) -> None:
    url = f"/incidents/{start(as_officer)}/s/incident/1"
    trips.clear()
    lookups_off_the_loop.clear()
    form = {"_present": "incident.log_ref", "incident.log_ref": "LOG-1", "autosave": "1"}
    saved = as_officer.form(url, form, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and "Saved at" in saved.text
    assert trips == ["save_section_page"]  # the lookup, the token and the save: one thread
    assert lookups_off_the_loop == [True]


def test_an_autosave_with_a_stale_token_is_refused_and_saves_nothing(
    as_officer: Browserless, session: Session
) -> None:
    incident = start(as_officer)
    url = f"/incidents/{incident}/s/incident/1"
    form = {"_present": "incident.log_ref", "incident.log_ref": "LOG-1", "autosave": "1"}
    refused = as_officer.post(
        url, data={**form, "csrf_token": "stale"}, headers={"HX-Request": "true"}
    )
    assert refused.headers.get("HX-Trigger") == "tc-signed-out"  # the page asks to sign in
    assert "Saved at" not in refused.text
    answers = as_officer.get(f"/api/v1/incidents/{incident}").json()["answers"]
    assert "incident.log_ref" not in answers


def test_a_page_behind_the_usual_gate_finds_the_user_once_off_the_loop(
    as_officer: Browserless, trips: list[str], lookups_off_the_loop: list[bool]
) -> None:
    trips.clear()
    assert as_officer.get("/incidents").status_code == 200
    assert trips == ["signed_in_here", "incidents"]
    assert lookups_off_the_loop == [True]


def _refusals(session: Session) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "access.refused")
    return list(session.exec(query.order_by(col(AuditEvent.seq))))


def _set_session(session: Session, **values: bool) -> None:
    for row in session.exec(select(UserSession)):
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
    session.commit()


def _set_user(session: Session, username: str, **values: bool) -> None:
    user = session.exec(select(User).where(User.username == username)).one()
    for name, value in values.items():
        setattr(user, name, value)
    session.add(user)
    session.commit()


STATES: dict[str, Callable[[Session, str], None]] = {
    "signed in": lambda s, u: None,
    "locked by quick hide": lambda s, u: _set_session(s, locked=True),
    "second factor owed": lambda s, u: _set_session(s, pending_second_factor=True),
    "password to change": lambda s, u: _set_user(s, u, must_change_password=True),
    "account switched off": lambda s, u: _set_user(s, u, is_active=False),
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("roles", [("officer",), ("supervisor",), ("coach", "admin")])
def test_a_screen_refuses_as_the_usual_gate_does(
    client: Browserless, session: Session, state: str, roles: tuple[str, ...]
) -> None:
    """The overview of an incident stands behind ``require_roles``; its screens check the same
    in their own thread. For each kind of user in each state, both answer alike, and a refusal
    for want of the role is recorded once for each."""
    owner = make_user(session, team=make_team(session))
    client.log_in(owner.username, PASSWORD)
    incident = start(client)
    client.cookies.clear()
    team = make_team(session)
    user = make_user(session, roles=roles, team=team, supervises=[team], coaches=[team])
    client.log_in(user.username, PASSWORD)
    STATES[state](session, user.username)
    answers = [
        client.get(f"/incidents/{incident}{where}", follow_redirects=False)
        for where in ("", "/s/incident/1")
    ]
    # Sent to sign in (or on to the step owed) with the page asked for: the rest alike.
    (overview, screen) = [
        (r.status_code, (r.headers.get("location") or "").replace("/s/incident/1", ""))
        for r in answers
    ]
    assert screen == overview
    if state == "signed in":
        # Another officer's incident is not found; someone who is no officer is refused.
        assert screen == ((404, "") if "officer" in roles else (403, ""))
    else:
        assert screen[0] in (302, 303, 307), screen
    session.rollback()
    refused = [e for e in _refusals(session) if e.actor_id == user.id]
    expected = 2 if state == "signed in" and "officer" not in roles else 0
    assert len([e for e in refused if e.reason == "needs role: officer"]) == expected


def test_signed_out_a_screen_sends_to_sign_in_and_back(as_officer: Browserless) -> None:
    url = f"/incidents/{start(as_officer)}/s/incident/1"
    as_officer.cookies.clear()
    response = as_officer.get(url, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={url}"


@pytest.mark.parametrize("state", ["signed in", "locked by quick hide", "signed out"])
@pytest.mark.parametrize("roles", [("officer",), ("supervisor",)])
def test_a_malformed_screen_url_is_refused_as_the_usual_gate_refuses_it(
    client: Browserless, session: Session, state: str, roles: tuple[str, ...]
) -> None:
    """Who asks is checked before the URL is read, as behind ``require_roles``: someone who is
    no officer gets 403 (recorded) however the URL is written, an officer a malformed one 422."""
    team = make_team(session)
    user = make_user(session, roles=roles, team=team, supervises=[team])
    client.log_in(user.username, PASSWORD)
    if state == "signed out":
        client.cookies.clear()
    else:
        STATES.get(state, lambda s, u: None)(session, user.username)
    gate = client.get("/incidents/not-an-id", follow_redirects=False)
    for url in ("/incidents/not-an-id/s/incident/1", f"/incidents/{uuid.uuid4()}/s/incident/x"):
        screen = client.get(url, follow_redirects=False)
        where = (screen.headers.get("location") or "").replace(url, "/incidents/not-an-id")
        assert (screen.status_code, where) == (gate.status_code, gate.headers.get("location", ""))
    expected = {"signed in": 422 if roles == ("officer",) else 403}.get(state, 303)
    assert gate.status_code == expected
    posted = client.post(
        "/incidents/not-an-id/s/incident/1",
        data={"csrf_token": client.csrf, "incident.log_ref": "X"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    if state == "signed in":
        assert posted.status_code == expected
    session.rollback()
    refused = [e for e in _refusals(session) if e.actor_id == user.id]
    assert len(refused) == (4 if expected == 403 else 0)  # the gate, two screens, the post


def test_no_route_runs_on_the_event_loop() -> None:
    """Every route is a plain ``def`` (FastAPI runs it in a worker thread): a route written
    ``async def`` runs its database work, and a new user's password hashing, on the event loop,
    where every other request waits for it."""
    routes = [
        c.original_route
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, APIRoute)
    ]
    assert len(routes) > 50
    on_the_loop = [r.path for r in routes if asyncio.iscoroutinefunction(r.endpoint)]
    assert on_the_loop == []


def test_a_new_users_password_is_hashed_off_the_event_loop(
    as_admin: Browserless, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    off: list[bool] = []
    real = users.hash_password

    def hashing(password: str) -> str:
        try:
            asyncio.get_running_loop()
            off.append(False)
        except RuntimeError:
            off.append(True)
        return real(password)

    monkeypatch.setattr(users, "hash_password", hashing)
    form = {
        "username": "offloop",
        "display_name": "PC Off Loop",
        "collar_number": "PC 4243",
        "password": "a long enough password",
        "roles": ["officer"],
        "team_id": str(make_team(session).id),
    }
    assert as_admin.form("/admin/users/new", form).status_code == 303
    assert off == [True]
