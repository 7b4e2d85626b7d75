"""Log-in, log-out, throttling and the audit entries they leave."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.accounts import service
from app.accounts.models import UserSession
from app.audit.models import AuditEvent
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless, check_page


def _count_password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    checked: list[str] = []
    real = service.verify_password

    def counting(password: str, password_hash: str) -> bool:
        checked.append(password)
        return real(password, password_hash)

    monkeypatch.setattr(service, "verify_password", counting)
    return checked


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


def test_throttled_after_repeated_failures_with_no_password_checked(
    client: Browserless, session: Session, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(session)
    checked = _count_password_checks(monkeypatch)
    client.get("/login")
    for _ in range(settings.login_max_failures):
        assert (
            client.form("/login", {"username": user.username, "password": "bad"}).status_code == 422
        )
    assert len(checked) == settings.login_max_failures
    # Even the right password is refused while the wait runs, and no password is checked.
    throttled = client.form("/login", {"username": user.username, "password": PASSWORD})
    assert throttled.status_code == 429
    assert len(checked) == settings.login_max_failures
    check_page(throttled.text)
    assert "Too many attempts" in throttled.text
    assert "Try again after" in throttled.text and "(in 1 minute)" in throttled.text
    assert 0 < int(throttled.headers["retry-after"]) <= settings.login_backoff_seconds
    assert "login.throttled" in _actions(session)


def test_refused_attempts_while_throttled_write_nothing(
    client: Browserless, session: Session, settings
) -> None:
    """A flood of attempts during a wait costs no writes (no lock, no audit entry each): the
    wait's start is audited once."""
    user = make_user(session)
    client.get("/login")
    for _ in range(settings.login_max_failures):
        client.form("/login", {"username": user.username, "password": "bad"})
    before = _actions(session)
    assert before.count("login.throttled") == 1
    for _ in range(10):
        refused = client.form("/login", {"username": user.username, "password": "bad"})
        assert refused.status_code == 429
    assert _actions(session) == before


def test_back_off_grows_then_wears_off(
    client: Browserless, session: Session, settings, time_machine, monkeypatch
) -> None:
    user = make_user(session)
    checked = _count_password_checks(monkeypatch)
    time_machine.move_to("2026-11-23 10:00:00+00:00", tick=False)
    client.get("/login")

    def attempt(password: str = "bad") -> int:  # noqa: S107
        return client.form("/login", {"username": user.username, "password": password}).status_code

    assert [attempt() for _ in range(settings.login_max_failures)] == [422] * 5
    assert attempt() == 429  # wait 1 minute
    time_machine.shift(61)
    assert attempt() == 422  # one more try, then a wait twice as long
    time_machine.shift(61)
    waiting = client.form("/login", {"username": user.username, "password": PASSWORD})
    assert waiting.status_code == 429 and "(in 1 minute)" in waiting.text  # 2 minutes from 10:01
    time_machine.shift(60)
    assert attempt() == 422
    time_machine.shift(4 * 60 - 1)
    assert attempt() == 429  # the third wait is 4 minutes
    assert len(checked) == settings.login_max_failures + 2
    # After the wait and the quiet time with no attempt, old failures no longer count.
    time_machine.shift(1 + settings.login_lockout_minutes * 60 + 1)
    assert [attempt() for _ in range(settings.login_max_failures)] == [422] * 5
    time_machine.shift(settings.login_backoff_seconds + 1)
    assert attempt(PASSWORD) == 303


def test_owner_signs_in_while_another_address_is_throttled_for_their_name(
    session: Session, client: Browserless, settings
) -> None:
    from app.main import app

    user = make_user(session)
    with Browserless(app, client=("203.0.113.9", 40000)) as attacker:
        attacker.get("/login")
        for _ in range(settings.login_max_failures * 2):
            attacker.form("/login", {"username": user.username, "password": "guess"})
        assert (
            attacker.form("/login", {"username": user.username, "password": PASSWORD}).status_code
            == 429
        )
    with Browserless(app, client=("198.51.100.7", 40000)) as owner:
        owner.get("/login")
        wrong = owner.form("/login", {"username": user.username, "password": "typo"})
        assert wrong.status_code == 422  # the owner's own typo counts only for the owner
        assert owner.log_in(user.username, PASSWORD).status_code == 303


def test_one_address_trying_many_names_is_throttled(
    session: Session, client: Browserless, settings
) -> None:
    from app.main import app

    user = make_user(session)
    with Browserless(app, client=("2001:db8:1:2::10", 40000)) as sprayer:
        sprayer.get("/login")
        for n in range(settings.login_max_failures_per_address):
            response = sprayer.form("/login", {"username": f"guess{n}", "password": "x"})
            assert response.status_code == 422
        refused = sprayer.form("/login", {"username": user.username, "password": PASSWORD})
        assert refused.status_code == 429
    # Another address in the same IPv6 /64 network is the same client...
    with Browserless(app, client=("2001:db8:1:2::99", 40000)) as same_network:
        same_network.get("/login")
        assert (
            same_network.form("/login", {"username": "other", "password": "x"}).status_code == 429
        )
    # ...but another network is not.
    with Browserless(app, client=("2001:db8:9:9::1", 40000)) as elsewhere:
        assert elsewhere.log_in(user.username, PASSWORD).status_code == 303


def test_an_office_signing_in_all_day_is_never_throttled(
    session: Session, client: Browserless, settings
) -> None:
    users = [make_user(session) for _ in range(settings.login_max_failures_per_address + 5)]
    for user in users:
        client.get("/login")
        typo = client.form("/login", {"username": user.username, "password": "typo"})
        assert typo.status_code == 422
        assert client.log_in(user.username, PASSWORD).status_code == 303
        client.form("/logout")


def test_login_gives_a_new_session_id(client: Browserless, session: Session) -> None:
    user = make_user(session)
    client.log_in(user.username, PASSWORD)
    before = client.cookies.get("tc_session")
    client.form("/login", {"username": user.username, "password": PASSWORD})
    after = client.cookies.get("tc_session")
    assert before and after and before != after
    # The session signed in before is gone from the database.
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


def test_sign_out_clears_site_data(as_officer: Browserless) -> None:
    # The outbox, its key, caches and the service worker: nothing of the incidents stays.
    response = as_officer.form("/logout")
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


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


def test_a_password_typed_as_the_user_name_is_not_kept(
    client: Browserless, session: Session
) -> None:
    """A name that is no account is audited as "(unknown user)": it may be someone's password
    typed into the wrong box, and the audit log keeps everything for ever."""
    user = make_user(session)
    client.get("/login")
    client.form("/login", {"username": "Secret-Pass-Word-99", "password": "x"})
    client.form("/login", {"username": user.username, "password": "wrong"})
    rows = session.exec(
        select(AuditEvent.actor_name).where(AuditEvent.action == "login.failed")
    ).all()
    assert "(unknown user)" in rows and user.username in rows
    kept = session.exec(select(AuditEvent)).all()
    assert not any("secret-pass-word-99" in str(e.model_dump()).lower() for e in kept)
