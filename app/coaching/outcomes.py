"""What the MASH decided about a referral, reported by the MASH itself with its own token.

Each MASH holds a random token; only its SHA-256 is stored and the presented token's hash is
compared in constant time. An outcome is stored once per (MASH, idempotency key): sending the
same outcome again returns the stored one and stores nothing."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.errors import DomainError, InvalidTransition, NotAuthenticated
from app.referrals import service as referrals
from app.referrals.models import MashClient, MashOutcome, Referral, ReferralStatus
from app.referrals.service import ReferralNotFound


class Decision(StrEnum):
    NO_FURTHER_ACTION = "no_further_action"
    EARLY_HELP = "early_help"
    ASSESSMENT = "assessment"
    STRATEGY_DISCUSSION = "strategy_discussion"
    SECTION_47 = "section_47"
    OTHER = "other"


class KeyReused(DomainError):
    """The idempotency key was used before for a different outcome."""

    status_code = 409
    code = "idempotency_key_reused"


class NotYetSent(InvalidTransition):
    code = "referral_not_sent"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_client(*, session: Session, name: str) -> str:
    """Register a MASH; returns its token (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(MashClient(name=name, token_hash=_hash(token)))
    audit.record(session=session, action="mash_client.created", detail={"name": name})
    session.commit()
    return token


def authenticate(*, session: Session, token: str | None) -> MashClient:
    """The MASH holding ``token``. Every active client's hash is compared, in constant time."""
    presented = _hash(token or "").encode()
    found = None
    for client in session.exec(select(MashClient).where(col(MashClient.is_active))):
        if hmac.compare_digest(presented, client.token_hash.encode()) and token:
            found = client
    if found is None:
        raise NotAuthenticated()
    return found


def _same(row: MashOutcome, decision: Decision, decided_at: datetime, note: str) -> bool:
    return (row.decision, row.decided_at, row.note) == (decision.value, decided_at, note)


def record(
    *,
    session: Session,
    client: MashClient,
    reference: str,
    key: str,
    decision: Decision,
    decided_at: datetime,
    note: str,
    ip: str = "",
) -> tuple[MashOutcome, bool]:
    """Store the outcome (and its audit entry); (outcome, True) when it is new."""
    referral = session.exec(select(Referral).where(Referral.reference == reference)).first()
    if referral is None:
        raise ReferralNotFound()
    query = select(MashOutcome).where(
        MashOutcome.client_id == client.id, MashOutcome.idempotency_key == key
    )
    existing = session.exec(query).first()
    if existing is not None:
        if existing.referral_id != referral.id or not _same(existing, decision, decided_at, note):
            raise KeyReused()
        return existing, False
    if referral.status not in (ReferralStatus.APPROVED, ReferralStatus.SENT):
        raise NotYetSent()
    outcome = MashOutcome(
        referral_id=referral.id,
        client_id=client.id,
        idempotency_key=key,
        decision=decision.value,
        decided_at=decided_at,
        note=note,
    )
    session.add(outcome)
    audit.record(
        session=session,
        action="referral.outcome_received",
        actor_name=f"mash:{client.name}"[:100],
        object_type="referral",
        object_id=str(referral.id),
        reason="outcome reported by the MASH",
        detail={"reference": reference, "decision": decision.value, "key": key},
        ip=ip,
    )
    try:
        session.commit()
    except IntegrityError:  # the same outcome, sent twice at once: the other one stored it
        session.rollback()
        return session.exec(query).one(), False
    return outcome, True


def for_referral(*, session: Session, referral_id: uuid.UUID) -> list[MashOutcome]:
    return referrals.outcomes_of(session=session, referral_id=referral_id)


def for_officer(*, session: Session, officer_id: uuid.UUID) -> list[tuple[MashOutcome, str]]:
    rows = session.exec(
        select(MashOutcome, Referral.reference)
        .join(Referral, col(Referral.id) == col(MashOutcome.referral_id))
        .where(Referral.officer_id == officer_id)
        .order_by(col(MashOutcome.received_at).desc())
    ).all()
    return [(o, ref) for o, ref in rows]


def as_json(outcome: MashOutcome, reference: str) -> dict[str, Any]:
    return {
        "id": str(outcome.id),
        "reference": reference,
        "decision": outcome.decision,
        "decided_at": outcome.decided_at.isoformat(),
        "note": outcome.note,
        "received_at": outcome.received_at.isoformat(),
    }
