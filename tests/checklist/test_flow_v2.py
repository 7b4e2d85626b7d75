"""The officer's v2 flow through the pages (HTTP): a new incident is answered under v2; the
guidance card comes before the child questions; the one-chance warning; the household domestic
abuse screen; the urgent call asked for on the check page; Encompass; submission."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from sqlmodel import Session, select

from app.checklist import screens
from app.checklist.models import Incident
from app.checklist.promptset import load_version
from app.referrals.models import ReferralVersion
from tests.checklist.builders_v2 import child_answers_v2, complete_answers_v2
from tests.checklist.test_flow import add_child, put, start, stored
from tests.checklist.test_flow_save import post_page
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

PS = load_version(2)
URGENT = ["action.urgent_call_to", "action.urgent_call_time", "action.urgent_call_agreed"]


def _version(session: Session, incident_id: str) -> int:
    session.expire_all()
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    return incident.prompt_set_version


def test_a_new_incident_is_answered_under_v2(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    assert _version(session, incident_id) == 2
    page = as_officer.get(f"/incidents/{incident_id}/s/incident/1")
    assert "Step 1 of 12" in page.text
    assert "Did you record body-worn video?" in page.text


def test_every_v2_screen_renders(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers_v2())
    answers = stored(session, incident_id)
    urls = [s.url(incident_id) for s in screens.flow(PS, answers)]
    assert f"/incidents/{incident_id}/s/domestic_abuse/1" in urls
    child = answers["children"][0]["id"]
    assert f"/incidents/{incident_id}/c/{child}/s/concern/1" in urls
    for url in [*urls, f"/incidents/{incident_id}/c/{child}/s/child/1"]:
        response = as_officer.get(url)
        assert response.status_code == 200, url
        check_page(response.text)


def test_the_guidance_card_comes_before_the_first_child_question(
    as_officer: Browserless,
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, {"gate.children_present": True, "gate.pregnancy": False})
    child = add_child(as_officer, incident_id)
    html = as_officer.get(f"/incidents/{incident_id}/c/{child}/s/child/1").text
    check_page(html)
    card = html.index("Before you ask about this child")
    assert card < html.index("Child&#39;s full name") and card < html.index('name="child.name"')
    assert 'name="child.guidance"' not in html and 'value="child.guidance"' not in html


def test_the_one_chance_warning_and_no_parents_told(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    fgm = child_answers_v2(**{"concern.categories": ["fgm_forced_marriage_hba"]})
    put(as_officer, incident_id, complete_answers_v2(children=[fgm]))
    child = stored(session, incident_id)["children"][0]["id"]
    concern = as_officer.get(f"/incidents/{incident_id}/c/{child}/s/concern/1").text
    assert "One chance: do not tell or involve the family" in concern
    sharing = as_officer.get(f"/incidents/{incident_id}/s/sharing/1").text
    assert "Have the parents or carers been told about this referral?" not in sharing


def test_the_guidance_card_saves_nothing(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, {"gate.children_present": True, "gate.pregnancy": False})
    child = add_child(as_officer, incident_id)
    url = f"/incidents/{incident_id}/c/{child}/s/child/1"
    response = post_page(
        as_officer,
        url,
        {
            "child.name": "Amy Smith",
            "_present": ["child.name", "child.guidance"],
            "child.guidance": "typed",
        },
    )
    assert response.status_code in (200, 303, 422)
    (entry,) = stored(session, incident_id)["children"]
    assert entry["child.name"] == "Amy Smith"
    assert "child.guidance" not in entry


def test_check_page_asks_for_the_urgent_call_and_lists_encompass(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    answers = complete_answers_v2(**{p.replace(".", "__"): None for p in URGENT})
    put(as_officer, incident_id, answers)
    html = as_officer.get(f"/incidents/{incident_id}/check").text
    check_page(html)
    assert "Suggested grade: High" in html
    assert "Step 12 of 12" in html
    assert "Urgent call: who did you speak to at the MASH or emergency duty team?" in html
    assert f'href="/incidents/{incident_id}/s/action/1"' in html
    assert "Operation Encompass" in html
    assert (
        "Anytown Primary School, for Amy Smith (age 6): before school on Wednesday 11 March 2026"
        in html
    )
    refused = post_page(
        as_officer,
        f"/incidents/{incident_id}/check",
        {
            "risk.officer_grade": "high",
            "risk.rationale": "r",
            "risk.request": "assessment",
            "declaration.confirmed": "yes",
            "action": "submit",
        },
    )
    assert refused.status_code == 422
    assert not _submitted(session, incident_id)


def _submitted(session: Session, incident_id: str) -> bool:
    session.expire_all()
    incident = session.get(Incident, uuid.UUID(incident_id))
    return incident is not None and incident.status != "draft"


def test_a_complete_v2_incident_is_submitted_under_v2(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers_v2())
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/check",
        {
            "risk.officer_grade": "high",
            "risk.rationale": "Amy disclosed.",
            "risk.request": "strategy_discussion",
            "declaration.confirmed": "yes",
            "action": "submit",
        },
    )
    assert response.status_code == 303, response.text[:2000]
    assert re.search(r"/referrals/TC-\d{4}-\d{6}", response.headers["location"])
    version = session.exec(select(ReferralVersion)).all()[-1]
    assert version.prompt_set_version == 2
    assert version.answers["sharing.agencies"] == ["school"]


def test_a_standard_grade_says_no_answer_raised_it(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    calm: dict[str, Any] = child_answers_v2(
        **{"voice.disclosure": False, "concern.categories": ["emotional"]}
    )
    for key in [k for k in calm if k.startswith("voice.disclosure_") or k.endswith("_tonight")]:
        calm.pop(key)
    answers = complete_answers_v2(
        **{"incident.type": "concern_for_welfare", "risk.officer_grade": "standard"},
        children=[calm],
    )
    put(as_officer, incident_id, answers)
    html = as_officer.get(f"/incidents/{incident_id}/check").text
    assert "Suggested grade: Standard" in html
    assert "None of your answers raised the grade." in html
    assert "Operation Encompass" not in html
