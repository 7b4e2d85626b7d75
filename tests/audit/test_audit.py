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


def test_verify_command_passes_then_catches_tampering(tmp_path) -> None:
    """The command checks a real database file; a row changed behind the app's back fails it."""
    import os
    import subprocess
    import sys

    from sqlalchemy import text as sql

    from app.db import make_engine
    from tests.helpers import ROOT, migrate

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as s:
        _add(s, 3)
    env = {**os.environ, "DATABASE_URL": url}
    ok = subprocess.run(
        [sys.executable, "-m", "app.audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "3 new entries checked" in ok.stdout
    with engine.begin() as conn:  # someone with the database file drops the trigger and edits
        conn.execute(sql("DROP TRIGGER audit_event_no_update"))
        conn.execute(sql("UPDATE audit_event SET actor_name = 'nobody' WHERE seq = 2"))
    engine.dispose()
    bad = subprocess.run(
        [sys.executable, "-m", "app.audit", "verify", "--full"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert "AUDIT LOG ALTERED: entry 2" in bad.stdout
