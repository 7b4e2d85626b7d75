"""Each incident's rows of the roll-up (app/coaching/rollup_tables.py), worked out afresh by
SQL with the figures' own conditions (app/coaching/measures.py): its key and counts, one row a
referral version for the reviews, and one row a supervisor's decision for the quality roll-up."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, case, false, func, literal, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Select
from sqlmodel import col

from app.coaching.measures import (
    CHILD_SHARES,
    DUE_AFTER,
    DUE_DEFAULT,
    I,
    Measures,
    R,
    S,
    joined,
    lateness,
    review_ended,
)
from app.coaching.rollup_tables import INCIDENT_COUNTS, MARK_COLUMNS
from app.coaching.sql import ms_between
from app.referrals.models import Referral, ReferralVersion, ReviewDecision
from app.review.quality import CRITERIA

MARK = {"yes": 1, "no": 0}  # anything else (does not apply, no check) is NULL


def _name(column: Any) -> str:
    return str(column.key)


# Each child share: the counts of its whole and of its part.
SHARES = {key: (_name(whole), _name(part)) for key, (whole, part) in CHILD_SHARES.items()}


def _one(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return case((cond, 1), else_=0)


def _parts(m: Measures, key: str) -> Any:
    found = m.parts(key)
    assert found is not None
    return found


def contribution() -> Select[Any]:
    """Each incident's id, team, officer, start, type, time to submission, then
    ``INCIDENT_COUNTS``."""
    m = Measures(datetime.now(UTC))  # "now" only matters to the review figures: not here
    counts: dict[str, Any] = {
        "incidents": literal(1),
        "submitted": _one(m.submitted),
        "timed": _one(m.timed),
        "after_shift": _one(m.after_shift),
        "applicable": func.coalesce(col(S.applicable), 0),
        "answered": func.coalesce(col(S.answered), 0),
        "completion_short": _one(_parts(m, "completion").short),
    }
    for key in (
        "no_child", "child_identified", "referrals", "returned", "officer_below",
        "supervisor_changed",
    ):  # fmt: skip
        counts[key] = _one(_parts(m, key).met)
    for share, (whole, piece) in CHILD_SHARES.items():
        counts[_name(whole)] = col(whole)
        counts[_name(piece)] = col(piece)
        counts[share + "_short"] = _one(_parts(m, share).short)
    return joined(
        select(
            col(I.id),
            col(I.team_id),
            col(I.officer_id),
            col(I.created_at),
            col(S.incident_type),
            case((m.timed, m.to_submission_ms), else_=None),
            *(counts[name] for name in INCIDENT_COUNTS),
            *LISTED,
        )
    )


# What the lists to notice read, after the counts (see ``fresh_row``).
LISTED = (
    col(I.status), col(S.incident_time), col(S.address_key), col(R.team_id), col(R.officer_id),
    col(R.created_at),
)  # fmt: skip


def day_of(started: datetime) -> date:
    return started.astimezone(UTC).date()


def fresh_row(row: Row[Any] | Sequence[Any]) -> dict[str, Any]:
    """A ``contribution`` row as the incident's tally row (its review counts still 0)."""
    incident_id, team_id, officer_id, started, kind, to_submission, *rest = tuple(row)
    counts, listed = rest[: len(INCIDENT_COUNTS)], rest[len(INCIDENT_COUNTS) :]
    status, happened, address, referral_team, referral_officer, referred = listed
    return {
        "incident_id": incident_id,
        "team_id": team_id,
        "day": day_of(started),
        "officer_id": officer_id,
        "incident_type": kind,
        "to_submission_ms": None if to_submission is None else int(to_submission),
        **{name: int(n) for name, n in zip(INCIDENT_COUNTS, counts, strict=True)},
        "reviewed": 0,
        "reviewed_late": 0,
        "started_at": started,
        "status": str(status),
        "happened_at": happened or started,
        "referral_team_id": referral_team,
        "referral_officer_id": referral_officer,
        "referred_at": referred,
        "address_key": address,
    }


def reviews(conn: Connection, incident_ids: Iterable[uuid.UUID]) -> list[dict[str, Any]]:
    """One review row a referral version of these incidents."""
    v: Any = aliased(ReferralVersion)
    ended = review_ended(v)
    late = lateness(v.submitted_at, v.officer_grade, ended, false(), datetime.now(UTC)).late
    query = (
        select(
            col(I.id),
            v.version,
            col(I.team_id),
            col(I.officer_id),
            col(I.created_at),
            v.submitted_at,
            v.officer_grade,
            case((ended.is_not(None), ms_between(v.submitted_at, ended)), else_=None),
            _one(late),
            _one(v.version == col(R.version)),
        )
        .select_from(I)
        .join(R, col(R.incident_id) == col(I.id))
        .join(v, v.referral_id == col(R.id))
        .where(col(I.id).in_(list(incident_ids)))
        .order_by(col(I.id), v.version)
    )
    found = []
    for iid, version, team, officer, started, submitted, grade, span, slow, latest in conn.execute(
        query
    ):
        found.append(
            {
                "incident_id": iid,
                "version": version,
                "team_id": team,
                "day": day_of(started),
                "officer_id": officer,
                "review_ms": None if span is None else int(span),
                "waiting": bool(latest) and span is None,
                "due_at": submitted + DUE_AFTER.get(grade, DUE_DEFAULT),
                "late": bool(slow),
            }
        )
    return found


def decisions(conn: Connection, incident_ids: Iterable[uuid.UUID]) -> list[dict[str, Any]]:
    """One row a review decision on these incidents' referrals, with its marks and when the
    next decision on the same version superseded it."""
    d: Any = ReviewDecision
    picked = (col(Referral.incident_id), col(Referral.team_id), col(Referral.officer_id))
    query = (
        select(*picked, d.referral_id, d.version, d.at, d.id, d.quality)
        .join(Referral, col(Referral.id) == d.referral_id)
        .where(col(Referral.incident_id).in_(list(incident_ids)))
        .order_by(d.referral_id, d.version, d.at, d.id)
    )
    found: list[dict[str, Any]] = []
    before: tuple[Any, ...] | None = None
    for incident_id, team, officer, referral, version, at, decision, quality in conn.execute(query):
        if before == (referral, version):
            found[-1]["superseded_at"] = at  # a later decision on the same version
        before = (referral, version)
        marks = quality if isinstance(quality, dict) else {}
        found.append(
            {
                "decision_id": decision,
                "incident_id": incident_id,
                "team_id": team,
                "officer_id": officer,
                "at": at,
                "superseded_at": None,
                **{
                    name: MARK.get(str(marks.get(c)))
                    for name, c in zip(MARK_COLUMNS, CRITERIA, strict=True)
                },
            }
        )
    return found
