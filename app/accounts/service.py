"""Log-in and log-out, with throttling; each outcome audited in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from app.accounts import sessions, throttle
from app.accounts.models import (
    Role,
    SecondFactor,
    User,
    UserSession,
)
from app.accounts.passwords import dummy_hash, verify_password
from app.audit import service as audit
from app.errors import DomainError

UNKNOWN_USER = "(unknown user)"


class LoginFailed(DomainError):
    status_code = 400
    code = "login_failed"


class LoginThrottled(DomainError):
    """Too many attempts from this address (or for this name from it): no password checked."""

    status_code = 429
    code = "login_throttled"

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(f"try again after {retry_at.isoformat()}")
        self.retry_at = retry_at


@dataclass(frozen=True)
class SignedIn:
    """A right password: the session's cookie token, and whether a second factor's code is
    still owed before the session may do anything."""

    token: str
    code_needed: bool


@dataclass(frozen=True)
class Principal:
    """The signed-in user for one request, with roles and team ids."""

    user: User
    roles: frozenset[Role]
    member_of: frozenset[uuid.UUID]
    supervises: frozenset[uuid.UUID]
    coaches: frozenset[uuid.UUID]
    session: UserSession
    # Counts read with the session in its one query (``signed_in.counted_with_session``).
    counts: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


def log_in(
    *, session: Session, username: str, password: str, old_token: str | None, ip: str = ""
) -> SignedIn:
    """Check the password and start a fresh session; returns its cookie token. A user with a
    second factor gets a session that owes its code (second_factor.complete_sign_in).

    Three short transactions, none open while the password is hashed: count the attempt (or
    refuse it, raising LoginThrottled, with no password checked); check the password; record
    the outcome. LoginFailed is the same for a wrong name and a wrong password, so nothing tells
    which names exist.
    """
    name = username.strip().lower()[:50]
    address = throttle.address_key(ip)
    reservation = throttle.reserve(session=session, address=address, username=name)
    if reservation.retry_at is not None:
        session.rollback()  # a refused attempt writes nothing: a flood costs no writes
        raise LoginThrottled(reservation.retry_at)
    user = session.exec(select(User).where(User.username == name)).first()
    found = (user.id, user.password_hash, user.is_active) if user else None
    # A name that is no account may be a password typed into the wrong box: never kept.
    logged_name = name if found else UNKNOWN_USER
    if reservation.blocked is not None:  # this attempt starts a wait: recorded once, here
        whom, until = reservation.blocked
        audit.record(
            session=session,
            action="login.throttled",
            actor_name=logged_name,
            detail={
                "retry_at": until.isoformat(timespec="seconds"),
                "scope": "address" if whom == throttle.ALL_NAMES else "name",
            },
            ip=ip,
        )
    session.commit()  # the attempt is counted; no transaction is open while hashing

    valid = verify_password(password, found[1] if found else dummy_hash())
    if found is None or not valid or not found[2]:
        audit.record(
            session=session,
            action="login.failed",
            actor_id=found[0] if found else None,
            actor_name=logged_name,
            detail={"inactive": bool(found and valid and not found[2])},
            ip=ip,
        )
        session.commit()
        raise LoginFailed("wrong user name or password")

    throttle.succeeded(session=session, address=address, username=name)
    sessions.end(session=session, token=old_token)  # a new session id at log-in
    factor = session.get(SecondFactor, found[0])
    code_needed = factor is not None and factor.confirmed_at is not None
    token, _row = sessions.create(
        session=session, user_id=found[0], pending_second_factor=code_needed
    )
    audit.record(
        session=session,
        action="login.password_accepted" if code_needed else "login.succeeded",
        actor_id=found[0],
        actor_name=name,
        ip=ip,
    )
    session.commit()
    return SignedIn(token=token, code_needed=code_needed)


def log_out(
    *, session: Session, principal: Principal | None, token: str | None, ip: str = ""
) -> None:
    sessions.end(session=session, token=token)
    if principal is not None:
        audit.record(
            session=session,
            action="logout",
            actor_id=principal.id,
            actor_name=principal.user.username,
            ip=ip,
        )
    session.commit()


def users_by_ids(*, session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
    """People named on a record (officers, supervisors, authors), in one query."""
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids)))}
