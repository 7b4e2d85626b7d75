"""Server-side sessions: create, keep alive (with idle and absolute expiry), rotate and end.
A request finds its session with app/accounts/signed_in.py."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from app.accounts.models import UserSession
from app.config import get_settings
from app.models_base import utcnow


def key_of(token: str) -> str:
    """The session's id: a hash of the cookie token (a stolen table holds no usable token)."""
    return hashlib.sha256(token.encode()).hexdigest()


def plausible(token: str | None) -> bool:
    return bool(token) and len(token or "") <= 200


def create(
    *, session: Session, user_id: uuid.UUID, pending_second_factor: bool = False
) -> tuple[str, UserSession]:
    """A signed-in user's new session, with a new id and CSRF token; the caller commits.
    Returns the cookie token. (Before sign-in there is no session: see login_csrf.py.)
    `pending_second_factor`: the password was right, the second factor's code is still owed."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        id=key_of(token),
        user_id=user_id,
        csrf_token=secrets.token_urlsafe(32),
        pending_second_factor=pending_second_factor,
    )
    session.add(row)
    return token, row


def is_expired(row: UserSession, now: datetime) -> bool:
    s = get_settings()
    return now - row.last_seen_at > timedelta(
        minutes=s.session_idle_minutes
    ) or now - row.created_at > timedelta(hours=s.session_absolute_hours)


def keep_alive(*, session: Session, row: UserSession) -> bool:
    """False for an expired session, deleted (committed). A live one is touched: its last-seen
    time is written at most once every ``session_touch_seconds`` (not a write a request)."""
    now = utcnow()
    if is_expired(row, now):
        session.delete(row)
        session.commit()
        return False
    if (now - row.last_seen_at).total_seconds() >= get_settings().session_touch_seconds:
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return True


def end(*, session: Session, token: str | None) -> None:
    if token:
        session.exec(delete(UserSession).where(col(UserSession.id) == key_of(token)))


def end_all_for(*, session: Session, user_id: uuid.UUID) -> None:
    session.exec(delete(UserSession).where(col(UserSession.user_id) == user_id))


PURGE_BATCH = 1000


def purge_expired(*, session: Session) -> int:
    """Delete expired sessions, a batch a transaction; returns how many."""
    s = get_settings()
    total = 0
    while True:
        now = utcnow()
        expired = (
            select(UserSession.id)
            .where(
                (col(UserSession.last_seen_at) < now - timedelta(minutes=s.session_idle_minutes))
                | (col(UserSession.created_at) < now - timedelta(hours=s.session_absolute_hours))
            )
            .limit(PURGE_BATCH)
        )
        result = session.exec(delete(UserSession).where(col(UserSession.id).in_(expired)))
        session.commit()
        deleted = int(getattr(result, "rowcount", 0) or 0)
        total += deleted
        if deleted < PURGE_BATCH:
            return total
