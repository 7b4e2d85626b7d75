"""Where an incident goes after its draft: closed at the gate (no child identified), frozen
when submitted as a referral, opened again when its referral is returned. Each in the caller's
transaction or its own, with the incident row locked at its first read."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from app.accounts.service import Principal
from app.checklist import answers as engine
from app.checklist.models import Incident, IncidentStatus
from app.checklist.service import (
    IncidentLocked,
    check_revision,
    gate_closes,
    get_own,
    preview,
    prompt_set_of,
    record_change,
)
from app.errors import DomainError
from app.models_base import utcnow


class CannotClose(DomainError):
    status_code = 422
    code = "cannot_close"


def freeze(
    *, session: Session, incident: Incident, answers: dict[str, Any], reference: str
) -> None:
    """Submitted as referral ``reference`` (by the referrals package, in its transaction, with
    the row locked by its first read): the answers are frozen as submitted, hidden answers
    dropped, and the draft can no longer change here."""
    incident.answers = answers
    incident.reference = reference
    incident.revision += 1
    incident.status = IncidentStatus.SUBMITTED
    incident.updated_at = utcnow()
    session.add(incident)


def reopen(*, session: Session, incident_id: uuid.UUID) -> None:
    """Open a submitted incident's answers again for amending (its referral was returned), in
    the caller's transaction: the row is locked, and a copy drawn before is now out of date."""
    query = select(Incident).where(Incident.id == incident_id).with_for_update()
    incident = session.exec(query.execution_options(populate_existing=True)).first()
    if incident is None:
        return
    incident.status = IncidentStatus.DRAFT
    incident.revision += 1
    incident.updated_at = utcnow()
    session.add(incident)


NO_CHILD_REASON = "gate.no_child_reason"


def close_no_child(
    *,
    session: Session,
    officer: Principal,
    incident_id: uuid.UUID,
    if_match: int | None = None,
    reason: str | None = None,
) -> Incident:
    """Close at the gate: no child present or linked, and no pregnancy; the reason is required
    (saved before, or given here as ``reason``, checked like any answer). Closing freezes the
    answers: those hidden by the gate's answers are dropped. Closing again is a retry: the
    closed incident is returned and nothing changes."""
    incident = get_own(session=session, officer=officer, incident_id=incident_id, for_update=True)
    if incident.status == IncidentStatus.NO_CHILD:
        session.rollback()
        return incident  # a retried request
    if incident.status != IncidentStatus.DRAFT:
        raise IncidentLocked()
    check_revision(incident, if_match)
    ps = prompt_set_of(incident)
    current: Mapping[str, Any] = incident.answers
    if reason is not None:
        result = preview(ps, current, {NO_CHILD_REASON: reason})
        if result.errors:
            session.rollback()
            raise CannotClose()
        current = result.answers
    answers, _ = engine.prune_hidden(ps, current)
    if not gate_closes(answers) or not engine.has_answer(answers.get(NO_CHILD_REASON)):
        session.rollback()
        raise CannotClose()
    incident.answers = answers
    incident.revision += 1
    incident.status = IncidentStatus.NO_CHILD
    incident.closed_at = utcnow()
    incident.updated_at = incident.closed_at
    session.add(incident)
    record_change(session, officer, "incident.closed_no_child", incident)
    session.commit()
    return incident
