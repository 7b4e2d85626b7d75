"""A referral, its frozen versions, and the per-year counter behind its reference."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import JSON, Column, Field, SQLModel, String

from app.models_base import UTCDateTime, utcnow


class ReferralStatus(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    SENT = "sent"


class Referral(SQLModel, table=True):
    __table_args__ = (
        # The supervisor's queue (a team's referrals by status, oldest first) and the coach's
        # dashboard (a team's referrals by when they were first submitted).
        Index("ix_referral_team_id_status_submitted_at", "team_id", "status", "submitted_at"),
        Index("ix_referral_team_id_created_at", "team_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    incident_id: uuid.UUID = Field(foreign_key="incident.id", unique=True)
    reference: str = Field(max_length=20, unique=True)  # TC-2026-000123
    officer_id: uuid.UUID = Field(foreign_key="app_user.id", index=True)
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", index=True)
    status: ReferralStatus = Field(
        default=ReferralStatus.SUBMITTED, sa_column=Column(String(20), nullable=False, index=True)
    )
    version: int = 1  # the latest submitted version
    grade: str = Field(max_length=10)  # the grade in force: the officer's, or a supervisor's change
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReferralVersion(SQLModel, table=True):
    """The answers exactly as submitted. Never changed: a return and resubmit adds a version."""

    __tablename__ = "referral_version"
    __table_args__ = (UniqueConstraint("referral_id", "version"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True)
    version: int
    prompt_set_version: int
    answers: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    suggested_grade: str = Field(max_length=10)
    reasons: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    officer_grade: str = Field(max_length=10)
    submitted_by: uuid.UUID = Field(foreign_key="app_user.id")
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReferenceCounter(SQLModel, table=True):
    __tablename__ = "reference_counter"

    year: int = Field(primary_key=True)
    last: int = 0


class Addendum(SQLModel, table=True):
    """Information added after a referral was sent: never an edit, never deleted."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True)
    author_id: uuid.UUID = Field(foreign_key="app_user.id")
    text: str = Field(max_length=5000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt (or being made: see lease_until)
    SENT = "sent"
    FAILED = "failed"  # gave up after the attempt limit: a supervisor must look


class DeliveryKind(StrEnum):
    REFERRAL = "referral"  # one version of the referral document
    ADDENDUM = "addendum"  # one addendum, sent after its referral


_REFERRAL_ROWS = text("kind = 'referral'")


class Delivery(SQLModel, table=True):
    """The outbox: one row per referral version to deliver, written with the approval, and one
    per addendum to an approved or sent referral, written with the addendum."""

    __table_args__ = (
        # One delivery per referral version, and one per addendum (its own unique column).
        Index(
            "uq_delivery_referral_version",
            "referral_id",
            "version",
            unique=True,
            sqlite_where=_REFERRAL_ROWS,
            postgresql_where=_REFERRAL_ROWS,
        ),
        CheckConstraint("(kind = 'addendum') = (addendum_id IS NOT NULL)", name="addendum_kind"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True)
    version: int  # the referral version sent, or in force when the addendum was added
    kind: DeliveryKind = Field(
        default=DeliveryKind.REFERRAL,
        sa_column=Column(String(20), nullable=False, server_default=DeliveryKind.REFERRAL.value),
    )
    addendum_id: uuid.UUID | None = Field(default=None, foreign_key="addendum.id", unique=True)
    status: DeliveryStatus = Field(
        default=DeliveryStatus.PENDING, sa_column=Column(String(20), nullable=False, index=True)
    )
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)  # a worker has it
    claimed_by: str = Field(default="", max_length=100)
    last_error: str = Field(default="", max_length=1000)
    receipt: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DeliveryAttempt(SQLModel, table=True):
    __tablename__ = "delivery_attempt"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    delivery_id: uuid.UUID = Field(foreign_key="delivery.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    worker: str = Field(default="", max_length=100)
    ok: bool
    status_code: int | None = None
    error: str = Field(default="", max_length=1000)


# --- supervisors' decisions: part of every referral's record (its review history, the officer's
# "what to change"); the review package makes them, the referral document shows them.


class DecisionKind(StrEnum):
    APPROVED = "approved"  # approved and queued for sending to the MASH
    RETURNED = "returned"  # returned to the officer with what to change
    REGRADED = "regraded"  # the grade changed, with a rationale (both grades kept)


class ReviewDecision(SQLModel, table=True):
    __tablename__ = "review_decision"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True)
    version: int  # the referral version decided on
    kind: DecisionKind = Field(sa_column=Column(String(20), nullable=False))
    actor_id: uuid.UUID = Field(foreign_key="app_user.id")
    # Approving: why the supervisor agrees with the grade (needed for high and medium);
    # returning: what to change; regrading: why the grade changed.
    comment: str = Field(default="", max_length=5000)
    from_grade: str = Field(default="", max_length=10)
    to_grade: str = Field(default="", max_length=10)
    # The quality check: criterion id (app.review.quality.CRITERIA) -> "yes" | "no" |
    # "not_applicable"; empty for a decision taken without one (before supervision v2).
    quality: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    # Indexed: the coach's quality roll-up reads the decisions of a period.
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class MashClient(SQLModel, table=True):
    """A MASH allowed to report outcomes. Only the SHA-256 of its token is stored."""

    __tablename__ = "mash_client"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    token_hash: str = Field(max_length=64, unique=True)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MashOutcome(SQLModel, table=True):
    """What the MASH decided about a referral, reported through app/coaching/api.py. One
    row per (MASH, idempotency key)."""

    __tablename__ = "mash_outcome"
    __table_args__ = (UniqueConstraint("client_id", "idempotency_key"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="mash_client.id")
    idempotency_key: str = Field(max_length=100)
    decision: str = Field(max_length=40)
    decided_at: datetime = Field(sa_type=UTCDateTime)
    note: str = Field(default="", max_length=5000)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
