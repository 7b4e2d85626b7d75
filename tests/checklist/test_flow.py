"""The officer's HTML flow: starting an incident, every screen drawn, resuming, the task list.

The helpers here (``start``, ``put``, ``stored``, ``child_ids``, ``item_ids``, ``add_child``,
``every_screen_url``) are shared by the other ``test_flow_*`` modules. Pages name children and
items by their stable ``id`` (a UUID in the stored answers), never by position.
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

PS = promptset.load_version(1)
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UUID_IN_URL = re.compile(rf"/incidents/({UUID})")


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


def child_ids(session: Session, incident_id: str) -> list[str]:
    """The stored children's ids, in order."""
    return [child["id"] for child in stored(session, incident_id).get("children", [])]


def item_ids(
    session: Session, incident_id: str, repeat: str, child: int | None = None
) -> list[str]:
    """The stored ids of the items of ``repeat`` (inside the ``child``-th child if given)."""
    scope = stored(session, incident_id)
    if child is not None:
        scope = scope["children"][child]
    return [item["id"] for item in scope.get(repeat, [])]


def add_child(client: Browserless, incident_id: str) -> str:
    """Press "Add a child"; the new child's id, read from where it leads (the child's page)."""
    response = client.form(f"/incidents/{incident_id}/children/add")
    assert response.status_code == 303, response.text[:500]
    location = response.headers["location"]
    match = re.fullmatch(rf"/incidents/{incident_id}/c/({UUID})/s/child/1", location)
    assert match, location
    return match[1]


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
    """Each page an officer can reach for these stored answers (items carry their ids), the
    check page and task list too."""
    base = f"/incidents/{incident_id}"
    urls = [base, f"{base}/children", f"{base}/check"]
    urls += [s.url(incident_id) for s in screens.flow(PS, answers)]
    for child in answers.get("children", []):
        c = f"{base}/c/{child['id']}"
        urls += [f"{c}/s/child/{p + 1}" for p in range(screens.section_pages(PS, "child"))]
        urls.append(f"{c}/remove")
        for injury in child.get("observed.injuries", []):
            urls += [
                f"{c}/r/observed.injuries/{injury['id']}",
                f"{c}/r/observed.injuries/{injury['id']}/remove",
            ]
    for adult in answers.get("household.adults", []):
        a = f"{base}/r/household.adults/{adult['id']}"
        urls += [a, f"{a}/remove"]
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
    as_officer: Browserless, session: Session, answers: dict[str, Any]
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, answers)
    urls = every_screen_url(incident_id, stored(session, incident_id))
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


def test_screens_show_saved_answers(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    page = as_officer.get(f"/incidents/{incident_id}/s/incident/1").text
    assert 'value="INC-2026-0310-123"' in page
    assert 'value="21:15"' in page  # the incident time, in UK local time
    (amy,) = child_ids(session, incident_id)
    child = as_officer.get(f"/incidents/{incident_id}/c/{amy}/s/child/1").text
    assert 'value="27"' in child and 'value="2019"' in child


@pytest.mark.parametrize(
    "url",
    [
        "/s/nowhere/1",
        "/s/incident/0",
        "/s/incident/99",
        "/s/voice/1",  # a per-child section needs a child
        "/s/risk/1",  # answered on the check page
        "/c/{child}/s/incident/1",
        "/c/{unknown}/s/child/1",  # no such child
        "/c/0/s/child/1",  # children are named by id, not position
        "/c/{unknown}/s/voice/1",
        "/c/{child}/s/child/99",
        "/r/incident.type/{adult}",
        "/r/household.adults/{unknown}",
        "/r/household.adults/0",  # items are named by id, not position
        "/r/observed.injuries/{unknown}",  # injuries belong to a child
        "/c/{child}/r/observed.injuries/{unknown}",
        "/c/{child}/r/household.adults/{adult}",
        "/c/{unknown}/remove",
        "/c/0/remove",
        "/r/household.adults/{unknown}/remove",
    ],
)
def test_pages_that_do_not_exist_are_404(
    as_officer: Browserless, session: Session, url: str
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    (child,) = child_ids(session, incident_id)
    (adult,) = item_ids(session, incident_id, "household.adults")
    path = url.format(child=child, adult=adult, unknown=uuid.uuid4())
    response = as_officer.get(f"/incidents/{incident_id}{path}")
    assert response.status_code == 404, (path, response.status_code)
    check_page(response.text)
    # The same pages for the child and adult that exist are there.
    assert as_officer.get(f"/incidents/{incident_id}/c/{child}/s/child/1").status_code == 200
    assert as_officer.get(f"/incidents/{incident_id}/r/household.adults/{adult}").status_code == 200


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


def test_continue_goes_to_the_missing_child_answer(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers(children=[child_answers(child__sex=None)]))
    (amy,) = child_ids(session, incident_id)
    page = as_officer.get(f"/incidents/{incident_id}").text
    link = re.search(r'href="([^"]+)"[^>]*>\s*Continue where you left off', page)
    assert link and link[1].startswith(f"/incidents/{incident_id}/c/{amy}/s/child/")
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


def test_the_per_child_pages_go_child_by_child(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    ben = child_answers(**{"child.name": "Ben Smith", "child.dob": "2021-05-01"})
    put(as_officer, incident_id, complete_answers(children=[child_answers(), ben]))
    amy_id, ben_id = child_ids(session, incident_id)
    base = f"/incidents/{incident_id}"
    order = [s.url(incident_id) for s in screens.flow(PS, stored_answers(as_officer, incident_id))]
    at = order.index(f"{base}/c/{amy_id}/s/observed/1")
    assert order[at + 1] == f"{base}/c/{ben_id}/s/voice/1"
    children = as_officer.get(f"{base}/children").text
    assert f'href="{base}/c/{amy_id}/s/voice/1"' in children  # Continue: the first child's voice


def api_incident(client: Browserless, incident_id: str) -> dict[str, Any]:
    """The incident as the JSON API gives it (``answers`` holds only what shows; answers kept
    but hidden are under ``hidden_answers``)."""
    response = client.get(f"/api/v1/incidents/{incident_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def stored_answers(client: Browserless, incident_id: str) -> dict[str, Any]:
    answers: dict[str, Any] = api_incident(client, incident_id)["answers"]
    return answers
