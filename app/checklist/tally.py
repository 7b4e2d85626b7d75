"""Each incident's summary row (``IncidentSummary``), kept current at one choke point: before
every flush of a session, every new incident and every incident whose answers (or prompt-set
version) changed gets its summary worked out again, in the same transaction as the change. No
write path can forget it; writes that bypass the ORM (bulk ``insert``/``update`` on the incident
table) are refused by tests/checklist/test_tally.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, bindparam, delete, event, inspect, or_, select, update
from sqlalchemy.sql.selectable import Select
from sqlmodel import Session, col

from app.checklist import facts
from app.checklist.models import Incident, IncidentSummary

WATCHED = ("answers", "prompt_set_version")
ADDRESS_MAX = 200
# In Session.info during a flush: each summary this flush worked out, by incident id. Each is
# written with ``recount`` set (the coaches' roll-up has yet to count the incident as it is
# now): a later flush hook leaves these incidents alone.
WORKED_OUT = "think_child.summaries"


def summary_values(prompt_set_version: int, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The summary's columns for these answers (the answer engine's pruning: the costly part)."""
    address = answers.get("incident.address")
    key = facts.normalise_address(address) if isinstance(address, str) else ""
    happened = facts.incident_time(answers)
    values: dict[str, Any] = {
        "incident_type": facts.incident_type(answers)[:60],
        "child_identified": facts.child_identified(answers),
        "incident_time": happened.astimezone(UTC) if happened is not None else None,
        "address_key": key[:ADDRESS_MAX] or None,
        "applicable": None,
        "answered": None,
    }
    counts = dict.fromkeys(
        ("spoken_to", "words", "alone", "seen_applies", "seen", "demeanour_applies", "demeanour"),
        0,
    )
    ps = facts.prompt_set(prompt_set_version)
    if ps is not None:
        found = facts.facts(ps, answers)
        values["applicable"] = found.completion.applicable
        values["answered"] = found.completion.answered
        for child in found.children:
            counts["spoken_to"] += child.spoken_to
            counts["words"] += child.spoken_to and child.words
            counts["alone"] += child.spoken_to and child.alone
            counts["seen_applies"] += child.seen_applies
            counts["seen"] += child.seen_applies and child.seen
            counts["demeanour_applies"] += child.demeanour_applies
            counts["demeanour"] += child.demeanour_applies and child.demeanour
    return values | counts


def fresh(incident: Incident) -> dict[str, Any]:
    return summary_values(incident.prompt_set_version, incident.answers)


def stored(row: IncidentSummary) -> dict[str, Any]:
    return {k: getattr(row, k) for k in fresh_keys()}


def fresh_keys() -> tuple[str, ...]:
    return tuple(c for c in IncidentSummary.model_fields if c not in ("incident_id", "recount"))


SUMMARY: Any = IncidentSummary.__table__  # type: ignore[attr-defined]
# One incident's summary written again, marked for the roll-up: built once with bound
# parameters (building it, with its fifteen parameters, took longer than running it; ``s_``: a
# parameter may not take the name of a column it sets).
_REWRITE = (
    SUMMARY.update()
    .where(SUMMARY.c.incident_id == bindparam("summary_of"))
    .values(
        {c: bindparam(f"s_{c.name}", type_=c.type) for c in SUMMARY.c if c.name != "incident_id"}
    )
)


def _changed(incident: Incident) -> bool:
    state = inspect(incident)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


@event.listens_for(Session, "before_flush")
def _keep_summaries_current(session: Session, _context: Any, _instances: Any) -> None:
    worked_out: dict[Any, dict[str, Any]] = {}
    session.info[WORKED_OUT] = worked_out
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Incident):
            continue
        if obj in session.new:
            worked_out[obj.id] = fresh(obj)
            session.add(IncidentSummary(incident_id=obj.id, **worked_out[obj.id]))
            continue
        if not _changed(obj):
            continue
        # One UPDATE, no read first (an autosave pays one statement for its summary).
        worked_out[obj.id] = values = fresh(obj)
        params = {"summary_of": obj.id, "s_recount": True}
        done = session.execute(_REWRITE, params | {f"s_{k}": v for k, v in values.items()})
        if not done.rowcount:  # type: ignore[attr-defined]
            session.add(IncidentSummary(incident_id=obj.id, **values))
    gone = [obj.id for obj in session.deleted if isinstance(obj, Incident)]
    if gone:  # at once, before the flush deletes the incidents it refers to
        session.execute(delete(IncidentSummary).where(col(IncidentSummary.incident_id).in_(gone)))


def mark(conn: Connection, *chosen: Iterable[uuid.UUID] | Select[Any]) -> None:
    """Mark these incidents (ids, or queries of ids) for the coaches' roll-up to count again."""
    found = [
        SUMMARY.c.incident_id.in_(sorted(c) if not isinstance(c, Select) else c) for c in chosen
    ]
    conn.execute(update(SUMMARY).where(or_(*found)).values(recount=True))


def claim(conn: Connection, limit: int) -> list[uuid.UUID]:
    """Clear the mark of up to ``limit`` marked incidents and return them, to be counted again
    in this transaction (on PostgreSQL, skipping rows a save holds: never waiting for one)."""
    marked = select(SUMMARY.c.incident_id).where(SUMMARY.c.recount).limit(limit)
    if conn.dialect.name == "postgresql":
        marked = marked.with_for_update(skip_locked=True)
    claimed = conn.execute(
        update(SUMMARY)
        .where(SUMMARY.c.incident_id.in_(marked.scalar_subquery()), SUMMARY.c.recount)
        .values(recount=False)
        .returning(SUMMARY.c.incident_id)
    )
    return list(claimed.scalars())


def marked(conn: Connection, limit: int | None = None) -> list[uuid.UUID]:
    """Marked incidents (``limit`` of them): a read of the mark's partial index."""
    query = select(SUMMARY.c.incident_id).where(SUMMARY.c.recount).limit(limit)
    return list(conn.execute(query).scalars())


def unmark_all(conn: Connection) -> None:
    """Every incident counted (after the roll-up is filled from all of them)."""
    conn.execute(update(SUMMARY).where(SUMMARY.c.recount).values(recount=False))
