"""Keeps the daily roll-up (app/coaching/rollup_tables.py) current in the same transaction as
every change that moves a count: after each flush, each incident the flush touched (its row,
its referral, a referral version or a review decision) has its old contribution taken out of
the roll-up and its new one, worked out afresh by SQL (app/coaching/rollup_sources.py), put
in. The old contribution is read with the incident's tally row locked (FOR UPDATE on
PostgreSQL; SQLite writes one at a time), and every roll-up count moves by ``n = n + delta`` in
an INSERT ... ON CONFLICT DO UPDATE, so two writers never lose an increment."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app.checklist import tally
from app.checklist.models import Incident
from app.coaching.rollup_sources import contribution, fresh_row, reviews, unsubmitted_row
from app.coaching.rollup_tables import COUNTS, KEY, daily_tally, incident_tally, review_tally
from app.referrals.models import Referral, ReferralVersion, ReviewDecision

Key = tuple[Any, ...]  # team, day, officer, incident type
BATCH = 2000


def _insert(conn: Connection, table: Any) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _key(values: Mapping[str, Any]) -> Key:
    return tuple(values[k] for k in KEY)


def add_to(deltas: dict[Key, list[int]], values: Mapping[str, Any], sign: int) -> None:
    """Add (``sign`` 1) or take out (-1) one incident's counts under its key."""
    if values["team_id"] is None:  # in no team's scope: not rolled up
        return
    found = deltas.setdefault(_key(values), [0] * len(COUNTS))
    for n, name in enumerate(COUNTS):
        found[n] += sign * values[name]


def afresh(conn: Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """These incidents' tally rows now, each with its review rows under ``"reviews"``."""
    found = {
        row[0]: fresh_row(row)
        for row in conn.execute(contribution().where(col(Incident.id).in_(ids)))
    }
    for review in reviews(conn, ids):
        row = found[review["incident_id"]]
        row.setdefault("reviews", []).append(review)
        row["reviewed"] += review["review_ms"] is not None
        row["reviewed_late"] += review["late"]
    return found


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


def _held(
    conn: Connection, ids: Sequence[uuid.UUID], *, reviews: bool = True
) -> dict[uuid.UUID, dict[str, Any]]:
    """What the roll-up holds for these incidents, their rows locked until the commit
    (without their review rows when they have none: never submitted)."""
    t, r = incident_tally, review_tally
    query = select(t).where(t.c.incident_id.in_(ids)).order_by(t.c.incident_id).with_for_update()
    held = {row.incident_id: dict(row._mapping) for row in conn.execute(query)}
    if not reviews:
        return held
    by_version = select(r).where(r.c.incident_id.in_(ids)).order_by(r.c.incident_id, r.c.version)
    for row in conn.execute(by_version).mappings():
        if row["incident_id"] in held:
            held[row["incident_id"]].setdefault("reviews", []).append(dict(row))
    return held


def _store(conn: Connection, incident_id: uuid.UUID, new: dict[str, Any] | None) -> None:
    conn.execute(delete(review_tally).where(review_tally.c.incident_id == incident_id))
    conn.execute(delete(incident_tally).where(incident_tally.c.incident_id == incident_id))
    if new is None:
        return
    conn.execute(incident_tally.insert(), {k: v for k, v in new.items() if k != "reviews"})
    if new.get("reviews"):
        conn.execute(review_tally.insert(), new["reviews"])


def recount(conn: Connection, incident_ids: Iterable[uuid.UUID]) -> None:
    """Move these incidents' contributions from what the roll-up holds to what they are now."""
    ids = sorted(set(incident_ids))
    if not ids:
        return
    held, now = _held(conn, ids), afresh(conn, ids)
    deltas: dict[Key, list[int]] = {}
    for incident_id in ids:
        _replace(conn, deltas, incident_id, held.get(incident_id), now.get(incident_id))
    move(conn, deltas)


def _replace(
    conn: Connection,
    deltas: dict[Key, list[int]],
    incident_id: uuid.UUID,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    """Store the incident's new rows, and note the move of its counts in ``deltas``."""
    if old == new:
        return
    if old is not None:
        add_to(deltas, old, -1)
    if new is not None:
        add_to(deltas, new, 1)
    _store(conn, incident_id, new)


def _touched(session: Session) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The incidents, and the referrals, this flush writes."""
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


# In Session.info between the two hooks: the incidents never submitted that this flush writes,
# and their tally rows as they were.
QUICK = "think_child.rollup_quick"
REFERRAL_ROWS = (Referral, ReferralVersion, ReviewDecision)


def _before(session: Session, _context: Any, _instances: Any) -> None:
    """An officer's save of an incident never submitted (an autosave) is counted from the
    summary this flush works out (app/checklist/tally.py), and the tally row it replaces is
    read (and locked) first, before any write of the flush: nothing is read back after them."""
    session.info.pop(QUICK, None)
    written = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, REFERRAL_ROWS) for obj in written):
        return
    unsubmitted = {
        obj.id: obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, Incident)
        and obj.reference is None
        and (obj in session.new or session.is_modified(obj))
    }
    if not unsubmitted:
        return
    stored = [i for i, obj in unsubmitted.items() if obj not in session.new]
    held = _held(session.connection(), sorted(stored), reviews=False) if stored else {}
    session.info[QUICK] = (unsubmitted, held)


# First of the flush's hooks: before the summary's UPDATE (app/checklist/tally.py).
event.listen(Session, "before_flush", _before, insert=True)


@event.listens_for(Session, "after_flush")
def _keep_rollup_current(session: Session, _context: Any) -> None:
    incidents, referrals = _touched(session)
    if not incidents and not referrals:
        return
    conn = session.connection()
    unsubmitted, held = session.info.pop(QUICK, ({}, {}))
    worked_out = session.info.get(tally.WORKED_OUT, {})
    quick = sorted(i for i in unsubmitted if i in worked_out)
    deltas: dict[Key, list[int]] = {}
    for incident_id in quick:
        new = unsubmitted_row(unsubmitted[incident_id], worked_out[incident_id])
        _replace(conn, deltas, incident_id, held.get(incident_id), new)
    move(conn, deltas)
    if referrals:
        found = select(col(Referral.incident_id)).where(col(Referral.id).in_(referrals))
        incidents.update(conn.execute(found).scalars())
    recount(conn, incidents - set(quick))


def backfill(conn: Connection) -> None:
    """Fill the roll-up from every incident (for the migration, and rows seeded around the
    ORM). Expects its tables empty."""
    deltas: dict[Key, list[int]] = {}
    last: uuid.UUID | None = None
    while True:
        query = select(col(Incident.id)).order_by(col(Incident.id)).limit(BATCH)
        if last is not None:
            query = query.where(col(Incident.id) > last)
        ids = list(conn.execute(query).scalars())
        if not ids:
            break
        rows = afresh(conn, ids)
        conn.execute(
            incident_tally.insert(),
            [{k: v for k, v in row.items() if k != "reviews"} for row in rows.values()],
        )
        versions = [review for row in rows.values() for review in row.get("reviews", [])]
        if versions:
            conn.execute(review_tally.insert(), versions)
        for row in rows.values():
            add_to(deltas, row, 1)
        last = ids[-1]
    filled = [
        dict(zip(KEY, key, strict=True)) | dict(zip(COUNTS, counts, strict=True))
        for key, counts in deltas.items()
    ]
    for start in range(0, len(filled), BATCH):
        conn.execute(daily_tally.insert(), filled[start : start + BATCH])
