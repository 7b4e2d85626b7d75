"""Children to notice: child-related incidents closed as no child identified, drafts left
unsubmitted after a shift, and households with 3 or more referrals in 90 days. Each list is
chosen by SQL over the incidents' summary rows; only the incidents listed are read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.selectable import Select
from sqlmodel import Session, col, select

from app.checklist.facts import CHILD_TYPES, normalise_address
from app.checklist.models import Incident, IncidentStatus, IncidentSummary
from app.coaching.measures import SHIFT, summarised
from app.coaching.scope import Period, Scope
from app.referrals.models import Referral

__all__ = [
    "Household", "closed_without_child", "count", "households", "normalise_address", "read",
]  # fmt: skip
HOUSEHOLD_WINDOW = timedelta(days=90)
HOUSEHOLD_REFERRALS = 3
S = IncidentSummary


def read(
    session: Session, ids: Select[Any], limit: int | None = None, offset: int = 0
) -> list[Incident]:
    """The incidents whose ids the query selects, oldest first (``limit`` of them from
    ``offset``; all without a limit). A page is chosen among the ids (an index's columns)
    before any incident is read."""
    order = (col(Incident.created_at), col(Incident.id))
    if limit is None and not offset:
        chosen: Any = ids.subquery()
    else:
        chosen = ids.order_by(*order).offset(offset).limit(limit).subquery()
    query = select(Incident).join(chosen, col(Incident.id) == chosen.c.id).order_by(*order)
    return list(session.exec(query))


def count(session: Session, ids: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(ids.subquery())) or 0)


def closed_without_child(scope: Scope, period: Period) -> Select[Any]:
    return summarised(select(col(Incident.id)), scope, period).where(
        col(Incident.status) == IncidentStatus.NO_CHILD.value,
        col(S.incident_type).in_(sorted(CHILD_TYPES)),
    )


def stale_drafts(scope: Scope, period: Period, now: datetime) -> Select[Any]:
    """Drafts not submitted a shift (10 hours) after the incident (or, without its time, after
    the draft was started)."""
    happened = func.coalesce(col(S.incident_time), col(Incident.created_at))
    return summarised(select(col(Incident.id)), scope, period).where(
        col(Incident.status) == IncidentStatus.DRAFT.value, happened < now - SHIFT
    )


@dataclass(frozen=True)
class Household:
    address: str  # as first written
    incidents: list[Incident]  # oldest referral first


def households(*, session: Session, scope: Scope, period: Period) -> list[Household]:
    """Addresses with 3+ referrals submitted in the 90 days to the period's end."""
    if not scope.team_ids:
        return []
    # The scope's referrals of the 90 days (by the referral's team and time: an index range),
    # each with how many of them share its address: one pass, then only those incidents read.
    window: Any = (
        select(
            col(Referral.incident_id).label("incident_id"),
            col(Referral.created_at).label("referred_at"),
            col(S.address_key).label("address_key"),
            func.count().over(partition_by=col(S.address_key)).label("referrals"),
        )
        .join(S, col(S.incident_id) == col(Referral.incident_id))
        .where(
            col(Referral.team_id).in_(scope.team_ids),
            col(Referral.created_at) >= period.until - HOUSEHOLD_WINDOW,
            col(Referral.created_at) < period.until,
            col(S.address_key).is_not(None),
        )
    )
    if scope.officer_id is not None:
        window = window.where(col(Referral.officer_id) == scope.officer_id)
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
