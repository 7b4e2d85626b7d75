"""The officer's incidents: start, answer (autosave), close at the gate, and what is missing.

Every save merges into the stored answers, drops answers whose show condition no longer holds,
and is refused (or, for forms, trimmed) when a value is invalid. One commit per action, with
its audit entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts.service import Principal
from app.audit import service as audit
from app.checklist import answers as engine
from app.checklist import promptset, risk
from app.checklist.models import Incident, IncidentStatus
from app.errors import DomainError, InvalidTransition, NotFound
from app.models_base import utcnow

OVERRIDE_REASON = "risk.override_reason"
OFFICER_GRADE = "risk.officer_grade"
DECLARATION = "declaration.confirmed"


class IncidentNotFound(NotFound):
    code = "incident_not_found"


class IncidentLocked(InvalidTransition):
    """The incident is submitted or closed: its answers can no longer change here."""

    code = "incident_locked"


class CannotClose(DomainError):
    status_code = 422
    code = "cannot_close"


def prompt_set_of(incident: Incident) -> promptset.PromptSet:
    """The version the incident was answered under: it is always shown with that version."""
    return promptset.load_version(incident.prompt_set_version)


def prompt_set_of_version(version: int) -> promptset.PromptSet:
    return promptset.load_version(version)


def _audit(
    session: Session, officer: Principal, action: str, incident: Incident, **detail: Any
) -> None:
    audit.record(
        session=session,
        action=action,
        actor_id=officer.id,
        actor_name=officer.user.username,
        object_type="incident",
        object_id=str(incident.id),
        detail=detail,
    )


def start(*, session: Session, officer: Principal, client_uuid: uuid.UUID) -> tuple[Incident, bool]:
    """A new draft, or the officer's existing one with this client UUID (a retried request)."""
    existing = session.exec(select(Incident).where(Incident.client_uuid == client_uuid)).first()
    if existing is not None:
        if existing.officer_id != officer.id:
            raise IncidentNotFound()
        return existing, False
    incident = Incident(
        client_uuid=client_uuid,
        officer_id=officer.id,
        team_id=next(iter(sorted(officer.member_of)), None),
        prompt_set_version=promptset.current().version,
    )
    session.add(incident)
    _audit(session, officer, "incident.created", incident)
    try:
        session.commit()
    except IntegrityError:  # the same client UUID, twice at once: the other request won
        session.rollback()
        winner = session.exec(select(Incident).where(Incident.client_uuid == client_uuid)).first()
        if winner is None or winner.officer_id != officer.id:
            raise
        return winner, False
    return incident, True


def get_own(
    *, session: Session, officer: Principal, incident_id: uuid.UUID, for_update: bool = False
) -> Incident:
    """The officer's own incident; anyone else's is simply not found (nothing is revealed).
    ``for_update`` locks the row until commit, so saves and a submit never overlap."""
    query = select(Incident).where(Incident.id == incident_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    incident = session.exec(query).first()
    if incident is None or incident.officer_id != officer.id:
        raise IncidentNotFound()
    return incident


def list_own(*, session: Session, officer: Principal) -> list[Incident]:
    query = (
        select(Incident)
        .where(Incident.officer_id == officer.id)
        .order_by(col(Incident.updated_at).desc())
    )
    return list(session.exec(query))


def merge(current: Mapping[str, Any], updates: Mapping[str, Any]) -> dict[str, Any]:
    """Top-level merge: a key sent replaces that key (a repeat is replaced whole); a key sent
    as null clears that answer."""
    merged = {**current, **updates}
    return {k: v for k, v in merged.items() if v is not None}


@dataclass(frozen=True)
class Preview:
    answers: dict[str, Any]  # merged and pruned
    dropped: list[str]  # answers removed because their show condition does not hold
    errors: dict[str, str]  # path -> plain-English message


def reference_day(answers: Mapping[str, Any]) -> date | None:
    when = engine.parse_datetime(answers.get("incident.datetime"))
    return when.date() if when else None


def preview(
    ps: promptset.PromptSet, current: Mapping[str, Any], updates: Mapping[str, Any]
) -> Preview:
    pruned, dropped = engine.prune_hidden(ps, merge(current, updates))
    errors = engine.validate_values(ps, pruned)
    return Preview(answers=pruned, dropped=dropped, errors=errors)


def save(
    *,
    session: Session,
    officer: Principal,
    incident_id: uuid.UUID,
    updates: Mapping[str, Any],
) -> tuple[Incident, Preview]:
    """Merge `updates` into the draft. With any invalid value nothing is saved (see `errors`)."""
    incident = get_own(session=session, officer=officer, incident_id=incident_id, for_update=True)
    if incident.status != IncidentStatus.DRAFT:
        raise IncidentLocked()
    result = preview(prompt_set_of(incident), incident.answers, updates)
    if result.errors:
        return incident, result
    if result.answers != incident.answers:
        incident.answers = result.answers
        incident.revision += 1
        incident.updated_at = utcnow()
        session.add(incident)
        _audit(
            session,
            officer,
            "incident.answers_saved",
            incident,
            prompts=sorted(updates)[:50],
            dropped=result.dropped[:50],
        )
        session.commit()
    return incident, result


@dataclass(frozen=True)
class Status:
    assessment: risk.Assessment
    missing: list[str]  # paths still required before submission
    sections: dict[str, engine.SectionStatus]
    gate_closes: bool  # both gate answers are "no": the incident closes with a reason


def gate_closes(answers: Mapping[str, Any]) -> bool:
    return answers.get("gate.children_present") is False and answers.get("gate.pregnancy") is False


def status_of(ps: promptset.PromptSet, answers: Mapping[str, Any]) -> Status:
    pruned, _ = engine.prune_hidden(ps, answers)
    assessment = risk.assess(pruned, on=reference_day(pruned))
    missing = engine.missing_required(ps, pruned)
    closes = gate_closes(pruned)
    if not closes:
        missing += submission_extras(pruned, assessment)
    return Status(
        assessment=assessment,
        missing=missing,
        sections={s.id: engine.section_status(ps, s.id, pruned) for s in ps.sections},
        gate_closes=closes,
    )


def submission_extras(answers: Mapping[str, Any], assessment: risk.Assessment) -> list[str]:
    """Rules the prompt file cannot say: an override reason when grading below the suggestion,
    and a declaration that is actually confirmed."""
    extras: list[str] = []
    chosen = answers.get(OFFICER_GRADE)
    if (
        isinstance(chosen, str)
        and chosen in risk.Grade.__members__.values()
        and risk.is_lower(risk.Grade(chosen), assessment.grade)
        and not engine.has_answer(answers.get(OVERRIDE_REASON))
    ):
        extras.append(OVERRIDE_REASON)
    if answers.get(DECLARATION) is False and DECLARATION not in extras:
        extras.append(DECLARATION)
    return extras


def close_no_child(*, session: Session, officer: Principal, incident_id: uuid.UUID) -> Incident:
    """Close at the gate: no child present or linked, and no pregnancy; the reason is required."""
    incident = get_own(session=session, officer=officer, incident_id=incident_id)
    if incident.status == IncidentStatus.NO_CHILD:
        return incident  # a retried request
    if incident.status != IncidentStatus.DRAFT:
        raise IncidentLocked()
    answers = incident.answers
    if not gate_closes(answers) or not engine.has_answer(answers.get("gate.no_child_reason")):
        raise CannotClose()
    incident.status = IncidentStatus.NO_CHILD
    incident.closed_at = utcnow()
    incident.updated_at = incident.closed_at
    session.add(incident)
    _audit(session, officer, "incident.closed_no_child", incident)
    session.commit()
    return incident
