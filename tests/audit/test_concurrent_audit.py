"""Appending to the audit chain in few statements (app/audit/service.py): writers at once, on a
new database (whose head does not exist yet), still make one unbroken line, and an entry costs
no read of the head and no ORM flush."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.audit.models import AuditEvent, AuditHead
from tests.helpers import statements

pytestmark = pytest.mark.db

WRITERS, EACH = 4, 15


def test_writers_at_once_make_one_unbroken_chain(fresh_engine: Engine) -> None:
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait(10)
            for i in range(EACH):
                with Session(fresh_engine) as s:
                    audit.record(session=s, action="test.concurrent", detail={"w": n, "i": i})
                    s.commit()
        except BaseException as error:  # reported below, with the thread's failure
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    with Session(fresh_engine) as s:
        rows = list(s.exec(select(AuditEvent).order_by(col(AuditEvent.seq))))
        head = s.exec(select(AuditHead)).one()
        assert [r.seq for r in rows] == list(range(1, WRITERS * EACH + 1))
        assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
        assert (head.last_seq, head.last_hash) == (rows[-1].seq, rows[-1].hash)
        assert sorted((r.detail["w"], r.detail["i"]) for r in rows) == sorted(
            (n, i) for n in range(WRITERS) for i in range(EACH)
        )
        assert audit.verify(session=s).ok


def test_an_entry_reads_nothing_first_and_is_stored_as_hashed(
    session: Session, engine: Engine
) -> None:
    audit.record(session=session, action="test.first")  # the head exists from here on
    session.flush()
    with statements(engine) as sent:
        entry = audit.record(
            session=session,
            action="test.cheap",
            object_type="incident",
            object_id="x",
            reason="why",
            detail={"k": [1, "two"]},
            ip="10.0.0.1",
        )
    assert not [s for s in sent if s.lstrip().upper().startswith("SELECT")], sent
    assert len(sent) == (2 if engine.dialect.name == "postgresql" else 3), sent
    stored = session.exec(select(AuditEvent).where(AuditEvent.seq == entry.seq)).one()
    assert (stored.id, stored.hash, stored.detail) == (entry.id, entry.hash, {"k": [1, "two"]})
    assert stored.at == entry.at and stored.keyed
    head = session.exec(select(AuditHead)).one()
    assert (head.last_seq, head.last_hash) == (entry.seq, entry.hash)
    assert audit.verify(session=session).ok
