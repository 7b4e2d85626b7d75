"""Append to the audit log, in the caller's transaction, and verify its hash chain.

Other domains call `audit.record(...)` before they commit, so an action and its audit entry
are saved together or not at all. This module imports no other domain.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent, AuditHead


def _digest(event: AuditEvent) -> str:
    body = {
        "prev": event.prev_hash,
        "id": str(event.id),
        "at": event.at.isoformat(),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reason": event.reason,
        "detail": event.detail,
        "ip": event.ip,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _locked_head(session: Session) -> AuditHead:
    """The chain's head row, locked until the caller commits. The very first entry creates it;
    two first entries at once must not both try (one would fail on the primary key)."""
    query = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.exec(query).first()
    if head is None:
        dialect = session.get_bind().dialect.name
        insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(insert(AuditHead).values(id=1, last_hash="").on_conflict_do_nothing())
        head = session.exec(query).one()
    return head


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
) -> AuditEvent:
    """Add one entry to the session's transaction; the caller commits it with its action."""
    head = _locked_head(session)
    event = AuditEvent(
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason[:500],
        detail=detail or {},
        ip=ip[:64],
        prev_hash=head.last_hash,
    )
    event.hash = _digest(event)
    head.last_hash = event.hash
    session.add(event)
    session.add(head)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # the seq of the first entry that does not match

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(events: Iterable[AuditEvent], prev: str = "", checked: int = 0) -> ChainReport:
    for entry in events:
        checked += 1
        if entry.prev_hash != prev or _digest(entry) != entry.hash:
            return ChainReport(checked=checked, broken_at=entry.seq)
        prev = entry.hash
    return ChainReport(checked=checked, broken_at=None)


def verify(*, session: Session, chunk: int = 500) -> ChainReport:
    """Check the whole chain, ``chunk`` entries a transaction: each read is short and ends
    before the next, so a long log holds no snapshot or lock for long and blocks no writer
    (entries appended meanwhile are checked too). Call it with nothing unsaved in the session:
    each chunk's transaction is ended with a commit."""
    prev, checked, after = "", 0, None
    while True:
        query = select(AuditEvent).order_by(col(AuditEvent.seq)).limit(chunk)
        if after is not None:
            query = query.where(col(AuditEvent.seq) > after)
        entries = list(session.exec(query))
        report = verify_chain(entries, prev, checked)
        if entries:
            prev, after = entries[-1].hash, entries[-1].seq
        for entry in entries:
            session.expunge(entry)  # checked: keep nothing of them in the session
        session.commit()
        if not report.ok or len(entries) < chunk:
            return report
        checked = report.checked


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
