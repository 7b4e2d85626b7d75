"""Feedback sent again ("Send" pressed twice, again after an answer lost on a poor signal, or
from two tabs at once) reaches the officer once: the same words from the same coach about the
same case within a few minutes are the feedback already sent. Other words are new feedback."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.coaching import feedback
from app.coaching.models import Feedback
from tests.coaching.data import one_case
from tests.concurrency import at_once
from tests.factories import principal

pytestmark = pytest.mark.db


def _counts(session: Session, case_id: uuid.UUID) -> tuple[int, int]:
    sent = session.exec(
        select(func.count()).select_from(Feedback).where(Feedback.case_id == case_id)
    ).one()
    audits = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "coaching.feedback_sent")
    ).one()
    return sent, audits


def test_the_same_feedback_sent_twice_reaches_the_officer_once(session: Session) -> None:
    coach_id, case_id = one_case(session)
    coach = principal(session, session.get(User, coach_id))  # type: ignore[arg-type]
    words = "Well recorded: her own words, and who was present."
    first = feedback.send(session=session, coach=coach, case_id=case_id, text=words)
    again = feedback.send(session=session, coach=coach, case_id=case_id, text=f" {words} ")
    assert again.id == first.id
    assert _counts(session, case_id) == (1, 1)
    other = feedback.send(session=session, coach=coach, case_id=case_id, text="Also: the home.")
    assert other.id != first.id
    assert _counts(session, case_id) == (2, 2)


def test_the_same_feedback_sent_from_two_tabs_at_once(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as setup:
        coach_id, case_id = one_case(setup)

    def send() -> str:
        with Session(fresh_engine) as session:
            coach = principal(session, session.get(User, coach_id))  # type: ignore[arg-type]
            session.commit()
            sent = feedback.send(session=session, coach=coach, case_id=case_id, text="Well done.")
            return str(sent.id)

    def looked(statement: str) -> bool:  # the case, read (and locked) first
        return statement.lstrip().startswith("SELECT") and "FROM audit_case" in statement

    outcomes, errors = at_once(fresh_engine, looked, send, send, locked_out_after=2)
    assert errors == []
    assert len(outcomes) == 2 and outcomes[0] == outcomes[1]
    with Session(fresh_engine) as check:
        assert _counts(check, case_id) == (1, 1)
