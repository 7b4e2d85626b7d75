"""Think Child training: the officers of the coach's teams, and recording, correcting or
removing one officer's training."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from app.coaching import scope as scopes
from app.coaching import training
from app.coaching.deps import UK, Coach, as_uuid
from app.db import SessionDep
from app.errors import NotPermitted
from app.htmx import redirect
from app.web import client_ip, render

router = APIRouter(prefix="/coaching/training", tags=["coaching"], include_in_schema=False)

DONE = ("recorded", "removed")


def _officer_id(value: str) -> uuid.UUID:
    found = as_uuid(value)
    if found is None:
        raise training.OfficerNotFound()
    return found


@router.get("")
def training_page(
    request: Request,
    session: SessionDep,
    coach: Coach,
    team: Annotated[str, Query(max_length=40)] = "",
    show: Annotated[str, Query(max_length=10)] = "all",
) -> Response:
    teams = scopes.coached_teams(session=session, coach=coach)
    chosen = as_uuid(team) if team else None
    if team and (chosen is None or chosen not in coach.coaches):
        raise NotPermitted()
    if chosen is not None:
        teams = [t for t in teams if t.id == chosen]
    show = show if show in training.SHOWS else "all"
    return render(
        request,
        "coaching/training.html",
        principal=coach,
        groups=training.officers(session=session, teams=teams),
        show=show,
        team=team,
    )


def _officer_page(
    request: Request,
    session: SessionDep,
    coach: Coach,
    officer_id: uuid.UUID,
    *,
    error: str = "",
    typed: dict[str, str] | None = None,
) -> Response:
    found = training.officer(session=session, coach=coach, officer_id=officer_id)
    on = found.record.completed_on if found.record else None
    done = request.query_params.get("done", "")
    return render(
        request,
        "coaching/training_officer.html",
        principal=coach,
        status_code=422 if error else 200,
        officer=found,
        error=error,
        typed=typed
        or {
            "day": str(on.day) if on else "",
            "month": str(on.month) if on else "",
            "year": str(on.year) if on else "",
        },
        done=done if done in DONE else "",
    )


@router.get("/{user_id}")
def officer_page(request: Request, session: SessionDep, coach: Coach, user_id: str) -> Response:
    return _officer_page(request, session, coach, _officer_id(user_id))


@router.post("/{user_id}")
def record_training(
    request: Request,
    session: SessionDep,
    coach: Coach,
    user_id: str,
    day: Annotated[str, Form(max_length=100)] = "",
    month: Annotated[str, Form(max_length=100)] = "",
    year: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    officer_id = _officer_id(user_id)
    typed = {"day": day, "month": month, "year": year}
    try:
        on = training.parse_date(day=day, month=month, year=year, today=datetime.now(UK).date())
    except training.BadTrainingDate as e:
        return _officer_page(request, session, coach, officer_id, error=e.message, typed=typed)
    training.record(
        session=session,
        coach=coach,
        officer_id=officer_id,
        completed_on=on,
        ip=client_ip(request),
    )
    return redirect(request, f"/coaching/training/{officer_id}?done=recorded")


@router.post("/{user_id}/remove")
def remove_training(request: Request, session: SessionDep, coach: Coach, user_id: str) -> Response:
    officer_id = _officer_id(user_id)
    removed = training.remove(
        session=session, coach=coach, officer_id=officer_id, ip=client_ip(request)
    )
    return redirect(
        request, f"/coaching/training/{officer_id}" + ("?done=removed" if removed else "")
    )
