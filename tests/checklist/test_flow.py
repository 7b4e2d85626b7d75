"""The officer's HTML flow: starting an incident, every screen drawn, resuming, the task list.

The helpers here (``start``, ``put``, ``stored``, ``every_screen_url``) are shared by the other
``test_flow_*`` modules.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from sqlmodel import Session, select

from app.checklist import promptset, screens
from app.checklist.models import Incident
from tests.checklist.builders import child_answers, complete_answers
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

PS = promptset.current()
UUID_IN_URL = re.compile(r"/incidents/([0-9a-f-]{36})")


def start(client: Browserless, client_uuid: uuid.UUID | None = None) -> str:
    """Press "Start an incident"; the incident's id."""
    client.get("/incidents")
    response = client.form("/incidents", {"client_uuid": str(client_uuid or uuid.uuid4())})
    assert response.status_code == 303, response.text[:500]
    match = UUID_IN_URL.match(response.headers["location"])
    assert match, response.headers["location"]
    return match[1]


def put(client: Browserless, incident_id: str, answers: dict[str, Any]) -> None:
    """Load answers through the JSON API (as the offline sync would)."""
    response = client.put(
        f"/api/v1/incidents/{incident_id}/answers",
        json={"answers": answers},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert response.status_code == 200, response.text


def stored(session: Session, incident_id: str) -> dict[str, Any]:
    session.expire_all()
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    return dict(incident.answers)


def with_injury_and_adult() -> dict[str, Any]:
    """Complete answers where the child has an injury (so the injury pages exist)."""
    injury = {
        "injury.location": "left upper arm",
        "injury.size": "2cm by 3cm",
        "injury.colour": "purple",
        "injury.skin_broken": False,
        "injury.explanation": "Amy said her dad grabbed her",
    }
    child = child_answers(observed__injury=True, **{"observed.injuries": [injury]})
    return complete_answers(children=[child])


def every_screen_url(incident_id: str, answers: dict[str, Any]) -> list[str]:
    """Each page an officer can reach for these answers (the check page and task list too)."""
    base = f"/incidents/{incident_id}"
    urls = [base, f"{base}/children", f"{base}/check"]
    urls += [s.url(incident_id) for s in screens.flow(PS, answers)]
    for i in range(screens.children_count(answers)):
        urls += [f"{base}/c/{i}/s/child/{p + 1}" for p in range(screens.section_pages(PS, "child"))]
        urls.append(f"{base}/c/{i}/remove")
        for j, _ in enumerate(answers["children"][i].get("observed.injuries", [])):
            urls += [
                f"{base}/c/{i}/r/observed.injuries/{j}",
                f"{base}/c/{i}/r/observed.injuries/{j}/remove",
            ]
    for j, _ in enumerate(answers.get("household.adults", [])):
        urls += [f"{base}/r/household.adults/{j}", f"{base}/r/household.adults/{j}/remove"]
    return urls


# --- starting ----------------------------------------------------------------------------------


def test_officer_home_offers_start_and_lists(as_officer: Browserless) -> None:
    response = as_officer.get("/incidents")
    assert response.status_code == 200
    check_page(response.text)
    assert "Start an incident" in response.text
    assert 'name="client_uuid"' in response.text
    assert "You have no drafts" in response.text


def test_start_an_incident_goes_to_its_first_screen(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    page = as_officer.get(f"/incidents/{incident_id}/s/incident/1")
    assert page.status_code == 200
    check_page(page.text)
    assert "Incident or occurrence number" in page.text
    assert "Step 1 of 11" in page.text
    home = as_officer.get("/incidents").text
    assert f"/incidents/{incident_id}" in home  # listed under drafts


def test_the_same_client_uuid_twice_gives_one_incident(
    as_officer: Browserless, session: Session
) -> None:
    client_uuid = uuid.uuid4()
    first = start(as_officer, client_uuid)
    second = start(as_officer, client_uuid)
    assert first == second
    count = session.exec(select(Incident).where(Incident.client_uuid == client_uuid)).all()
    assert len(count) == 1


def test_a_malformed_client_uuid_gets_a_plain_page(as_officer: Browserless) -> None:
    as_officer.get("/incidents")
    response = as_officer.form("/incidents", {"client_uuid": "not-a-uuid"})
    assert response.status_code == 422
    check_page(response.text)


# --- every screen draws ------------------------------------------------------------------------


@pytest.mark.parametrize("answers", [complete_answers(), with_injury_and_adult()])
def test_every_screen_renders_for_a_complete_incident(
    as_officer: Browserless, answers: dict[str, Any]
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, answers)
    urls = every_screen_url(incident_id, answers)
    assert len(urls) > 15
    for url in urls:
        response = as_officer.get(url)
        assert response.status_code == 200, (url, response.status_code)
        check_page(response.text)
        assert "Traceback" not in response.text


def test_every_screen_renders_for_an_empty_incident(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    base = f"/incidents/{incident_id}"
    urls = [base, f"{base}/check", f"{base}/close"]
    urls += [f"{base}/s/{s}/1" for s in ("incident", "gate")]
    for url in urls:
        response = as_officer.get(url)
        assert response.status_code == 200, (url, response.status_code)
        check_page(response.text)


def test_screens_show_saved_answers(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    page = as_officer.get(f"/incidents/{incident_id}/s/incident/1").text
    assert 'value="INC-2026-0310-123"' in page
    assert 'value="21:15"' in page  # the incident time, in UK local time
    child = as_officer.get(f"/incidents/{incident_id}/c/0/s/child/1").text
    assert 'value="27"' in child and 'value="2019"' in child


@pytest.mark.parametrize(
    "url",
    [
        "/s/nowhere/1",
        "/s/incident/0",
        "/s/incident/99",
        "/s/voice/1",  # a per-child section needs a child
        "/s/risk/1",  # answered on the check page
        "/c/0/s/incident/1",
        "/c/5/s/child/1",
        "/c/0/s/voice/1",
        "/r/incident.type/0",
        "/r/household.adults/7",
        "/r/observed.injuries/0",  # injuries belong to a child
        "/c/0/r/household.adults/0",
        "/c/9/remove",
        "/r/household.adults/9/remove",
    ],
)
def test_pages_that_do_not_exist_are_404(as_officer: Browserless, url: str) -> None:
    incident_id = start(as_officer)
    response = as_officer.get(f"/incidents/{incident_id}{url}")
    assert response.status_code == 404, response.status_code
    check_page(response.text)


# --- the task list and resuming ----------------------------------------------------------------


def test_task_list_shows_section_states(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    answers = complete_answers()
    del answers["home.carer_capable"]
    put(as_officer, incident_id, answers)
    page = as_officer.get(f"/incidents/{incident_id}").text
    check_page(page)
    assert "Continue where you left off" in page
    assert "Incomplete" in page  # home
    assert "Completed" in page
    assert "1 answer needed" in page and "1 answers" not in page


def test_continue_goes_to_the_first_screen_with_something_missing(
    as_officer: Browserless,
) -> None:
    incident_id = start(as_officer)
    answers = complete_answers()
    del answers["home.carer_capable"]
    put(as_officer, incident_id, answers)
    page = as_officer.get(f"/incidents/{incident_id}").text
    link = re.search(r'href="([^"]+)"[^>]*>\s*Continue where you left off', page)
    assert link, page
    assert link[1] == f"/incidents/{incident_id}/s/home/2"  # page 1 holds home.conditions alone
    assert "Is a parent or carer able" in as_officer.get(link[1]).text


def test_continue_goes_to_the_missing_child_answer(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers(children=[child_answers(child__sex=None)]))
    page = as_officer.get(f"/incidents/{incident_id}").text
    link = re.search(r'href="([^"]+)"[^>]*>\s*Continue where you left off', page)
    assert link and link[1].startswith(f"/incidents/{incident_id}/c/0/s/child/")
    assert "Sex" in as_officer.get(link[1]).text


def test_a_new_incident_starts_at_the_first_screen(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    page = as_officer.get(f"/incidents/{incident_id}").text
    assert "Start the checklist" in page
    assert f'href="/incidents/{incident_id}/s/incident/1"' in page


def test_complete_incident_resumes_at_the_check_page(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    page = as_officer.get(f"/incidents/{incident_id}").text
    assert f'href="/incidents/{incident_id}/check"' in page
    assert "Ready to check" in page


def test_the_per_child_pages_go_child_by_child(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    ben = child_answers(**{"child.name": "Ben Smith", "child.dob": "2021-05-01"})
    put(as_officer, incident_id, complete_answers(children=[child_answers(), ben]))
    base = f"/incidents/{incident_id}"
    order = [s.url(incident_id) for s in screens.flow(PS, stored_answers(as_officer, incident_id))]
    at = order.index(f"{base}/c/0/s/observed/1")
    assert order[at + 1] == f"{base}/c/1/s/voice/1"
    children = as_officer.get(f"{base}/children").text
    assert f'href="{base}/c/0/s/voice/1"' in children  # Continue: the first child's voice


def stored_answers(client: Browserless, incident_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/incidents/{incident_id}")
    answers: dict[str, Any] = response.json()["answers"]
    return answers
