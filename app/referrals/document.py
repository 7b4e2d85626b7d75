"""The referral document: one version of a referral as plain data (str, numbers, bools, lists,
dicts). It is the single source of the printable page, the PDF and the JSON sent to the MASH,
and it validates against ``schema/referral-v1.schema.json`` (published at ``SCHEMA_URL``).

How answers become data: ``document_answers``. How the page and PDF show it:
``document_view`` and ``document_pdf``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from sqlmodel import Session, col, select

from app.accounts.models import Team, User
from app.accounts.service import Principal
from app.checklist import promptset, risk
from app.checklist.promptset import PromptSet
from app.models_base import utcnow
from app.referrals import access
from app.referrals.document_answers import encode, grade, iso, sections
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

SCHEMA_NAME: Final = "referral-v1"
SCHEMA_PATH: Final = Path(__file__).resolve().parent / "schema" / f"{SCHEMA_NAME}.schema.json"
SCHEMA_URL: Final = f"/api/v1/schema/{SCHEMA_NAME}.json"

People = Mapping[uuid.UUID, dict[str, Any]]


def person(user: User) -> dict[str, Any]:
    out: dict[str, Any] = {"name": user.display_name}
    if user.collar_number:
        out["collar_number"] = user.collar_number
    return out


def _people(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    wanted = set(ids)
    if not wanted:
        return {}
    users = session.exec(select(User).where(col(User.id).in_(wanted)))
    return {u.id: person(u) for u in users}


def _who(people: People, user_id: uuid.UUID) -> dict[str, Any]:
    return people.get(user_id) or {"name": ""}


def _all(session: Session, model: Any, referral: Referral, *order: Any) -> list[Any]:
    query = select(model).where(model.referral_id == referral.id).order_by(*order)
    return list(session.exec(query))


def _decision(ps: PromptSet, d: ReviewDecision, people: People) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": str(d.kind),
        "version": d.version,
        "by": _who(people, d.actor_id),
        "at": iso(d.at),
    }
    if d.comment.strip():
        out["comment"] = d.comment
    if d.from_grade:
        out["from_grade"] = grade(ps, d.from_grade)
    if d.to_grade:
        out["to_grade"] = grade(ps, d.to_grade)
    return out


def _risk(
    ps: PromptSet,
    row: ReferralVersion,
    in_force: str,
    regrades: list[ReviewDecision],
    people: People,
) -> dict[str, Any]:
    own = encode(ps.section("risk").prompts, row.answers)
    words = risk.reason_words(row.prompt_set_version)
    return {
        "suggested_grade": grade(ps, row.suggested_grade),
        "reasons": [
            {
                "code": r["code"],
                "text": words.get(r["code"], r["code"]),
                "grade": grade(ps, r["grade"]),
                **({"child": r["child"]} if r.get("child") else {}),
            }
            for r in row.reasons
        ],
        "officer_grade": grade(ps, row.officer_grade),
        "grade_in_force": grade(ps, in_force),
        **{k: own[k] for k in ("rationale", "override_reason") if k in own},
        "regrades": [
            {
                "from_grade": grade(ps, d.from_grade or row.officer_grade),
                "to_grade": grade(ps, d.to_grade),
                "rationale": d.comment,
                "by": _who(people, d.actor_id),
                "at": iso(d.at),
            }
            for d in regrades
        ],
    }


def build(*, session: Session, referral: Referral, version: int | None = None) -> dict[str, Any]:
    """The document for one version of ``referral`` (its latest when ``version`` is None).
    The review history runs up to that version; addenda come with the latest version only.
    Raises ReferralNotFound for a version that does not exist."""
    number = referral.version if version is None else version
    versions: list[ReferralVersion] = _all(
        session, ReferralVersion, referral, col(ReferralVersion.version)
    )
    row = next((v for v in versions if v.version == number), None)
    if row is None:
        raise ReferralNotFound()
    ps = promptset.load_version(row.prompt_set_version)
    latest = number == referral.version
    decisions: list[ReviewDecision] = [
        d
        for d in _all(
            session, ReviewDecision, referral, col(ReviewDecision.at), col(ReviewDecision.id)
        )
        if d.version <= number
    ]
    addenda: list[Addendum] = (
        _all(session, Addendum, referral, col(Addendum.created_at), col(Addendum.id))
        if latest
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
    approvals = [d for d in decisions if d.version == number and d.kind == DecisionKind.APPROVED]
    regrades = [
        d
        for d in decisions
        if d.version == number and d.kind == DecisionKind.REGRADED and d.to_grade
    ]
    in_force = referral.grade if latest else (regrades[-1].to_grade if regrades else None)

    doc: dict[str, Any] = {
        "schema": SCHEMA_NAME,
        "reference": referral.reference,
        "status": str(referral.status),
        "version": number,
        "latest_version": referral.version,
        "prompt_set_version": row.prompt_set_version,
        "first_submitted_at": iso(versions[0].submitted_at),
        "submitted_at": iso(row.submitted_at),
    }
    if approvals:
        doc["approved_at"] = iso(approvals[-1].at)
    if delivery is not None and delivery.status == DeliveryStatus.SENT and delivery.sent_at:
        doc["sent_at"] = iso(delivery.sent_at)
    doc["generated_at"] = iso(utcnow())
    doc["officer"] = _who(people, referral.officer_id)
    if approvals:
        doc["supervisor"] = _who(people, approvals[-1].actor_id)
    if team is not None:
        doc["team"] = {"name": team.name}
    doc["risk"] = _risk(ps, row, in_force or row.officer_grade, regrades, people)
    doc.update(sections(ps, row.answers))
    doc["declaration"] = {
        "confirmed": encode(ps.section("declaration").prompts, row.answers).get("confirmed")
        is True,
        "by": _who(people, row.submitted_by),
        "at": iso(row.submitted_at),
    }
    doc["review_history"] = [_decision(ps, d, people) for d in decisions]
    doc["addenda"] = [
        {"by": _who(people, a.author_id), "at": iso(a.created_at), "text": a.text} for a in addenda
    ]
    doc["versions"] = [
        {
            "version": v.version,
            "submitted_at": iso(v.submitted_at),
            "submitted_by": _who(people, v.submitted_by),
        }
        for v in versions
    ]
    return doc


def open_document(
    *,
    session: Session,
    principal: Principal,
    reference: str,
    form: str,
    version: int | None = None,
    ip: str = "",
) -> dict[str, Any]:
    """The document, if this person may read it (else ReferralNotFound, revealing nothing),
    with the read logged (``form``: page, pdf or json) and committed before it is shown."""
    referral = access.find(session=session, principal=principal, reference=reference)
    if version is not None and not 1 <= version <= referral.version:
        raise ReferralNotFound()
    referral = access.open_for_reading(
        session=session, principal=principal, reference=reference, form=form, ip=ip, version=version
    )
    return build(session=session, referral=referral, version=version)
