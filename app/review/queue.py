"""The supervisor's queue: referrals of their teams, highest risk first, with when each review
is due (after MASH red / amber / green practice)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from app.accounts.models import Team, User
from app.accounts.service import Principal
from app.models_base import utcnow
from app.referrals.models import Referral, ReferralStatus

# Supervisor review due after submission (product rule, after MASH red/amber/green practice).
DUE_AFTER = {
    "high": timedelta(hours=1),
    "medium": timedelta(hours=8),
    "standard": timedelta(hours=24),
}
PAGE_SIZE = 20


def due_at(referral: Referral) -> datetime:
    return referral.submitted_at + DUE_AFTER.get(referral.grade, DUE_AFTER["standard"])


def is_overdue(referral: Referral, now: datetime) -> bool:
    return referral.status == ReferralStatus.SUBMITTED and now > due_at(referral)


@dataclass(frozen=True)
class QueueItem:
    referral: Referral
    officer: User
    team: Team | None
    due: datetime
    overdue: bool
    waiting: timedelta


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class Filters:
    status: str = ReferralStatus.SUBMITTED.value  # "" for every status
    grade: str = ""
    team: uuid.UUID | None = None
    officer: uuid.UUID | None = None


def queue(
    *,
    session: Session,
    supervisor: Principal,
    filters: Filters,
    page: int = 1,
    now: datetime | None = None,
) -> QueuePage:
    """Referrals of the supervisor's teams: highest risk first, then longest waiting."""
    now = now or utcnow()
    teams = set(supervisor.supervises)
    if filters.team is not None:
        teams &= {filters.team}
    query = select(Referral).where(col(Referral.team_id).in_(teams))
    if filters.status:
        query = query.where(Referral.status == filters.status)
    if filters.grade:
        query = query.where(Referral.grade == filters.grade)
    if filters.officer is not None:
        query = query.where(Referral.officer_id == filters.officer)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rank = case({"high": 0, "medium": 1}, value=Referral.grade, else_=2)
    rows = session.exec(
        query.order_by(rank, col(Referral.submitted_at))
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    people = {
        u.id: u
        for u in session.exec(select(User).where(col(User.id).in_({r.officer_id for r in rows})))
    }
    team_rows = {
        t.id: t
        for t in session.exec(select(Team).where(col(Team.id).in_({r.team_id for r in rows})))
    }
    items = [
        QueueItem(
            referral=r,
            officer=people[r.officer_id],
            team=team_rows.get(r.team_id) if r.team_id else None,
            due=due_at(r),
            overdue=is_overdue(r, now),
            waiting=now - r.submitted_at,
        )
        for r in rows
    ]
    return QueuePage(items=items, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)))


def count_waiting(*, session: Session, supervisor: Principal) -> int:
    if not supervisor.supervises:
        return 0
    query = select(func.count()).where(
        col(Referral.team_id).in_(supervisor.supervises),
        Referral.status == ReferralStatus.SUBMITTED,
    )
    return int(session.exec(query).one())


def officers_of(*, session: Session, supervisor: Principal) -> list[User]:
    query = (
        select(User)
        .join(Referral, col(Referral.officer_id) == col(User.id))
        .where(col(Referral.team_id).in_(supervisor.supervises))
        .distinct()
        .order_by(col(User.display_name))
    )
    return list(session.exec(query))
