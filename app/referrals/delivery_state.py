"""What supervisors (and, for addenda, authors) see of deliveries to the MASH, and sending a
failed one again: a referral's latest version, or one addendum."""

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
from app.referrals.models import Delivery, DeliveryKind, DeliveryStatus, Referral
from app.referrals.service import ReferralNotFound


@dataclass(frozen=True)
class DeliveryState:
    """What supervisors see of a delivery to the MASH: a referral version's or an addendum's."""

    delivery_id: uuid.UUID
    referral_id: uuid.UUID
    reference: str
    version: int
    kind: DeliveryKind
    addendum_id: uuid.UUID | None
    status: DeliveryStatus
    attempts: int
    last_error: str
    sent_at: datetime | None
    receipt_id: str
    next_attempt_at: datetime | None  # None once sent or failed
    flagged: bool  # failed, or still failing after FLAG_AFTER_ATTEMPTS tries


def _state(delivery: Delivery, referral: Referral) -> DeliveryState:
    status = DeliveryStatus(delivery.status)
    receipt = delivery.receipt or {}
    return DeliveryState(
        delivery_id=delivery.id,
        referral_id=referral.id,
        reference=referral.reference,
        version=delivery.version,
        kind=DeliveryKind(delivery.kind),
        addendum_id=delivery.addendum_id,
        status=status,
        attempts=delivery.attempts,
        last_error=delivery.last_error,
        sent_at=delivery.sent_at,
        receipt_id=str(receipt.get("id") or receipt.get("receipt_id") or "")[:200],
        next_attempt_at=delivery.next_attempt_at if status == DeliveryStatus.PENDING else None,
        flagged=status == DeliveryStatus.FAILED
        or (status == DeliveryStatus.PENDING and delivery.attempts >= FLAG_AFTER_ATTEMPTS),
    )


def _latest(
    session: Session,
    referral_id: uuid.UUID,
    *,
    addendum_id: uuid.UUID | None = None,
    lock: bool = False,
) -> tuple[Delivery, Referral] | None:
    """The delivery of the referral's latest version, or of one of its addenda."""
    which = (
        col(Delivery.kind) == DeliveryKind.REFERRAL
        if addendum_id is None
        else col(Delivery.addendum_id) == addendum_id
    )
    query = (
        select(Delivery, Referral)
        .join(Referral, col(Referral.id) == col(Delivery.referral_id))
        .where(Delivery.referral_id == referral_id, which)
        .order_by(col(Delivery.version).desc())
    )
    if lock:
        query = query.with_for_update(of=Delivery).execution_options(populate_existing=True)
    row = session.exec(query).first()
    return None if row is None else (row[0], row[1])


def state_of(*, session: Session, referral_id: uuid.UUID) -> DeliveryState | None:
    """The delivery of the referral's latest approved version, or None if never approved."""
    row = _latest(session, referral_id)
    return None if row is None else _state(*row)


def of_addenda(*, session: Session, referral_id: uuid.UUID) -> dict[uuid.UUID, DeliveryState]:
    """The delivery of each addendum to the referral, by addendum id."""
    rows = session.exec(
        select(Delivery, Referral)
        .join(Referral, col(Referral.id) == col(Delivery.referral_id))
        .where(
            Delivery.referral_id == referral_id,
            col(Delivery.kind) == DeliveryKind.ADDENDUM,
        )
    ).all()
    return {d.addendum_id: _state(d, r) for d, r in rows if d.addendum_id is not None}


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
    *,
    session: Session,
    supervisor: Principal,
    referral_id: uuid.UUID,
    addendum_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> DeliveryState:
    """A supervisor sends a failed delivery (the referral's, or with `addendum_id` that
    addendum's) again after the receiver was fixed: due now, with a fresh run of attempts;
    the earlier attempts stay on record."""
    now = now or utcnow()
    row = _latest(session, referral_id, addendum_id=addendum_id, lock=True)
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
        detail={"reference": referral.reference, "version": delivery.version}
        | ({"addendum": str(addendum_id)} if addendum_id else {}),
    )
    session.commit()
    return _state(delivery, referral)
