"""Log-in, log-out, lock-out and the audit entries they leave."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.models import UserSession
from app.audit.models import AuditEvent
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless, check_page


def _actions(session: Session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq))]


def test_login_page_is_a_proper_page(client: Browserless) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    check_page(response.text)
    assert 'autocomplete="current-password"' in response.text


def test_login_succeeds_and_shows_home(client: Browserless, session: Session) -> None:
    user = make_user(session, roles=["officer"])
    response = client.log_in(user.username, PASSWORD)
    assert response.headers["location"] == "/"
    home = client.get("/")
    assert home.headers["location"] == "/incidents"  # an officer's home is their incidents
    incidents = client.get("/incidents")
    assert incidents.status_code == 200
    assert user.display_name in incidents.text
    assert "login.succeeded" in _actions(session)


def test_login_with_wrong_password_says_so_and_keeps_the_name(
    client: Browserless, session: Session
) -> None:
    user = make_user(session)
    client.get("/login")
    response = client.form("/login", {"username": user.username, "password": "wrong"})
    assert response.status_code == 422
    assert "The user name or password is not right" in response.text
    assert f'value="{user.username}"' in response.text
    assert 'href="#username"' in response.text  # the error summary links to the field
    assert client.get("/").status_code == 303  # still not signed in
    assert "login.failed" in _actions(session)


def test_unknown_user_gets_the_same_message(client: Browserless) -> None:
    client.get("/login")
    response = client.form("/login", {"username": "nobody", "password": "x"})
    assert response.status_code == 422
    assert "The user name or password is not right" in response.text


def test_missing_fields_are_named(client: Browserless) -> None:
    client.get("/login")
    assert "Enter your user name" in client.form("/login", {"password": "x"}).text
    assert "Enter your password" in client.form("/login", {"username": "a"}).text


def test_disabled_user_cannot_log_in(client: Browserless, session: Session) -> None:
    user = make_user(session, active=False)
    client.get("/login")
    response = client.form("/login", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 422


def test_lockout_after_repeated_failures(client: Browserless, session: Session, settings) -> None:
    user = make_user(session)
    client.get("/login")
    for _ in range(settings.login_max_failures - 1):
        assert (
            client.form("/login", {"username": user.username, "password": "bad"}).status_code == 422
        )
    locked = client.form("/login", {"username": user.username, "password": "bad"})
    assert locked.status_code == 429
    assert "too many failed attempts" in locked.text
    assert f"Try again in {settings.login_lockout_minutes} minutes" in locked.text
    # Even the right password is refused while locked.
    right = client.form("/login", {"username": user.username, "password": PASSWORD})
    assert right.status_code == 429
    assert "login.locked_out" in _actions(session)


def test_lockout_ends_after_its_time(
    client: Browserless, session: Session, settings, time_machine
) -> None:
    user = make_user(session)
    time_machine.move_to("2026-11-23 10:00:00+00:00", tick=False)
    client.get("/login")
    for _ in range(settings.login_max_failures):
        client.form("/login", {"username": user.username, "password": "bad"})
    time_machine.move_to("2026-11-23 10:16:00+00:00", tick=False)
    client.get("/login")
    response = client.form("/login", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 303


def test_login_gives_a_new_session_id(client: Browserless, session: Session) -> None:
    user = make_user(session)
    client.get("/login")
    before = client.cookies.get("tc_session")
    client.form("/login", {"username": user.username, "password": PASSWORD})
    after = client.cookies.get("tc_session")
    assert before and after and before != after
    # The anonymous session is gone from the database.
    assert len(session.exec(select(UserSession)).all()) == 1


def test_cookie_flags(client: Browserless, session: Session) -> None:
    user = make_user(session)
    client.get("/login")
    response = client.form("/login", {"username": user.username, "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_logout_ends_the_session_on_the_server(as_officer: Browserless, session: Session) -> None:
    token = as_officer.cookies.get("tc_session")
    response = as_officer.form("/logout")
    assert response.status_code == 303
    assert "signed_out" in response.headers["location"]
    assert as_officer.get("/").headers["location"] == "/login"
    # Replaying the old cookie does not bring the session back.
    as_officer.cookies.set("tc_session", token)
    assert as_officer.get("/").headers["location"] == "/login"
    assert "logout" in _actions(session)


def test_next_only_goes_to_this_site(client: Browserless, session: Session) -> None:
    user = make_user(session)
    client.get("/login")
    response = client.form(
        "/login", {"username": user.username, "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert response.headers["location"] == "/"


def test_next_returns_to_the_page_asked_for(client: Browserless, session: Session) -> None:
    user = make_user(session, roles=["admin"])
    first = client.get("/admin/users")
    assert first.headers["location"] == "/login?next=/admin/users"
    client.get("/login?next=/admin/users")
    response = client.form(
        "/login", {"username": user.username, "password": PASSWORD, "next": "/admin/users"}
    )
    assert response.headers["location"] == "/admin/users"
