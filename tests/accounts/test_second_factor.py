"""The second factor: enrolment, the code at sign-in (once only), recovery codes (once only),
the requirement per role, throttling, the admin's reset, and the demo seed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pyotp
import pytest
import time_machine
from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from app.accounts import sessions, totp
from app.accounts.models import RecoveryCode, Role, SecondFactor, SecondFactorRule, User
from app.accounts.models import UserSession as SessionRow
from app.accounts.second_factor_rules import required_roles
from app.audit.models import AuditEvent
from app.models_base import utcnow
from app.seed import DEMO_SECOND_FACTOR_SECRET, seed_demo
from tests.factories import PASSWORD, make_team, make_user
from tests.helpers import Browserless, check_page

START = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)  # the start of a 30-second step


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def default_rules(session: Session) -> None:
    """The suite switches the requirement off (tests/conftest.py): back to the default here."""
    session.exec(delete(SecondFactorRule))
    session.commit()


def _actions(session: Session, since: int = 0) -> list[str]:
    query = select(AuditEvent.action).where(col(AuditEvent.seq) > since)
    return list(session.exec(query.order_by(col(AuditEvent.seq))))


def _enrol(session: Session, user: User) -> tuple[str, list[str]]:
    secret = totp.new_secret()
    session.add(SecondFactor(user_id=user.id, secret=secret, confirmed_at=utcnow()))
    codes = totp.new_recovery_codes()
    session.add_all(RecoveryCode(user_id=user.id, code_hash=totp.recovery_hash(c)) for c in codes)
    session.commit()
    return secret, codes


def _password(client: Browserless, username: str) -> str:
    client.cookies.clear()
    client.get("/login")
    response = client.form("/login", {"username": username, "password": PASSWORD})
    assert response.status_code == 303
    return str(response.headers["location"])


def _code(client: Browserless, code: str) -> int:
    page = client.get("/login/code")
    assert page.status_code == 200
    check_page(page.text)
    return client.form("/login/code", {"code": code, "next": "/review"}).status_code


def test_the_default_requires_supervisors_coaches_and_admins(bare_engine: Engine) -> None:
    with Session(bare_engine) as s:
        assert required_roles(session=s) == {Role.SUPERVISOR, Role.COACH, Role.ADMIN}


def test_enrolment_shows_qr_and_key_then_needs_a_code_before_it_is_on(
    client: Browserless, session: Session, default_rules: None, clock: time_machine.Coordinates
) -> None:
    team = make_team(session)
    user = make_user(session, roles=["supervisor"], supervises=[team])
    client.log_in(user.username, PASSWORD)
    # Nothing else until enrolled: the queue, the API, the home page send them to enrol.
    for url in ("/review", "/incidents", "/admin/users"):
        response = client.get(url)
        assert response.status_code == 303 and response.headers["location"] == (
            "/account/second-factor"
        )
    page = client.get("/account/second-factor")
    assert page.status_code == 200
    check_page(page.text)
    secret = session.exec(select(SecondFactor.secret).where(SecondFactor.user_id == user.id)).one()
    assert totp.grouped(secret) in page.text and 'src="data:image/svg+xml' in page.text
    assert client.get("/account/second-factor").text.count(totp.grouped(secret)) == 1  # same key
    wrong = client.form("/account/second-factor", {"code": "000000"})
    assert wrong.status_code == 422 and "not right" in wrong.text
    assert client.get("/review").status_code == 303  # still not on

    done = client.form("/account/second-factor", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})</code>", done.text)
    assert len(set(codes)) == 10
    stored = set(
        session.exec(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id))
    )
    assert stored == {totp.recovery_hash(c) for c in codes} and not stored & set(codes)
    assert client.get("/review").status_code == 200
    assert codes[0] not in client.get("/account/second-factor").text  # shown once
    assert {
        "second_factor.enrolment_started",
        "second_factor.enrolment_code_wrong",
        "second_factor.enrolled",
    } <= set(_actions(session))


def test_sign_in_asks_for_the_code_and_nothing_is_open_until_then(
    client: Browserless, session: Session, clock: time_machine.Coordinates
) -> None:
    team = make_team(session)
    user = make_user(session, roles=["supervisor"], supervises=[team])
    secret, _codes = _enrol(session, user)
    assert _password(client, user.username) == "/login/code?next=%2F"
    for url in ("/review", "/incidents", "/account/password"):
        response = client.get(url)
        assert response.status_code == 303 and response.headers["location"] == "/login/code"
    assert client.get("/api/v1/prompt-set").status_code == 403
    assert client.get("/").headers["location"] == "/login"  # not signed in to anything yet
    pending = session.exec(select(SessionRow).where(SessionRow.user_id == user.id)).one()
    assert pending.pending_second_factor

    assert _code(client, pyotp.TOTP(secret).now()) == 303
    assert client.get("/review").status_code == 200
    rows = session.exec(select(SessionRow).where(SessionRow.user_id == user.id)).all()
    assert [r.pending_second_factor for r in rows] == [False] and rows[0].id != pending.id
    assert _actions(session)[-2:] == ["login.password_accepted", "login.succeeded"]
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc())).first()
    assert last is not None and last.detail == {"second_factor": "app"}


def test_a_code_is_good_once_within_its_window(
    client: Browserless, session: Session, clock: time_machine.Coordinates
) -> None:
    team = make_team(session)
    user = make_user(session, roles=["supervisor"], supervises=[team])
    secret, _codes = _enrol(session, user)
    code = pyotp.TOTP(secret).now()
    _password(client, user.username)
    assert _code(client, code) == 303
    _password(client, user.username)
    assert _code(client, code) == 422  # replayed: refused
    clock.shift(10)  # still the same step
    assert _code(client, code) == 422
    assert _code(client, pyotp.TOTP(secret).at(START.timestamp() + 30)) == 303  # the next one
    assert "login.second_factor_failed" in _actions(session)


def test_a_recovery_code_works_once(
    client: Browserless, session: Session, clock: time_machine.Coordinates
) -> None:
    team = make_team(session)
    user = make_user(session, roles=["supervisor"], supervises=[team])
    _secret, codes = _enrol(session, user)
    _password(client, user.username)
    assert _code(client, codes[3].upper().replace("-", " ")) == 303  # as typed from paper
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc())).first()
    assert last is not None
    assert last.detail == {"second_factor": "recovery_code", "recovery_codes_left": 9}
    _password(client, user.username)
    assert _code(client, codes[3]) == 422
    assert _code(client, codes[4]) == 303


def test_the_requirement_is_per_role_and_set_by_an_admin(
    clock: time_machine.Coordinates, as_admin: Browserless, session: Session
) -> None:
    team = make_team(session)
    officer = make_user(session, roles=["officer"], team=team)
    supervisor = make_user(session, roles=["supervisor"], supervises=[team])
    page = as_admin.get("/admin/second-factor")
    assert page.status_code == 200
    check_page(page.text)
    saved = as_admin.form("/admin/second-factor", {"required": ["officer", "admin"]})
    assert saved.status_code == 303
    assert required_roles(session=session) == {Role.OFFICER, Role.ADMIN}
    assert _actions(session)[-1] == "second_factor.requirement_changed"
    # The admin now must enrol too, at the next page.
    assert as_admin.get("/admin/users").headers["location"] == "/account/second-factor"

    as_admin.log_in(supervisor.username, PASSWORD)  # optional for supervisors now
    assert as_admin.get("/review").status_code == 200
    as_admin.log_in(officer.username, PASSWORD)
    assert as_admin.get("/incidents").headers["location"] == "/account/second-factor"


def test_an_officer_may_choose_a_second_factor(
    client: Browserless, session: Session, default_rules: None, clock: time_machine.Coordinates
) -> None:
    officer = make_user(session, roles=["officer"], team=make_team(session))
    client.log_in(officer.username, PASSWORD)
    assert client.get("/incidents").status_code == 200  # not required by default
    assert client.get("/account/second-factor").status_code == 200
    secret = session.exec(select(SecondFactor.secret)).one()
    assert (
        client.form("/account/second-factor", {"code": pyotp.TOTP(secret).now()}).status_code == 200
    )
    assert _password(client, officer.username).startswith("/login/code")


def test_wrong_codes_are_throttled(
    client: Browserless, session: Session, clock: time_machine.Coordinates
) -> None:
    user = make_user(session, roles=["supervisor"])
    secret, _codes = _enrol(session, user)
    _password(client, user.username)
    for guess in range(5):  # LOGIN_MAX_FAILURES
        assert _code(client, f"{guess:06d}") == 422
    assert client.form("/login/code", {"code": pyotp.TOTP(secret).now()}).status_code == 429
    clock.shift(61)  # LOGIN_BACKOFF_SECONDS
    assert _code(client, pyotp.TOTP(secret).now()) == 303


def test_an_admin_resets_a_second_factor(
    clock: time_machine.Coordinates, as_admin: Browserless, session: Session
) -> None:
    user = make_user(session, roles=["supervisor"])
    _enrol(session, user)
    sessions.create(session=session, user_id=user.id)
    session.commit()
    response = as_admin.form(f"/admin/users/{user.id}/second-factor/reset")
    assert response.status_code == 303
    assert session.get(SecondFactor, user.id) is None
    assert not session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert not session.exec(select(SessionRow).where(SessionRow.user_id == user.id)).all()
    event = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc())).first()
    assert event is not None and event.action == "second_factor.reset"
    assert event.object_id == str(user.id) and event.actor_id == as_admin.user.id
    assert _password(as_admin, user.username) == "/"  # no code asked; enrols if required


def test_demo_users_sign_in_with_the_published_development_secret(
    client: Browserless, session: Session, default_rules: None, clock: time_machine.Coordinates
) -> None:
    seed_demo(session, PASSWORD)
    assert _password(client, "officer1") == "/"
    assert _password(client, "supervisor1").startswith("/login/code")
    assert _code(client, pyotp.TOTP(DEMO_SECOND_FACTOR_SECRET).now()) == 303
    assert client.get("/review").status_code == 200
    enrolled = session.exec(
        select(User.username).join(SecondFactor, col(SecondFactor.user_id) == User.id)
    ).all()
    assert sorted(enrolled) == ["admin1", "coach1", "supervisor1", "supervisor2"]
