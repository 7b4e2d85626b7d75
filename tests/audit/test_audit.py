"""The audit log: written with the action, append-only, hash-chained and verifiable."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, select

from app.audit import service as audit
from app.audit.models import AuditEvent
from tests.helpers import Browserless, check_page


def _add(session: Session, n: int) -> None:
    for i in range(n):
        audit.record(session=session, action="test.event", detail={"i": i, "words": "“quoted”"})
    session.commit()


def test_chain_verifies(session: Session) -> None:
    _add(session, 5)
    report = audit.verify(session=session)
    assert report.ok and report.checked >= 5


def test_tampered_entry_is_detected(session: Session) -> None:
    _add(session, 3)
    events = list(session.exec(select(AuditEvent).order_by(AuditEvent.seq)))
    target = events[1]
    # The ORM and the database both refuse changes, so tamper with copies, as someone editing
    # the database file or a backup directly would.
    copies = [AuditEvent.model_validate(e.model_dump()) for e in events]
    copies[1].actor_name = "someone else"
    report = audit.verify_chain(copies)
    assert not report.ok and report.broken_at == target.seq


def test_deleted_entry_is_detected(session: Session) -> None:
    _add(session, 3)
    events = list(session.exec(select(AuditEvent).order_by(AuditEvent.seq)))
    report = audit.verify_chain([events[0], *events[2:]])
    assert not report.ok


def test_orm_refuses_changes(session: Session) -> None:
    _add(session, 1)
    event = session.exec(select(AuditEvent)).first()
    assert event is not None
    event.reason = "rewritten"
    with pytest.raises(audit.AuditIsAppendOnly):
        session.flush()
    session.rollback()


def test_database_refuses_update_and_delete(session: Session) -> None:
    _add(session, 1)
    for statement in ("UPDATE audit_event SET reason = 'x'", "DELETE FROM audit_event"):
        nested = session.begin_nested()
        with pytest.raises(DatabaseError):
            session.connection().execute(text(statement))
        nested.rollback()


def test_admin_page_shows_the_check(as_admin: Browserless) -> None:
    response = as_admin.get("/admin/audit")
    assert response.status_code == 200
    check_page(response.text)
    assert "The log is complete and unaltered" in response.text
    assert "login.succeeded" in response.text
