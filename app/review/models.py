"""Every supervisor decision, kept for the referral's review history."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Column, Field, SQLModel, String

from app.models_base import UTCDateTime, utcnow


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
    comment: str = Field(default="", max_length=5000)
    from_grade: str = Field(default="", max_length=10)
    to_grade: str = Field(default="", max_length=10)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
