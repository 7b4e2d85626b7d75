"""Coaching: audit samples and their scores, feedback to officers, officers' training. (The MASH
clients and what each MASH decided, ``MashOutcome``, are facts about referrals:
app/referrals/models.py.)"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Column, Field, SQLModel, String

from app.models_base import UTCDateTime, utcnow


class ScopeKind(StrEnum):
    FORCE = "force"  # every team the coach coaches
    TEAM = "team"
    OFFICER = "officer"


class Score(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "na"


class AuditSample(SQLModel, table=True):
    """Referrals drawn at random for one scope and period; the seed redraws the same ones."""

    __tablename__ = "audit_sample"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    coach_id: uuid.UUID = Field(foreign_key="app_user.id", index=True)
    scope_kind: ScopeKind = Field(sa_column=Column(String(20), nullable=False))
    scope_id: uuid.UUID | None = None  # the team or officer; none for the coach's whole force
    period_from: date
    period_to: date
    seed: int
    size: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditCase(SQLModel, table=True):
    """One referral in a sample."""

    __tablename__ = "audit_case"
    __table_args__ = (UniqueConstraint("sample_id", "referral_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    sample_id: uuid.UUID = Field(foreign_key="audit_sample.id", index=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True)
    position: int
    version: int  # the referral version scored
    scored_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditScore(SQLModel, table=True):
    """One criterion of the rubric, scored for one case."""

    __tablename__ = "audit_score"
    __table_args__ = (UniqueConstraint("case_id", "criterion"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="audit_case.id", index=True)
    criterion: str = Field(max_length=60)
    score: Score = Field(sa_column=Column(String(10), nullable=False))
    comment: str = Field(default="", max_length=2000)


class Feedback(SQLModel, table=True):
    """What a coach told an officer about one referral; the officer acknowledges it."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID | None = Field(default=None, foreign_key="audit_case.id", index=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", index=True)
    officer_id: uuid.UUID = Field(foreign_key="app_user.id", index=True)
    coach_id: uuid.UUID = Field(foreign_key="app_user.id")
    text: str = Field(max_length=5000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TrainingRecord(SQLModel, table=True):
    """That an officer completed Think Child training, and when. One row per officer: a
    correction changes it, a removal deletes it; both are in the audit log with the old date."""

    __tablename__ = "training_record"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    officer_id: uuid.UUID = Field(foreign_key="app_user.id", unique=True, ondelete="CASCADE")
    completed_on: date
    recorded_by: uuid.UUID = Field(foreign_key="app_user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
