"""The supervisor's queue and decisions. Each decision is a state transition with rules,
taken under a row lock and checked against the version the supervisor was looking at, so when
two supervisors act at once the second is told rather than overwriting the first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from app.accounts.models import Team, User
from app.accounts.service import Principal
from app.audit import service as audit
from app.checklist import service as checklist
from app.errors import DomainError, InvalidTransition, NotFound
from app.models_base import utcnow
from app.referrals import access
from app.referrals.models import Delivery, Referral, ReferralStatus
from app.review.models import DecisionKind, ReviewDecision

# Supervisor review due after submission (product rule, after MASH red/amber/green practice).
DUE_AFTER = {
    "high": timedelta(hours=1),
    "medium": timedelta(hours=8),
    "standard": timedelta(hours=24),
}
GRADES = ("high", "medium", "standard")
PAGE_SIZE = 20


class StaleDecision(InvalidTransition):
    """Someone else decided first, or the officer resubmitted: the page was out of date."""

    code = "stale_decision"


class CommentRequired(DomainError):
    status_code = 422
    code = "comment_required"


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


def history(*, session: Session, referral_id: uuid.UUID) -> list[ReviewDecision]:
    query = select(ReviewDecision).where(ReviewDecision.referral_id == referral_id)
    return list(session.exec(query.order_by(col(ReviewDecision.at))))


def _lock_for_decision(
    session: Session, supervisor: Principal, reference: str, expected_version: int
) -> Referral:
    referral = session.exec(
        select(Referral)
        .where(Referral.reference == reference)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if referral is None or not access.can_supervise(supervisor, referral):
        raise NotFound()
    if referral.officer_id == supervisor.id:
        raise NotFound()  # nobody reviews their own referral
    if referral.status != ReferralStatus.SUBMITTED:
        raise StaleDecision() if referral.version == expected_version else InvalidTransition()
    if referral.version != expected_version:
        raise StaleDecision()
    return referral


def _record(
    session: Session,
    supervisor: Principal,
    referral: Referral,
    kind: DecisionKind,
    comment: str,
    *,
    from_grade: str = "",
    to_grade: str = "",
) -> ReviewDecision:
    decision = ReviewDecision(
        referral_id=referral.id,
        version=referral.version,
        kind=kind,
        actor_id=supervisor.id,
        comment=comment.strip(),
        from_grade=from_grade,
        to_grade=to_grade,
    )
    session.add(decision)
    referral.updated_at = decision.at
    session.add(referral)
    audit.record(
        session=session,
        action=f"referral.{kind.value}",
        actor_id=supervisor.id,
        actor_name=supervisor.user.username,
        object_type="referral",
        object_id=str(referral.id),
        reason=comment.strip()[:500],
        detail={
            "reference": referral.reference,
            "version": referral.version,
            "from_grade": from_grade,
            "to_grade": to_grade,
        },
    )
    return decision


def approve(
    *,
    session: Session,
    supervisor: Principal,
    reference: str,
    expected_version: int,
    comment: str = "",
) -> Referral:
    """Approve and queue the referral for sending to the MASH (the outbox row is written in
    the same transaction, so an approval is never without its delivery)."""
    referral = _lock_for_decision(session, supervisor, reference, expected_version)
    referral.status = ReferralStatus.APPROVED
    _record(session, supervisor, referral, DecisionKind.APPROVED, comment)
    session.add(Delivery(referral_id=referral.id, version=referral.version))
    session.commit()
    return referral


def return_to_officer(
    *, session: Session, supervisor: Principal, reference: str, expected_version: int, comment: str
) -> Referral:
    """Send back to the officer with what to change; their draft opens again for amending."""
    if not comment.strip():
        raise CommentRequired()
    referral = _lock_for_decision(session, supervisor, reference, expected_version)
    referral.status = ReferralStatus.RETURNED
    _record(session, supervisor, referral, DecisionKind.RETURNED, comment)
    checklist.reopen(session=session, incident_id=referral.incident_id)
    session.commit()
    return referral


def regrade(
    *,
    session: Session,
    supervisor: Principal,
    reference: str,
    expected_version: int,
    grade: str,
    rationale: str,
) -> Referral:
    """Change the grade in force, with a rationale; the officer's grade stays on record."""
    if not rationale.strip():
        raise CommentRequired()
    if grade not in GRADES:
        raise InvalidTransition()
    referral = _lock_for_decision(session, supervisor, reference, expected_version)
    if grade == referral.grade:
        return referral
    previous = referral.grade
    referral.grade = grade
    _record(
        session,
        supervisor,
        referral,
        DecisionKind.REGRADED,
        rationale,
        from_grade=previous,
        to_grade=grade,
    )
    session.commit()
    return referral
