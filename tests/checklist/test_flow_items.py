"""Lists on the checklist (children, adults, injuries: add, change, remove with confirmation),
closing at the gate, and read-only incidents."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, select

from app.checklist.models import Incident, IncidentStatus
from app.referrals.models import Referral, ReferralVersion
from tests.checklist.builders import complete_answers
from tests.checklist.test_flow import (
    add_child,
    api_incident,
    child_ids,
    item_ids,
    put,
    start,
    stored,
    with_injury_and_adult,
)
from tests.checklist.test_flow_save import GATE_YES, post_page, summary_links
from tests.checklist.test_flow_submit import submit
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db


def _status(session: Session, incident_id: str) -> str:
    session.expire_all()
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    return str(incident.status)


# --- children ----------------------------------------------------------------------------------


def test_add_change_and_remove_children(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, GATE_YES)
    base = f"/incidents/{incident_id}"
    page = as_officer.get(f"{base}/children")
    assert page.status_code == 200
    assert "Add a child" in page.text

    # Adding a child makes it an id, kept for life, and opens its page.
    amy = add_child(as_officer, incident_id)
    assert child_ids(session, incident_id) == [amy]
    post_page(as_officer, f"{base}/c/{amy}/s/child/1", {"child.name": "Amy Smith"})
    ben = add_child(as_officer, incident_id)
    assert ben != amy
    post_page(as_officer, f"{base}/c/{ben}/s/child/1", {"child.name": "Ben Smith"})
    children = stored(session, incident_id)["children"]
    assert [(c["id"], c.get("child.name")) for c in children] == [
        (amy, "Amy Smith"),
        (ben, "Ben Smith"),
    ]

    listing = as_officer.get(f"{base}/children").text
    check_page(listing)
    assert "Amy Smith" in listing and "Ben Smith" in listing
    assert "Add another child" in listing
    assert f'href="{base}/c/{ben}/s/child/1"' in listing  # Change
    assert "Incomplete" in listing

    # Change the second child.
    post_page(as_officer, f"{base}/c/{ben}/s/child/1", {"child.name": "Ben Jones"})
    assert stored(session, incident_id)["children"][1]["child.name"] == "Ben Jones"

    # Remove the first: a confirmation page first, and nothing removed by looking at it.
    confirm = as_officer.get(f"{base}/c/{amy}/remove")
    assert confirm.status_code == 200
    check_page(confirm.text)
    assert "Are you sure you want to remove this child: Amy Smith?" in confirm.text
    assert len(stored(session, incident_id)["children"]) == 2
    removed = as_officer.form(f"{base}/c/{amy}/remove")
    assert removed.status_code == 303
    assert removed.headers["location"] == f"{base}/children"
    children = stored(session, incident_id)["children"]
    assert [(c["id"], c.get("child.name")) for c in children] == [(ben, "Ben Jones")]
    # Ben keeps his id and his pages now that he is the first child; Amy's pages are gone.
    assert as_officer.get(f"{base}/c/{ben}/s/child/1").status_code == 200
    assert as_officer.get(f"{base}/c/{amy}/s/child/1").status_code == 404


def test_children_list_before_the_gate_goes_to_the_task_list(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    response = as_officer.get(f"/incidents/{incident_id}/children")
    assert response.status_code == 303
    assert response.headers["location"] == f"/incidents/{incident_id}"


def test_removing_the_last_child_shows_the_empty_list(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    (amy,) = child_ids(session, incident_id)
    assert as_officer.form(f"/incidents/{incident_id}/c/{amy}/remove").status_code == 303
    assert stored(session, incident_id)["children"] == []
    page = as_officer.get(f"/incidents/{incident_id}/children").text
    assert "Add a child" in page
    check_page(page)


# --- adults and injuries -----------------------------------------------------------------------


def test_add_change_and_remove_adults(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, GATE_YES)
    base = f"/incidents/{incident_id}"
    household = f"{base}/s/household/1"
    # The add button saves what was typed on the page, then opens the new adult.
    added = post_page(
        as_officer,
        household,
        {"household.previous_incidents_12m": "2", "action": "add:household.adults"},
    )
    assert added.status_code == 303
    (jo,) = item_ids(session, incident_id, "household.adults")
    assert added.headers["location"] == f"{base}/r/household.adults/{jo}"
    assert stored(session, incident_id)["household.previous_incidents_12m"] == 2
    page = as_officer.get(f"{base}/r/household.adults/{jo}")
    check_page(page.text)
    assert "Adult 1" in page.text
    saved = post_page(
        as_officer,
        f"{base}/r/household.adults/{jo}",
        {
            "adult.name": "Jo Smith",
            "adult.dob-day": "1",
            "adult.dob-month": "2",
            "adult.dob-year": "1990",
            "adult.relationship": "mother",
            "adult.parental_responsibility": "yes",
            "adult.lives_there": "yes",
            "adult.is_suspect": "no",
        },
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == household  # back to the list
    assert stored(session, incident_id)["household.adults"] == [
        {
            "id": jo,
            "adult.name": "Jo Smith",
            "adult.dob": "1990-02-01",
            "adult.relationship": "mother",
            "adult.parental_responsibility": True,
            "adult.lives_there": True,
            "adult.is_suspect": False,
        }
    ]
    listing = as_officer.get(household).text
    assert "Jo Smith" in listing and "Add another adult" in listing
    assert f'href="{base}/r/household.adults/{jo}/remove"' in listing

    another = post_page(as_officer, household, {"action": "add:household.adults"})
    jo_again, lee = item_ids(session, incident_id, "household.adults")
    assert jo_again == jo and lee != jo
    assert another.headers["location"] == f"{base}/r/household.adults/{lee}"
    post_page(as_officer, f"{base}/r/household.adults/{lee}", {"adult.name": "Lee Brown"})
    # Change the first adult.
    post_page(
        as_officer,
        f"{base}/r/household.adults/{jo}",
        {"adult.name": "Jo Smyth", "adult.relationship": "mother"},
    )
    adults = stored(session, incident_id)["household.adults"]
    assert [(a["id"], a["adult.name"]) for a in adults] == [(jo, "Jo Smyth"), (lee, "Lee Brown")]
    assert adults[0]["adult.relationship"] == "mother"
    assert "adult.dob" not in adults[0]  # cleared on the form: cleared

    confirm = as_officer.get(f"{base}/r/household.adults/{jo}/remove")
    assert "remove this adult: Jo Smyth" in confirm.text
    assert len(stored(session, incident_id)["household.adults"]) == 2
    removed = as_officer.form(f"{base}/r/household.adults/{jo}/remove")
    assert removed.status_code == 303 and removed.headers["location"] == household
    adults = stored(session, incident_id)["household.adults"]
    assert [(a["id"], a["adult.name"]) for a in adults] == [(lee, "Lee Brown")]


def test_an_adult_with_a_future_date_of_birth_is_refused(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, {**GATE_YES, "household.adults": [{}]})
    (jo,) = item_ids(session, incident_id, "household.adults")
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/r/household.adults/{jo}",
        {
            "adult.name": "Jo",
            "adult.dob-day": "1",
            "adult.dob-month": "1",
            "adult.dob-year": "2999",
        },
    )
    assert response.status_code == 422
    assert 'href="#f-adult-dob-day"' in response.text
    assert "must be today or in the past" in response.text
    assert stored(session, incident_id)["household.adults"] == [{"id": jo, "adult.name": "Jo"}]


def test_add_change_and_remove_injuries(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    answers = complete_answers()
    put(as_officer, incident_id, answers)
    (amy,) = child_ids(session, incident_id)
    base = f"/incidents/{incident_id}"
    observed = f"{base}/c/{amy}/s/observed/1"
    page = as_officer.get(observed).text
    assert 'value="add:observed.injuries"' in page
    added = post_page(
        as_officer,
        observed,
        {
            "observed.demeanour": "Quiet",
            "observed.injury": "yes",
            "observed.medical_needed": "no",
            "action": "add:observed.injuries",
        },
    )
    assert added.status_code == 303
    (bruise,) = item_ids(session, incident_id, "observed.injuries", child=0)
    injury_url = f"{base}/c/{amy}/r/observed.injuries/{bruise}"
    assert added.headers["location"] == injury_url
    item = as_officer.get(injury_url)
    check_page(item.text)
    assert "Injury 1" in item.text
    saved = post_page(
        as_officer,
        injury_url,
        {
            "injury.location": "left upper arm",
            "injury.size": "2cm",
            "injury.skin_broken": "no",
            "injury.explanation": "No explanation given",
        },
    )
    assert saved.status_code == 303 and saved.headers["location"] == observed
    child = stored(session, incident_id)["children"][0]
    assert child["observed.injuries"] == [
        {
            "id": bruise,
            "injury.location": "left upper arm",
            "injury.size": "2cm",
            "injury.skin_broken": False,
            "injury.explanation": "No explanation given",
        }
    ]
    assert "left upper arm" in as_officer.get(observed).text

    confirm = as_officer.get(f"{injury_url}/remove")
    assert confirm.status_code == 200 and "left upper arm" in confirm.text
    removed = as_officer.form(f"{injury_url}/remove")
    assert removed.status_code == 303 and removed.headers["location"] == observed
    assert "observed.injuries" not in stored(session, incident_id)["children"][0]


def test_injuries_are_kept_hidden_when_no_injury_is_seen_and_dropped_at_submission(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, with_injury_and_adult())
    injuries = stored(session, incident_id)["children"][0]["observed.injuries"]
    (amy,) = child_ids(session, incident_id)
    observed = f"/incidents/{incident_id}/c/{amy}/s/observed/1"
    form = {"observed.demeanour": "Quiet", "observed.medical_needed": "no"}
    post_page(as_officer, observed, {**form, "observed.injury": "no"})
    # Kept in the draft as they were (ids too), but not shown, validated or counted.
    child = stored(session, incident_id)["children"][0]
    assert child["observed.injury"] is False
    assert child["observed.injuries"] == injuries
    shown = api_incident(as_officer, incident_id)
    assert "observed.injuries" not in shown["answers"]["children"][0]
    assert shown["hidden_answers"] == {
        f"children[0].observed.injuries[0].{key}": value
        for key, value in injuries[0].items()
        if key != "id"
    }
    assert shown["missing"] == []
    # "Yes" again: they are back.
    post_page(as_officer, observed, {**form, "observed.injury": "yes"})
    back = api_incident(as_officer, incident_id)
    assert back["answers"]["children"][0]["observed.injuries"] == injuries
    assert back["hidden_answers"] == {}
    # "No" once more, then submitted: the hidden injuries are dropped from the record.
    post_page(as_officer, observed, {**form, "observed.injury": "no"})
    assert submit(as_officer, incident_id).status_code == 303
    assert "observed.injuries" not in stored(session, incident_id)["children"][0]
    version = session.exec(
        select(ReferralVersion).join(Referral).where(Referral.incident_id == uuid.UUID(incident_id))
    ).one()
    assert version.answers["children"][0]["observed.injury"] is False
    assert "observed.injuries" not in version.answers["children"][0]


def test_add_for_a_list_not_on_the_page_is_ignored(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, GATE_YES)
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/s/home/2",
        {"home.carer_capable": "yes", "action": "add:household.adults"},
    )
    assert response.status_code == 303
    assert "household.adults" not in stored(session, incident_id)


def test_removing_twice_is_harmless(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    (jo,) = item_ids(session, incident_id, "household.adults")
    url = f"/incidents/{incident_id}/r/household.adults/{jo}/remove"
    assert as_officer.form(url).status_code == 303
    assert as_officer.form(url).status_code == 303  # already gone: a retried request
    assert "household.adults" not in stored(session, incident_id)


# --- closing at the gate -----------------------------------------------------------------------

NO_CHILD = {"gate.children_present": "no", "gate.pregnancy": "no"}


def close_at_the_gate(client: Browserless, *, by_api: bool) -> str:
    """A new incident closed as no child identified, by its page or by the API; its id."""
    incident_id = start(client)
    base = f"/incidents/{incident_id}"
    post_page(client, f"{base}/s/gate/1", {**NO_CHILD, "gate.no_child_reason": "Asked both"})
    if by_api:
        response = client.post(
            f"/api/v1/incidents/{incident_id}/close",
            json={},
            headers={"X-CSRF-Token": client.csrf},
        )
        assert response.status_code == 200, response.text
    else:
        assert client.form(f"{base}/close").status_code == 303
    return incident_id


def test_gate_both_no_closes_as_no_child_identified(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    base = f"/incidents/{incident_id}"
    post_page(as_officer, f"{base}/s/incident/1", {"incident.log_ref": "INC-5"})
    response = post_page(
        as_officer, f"{base}/s/gate/1", {**NO_CHILD, "gate.no_child_reason": "Asked both adults"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{base}/close"
    confirm = as_officer.get(f"{base}/close")
    check_page(confirm.text)
    assert "Asked both adults" in confirm.text
    assert _status(session, incident_id) == IncidentStatus.DRAFT  # not closed by looking

    closed = as_officer.form(f"{base}/close")
    assert closed.status_code == 303
    assert _status(session, incident_id) == IncidentStatus.NO_CHILD
    page = as_officer.get(base).text
    check_page(page)
    assert "No child identified" in page
    assert "Closed: no child identified" in as_officer.get("/incidents").text


def test_closing_needs_the_reason(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    base = f"/incidents/{incident_id}"
    post_page(as_officer, f"{base}/s/gate/1", NO_CHILD)
    page = as_officer.get(f"{base}/close").text
    assert "say how you found out" in page
    assert "Close the incident</button>" not in page
    response = as_officer.form(f"{base}/close")
    assert response.status_code == 422
    check_page(response.text)
    assert _status(session, incident_id) == IncidentStatus.DRAFT


def test_a_closed_incident_is_read_only(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    base = f"/incidents/{incident_id}"
    post_page(as_officer, f"{base}/s/gate/1", {**NO_CHILD, "gate.no_child_reason": "Asked"})
    as_officer.form(f"{base}/close")
    before = stored(session, incident_id)

    page = as_officer.get(f"{base}/s/gate/1")
    assert page.status_code == 200
    assert "Save and continue" not in page.text
    assert "can no longer be changed" in page.text

    for url, data in [
        (f"{base}/s/gate/1", {"gate.children_present": "yes", "_present": "gate.children_present"}),
        (f"{base}/s/incident/1", {"incident.log_ref": "X", "_present": "incident.log_ref"}),
        (f"{base}/children/add", {}),
        (f"{base}/check", {"action": "submit"}),
    ]:
        response = as_officer.form(url, data)
        assert response.status_code == 409, url
        check_page(response.text)
        assert "can no longer be changed" in response.text
    assert stored(session, incident_id) == before
    assert as_officer.form(f"{base}/close").status_code == 303  # a retried close: no harm
    assert as_officer.get(f"{base}/check").status_code == 303  # nothing to check


def test_a_closed_incident_autosave_says_so(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    base = f"/incidents/{incident_id}"
    post_page(as_officer, f"{base}/s/gate/1", {**NO_CHILD, "gate.no_child_reason": "Asked"})
    as_officer.form(f"{base}/close")
    response = as_officer.form(
        f"{base}/s/gate/1",
        {"_present": "gate.pregnancy", "gate.pregnancy": "yes", "autosave": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="save-status"' in response.text
    assert "can no longer be changed" in response.text


def test_adding_an_injury_before_saying_there_is_one_explains(
    as_officer: Browserless, session: Session
) -> None:
    # Without JavaScript the "Add an injury" button shows before "Yes" is chosen.
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    (amy,) = child_ids(session, incident_id)
    observed = f"/incidents/{incident_id}/c/{amy}/s/observed/1"
    response = post_page(
        as_officer,
        observed,
        {"observed.demeanour": "Quiet", "action": "add:observed.injuries"},
    )
    assert response.status_code == 422
    check_page(response.text)
    assert summary_links(response.text) == ["#f-observed-injury"]
    assert "Answer &#34;Did you see any mark or injury on the child?&#34;" in response.text
    child = stored(session, incident_id)["children"][0]
    assert child["observed.demeanour"] == "Quiet" and "observed.injuries" not in child


def test_adding_a_child_when_none_are_asked_for_goes_to_the_task_list(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, {"gate.children_present": False, "gate.pregnancy": False})
    response = as_officer.form(f"/incidents/{incident_id}/children/add")
    assert response.status_code == 303
    assert response.headers["location"] == f"/incidents/{incident_id}"
    assert "children" not in stored(session, incident_id)
