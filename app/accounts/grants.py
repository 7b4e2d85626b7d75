"""Two administrators for an administrator's own access to children's records: teams an admin
asks to supervise or coach themselves are held as pending grants (app/accounts/models.py
`AccessGrant`) until another administrator approves one. Taking access away is never held."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.accounts.models import (
    AccessGrant,
    MembershipKind,
    Role,
    Team,
    TeamMembership,
    User,
    UserRole,
)
from app.accounts.service import Principal
from app.audit import service as audit
from app.errors import DomainError, InvalidTransition, NotFound
from app.models_base import utcnow

HELD = {MembershipKind.SUPERVISES: Role.SUPERVISOR, MembershipKind.COACHES: Role.COACH}


class OwnGrant(DomainError):
    status_code = 422
    code = "own_grant"


@dataclass(frozen=True)
class Pending:
    grant: AccessGrant
    user: User
    team: Team


def _current(session: Session, user_id: uuid.UUID, kind: MembershipKind) -> set[uuid.UUID]:
    query = select(TeamMembership.team_id).where(
        TeamMembership.user_id == user_id, TeamMembership.kind == kind
    )
    return set(session.exec(query))


def _record(session: Session, actor: Principal, action: str, grant: AccessGrant) -> None:
    audit.record(
        session=session,
        action=action,
        actor_id=actor.id,
        actor_name=actor.user.username,
        object_type="user",
        object_id=str(grant.user_id),
        detail={"grant": str(grant.id), "team": str(grant.team_id), "kind": grant.kind},
    )


def hold_back_own(
    *, session: Session, actor: Principal, supervises: set[uuid.UUID], coaches: set[uuid.UUID]
) -> tuple[set[uuid.UUID], set[uuid.UUID], int]:
    """An admin's change to their own access: teams they do not supervise (coach) already
    become pending grants, in the caller's transaction; returns what to apply now (what they
    keep) and how many grants wait."""
    asked = {MembershipKind.SUPERVISES: supervises, MembershipKind.COACHES: coaches}
    keep: dict[MembershipKind, set[uuid.UUID]] = {}
    held = 0
    for kind, teams in asked.items():
        current = _current(session, actor.id, kind)
        keep[kind] = teams & current
        waiting = set(
            session.exec(
                select(AccessGrant.team_id).where(
                    AccessGrant.user_id == actor.id,
                    AccessGrant.kind == kind,
                    col(AccessGrant.decided_at).is_(None),
                )
            )
        )
        for team_id in sorted(teams - current - waiting):
            grant = AccessGrant(user_id=actor.id, team_id=team_id, kind=kind)
            session.add(grant)
            session.flush()
            _record(session, actor, "user.access_requested", grant)
        held += len(teams - current)
    return keep[MembershipKind.SUPERVISES], keep[MembershipKind.COACHES], held


def pending(*, session: Session) -> list[Pending]:
    rows = session.exec(
        select(AccessGrant, User, Team)
        .join(User, col(User.id) == col(AccessGrant.user_id))
        .join(Team, col(Team.id) == col(AccessGrant.team_id))
        .where(col(AccessGrant.decided_at).is_(None))
        .order_by(col(AccessGrant.requested_at))
    ).all()
    return [Pending(grant, user, team) for grant, user, team in rows]


def decide(*, session: Session, actor: Principal, grant_id: uuid.UUID, approve: bool) -> None:
    """Another administrator approves (the access is given now) or refuses a pending grant."""
    grant = session.exec(
        select(AccessGrant).where(AccessGrant.id == grant_id).with_for_update()
    ).first()
    if grant is None:
        raise NotFound("grant")
    if grant.user_id == actor.id:
        raise OwnGrant()
    if grant.decided_at is not None:
        raise InvalidTransition()  # another administrator decided first
    kind = MembershipKind(grant.kind)
    if approve:
        # The user's row locked before their access is read and added to, as by every change
        # of access (users.update_access): two of their requests approved at the same moment
        # are applied in turn, the role given once.
        session.get(User, grant.user_id, with_for_update=True)
        if session.get(TeamMembership, (grant.user_id, grant.team_id, kind)) is None:
            session.add(TeamMembership(user_id=grant.user_id, team_id=grant.team_id, kind=kind))
        if session.get(UserRole, (grant.user_id, HELD[kind])) is None:
            session.add(UserRole(user_id=grant.user_id, role=HELD[kind]))
    grant.decided_by, grant.decided_at, grant.approved = actor.id, utcnow(), approve
    session.add(grant)
    _record(session, actor, "user.access_approved" if approve else "user.access_refused", grant)
    session.commit()
