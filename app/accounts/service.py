"""Log-in and log-out, with throttling; each outcome audited in the same transaction."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from app.accounts import sessions
from app.accounts.models import LoginThrottle, Role, TeamMembership, User, UserRole, UserSession
from app.accounts.passwords import dummy_hash, verify_password
from app.audit import service as audit
from app.config import get_settings
from app.db import end_read
from app.errors import DomainError
from app.models_base import utcnow


class LoginFailed(DomainError):
    status_code = 400
    code = "login_failed"


class LoginLocked(DomainError):
    status_code = 429
    code = "login_locked"

    def __init__(self, minutes: int) -> None:
        super().__init__(f"locked for {minutes} minutes")
        self.minutes = minutes


@dataclass(frozen=True)
class Principal:
    """The signed-in user for one request, with roles and team ids."""

    user: User
    roles: frozenset[Role]
    member_of: frozenset[uuid.UUID]
    supervises: frozenset[uuid.UUID]
    coaches: frozenset[uuid.UUID]
    session: UserSession

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


def principal_for(*, session: Session, row: UserSession) -> Principal | None:
    if row.user_id is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    roles = frozenset(session.exec(select(UserRole.role).where(UserRole.user_id == user.id)))
    teams: dict[str, set[uuid.UUID]] = {"member": set(), "supervises": set(), "coaches": set()}
    for team_id, kind in session.exec(
        select(TeamMembership.team_id, TeamMembership.kind).where(TeamMembership.user_id == user.id)
    ):
        teams[kind].add(team_id)
    return Principal(
        user=user,
        roles=frozenset(Role(r) for r in roles),
        member_of=frozenset(teams["member"]),
        supervises=frozenset(teams["supervises"]),
        coaches=frozenset(teams["coaches"]),
        session=row,
    )


def _throttle(session: Session, username: str) -> LoginThrottle:
    row = session.get(LoginThrottle, username)
    return row or LoginThrottle(username=username)


def log_in(
    *, session: Session, username: str, password: str, old_token: str | None, ip: str = ""
) -> str:
    """Check the password and start a fresh session; returns its cookie token.

    Raises LoginLocked while the name is locked out and LoginFailed for a wrong name or password
    (the same for both, so nothing tells which names exist).
    """
    settings = get_settings()
    name = username.strip().lower()[:50]
    throttle = _throttle(session, name)
    now = utcnow()
    if throttle.locked_until and throttle.locked_until > now:
        minutes = math.ceil((throttle.locked_until - now).total_seconds() / 60)
        audit.record(session=session, action="login.locked_out", actor_name=name, ip=ip)
        session.commit()
        raise LoginLocked(minutes)

    user = session.exec(select(User).where(User.username == name)).first()
    stored_hash = user.password_hash if user else dummy_hash()
    end_read(session)  # no transaction is open while the password is checked
    valid = verify_password(password, stored_hash)
    if not (user and valid and user.is_active):
        throttle.failures += 1
        locked = throttle.failures >= settings.login_max_failures
        if locked:
            throttle.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
            throttle.failures = 0
        session.add(throttle)
        audit.record(
            session=session,
            action="login.failed",
            actor_id=user.id if user else None,
            actor_name=name,
            detail={"locked": locked, "inactive": bool(user and valid and not user.is_active)},
            ip=ip,
        )
        session.commit()
        if locked:
            raise LoginLocked(settings.login_lockout_minutes)
        raise LoginFailed("wrong user name or password")

    stale = session.get(LoginThrottle, name)
    if stale is not None:
        session.delete(stale)
    sessions.end(session=session, token=old_token)  # a new session id at log-in
    sessions.purge_expired(session=session)
    token, _row = sessions.create(session=session, user_id=user.id)
    audit.record(
        session=session, action="login.succeeded", actor_id=user.id, actor_name=name, ip=ip
    )
    session.commit()
    return token


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
