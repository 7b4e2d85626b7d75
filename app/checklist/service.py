"""The officer's incidents: start, answer (autosave), close at the gate, and what is missing.

Every save merges into the stored answers (lists matched by item id) and is refused (or, for
forms, trimmed) when a value is invalid. A draft keeps answers whose prompt a later answer hides;
they are dropped only when the referral is frozen at submission. One commit per action, with its
audit entry; every write locks the incident row at its first read.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts.service import Principal
from app.audit import service as audit
from app.checklist import answers as engine
from app.checklist import promptset, risk
from app.checklist.answers import items
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


class StaleRevision(DomainError):
    """The change was made from an older copy of the incident than the one stored (412)."""

    status_code = 412
    code = "stale_revision"

    def __init__(self, incident: Incident) -> None:
        super().__init__("the incident changed since this copy was read")
        self.incident = incident


def prompt_set_of(incident: Incident) -> promptset.PromptSet:
    """The version the incident was answered under: it is always shown with that version."""
    return promptset.load_version(incident.prompt_set_version)


def prompt_set_of_version(version: int) -> promptset.PromptSet:
    return promptset.load_version(version)


def record_change(
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
    try:
        session.add(incident)
        session.flush()  # the unique client UUID is checked here (or at the audit's autoflush)
        record_change(session, officer, "incident.created", incident)
        session.commit()
    except IntegrityError:  # the same client UUID, twice at once: the other request won
        session.rollback()
        winner = session.exec(select(Incident).where(Incident.client_uuid == client_uuid)).first()
        if winner is None or winner.officer_id != officer.id:
            raise
        return winner, False
    return incident, True


# Every screen and every save reads its incident: the statements are built once.
_ONE = select(Incident).where(col(Incident.id) == bindparam("incident_id"))
_ONE_LOCKED = _ONE.with_for_update().execution_options(populate_existing=True)


def get_own(
    *, session: Session, officer: Principal, incident_id: uuid.UUID, for_update: bool = False
) -> Incident:
    """The officer's own incident; anyone else's is simply not found (nothing is revealed).
    ``for_update`` locks the row until commit, so saves and a submit never overlap."""
    query = _ONE_LOCKED if for_update else _ONE
    incident = session.exec(query, params={"incident_id": incident_id}).first()
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


_UNSET = object()


@dataclass(frozen=True)
class Preview:
    answers: dict[str, Any]  # what a save stores: every answer, those hidden for now included
    shown: dict[str, Any]  # the answers whose prompts show: what is validated and counted
    unknown: list[str]  # paths of keys that are not prompts here: reported, never stored
    errors: dict[str, str]  # path -> plain-English message

    def hidden(self, ps: promptset.PromptSet) -> dict[str, Any]:
        return hidden_answers(ps, self.answers, self.shown)


def hidden_answers(
    ps: promptset.PromptSet, answers: Mapping[str, Any], shown: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``{path: value}`` of answers kept in the draft whose prompt is hidden by a later answer:
    not shown, validated or counted, and back as they were if the prompt shows again."""
    if shown is None:
        shown, _ = engine.prune_hidden(ps, answers)
    visible = {path for path, _ in items.leaves(ps, shown)}
    return {path: v for path, v in items.leaves(ps, answers) if path not in visible}


def reference_day(answers: Mapping[str, Any]) -> date | None:
    when = engine.parse_datetime(answers.get("incident.datetime"))
    return when.date() if when else None


def _list_label(ps: promptset.PromptSet, path: str) -> str:
    key = path.rsplit("[", 1)[0].rsplit("].", 1)[-1]
    if key in ps.repeat_sections:
        return ps.repeat_sections[key][0].title
    return ps.prompt(key).label


def preview(
    ps: promptset.PromptSet, current: Mapping[str, Any], updates: Mapping[str, Any]
) -> Preview:
    """``updates`` applied to ``current`` (lists matched by item id), checked. Values that show
    are checked, and so are values new in this update that are hidden for now; hidden values
    already stored are not checked again (nothing typed is thrown away in a draft)."""
    merged, id_problems = items.merge(ps, current, updates)
    stored, unknown = items.strip_unknown(ps, merged)
    shown, _ = engine.prune_hidden(ps, stored)
    errors = engine.validate_values(ps, shown)
    before = dict(items.leaves(ps, current))
    for path, message in engine.validate_values(ps, stored).items():
        if before.get(path, _UNSET) != items.value_at(stored, path):
            errors.setdefault(path, message)
    for path in id_problems:
        errors[path] = ps.message("repeat", None, label=_list_label(ps, path))
    for path, key, count in items.lists_in(ps, stored):
        if count > ps.max_items(key):
            errors[path] = ps.too_many_items(key, _list_label(ps, path + "[0]"))
    return Preview(answers=stored, shown=shown, unknown=unknown, errors=errors)


def check_revision(incident: Incident, if_match: int | None) -> None:
    """Refuse a change made from an old copy: ``if_match`` is the revision it was made from."""
    if if_match is not None and if_match != incident.revision:
        raise StaleRevision(incident)


@dataclass(frozen=True)
class Snapshot:
    """An incident's answers, revision and time of last change as its transaction left them:
    read after the commit (or rollback) without reading the row again."""

    answers: dict[str, Any]
    revision: int
    updated_at: datetime | None

    @classmethod
    def of(cls, incident: Incident) -> Snapshot:
        return cls(incident.answers, incident.revision, incident.updated_at)


def store(
    *, session: Session, officer: Principal, incident: Incident, result: Preview, prompts: list[str]
) -> Snapshot:
    """Store a checked preview of the incident (locked by the caller's read) and commit;
    returns the incident as stored."""
    if result.answers != incident.answers:
        incident.answers = result.answers
        incident.revision += 1
        incident.updated_at = utcnow()
        session.add(incident)
        record_change(session, officer, "incident.answers_saved", incident, prompts=prompts[:50])
    stored = Snapshot.of(incident)
    session.commit()
    return stored


def save(
    *,
    session: Session,
    officer: Principal,
    incident_id: uuid.UUID,
    updates: Mapping[str, Any],
    if_match: int | None = None,
) -> tuple[Incident, Preview]:
    """Merge `updates` into the draft. With any invalid value nothing is saved (see `errors`).
    The incident is locked from its first read, so two saves at once never lose either."""
    incident = get_own(session=session, officer=officer, incident_id=incident_id, for_update=True)
    if incident.status != IncidentStatus.DRAFT:
        raise IncidentLocked()
    check_revision(incident, if_match)
    result = preview(prompt_set_of(incident), incident.answers, updates)
    if result.errors:
        session.rollback()
        return incident, result
    store(
        session=session, officer=officer, incident=incident, result=result, prompts=sorted(updates)
    )
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
    assessment = risk.assess(pruned, on=reference_day(pruned), version=ps.version)
    missing = engine.missing_required(ps, pruned)
    closes = gate_closes(pruned)
    if not closes:
        missing += submission_extras(pruned, assessment, version=ps.version)
    return Status(
        assessment=assessment,
        missing=missing,
        sections={s.id: engine.section_status(ps, s.id, pruned) for s in ps.sections},
        gate_closes=closes,
    )


# From v2: a high suggested grade is phoned through before submission (think-child-v2.md).
URGENT_CALL = ("action.urgent_call_to", "action.urgent_call_time", "action.urgent_call_agreed")


def submission_extras(
    answers: Mapping[str, Any], assessment: risk.Assessment, *, version: int = 1
) -> list[str]:
    """Rules the prompt file cannot say: an override reason when grading below the suggestion,
    a declaration that is actually confirmed and, from v2, the urgent call (who, when, what was
    agreed) when the suggested grade is high."""
    extras: list[str] = []
    if version >= 2 and assessment.grade is risk.Grade.HIGH:
        extras += [p for p in URGENT_CALL if not engine.has_answer(answers.get(p))]
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
