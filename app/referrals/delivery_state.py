"""What supervisors see of deliveries to the MASH, and sending a failed one again."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.accounts.service import Principal
from app.audit import service as audit
from app.errors import InvalidTransition
from app.models_base import utcnow
from app.referrals import access
from app.referrals.delivery import DISCLOSURE_REASON, FLAG_AFTER_ATTEMPTS
from app.referrals.models import Delivery, DeliveryStatus, Referral
from app.referrals.service import ReferralNotFound


@dataclass(frozen=True)
class DeliveryState:
    """What supervisors see of a referral's delivery to the MASH."""

    delivery_id: uuid.UUID
    referral_id: uuid.UUID
    reference: str
    version: int
    status: DeliveryStatus
    attempts: int
    last_error: str
    sent_at: datetime | None
    next_attempt_at: datetime | None  # None once sent or failed
    flagged: bool  # failed, or still failing after FLAG_AFTER_ATTEMPTS tries


def _state(delivery: Delivery, referral: Referral) -> DeliveryState:
    status = DeliveryStatus(delivery.status)
    return DeliveryState(
        delivery_id=delivery.id,
        referral_id=referral.id,
        reference=referral.reference,
        version=delivery.version,
        status=status,
        attempts=delivery.attempts,
        last_error=delivery.last_error,
        sent_at=delivery.sent_at,
        next_attempt_at=delivery.next_attempt_at if status == DeliveryStatus.PENDING else None,
        flagged=status == DeliveryStatus.FAILED
        or (status == DeliveryStatus.PENDING and delivery.attempts >= FLAG_AFTER_ATTEMPTS),
    )


def _latest(
    session: Session, referral_id: uuid.UUID, *, lock: bool = False
) -> tuple[Delivery, Referral] | None:
    query = (
        select(Delivery, Referral)
        .join(Referral, col(Referral.id) == col(Delivery.referral_id))
        .where(Delivery.referral_id == referral_id)
        .order_by(col(Delivery.version).desc())
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = session.exec(query).first()
    return None if row is None else (row[0], row[1])


def state_of(*, session: Session, referral_id: uuid.UUID) -> DeliveryState | None:
    """The delivery of the referral's latest approved version, or None if never approved."""
    row = _latest(session, referral_id)
    return None if row is None else _state(*row)


def failing(*, session: Session, team_ids: Iterable[uuid.UUID]) -> list[DeliveryState]:
    """Flagged deliveries of these teams' referrals, longest-standing first."""
    teams = set(team_ids)
    if not teams:
        return []
    rows = session.exec(
        select(Delivery, Referral)
        .join(Referral, col(Referral.id) == col(Delivery.referral_id))
        .where(
            col(Referral.team_id).in_(teams),
            or_(
                col(Delivery.status) == DeliveryStatus.FAILED,
                and_(
                    col(Delivery.status) == DeliveryStatus.PENDING,
                    col(Delivery.attempts) >= FLAG_AFTER_ATTEMPTS,
                ),
            ),
        )
        .order_by(col(Delivery.created_at))
    ).all()
    return [_state(d, r) for d, r in rows]


def retry_failed(
    *, session: Session, supervisor: Principal, referral_id: uuid.UUID, now: datetime | None = None
) -> DeliveryState:
    """A supervisor sends a failed delivery again (after the receiver was fixed): due now,
    with a fresh run of attempts; the earlier attempts stay on record."""
    now = now or utcnow()
    row = _latest(session, referral_id, lock=True)
    if row is None or not access.can_supervise(supervisor, row[1]):
        raise ReferralNotFound()
    delivery, referral = row
    if delivery.status != DeliveryStatus.FAILED:
        raise InvalidTransition()
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.lease_until = None
    delivery.claimed_by = ""
    session.add(delivery)
    audit.record(
        session=session,
        action="referral.delivery_retried",
        actor_id=supervisor.id,
        actor_name=supervisor.user.username,
        object_type="referral",
        object_id=str(referral.id),
        reason=DISCLOSURE_REASON,
        detail={"reference": referral.reference, "version": delivery.version},
    )
    session.commit()
    return _state(delivery, referral)
