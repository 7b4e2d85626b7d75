"""What every version of the referral document is built from: one referral version, the
versions before it, the supervisors' decisions up to it, its delivery, addenda and the people
named, read once (``load``). The document's fixed parts common to every document format
(header, risk, review history, addenda, versions) are made here; ``document`` (format 1) and
``document_v2`` (format 2) add the answers in their own layout.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.accounts.models import Team, User
from app.checklist import promptset
from app.checklist.promptset import PromptSet
from app.models_base import utcnow
from app.referrals.document_answers import encode, grade, iso
from app.referrals.models import (
    Addendum,
    DecisionKind,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Referral,
    ReferralVersion,
    ReviewDecision,
)
from app.referrals.service import ReferralNotFound

People = Mapping[uuid.UUID, dict[str, Any]]


def person(user: User) -> dict[str, Any]:
    out: dict[str, Any] = {"name": user.display_name}
    if user.collar_number:
        out["collar_number"] = user.collar_number
    return out


@dataclass(frozen=True)
class Record:
    referral: Referral
    row: ReferralVersion  # the version shown
    ps: PromptSet  # the prompt set it was answered under
    versions: list[ReferralVersion]
    decisions: list[ReviewDecision]  # up to this version, oldest first
    addenda: list[Addendum]  # with the latest version only
    delivery: Delivery | None
    people: People
    team: Team | None

    @property
    def latest(self) -> bool:
        return self.row.version == self.referral.version

    @property
    def approvals(self) -> list[ReviewDecision]:
        return [
            d
            for d in self.decisions
            if d.version == self.row.version and d.kind == DecisionKind.APPROVED
        ]

    @property
    def regrades(self) -> list[ReviewDecision]:
        return [
            d
            for d in self.decisions
            if d.version == self.row.version and d.kind == DecisionKind.REGRADED and d.to_grade
        ]

    def who(self, user_id: uuid.UUID) -> dict[str, Any]:
        return self.people.get(user_id) or {"name": ""}


def _people(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    wanted = set(ids)
    if not wanted:
        return {}
    users = session.exec(select(User).where(col(User.id).in_(wanted)))
    return {u.id: person(u) for u in users}


def _all(session: Session, model: Any, referral: Referral, *order: Any) -> list[Any]:
    query = select(model).where(model.referral_id == referral.id).order_by(*order)
    return list(session.exec(query))


def load(*, session: Session, referral: Referral, version: int | None) -> Record:
    """The record of one version of ``referral`` (its latest when ``version`` is None).
    Raises ReferralNotFound for a version that does not exist."""
    number = referral.version if version is None else version
    versions: list[ReferralVersion] = _all(
        session, ReferralVersion, referral, col(ReferralVersion.version)
    )
    row = next((v for v in versions if v.version == number), None)
    if row is None:
        raise ReferralNotFound()
    decisions: list[ReviewDecision] = [
        d
        for d in _all(
            session, ReviewDecision, referral, col(ReviewDecision.at), col(ReviewDecision.id)
        )
        if d.version <= number
    ]
    addenda: list[Addendum] = (
        _all(session, Addendum, referral, col(Addendum.created_at), col(Addendum.id))
        if number == referral.version
        else []
    )
    delivery = session.exec(
        select(Delivery).where(
            Delivery.referral_id == referral.id,
            Delivery.version == number,
            Delivery.kind == DeliveryKind.REFERRAL,
        )
    ).first()
    people = _people(
        session,
        [
            referral.officer_id,
            *(v.submitted_by for v in versions),
            *(d.actor_id for d in decisions),
            *(a.author_id for a in addenda),
        ],
    )
    team = session.get(Team, referral.team_id) if referral.team_id else None
    return Record(
        referral=referral,
        row=row,
        ps=promptset.load_version(row.prompt_set_version),
        versions=versions,
        decisions=decisions,
        addenda=addenda,
        delivery=delivery,
        people=people,
        team=team,
    )


def header(record: Record, schema_name: str) -> dict[str, Any]:
    """The document's opening keys: what it is, which version, when, and who."""
    referral, row = record.referral, record.row
    doc: dict[str, Any] = {
        "schema": schema_name,
        "reference": referral.reference,
        "status": str(referral.status),
        "version": row.version,
        "latest_version": referral.version,
        "prompt_set_version": row.prompt_set_version,
        "first_submitted_at": iso(record.versions[0].submitted_at),
        "submitted_at": iso(row.submitted_at),
    }
    approvals = record.approvals
    if approvals:
        doc["approved_at"] = iso(approvals[-1].at)
    delivery = record.delivery
    if delivery is not None and delivery.status == DeliveryStatus.SENT and delivery.sent_at:
        doc["sent_at"] = iso(delivery.sent_at)
    doc["generated_at"] = iso(utcnow())
    doc["officer"] = record.who(referral.officer_id)
    if approvals:
        doc["supervisor"] = record.who(approvals[-1].actor_id)
    if record.team is not None:
        doc["team"] = {"name": record.team.name}
    return doc


def grade_in_force(record: Record) -> str:
    regrades = record.regrades
    in_force = (
        record.referral.grade if record.latest else (regrades[-1].to_grade if regrades else None)
    )
    return in_force or record.row.officer_grade


def risk(record: Record, words: Mapping[str, str], own_keys: Iterable[str]) -> dict[str, Any]:
    """The risk grade: suggested (with its reasons in ``words``), the officer's, the one in
    force and supervisors' changes; ``own_keys`` are the risk answers kept (by slot)."""
    ps, row = record.ps, record.row
    own = encode(ps.section("risk").prompts, row.answers)
    return {
        "suggested_grade": grade(ps, row.suggested_grade),
        "reasons": reasons(record, words),
        "officer_grade": grade(ps, row.officer_grade),
        "grade_in_force": grade(ps, grade_in_force(record)),
        **{k: own[k] for k in own_keys if k in own},
        "regrades": [
            {
                "from_grade": grade(ps, d.from_grade or row.officer_grade),
                "to_grade": grade(ps, d.to_grade),
                "rationale": d.comment,
                "by": record.who(d.actor_id),
                "at": iso(d.at),
            }
            for d in record.regrades
        ],
    }


def reasons(record: Record, words: Mapping[str, str]) -> list[dict[str, Any]]:
    ps = record.ps
    return [
        {
            "code": r["code"],
            "text": words.get(r["code"], r["code"]),
            "grade": grade(ps, r["grade"]),
            **({"child": r["child"]} if r.get("child") else {}),
        }
        for r in record.row.reasons
    ]


def _decision(record: Record, d: ReviewDecision) -> dict[str, Any]:
    ps = record.ps
    out: dict[str, Any] = {
        "kind": str(d.kind),
        "version": d.version,
        "by": record.who(d.actor_id),
        "at": iso(d.at),
    }
    if d.comment.strip():
        out["comment"] = d.comment
    if d.from_grade:
        out["from_grade"] = grade(ps, d.from_grade)
    if d.to_grade:
        out["to_grade"] = grade(ps, d.to_grade)
    return out


def closing(record: Record) -> dict[str, Any]:
    """The declaration, review history, addenda and versions."""
    row = record.row
    return {
        "declaration": {
            "confirmed": encode(record.ps.section("declaration").prompts, row.answers).get(
                "confirmed"
            )
            is True,
            "by": record.who(row.submitted_by),
            "at": iso(row.submitted_at),
        },
        "review_history": [_decision(record, d) for d in record.decisions],
        "addenda": [
            {"by": record.who(a.author_id), "at": iso(a.created_at), "text": a.text}
            for a in record.addenda
        ],
        "versions": [
            {
                "version": v.version,
                "submitted_at": iso(v.submitted_at),
                "submitted_by": record.who(v.submitted_by),
            }
            for v in record.versions
        ],
    }
