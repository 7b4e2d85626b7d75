"""Submitting an incident as a referral: frozen answers, a reference, exactly once."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts.service import Principal
from app.audit import service as audit
from app.checklist import answers as engine
from app.checklist import lifecycle
from app.checklist import service as checklist
from app.checklist.models import Incident, IncidentStatus
from app.errors import DomainError, InvalidTransition, NotFound
from app.models_base import utcnow
from app.referrals.models import (
    DecisionKind,
    MashOutcome,
    ReferenceCounter,
    Referral,
    ReferralStatus,
    ReferralVersion,
    ReviewDecision,
)


class ReferralNotFound(NotFound):
    code = "referral_not_found"


class IncompleteReferral(DomainError):
    status_code = 422
    code = "incomplete"

    def __init__(self, missing: list[str]) -> None:
        super().__init__("required answers missing")
        self.missing = missing


def next_reference(session: Session, year: int) -> str:
    """TC-YYYY-NNNNNN, unique per year; the counter row is locked while it is taken."""
    query = select(ReferenceCounter).where(ReferenceCounter.year == year).with_for_update()
    counter = session.exec(query).first()
    if counter is None:  # the year's first: make the row, unless another request just did
        try:
            with session.begin_nested():
                session.add(ReferenceCounter(year=year, last=0))
        except IntegrityError:
            pass
        counter = session.exec(query.execution_options(populate_existing=True)).one()
    counter.last += 1
    session.add(counter)
    session.flush()
    return f"TC-{year}-{counter.last:06d}"


def for_incident(*, session: Session, incident_id: uuid.UUID) -> Referral | None:
    return session.exec(select(Referral).where(Referral.incident_id == incident_id)).first()


def submit(
    *, session: Session, officer: Principal, incident_id: uuid.UUID, if_match: int | None = None
) -> Referral:
    """Freeze the draft as a referral version. Submitting again (a retry, a double tap, two
    requests at once) returns the referral that exists and never makes a second one. Answers
    hidden by later answers, kept in the draft until now, are dropped here."""
    incident = session.exec(
        select(Incident)
        .where(Incident.id == incident_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if incident is None or incident.officer_id != officer.id:
        raise checklist.IncidentNotFound()
    existing = for_incident(session=session, incident_id=incident.id)
    if incident.status == IncidentStatus.SUBMITTED and existing is not None:
        return existing
    if incident.status != IncidentStatus.DRAFT:
        raise InvalidTransition()
    checklist.check_revision(incident, if_match)
    ps = checklist.prompt_set_of(incident)
    state = checklist.status_of(ps, incident.answers)
    if state.gate_closes:
        raise InvalidTransition()  # closes as no child identified, not as a referral
    if state.missing:
        raise IncompleteReferral(state.missing)
    answers, _ = engine.prune_hidden(ps, incident.answers)
    now = utcnow()
    officer_grade = str(answers[checklist.OFFICER_GRADE])
    # The officer's team now, not when the incident began: an officer who moved team meanwhile
    # is reviewed by their new team's supervisors (the same choice as at the start).
    team_id = next(iter(sorted(officer.member_of)), None) or incident.team_id
    if existing is None:
        referral = Referral(
            incident_id=incident.id,
            reference=next_reference(session, now.year),
            officer_id=officer.id,
            team_id=team_id,
            grade=officer_grade,
            submitted_at=now,
        )
    else:  # resubmitted after a return: a new version
        if existing.status != ReferralStatus.RETURNED:
            raise InvalidTransition()
        referral = existing
        referral.version += 1
        referral.team_id = team_id
        referral.status = ReferralStatus.SUBMITTED
        referral.grade = officer_grade
        referral.submitted_at = now
    referral.updated_at = now
    session.add(referral)
    session.flush()
    session.add(
        ReferralVersion(
            referral_id=referral.id,
            version=referral.version,
            prompt_set_version=incident.prompt_set_version,
            answers=answers,
            suggested_grade=state.assessment.grade.value,
            reasons=[{**asdict(r), "grade": r.grade.value} for r in state.assessment.reasons],
            officer_grade=officer_grade,
            submitted_by=officer.id,
            submitted_at=now,
        )
    )
    lifecycle.freeze(
        session=session, incident=incident, answers=answers, reference=referral.reference
    )
    audit.record(
        session=session,
        action="referral.submitted",
        actor_id=officer.id,
        actor_name=officer.user.username,
        object_type="referral",
        object_id=str(referral.id),
        detail={"reference": referral.reference, "version": referral.version},
    )
    try:
        session.commit()
    except IntegrityError:  # another request submitted the same incident at the same moment
        session.rollback()
        winner = for_incident(session=session, incident_id=incident_id)
        if winner is None:
            raise
        return winner
    return referral


def get_own_by_reference(*, session: Session, officer: Principal, reference: str) -> Referral:
    referral = session.exec(select(Referral).where(Referral.reference == reference)).first()
    if referral is None or referral.officer_id != officer.id:
        raise ReferralNotFound()
    return referral


def list_own(*, session: Session, officer: Principal) -> list[Referral]:
    query = (
        select(Referral)
        .where(Referral.officer_id == officer.id)
        .order_by(col(Referral.submitted_at).desc())
    )
    return list(session.exec(query))


def latest_version(*, session: Session, referral: Referral) -> ReferralVersion:
    version = session.exec(
        select(ReferralVersion).where(
            ReferralVersion.referral_id == referral.id, ReferralVersion.version == referral.version
        )
    ).first()
    if version is None:
        raise ReferralNotFound()
    return version


def decisions_of(*, session: Session, referral_id: uuid.UUID) -> list[ReviewDecision]:
    """The supervisors' decisions on a referral, oldest first (shown to its officer too)."""
    query = select(ReviewDecision).where(ReviewDecision.referral_id == referral_id)
    return list(session.exec(query.order_by(col(ReviewDecision.at))))


def outcomes_of(*, session: Session, referral_id: uuid.UUID) -> list[MashOutcome]:
    """What the MASH reported it decided about a referral, in the order it decided."""
    query = select(MashOutcome).where(MashOutcome.referral_id == referral_id)
    return list(session.exec(query.order_by(col(MashOutcome.decided_at))))


def latest_outcome(*, session: Session, reference: str) -> MashOutcome | None:
    """The MASH's latest decision about a referral: the last decided (of two decided at the same
    time, the last received). Callers have already checked that the reader may see it."""
    query = (
        select(MashOutcome)
        .join(Referral, col(Referral.id) == col(MashOutcome.referral_id))
        .where(Referral.reference == reference)
        .order_by(col(MashOutcome.decided_at).desc(), col(MashOutcome.received_at).desc())
    )
    return session.exec(query).first()


def return_comments(*, session: Session, referral_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """For each referral, what the supervisor asked to change when they last returned it."""
    if not referral_ids:
        return {}
    query = (
        select(ReviewDecision)
        .where(
            col(ReviewDecision.referral_id).in_(referral_ids),
            ReviewDecision.kind == DecisionKind.RETURNED,
        )
        .order_by(col(ReviewDecision.at))
    )
    return {d.referral_id: d.comment for d in session.exec(query)}
