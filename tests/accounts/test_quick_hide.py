"""Quick hide on the server: a locked session is refused everything but unlocking and signing
out; the password (throttled as at sign-in) unlocks it; each lock and unlock is audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.accounts.models import UserSession
from app.audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db


def _actions(session: Session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq))]


def _lock(client: Browserless, next_url: str = "/incidents") -> None:
    response = client.form("/lock", {"next": next_url})
    assert response.status_code == 303
    assert response.headers["location"] == "/unlock?next=%2Fincidents"


def test_every_officer_screen_has_the_hide_button(as_officer: Browserless) -> None:
    page = as_officer.get("/incidents").text
    assert 'action="/lock"' in page
    assert 'aria-keyshortcuts="Alt+Shift+H"' in page
    assert 'id="tc-lock-template"' in page


def test_locking_is_held_on_the_server(as_officer: Browserless, session: Session) -> None:
    _lock(as_officer)
    assert session.exec(select(UserSession)).one().locked
    assert _actions(session)[-1] == "session.locked"
    # Pages go to the password; the JSON API and autosaves are refused.
    page = as_officer.get("/incidents")
    assert page.status_code == 303
    assert page.headers["location"] == "/unlock?next=/incidents"
    assert as_officer.get("/").headers["location"] == "/incidents"  # then /unlock, as above
    api = as_officer.get("/api/v1/prompt-set")
    assert api.status_code == 423
    assert api.json() == {"error": "locked"}
    assert as_officer.get("/api/v1/session").status_code == 423
    created = as_officer.post(
        "/api/v1/incidents",
        json={"client_uuid": "00000000-0000-4000-8000-000000000009"},
        headers={"X-CSRF-Token": as_officer.csrf},
    )
    assert created.status_code == 423
    autosave = as_officer.post(
        "/incidents", data={"csrf_token": as_officer.csrf}, headers={"HX-Request": "true"}
    )
    assert autosave.status_code == 423


def test_the_unlock_page_shows_nothing_of_the_user(as_officer: Browserless) -> None:
    _lock(as_officer)
    page = as_officer.get("/unlock?next=/incidents")
    assert page.status_code == 200
    check_page(page.text)
    assert "<title>Locked \u2013 Think Child</title>" in page.text
    assert as_officer.user.display_name not in page.text
    assert 'action="/logout"' in page.text
    assert "Incidents" not in page.text  # no navigation


def test_the_right_password_unlocks_and_returns(as_officer: Browserless, session: Session) -> None:
    _lock(as_officer)
    as_officer.get("/unlock?next=/incidents")
    response = as_officer.form("/unlock", {"password": PASSWORD, "next": "/incidents"})
    assert response.status_code == 303
    assert response.headers["location"] == "/incidents"
    assert as_officer.get("/incidents").status_code == 200
    assert not session.exec(select(UserSession)).one().locked
    assert _actions(session)[-2:] == ["session.locked", "session.unlocked"]


def test_a_wrong_password_is_refused_and_audited(as_officer: Browserless, session: Session) -> None:
    _lock(as_officer)
    response = as_officer.form("/unlock", {"password": "not-it", "next": "/incidents"})
    assert response.status_code == 422
    check_page(response.text)
    assert "That password is not right" in response.text
    assert session.exec(select(UserSession)).one().locked
    assert _actions(session)[-1] == "session.unlock_failed"
    empty = as_officer.form("/unlock", {"password": "", "next": "/incidents"})
    assert empty.status_code == 422
    assert "Enter your password" in empty.text


def test_wrong_passwords_are_throttled_as_at_sign_in(
    as_officer: Browserless, session: Session, settings
) -> None:
    _lock(as_officer)
    for _ in range(settings.login_max_failures):
        as_officer.form("/unlock", {"password": "not-it"})
    refused = as_officer.form("/unlock", {"password": PASSWORD})
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert session.exec(select(UserSession)).one().locked  # the right one waits too
    assert "session.unlock_throttled" in _actions(session)


def test_signing_out_while_locked_works(as_officer: Browserless, session: Session) -> None:
    _lock(as_officer)
    response = as_officer.form("/logout")
    assert response.status_code == 303
    assert session.exec(select(UserSession)).first() is None


def test_unlock_when_not_locked_goes_on(as_officer: Browserless) -> None:
    response = as_officer.get("/unlock?next=/incidents")
    assert response.status_code == 303
    assert response.headers["location"] == "/incidents"
