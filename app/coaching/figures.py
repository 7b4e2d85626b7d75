"""The dashboard's figures: every incident figure added up from the daily roll-up
(app/coaching/rollup_tables.py, one row a team, day, officer and incident type, kept by
app/coaching/rollup.py), so a view's cost grows with its days, teams and officers, not its
incidents; the medians (time to submit, to review) and reviews waiting now, which cannot be
added up, counted exactly from the roll-up's row an incident and a referral version; and the
incidents behind any part of a figure as one SQL filter (app/coaching/measures.py says what
each counts). No incident's answers are read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.sql.selectable import Select
from sqlmodel import Session, col

from app.checklist.models import Incident
from app.coaching import rollup
from app.coaching.measures import HOUR_MS, REFERRAL_SHARES, Measures, scoped
from app.coaching.rollup_sources import SHARES
from app.coaching.rollup_tables import (
    COUNTS,
    REVIEW_COUNTS,
    daily_tally,
    incident_tally,
    review_tally,
    team_tally,
)
from app.coaching.scope import Period, Scope
from app.coaching.sql import instant, median, quick_plans
from app.errors import NotFound

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


def _week_index(day: Any, ends: Sequence[datetime]) -> ColumnElement[int]:
    """Which week a roll-up day falls in: the index of the first week ending after it
    (``ends`` are each week's end, in order)."""
    if not ends:
        return literal(0)
    return case(
        *((day < end.astimezone(UTC).date(), n) for n, end in enumerate(ends)),
        else_=len(ends) - 1,
    )


def _within(table: Any, scope: Scope, period: Period) -> list[ColumnElement[bool]]:
    """A roll-up table's rows of the scope and period (its days are the incidents' starts)."""
    found = [
        table.c.team_id.in_(scope.team_ids),
        table.c.day >= period.start,
        table.c.day <= period.end,
    ]
    if scope.officer_id is not None:
        found.append(table.c.officer_id == scope.officer_id)
    return found


def _rolled(scope: Scope, period: Period, week_ends: Sequence[datetime]) -> Select[Any]:
    """The roll-up's counts of the scope and period, by team, week and incident type: its cost
    grows with days x teams x types (x officers, for one officer's rows), not with incidents."""
    table = daily_tally if scope.officer_id is not None else team_tally
    d = table.c
    keys = (d.team_id, _week_index(d.day, week_ends), d.incident_type)
    return (
        select(*keys, *(func.sum(d[name]) for name in COUNTS))
        .where(*_within(table, scope, period))
        .group_by(*keys)
    )


def tally(
    *,
    session: Session,
    scope: Scope,
    period: Period,
    now: datetime,
    week_ends: Sequence[datetime] = (),
) -> Tally:
    """Every figure of the view; ``week_ends`` (each week's end, in order) splits it by week.
    What officers changed since the worker last folded is counted first, so it is exact."""
    rollup.catch_up(session)
    quick_plans(session)
    out = Tally()
    reviewed = dict.fromkeys(REVIEW_COUNTS, 0)
    for team, week, kind, *values in session.execute(_rolled(scope, period, week_ends)):
        counts = {n: int(v or 0) for n, v in zip(COUNTS, values, strict=True)}
        row = _from_counts(counts)
        for target in (
            out.figures,
            out.by_team.setdefault(team, empty()),
            out.by_week.setdefault(int(week), empty()),
        ):
            for key, figure in row.items():
                target[key].add(figure)
        out.figures.setdefault("type." + kind, Figure("type." + kind)).add(row["incidents"])
        for key in REVIEW_COUNTS:
            reviewed[key] += counts[key]
    t = incident_tally.c
    times = select(t.to_submission_ms).where(
        *_within(incident_tally, scope, period), t.to_submission_ms.is_not(None)
    )
    out.figures["to_submission"].hours = _hours(median(session, times))
    _reviews(session, scope, period, now, reviewed, out.figures)
    return out


def _reviews(
    session: Session,
    scope: Scope,
    period: Period,
    now: datetime,
    reviewed: dict[str, int],
    found: dict[str, Figure],
) -> None:
    """Time to review (the median, over the period's ended reviews from one index) and overdue
    reviews: those ended, from the roll-up, and those waiting now (few), counted against now."""
    r = review_tally.c
    spans = select(r.review_ms).where(
        *_within(review_tally, scope, period), r.review_ms.is_not(None)
    )
    found["to_review"] = Figure("to_review", reviewed["reviewed"])
    found["to_review"].hours = _hours(median(session, spans))
    waiting, late = session.execute(
        select(func.count(), _n(r.due_at < instant(now))).where(
            *_within(review_tally, scope, period), r.waiting.is_(True)
        )
    ).one()
    counted = reviewed["reviewed"] + int(waiting)
    overdue = reviewed["reviewed_late"] + int(late)
    found["overdue"] = Figure("overdue", overdue, counted, short=counted - overdue)


def compute(*, session: Session, scope: Scope, period: Period, now: datetime) -> dict[str, Figure]:
    return tally(session=session, scope=scope, period=period, now=now).figures


def incidents(
    *, session: Session, scope: Scope, period: Period, now: datetime, figure: str, part: str
) -> Select[Any]:
    """The ids of the incidents behind one part (``met``, ``short`` or ``all``) of a figure
    (columns ``id``, ``started_at``)."""
    parts = Measures(now).parts(figure)
    if parts is None:
        raise UnknownFigure()
    cond = {"met": parts.met, "short": parts.short}.get(part, parts.all)
    started: Any = col(Incident.created_at).label("started_at")
    return scoped(select(col(Incident.id), started), scope, period).where(cond)
