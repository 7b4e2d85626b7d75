"""Children to notice: child-related incidents closed as no child identified, drafts left
unsubmitted after a shift, and households with 3 or more referrals in 90 days. Each list is
chosen by SQL over the roll-up's row an incident (``incident_tally``, counted afresh before
the dashboard reads it: app/coaching/rollup.py); only the incidents listed are read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.selectable import Select
from sqlmodel import Session, col, select

from app.checklist.facts import CHILD_TYPES, normalise_address
from app.checklist.models import Incident, IncidentStatus
from app.coaching.measures import SHIFT
from app.coaching.rollup_tables import incident_tally
from app.coaching.scope import Period, Scope

__all__ = [
    "Household", "closed_without_child", "count", "households", "normalise_address", "read",
]  # fmt: skip
HOUSEHOLD_WINDOW = timedelta(days=90)
HOUSEHOLD_REFERRALS = 3
T = incident_tally.c


def read(
    session: Session, ids: Select[Any], limit: int | None = None, offset: int = 0
) -> list[Incident]:
    """The incidents whose ids the query selects (its columns ``id``, ``started_at``), oldest
    first (``limit`` of them from ``offset``; all without a limit). A page is chosen among the
    ids (an index's columns) before any incident is read."""
    chosen: Any = ids.subquery()
    if limit is not None or offset:
        page = select(chosen).order_by(chosen.c.started_at, chosen.c.id)
        chosen = page.offset(offset).limit(limit).subquery()
    query = (
        select(Incident)
        .join(chosen, col(Incident.id) == chosen.c.id)
        .order_by(col(Incident.created_at), col(Incident.id))
    )
    return list(session.exec(query))


def count(session: Session, ids: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(ids.subquery())) or 0)


def _listed(scope: Scope, period: Period, status: IncidentStatus) -> Any:
    """Incidents of the scope started in the period with this status (from the roll-up's row an
    incident: one index range per team)."""
    query = select(T.incident_id.label("id"), T.started_at).where(
        T.team_id.in_(scope.team_ids),
        T.status == status.value,
        T.started_at >= period.since,
        T.started_at < period.until,
    )
    if scope.officer_id is not None:
        query = query.where(T.officer_id == scope.officer_id)
    return query


def closed_without_child(scope: Scope, period: Period) -> Select[Any]:
    listed: Select[Any] = _listed(scope, period, IncidentStatus.NO_CHILD)
    return listed.where(T.incident_type.in_(sorted(CHILD_TYPES)))


def stale_drafts(scope: Scope, period: Period, now: datetime) -> Select[Any]:
    """Drafts not submitted a shift (10 hours) after the incident (or, without its time, after
    the draft was started)."""
    listed: Select[Any] = _listed(scope, period, IncidentStatus.DRAFT)
    return listed.where(T.happened_at < now - SHIFT)


@dataclass(frozen=True)
class Household:
    address: str  # as first written
    incidents: list[Incident]  # oldest referral first


def households(*, session: Session, scope: Scope, period: Period) -> list[Household]:
    """Addresses with 3+ referrals submitted in the 90 days to the period's end (by the
    referral's team, officer and time), oldest referral first."""
    if not scope.team_ids:
        return []
    # The scope's referrals of the 90 days from one index range a team, each with how many of
    # them share its address: one pass, then only those incidents read.
    window: Any = select(
        T.incident_id,
        T.referred_at,
        T.address_key,
        func.count().over(partition_by=T.address_key).label("referrals"),
    ).where(
        T.referral_team_id.in_(scope.team_ids),
        T.referred_at >= period.until - HOUSEHOLD_WINDOW,
        T.referred_at < period.until,
        T.address_key.is_not(None),
    )
    if scope.officer_id is not None:
        window = window.where(T.referral_officer_id == scope.officer_id)
    busy = window.subquery()
    query = (
        select(Incident, busy.c.address_key)
        .join(busy, col(Incident.id) == busy.c.incident_id)
        .where(busy.c.referrals >= HOUSEHOLD_REFERRALS)
        .order_by(busy.c.referred_at, col(Incident.id))
    )
    groups: dict[str, list[Incident]] = defaultdict(list)
    for incident, key in session.exec(query):
        groups[key or ""].append(incident)
    return [
        Household(str(found[0].answers["incident.address"]), found) for found in groups.values()
    ]
