"""Submitting an incident as a referral through the JSON API (``/api/v1``): the referrals
package's part of the officer's API (the checklist's part is ``app.checklist.api``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from app.checklist import service as checklist
from app.checklist.api import (
    COMMON_RESPONSES,
    NOT_FOUND,
    IfMatch,
    Officer,
    if_match_revision,
    officer_only,
    stale,
)
from app.checklist.schemas import EXAMPLE_ID, ErrorOut, Incomplete, InvalidBody, Stale
from app.db import SessionDep
from app.referrals import service as referrals
from app.referrals.models import ReferralStatus

router = APIRouter(
    prefix="/api/v1",
    tags=["checklist"],
    dependencies=[officer_only],
    responses=COMMON_RESPONSES,
)


class SubmitResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "incident_id": EXAMPLE_ID,
                    "reference": "TC-2026-000123",
                    "status": "submitted",
                    "version": 1,
                    "submitted_at": "2026-03-10T22:05:00Z",
                }
            ]
        }
    )

    incident_id: uuid.UUID
    reference: str
    status: ReferralStatus
    version: int
    submitted_at: datetime


@router.post(
    "/incidents/{incident_id}/submit",
    response_model=SubmitResult,
    summary="Submit as a referral (idempotent: again gives the same reference)",
    responses={
        **NOT_FOUND,
        409: {"model": ErrorOut, "description": "Cannot be submitted now (invalid_transition)"},
        412: {"model": Stale, "description": "If-Match names an older revision"},
        422: {
            "model": Incomplete | InvalidBody,
            "description": "Required answers missing (incomplete), or an incident id that is "
            'not a UUID (`{"error": "invalid"}`)',
        },
    },
)
def submit_incident(
    incident_id: uuid.UUID, officer: Officer, session: SessionDep, if_match: IfMatch = None
) -> SubmitResult | JSONResponse:
    try:
        referral = referrals.submit(
            session=session,
            officer=officer,
            incident_id=incident_id,
            if_match=if_match_revision(if_match),
        )
    except checklist.StaleRevision as e:
        return stale(session, e)
    except referrals.IncompleteReferral as e:
        return JSONResponse(Incomplete(missing=e.missing).model_dump(mode="json"), 422)
    return SubmitResult(
        incident_id=referral.incident_id,
        reference=referral.reference,
        status=referral.status,
        version=referral.version,
        submitted_at=referral.submitted_at,
    )
