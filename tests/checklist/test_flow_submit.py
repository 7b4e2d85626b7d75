"""Check your answers and submit: missing answers as links, the rules the prompt file cannot say,
the suggested grade with its reasons, one referral however often it is submitted."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from app.checklist.models import Incident, IncidentStatus
from app.referrals.models import Referral, ReferralVersion
from tests.checklist.builders import child_answers, complete_answers
from tests.checklist.test_flow import child_ids, item_ids, put, start, stored
from tests.checklist.test_flow_save import post_page, summary_links
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

REFERENCE = re.compile(r"/referrals/(TC-(\d{4})-\d{6})")
CHECK_FORM = {
    "risk.officer_grade": "high",
    "risk.rationale": "Amy told me her father pushed her over.",
    "declaration.confirmed": "yes",
}


def submit(client: Browserless, incident_id: str, **changes: str) -> Any:
    data = {**CHECK_FORM, **changes, "action": "submit"}
    return post_page(client, f"/incidents/{incident_id}/check", data)


def _referrals(session: Session, incident_id: str) -> list[Referral]:
    session.expire_all()
    query = select(Referral).where(Referral.incident_id == uuid.UUID(incident_id))
    return list(session.exec(query))


# --- the check page ----------------------------------------------------------------------------


def test_check_page_lists_answers_with_change_links_and_the_grade(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    answers = complete_answers(**{"action.police_protection": None})
    answers |= {
        "action.police_protection": True,
        "action.pp_time": "2026-03-10T22:00:00+00:00",
        "action.pp_place_of_safety": "Nan's house",
        "action.pp_designated_officer_informed": "Insp Grey at 22:10",
        "action.pp_la_informed": "EDT duty worker at 22:15",
        "action.pp_child_informed_wishes": "Amy wants to stay with her nan",
        "action.pp_parents_informed": "Mother told in person at 22:05",
        "action.pp_reason": "Father's violence towards Amy",
    }
    put(as_officer, incident_id, answers)
    (amy,) = child_ids(session, incident_id)
    (jo,) = item_ids(session, incident_id, "household.adults")
    page = as_officer.get(f"/incidents/{incident_id}/check")
    assert page.status_code == 200
    html = page.text
    check_page(html)
    assert "INC-2026-0310-123" in html
    assert "Amy Smith" in html
    assert "&#34;Daddy hit mummy and then he pushed me over&#34;" in html  # the child's words
    assert f'href="/incidents/{incident_id}/c/{amy}/s/voice/1"' in html  # Change the words
    assert f'href="/incidents/{incident_id}/s/incident/1"' in html
    assert f'href="/incidents/{incident_id}/r/household.adults/{jo}"' in html
    assert "Suggested grade: High" in html
    assert "High because: the child disclosed abuse (Amy Smith); police protection was used" in html
    assert "Submit referral" in html


def test_check_page_lists_missing_answers_as_links(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    answers = complete_answers(children=[child_answers(child__sex=None)])
    del answers["home.carer_capable"]
    del answers["risk.rationale"]
    put(as_officer, incident_id, answers)
    (amy,) = child_ids(session, incident_id)
    response = submit(as_officer, incident_id, **{"risk.rationale": ""})
    assert response.status_code == 422
    html = response.text
    check_page(html)
    assert "You cannot submit yet" in html
    assert "Answer these first (3)" in html
    assert "Child 1 (Amy Smith): Sex" in html
    links = summary_links(html)
    assert f"/incidents/{incident_id}/c/{amy}/s/child/1" in links
    assert f"/incidents/{incident_id}/s/home/2" in links
    assert "#f-risk-rationale" in links
    assert 'id="f-risk-rationale"' in html


def test_submit_is_refused_until_complete_then_accepted(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    answers = complete_answers()
    del answers["concern.categories"]
    put(as_officer, incident_id, answers)
    refused = submit(as_officer, incident_id)
    assert refused.status_code == 422
    assert "What are your concerns for the children?" in refused.text
    assert _referrals(session, incident_id) == []
    # The grade and rationale typed on the check page were kept while it was refused.
    assert stored(session, incident_id)["risk.rationale"] == CHECK_FORM["risk.rationale"]
    assert 'value="high"' in refused.text

    put(as_officer, incident_id, {"concern.categories": ["physical"]})
    accepted = submit(as_officer, incident_id)
    assert accepted.status_code == 303
    match = REFERENCE.match(accepted.headers["location"])
    assert match, accepted.headers["location"]
    assert match[2] == str(datetime.now(UTC).year)
    assert [r.reference for r in _referrals(session, incident_id)] == [match[1]]


def test_submitted_referral_page_shows_the_reference(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    location = submit(as_officer, incident_id).headers["location"]
    page = as_officer.get(location)
    assert page.status_code == 200
    check_page(page.text)
    reference = REFERENCE.match(location)
    assert reference
    assert "Referral submitted" in page.text and reference[1] in page.text
    assert "Waiting for supervisor review" in page.text
    assert "Amy Smith" in page.text
    assert "High (suggested: High)" in page.text
    forget = f'<meta name="tc-forget" content="{incident_id}">'  # the copy on the phone goes
    assert forget in page.text
    again = as_officer.get(f"/referrals/{reference[1]}")
    check_page(again.text)
    assert "Referral submitted" not in again.text  # only straight after submitting
    assert forget not in again.text
    # The incident is submitted; its record frozen.
    session.expire_all()
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None and incident.status == IncidentStatus.SUBMITTED
    version = session.exec(select(ReferralVersion)).all()
    assert len(version) == 1 and version[0].answers["incident.log_ref"] == "INC-2026-0310-123"
    home = as_officer.get("/incidents").text
    assert f'href="/referrals/{reference[1]}"' in home


def test_submitting_twice_gives_one_referral(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    as_officer.get(f"/incidents/{incident_id}/check")  # both taps come from the same page
    form = {**CHECK_FORM, "action": "submit", "_present": list(CHECK_FORM)}
    first = as_officer.form(f"/incidents/{incident_id}/check", form)
    second = as_officer.form(f"/incidents/{incident_id}/check", form)
    assert first.status_code == second.status_code == 303
    assert REFERENCE.match(first.headers["location"])
    ref = REFERENCE.match(first.headers["location"])
    assert ref and second.headers["location"].startswith(f"/referrals/{ref[1]}")
    assert len(_referrals(session, incident_id)) == 1
    also = as_officer.form(f"/incidents/{incident_id}/submit")
    assert also.status_code == 303 and also.headers["location"].startswith(f"/referrals/{ref[1]}")
    assert len(_referrals(session, incident_id)) == 1


def test_a_submitted_incident_is_read_only(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    (amy,) = child_ids(session, incident_id)
    (jo,) = item_ids(session, incident_id, "household.adults")
    location = submit(as_officer, incident_id).headers["location"]
    reference = location.split("/")[2].split("?")[0]
    base = f"/incidents/{incident_id}"
    overview = as_officer.get(base).text
    assert f'href="/referrals/{reference}"' in overview
    page = as_officer.get(f"{base}/c/{amy}/s/voice/1").text
    assert "Save and continue" not in page and "can no longer be changed" in page
    household = as_officer.get(f"{base}/s/household/1").text
    check_page(household)
    assert "hx-post" not in household and '<fieldset class="tc-locked" disabled>' in household
    assert "Jo Smith" in household
    assert "Add another adult" not in household and "/remove" not in household
    assert as_officer.get(f"{base}/r/household.adults/{jo}/remove").status_code == 303
    check = as_officer.get(f"{base}/check")
    assert check.status_code == 200 and "Submit referral" not in check.text
    for url in (
        f"{base}/s/incident/1",
        f"{base}/c/{amy}/s/child/1",
        f"{base}/r/household.adults/{jo}",
    ):
        response = as_officer.form(url, {"_present": "incident.log_ref", "incident.log_ref": "X"})
        assert response.status_code == 409, url
        assert reference in response.text
    for url in (f"{base}/children/add", f"{base}/c/{amy}/remove", f"{base}/close"):
        assert as_officer.form(url).status_code in (409, 303), url
    assert stored(session, incident_id)["incident.log_ref"] == "INC-2026-0310-123"
    assert child_ids(session, incident_id) == [amy]
    assert item_ids(session, incident_id, "household.adults") == [jo]


# --- the rules the prompt file cannot say ------------------------------------------------------


def test_police_protection_needs_every_s46_duty(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    post_page(
        as_officer,
        f"/incidents/{incident_id}/s/action/1",
        {
            "action.police_protection": "yes",
            "action.pp_place_of_safety": "Nan's house",
            "action.taken": "social_care_called_now",
        },
    )
    response = submit(as_officer, incident_id)
    assert response.status_code == 422
    for label in (
        "When did police protection start?",
        "Which designated officer was told, and when?",
        "Who at the local authority was told, and when?",
        "What was the child told, and what are their wishes and feelings?",
        "Which parents or carers were told, when, and how?",
        "Why was police protection needed?",
    ):
        assert label in response.text, label
    assert "Answer these first (6)" in response.text
    assert _referrals(session, incident_id) == []


def test_the_childs_words_are_needed_when_spoken_to(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers(children=[child_answers(voice__words=None)]))
    (amy,) = child_ids(session, incident_id)
    response = submit(as_officer, incident_id)
    assert response.status_code == 422
    assert "Child 1 (Amy Smith): What did the child say?" in response.text
    assert f"/incidents/{incident_id}/c/{amy}/s/voice/1" in summary_links(response.text)
    assert _referrals(session, incident_id) == []


def test_no_words_needed_when_not_spoken_to(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    child = child_answers(
        child__spoken_to=False,
        child__spoken_alone=None,
        voice__words=None,
        child__not_spoken_reason="Asleep",
    )
    put(as_officer, incident_id, complete_answers(children=[child]))
    assert submit(as_officer, incident_id).status_code == 303


def test_a_lower_grade_needs_an_override_reason(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    response = submit(as_officer, incident_id, **{"risk.officer_grade": "medium"})
    assert response.status_code == 422
    assert "Why is your grade lower than the suggested grade?" in response.text
    assert "#f-risk-override_reason" in summary_links(response.text)
    assert _referrals(session, incident_id) == []
    accepted = submit(
        as_officer,
        incident_id,
        **{"risk.officer_grade": "medium", "risk.override_reason": "Father arrested and bailed"},
    )
    assert accepted.status_code == 303
    assert _referrals(session, incident_id)[0].grade == "medium"


def test_the_declaration_must_be_yes(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    response = submit(as_officer, incident_id, **{"declaration.confirmed": "no"})
    assert response.status_code == 422
    assert "I confirm this record is accurate" in response.text
    assert _referrals(session, incident_id) == []


def test_save_without_submitting(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers(**{"risk.rationale": None}))
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/check",
        {"risk.officer_grade": "high", "risk.rationale": "Disclosure", "action": "save"},
    )
    assert response.status_code == 303
    assert stored(session, incident_id)["risk.rationale"] == "Disclosure"
    assert _referrals(session, incident_id) == []


def test_a_gate_closing_incident_cannot_be_submitted(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(
        as_officer,
        incident_id,
        {"gate.children_present": False, "gate.pregnancy": False, "gate.no_child_reason": "x"},
    )
    response = as_officer.get(f"/incidents/{incident_id}/check")
    assert response.status_code == 200
    assert "Submit referral" not in response.text
    assert f'href="/incidents/{incident_id}/close"' in response.text
    refused = as_officer.form(f"/incidents/{incident_id}/check", {"action": "submit"})
    assert refused.status_code == 303
    assert refused.headers["location"] == f"/incidents/{incident_id}/close"
    assert _referrals(session, incident_id) == []


def test_check_page_says_what_is_still_to_answer_before_submitting(
    as_officer: Browserless,
) -> None:
    incident_id = start(as_officer)
    answers = complete_answers(**{"risk.rationale": None})
    del answers["home.carer_capable"]
    put(as_officer, incident_id, answers)
    page = as_officer.get(f"/incidents/{incident_id}/check")
    assert page.status_code == 200
    check_page(page.text)
    assert "Still to answer" in page.text
    assert "Before you can submit, answer this:" in page.text  # the rationale is on this page
    assert f'href="/incidents/{incident_id}/s/home/2"' in page.text
    assert "govuk-error-summary" not in page.text  # nothing is wrong yet
    put(as_officer, incident_id, {"home.carer_capable": True})
    assert "Still to answer" not in as_officer.get(f"/incidents/{incident_id}/check").text


def test_a_returned_referral_is_listed_and_can_be_submitted_again(
    as_officer: Browserless, session: Session
) -> None:
    from app.referrals.models import ReferralStatus

    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    reference = submit(as_officer, incident_id).headers["location"].split("/")[2].split("?")[0]
    # The supervisor returns it (as app.review does): the draft opens again.
    referral = _referrals(session, incident_id)[0]
    referral.status = ReferralStatus.RETURNED
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    incident.status = IncidentStatus.DRAFT
    session.add_all([referral, incident])
    session.commit()
    home = as_officer.get("/incidents").text
    assert "Returned for changes" in home
    assert f'<a class="govuk-link" href="/incidents/{incident_id}">{reference}</a>' in home
    put(as_officer, incident_id, {"incident.log_ref": "INC-2026-0310-124"})
    again = submit(as_officer, incident_id)
    assert again.status_code == 303 and reference in again.headers["location"]
    referrals = _referrals(session, incident_id)
    assert len(referrals) == 1 and referrals[0].version == 2
