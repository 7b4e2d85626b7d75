"""Append to the audit log, in the caller's transaction (app/audit/verification.py checks it).

Other domains call `audit.record(...)` before they commit, so an action and its audit entry
are saved together or not at all. This module imports no other domain.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.audit.chain import current_key, digest
from app.audit.chain import verify_chain as verify_chain
from app.audit.models import AuditEvent, AuditHead
from app.audit.verification import verify as verify
from app.models_base import utcnow

_EVENTS: Table = AuditEvent.__table__  # type: ignore[attr-defined]
_HEAD: Table = AuditHead.__table__  # type: ignore[attr-defined]

# Plain statements built once (compiled once, then cached): no ORM bookkeeping for an entry
# that is never read back in the request.
#
# Take the next place in the chain: lock the head (its row lock orders writers on PostgreSQL,
# the write lock on SQLite), count it on and read the hash to follow, in one statement. On
# PostgreSQL a writer that waited for the lock gets the row as the writer before it committed
# it (an UPDATE re-reads the row it waited for), so no two entries take the same place
# (tests/audit/test_concurrent_audit.py).
_TAKE = (
    _HEAD.update()
    .where(_HEAD.c.id == 1)
    .values(last_seq=_HEAD.c.last_seq + 1)
    .returning(_HEAD.c.last_seq, _HEAD.c.last_hash)
)
_ADD = _EVENTS.insert().values({c: bindparam(f"e_{c.name}", type_=c.type) for c in _EVENTS.c})
_MOVE = _HEAD.update().where(_HEAD.c.id == 1).values(last_hash=bindparam("new_hash"))
# PostgreSQL: the entry and the head's move in one statement, one round trip (a data-modifying
# WITH runs once and to completion though nothing reads it).
_ADD_AND_MOVE = _MOVE.add_cte(_ADD.cte("added"))


@dataclass(frozen=True)
class NewEntry:
    """An entry as appended: the fields its hash covers, and the hash."""

    seq: int
    prev_hash: str
    action: str
    actor_id: uuid.UUID | None
    actor_name: str
    object_type: str
    object_id: str
    reason: str
    detail: dict[str, Any]
    ip: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    at: datetime = field(default_factory=utcnow)
    hash: str = ""


def _take_place(session: Session) -> tuple[int, str]:
    taken = session.execute(_TAKE).first()
    if taken is None:  # a new database: make the head (two first writers may both try)
        dialect = session.get_bind().dialect.name
        insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(_HEAD).values(id=1, last_hash="", last_seq=0).on_conflict_do_nothing()
        )
        taken = session.execute(_TAKE).one()
    return int(taken[0]), str(taken[1])


def record(
    *,
    session: Session,
    action: str,
    actor_id: uuid.UUID | None = None,
    actor_name: str = "",
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
    ip: str = "",
) -> NewEntry:
    """Add one entry to the session's transaction; the caller commits it with its action.
    Take the place (above), add the entry and move the head's hash on to it: three statements
    on SQLite, two round trips on PostgreSQL."""
    seq, prev_hash = _take_place(session)
    entry = NewEntry(
        seq=seq,  # from the locked head, so the HMAC can cover it
        prev_hash=prev_hash,
        action=action,
        actor_id=actor_id,
        actor_name=actor_name,
        object_type=object_type,
        object_id=object_id,
        reason=reason[:500],
        detail=detail or {},
        ip=ip[:64],
    )
    entry = replace(entry, hash=digest(entry, key=current_key()))
    row = {f"e_{c.name}": getattr(entry, c.name) for c in _EVENTS.c if c.name != "keyed"}
    row["e_keyed"] = True
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_ADD_AND_MOVE, {**row, "new_hash": entry.hash})
    else:
        session.execute(_ADD, row)
        session.execute(_MOVE, {"new_hash": entry.hash})
    return entry


def record_apart(*, session: Session, **fields: Any) -> NewEntry:
    """Record one entry in a short transaction of its own, committed now: for a refused
    request, whose own transaction is rolled back first (it holds nothing to keep, and on
    SQLite it may hold the write lock this entry needs)."""
    session.rollback()
    event = record(session=session, **fields)
    session.commit()
    return event


def recent(
    *, session: Session, limit: int = 50, offset: int = 0, action: str | None = None
) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(col(AuditEvent.seq).desc())
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.exec(query.offset(offset).limit(limit)))


class AuditIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit entry."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditIsAppendOnly("audit entries are never changed or deleted")
