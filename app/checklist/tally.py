"""Each incident's summary row (``IncidentSummary``), kept current at one choke point: before
every flush of a session, every new incident and every incident whose answers (or prompt-set
version) changed gets its summary worked out again, in the same transaction as the change. No
write path can forget it; writes that bypass the ORM (bulk ``insert``/``update`` on the incident
table) are refused by tests/checklist/test_tally.py."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from typing import Any

from sqlalchemy import Table, bindparam, delete, event, inspect
from sqlmodel import Session, col

from app.checklist import facts
from app.checklist.models import Incident, IncidentSummary

WATCHED = ("answers", "prompt_set_version")
ADDRESS_MAX = 200


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
    return tuple(c for c in IncidentSummary.model_fields if c != "incident_id")


_SUMMARY: Table = IncidentSummary.__table__  # type: ignore[attr-defined]
# One incident's summary written again: built once with bound parameters (building it, with
# its fourteen parameters, took longer than running it; ``s_``: a parameter may not take the
# name of a column it sets).
_REWRITE = (
    _SUMMARY.update()
    .where(_SUMMARY.c.incident_id == bindparam("summary_of"))
    .values(
        {c: bindparam(f"s_{c.name}", type_=c.type) for c in _SUMMARY.c if c.name != "incident_id"}
    )
)


def _changed(incident: Incident) -> bool:
    state = inspect(incident)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


@event.listens_for(Session, "before_flush")
def _keep_summaries_current(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Incident):
            continue
        if obj in session.new:
            session.add(IncidentSummary(incident_id=obj.id, **fresh(obj)))
            continue
        if not _changed(obj):
            continue
        # One UPDATE, no read first (an autosave pays one statement for its summary).
        values = fresh(obj)
        params = {"summary_of": obj.id, **{f"s_{k}": v for k, v in values.items()}}
        done = session.execute(_REWRITE, params)
        if not done.rowcount:  # type: ignore[attr-defined]
            session.add(IncidentSummary(incident_id=obj.id, **values))
    gone = [obj.id for obj in session.deleted if isinstance(obj, Incident)]
    if gone:  # at once, before the flush deletes the incidents it refers to
        session.execute(delete(IncidentSummary).where(col(IncidentSummary.incident_id).in_(gone)))
