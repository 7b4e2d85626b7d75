"""Quick hide: lock a signed-in session at once, and unlock it with the user's password.

The lock is held on the server (``UserSession.locked``): while it is set, every page and API
call of the session is refused but unlocking and signing out (app/accounts/deps.py). Wrong
passwords are counted by the sign-in throttle, as at sign-in (app/accounts/throttle.py), and
no transaction is open while the password is checked. Each lock, unlock and wrong password is
in the audit log, in the same transaction as the change it records.
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import throttle
from app.accounts.models import UserSession
from app.accounts.passwords import verify_password
from app.accounts.service import LoginThrottled, Principal
from app.audit import service as audit
from app.errors import DomainError


class UnlockFailed(DomainError):
    status_code = 422
    code = "unlock_failed"


def lock(*, session: Session, principal: Principal, ip: str = "") -> None:
    row = session.get(UserSession, principal.session.id)
    if row is None or row.locked:
        session.rollback()
        return  # signed out meanwhile, or hidden twice: nothing to record
    row.locked = True
    session.add(row)
    audit.record(
        session=session,
        action="session.locked",
        actor_id=principal.id,
        actor_name=principal.user.username,
        ip=ip,
    )
    session.commit()


def unlock(*, session: Session, principal: Principal, password: str, ip: str = "") -> None:
    """Raises LoginThrottled (nothing checked) or UnlockFailed (a wrong password)."""
    user_id, name, stored = principal.id, principal.user.username, principal.user.password_hash
    session_id = principal.session.id
    address = throttle.address_key(ip)
    reservation = throttle.reserve(session=session, address=address, username=name)
    if reservation.retry_at is not None:
        session.rollback()
        raise LoginThrottled(reservation.retry_at)
    if reservation.blocked is not None:
        audit.record(
            session=session,
            action="session.unlock_throttled",
            actor_id=user_id,
            actor_name=name,
            detail={"retry_at": reservation.blocked[1].isoformat(timespec="seconds")},
            ip=ip,
        )
    session.commit()  # the attempt is counted; no transaction is open while hashing

    if not password or not verify_password(password, stored):
        audit.record(
            session=session,
            action="session.unlock_failed",
            actor_id=user_id,
            actor_name=name,
            ip=ip,
        )
        session.commit()
        raise UnlockFailed()
    throttle.succeeded(session=session, address=address, username=name)
    row = session.get(UserSession, session_id)
    if row is not None:
        row.locked = False
        session.add(row)
    audit.record(
        session=session, action="session.unlocked", actor_id=user_id, actor_name=name, ip=ip
    )
    session.commit()
