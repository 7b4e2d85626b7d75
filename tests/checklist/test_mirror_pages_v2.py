"""Which pages keep a copy of the incident on the phone (static/js/mirror.mjs): a draft's screens
keep it; a closed incident's pages remove it and never keep one."""

from __future__ import annotations

import uuid

import pytest

from app.assets import static_url
from tests.helpers import Browserless

pytestmark = pytest.mark.db

MIRROR = static_url("js/mirror.mjs")


def _incident(client: Browserless, answers: dict[str, object]) -> str:
    headers = {"X-CSRF-Token": client.csrf}
    made = client.post(
        "/api/v1/incidents", json={"client_uuid": str(uuid.uuid4())}, headers=headers
    )
    assert made.status_code == 201, made.text
    incident = str(made.json()["id"])
    saved = client.put(
        f"/api/v1/incidents/{incident}/answers", json={"answers": answers}, headers=headers
    )
    assert saved.status_code == 200, saved.text
    return incident


def test_a_drafts_screen_keeps_a_copy(as_officer: Browserless) -> None:
    incident = _incident(as_officer, {"incident.log_ref": "INC-1"})
    page = as_officer.get(f"/incidents/{incident}/s/incident/1")
    assert page.status_code == 200
    assert MIRROR in page.text and 'class="tc-screen-form"' in page.text
    assert 'name="tc-forget"' not in page.text
    overview = as_officer.get(f"/incidents/{incident}")  # a draft's overview: nothing removed
    assert MIRROR not in overview.text and 'name="tc-forget"' not in overview.text


def test_a_closed_incidents_pages_remove_the_copy(as_officer: Browserless) -> None:
    incident = _incident(as_officer, {"gate.children_present": False, "gate.pregnancy": False})
    closed = as_officer.post(
        f"/api/v1/incidents/{incident}/close",
        json={"reason": "Asked both adults."},
        headers={"X-CSRF-Token": as_officer.csrf},
    )
    assert closed.status_code == 200, closed.text
    forget = f'<meta name="tc-forget" content="{incident}">'
    overview = as_officer.get(f"/incidents/{incident}")
    assert forget in overview.text and MIRROR in overview.text
    screen = as_officer.get(f"/incidents/{incident}/s/incident/1")
    assert 'class="tc-screen-form"' not in screen.text  # read-only: nothing to keep
    assert forget in screen.text and MIRROR in screen.text
