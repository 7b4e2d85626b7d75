"""The append-only audit log. Each entry carries the HMAC of the one before it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from app.models_base import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    seq: int | None = Field(default=None, primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    actor_name: str = Field(default="", max_length=100)
    action: str = Field(max_length=60, index=True)
    object_type: str = Field(default="", max_length=40)
    object_id: str = Field(default="", max_length=64, index=True)
    reason: str = Field(default="", max_length=500)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    ip: str = Field(default="", max_length=64)
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
    # True: `hash` is HMAC-SHA-256 with AUDIT_KEY over (seq, prev_hash, entry). False: a plain
    # SHA-256 entry written before the key existed; they may only precede every keyed entry,
    # and the first keyed entry seals them (its HMAC covers the last one's hash).
    keyed: bool = Field(default=True, sa_column_kwargs={"server_default": sa.false()})


class AuditHead(SQLModel, table=True):
    """One row, locked while an entry is appended so the chain stays a single line."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    last_hash: str = Field(default="", max_length=64)
    last_seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class AuditCheckpoint(SQLModel, table=True):
    """The last entry a verification found sound, so the next one starts after it."""

    __tablename__ = "audit_checkpoint"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(default="", max_length=64)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
