"""The dashboard's daily roll-up: for each team, day (UTC, the incident's start), officer and
incident type, every count the figures add up (``daily_tally``); and what each incident adds
to it now (``incident_tally``), so a change moves exactly the incident's old contribution out
and its new one in (app/coaching/rollup.py keeps both current)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Uuid,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.sql.selectable import Select
from sqlmodel import SQLModel, col

from app.coaching.measures import CHILD_SHARES, I, Measures, S, joined

# Each count a figure adds up: how many incidents, children or prompts (see ``contribution``).
COUNTS = (
    "incidents", "no_child", "child_identified", "referrals", "submitted", "timed",
    "after_shift", "returned", "officer_below", "supervisor_changed", "applicable", "answered",
    "completion_short", "spoken_to", "words", "alone", "seen_applies", "seen",
    "demeanour_applies", "demeanour", "voice_words_short", "spoken_alone_short", "seen_short",
    "demeanour_short",
)  # fmt: skip
KEY = ("team_id", "day", "officer_id", "incident_type")


def _name(column: Any) -> str:
    return str(column.key)


# Each child share: the counts of its whole and of its part.
SHARES = {key: (_name(whole), _name(part)) for key, (whole, part) in CHILD_SHARES.items()}


def _counters() -> list[Column[int]]:
    return [Column(name, Integer, nullable=False) for name in COUNTS]


daily_tally = Table(
    "daily_tally",
    SQLModel.metadata,
    Column("team_id", Uuid, ForeignKey("team.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("officer_id", Uuid, ForeignKey("app_user.id"), primary_key=True),
    Column("incident_type", String(60), primary_key=True),
    *_counters(),
)

# No foreign key to the incident: its row outlives the incident's deletion in the same flush,
# long enough to take its contribution out of the roll-up.
incident_tally = Table(
    "incident_tally",
    SQLModel.metadata,
    Column("incident_id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=True),  # an incident without a team is in no scope
    Column("day", Date, nullable=False),
    Column("officer_id", Uuid, nullable=False),
    Column("incident_type", String(60), nullable=False),
    *_counters(),
)


def _one(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return case((cond, 1), else_=0)


def contribution() -> Select[Any]:
    """Each incident's key and counts, worked out afresh with the figures' own conditions
    (app/coaching/measures.py): the incident id, team, officer, start, type, then ``COUNTS``."""
    m = Measures(datetime.now(UTC))  # "now" only matters to the review figures: not here
    part = m.parts
    counts: dict[str, Any] = {
        "incidents": literal(1),
        "submitted": _one(m.submitted),
        "timed": _one(m.timed),
        "after_shift": _one(m.after_shift),
        "applicable": func.coalesce(col(S.applicable), 0),
        "answered": func.coalesce(col(S.answered), 0),
    }
    for key in ("no_child", "child_identified", "referrals", "returned", "officer_below"):
        counts[key] = _one(_parts(part, key).met)
    counts["supervisor_changed"] = _one(_parts(part, "supervisor_changed").met)
    counts["completion_short"] = _one(_parts(part, "completion").short)
    for share, (whole, piece) in CHILD_SHARES.items():
        counts[_name(whole)] = col(whole)
        counts[_name(piece)] = col(piece)
        counts[share + "_short"] = _one(_parts(part, share).short)
    return joined(
        select(
            col(I.id),
            col(I.team_id),
            col(I.officer_id),
            col(I.created_at),
            col(S.incident_type),
            *(counts[name] for name in COUNTS),
        )
    )


def _parts(part: Any, key: str) -> Any:
    found = part(key)
    assert found is not None
    return found
