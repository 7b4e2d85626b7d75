"""Bodies of the checklist JSON API (``/api/v1``): requests, responses and errors, with examples.

Answers use the same shape as the answer engine (see ``app.checklist.answers``): keyed by prompt
id; ``children`` is a list with one object per child holding that child's ``child.*``,
``voice.*`` and ``observed.*`` answers; ``observed.injuries`` (inside a child) and
``household.adults`` are lists of objects.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from app.checklist.answers import prune_hidden
from app.checklist.models import Incident, IncidentStatus
from app.checklist.promptset import PromptSet
from app.checklist.risk import Grade, reason_words
from app.checklist.service import Status, hidden_answers

EXAMPLE_ID = "6b1f2a4e-5c3d-4e8f-9a7b-1c2d3e4f5a6b"
_EXAMPLE_CLIENT_UUID = "3f2b6c1e-8d4a-4f0e-9b7a-2c5d1e6f7a80"
_EXAMPLE_CHILD_ID = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
_EXAMPLE_CHILD: dict[str, Any] = {
    "id": _EXAMPLE_CHILD_ID,
    "child.name": "Amy Smith",
    "child.dob": "2019-03-27",
    "child.sex": "female",
    "child.known_to_social_care": "unknown",
    "child.present": True,
    "child.location_during": "in the living room",
    "child.seen": True,
    "child.spoken_to": True,
    "child.spoken_alone": True,
    "voice.words": '"Daddy hit mummy and then he hit me on my arm"',
    "voice.afraid_to_go_home": False,
    "voice.disclosure": True,
    "voice.disclosure_time": "2026-03-10T21:40:00+00:00",
    "observed.demeanour": "Quiet and watchful; flinched when her father spoke.",
    "observed.injury": True,
    "observed.injuries": [
        {
            "injury.location": "left upper arm, outer side",
            "injury.size": "2cm by 3cm",
            "injury.colour": "blue",
            "injury.skin_broken": False,
            "injury.explanation": "Amy said her father grabbed her.",
        }
    ],
    "observed.medical_needed": False,
}


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key is refused, not ignored


class IncidentCreate(_Request):
    """Start an incident. ``client_uuid`` is made by the client once: a retry sends it again and
    gets the same incident back (200 instead of 201)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"client_uuid": _EXAMPLE_CLIENT_UUID}]}
    )

    client_uuid: uuid.UUID


class AnswersUpdate(_Request):
    """Answers keyed by prompt id, merged into what is saved: each top-level key sent replaces
    the saved one, and null clears it. A list (``children``, ``household.adults``, and
    ``observed.injuries`` inside a child) replaces the stored list, matched by ``id``: an item
    with a known ``id`` keeps its stored answers for prompts it does not carry (send null to
    clear one), an item without ``id`` is new (the response gives its ``id``), an item with an
    ``id`` the server has not seen is new with that ``id``, and a stored item left out is
    removed. Send ``If-Match: "<revision>"`` so that a change made meanwhile is never
    overwritten."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "answers": {
                        "incident.log_ref": "INC-2026-0310-123",
                        "incident.type": "domestic_abuse",
                        "incident.datetime": "2026-03-10T21:15:00+00:00",
                        "gate.children_present": True,
                        "gate.pregnancy": False,
                    }
                },
                {
                    "answers": {
                        "children": [_EXAMPLE_CHILD],
                        "household.adults": [
                            {
                                "adult.name": "Jo Smith",
                                "adult.relationship": "mother",
                                "adult.parental_responsibility": True,
                                "adult.lives_there": True,
                                "adult.is_suspect": False,
                            }
                        ],
                        "household.toxic_trio": ["domestic_abuse"],
                    }
                },
            ]
        },
    )

    answers: dict[str, Any]


class IncidentClose(_Request):
    """Close the incident as "no child identified": both gate answers are "no". ``reason``
    (how the officer found out, the answer to ``gate.no_child_reason``) may be sent here or
    saved before through the answers."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "Asked both adults and checked the home."}]}
    )

    reason: str | None = None


class ReasonOut(BaseModel):
    """Why the grade was suggested; ``child`` names the child when the reason is about one."""

    code: str
    grade: Grade
    child: str | None
    text: str


class IncidentOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": EXAMPLE_ID,
                    "client_uuid": _EXAMPLE_CLIENT_UUID,
                    "status": "draft",
                    "prompt_set_version": 1,
                    "revision": 3,
                    "answers": {
                        "incident.log_ref": "INC-2026-0310-123",
                        "children": [{"id": _EXAMPLE_CHILD_ID, "child.name": "Amy Smith"}],
                    },
                    "hidden_answers": {},
                    "suggested_grade": "high",
                    "reasons": [
                        {
                            "code": "child_disclosed",
                            "grade": "high",
                            "child": "Amy Smith",
                            "text": "the child disclosed abuse",
                        }
                    ],
                    "missing": ["incident.address", "children[0].child.sex"],
                    "reference": None,
                    "created_at": "2026-03-10T21:20:00Z",
                    "updated_at": "2026-03-10T21:45:00Z",
                }
            ]
        }
    )

    id: uuid.UUID
    client_uuid: uuid.UUID
    status: IncidentStatus
    prompt_set_version: int
    revision: int  # also the ETag; send it back as If-Match so no change is made from an old copy
    answers: dict[str, Any]  # the answers whose prompts show; each list item has its "id"
    # Answers kept in the draft whose prompts a later answer hides, by path: not shown,
    # validated or counted; back as they were when the prompt shows again; dropped at submission.
    hidden_answers: dict[str, Any]
    suggested_grade: Grade
    reasons: list[ReasonOut]
    missing: list[str]  # paths still required before submission
    reference: str | None  # TC-YYYY-NNNNNN once submitted
    created_at: datetime
    updated_at: datetime


class AnswersSaved(IncidentOut):
    """The incident after a save; ``unknown`` lists the keys sent that are not prompts of the
    incident's prompt set (at that place): they were not stored."""

    unknown: list[str]


class Stale(BaseModel):
    """``If-Match`` named an older revision: nothing was changed. ``current`` is the incident as
    stored now, to compare with and send again from."""

    error: Literal["stale_revision"] = "stale_revision"
    current: IncidentOut


class ErrorOut(BaseModel):
    error: str


class BodyError(BaseModel):
    loc: list[str | int]
    msg: str


class InvalidBody(BaseModel):
    """The request body is not of the documented shape (from the app's validation handler)."""

    error: Literal["invalid"] = "invalid"
    errors: list[BodyError]


class PromptError(BaseModel):
    prompt: str  # the answer's path, e.g. children[0].child.dob
    message: str


class InvalidAnswers(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": "invalid_answers",
                    "errors": [
                        {
                            "prompt": "children[0].child.dob",
                            "message": "Enter the child's date of birth as a real date, "
                            "for example 27/3/2019",
                        }
                    ],
                }
            ]
        }
    )

    error: Literal["invalid_answers"] = "invalid_answers"
    errors: list[PromptError]


class Incomplete(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"error": "incomplete", "missing": ["incident.log_ref", "children"]}]
        }
    )

    error: Literal["incomplete"] = "incomplete"
    missing: list[str]


def incident_fields(incident: Incident, ps: PromptSet, state: Status) -> dict[str, Any]:
    """The fields of ``IncidentOut`` for an incident and its status under its prompt set."""
    shown, _ = prune_hidden(ps, incident.answers)
    words = reason_words(ps.version)
    reasons = [
        ReasonOut(code=r.code, grade=r.grade, child=r.child, text=words.get(r.code, r.code))
        for r in state.assessment.reasons
    ]
    return {
        "id": incident.id,
        "client_uuid": incident.client_uuid,
        "status": incident.status,
        "prompt_set_version": incident.prompt_set_version,
        "revision": incident.revision,
        "answers": shown,
        "hidden_answers": hidden_answers(ps, incident.answers, shown),
        "suggested_grade": state.assessment.grade,
        "reasons": reasons,
        "missing": state.missing,
        "reference": incident.reference,
        "created_at": incident.created_at,
        "updated_at": incident.updated_at,
    }
