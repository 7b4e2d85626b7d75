"""Closing a no-child incident through the JSON API: the reason, If-Match, retries, refusals."""

from __future__ import annotations

import uuid
from typing import Any

import httpx2 as httpx
import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.checklist.models import Incident, IncidentStatus
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless

pytestmark = pytest.mark.db

API = "/api/v1"
NO_CHILD = {"gate.children_present": False, "gate.pregnancy": False}


def _csrf(client: Browserless, **more: str) -> dict[str, str]:
    return {"X-CSRF-Token": client.csrf, **more}


def _new(client: Browserless, answers: dict[str, Any]) -> tuple[str, int]:
    created = client.post(
        f"{API}/incidents", json={"client_uuid": str(uuid.uuid4())}, headers=_csrf(client)
    )
    assert created.status_code == 201, created.text
    incident_id = str(created.json()["id"])
    saved = client.put(
        f"{API}/incidents/{incident_id}/answers", json={"answers": answers}, headers=_csrf(client)
    )
    assert saved.status_code == 200, saved.text
    return incident_id, int(saved.json()["revision"])


def _close(
    client: Browserless, incident_id: str, body: Any = None, if_match: str | None = None
) -> httpx.Response:
    headers = _csrf(client, **({"If-Match": if_match} if if_match else {}))
    return client.post(f"{API}/incidents/{incident_id}/close", json=body, headers=headers)


def _closings(session: Session, incident_id: str) -> int:
    query = select(AuditEvent).where(
        AuditEvent.action == "incident.closed_no_child", AuditEvent.object_id == incident_id
    )
    return len(session.exec(query).all())


def test_close_with_the_reason_in_the_body(as_officer: Browserless, session: Session) -> None:
    incident_id, revision = _new(as_officer, NO_CHILD)
    response = _close(as_officer, incident_id, {"reason": "Asked both adults."}, f'"{revision}"')
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == IncidentStatus.NO_CHILD
    assert body["answers"]["gate.no_child_reason"] == "Asked both adults."
    assert response.headers["ETag"] == f'"{body["revision"]}"'
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    session.refresh(incident)
    assert incident.status == IncidentStatus.NO_CHILD
    assert incident.closed_at is not None


def test_close_with_the_reason_saved_before(as_officer: Browserless) -> None:
    incident_id, _ = _new(as_officer, {**NO_CHILD, "gate.no_child_reason": "Checked systems."})
    response = _close(as_officer, incident_id)
    assert response.status_code == 200, response.text
    assert response.json()["answers"]["gate.no_child_reason"] == "Checked systems."


def test_closing_twice_is_applied_once(as_officer: Browserless, session: Session) -> None:
    incident_id, revision = _new(as_officer, NO_CHILD)
    first = _close(as_officer, incident_id, {"reason": "Asked."}, f'"{revision}"')
    again = _close(as_officer, incident_id, {"reason": "Asked."}, f'"{revision}"')
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["revision"] == first.json()["revision"]
    assert _closings(session, incident_id) == 1


def test_a_stale_if_match_closes_nothing(as_officer: Browserless, session: Session) -> None:
    incident_id, revision = _new(as_officer, NO_CHILD)
    response = _close(as_officer, incident_id, {"reason": "Asked."}, f'"{revision - 1}"')
    assert response.status_code == 412
    assert response.json()["error"] == "stale_revision"
    assert response.json()["current"]["status"] == "draft"
    assert _closings(session, incident_id) == 0


@pytest.mark.parametrize(
    ("answers", "body"),
    [
        (NO_CHILD, None),  # no reason anywhere
        (NO_CHILD, {"reason": "   "}),  # a blank reason
        (NO_CHILD, {"reason": "x" * 2001}),  # longer than the prompt allows
        ({"gate.children_present": True, "gate.pregnancy": False}, {"reason": "Asked."}),
    ],
)
def test_close_refused_changes_nothing(
    as_officer: Browserless, session: Session, answers: dict[str, Any], body: Any
) -> None:
    incident_id, revision = _new(as_officer, answers)
    response = _close(as_officer, incident_id, body)
    assert response.status_code == 422
    assert response.json() == {"error": "cannot_close"}
    stored = as_officer.get(f"{API}/incidents/{incident_id}").json()
    assert (stored["status"], stored["revision"]) == ("draft", revision)
    assert "gate.no_child_reason" not in stored["answers"]


def test_a_submitted_incident_cannot_be_closed(as_officer: Browserless, session: Session) -> None:
    incident_id, _ = _new(as_officer, NO_CHILD)
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    incident.status = IncidentStatus.SUBMITTED
    session.add(incident)
    session.commit()
    response = _close(as_officer, incident_id, {"reason": "Asked."})
    assert response.status_code == 409
    assert response.json() == {"error": "incident_locked"}


def test_an_unknown_body_key_is_refused(as_officer: Browserless) -> None:
    incident_id, _ = _new(as_officer, NO_CHILD)
    response = _close(as_officer, incident_id, {"why": "Asked."})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"


def test_someone_elses_incident_is_not_found(as_officer: Browserless, session: Session) -> None:
    incident_id, _ = _new(as_officer, NO_CHILD)
    as_officer.cookies.clear()
    other = make_user(session, roles=("officer",))
    as_officer.log_in(other.username, PASSWORD)
    response = _close(as_officer, incident_id, {"reason": "Asked."})
    assert response.status_code == 404


def test_close_needs_csrf(as_officer: Browserless) -> None:
    incident_id, _ = _new(as_officer, NO_CHILD)
    response = as_officer.post(f"{API}/incidents/{incident_id}/close", json={"reason": "Asked."})
    assert response.status_code == 403
