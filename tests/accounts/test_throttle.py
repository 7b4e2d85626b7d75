"""Throttling under concurrency, no transaction across hashing, and purging what is spent."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.accounts import housekeeping, service, sessions, throttle
from app.accounts.__main__ import main as accounts_main
from app.accounts.models import LoginThrottle, UserSession
from app.models_base import utcnow
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.db


def test_forty_guesses_at_once_check_no_more_passwords_than_the_limit(
    fresh_engine: Engine, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(fresh_engine) as setup:
        username = make_user(setup).username
    checks: list[bool] = []  # per check: was a transaction open on that thread's session?
    lock = threading.Lock()
    by_thread: dict[int, Session] = {}
    real = service.verify_password

    def counting(password: str, password_hash: str) -> bool:
        with lock:
            checks.append(by_thread[threading.get_ident()].in_transaction())
        return real(password, password_hash)

    monkeypatch.setattr(service, "verify_password", counting)
    tries = 40
    start = threading.Barrier(tries)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def guess() -> None:
        with Session(fresh_engine) as session:
            by_thread[threading.get_ident()] = session
            start.wait()
            try:
                service.log_in(
                    session=session,
                    username=username,
                    password="guess",
                    old_token=None,
                    ip="192.0.2.1",
                )
            except service.LoginFailed:
                outcomes.append("failed")
            except service.LoginThrottled:
                outcomes.append("throttled")
            except BaseException as exc:  # a database error would be a 500
                errors.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(tries)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(checks) == settings.login_max_failures
    assert not any(checks), "a password was checked inside an open transaction"
    assert outcomes.count("failed") == settings.login_max_failures
    assert outcomes.count("throttled") == tries - settings.login_max_failures
    # The owner, from their own address, is not held up by any of it.
    with Session(fresh_engine) as session:
        by_thread[threading.get_ident()] = session
        token = service.log_in(
            session=session, username=username, password=PASSWORD, old_token=None, ip="192.0.2.77"
        )
        assert token


def test_failed_sign_ins_leave_no_session_and_their_counters_are_purged(
    session: Session, client, settings, time_machine
) -> None:
    time_machine.move_to("2026-11-23 10:00:00+00:00", tick=False)
    user = make_user(session)
    client.get("/login")
    for _ in range(3):
        client.form("/login", {"username": user.username, "password": "bad"})
    assert session.exec(select(func.count()).select_from(UserSession)).one() == 0
    assert len(session.exec(select(LoginThrottle)).all()) == 2  # the address, the name from it
    time_machine.shift(settings.login_lockout_minutes * 60 - 1)
    assert housekeeping.purge(session=session).throttles == 0  # still counting
    time_machine.shift(2)
    assert housekeeping.purge(session=session).throttles == 2
    assert session.exec(select(LoginThrottle)).all() == []


def test_purge_removes_expired_sessions_and_keeps_live_ones(
    session: Session, settings, time_machine
) -> None:
    time_machine.move_to("2026-11-23 08:00:00+00:00", tick=False)
    user = make_user(session)
    _old_token, old = sessions.create(session=session, user_id=user.id)
    session.commit()
    old_id = old.id
    time_machine.shift(settings.session_idle_minutes * 60 + 1)
    _live_token, live = sessions.create(session=session, user_id=user.id)
    session.commit()
    live_id = live.id
    purged = housekeeping.purge(session=session)
    assert purged.sessions == 1
    assert session.exec(select(UserSession.id)).all() == [live_id]
    assert old_id != live_id


def test_purge_deletes_in_batches(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttle, "PURGE_BATCH", 2)
    past = utcnow() - timedelta(minutes=1)
    session.add_all(
        LoginThrottle(address=f"192.0.2.{n}", username="", attempts=1, expires_at=past)
        for n in range(5)
    )
    session.add(
        LoginThrottle(
            address="192.0.2.99",
            username="",
            attempts=1,
            expires_at=utcnow() + timedelta(minutes=5),
        )
    )
    session.commit()
    assert throttle.purge(session=session) == 5
    assert [r.address for r in session.exec(select(LoginThrottle))] == ["192.0.2.99"]


def test_purge_command(capsys: pytest.CaptureFixture[str], fresh_url: str, monkeypatch) -> None:
    from app.config import get_settings
    from app.db import get_engine
    from tests.helpers import migrate

    monkeypatch.setenv("DATABASE_URL", fresh_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        migrate(get_engine())
        with Session(get_engine()) as s:
            s.add(
                LoginThrottle(
                    address="192.0.2.1", username="", expires_at=utcnow() - timedelta(seconds=1)
                )
            )
            s.commit()
        assert accounts_main(["purge"]) == 0
        assert "1 throttle counter(s)" in capsys.readouterr().out
        get_engine().dispose()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        get_engine.cache_clear()


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("testclient", "testclient"),
    ],
)
def test_address_key(ip: str, key: str) -> None:
    assert throttle.address_key(ip) == key
