"""The audit log's chain: each entry's HMAC-SHA-256, keyed with AUDIT_KEY (a key the database
does not hold), covers its seq, the previous entry's hash and its own fields, so an entry
deleted, changed or added behind the app's back, even with the chain recomputed, fails here.

Entries written before the key existed carry a plain SHA-256 (`keyed` false). They may only
come before every keyed entry: the first keyed entry's HMAC covers the last of them, so they
cannot be rewritten either without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from app.audit.models import AuditEvent
from app.config import get_settings


class Entry(Protocol):
    """What an entry's hash covers: a stored ``AuditEvent``, or a new entry before it is
    stored (``service.NewEntry``)."""

    @property
    def seq(self) -> int | None: ...
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor_id(self) -> uuid.UUID | None: ...
    @property
    def actor_name(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def object_type(self) -> str: ...
    @property
    def object_id(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def detail(self) -> dict[str, Any]: ...
    @property
    def ip(self) -> str: ...
    @property
    def prev_hash(self) -> str: ...


def _canonical(event: Entry, *, with_seq: bool) -> bytes:
    body: dict[str, object] = {
        "prev": event.prev_hash,
        "id": str(event.id),
        "at": event.at.isoformat(),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reason": event.reason,
        "detail": event.detail,
        "ip": event.ip,
    }
    if with_seq:
        body["seq"] = event.seq
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def current_key() -> bytes:
    return get_settings().audit_hmac_key


def digest(event: Entry, *, key: bytes) -> str:
    """The entry's keyed hash: HMAC-SHA-256 over (seq, previous hash, entry)."""
    return hmac.new(key, _canonical(event, with_seq=True), hashlib.sha256).hexdigest()


def legacy_digest(event: Entry) -> str:
    """The plain SHA-256 of an entry written before the audit log was keyed."""
    return hashlib.sha256(_canonical(event, with_seq=False)).hexdigest()


@dataclass(frozen=True)
class Cursor:
    """Where a check stands: the last sound entry's seq and hash, and whether keyed entries
    have begun (after which an unkeyed one is a forgery)."""

    seq: int = 0
    hash: str = ""
    keyed: bool = False


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # the seq of the first entry that does not match
    last: Cursor = Cursor()
    anchor_problem: str | None = None  # the anchor names an entry the log no longer holds

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.anchor_problem is None


def verify_chain(
    events: Iterable[AuditEvent],
    start: Cursor = Cursor(),
    checked: int = 0,
    *,
    key: bytes | None = None,
) -> ChainReport:
    """Check entries in seq order from `start` (default: the beginning of the log)."""
    key = current_key() if key is None else key
    at = start
    for entry in events:
        checked += 1
        seq = entry.seq or 0
        if entry.keyed:
            same = hmac.compare_digest(digest(entry, key=key), entry.hash)
            sound = same and (not at.keyed or seq == at.seq + 1)
        else:
            sound = not at.keyed and hmac.compare_digest(legacy_digest(entry), entry.hash)
        if not sound or entry.prev_hash != at.hash or seq <= at.seq:
            return ChainReport(checked=checked, broken_at=seq, last=at)
        at = Cursor(seq=seq, hash=entry.hash, keyed=entry.keyed)
    return ChainReport(checked=checked, broken_at=None, last=at)
