"""Audit of a sample: draw one, score each referral against the rubric, send feedback."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.coaching import feedback, outcomes, rubric, sampling
from app.coaching.deps import Coach, Selected, as_uuid
from app.coaching.models import Score
from app.db import SessionDep
from app.errors import DomainError
from app.htmx import redirect
from app.web import PostedForm, render

router = APIRouter(prefix="/coaching/samples", tags=["coaching"], include_in_schema=False)


def _id(value: str) -> uuid.UUID:
    found = as_uuid(value)
    if found is None:
        raise sampling.SampleNotFound()
    return found


def _samples_page(
    request: Request,
    session: SessionDep,
    coach: Coach,
    selected: Selected,
    error: str = "",
    size: str = "5",
) -> Response:
    status = 422 if error else 200
    return render(
        request,
        "coaching/samples.html",
        principal=coach,
        status_code=status,
        samples=sampling.list_mine(session=session, coach=coach),
        selected=selected,
        max_size=sampling.MAX_SIZE,
        error=error,
        size=size,
    )


@router.get("")
def samples_page(
    request: Request, session: SessionDep, coach: Coach, selected: Selected
) -> Response:
    return _samples_page(request, session, coach, selected)


@router.post("")
def draw_sample(
    request: Request,
    session: SessionDep,
    coach: Coach,
    selected: Selected,
    size: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    if selected.error:
        return _samples_page(request, session, coach, selected, error="period", size=size)
    if not size.strip().isdigit() or not 1 <= int(size) <= sampling.MAX_SIZE:
        return _samples_page(request, session, coach, selected, error="size", size=size)
    try:
        sample = sampling.create(
            session=session,
            coach=coach,
            scope=selected.scope,
            period=selected.period,
            size=int(size),
        )
    except sampling.NothingToSample:
        return _samples_page(request, session, coach, selected, error="empty", size=size)
    return redirect(request, f"/coaching/samples/{sample.id}")


@router.get("/{sample_id}")
def sample_page(request: Request, session: SessionDep, coach: Coach, sample_id: str) -> Response:
    sample = sampling.get(session=session, coach=coach, sample_id=_id(sample_id))
    return render(
        request,
        "coaching/sample.html",
        principal=coach,
        sample=sample,
        cases=sampling.cases(session=session, sample=sample),
    )


def _case_page(
    request: Request,
    session: SessionDep,
    coach: Coach,
    case_id: uuid.UUID,
    *,
    errors: list[str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    view = sampling.get_case(session=session, coach=coach, case_id=case_id)
    values = form or {
        **{c: s.score.value for c, s in view.scores.items()},
        **{f"{c}-comment": s.comment for c, s in view.scores.items()},
    }
    return render(
        request,
        "coaching/case.html",
        principal=coach,
        status_code=status_code,
        view=view,
        rubric=rubric.load(),
        values=values,
        errors=errors or [],
        sent=feedback.for_referral(session=session, referral_id=view.referral.id),
        outcomes=outcomes.for_referral(session=session, referral_id=view.referral.id),
    )


@router.get("/cases/{case_id}")
def case_page(request: Request, session: SessionDep, coach: Coach, case_id: str) -> Response:
    return _case_page(request, session, coach, _id(case_id))


@router.post("/cases/{case_id}")
def score_case(
    request: Request, session: SessionDep, coach: Coach, case_id: str, form: PostedForm
) -> Response:
    found = _id(case_id)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    scores: dict[str, tuple[Score, str]] = {}
    for c in rubric.load().ids():
        raw = values.get(c, "")
        if raw in {s.value for s in Score}:
            scores[c] = (Score(raw), values.get(f"{c}-comment", ""))
    try:
        sampling.score(session=session, coach=coach, case_id=found, scores=scores)
    except sampling.IncompleteScores as e:
        return _case_page(
            request, session, coach, found, errors=e.missing, form=values, status_code=422
        )
    return redirect(request, f"/coaching/samples/cases/{found}?saved=1")


@router.post("/cases/{case_id}/feedback")
def send_feedback(
    request: Request,
    session: SessionDep,
    coach: Coach,
    case_id: str,
    text: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    found = _id(case_id)
    try:
        feedback.send(session=session, coach=coach, case_id=found, text=text)
    except DomainError as e:
        if not isinstance(e, feedback.FeedbackEmpty):
            raise
        return _case_page(
            request,
            session,
            coach,
            found,
            errors=["feedback"],
            form={"feedback": text},
            status_code=422,
        )
    return redirect(request, f"/coaching/samples/cases/{found}?sent=1")
