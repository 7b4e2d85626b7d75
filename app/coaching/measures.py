"""What each figure counts, as SQL over an incident, its summary row and its referral: one
condition per part of a figure (every incident behind it, those that meet the measure, those
that fall short), so the same words count the figure and list its incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, false, func, not_, or_, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Select
from sqlmodel import col

from app.checklist.models import Incident, IncidentStatus, IncidentSummary
from app.coaching.scope import Period, Scope
from app.coaching.sql import instant, ms_between
from app.referrals.models import DecisionKind, Referral, ReferralVersion, ReviewDecision

I, S, R = Incident, IncidentSummary, Referral  # noqa: E741
# A referral's first version (versions count from 1) and its latest (the referral's version).
V1: Any = aliased(ReferralVersion, name="first_version")
VL: Any = aliased(ReferralVersion, name="latest_version")
HOUR_MS = 3_600_000
SHIFT = timedelta(hours=10)
DUE_AFTER = {"high": timedelta(hours=1), "medium": timedelta(hours=8)}
DUE_DEFAULT = timedelta(hours=24)  # standard
RANK = {"standard": 0, "medium": 1, "high": 2}
REVIEW_ENDS = (DecisionKind.APPROVED.value, DecisionKind.RETURNED.value)


def _ms(span: timedelta) -> int:
    return int(span.total_seconds() * 1000)


def joined(query: Select[Any]) -> Select[Any]:
    """Incidents with their summaries, referrals and the referrals' first and latest versions
    (each an index seek: no subquery a row)."""
    return (
        query.select_from(I)
        .join(S, col(S.incident_id) == col(I.id))
        .outerjoin(R, col(R.incident_id) == col(I.id))
        .outerjoin(V1, and_(V1.referral_id == col(R.id), V1.version == 1))
        .outerjoin(VL, and_(VL.referral_id == col(R.id), VL.version == col(R.version)))
    )


def within(query: Select[Any], scope: Scope, period: Period) -> Select[Any]:
    """Only the incidents of the scope started in the period."""
    query = query.where(
        col(I.team_id).in_(scope.team_ids),
        col(I.created_at) >= period.since,
        col(I.created_at) < period.until,
    )
    if scope.officer_id is not None:
        query = query.where(col(I.officer_id) == scope.officer_id)
    return query


def scoped(query: Select[Any], scope: Scope, period: Period) -> Select[Any]:
    """The incidents of the scope started in the period (see ``joined``)."""
    return within(joined(query), scope, period)


def _rank(grade: Any) -> ColumnElement[int]:
    return case(RANK, value=grade, else_=0)


@dataclass(frozen=True)
class VersionFacts:
    """One referral version: when its review ended, whether it counts towards overdue, late."""

    ended: ColumnElement[Any]
    counted: ColumnElement[bool]
    late: ColumnElement[bool]


def review_ended(v: Any) -> Any:
    """When the review of version ``v`` ended (approved or returned), or NULL."""
    d: Any = aliased(ReviewDecision)
    return (
        select(func.min(d.at))
        .where(d.referral_id == v.referral_id, d.version == v.version, d.kind.in_(REVIEW_ENDS))
        .scalar_subquery()
    )


def lateness(
    submitted_at: Any, grade: Any, ended: Any, current: ColumnElement[bool], now: datetime
) -> VersionFacts:
    """A review counts once ended, or while the latest version waits; late past its due time."""
    due = case({g: _ms(span) for g, span in DUE_AFTER.items()}, value=grade, else_=_ms(DUE_DEFAULT))
    waiting = and_(ended.is_(None), current)
    late = or_(
        and_(ended.is_not(None), ms_between(submitted_at, ended) > due),
        and_(waiting, ms_between(submitted_at, instant(now)) > due),
    )
    return VersionFacts(ended, or_(ended.is_not(None), waiting), late)


def version_facts(v: Any, now: datetime) -> VersionFacts:
    current = v.version == col(R.version)
    return lateness(v.submitted_at, v.officer_grade, review_ended(v), current, now)


def _version_exists(now: datetime, pick: str) -> ColumnElement[bool]:
    v: Any = aliased(ReferralVersion)
    f = version_facts(v, now)
    cond = {
        "reviewed": f.ended.is_not(None),
        "counted": f.counted,
        "late": f.late,
        "on_time": and_(f.counted, not_(f.late)),
    }[pick]
    return exists(select(v.id).where(v.referral_id == col(R.id), cond))


@dataclass(frozen=True)
class Parts:
    all: ColumnElement[bool]
    met: ColumnElement[bool]
    short: ColumnElement[bool]


CHILD_SHARES = {
    "voice_words": (S.spoken_to, S.words),
    "spoken_alone": (S.spoken_to, S.alone),
    "seen": (S.seen_applies, S.seen),
    "demeanour": (S.demeanour_applies, S.demeanour),
}
REFERRAL_SHARES = ("returned", "officer_below", "supervisor_changed")


class Measures:
    """The per-incident SQL behind every figure (for one "now"), each built when first asked
    for (building SQL expressions costs time too)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._parts: dict[str, Parts | None] = {}

    @cached_property
    def submitted(self) -> ColumnElement[bool]:
        return V1.id.is_not(None)  # type: ignore[no-any-return]

    @cached_property
    def to_submission_ms(self) -> ColumnElement[int]:
        return ms_between(col(S.incident_time), V1.submitted_at)

    @cached_property
    def timed(self) -> ColumnElement[bool]:
        return and_(self.submitted, col(S.incident_time).is_not(None))

    @cached_property
    def after_shift(self) -> ColumnElement[bool]:
        return and_(self.timed, self.to_submission_ms > _ms(SHIFT))

    def _below(self) -> ColumnElement[bool]:
        return _rank(VL.officer_grade) < _rank(VL.suggested_grade)

    def _decided(self, kind: DecisionKind) -> ColumnElement[bool]:
        d: Any = aliased(ReviewDecision)
        return exists(select(d.id).where(d.referral_id == col(R.id), d.kind == kind.value))

    def parts(self, key: str) -> Parts | None:
        """The three parts of one figure, or None for a figure this dashboard lacks."""
        if key not in self._parts:
            self._parts[key] = self._build(key)
        return self._parts[key]

    def _build(self, key: str) -> Parts | None:
        if key.startswith("type."):
            same = col(S.incident_type) == key[5:]
            return Parts(same, same, false())
        if key in CHILD_SHARES:
            whole, part = (col(c) for c in CHILD_SHARES[key])
            return Parts(whole > 0, part > 0, whole > part)
        if key in ("child_identified", "referrals"):
            met = (
                col(S.child_identified).is_(True)
                if key == "child_identified"
                else col(R.id).is_not(None)
            )
            return Parts(true(), met, not_(met))
        if key in REFERRAL_SHARES:
            if key == "officer_below":
                found = self._below()
            else:
                kind = DecisionKind.RETURNED if key == "returned" else DecisionKind.REGRADED
                found = self._decided(kind)
            has = self.submitted
            return Parts(has, and_(has, found), and_(has, not_(found)))
        return self._other(key)

    def _other(self, key: str) -> Parts | None:
        if key == "incidents":
            return Parts(true(), true(), false())
        if key == "no_child":
            no_child = col(I.status) == IncidentStatus.NO_CHILD.value
            return Parts(no_child, no_child, false())
        if key == "completion":
            summarised = col(S.applicable).is_not(None)
            short = and_(summarised, col(S.applicable) > col(S.answered))
            return Parts(summarised, summarised, short)
        if key == "to_submission":
            return Parts(self.timed, self.timed, self.after_shift)
        if key == "after_shift":
            return Parts(self.after_shift, self.after_shift, false())
        if key not in ("to_review", "overdue"):
            return None
        has = col(R.id).is_not(None)
        if key == "to_review":
            reviewed = and_(has, _version_exists(self.now, "reviewed"))
            return Parts(reviewed, reviewed, false())
        return Parts(
            and_(has, _version_exists(self.now, "counted")),
            and_(has, _version_exists(self.now, "late")),
            and_(has, _version_exists(self.now, "on_time")),
        )
