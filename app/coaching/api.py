"""``POST /api/v1/referrals/{reference}/outcome``: the MASH reports what it decided.

Called by a MASH system, not a browser: it is authenticated by the MASH's own bearer token
(no session cookie), so it is a plain route outside the session and CSRF dependencies that
every page and the officer's API use. Send ``Authorization: Bearer <token>``, an
``Idempotency-Key`` header (or ``outcome_id`` in the body) and a JSON body:
``{"decision": "assessment", "decided_at": "2026-12-01T10:00:00Z", "note": "..."}``.
201 with the outcome when stored; 200 with the same outcome when it was stored before."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.coaching import outcomes
from app.db import get_session
from app.errors import DomainError
from app.web import client_ip

OUTCOME_PATH = "/api/v1/referrals/{reference}/outcome"


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: outcomes.Decision
    decided_at: AwareDatetime
    note: str = Field(default="", max_length=5000)
    outcome_id: str | None = Field(default=None, min_length=1, max_length=100)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@contextmanager
def _session(request: Request) -> Iterator[Session]:
    """The app's session (a test's override too), as a dependency would give it."""
    provider: Callable[[], Any] = request.app.dependency_overrides.get(get_session, get_session)
    made = provider()
    if isinstance(made, Session):
        yield made
        return
    try:
        yield next(made)
    finally:
        made.close()


def _error(status: int, code: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, **extra}, status_code=status)


def _store(
    request: Request, token: str, reference: str, key: str, body: OutcomeIn | Response, ip: str
) -> Response:
    """Authenticate first (a bad token learns nothing about the body), then store."""
    with _session(request) as session:
        try:
            client = outcomes.authenticate(session=session, token=token)
            if not isinstance(body, OutcomeIn):
                session.rollback()
                return body
            outcome, created = outcomes.record(
                session=session,
                client=client,
                reference=reference,
                key=key,
                decision=body.decision,
                decided_at=body.decided_at,
                note=body.note,
                ip=ip,
            )
        except DomainError as e:
            session.rollback()
            headers = {"WWW-Authenticate": "Bearer"} if e.status_code == 401 else None
            return JSONResponse({"error": e.code}, status_code=e.status_code, headers=headers)
        return JSONResponse(
            outcomes.as_json(outcome, reference), status_code=201 if created else 200
        )


async def outcome(request: Request) -> Response:
    reference = str(request.path_params["reference"])[:20]
    token = _bearer(request)
    if token is None:
        return JSONResponse(
            {"error": "not_authenticated"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    body: OutcomeIn | Response
    try:
        body = OutcomeIn.model_validate(json.loads(await request.body()))
    except (ValueError, ValidationError) as e:
        errors = (
            [{"loc": list(x["loc"]), "msg": x["msg"]} for x in e.errors()]
            if isinstance(e, ValidationError)
            else []
        )
        body = _error(422, "invalid", errors=errors)
    sent_id = body.outcome_id if isinstance(body, OutcomeIn) else None
    key = (request.headers.get("idempotency-key") or sent_id or "").strip()
    if isinstance(body, OutcomeIn) and (not key or len(key) > 100):
        body = _error(422, "idempotency_key_required")
    return await run_in_threadpool(_store, request, token, reference, key, body, client_ip(request))


__all__ = ["OUTCOME_PATH", "OutcomeIn", "outcome"]
