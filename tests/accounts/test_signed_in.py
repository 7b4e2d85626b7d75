"""A request finds its session, user, roles, teams and second-factor facts in one query, with
the same expiry, and touches the session's last-seen time at most once a window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.accounts import sessions, signed_in
from app.accounts.models import Role, SecondFactor, SecondFactorRule, UserSession
from app.models_base import utcnow
from tests.factories import PASSWORD, make_team, make_user
from tests.helpers import Browserless, statements

pytestmark = pytest.mark.db

ACCOUNT_TABLES = ("user_session", "app_user", "user_role", "team_membership", "second_factor")


def _token(session: Session, user_id: object, **kw: bool) -> str:
    token, _row = sessions.create(session=session, user_id=user_id, **kw)  # type: ignore[arg-type]
    session.commit()
    return token


def test_a_page_reads_the_signed_in_user_in_one_query(
    client: Browserless,
    session: Session,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    settings: object,
) -> None:
    monkeypatch.setattr(settings, "session_touch_seconds", 3600)  # seen just now: no touch
    team = make_team(session)
    user = make_user(session, roles=["officer"], team=team)
    client.log_in(user.username, PASSWORD)
    with statements(engine) as seen:
        assert client.get("/incidents").status_code == 200
    about_accounts = [s for s in seen if any(t in s for t in ACCOUNT_TABLES)]
    assert len(about_accounts) == 1, "\n\n".join(about_accounts)
    (query,) = about_accounts
    assert all(t in query for t in ACCOUNT_TABLES)


def test_roles_and_teams_of_every_kind_are_all_found(session: Session) -> None:
    a, b, c = make_team(session), make_team(session), make_team(session)
    user = make_user(
        session,
        roles=["officer", "supervisor", "coach"],
        team=a,
        supervises=[a, b],
        coaches=[b, c],
    )
    found = signed_in.load(session=session, token=_token(session, user.id))
    assert found is not None and found.principal is not None
    p = found.principal
    assert p.roles == {Role.OFFICER, Role.SUPERVISOR, Role.COACH}
    assert p.member_of == {a.id}
    assert p.supervises == {a.id, b.id}
    assert p.coaches == {b.id, c.id}
    assert p.user.id == user.id and p.session.id == found.row.id


def test_a_user_without_roles_or_teams_is_still_found(session: Session) -> None:
    user = make_user(session, roles=[])
    found = signed_in.load(session=session, token=_token(session, user.id))
    assert found is not None and found.principal is not None
    assert found.principal.roles == frozenset() and found.principal.member_of == frozenset()


def _rule(session: Session, role: Role, required: bool) -> None:
    row = session.get(SecondFactorRule, role.value)
    assert row is not None  # the suite's database has a row for every role (tests/conftest.py)
    row.required = required
    session.add(row)
    session.commit()


def test_must_enrol_follows_the_rules_and_the_users_second_factor(session: Session) -> None:
    boss = make_user(session, roles=["supervisor", "officer"])

    def must_enrol() -> bool:
        found = signed_in.load(session=session, token=_token(session, boss.id))
        assert found is not None
        return found.must_enrol

    assert not must_enrol()  # no role requires it
    _rule(session, Role.SUPERVISOR, True)
    assert must_enrol()
    session.add(SecondFactor(user_id=boss.id, secret="JBSWY3DPEHPK3PXP", confirmed_at=None))
    session.commit()
    assert must_enrol()  # enrolment begun, not confirmed
    factor = session.get(SecondFactor, boss.id)
    assert factor is not None
    factor.confirmed_at = utcnow()
    session.add(factor)
    session.commit()
    assert not must_enrol()


def test_a_role_without_a_rule_takes_the_default(session: Session) -> None:
    coach = make_user(session, roles=["coach"])
    row = session.get(SecondFactorRule, Role.COACH.value)
    session.delete(row)
    session.commit()
    found = signed_in.load(session=session, token=_token(session, coach.id))
    assert found is not None and found.must_enrol  # coaches must, by default


def test_a_session_owing_a_code_or_of_a_disabled_user_has_no_principal(session: Session) -> None:
    user = make_user(session)
    owing = signed_in.load(
        session=session, token=_token(session, user.id, pending_second_factor=True)
    )
    assert owing is not None and owing.principal is None and owing.row.pending_second_factor
    gone = make_user(session, active=False)
    disabled = signed_in.load(session=session, token=_token(session, gone.id))
    assert disabled is not None and disabled.principal is None


def test_no_token_an_unknown_one_or_an_expired_one_finds_nothing(
    session: Session, settings: object
) -> None:
    assert signed_in.load(session=session, token=None) is None
    assert signed_in.load(session=session, token="not-a-session") is None
    assert signed_in.load(session=session, token="x" * 201) is None
    user = make_user(session)
    token = _token(session, user.id)
    row = session.get(UserSession, sessions.key_of(token))
    assert row is not None
    row.last_seen_at = utcnow() - timedelta(minutes=settings.session_idle_minutes + 1)  # type: ignore[attr-defined]
    session.add(row)
    session.commit()
    assert signed_in.load(session=session, token=token) is None
    assert session.exec(select(UserSession).where(UserSession.user_id == user.id)).first() is None


def test_last_seen_is_written_at_most_once_a_window(
    session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    monkeypatch.setattr(settings, "session_touch_seconds", 60)
    user = make_user(session)
    token = _token(session, user.id)
    with statements(engine) as seen:
        assert signed_in.load(session=session, token=token) is not None
    assert not [s for s in seen if s.lstrip().upper().startswith("UPDATE")]  # seen just now
    row = session.get(UserSession, sessions.key_of(token))
    assert row is not None
    row.last_seen_at = utcnow() - timedelta(seconds=61)
    session.add(row)
    session.commit()
    with statements(engine) as seen:
        found = signed_in.load(session=session, token=token)
    assert found is not None
    assert [s for s in seen if s.lstrip().upper().startswith("UPDATE USER_SESSION")]
    assert utcnow() - found.row.last_seen_at < timedelta(seconds=5)
