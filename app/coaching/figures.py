"""The dashboard's figures, counted by SQL over the incidents' summary rows and the referral
tables (app/coaching/measures.py says what each counts). One aggregate query a view, grouped by
team, week and incident type and added up here (every incident figure is a sum), one for the
median time to submit, one for the reviews; and the incidents behind any part of a figure as one
SQL filter. No incident's answers are read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, not_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Select
from sqlmodel import Session, col

from app.checklist.models import Incident
from app.coaching.measures import (
    CHILD_SHARES,
    HOUR_MS,
    Measures,
    R,
    S,
    lateness,
    review_ended,
    scoped,
)
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


def _sum(column: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(column), 0)


def _hours(ms: float | None) -> float | None:
    return None if ms is None else round(ms / HOUR_MS, 1)


NUMBERS = frozenset({"incidents", "no_child", "after_shift", "to_submission", "to_review"})
INCIDENT_FIGURES = (
    "incidents", "no_child", "child_identified", "referrals", "completion", "voice_words",
    "spoken_alone", "seen", "demeanour", "to_submission", "after_shift", "returned",
    "officer_below", "supervisor_changed",
)  # fmt: skip


def _columns(m: Measures) -> dict[str, tuple[Any, ...]]:
    """For each incident figure: the SQL of its count, its total (None for a number) and how
    many fall short (None where that is the total less the count: one test a row, not two)."""
    out: dict[str, tuple[Any, ...]] = {}
    for key in INCIDENT_FIGURES:
        parts = m.parts(key)
        assert parts is not None
        if key == "completion":
            out[key] = (_sum(col(S.answered)), _sum(col(S.applicable)), _n(parts.short))
        elif key in CHILD_SHARES:
            whole, part = CHILD_SHARES[key]
            out[key] = (_sum(col(part)), _sum(col(whole)), _n(parts.short))
        elif key in NUMBERS:
            out[key] = (_n(parts.met), None, _n(parts.short))
        else:  # each incident meets it or falls short: the short ones are the rest
            out[key] = (_n(parts.met), _n(parts.all), None)
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


def _week_index(starts: Sequence[datetime]) -> ColumnElement[int]:
    """Which week an incident was started in: the index of the first week starting after it,
    less one (``starts`` are each week's end, in order)."""
    if not starts:
        return literal(0)
    return case(
        *((col(Incident.created_at) < end, n) for n, end in enumerate(starts)),
        else_=len(starts) - 1,
    )


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
    columns = _columns(m)
    selected: list[Any] = [col(Incident.team_id), _week_index(week_ends), col(S.incident_type)]
    for sql in columns.values():
        selected += [c for c in sql if c is not None]
    base = scoped(select(col(Incident.id)), scope, period)
    query = base.with_only_columns(*selected).group_by(*selected[:3])
    out = Tally()
    for team, week, kind, *values in session.execute(query):
        row: dict[str, Figure] = {}
        for key, (_, total, short) in columns.items():
            count = int(values.pop(0))
            out_of = None if total is None else int(values.pop(0))
            rest = (out_of or 0) - count if short is None else int(values.pop(0))
            row[key] = Figure(key, count, out_of, short=rest)
        for target in (
            out.figures,
            out.by_team.setdefault(team, empty()),
            out.by_week.setdefault(int(week), empty()),
        ):
            for key, figure in row.items():
                target[key].add(figure)
        out.figures.setdefault("type." + kind, Figure("type." + kind)).add(row["incidents"])
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
