"""Keeps the daily roll-up (app/coaching/rollup_tables.py) current, off the officers' save path.

A save only marks what changed: every summary the flush works out is written with ``recount``
set (app/checklist/tally.py, in the same UPDATE: an autosave pays no extra statement), and any
other change to an incident, its referral, a referral version or a review decision sets it
with one UPDATE after the flush. ``fold`` then counts the marked incidents again, a batch a
transaction: it claims them (clearing the mark; on PostgreSQL skipping rows a save holds), and
for each moves its old contribution (its ``incident_tally`` row, read FOR UPDATE) out of the
roll-up and its new one, worked out afresh by SQL with the figures' own conditions
(app/coaching/rollup_sources.py), in: ``n = n + delta`` in an INSERT ... ON CONFLICT DO
UPDATE, in key order. A save that lands while its incident is being folded marks it again, so
it is folded once more. The delivery worker folds every few seconds (app/worker.py); the
dashboard folds what is left before it counts (``catch_up``), so its figures are exact."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app.checklist import tally
from app.checklist.models import Incident
from app.coaching.rollup_sources import contribution, decisions, fresh_row, reviews
from app.coaching.rollup_tables import (
    COUNTS,
    KEY,
    TEAM_KEY,
    daily_tally,
    decision_tally,
    incident_tally,
    review_tally,
    team_tally,
)
from app.referrals.models import Referral, ReferralVersion, ReviewDecision

Key = tuple[Any, ...]  # team, day, officer, incident type
BATCH = 2000  # the migration's fill
FOLD = 200  # incidents counted again in one transaction (a save may wait for it: keep it short)
HELD_WAITS, HELD_PAUSE = 20, 0.01  # the dashboard's wait for saves under way: 0.2 s at most


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


# Each incident's rows in other tables, kept under these keys of its tally row.
BESIDE = {"reviews": review_tally, "decisions": decision_tally}


def _by_decision(row: Mapping[str, Any]) -> str:
    return str(row["decision_id"])


def afresh(conn: Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """These incidents' tally rows now, each with its review rows under ``"reviews"`` and its
    decisions under ``"decisions"`` (by decision id)."""
    found = {
        row[0]: fresh_row(row)
        for row in conn.execute(contribution().where(col(Incident.id).in_(ids)))
    }
    for review in reviews(conn, ids):
        row = found[review["incident_id"]]
        row.setdefault("reviews", []).append(review)
        row["reviewed"] += review["review_ms"] is not None
        row["reviewed_late"] += review["late"]
    for decision in sorted(decisions(conn, ids), key=_by_decision):
        found[decision["incident_id"]].setdefault("decisions", []).append(decision)
    return found


def by_team(deltas: Mapping[Key, Sequence[int]]) -> dict[Key, list[int]]:
    """The same counts added up without the officer (``team_tally``'s key)."""
    out: dict[Key, list[int]] = {}
    at = [KEY.index(k) for k in TEAM_KEY]
    for key, counts in deltas.items():
        found = out.setdefault(tuple(key[i] for i in at), [0] * len(COUNTS))
        for n, count in enumerate(counts):
            found[n] += count
    return out


def move(conn: Connection, deltas: Mapping[Key, Sequence[int]]) -> None:
    """Add each delta to its roll-up rows, per officer and per team (made if missing), in key
    order (no deadlock between two writers moving the same rows)."""
    for table, names, moved in (
        (daily_tally, KEY, deltas),
        (team_tally, TEAM_KEY, by_team(deltas)),
    ):
        for key in sorted(moved, key=lambda k: tuple(str(part) for part in k)):
            counts = moved[key]
            if not any(counts):
                continue
            statement = _insert(conn, table).values(
                **dict(zip(names, key, strict=True)), **dict(zip(COUNTS, counts, strict=True))
            )
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=list(names),
                    set_={n: table.c[n] + statement.excluded[n] for n in COUNTS},
                )
            )


def stored(conn: Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """What the roll-up holds for these incidents, their rows locked until the commit."""
    t, r = incident_tally, review_tally
    query = select(t).where(t.c.incident_id.in_(ids)).order_by(t.c.incident_id).with_for_update()
    held = {row.incident_id: dict(row._mapping) for row in conn.execute(query)}
    by_version = select(r).where(r.c.incident_id.in_(ids)).order_by(r.c.incident_id, r.c.version)
    for row in conn.execute(by_version).mappings():
        if row["incident_id"] in held:
            held[row["incident_id"]].setdefault("reviews", []).append(dict(row))
    d = decision_tally
    for row in conn.execute(select(d).where(d.c.incident_id.in_(ids))).mappings():
        if row["incident_id"] in held:
            held[row["incident_id"]].setdefault("decisions", []).append(dict(row))
    for found in held.values():
        if "decisions" in found:
            found["decisions"].sort(key=_by_decision)
    return held


def _store(conn: Connection, rows: Mapping[uuid.UUID, dict[str, Any] | None]) -> None:
    """Replace these incidents' rows (None: the incident is gone) in four statements."""
    if not rows:
        return
    ids = sorted(rows)
    for table in (*BESIDE.values(), incident_tally):
        conn.execute(delete(table).where(table.c.incident_id.in_(ids)))
    _insert_rows(conn, [row for row in rows.values() if row is not None])


def _insert_rows(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert these incidents' tally rows and the rows beside them."""
    if not rows:
        return
    conn.execute(
        incident_tally.insert(), [{k: v for k, v in r.items() if k not in BESIDE} for r in rows]
    )
    for key, table in BESIDE.items():
        beside = [one for row in rows for one in row.get(key, [])]
        if beside:
            conn.execute(table.insert(), beside)


def recount(conn: Connection, incident_ids: Iterable[uuid.UUID]) -> None:
    """Move these incidents' contributions from what the roll-up holds to what they are now."""
    ids = sorted(set(incident_ids))
    if not ids:
        return
    held, now = stored(conn, ids), afresh(conn, ids)
    deltas: dict[Key, list[int]] = {}
    changed: dict[uuid.UUID, dict[str, Any] | None] = {}
    for incident_id in ids:
        old, new = held.get(incident_id), now.get(incident_id)
        if old == new:
            continue
        if old is not None:
            add_to(deltas, old, -1)
        if new is not None:
            add_to(deltas, new, 1)
        changed[incident_id] = new
    _store(conn, changed)
    move(conn, deltas)


def fold(session: Session, limit: int = FOLD) -> int:
    """Count again up to ``limit`` marked incidents, in one transaction of its own (committed
    here: the session must have nothing else pending). Returns how many were counted."""
    conn = session.connection()
    ids = tally.claim(conn, limit)
    if ids:
        recount(conn, ids)
    session.commit()
    return len(ids)


def catch_up(session: Session, limit: int = FOLD) -> int:
    """Fold until nothing is marked (each batch its own transaction); returns how many. The
    session's transaction is ended first, so what it reads next sees every fold; what it had
    loaded stays loaded (not expired: the folds change none of it). Incidents an officer's
    save holds at that instant (PostgreSQL: skipped, never waited for) are waited for a
    little, then left to the worker."""
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
        done = waits = 0
        # A read first: with nothing marked (the worker keeping up), no write lock is taken.
        while tally.marked(session.connection(), limit=1):
            found = fold(session, limit)
            done += found
            if not found:
                waits += 1
                if waits > HELD_WAITS:
                    break
                time.sleep(HELD_PAUSE)
        session.commit()
    finally:
        session.expire_on_commit = expiring
    return done


def _touched(session: Session) -> tuple[set[uuid.UUID], set[uuid.UUID], set[uuid.UUID]]:
    """The incidents, referrals and deleted incidents this flush writes."""
    incidents: set[uuid.UUID] = set()
    referrals: set[uuid.UUID] = set()
    for obj in (*session.new, *session.dirty):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Incident):
            incidents.add(obj.id)
        elif isinstance(obj, Referral):
            incidents.add(obj.incident_id)
        elif isinstance(obj, ReferralVersion | ReviewDecision):
            referrals.add(obj.referral_id)
    for obj in session.deleted:
        if isinstance(obj, Referral):
            incidents.add(obj.incident_id)
        elif isinstance(obj, ReferralVersion | ReviewDecision):
            referrals.add(obj.referral_id)
    gone = {obj.id for obj in session.deleted if isinstance(obj, Incident)}
    return incidents, referrals, gone


@event.listens_for(Session, "after_flush")
def _mark(session: Session, _context: Any) -> None:
    """Mark each incident this flush changed whose summary it did not write (those are
    marked already); take a deleted incident out of the roll-up at once (its summary is gone,
    so nothing would mark it)."""
    incidents, referrals, gone = _touched(session)
    if not incidents and not referrals and not gone:
        return
    conn = session.connection()
    if gone:
        recount(conn, gone)
    rest = incidents - set(session.info.get(tally.WORKED_OUT, {})) - gone
    if referrals:
        of_referrals = select(col(Referral.incident_id)).where(col(Referral.id).in_(referrals))
        tally.mark(conn, rest, of_referrals)
    elif rest:
        tally.mark(conn, rest)


def backfill(conn: Connection) -> None:
    """Fill the roll-up from every incident (for the migration, and rows seeded around the
    ORM). Expects its tables empty; leaves no incident marked."""
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
        _insert_rows(conn, list(rows.values()))
        for row in rows.values():
            add_to(deltas, row, 1)
        last = ids[-1]
    for table, names, counted in (
        (daily_tally, KEY, deltas),
        (team_tally, TEAM_KEY, by_team(deltas)),
    ):
        filled = [
            dict(zip(names, key, strict=True)) | dict(zip(COUNTS, counts, strict=True))
            for key, counts in counted.items()
        ]
        for start in range(0, len(filled), BATCH):
            conn.execute(table.insert(), filled[start : start + BATCH])
    tally.unmark_all(conn)
