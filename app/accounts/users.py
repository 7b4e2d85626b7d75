"""Administering users and teams. Every change is audited in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from app.accounts import grants, sessions, throttle
from app.accounts.models import (
    MembershipKind,
    Role,
    Team,
    TeamMembership,
    User,
    UserRole,
)
from app.accounts.passwords import hash_password
from app.accounts.service import Principal
from app.audit import service as audit
from app.db import end_read
from app.errors import DomainError, NotFound


class UsernameTaken(DomainError):
    status_code = 422
    code = "username_taken"


class LastAdmin(DomainError):
    """The change would leave no active administrator: no one could then manage accounts."""

    status_code = 422
    code = "last_admin"


def _keep_an_admin(session: Session, user: User, *, stays_admin: bool) -> None:
    """Refuse to disable, or take the admin role from, the last active administrator. Every
    active administrator's row is locked first, so two admins demoting each other at once
    cannot both succeed: their user rows only, in one order for everyone (two demotions at
    once wait for each other, never for each other both)."""
    if stays_admin:
        return
    admins = session.exec(
        select(User)
        .join(UserRole, col(UserRole.user_id) == col(User.id))
        .where(UserRole.role == Role.ADMIN, col(User.is_active))
        .order_by(col(User.id))
        .with_for_update(of=User)
    ).all()
    if user in admins and len(admins) == 1:
        raise LastAdmin()


class CannotDisableSelf(DomainError):
    status_code = 422
    code = "cannot_disable_self"


class TeamNameTaken(DomainError):
    status_code = 422
    code = "team_name_taken"


@dataclass(frozen=True)
class UserView:
    user: User
    roles: list[Role]
    team: Team | None
    supervises: list[Team]
    coaches: list[Team]


def _audit(session: Session, actor: Principal, action: str, user: User, **detail: object) -> None:
    audit.record(
        session=session,
        action=action,
        actor_id=actor.id,
        actor_name=actor.user.username,
        object_type="user",
        object_id=str(user.id),
        detail={"username": user.username, **detail},
    )


def _hash(session: Session, password: str) -> str:
    """argon2 is slow on purpose: hash with no transaction open (nothing is unsaved yet)."""
    end_read(session)
    return hash_password(password)


def list_teams(*, session: Session) -> list[Team]:
    return list(session.exec(select(Team).order_by(col(Team.name))))


def get_user(*, session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    return user


def view_users(*, session: Session) -> list[UserView]:
    users = list(session.exec(select(User).order_by(col(User.username))))
    teams = {t.id: t for t in list_teams(session=session)}
    roles: dict[uuid.UUID, list[Role]] = {}
    for user_id, role in session.exec(select(UserRole.user_id, UserRole.role)):
        roles.setdefault(user_id, []).append(Role(role))
    links: dict[tuple[uuid.UUID, str], list[Team]] = {}
    for m in session.exec(select(TeamMembership)):
        links.setdefault((m.user_id, m.kind), []).append(teams[m.team_id])
    order = list(Role)
    return [
        UserView(
            user=u,
            roles=sorted(roles.get(u.id, []), key=order.index),
            team=next(iter(links.get((u.id, MembershipKind.MEMBER), [])), None),
            supervises=links.get((u.id, MembershipKind.SUPERVISES), []),
            coaches=links.get((u.id, MembershipKind.COACHES), []),
        )
        for u in users
    ]


def view_user(*, session: Session, user_id: uuid.UUID) -> UserView:
    get_user(session=session, user_id=user_id)
    return next(v for v in view_users(session=session) if v.user.id == user_id)


def _set_access(
    session: Session,
    user: User,
    *,
    roles: set[Role],
    team_id: uuid.UUID | None,
    supervises: set[uuid.UUID],
    coaches: set[uuid.UUID],
) -> None:
    session.exec(delete(UserRole).where(col(UserRole.user_id) == user.id))
    session.exec(delete(TeamMembership).where(col(TeamMembership.user_id) == user.id))
    session.flush()
    for role in sorted(roles):
        session.add(UserRole(user_id=user.id, role=role))
    memberships = [(team_id, MembershipKind.MEMBER)] if team_id else []
    memberships += [(t, MembershipKind.SUPERVISES) for t in supervises]
    memberships += [(t, MembershipKind.COACHES) for t in coaches]
    for tid, kind in memberships:
        if session.get(Team, tid) is None:
            raise NotFound("team")
        session.add(TeamMembership(user_id=user.id, team_id=tid, kind=kind))


def create_user(
    *,
    session: Session,
    actor: Principal,
    username: str,
    display_name: str,
    collar_number: str,
    password: str,
    roles: set[Role],
    team_id: uuid.UUID | None = None,
    supervises: set[uuid.UUID] | None = None,
    coaches: set[uuid.UUID] | None = None,
) -> User:
    name = username.strip().lower()
    password_hash = _hash(session, password)
    if session.exec(select(User).where(User.username == name)).first():
        raise UsernameTaken(name)
    user = User(
        username=name,
        display_name=display_name.strip(),
        collar_number=collar_number.strip(),
        password_hash=password_hash,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # the same user name, added by another admin at the same moment
        session.rollback()
        raise UsernameTaken(name) from None
    _set_access(
        session,
        user,
        roles=roles,
        team_id=team_id,
        supervises=supervises or set(),
        coaches=coaches or set(),
    )
    _audit(session, actor, "user.created", user, roles=sorted(roles))
    session.commit()
    return user


def update_access(
    *,
    session: Session,
    actor: Principal,
    user_id: uuid.UUID,
    display_name: str,
    collar_number: str,
    roles: set[Role],
    team_id: uuid.UUID | None,
    supervises: set[uuid.UUID],
    coaches: set[uuid.UUID],
) -> int:
    """Change a user's access; returns how many teams wait for a second administrator (an
    admin's own new supervision or coaching: app/accounts/grants.py)."""
    user = get_user(session=session, user_id=user_id)
    _keep_an_admin(session, user, stays_admin=Role.ADMIN in roles and user.is_active)
    # The user's row is locked (after the administrators' rows, in the same order as
    # set_active) before their roles and teams are replaced: two administrators saving the
    # same user at once are saved in turn, the second replacing what the first wrote.
    session.get(User, user_id, with_for_update=True)
    held = 0
    if user.id == actor.id:
        supervises, coaches, held = grants.hold_back_own(
            session=session, actor=actor, supervises=supervises, coaches=coaches
        )
    user.display_name = display_name.strip()
    user.collar_number = collar_number.strip()
    session.add(user)
    _set_access(session, user, roles=roles, team_id=team_id, supervises=supervises, coaches=coaches)
    # Changed roles take effect at the next request: sessions are read afresh each time.
    _audit(
        session,
        actor,
        "user.access_changed",
        user,
        roles=sorted(roles),
        team=str(team_id) if team_id else None,
        supervises=sorted(str(t) for t in supervises),
        coaches=sorted(str(t) for t in coaches),
    )
    session.commit()
    return held


def set_active(*, session: Session, actor: Principal, user_id: uuid.UUID, active: bool) -> User:
    user = get_user(session=session, user_id=user_id)
    if user.id == actor.id and not active:
        raise CannotDisableSelf()
    _keep_an_admin(session, user, stays_admin=active)
    user.is_active = active
    session.add(user)
    if not active:
        sessions.end_all_for(session=session, user_id=user.id)  # takes effect at once
    _audit(session, actor, "user.enabled" if active else "user.disabled", user)
    session.commit()
    return user


def unlock(*, session: Session, actor: Principal, user_id: uuid.UUID) -> User:
    user = get_user(session=session, user_id=user_id)
    throttle.clear_name(session=session, username=user.username)
    _audit(session, actor, "user.unlocked", user)
    session.commit()
    return user


def reset_password(
    *, session: Session, actor: Principal, user_id: uuid.UUID, password: str
) -> User:
    password_hash = _hash(session, password)
    user = get_user(session=session, user_id=user_id)
    user.password_hash = password_hash
    session.add(user)
    sessions.end_all_for(session=session, user_id=user.id)
    _audit(session, actor, "user.password_reset", user)
    session.commit()
    return user


def create_team(*, session: Session, actor: Principal, name: str) -> Team:
    clean = name.strip()
    if session.exec(select(Team).where(Team.name == clean)).first():
        raise TeamNameTaken(clean)
    team = Team(name=clean)
    session.add(team)
    try:
        session.flush()
    except IntegrityError:  # the same name, added by another admin at the same moment
        session.rollback()
        raise TeamNameTaken(clean) from None
    audit.record(
        session=session,
        action="team.created",
        actor_id=actor.id,
        actor_name=actor.user.username,
        object_type="team",
        object_id=str(team.id),
        detail={"name": clean},
    )
    session.commit()
    return team
