"""The dashboard's figures: every incident figure added up from the daily roll-up
(app/coaching/rollup_tables.py, one row a team, day, officer and incident type), so a view's
cost grows with its days, teams and officers, not its incidents; the medians (time to submit,
to review) and overdue reviews, which cannot be added up, counted exactly by SQL over the
period's summary and referral rows (app/coaching/measures.py says what each counts); and the
incidents behind any part of a figure as one SQL filter. No incident's answers are read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, not_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Select
from sqlmodel import Session, col

from app.checklist.models import Incident
from app.coaching.measures import (
    HOUR_MS,
    REFERRAL_SHARES,
    Measures,
    R,
    lateness,
    review_ended,
    scoped,
)
from app.coaching.rollup_tables import COUNTS, SHARES, daily_tally
from app.coaching.scope import Period, Scope
from app.coaching.sql import median, median_of, ms_between, number, quick_plans
from app.errors import NotFound
from app.referrals.models import ReferralVersion

__all__ = ["Figure", "Tally", "UnknownFigure", "compute", "incidents", "tally"]


class UnknownFigure(NotFound):
    code = "unknown_figure"


@dataclass
class Figure:
    key: str
    count: int = 0  # the number, or the part of ``total`` that meets the measure
    total: int | None = None  # for a share: out of how many
    hours: float | None = None  # for a time: the median, in hours
    short: int = 0  # how many incidents (for overdue: reviews) fall short: a drill-down if any

    @property
    def percent(self) -> float | None:
        if self.total is None or self.total == 0:
            return None
        return round(100 * self.count / self.total, 1)

    def add(self, other: Figure) -> None:
        self.count += other.count
        self.short += other.short
        if self.total is not None and other.total is not None:
            self.total += other.total


def _n(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _hours(ms: float | None) -> float | None:
    return None if ms is None else round(ms / HOUR_MS, 1)


NUMBERS = frozenset({"incidents", "no_child", "after_shift", "to_submission", "to_review"})
INCIDENT_FIGURES = (
    "incidents", "no_child", "child_identified", "referrals", "completion", "voice_words",
    "spoken_alone", "seen", "demeanour", "to_submission", "after_shift", "returned",
    "officer_below", "supervisor_changed",
)  # fmt: skip


def _from_counts(c: dict[str, int]) -> dict[str, Figure]:
    """Each incident figure of one roll-up group (app/coaching/rollup_tables.py's counts)."""
    out = {
        "incidents": Figure("incidents", c["incidents"]),
        "no_child": Figure("no_child", c["no_child"]),
        "after_shift": Figure("after_shift", c["after_shift"]),
        "to_submission": Figure("to_submission", c["timed"], short=c["after_shift"]),
        "completion": Figure(
            "completion", c["answered"], c["applicable"], short=c["completion_short"]
        ),
    }
    for key in ("child_identified", "referrals"):
        out[key] = Figure(key, c[key], c["incidents"], short=c["incidents"] - c[key])
    for key in REFERRAL_SHARES:
        out[key] = Figure(key, c[key], c["submitted"], short=c["submitted"] - c[key])
    for key, (whole, part) in SHARES.items():
        out[key] = Figure(key, c[part], c[whole], short=c[key + "_short"])
    return out


def empty() -> dict[str, Figure]:
    return {
        k: Figure(k, total=None if k in NUMBERS else 0) for k in (*INCIDENT_FIGURES, "to_review")
    } | {"overdue": Figure("overdue", total=0)}


@dataclass
class Tally:
    """The figures of a view, and the incident figures of each team and each week in it."""

    figures: dict[str, Figure] = field(default_factory=empty)
    by_team: dict[Any, dict[str, Figure]] = field(default_factory=dict)
    by_week: dict[int, dict[str, Figure]] = field(default_factory=dict)


def _week_index(ends: Sequence[datetime]) -> ColumnElement[int]:
    """Which week a roll-up day falls in: the index of the first week ending after it
    (``ends`` are each week's end, in order)."""
    if not ends:
        return literal(0)
    day = daily_tally.c.day
    return case(
        *((day < end.astimezone(UTC).date(), n) for n, end in enumerate(ends)),
        else_=len(ends) - 1,
    )


def _rolled(scope: Scope, period: Period, week_ends: Sequence[datetime]) -> Select[Any]:
    """The roll-up's counts of the scope and period, by team, week and incident type: its cost
    grows with days x teams x officers x types, not with incidents."""
    d = daily_tally.c
    keys = (d.team_id, _week_index(week_ends), d.incident_type)
    query = (
        select(*keys, *(func.sum(d[name]) for name in COUNTS))
        .where(d.team_id.in_(scope.team_ids), d.day >= period.start, d.day <= period.end)
        .group_by(*keys)
    )
    if scope.officer_id is not None:
        query = query.where(d.officer_id == scope.officer_id)
    return query


def tally(
    *,
    session: Session,
    scope: Scope,
    period: Period,
    now: datetime,
    week_ends: Sequence[datetime] = (),
) -> Tally:
    """Every figure of the view; ``week_ends`` (each week's end, in order) splits it by week."""
    quick_plans(session)
    m = Measures(now)
    out = Tally()
    for team, week, kind, *values in session.execute(_rolled(scope, period, week_ends)):
        row = _from_counts({n: int(v or 0) for n, v in zip(COUNTS, values, strict=True)})
        for target in (
            out.figures,
            out.by_team.setdefault(team, empty()),
            out.by_week.setdefault(int(week), empty()),
        ):
            for key, figure in row.items():
                target[key].add(figure)
        out.figures.setdefault("type." + kind, Figure("type." + kind)).add(row["incidents"])
    base = scoped(select(col(Incident.id)), scope, period)
    out.figures["to_submission"].hours = _hours(
        median(session, base.with_only_columns(m.to_submission_ms).where(m.timed))
    )
    _reviews(session, base, now, out.figures)
    return out


def _reviews(session: Session, base: Select[Any], now: datetime, found: dict[str, Figure]) -> None:
    """Time to review and overdue reviews: one row a referral version (each review worked out
    once, in a materialised CTE)."""
    v: Any = aliased(ReferralVersion)
    reviews = (
        base.with_only_columns(
            v.submitted_at.label("submitted_at"),
            v.officer_grade.label("grade"),
            review_ended(v).label("ended"),
            case((v.version == col(R.version), 1), else_=0).label("current"),
        )
        .join(v, v.referral_id == col(R.id))
        .cte("reviews")
        .prefix_with("MATERIALIZED")
    )
    c = reviews.c
    f = lateness(c.submitted_at, c.grade, c.ended, c.current == 1, now)
    spans = select(ms_between(c.submitted_at, c.ended)).where(c.ended.is_not(None))
    reviewed, counted, late, on_time, middle = session.execute(
        select(
            func.count(c.ended),
            _n(f.counted),
            _n(f.late),
            _n(and_(f.counted, not_(f.late))),
            median_of(spans),
        )
    ).one()
    found["to_review"] = Figure("to_review", int(reviewed))
    found["to_review"].hours = _hours(number(middle))
    found["overdue"] = Figure("overdue", int(late), int(counted), short=int(on_time))


def compute(*, session: Session, scope: Scope, period: Period, now: datetime) -> dict[str, Figure]:
    return tally(session=session, scope=scope, period=period, now=now).figures


def incidents(
    *, session: Session, scope: Scope, period: Period, now: datetime, figure: str, part: str
) -> Select[Any]:
    """The ids of the incidents behind one part (``met``, ``short`` or ``all``) of a figure."""
    parts = Measures(now).parts(figure)
    if parts is None:
        raise UnknownFigure()
    cond = {"met": parts.met, "short": parts.short}.get(part, parts.all)
    return scoped(select(col(Incident.id)), scope, period).where(cond)
