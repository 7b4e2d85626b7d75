"""The second factor, two at the same moment: a user opening the set-up page in two tabs, two
administrators saving which roles must use one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.accounts import second_factor, second_factor_rules
from app.accounts.models import Role, SecondFactor, SecondFactorRule, User
from app.audit.models import AuditEvent
from tests.concurrency import at_once
from tests.factories import make_user, principal

pytestmark = pytest.mark.db


def test_the_set_up_page_opened_in_two_tabs_at_once(fresh_engine: Engine) -> None:
    """A user told to set up a second factor who opens the set-up page in two tabs at the same
    moment (or whose browser reopens two tabs after sign-in): both tabs show the same secret,
    the one kept; never a server error, and never a tab showing a secret that was not kept."""
    with Session(fresh_engine) as setup:
        user_id = make_user(setup, roles=["supervisor"]).id

    def open_page() -> str:
        with Session(fresh_engine) as session:
            me = principal(session, session.get(User, user_id))  # type: ignore[arg-type]
            session.commit()
            return second_factor.start_enrolment(session=session, principal=me).secret

    def looked(statement: str) -> bool:  # the look for a set-up already started (none yet)
        return statement.lstrip().startswith("SELECT") and "FROM second_factor" in statement

    shown, errors = at_once(fresh_engine, looked, open_page, open_page)
    assert errors == []
    with Session(fresh_engine) as check:
        kept = check.get(SecondFactor, user_id)
        assert kept is not None and kept.confirmed_at is None
        assert shown == [kept.secret, kept.secret]  # each tab shows the secret kept
        started = check.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "second_factor.enrolment_started")
        )
        assert started.one() == 1


def test_two_admins_saving_the_rule_for_the_first_time_at_once(bare_engine: Engine) -> None:
    """Two administrators saving which roles must use a second factor at the same moment, the
    first time it is saved since installation (until then each role takes the default): both
    are saved in turn, the later one in force, whole; never a server error (on PostgreSQL both
    added the first rule rows, and the second one hit the primary key)."""
    with Session(bare_engine) as setup:
        admins = [make_user(setup, roles=["admin"]).id for _ in range(2)]
    sessions = [Session(bare_engine) for _ in admins]
    actors = [principal(s, s.get(User, a)) for s, a in zip(sessions, admins, strict=True)]  # type: ignore[arg-type]
    for s in sessions:
        s.commit()
    chosen = [{Role.ADMIN}, {Role.ADMIN, Role.COACH, Role.SUPERVISOR, Role.OFFICER}]

    def save(n: int) -> Callable[[], str]:
        def run() -> str:
            second_factor_rules.set_required_roles(
                session=sessions[n], actor=actors[n], roles=chosen[n]
            )
            return str(n)

        return run

    def looked(statement: str) -> bool:  # the first read of the rules (no rows yet)
        return statement.lstrip().startswith("SELECT") and "FROM second_factor_rule" in statement

    try:
        outcomes, errors = at_once(bare_engine, looked, save(0), save(1), locked_out_after=2)
    finally:
        for s in sessions:
            s.close()
    assert errors == []
    assert sorted(outcomes) == ["0", "1"]
    with Session(bare_engine) as check:
        rows = check.exec(select(SecondFactorRule)).all()
        assert len(rows) == len(Role)
        assert {Role(r.role) for r in rows if r.required} in chosen  # one admin's choice, whole
        changed = check.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "second_factor.requirement_changed")
        )
        assert changed.one() == 2
