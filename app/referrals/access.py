"""Who may read a referral, and the audit entry every read leaves (DPA 2018 s62: consultation
and disclosure are logged with who, when, what and why)."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.models import Role
from app.accounts.service import Principal
from app.audit import service as audit
from app.referrals.models import Referral
from app.referrals.service import ReferralNotFound
from app.request_context import current_address, current_route


def purpose(principal: Principal, referral: Referral) -> str | None:
    """Why this person may read this referral, or None when they may not."""
    if principal.has(Role.OFFICER) and referral.officer_id == principal.id:
        return "officer's own referral"
    if principal.has(Role.SUPERVISOR) and referral.team_id in principal.supervises:
        return "supervisor review"
    if principal.has(Role.COACH) and referral.team_id in principal.coaches:
        return "child protection coaching (read only)"
    return None


def can_supervise(principal: Principal, referral: Referral) -> bool:
    return principal.has(Role.SUPERVISOR) and referral.team_id in principal.supervises


def find(*, session: Session, principal: Principal, reference: str, lock: bool = False) -> Referral:
    """The referral, if this person may read it; otherwise not found (nothing is revealed).
    `lock`: a write path's first read, which locks the row (FOR UPDATE) until its commit."""
    query = select(Referral).where(Referral.reference == reference)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    referral = session.exec(query).first()
    if referral is None:
        raise ReferralNotFound()
    if purpose(principal, referral) is None:
        _record_refusal(session=session, principal=principal, referral=referral)
        raise ReferralNotFound()
    return referral


def _record_refusal(*, session: Session, principal: Principal, referral: Referral) -> None:
    """An attempt to read a referral this person may not: one `access.refused` entry, in a
    transaction of its own (the refused request's is rolled back)."""
    reference, team_id = referral.reference, str(referral.team_id)
    audit.record_apart(
        session=session,
        action="access.refused",
        actor_id=principal.id,
        actor_name=principal.user.username,
        object_type="referral",
        object_id=str(referral.id),
        reason="not theirs to read: another officer's or another team's referral",
        detail={"route": current_route(), "reference": reference, "team_id": team_id},
        ip=current_address(),
    )


def open_for_reading(
    *,
    session: Session,
    principal: Principal,
    reference: str,
    form: str,
    ip: str = "",
    version: int | None = None,
) -> Referral:
    """Find the referral and log the read (`form`: page, pdf, json, review, changes) of
    `version` (default: the latest)."""
    referral = find(session=session, principal=principal, reference=reference)
    audit.record(
        session=session,
        action=f"referral.read.{form}",
        actor_id=principal.id,
        actor_name=principal.user.username,
        object_type="referral",
        object_id=str(referral.id),
        reason=purpose(principal, referral) or "",
        detail={"reference": referral.reference, "version": version or referral.version},
        ip=ip,
    )
    session.commit()
    return referral
