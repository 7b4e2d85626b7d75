"""Addenda: what officers and supervisors add after approval. Never edited, never deleted."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.accounts.models import Role
from app.accounts.service import Principal
from app.audit import service as audit
from app.errors import DomainError, InvalidTransition
from app.referrals import access
from app.referrals.models import Addendum, Referral, ReferralStatus

MAX_LENGTH = 5000


class AddendumInvalid(DomainError):
    status_code = 422
    code = "addendum_invalid"


def may_add(principal: Principal, referral: Referral) -> bool:
    own = principal.has(Role.OFFICER) and referral.officer_id == principal.id
    return (own or access.can_supervise(principal, referral)) and referral.status in (
        ReferralStatus.APPROVED,
        ReferralStatus.SENT,
    )


def add(*, session: Session, principal: Principal, reference: str, text: str) -> Addendum:
    referral = access.find(session=session, principal=principal, reference=reference)
    clean = text.strip()
    if not clean or len(clean) > MAX_LENGTH:
        raise AddendumInvalid()
    if not may_add(principal, referral):
        raise InvalidTransition()
    addendum = Addendum(referral_id=referral.id, author_id=principal.id, text=clean)
    session.add(addendum)
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
