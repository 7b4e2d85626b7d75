"""The officer's JSON API (``/api/v1``): the prompt set, incidents and answers. Submitting,
which turns an incident into a referral, is the referrals package's (``app.referrals.api``).

The same session cookie, CSRF header (``X-CSRF-Token`` on every write) and role check as the
pages. Errors are JSON ``{"error": code}`` (see ``app.main``); invalid answers add the prompts
concerned.
"""

from __future__ import annotations

import functools
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Response
from fastapi.responses import JSONResponse
from sqlmodel import Session

from app.accounts.deps import require_roles
from app.accounts.models import Role
from app.accounts.service import Principal
from app.checklist import lifecycle, promptset, risk
from app.checklist import service as checklist
from app.checklist.models import Incident
from app.checklist.schemas import (
    AnswersSaved,
    AnswersUpdate,
    ErrorOut,
    IncidentClose,
    IncidentCreate,
    IncidentOut,
    InvalidAnswers,
    InvalidBody,
    PromptError,
    Stale,
    incident_fields,
)
from app.db import SessionDep

officer_only = Depends(require_roles(Role.OFFICER))
Officer = Annotated[Principal, officer_only]

# What every operation may answer, besides its own responses.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    # From the request guard (app.request_guard), before any route: NUL in the URL or a form,
    # a bad Content-Length (400); a body over 1 MB (413, too_large).
    400: {"model": ErrorOut, "description": "NUL in the URL, or a malformed request"},
    413: {"model": ErrorOut, "description": "The body is over 1 MB (too_large)"},
    401: {"model": ErrorOut, "description": "Not signed in"},
    403: {"model": ErrorOut, "description": "Not an officer, or no valid X-CSRF-Token header"},
    # Every operation: a path, header or body not of the documented shape (from the app's
    # validation handler in app.main), in place of FastAPI's default 422.
    422: {"model": InvalidBody, "description": "The request is not of the documented shape"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such incident of yours (incident_not_found)"},
}

router = APIRouter(
    prefix="/api/v1",
    tags=["checklist"],
    dependencies=[officer_only],
    responses=COMMON_RESPONSES,
)


@functools.cache
def _prompt_set_body(version: int) -> dict[str, Any]:
    ps = promptset.load_version(version)
    body = ps.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"conditions"})
    body["risk_reasons"] = dict(risk.reason_words(version))  # worded with the version's rules
    _with_list_caps(ps, body)
    return body


def _with_list_caps(ps: promptset.PromptSet, body: dict[str, Any]) -> None:
    """Give every list its cap (``max_items``, from ``prompts/limits.yaml`` when the file sets
    none) and the words for a list at its cap, so a client working offline refuses a list the
    server would refuse, in the server's words."""
    words = ps.messages.get("too_many_items")
    body["messages"]["too_many_items"] = (
        words or promptset.list_limits()["messages"]["too_many_items"]
    )

    def cap(part: dict[str, Any], key: str) -> None:
        part["max_items"] = ps.max_items(key)
        for inner in part.get("prompts", []):
            if inner["type"] == "repeat":
                cap(inner, inner["id"])

    for section in body["sections"]:
        if section.get("repeat"):
            section["max_items"] = ps.max_items(section["repeat"])
        for prompt in section["prompts"]:
            if prompt["type"] == "repeat":
                cap(prompt, prompt["id"])


def incident_out_fields(incident: Incident) -> dict[str, Any]:
    ps = checklist.prompt_set_of(incident)
    state = checklist.status_of(ps, incident.answers)
    return incident_fields(incident, ps, state)


@router.get(
    "/prompt-set",
    response_model=promptset.PromptSet,
    summary="The current prompt set",
    description="Sections and prompts in screen order, with their ids, types, options and "
    "show conditions (`when`). Prompts in a section with `repeat: children` are answered once "
    "per child; a prompt of type `repeat` holds a list of items answering its `prompts`.",
)
def get_prompt_set() -> Response:
    return JSONResponse(_prompt_set_body(promptset.current().version))


@router.post(
    "/incidents",
    status_code=201,
    response_model=IncidentOut,
    summary="Start an incident (idempotent by client_uuid)",
    responses={
        200: {"model": IncidentOut, "description": "This client_uuid's existing incident"},
        422: {"model": InvalidBody, "description": "The body is not {client_uuid: <uuid>}"},
    },
)
def create_incident(
    body: IncidentCreate, officer: Officer, session: SessionDep, response: Response
) -> IncidentOut:
    incident, created = checklist.start(
        session=session, officer=officer, client_uuid=body.client_uuid
    )
    if not created:
        response.status_code = 200
    response.headers["Location"] = f"{router.prefix}/incidents/{incident.id}"
    return IncidentOut(**incident_out_fields(incident))


@router.get(
    "/incidents/{incident_id}",
    response_model=IncidentOut,
    summary="An incident with its suggested grade and what is missing",
    responses=NOT_FOUND,
)
def get_incident(
    incident_id: uuid.UUID, officer: Officer, session: SessionDep, response: Response
) -> IncidentOut:
    incident = checklist.get_own(session=session, officer=officer, incident_id=incident_id)
    response.headers["ETag"] = etag(incident)
    return IncidentOut(**incident_out_fields(incident))


def etag(incident: Incident) -> str:
    return f'"{incident.revision}"'


def if_match_revision(value: str | None) -> int | None:
    """The revision an ``If-Match`` header names (``"3"`` or ``W/"3"``); None for no header or
    ``*``; -1 (matching nothing) for a value that names no revision."""
    if value is None or value.strip() == "*":
        return None
    tag = value.split(",")[0].strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isdigit() else -1


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The revision the change was made from, as `"<revision>"` (the ETag of '
        "`GET /api/v1/incidents/{id}`). If the incident has changed since, nothing is changed "
        "and the answer is 412 with the incident as stored now.",
    ),
]


def stale(session: Session, error: checklist.StaleRevision) -> JSONResponse:
    session.rollback()
    current = IncidentOut(**incident_out_fields(error.incident))
    body = Stale(current=current).model_dump(mode="json")
    return JSONResponse(body, 412, headers={"ETag": etag(error.incident)})


@router.put(
    "/incidents/{incident_id}/answers",
    response_model=AnswersSaved,
    summary="Save answers (merged by top-level key)",
    responses={
        **NOT_FOUND,
        409: {"model": ErrorOut, "description": "Submitted or closed (incident_locked)"},
        412: {"model": Stale, "description": "If-Match names an older revision"},
        422: {
            "model": InvalidAnswers | InvalidBody,
            "description": "Invalid values, one error per answer path; nothing of the request "
            'is saved. A body that is not `{"answers": {...}}` gives `{"error": "invalid"}`.',
        },
    },
)
def save_answers(
    incident_id: uuid.UUID,
    body: AnswersUpdate,
    officer: Officer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> AnswersSaved | JSONResponse:
    try:
        incident, result = checklist.save(
            session=session,
            officer=officer,
            incident_id=incident_id,
            updates=body.answers,
            if_match=if_match_revision(if_match),
        )
    except checklist.StaleRevision as e:
        return stale(session, e)
    if result.errors:
        errors = [PromptError(prompt=path, message=msg) for path, msg in result.errors.items()]
        return JSONResponse(InvalidAnswers(errors=errors).model_dump(mode="json"), 422)
    response.headers["ETag"] = etag(incident)
    return AnswersSaved(**incident_out_fields(incident), unknown=result.unknown)


@router.post(
    "/incidents/{incident_id}/close",
    response_model=IncidentOut,
    summary='Close as "no child identified" (idempotent: again gives the closed incident)',
    responses={
        **NOT_FOUND,
        409: {"model": ErrorOut, "description": "Submitted (incident_locked)"},
        412: {"model": Stale, "description": "If-Match names an older revision"},
        422: {
            "model": ErrorOut,
            "description": "The gate answers are not both no, or no valid reason (cannot_close)",
        },
    },
)
def close_incident(
    incident_id: uuid.UUID,
    officer: Officer,
    session: SessionDep,
    response: Response,
    body: IncidentClose | None = None,
    if_match: IfMatch = None,
) -> IncidentOut | JSONResponse:
    try:
        incident = lifecycle.close_no_child(
            session=session,
            officer=officer,
            incident_id=incident_id,
            if_match=if_match_revision(if_match),
            reason=body.reason if body else None,
        )
    except checklist.StaleRevision as e:
        return stale(session, e)
    response.headers["ETag"] = etag(incident)
    return IncidentOut(**incident_out_fields(incident))
