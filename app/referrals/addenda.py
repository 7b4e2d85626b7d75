"""Addenda: what officers and supervisors add after approval. Never edited, never deleted.

Each addendum is queued for the MASH as its own delivery (see `delivery.py`), in the same
transaction as the addendum and its audit entry; `document` is what is sent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from sqlmodel import Session, col, select

from app.accounts.models import Role, User
from app.accounts.service import Principal
from app.audit import service as audit
from app.errors import DomainError, InvalidTransition
from app.models_base import utcnow
from app.referrals import access
from app.referrals.document import person
from app.referrals.document_answers import iso
from app.referrals.models import (
    Addendum,
    Delivery,
    DeliveryKind,
    Referral,
    ReferralStatus,
)
from app.referrals.service import ReferralNotFound

MAX_LENGTH = 5000
SENT_AGAIN_WITHIN: Final = timedelta(minutes=15)  # the same words again: the same addendum
DOCUMENT_TYPE: Final = "addendum"
SCHEMA_NAME: Final = "addendum-v1"


class AddendumInvalid(DomainError):
    status_code = 422
    code = "addendum_invalid"


def may_add(principal: Principal, referral: Referral) -> bool:
    own = principal.has(Role.OFFICER) and referral.officer_id == principal.id
    return (own or access.can_supervise(principal, referral)) and referral.status in (
        ReferralStatus.APPROVED,
        ReferralStatus.SENT,
    )


def add(
    *, session: Session, principal: Principal, reference: str, text: str, own: bool = False
) -> Addendum:
    """Keep the addendum, audit it and queue its delivery, in one commit. `own`: only to the
    principal's own referral (the officer's page); any other is not found."""
    # Locked at the first read: the referral's status decides whether it may be added to.
    referral = access.find(session=session, principal=principal, reference=reference, lock=True)
    if own and referral.officer_id != principal.id:
        raise ReferralNotFound()
    clean = text.strip()
    if not clean or len(clean) > MAX_LENGTH:
        raise AddendumInvalid()
    if not may_add(principal, referral):
        raise InvalidTransition()
    # Sent again: "Send" pressed twice, or pressed again after the answer was lost on a poor
    # signal (two tabs too). The same words from the same person within a few minutes are the
    # one addendum already kept and queued, not a second one for the MASH to read. Read under
    # the referral's lock: a second press waits for the first to commit, then finds it.
    repeat = session.exec(
        select(Addendum).where(
            Addendum.referral_id == referral.id,
            Addendum.author_id == principal.id,
            Addendum.text == clean,
            col(Addendum.created_at) >= utcnow() - SENT_AGAIN_WITHIN,
        )
    ).first()
    if repeat is not None:
        session.commit()
        return repeat
    addendum = Addendum(referral_id=referral.id, author_id=principal.id, text=clean)
    session.add(addendum)
    session.flush()  # the delivery's foreign key needs the addendum row first
    session.add(
        Delivery(
            referral_id=referral.id,
            version=referral.version,
            kind=DeliveryKind.ADDENDUM,
            addendum_id=addendum.id,
        )
    )
    audit.record(
        session=session,
        action="referral.addendum_added",
        actor_id=principal.id,
        actor_name=principal.user.username,
        object_type="referral",
        object_id=str(referral.id),
        reason="information added after approval",
        detail={"reference": referral.reference, "addendum": str(addendum.id)},
    )
    session.commit()
    return addendum


def of(*, session: Session, referral: Referral) -> list[Addendum]:
    query = select(Addendum).where(Addendum.referral_id == referral.id)
    return list(session.exec(query.order_by(col(Addendum.created_at))))


def document(
    *, session: Session, addendum: Addendum, referral: Referral, version: int
) -> dict[str, Any]:
    """What the MASH receives for one addendum (told apart from a referral by `type`)."""
    author = session.get(User, addendum.author_id)
    role = "officer" if addendum.author_id == referral.officer_id else "supervisor"
    return {
        "type": DOCUMENT_TYPE,
        "schema": SCHEMA_NAME,
        "reference": referral.reference,
        "referral_version": version,
        "addendum_id": str(addendum.id),
        "author": {**(person(author) if author else {"name": ""}), "role": role},
        "created_at": iso(addendum.created_at),
        "text": addendum.text,
    }
