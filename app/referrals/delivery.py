"""Delivering approved referrals, and addenda to them, to the MASH from the outbox: claim, send,
record, retry.

The approval writes a pending `Delivery` in the same transaction as the decision; an addendum to
an approved or sent referral writes its own (kind `addendum`) with the addendum. An addendum is
claimed only once its referral is sent, so it never overtakes the referral. A worker
`claim`s one that is due with a lease (committed at once); `deliver_one` builds the document,
sends it with no transaction open, then in one commit records the attempt and either the receipt,
the referral's `sent` status and the disclosure's audit entry, or the next try (exponential
backoff) or, after the attempt limit, `failed`. A worker that dies leaves its lease to run out,
and the delivery is claimed again: never lost. Every try of a version carries the same
`Idempotency-Key`, so a retry after a timeout that did reach the receiver is not a second referral.
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.config import get_settings
from app.models_base import utcnow
from app.referrals import addenda, document, document_pdf
from app.referrals.models import (
    Addendum,
    Delivery,
    DeliveryAttempt,
    DeliveryKind,
    DeliveryStatus,
    Referral,
    ReferralStatus,
)
from app.referrals.transport import Parcel, Transport, TransportError

log = logging.getLogger(__name__)

BACKOFF_CAP = timedelta(hours=1)
FLAG_AFTER_ATTEMPTS = 3  # supervisors see a delivery flagged from this many failed tries
DISCLOSURE_REASON = "referral to children's social care"
ACTOR_NAME = "delivery worker"


def backoff(attempts: int, base_seconds: float | None = None) -> timedelta:
    """The wait after the `attempts`-th failure: base * 2**(attempts-1), at most an hour,
    plus up to 10% jitter so that workers retrying together spread out."""
    base = get_settings().delivery_backoff_seconds if base_seconds is None else base_seconds
    exponent = min(max(attempts - 1, 0), 32)
    delay = min(base * 2**exponent, BACKOFF_CAP.total_seconds())
    delay += delay * 0.1 * random.random()  # noqa: S311 - jitter, not a secret
    return min(timedelta(seconds=delay), BACKOFF_CAP)


def claim(*, session: Session, worker: str, now: datetime | None = None) -> Delivery | None:
    """Lease one due delivery to `worker` and commit; None when nothing is due."""
    now = now or utcnow()
    query = (
        select(Delivery)
        .where(
            Delivery.status == DeliveryStatus.PENDING,
            col(Delivery.next_attempt_at) <= now,
            or_(col(Delivery.lease_until).is_(None), col(Delivery.lease_until) <= now),
            or_(  # an addendum waits for its referral's own delivery
                col(Delivery.kind) == DeliveryKind.REFERRAL,
                col(Delivery.referral_id).in_(
                    select(Referral.id).where(Referral.status == ReferralStatus.SENT)
                ),
            ),
        )
        .order_by(col(Delivery.next_attempt_at))
        .limit(1)
        .execution_options(populate_existing=True)
    )
    # On PostgreSQL two workers claiming at once each lock a different row; neither waits for
    # the other. On SQLite the locking select begins with the write lock (app/db.py), so no
    # other worker can claim between this select and the update.
    delivery = session.exec(query.with_for_update(skip_locked=True)).first()
    if delivery is None:
        session.rollback()
        return None
    delivery.lease_until = now + timedelta(seconds=get_settings().delivery_lease_seconds)
    delivery.claimed_by = worker[:100]
    session.add(delivery)
    session.commit()
    return delivery


@dataclass(frozen=True)
class Outcome:
    """What one `deliver_one` call did, for the worker's log line."""

    key: str  # the parcel's idempotency key: what was sent
    version: int
    status: DeliveryStatus
    attempts: int
    ok: bool
    error: str = ""
    next_attempt_at: datetime | None = None
    skipped: bool = False  # the lease had passed to another worker: nothing was sent


def _load(session: Session, delivery_id: uuid.UUID, *, lock: bool = False) -> Delivery:
    query = select(Delivery).where(Delivery.id == delivery_id)
    query = query.execution_options(populate_existing=True)
    return session.exec(query.with_for_update() if lock else query).one()


def _still_ours(delivery: Delivery, worker: str) -> bool:
    return delivery.status == DeliveryStatus.PENDING and delivery.claimed_by == worker[:100]


def _outcome(d: Delivery, key: str, ok: bool, error: str = "", **kw: bool) -> Outcome:
    due = d.next_attempt_at if d.status == DeliveryStatus.PENDING and not ok else None
    return Outcome(key, d.version, DeliveryStatus(d.status), d.attempts, ok, error, due, **kw)


def _parcel(session: Session, delivery: Delivery, referral: Referral, pdf: bool) -> Parcel:
    """What to send: the referral version's document (and PDF when the transport wants one),
    or the addendum's own small document."""
    if delivery.kind == DeliveryKind.ADDENDUM:
        addendum = session.get(Addendum, delivery.addendum_id)
        if addendum is None:  # the foreign key makes this impossible
            raise LookupError(f"delivery {delivery.id} has no addendum")
        doc = addenda.document(
            session=session, addendum=addendum, referral=referral, version=delivery.version
        )
        return Parcel(referral.reference, delivery.version, doc, addendum_id=addendum.id)
    doc = document.build(session=session, referral=referral, version=delivery.version)
    session.commit()  # nothing to write: no transaction stays open while we render and send
    rendered = document_pdf.render(doc) if pdf else None
    return Parcel(referral.reference, delivery.version, doc, rendered)


def deliver_one(
    *,
    session: Session,
    delivery: Delivery,
    transport: Transport,
    worker: str,
    now: datetime | None = None,
) -> Outcome:
    """Send a delivery this worker has claimed and record the result (see the module doc)."""
    now = now or utcnow()
    delivery_id = delivery.id
    current = _load(session, delivery_id)
    referral = session.get(Referral, current.referral_id)
    if referral is None:  # the foreign key makes this impossible; keep mypy and readers sure
        raise LookupError(f"delivery {delivery_id} has no referral")
    key = Parcel(referral.reference, current.version, {}, addendum_id=current.addendum_id).key
    if not _still_ours(current, worker):
        session.rollback()
        return _outcome(current, key, False, skipped=True)

    receipt: dict[str, Any] | None = None
    status_code: int | None = None
    error = ""
    try:
        parcel = _parcel(session, current, referral, transport.wants_pdf)
        session.commit()  # nothing to write: no transaction stays open while we send
        receipt = transport.send(parcel)
    except TransportError as exc:
        status_code, error = exc.status_code, str(exc)
    except Exception as exc:  # a bug building the document must not stop the other deliveries
        log.exception("delivery of %s could not be prepared", key)
        error = f"could not prepare the document: {type(exc).__name__}"
    session.rollback()  # a no-op unless preparing failed part-way

    current = _load(session, delivery_id, lock=True)
    referral = session.get(Referral, current.referral_id, populate_existing=True)
    assert referral is not None
    session.add(
        DeliveryAttempt(
            delivery_id=delivery_id,
            at=now,
            worker=worker[:100],
            ok=receipt is not None,
            status_code=status_code,
            error=error[:1000],
        )
    )
    if receipt is not None:
        if current.status != DeliveryStatus.SENT:  # else a late duplicate the receiver ignored
            _succeeded(session, current, referral, receipt, transport.destination, now)
    elif _still_ours(current, worker):  # else another worker has it now and owns the retries
        _failed(session, current, referral, error, transport.destination, now)
    session.commit()
    return _outcome(current, key, receipt is not None, error)


def _audit(
    session: Session, outcome: str, delivery: Delivery, referral: Referral, **detail: object
) -> None:
    """`referral.delivered` / `referral.delivery_failed`, or for an addendum
    `referral.addendum_delivered` / `referral.addendum_delivery_failed` with its id."""
    about: dict[str, object] = {"reference": referral.reference, "version": delivery.version}
    action = f"referral.{outcome}"
    if delivery.kind == DeliveryKind.ADDENDUM:
        action = f"referral.addendum_{outcome}"
        about["addendum"] = str(delivery.addendum_id)
    audit.record(
        session=session,
        action=action,
        actor_name=ACTOR_NAME,
        object_type="referral",
        object_id=str(referral.id),
        reason=DISCLOSURE_REASON,
        detail={**about, **detail},
    )


def _succeeded(
    session: Session,
    delivery: Delivery,
    referral: Referral,
    receipt: dict[str, Any],
    recipient: str,
    now: datetime,
) -> None:
    delivery.attempts += 1
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = now
    delivery.receipt = receipt
    delivery.last_error = ""
    delivery.lease_until = None
    session.add(delivery)
    if delivery.kind == DeliveryKind.REFERRAL and referral.status == ReferralStatus.APPROVED:
        referral.status = ReferralStatus.SENT
        referral.updated_at = now
        session.add(referral)
    receipt_id = str(receipt.get("id") or receipt.get("receipt_id") or "")
    _audit(
        session,
        "delivered",
        delivery,
        referral,
        recipient=recipient,
        receipt_id=receipt_id[:200],
        attempts=delivery.attempts,
    )


def _failed(
    session: Session,
    delivery: Delivery,
    referral: Referral,
    error: str,
    recipient: str,
    now: datetime,
) -> None:
    delivery.attempts += 1
    delivery.last_error = error[:1000]
    delivery.lease_until = None
    delivery.claimed_by = ""
    if delivery.attempts < get_settings().delivery_max_attempts:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    else:
        delivery.status = DeliveryStatus.FAILED
        _audit(
            session,
            "delivery_failed",
            delivery,
            referral,
            recipient=recipient,
            attempts=delivery.attempts,
            last_error=delivery.last_error[:200],
        )
    session.add(delivery)
