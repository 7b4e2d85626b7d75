"""The officer's side: feedback from coaches (acknowledged here) and what the MASH decided about
their referrals. The count of feedback waiting shows in the navigation and on the home page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.accounts import signed_in
from app.accounts.deps import require_roles
from app.accounts.models import Role
from app.accounts.service import Principal
from app.coaching import feedback, outcomes
from app.coaching.deps import as_uuid
from app.db import SessionDep
from app.htmx import redirect
from app.web import nav_counters, render

router = APIRouter(prefix="/feedback", tags=["coaching"], include_in_schema=False)
Officer = Annotated[Principal, Depends(require_roles(Role.OFFICER))]


def _waiting(session: Session, principal: Principal) -> dict[str, int]:
    if not principal.has(Role.OFFICER):
        return {}
    if "feedback" in principal.counts:  # read with the session, in its one query
        return {"feedback": principal.counts["feedback"]}
    return {"feedback": feedback.waiting_count(session=session, officer=principal)}


nav_counters.append(_waiting)
signed_in.counted_with_session["feedback"] = feedback.waiting_subquery


@router.get("")
def feedback_page(request: Request, session: SessionDep, officer: Officer) -> Response:
    return render(
        request,
        "coaching/feedback.html",
        principal=officer,
        received=feedback.for_officer(session=session, officer=officer),
        outcomes=outcomes.for_officer(session=session, officer_id=officer.id),
    )


@router.post("/{feedback_id}/acknowledge")
def acknowledge(
    request: Request, session: SessionDep, officer: Officer, feedback_id: str
) -> Response:
    found = as_uuid(feedback_id)
    if found is None:
        raise feedback.FeedbackNotFound()
    feedback.acknowledge(session=session, officer=officer, feedback_id=found)
    return redirect(request, "/feedback")
