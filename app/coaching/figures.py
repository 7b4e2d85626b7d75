"""The dashboard's figures, counted by SQL over the incidents' summary rows and the referral
tables (app/coaching/measures.py says what each counts): a few aggregate queries a view, however
many incidents, and the incidents behind any part of a figure as one SQL filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Select
from sqlmodel import Session, col

from app.checklist.models import Incident
from app.coaching.measures import (
    CHILD_SHARES,
    HOUR_MS,
    SHIFT,
    Measures,
    S,
    scoped,
    version_facts,
)
from app.coaching.scope import Period, Scope
from app.coaching.sql import median, ms_between
from app.errors import NotFound
from app.referrals.models import Referral, ReferralVersion

__all__ = ["SHIFT", "Figure", "UnknownFigure", "compute", "grouped", "incidents"]


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


def _n(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _sum(column: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(column), 0)


def _hours(ms: float | None) -> float | None:
    return None if ms is None else round(ms / HOUR_MS, 1)


GROUPED = ("incidents", "referrals", "completion", "voice_words")


def _incident_columns(m: Measures, keys: tuple[str, ...]) -> dict[str, tuple[Any, ...]]:
    """For each figure: the SQL of its count, its total (None for a number) and its short."""
    out: dict[str, tuple[Any, ...]] = {}
    for key in keys:
        parts = m.parts(key)
        assert parts is not None
        if key == "completion":
            out[key] = (_sum(col(S.answered)), _sum(col(S.applicable)), _n(parts.short))
        elif key in CHILD_SHARES:
            whole, part = CHILD_SHARES[key]
            out[key] = (_sum(col(part)), _sum(col(whole)), _n(parts.short))
        elif key in ("incidents", "no_child", "after_shift", "to_submission"):
            out[key] = (_n(parts.met), None, _n(parts.short))
        else:
            out[key] = (_n(parts.met), _n(parts.all), _n(parts.short))
    return out


def _aggregate(
    session: Session, query: Select[Any], m: Measures, keys: tuple[str, ...], group: Any = None
) -> dict[Any, dict[str, Figure]]:
    columns = _incident_columns(m, keys)
    selected: list[Any] = [] if group is None else [group.label("g")]
    for count, total, short in columns.values():
        selected += [count, short] if total is None else [count, total, short]
    query = query.with_only_columns(*selected)
    if group is not None:
        query = query.group_by(group)
    out: dict[Any, dict[str, Figure]] = {}
    for row in session.exec(query):  # type: ignore[call-overload]
        values = list(row[1:] if group is not None else row)
        figures: dict[str, Figure] = {}
        for key, (_, total, _s) in columns.items():
            if total is None:
                count, short = values.pop(0), values.pop(0)
                figures[key] = Figure(key, int(count), short=int(short))
            else:
                count, out_of, short = values.pop(0), values.pop(0), values.pop(0)
                figures[key] = Figure(key, int(count), int(out_of), short=int(short))
        out[row[0] if group is not None else None] = figures
    return out


INCIDENT_FIGURES = (
    "incidents", "no_child", "child_identified", "referrals", "completion", "voice_words",
    "spoken_alone", "seen", "demeanour", "to_submission", "after_shift", "returned",
    "officer_below", "supervisor_changed",
)  # fmt: skip


def compute(*, session: Session, scope: Scope, period: Period, now: datetime) -> dict[str, Figure]:
    m = Measures(now)
    base = scoped(select(col(Incident.id)), scope, period)
    found = _aggregate(session, base, m, INCIDENT_FIGURES)[None]
    types = base.with_only_columns(col(S.incident_type), func.count()).group_by(
        col(S.incident_type)
    )
    for kind, count in session.exec(types):  # type: ignore[call-overload]
        found["type." + kind] = Figure("type." + kind, int(count))
    found["to_submission"].hours = _hours(
        median(session, base.with_only_columns(m.to_submission_ms).where(m.timed))
    )
    v: Any = aliased(ReferralVersion)
    f = version_facts(v, now)
    versions = base.join(v, v.referral_id == col(Referral.id))
    reviewed, counted, late, on_time = session.exec(  # type: ignore[call-overload]
        versions.with_only_columns(
            func.count(f.ended), _n(f.counted), _n(f.late), _n(and_(f.counted, not_(f.late)))
        )
    ).one()
    found["to_review"] = Figure("to_review", int(reviewed))
    found["to_review"].hours = _hours(
        median(
            session,
            versions.with_only_columns(ms_between(v.submitted_at, f.ended)).where(
                f.ended.is_not(None)
            ),
        )
    )
    found["overdue"] = Figure("overdue", int(late), int(counted), short=int(on_time))
    return found


def grouped(
    *, session: Session, scope: Scope, period: Period, now: datetime, group: Any
) -> dict[Any, dict[str, Figure]]:
    """Incidents, referrals, completion and the voice of the child for each value of
    ``group`` (an SQL expression over the incident: its team, its week)."""
    base = scoped(select(col(Incident.id)), scope, period)
    return _aggregate(session, base, Measures(now), GROUPED, group)


def empty(keys: tuple[str, ...] = GROUPED) -> dict[str, Figure]:
    shares = {"referrals", "completion", "voice_words"}
    return {k: Figure(k, total=0 if k in shares else None) for k in keys}


def incidents(
    *, session: Session, scope: Scope, period: Period, now: datetime, figure: str, part: str
) -> Select[Any]:
    """The ids of the incidents behind one part (``met``, ``short`` or ``all``) of a figure."""
    parts = Measures(now).parts(figure)
    if parts is None:
        raise UnknownFigure()
    cond = {"met": parts.met, "short": parts.short}.get(part, parts.all)
    return scoped(select(col(Incident.id)), scope, period).where(cond)
