"""Every supervisor decision, kept for the referral's review history."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import JSON, Column, Field, SQLModel, String

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
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
