"""Feedback from a coach to an officer about one referral, and the officer's acknowledgement.
An officer sees only feedback about their own referrals. One commit per action, audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.accounts.models import User
from app.accounts.service import Principal
from app.audit import service as audit
from app.coaching import sampling
from app.coaching.models import AuditCase, Feedback
from app.errors import DomainError, NotFound
from app.models_base import utcnow
from app.referrals.addenda import SENT_AGAIN_WITHIN
from app.referrals.models import Referral

MAX_TEXT = 5000


class FeedbackNotFound(NotFound):
    code = "feedback_not_found"


class FeedbackEmpty(DomainError):
    status_code = 422
    code = "feedback_empty"


def send(*, session: Session, coach: Principal, case_id: uuid.UUID, text: str) -> Feedback:
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise FeedbackEmpty()
    # The case locked first: feedback sent again ("Send" pressed twice, again after an answer
    # lost on a poor signal, two tabs) waits for the first to commit, then finds it: the same
    # words from the same coach within a few minutes are the feedback already sent.
    session.exec(select(AuditCase).where(AuditCase.id == case_id).with_for_update()).first()
    view = sampling.get_case(session=session, coach=coach, case_id=case_id)
    repeat = session.exec(
        select(Feedback).where(
            Feedback.case_id == case_id,
            Feedback.coach_id == coach.id,
            Feedback.text == text,
            col(Feedback.created_at) >= utcnow() - SENT_AGAIN_WITHIN,
        )
    ).first()
    if repeat is not None:
        session.commit()
        return repeat
    item = Feedback(
        case_id=case_id,
        referral_id=view.referral.id,
        officer_id=view.referral.officer_id,
        coach_id=coach.id,
        text=text,
    )
    session.add(item)
    session.flush()
    audit.record(
        session=session,
        action="coaching.feedback_sent",
        actor_id=coach.id,
        actor_name=coach.user.username,
        object_type="referral",
        object_id=str(view.referral.id),
        reason="child protection coaching: feedback to the officer",
        detail={"reference": view.referral.reference, "feedback_id": str(item.id)},
    )
    session.commit()
    return item


@dataclass(frozen=True)
class Received:
    feedback: Feedback
    reference: str
    coach: User


def for_officer(*, session: Session, officer: Principal) -> list[Received]:
    rows = session.exec(
        select(Feedback, Referral.reference, User)
        .join(Referral, col(Referral.id) == col(Feedback.referral_id))
        .join(User, col(User.id) == col(Feedback.coach_id))
        .where(Feedback.officer_id == officer.id)
        .order_by(col(Feedback.created_at).desc())
    ).all()
    return [Received(f, ref, coach) for f, ref, coach in rows]


def for_referral(*, session: Session, referral_id: uuid.UUID) -> list[Feedback]:
    query = select(Feedback).where(Feedback.referral_id == referral_id)
    return list(session.exec(query.order_by(col(Feedback.created_at))))


def _waiting(officer_id: Any) -> SelectOfScalar[int]:
    return select(func.count()).where(
        Feedback.officer_id == officer_id, col(Feedback.acknowledged_at).is_(None)
    )


def waiting_count(*, session: Session, officer: Principal) -> int:
    return int(session.exec(_waiting(officer.id)).one())


def waiting_subquery(officer_id: Any) -> ScalarSelect[int]:
    """The same count for the officer whose id is ``officer_id`` (a column), to be read with
    the session (``accounts.signed_in.counted_with_session``)."""
    return _waiting(officer_id).scalar_subquery()


def acknowledge(*, session: Session, officer: Principal, feedback_id: uuid.UUID) -> Feedback:
    """Mark it read. Acknowledging again changes nothing."""
    item = session.exec(
        select(Feedback).where(Feedback.id == feedback_id).with_for_update()
    ).first()
    if item is None or item.officer_id != officer.id:
        raise FeedbackNotFound()
    if item.acknowledged_at is not None:
        return item
    item.acknowledged_at = utcnow()
    session.add(item)
    audit.record(
        session=session,
        action="coaching.feedback_acknowledged",
        actor_id=officer.id,
        actor_name=officer.user.username,
        object_type="feedback",
        object_id=str(item.id),
        detail={"referral_id": str(item.referral_id)},
    )
    session.commit()
    return item
