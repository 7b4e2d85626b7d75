"""A user told to set up a second factor who opens the set-up page in two tabs at the same
moment (or whose browser reopens two tabs after sign-in): both tabs show the same secret, the
one kept; never a server error, and never a tab showing a secret that was not kept."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.accounts import second_factor
from app.accounts.models import SecondFactor, User
from app.audit.models import AuditEvent
from tests.concurrency import at_once
from tests.factories import make_user, principal

pytestmark = pytest.mark.db


def test_the_set_up_page_opened_in_two_tabs_at_once(fresh_engine: Engine) -> None:
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
