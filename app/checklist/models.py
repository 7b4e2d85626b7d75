"""An incident: the officer's working answers under one prompt-set version."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, text
from sqlmodel import JSON, Column, Field, SQLModel, String

from app.models_base import UTCDateTime, utcnow


class IncidentStatus(StrEnum):
    DRAFT = "draft"  # being answered (again, after a return)
    SUBMITTED = "submitted"  # a referral holds the frozen answers; read-only here
    NO_CHILD = "no_child_identified"  # closed at the gate with a reason


class Incident(SQLModel, table=True):
    # The coach's dashboard reads a team's incidents by when they were started; the second
    # index also holds what it filters and counts on, so a count never reads the answers.
    __table_args__ = (
        Index("ix_incident_team_id_created_at", "team_id", "created_at"),
        Index("ix_incident_scope", "team_id", "created_at", "status", "officer_id", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    client_uuid: uuid.UUID = Field(unique=True)  # made by the client: a retry never duplicates
    officer_id: uuid.UUID = Field(foreign_key="app_user.id", index=True)
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", index=True)
    prompt_set_version: int
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: IncidentStatus = Field(
        default=IncidentStatus.DRAFT, sa_column=Column(String(30), nullable=False, index=True)
    )
    revision: int = 0  # bumped by every change: the API's ETag, the pages' conflict check
    reference: str | None = Field(default=None, max_length=20)  # TC-YYYY-NNNNNN once submitted
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IncidentSummary(SQLModel, table=True):
    """What the coach's figures read in one incident's answers, worked out when the answers
    change (app/checklist/tally.py, in the same flush), so the dashboard counts with SQL."""

    __tablename__ = "incident_summary"
    # The incidents the roll-up has yet to count again: few, found without a scan.
    __table_args__ = (
        Index(
            "ix_incident_summary_recount",
            "incident_id",
            sqlite_where=text("recount = 1"),  # as SQLAlchemy writes the test
            postgresql_where=text("recount"),
        ),
    )

    incident_id: uuid.UUID = Field(foreign_key="incident.id", primary_key=True)
    incident_type: str = Field(max_length=60)  # "not_recorded" when not answered
    child_identified: bool
    incident_time: datetime | None = Field(default=None, sa_type=UTCDateTime)
    address_key: str | None = Field(default=None, max_length=200)  # normalised, for households
    # Completion: applicable prompts and those answered (None: a prompt set this build lacks).
    applicable: int | None = None
    answered: int | None = None
    # Children: each count is of the incident's children.
    spoken_to: int = 0
    words: int = 0  # spoken to, with their words recorded
    alone: int = 0  # spoken to alone
    seen_applies: int = 0  # the "seen" question applies
    seen: int = 0  # of those, seen
    demeanour_applies: int = 0
    demeanour: int = 0  # of those, demeanour recorded
    # Set by every change to the incident, its referral or its reviews; cleared when the
    # coaches' daily roll-up (app/coaching/rollup.py) has counted the incident as it is now.
    recount: bool = True


from app.checklist import tally  # noqa: E402, F401  - keeps each summary current on every flush
