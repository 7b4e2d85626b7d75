"""The supervisor's pages: the review queue, a referral to review, and the decisions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from app.accounts.deps import require_roles
from app.accounts.models import Role, Team
from app.accounts.service import Principal, users_by_ids
from app.checklist import risk, summary
from app.checklist.promptset import load_version
from app.db import SessionDep
from app.errors import InvalidTransition, NotFound
from app.htmx import IsHtmx, redirect
from app.models_base import utcnow
from app.referrals import access, addenda, delivery_state, versions
from app.referrals.models import Referral, ReferralStatus
from app.referrals.service import ReferralNotFound, latest_version
from app.review import quality, service, view
from app.review import queue as queues
from app.review.forms import Marks
from app.web import client_ip, nav_counters, render

router = APIRouter(prefix="/review", tags=["review"], include_in_schema=False)
Supervisor = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR))]
STATUSES = ("submitted", "returned", "approved", "sent", "")


def _waiting(session: Session, principal: Principal) -> dict[str, int]:
    if not principal.has(Role.SUPERVISOR):
        return {}
    return {"review": queues.count_waiting(session=session, supervisor=principal)}


nav_counters.append(_waiting)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@router.get("")
def queue(
    request: Request,
    session: SessionDep,
    supervisor: Supervisor,
    is_htmx: IsHtmx,
    status: Annotated[str, Query(max_length=20)] = "submitted",
    grade: Annotated[str, Query(max_length=10)] = "",
    team: Annotated[str, Query(max_length=40)] = "",
    officer: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    filters = queues.Filters(
        status=status if status in STATUSES else "submitted",
        grade=grade if grade in service.GRADES else "",
        team=_uuid(team),
        officer=_uuid(officer),
    )
    result = queues.queue(session=session, supervisor=supervisor, filters=filters, page=page)
    teams = session.exec(select(Team).where(col(Team.id).in_(supervisor.supervises))).all()
    return render(
        request,
        "review/_queue_results.html" if is_htmx else "review/queue.html",
        principal=supervisor,
        vary_htmx=True,
        result=result,
        filters=filters,
        teams=sorted(teams, key=lambda t: t.name),
        officers=queues.officers_of(session=session, supervisor=supervisor),
        query=request.url.query,
        now=utcnow(),
        failing=delivery_state.failing(session=session, team_ids=supervisor.supervises),
    )


def _review_page(
    request: Request,
    session: Session,
    supervisor: Principal,
    referral: Referral,
    *,
    error: str = "",
    form: dict[str, str] | None = None,
    marks: dict[str, str] | None = None,
    error_field: str = "",
    status_code: int = 200,
) -> Response:
    """The page: key facts first, then the decision (quality check prefilled from the answers,
    or as the supervisor last sent it), the history, and all the answers."""
    version = latest_version(session=session, referral=referral)
    ps = load_version(version.prompt_set_version)
    decisions = service.history(session=session, referral_id=referral.id)
    notes = addenda.of(session=session, referral=referral)
    return render(
        request,
        "review/referral.html",
        principal=supervisor,
        status_code=status_code,
        referral=referral,
        version=version,
        ps=ps,
        reason_words=risk.reason_words(ps.version),
        groups=summary.summarise(ps, version.answers),
        summary=view.summarise(ps, version),
        criteria=quality.CRITERIA,
        marks=marks
        if marks is not None
        else quality.prefill(version.prompt_set_version, version.answers),
        rationale_needed=referral.grade in service.RATIONALE_NEEDED,
        history=decisions,
        all_versions=versions.all_versions(session=session, referral=referral),
        addenda=notes,
        may_add=addenda.may_add(supervisor, referral),
        may_decide=referral.status == ReferralStatus.SUBMITTED
        and referral.officer_id != supervisor.id,
        delivery=delivery_state.state_of(session=session, referral_id=referral.id),
        addendum_deliveries=delivery_state.of_addenda(session=session, referral_id=referral.id),
        may_resend=True,
        due=queues.due_at(referral),
        overdue=queues.is_overdue(referral, utcnow()),
        error=error,
        error_field=error_field,
        form=form or {},
        people=users_by_ids(
            session=session,
            ids={referral.officer_id}
            | {d.actor_id for d in decisions}
            | {a.author_id for a in notes},
        ),
    )


@router.get("/{reference}")
def review_referral(
    request: Request, session: SessionDep, supervisor: Supervisor, reference: str
) -> Response:
    referral = access.open_for_reading(
        session=session,
        principal=supervisor,
        reference=reference,
        form="review",
        ip=client_ip(request),
    )
    if not access.can_supervise(supervisor, referral):
        raise NotFound()
    return _review_page(request, session, supervisor, referral)


@router.post("/{reference}/decision")
def decide(
    request: Request,
    session: SessionDep,
    supervisor: Supervisor,
    reference: str,
    marks: Marks,
    decision: Annotated[str, Form(max_length=20)] = "",
    expected_version: Annotated[int, Form(ge=1)] = 1,
    rationale: Annotated[str, Form(max_length=5000)] = "",
    comment: Annotated[str, Form(max_length=5000)] = "",
    grade: Annotated[str, Form(max_length=10)] = "",
    grade_rationale: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """One form: the quality check, then approve (with why the grade is right), return (with
    what to change) or change the grade (with why). A refusal re-renders everything typed."""
    referral = access.find(session=session, principal=supervisor, reference=reference)
    if not access.can_supervise(supervisor, referral):
        raise NotFound()
    form = {
        "decision": decision,
        "rationale": rationale,
        "comment": comment,
        "grade": grade,
        "grade_rationale": grade_rationale,
    }

    def refuse(error: str, field: str = "") -> Response:
        session.rollback()  # a refusal under the row lock releases it
        fresh = access.find(session=session, principal=supervisor, reference=reference)
        return _review_page(
            request,
            session,
            supervisor,
            fresh,
            error=error,
            error_field=field,
            form=form,
            marks=marks,
            status_code=422,
        )

    try:
        if decision == "approve":
            service.approve(
                session=session,
                supervisor=supervisor,
                reference=reference,
                expected_version=expected_version,
                comment=rationale,
                quality=marks,
            )
        elif decision == "return":
            service.return_to_officer(
                session=session,
                supervisor=supervisor,
                reference=reference,
                expected_version=expected_version,
                comment=comment,
                quality=marks,
            )
        elif decision == "regrade":
            if grade not in service.GRADES:
                return refuse("grade_missing")
            service.regrade(
                session=session,
                supervisor=supervisor,
                reference=reference,
                expected_version=expected_version,
                grade=grade,
                rationale=grade_rationale,
                quality=marks,
            )
        else:
            return refuse("decision_missing")
    except service.QualityCheckInvalid as e:
        return refuse("quality", f"quality-{e.criterion}")
    except service.RationaleRequired:
        return refuse("approve_rationale")
    except service.CommentRequired:
        return refuse(f"{decision}_comment")
    except InvalidTransition:
        session.rollback()
        fresh = access.find(session=session, principal=supervisor, reference=reference)
        # What was typed stays; the quality check is filled in again from what is there now.
        return _review_page(
            request, session, supervisor, fresh, error="stale", form=form, status_code=409
        )
    return redirect(request, f"/review/{reference}?done={decision}")


@router.post("/{reference}/addenda")
def add_addendum(
    request: Request,
    session: SessionDep,
    supervisor: Supervisor,
    reference: str,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        addenda.add(session=session, principal=supervisor, reference=reference, text=text)
    except addenda.AddendumInvalid:
        referral = access.find(session=session, principal=supervisor, reference=reference)
        return _review_page(
            request,
            session,
            supervisor,
            referral,
            error="addendum",
            form={"text": text},
            status_code=422,
        )
    return redirect(request, f"/review/{reference}?done=addendum")


@router.post("/{reference}/redeliver")
def redeliver(
    request: Request,
    session: SessionDep,
    supervisor: Supervisor,
    reference: str,
    addendum: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Send a failed delivery (the referral's, or one addendum's) again, once the receiving
    end is working."""
    addendum_id = _uuid(addendum) if addendum else None
    if addendum and addendum_id is None:
        raise ReferralNotFound()
    referral = access.find(session=session, principal=supervisor, reference=reference)
    try:
        delivery_state.retry_failed(
            session=session,
            supervisor=supervisor,
            referral_id=referral.id,
            addendum_id=addendum_id,
        )
    except InvalidTransition:  # not failed: already sent, or already due to be sent again
        session.rollback()
        return redirect(request, f"/review/{reference}?done=redeliver_nothing")
    done = "redeliver_addendum" if addendum_id else "redeliver"
    return redirect(request, f"/review/{reference}?done={done}")
