"""Think Child training: which officers of the teams a coach coaches completed it, and when.

A coach records, corrects and removes an officer's training only for officers of teams they
coach (anyone else does not exist for them). Each action is one commit with its audit entry.
Officers are the active members of a team; an officer in two teams counts in both."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from app.accounts.models import MembershipKind, Team, TeamMembership, User
from app.accounts.service import Principal
from app.audit import service as audit
from app.coaching.models import TrainingRecord
from app.errors import DomainError, NotFound
from app.models_base import utcnow

EARLIEST = date(2000, 1, 1)
SHOWS = ("all", "trained", "untrained")


class OfficerNotFound(NotFound):
    code = "officer_not_found"


class BadTrainingDate(DomainError):
    """Why the date typed cannot be used: ``missing``, ``not_a_date``, ``future`` or
    ``too_early`` (the page words each)."""

    status_code = 422
    code = "bad_training_date"


def parse_date(*, day: str, month: str, year: str, today: date) -> date:
    parts = [p.strip() for p in (day, month, year)]
    if not any(parts):
        raise BadTrainingDate("missing")
    if not all(p.isdigit() and p.isascii() and len(p) <= 4 for p in parts) or len(parts[2]) != 4:
        raise BadTrainingDate("not_a_date")
    try:
        found = date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise BadTrainingDate("not_a_date") from None
    if found > today:
        raise BadTrainingDate("future")
    if found < EARLIEST:
        raise BadTrainingDate("too_early")
    return found


@dataclass(frozen=True)
class Officer:
    user: User
    record: TrainingRecord | None
    recorder: str  # who recorded (or last corrected) it: "" when not trained


@dataclass(frozen=True)
class TeamOfficers:
    team: Team
    officers: list[Officer]

    @property
    def trained(self) -> int:
        return sum(1 for o in self.officers if o.record is not None)

    def shown(self, show: str) -> list[Officer]:
        """The officers behind a number: ``show`` is all, trained or untrained."""
        if show == "all":
            return self.officers
        return [o for o in self.officers if (o.record is not None) == (show == "trained")]


def _members(team_ids: frozenset[uuid.UUID]) -> Select[uuid.UUID, uuid.UUID]:
    return (
        select(TeamMembership.team_id, TeamMembership.user_id)
        .join(User, col(User.id) == col(TeamMembership.user_id))
        .where(
            col(TeamMembership.team_id).in_(team_ids),
            TeamMembership.kind == MembershipKind.MEMBER,
            col(User.is_active),
        )
    )


def _in_coached_team(session: Session, coach: Principal, officer_id: uuid.UUID) -> bool:
    query = _members(frozenset(coach.coaches)).where(TeamMembership.user_id == officer_id)
    return session.exec(query).first() is not None


def _names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids)))}


def officers(*, session: Session, teams: list[Team]) -> list[TeamOfficers]:
    """Each team's officers (by name), with their training records."""
    ids = frozenset(t.id for t in teams)
    if not ids:
        return []
    members = session.exec(_members(ids)).all()
    users = _names(session, {user_id for _, user_id in members})
    records = {
        r.officer_id: r
        for r in session.exec(
            select(TrainingRecord).where(col(TrainingRecord.officer_id).in_(users))
        )
    }
    recorders = _names(session, {r.recorded_by for r in records.values()})

    def one(user: User) -> Officer:
        record = records.get(user.id)
        by = recorders.get(record.recorded_by) if record else None
        return Officer(user, record, by.display_name if by else "")

    return [
        TeamOfficers(
            team,
            [
                one(u)
                for u in sorted(
                    (users[u] for t, u in members if t == team.id),
                    key=lambda u: (u.display_name, u.username),
                )
            ],
        )
        for team in teams
    ]


@dataclass(frozen=True)
class Completion:
    team: Team
    officers: int
    trained: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.trained / self.officers, 1) if self.officers else None


def completion(*, session: Session, teams: list[Team]) -> list[Completion]:
    """Trained officers out of officers, per team, counted by the database."""
    ids = frozenset(t.id for t in teams)
    if not ids:
        return []
    members = _members(ids).subquery()
    query = (
        select(
            members.c.team_id,
            func.count(members.c.user_id),
            func.count(col(TrainingRecord.id)),
        )
        .select_from(members)
        .outerjoin(TrainingRecord, col(TrainingRecord.officer_id) == members.c.user_id)
        .group_by(members.c.team_id)
    )
    counts = {team_id: (n, trained) for team_id, n, trained in session.exec(query)}
    return [Completion(t, *counts.get(t.id, (0, 0))) for t in teams]


def officer(*, session: Session, coach: Principal, officer_id: uuid.UUID) -> Officer:
    """One officer of a team the coach coaches; OfficerNotFound for anyone else."""
    user = session.get(User, officer_id)
    if user is None or not _in_coached_team(session, coach, officer_id):
        raise OfficerNotFound()
    record = session.exec(
        select(TrainingRecord).where(TrainingRecord.officer_id == officer_id)
    ).first()
    recorder = session.get(User, record.recorded_by) if record else None
    return Officer(user, record, recorder.display_name if recorder else "")


def _audit(
    session: Session, coach: Principal, action: str, officer_id: uuid.UUID, ip: str, **detail: str
) -> None:
    audit.record(
        session=session,
        action=action,
        actor_id=coach.id,
        actor_name=coach.user.username,
        object_type="user",
        object_id=str(officer_id),
        reason="child protection coaching: Think Child training record",
        detail=detail,
        ip=ip,
    )


def _locked(session: Session, officer_id: uuid.UUID) -> TrainingRecord | None:
    query = select(TrainingRecord).where(TrainingRecord.officer_id == officer_id)
    return session.exec(query.with_for_update()).first()


def record(
    *,
    session: Session,
    coach: Principal,
    officer_id: uuid.UUID,
    completed_on: date,
    ip: str = "",
) -> TrainingRecord:
    """Record that the officer completed the training on ``completed_on``, or correct the date
    already recorded (the audit entry keeps the old one). The same date again changes nothing."""
    officer(session=session, coach=coach, officer_id=officer_id)
    row = _locked(session, officer_id)
    if row is not None and row.completed_on == completed_on:
        return row
    new = completed_on.isoformat()
    if row is None:
        row = TrainingRecord(officer_id=officer_id, completed_on=completed_on, recorded_by=coach.id)
        _audit(session, coach, "coaching.training_recorded", officer_id, ip, completed_on=new)
    else:
        was = row.completed_on.isoformat()
        row.completed_on, row.recorded_by, row.recorded_at = completed_on, coach.id, utcnow()
        _audit(
            session, coach, "coaching.training_corrected", officer_id, ip, was=was, completed_on=new
        )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # another coach recorded it at the same moment: correct theirs
        session.rollback()
        return record(
            session=session, coach=coach, officer_id=officer_id, completed_on=completed_on, ip=ip
        )
    return row


def remove(*, session: Session, coach: Principal, officer_id: uuid.UUID, ip: str = "") -> bool:
    """Remove the officer's training record (recorded in error); False when there was none."""
    officer(session=session, coach=coach, officer_id=officer_id)
    row = _locked(session, officer_id)
    if row is None:
        session.rollback()
        return False
    was = row.completed_on.isoformat()
    session.delete(row)
    _audit(session, coach, "coaching.training_removed", officer_id, ip, was=was)
    session.commit()
    return True
