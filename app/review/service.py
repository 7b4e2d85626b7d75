"""The supervisor's decisions. Each decision is a state transition with rules, taken under a
row lock and checked against the version the supervisor was looking at, so when two supervisors
act at once the second is told rather than overwriting the first."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlmodel import Session, col, select

from app.accounts.service import Principal
from app.audit import service as audit
from app.checklist import lifecycle
from app.errors import DomainError, InvalidTransition, NotFound
from app.referrals import access
from app.referrals.models import DecisionKind, Delivery, Referral, ReferralStatus, ReviewDecision
from app.review import quality as quality_check

GRADES = ("high", "medium", "standard")
# Approving one of these grades needs the supervisor's rationale (supervision rule, every
# prompt set version).
RATIONALE_NEEDED = frozenset({"high", "medium"})


class StaleDecision(InvalidTransition):
    """Someone else decided first, or the officer resubmitted: the page was out of date."""

    code = "stale_decision"


class CommentRequired(DomainError):
    status_code = 422
    code = "comment_required"


class RationaleRequired(DomainError):
    """Approving a high or medium referral without saying why the grade is right."""

    status_code = 422
    code = "rationale_required"


class QualityCheckInvalid(DomainError):
    """A quality check with a criterion not marked (or marked with an unknown value)."""

    status_code = 422
    code = "quality_invalid"

    def __init__(self, criterion: str) -> None:
        super().__init__()
        self.criterion = criterion


def _checked(marks: Mapping[str, str] | None) -> dict[str, str]:
    """The quality check as stored: complete and valid, or empty when none was given."""
    if marks is None:
        return {}
    try:
        return dict(quality_check.validate(marks))
    except quality_check.QualityInvalid as e:
        raise QualityCheckInvalid(str(e)) from e


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
    quality: dict[str, str] | None = None,
) -> ReviewDecision:
    decision = ReviewDecision(
        referral_id=referral.id,
        version=referral.version,
        kind=kind,
        actor_id=supervisor.id,
        comment=comment.strip(),
        from_grade=from_grade,
        to_grade=to_grade,
        quality=quality or {},
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
            "quality": quality or {},
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
    quality: Mapping[str, str] | None = None,
) -> Referral:
    """Approve and queue the referral for sending to the MASH (the outbox row is written in
    the same transaction, so an approval is never without its delivery). ``comment`` is why
    the supervisor agrees with the grade: required when the grade in force (read under the
    lock) is high or medium, else RationaleRequired. ``quality`` is the quality check."""
    marks = _checked(quality)
    referral = _lock_for_decision(session, supervisor, reference, expected_version)
    if referral.grade in RATIONALE_NEEDED and not comment.strip():
        raise RationaleRequired()
    referral.status = ReferralStatus.APPROVED
    _record(session, supervisor, referral, DecisionKind.APPROVED, comment, quality=marks)
    session.add(Delivery(referral_id=referral.id, version=referral.version))
    session.commit()
    return referral


def return_to_officer(
    *,
    session: Session,
    supervisor: Principal,
    reference: str,
    expected_version: int,
    comment: str,
    quality: Mapping[str, str] | None = None,
) -> Referral:
    """Send back to the officer with what to change; their draft opens again for amending."""
    if not comment.strip():
        raise CommentRequired()
    marks = _checked(quality)
    referral = _lock_for_decision(session, supervisor, reference, expected_version)
    referral.status = ReferralStatus.RETURNED
    _record(session, supervisor, referral, DecisionKind.RETURNED, comment, quality=marks)
    lifecycle.reopen(session=session, incident_id=referral.incident_id)
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
    quality: Mapping[str, str] | None = None,
) -> Referral:
    """Change the grade in force, with a rationale; the officer's grade stays on record."""
    if not rationale.strip():
        raise CommentRequired()
    if grade not in GRADES:
        raise InvalidTransition()
    marks = _checked(quality)
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
        quality=marks,
    )
    session.commit()
    return referral
