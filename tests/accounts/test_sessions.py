"""Idle and absolute expiry (time control, not sleeps), and an admin's disable taking effect."""

from __future__ import annotations

from sqlmodel import Session

from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless


def _signed_in(client: Browserless) -> bool:
    response = client.get("/")  # signed out: sent to /login; an officer: sent to /incidents
    return not response.headers.get("location", "").startswith("/login")


def test_idle_timeout(client: Browserless, session: Session, settings, time_machine) -> None:
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)
    user = make_user(session)
    client.log_in(user.username, PASSWORD)
    time_machine.move_to("2026-11-23 09:29:00+00:00", tick=False)
    assert _signed_in(client)  # and this use resets the idle clock
    time_machine.move_to("2026-11-23 09:58:00+00:00", tick=False)
    assert _signed_in(client)
    time_machine.shift(settings.session_idle_minutes * 60 + 1)
    assert not _signed_in(client)


def test_absolute_timeout(client: Browserless, session: Session, settings, time_machine) -> None:
    time_machine.move_to("2026-11-23 06:00:00+00:00", tick=False)
    user = make_user(session)
    client.log_in(user.username, PASSWORD)
    # Active every 20 minutes, so never idle, but the session still ends after 12 hours.
    for _ in range(settings.session_absolute_hours * 3 - 1):
        time_machine.shift(20 * 60)
        assert _signed_in(client)
    time_machine.shift(20 * 60 + 1)
    assert not _signed_in(client)


def test_disable_signs_the_user_out_at_once(
    as_admin: Browserless, session: Session, engine
) -> None:
    from app.main import app
    from tests.helpers import Browserless as Client

    officer = make_user(session)
    other = Client(app)
    other.log_in(officer.username, PASSWORD)
    assert _signed_in(other)
    response = as_admin.form(f"/admin/users/{officer.id}/status", {"active": "false"})
    assert response.status_code == 303
    assert not _signed_in(other)


def test_autosave_after_sign_out_keeps_the_page(
    client: Browserless, session: Session, settings, time_machine
) -> None:
    """An autosave that finds the session ended says so in the page's save status, instead of
    sending the officer away from what they typed."""
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)
    user = make_user(session)
    client.log_in(user.username, PASSWORD)
    time_machine.shift(settings.session_idle_minutes * 60 + 1)
    response = client.post(
        "/incidents/00000000-0000-0000-0000-000000000000/s/incident/1",
        data={"autosave": "1"},
        headers={"HX-Request": "true", "X-CSRF-Token": client.csrf},
    )
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in response.text
    assert "Not saved: you were signed out" in response.text
