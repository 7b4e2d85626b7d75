"""Append to the audit log, in the caller's transaction (app/audit/verification.py checks it).

Other domains call `audit.record(...)` before they commit, so an action and its audit entry
are saved together or not at all. This module imports no other domain.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event
from sqlmodel import Session, col, select

from app.audit.chain import current_key, digest
from app.audit.chain import verify_chain as verify_chain
from app.audit.models import AuditEvent, AuditHead
from app.audit.rows import locked_singleton
from app.audit.verification import verify as verify


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
    head = locked_singleton(session, AuditHead, last_hash="", last_seq=0)
    event = AuditEvent(
        seq=head.last_seq + 1,  # from the locked head, so the HMAC can cover it
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
    event.hash = digest(event, key=current_key())
    head.last_hash, head.last_seq = event.hash, event.seq or 0
    session.add(event)
    session.add(head)
    return event


def record_apart(*, session: Session, **fields: Any) -> AuditEvent:
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
