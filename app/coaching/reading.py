"""A coach's read-only view of an incident in a team they coach. Every read is audited, as the
referral document's reads are (DPA 2018 s62)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from app.accounts.service import Principal
from app.audit import service as audit
from app.checklist import answers as engine
from app.checklist import facts as read
from app.checklist import summary
from app.checklist.models import Incident
from app.coaching import feedback, outcomes
from app.coaching.models import Feedback
from app.errors import NotFound
from app.referrals import service as referrals
from app.referrals.models import MashOutcome, Referral

PURPOSE = "child protection coaching (read only)"


class IncidentNotFound(NotFound):
    code = "incident_not_found"


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    referral: Referral | None
    groups: list[summary.Group]
    outcomes: list[MashOutcome]
    feedback: list[Feedback]


def open_incident(
    *, session: Session, coach: Principal, incident_id: uuid.UUID, ip: str = ""
) -> IncidentView:
    incident = session.get(Incident, incident_id)
    if incident is None or incident.team_id not in coach.coaches:
        raise IncidentNotFound()
    referral = referrals.for_incident(session=session, incident_id=incident.id)
    audit.record(
        session=session,
        action="incident.read.coaching",
        actor_id=coach.id,
        actor_name=coach.user.username,
        object_type="incident",
        object_id=str(incident.id),
        reason=PURPOSE,
        detail={"reference": incident.reference or ""},
        ip=ip,
    )
    session.commit()
    ps = read.prompt_set(incident.prompt_set_version)
    groups = summary.summarise(ps, engine.prune_hidden(ps, incident.answers)[0]) if ps else []
    found = outcomes.for_referral(session=session, referral_id=referral.id) if referral else []
    notes = feedback.for_referral(session=session, referral_id=referral.id) if referral else []
    return IncidentView(incident, referral, groups, found, notes)
