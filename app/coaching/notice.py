"""Children to notice: child-related incidents closed as no child identified, drafts left
unsubmitted after a shift, and households with 3 or more referrals in 90 days."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.checklist.models import Incident, IncidentStatus
from app.coaching import answers as read
from app.coaching.figures import SHIFT
from app.coaching.records import Record
from app.coaching.scope import Period, Scope
from app.referrals.models import Referral

HOUSEHOLD_WINDOW = timedelta(days=90)
HOUSEHOLD_REFERRALS = 3
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def normalise_address(address: str) -> str:
    """Case, spaces and punctuation do not tell two addresses apart."""
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", address.casefold())).strip()


def closed_without_child(records: Iterable[Record]) -> list[Incident]:
    return [
        r.incident
        for r in records
        if r.incident.status == IncidentStatus.NO_CHILD
        and read.incident_type(r.incident.answers) in read.CHILD_TYPES
    ]


def stale_drafts(records: Iterable[Record], now: datetime) -> list[Incident]:
    """Drafts not submitted a shift (10 hours) after the incident (or, without its time, after
    the draft was started)."""
    found = []
    for r in records:
        if r.incident.status != IncidentStatus.DRAFT:
            continue
        happened = read.incident_time(r.incident.answers) or r.incident.created_at
        if now - happened > SHIFT:
            found.append(r.incident)
    return found


@dataclass(frozen=True)
class Household:
    address: str  # as first written
    incidents: list[Incident]  # oldest referral first


def households(*, session: Session, scope: Scope, period: Period) -> list[Household]:
    """Addresses with 3+ referrals submitted in the 90 days to the period's end."""
    if not scope.team_ids:
        return []
    query = (
        select(Incident)
        .join(Referral, col(Referral.incident_id) == col(Incident.id))
        .where(
            col(Referral.team_id).in_(scope.team_ids),
            col(Referral.created_at) >= period.until - HOUSEHOLD_WINDOW,
            col(Referral.created_at) < period.until,
        )
        .order_by(col(Referral.created_at))
    )
    if scope.officer_id is not None:
        query = query.where(Referral.officer_id == scope.officer_id)
    groups: dict[str, list[Incident]] = defaultdict(list)
    for incident in session.exec(query):
        address = incident.answers.get("incident.address")
        if isinstance(address, str) and normalise_address(address):
            groups[normalise_address(address)].append(incident)
    return [
        Household(str(found[0].answers["incident.address"]), found)
        for found in groups.values()
        if len(found) >= HOUSEHOLD_REFERRALS
    ]


def household_incidents(found: Iterable[Household]) -> set[uuid.UUID]:
    return {i.id for h in found for i in h.incidents}
