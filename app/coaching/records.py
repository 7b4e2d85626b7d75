"""Reading what coaches count: the incidents of a scope and period with their referrals,
submitted versions and supervisors' decisions (a few set-based queries, no query per row)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.checklist.models import Incident
from app.coaching import answers as read
from app.coaching.scope import Period, Scope
from app.referrals.models import Referral, ReferralVersion, ReviewDecision


@dataclass
class Record:
    incident: Incident
    referral: Referral | None = None
    versions: list[ReferralVersion] = field(default_factory=list)  # oldest first
    decisions: list[ReviewDecision] = field(default_factory=list)  # oldest first

    @cached_property
    def facts(self) -> read.Facts | None:
        """What the figures read in the answers: worked out once, however many of the
        dashboard's tables count this incident (None under a prompt set this build lacks)."""
        ps = read.prompt_set(self.incident.prompt_set_version)
        return None if ps is None else read.facts(ps, self.incident.answers)


def incident_query(scope: Scope, since: datetime, until: datetime) -> SelectOfScalar[Incident]:
    """Incidents of the scope started in [since, until)."""
    query = select(Incident).where(
        col(Incident.team_id).in_(scope.team_ids),
        col(Incident.created_at) >= since,
        col(Incident.created_at) < until,
    )
    if scope.officer_id is not None:
        query = query.where(Incident.officer_id == scope.officer_id)
    return query


def load(*, session: Session, scope: Scope, period: Period) -> list[Record]:
    if not scope.team_ids:
        return []
    incidents = incident_query(scope, period.since, period.until)
    records = {
        i.id: Record(i)
        for i in session.exec(incidents.order_by(col(Incident.created_at), col(Incident.id)))
    }
    ids = incidents.with_only_columns(col(Incident.id)).scalar_subquery()
    referrals = {
        r.id: r for r in session.exec(select(Referral).where(col(Referral.incident_id).in_(ids)))
    }
    for referral in referrals.values():
        records[referral.incident_id].referral = referral
    by_referral: dict[uuid.UUID, Record] = {
        r.id: records[r.incident_id] for r in referrals.values()
    }
    referral_ids = select(Referral.id).where(col(Referral.incident_id).in_(ids)).scalar_subquery()
    for version in session.exec(
        select(ReferralVersion)
        .where(col(ReferralVersion.referral_id).in_(referral_ids))
        .order_by(col(ReferralVersion.version))
    ):
        by_referral[version.referral_id].versions.append(version)
    for decision in session.exec(
        select(ReviewDecision)
        .where(col(ReviewDecision.referral_id).in_(referral_ids))
        .order_by(col(ReviewDecision.at))
    ):
        by_referral[decision.referral_id].decisions.append(decision)
    return list(records.values())


def incidents_by_id(*, session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, Incident]:
    if not ids:
        return {}
    return {i.id: i for i in session.exec(select(Incident).where(col(Incident.id).in_(ids)))}
