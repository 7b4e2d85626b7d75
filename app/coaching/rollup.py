"""Keeps the daily roll-up (app/coaching/rollup_tables.py) current in the same transaction as
every change that moves a count: after each flush, each incident the flush touched (its row,
its referral, a referral version or a review decision) has its old contribution taken out of
the roll-up and its new one, worked out afresh by SQL, put in. The old contribution is read
with the incident's tally row locked (FOR UPDATE on PostgreSQL; SQLite writes one at a time),
and every roll-up count moves by ``n = n + delta`` in an INSERT ... ON CONFLICT DO UPDATE, so
two writers never lose an increment."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app.checklist.models import Incident
from app.coaching.rollup_tables import (
    COUNTS,
    KEY,
    contribution,
    daily_tally,
    incident_tally,
)
from app.referrals.models import Referral, ReferralVersion, ReviewDecision

Key = tuple[Any, ...]  # team, day, officer, incident type
BATCH = 2000


def _insert(conn: Connection, table: Any) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _day(started: datetime) -> date:
    return started.astimezone(UTC).date()


def fresh_row(row: Row[Any]) -> dict[str, Any]:
    incident_id, team_id, officer_id, started, kind, *counts = tuple(row)
    return {
        "incident_id": incident_id,
        "team_id": team_id,
        "day": _day(started),
        "officer_id": officer_id,
        "incident_type": kind,
        **{name: int(n) for name, n in zip(COUNTS, counts, strict=True)},
    }


def _key(values: Mapping[str, Any]) -> Key:
    return tuple(values[k] for k in KEY)


def add_to(deltas: dict[Key, list[int]], values: Mapping[str, Any], sign: int) -> None:
    if values["team_id"] is None:  # in no team's scope: not rolled up
        return
    found = deltas.setdefault(_key(values), [0] * len(COUNTS))
    for n, name in enumerate(COUNTS):
        found[n] += sign * values[name]


def move(conn: Connection, deltas: Mapping[Key, Sequence[int]]) -> None:
    """Add each delta to its roll-up row (made if missing), in key order (no deadlock between
    two writers moving the same rows)."""
    for key in sorted(deltas, key=lambda k: tuple(str(part) for part in k)):
        counts = deltas[key]
        if not any(counts):
            continue
        statement = _insert(conn, daily_tally).values(
            **dict(zip(KEY, key, strict=True)), **dict(zip(COUNTS, counts, strict=True))
        )
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=list(KEY),
                set_={n: daily_tally.c[n] + statement.excluded[n] for n in COUNTS},
            )
        )


def recount(conn: Connection, incident_ids: Iterable[uuid.UUID]) -> None:
    """Move these incidents' contributions from what the roll-up holds to what they are now."""
    ids = sorted(set(incident_ids))
    if not ids:
        return
    t = incident_tally
    held = {
        row.incident_id: dict(row._mapping)
        for row in conn.execute(
            select(t).where(t.c.incident_id.in_(ids)).order_by(t.c.incident_id).with_for_update()
        )
    }
    now = {
        row[0]: fresh_row(row)
        for row in conn.execute(contribution().where(col(Incident.id).in_(ids)))
    }
    deltas: dict[Key, list[int]] = {}
    for incident_id in ids:
        old, new = held.get(incident_id), now.get(incident_id)
        if old == new:
            continue
        if old is not None:
            add_to(deltas, old, -1)
        if new is not None:
            add_to(deltas, new, 1)
            statement = _insert(conn, t).values(**new)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["incident_id"],
                    set_={c.name: statement.excluded[c.name] for c in t.c if not c.primary_key},
                )
            )
        else:
            conn.execute(delete(t).where(t.c.incident_id == incident_id))
    move(conn, deltas)


def _touched(session: Session) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The incidents, and the referrals, this flush wrote."""
    incidents: set[uuid.UUID] = set()
    referrals: set[uuid.UUID] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Incident):
            incidents.add(obj.id)
        elif isinstance(obj, Referral):
            incidents.add(obj.incident_id)
        elif isinstance(obj, ReferralVersion | ReviewDecision):
            referrals.add(obj.referral_id)
    return incidents, referrals


@event.listens_for(Session, "after_flush")
def _keep_rollup_current(session: Session, _context: Any) -> None:
    incidents, referrals = _touched(session)
    if not incidents and not referrals:
        return
    conn = session.connection()
    if referrals:
        found = select(col(Referral.incident_id)).where(col(Referral.id).in_(referrals))
        incidents.update(conn.execute(found).scalars())
    recount(conn, incidents)


def backfill(conn: Connection) -> None:
    """Fill both tables from every incident (for the migration, and rows seeded around the ORM).
    Expects both tables empty."""
    deltas: dict[Key, list[int]] = {}
    last: uuid.UUID | None = None
    while True:
        query = contribution()
        if last is not None:
            query = query.where(col(Incident.id) > last)
        rows = [fresh_row(r) for r in conn.execute(query.order_by(col(Incident.id)).limit(BATCH))]
        if not rows:
            break
        conn.execute(incident_tally.insert(), rows)
        for row in rows:
            add_to(deltas, row, 1)
        last = rows[-1]["incident_id"]
    filled = [
        dict(zip(KEY, key, strict=True)) | dict(zip(COUNTS, counts, strict=True))
        for key, counts in deltas.items()
    ]
    for start in range(0, len(filled), BATCH):
        conn.execute(daily_tally.insert(), filled[start : start + BATCH])
