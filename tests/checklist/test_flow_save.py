"""Saving the checklist's screens: typed values, errors in plain words that keep what was typed,
hidden answers kept in the draft (dropped only at submission), and autosave."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx2 as httpx
import pytest
from sqlmodel import Session, select

from app.referrals.models import ReferralVersion
from tests.checklist.builders import child_answers, complete_answers
from tests.checklist.test_flow import api_incident, child_ids, put, start, stored
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

PRESENT = re.compile(r'name="_present" value="([^"]+)"')
GATE_YES = {"gate.children_present": True, "gate.pregnancy": False}


def post_page(
    client: Browserless,
    url: str,
    data: dict[str, Any],
    *,
    autosave: bool = False,
) -> httpx.Response:
    """Answer a page as its form would: every prompt drawn on it posts ``_present``."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    body: dict[str, Any] = {"_present": PRESENT.findall(page.text), **data}
    headers = {}
    if autosave:
        body["autosave"] = "1"
        headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver" + url}
    return client.form(url, body, headers=headers)


def with_child(client: Browserless, **child: Any) -> tuple[str, str]:
    """An incident at the gate with one child entry (answers as given): the incident's id and
    the child's (made by the server)."""
    incident_id = start(client)
    put(client, incident_id, {**GATE_YES, "children": [child]})
    (stored_child,) = api_incident(client, incident_id)["answers"]["children"]
    return incident_id, stored_child["id"]


def summary_links(html: str) -> list[str]:
    box = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert box, "no error summary"
    return re.findall(r'href="([^"]+)"', box[0])


# --- typed values ------------------------------------------------------------------------------


def test_incident_page_stores_text_choice_and_datetime(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    url = f"/incidents/{incident_id}/s/incident/1"
    response = post_page(
        as_officer,
        url,
        {
            "incident.log_ref": "  INC-42  ",
            "incident.type": "domestic_abuse",
            "incident.datetime-day": "10",
            "incident.datetime-month": "3",
            "incident.datetime-year": "2026",
            "incident.datetime-time": "21:15",
            "incident.address": "1 High Street\r\nAnytown",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/incidents/{incident_id}/s/incident/2"
    answers = stored(session, incident_id)
    assert answers["incident.log_ref"] == "INC-42"  # the spaces around it are not part of it
    assert answers["incident.type"] == "domestic_abuse"
    assert answers["incident.datetime"] == "2026-03-10T21:15:00+00:00"  # GMT in March
    assert answers["incident.address"] == "1 High Street\nAnytown"


def test_summer_times_are_british_summer_time(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    post_page(
        as_officer,
        f"/incidents/{incident_id}/s/incident/1",
        {
            "incident.datetime-day": "1",
            "incident.datetime-month": "7",
            "incident.datetime-year": "2026",
            "incident.datetime-time": "9.05",
        },
    )
    assert stored(session, incident_id)["incident.datetime"] == "2026-07-01T09:05:00+01:00"
    page = as_officer.get(f"/incidents/{incident_id}/s/incident/1").text
    assert 'value="09:05"' in page


def test_gate_stores_yes_and_no(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/s/gate/1",
        {"gate.children_present": "yes", "gate.pregnancy": "no"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/incidents/{incident_id}/children"
    answers = stored(session, incident_id)
    assert answers["gate.children_present"] is True
    assert answers["gate.pregnancy"] is False


def test_child_page_stores_date_number_and_choices(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, child_id = with_child(as_officer)
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/c/{child_id}/s/child/1",
        {
            "child.name": "Amy Smith",
            "child.dob-day": "27",
            "child.dob-month": "03",
            "child.dob-year": "2019",
            "child.sex": "female",
            "child.known_to_social_care": "unknown",
            "child.present": "yes",
            "child.location_during": "living room",
            "child.seen": "yes",
            "child.spoken_to": "yes",
            "child.spoken_alone": "no",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/incidents/{incident_id}/children"
    child = stored(session, incident_id)["children"][0]
    assert child == {
        "id": child_id,
        "child.name": "Amy Smith",
        "child.dob": "2019-03-27",
        "child.sex": "female",
        "child.known_to_social_care": "unknown",
        "child.present": True,
        "child.location_during": "living room",
        "child.seen": True,
        "child.spoken_to": True,
        "child.spoken_alone": False,
    }


def test_age_instead_of_date_of_birth_is_a_number(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, child_id = with_child(as_officer)
    post_page(
        as_officer,
        f"/incidents/{incident_id}/c/{child_id}/s/child/1",
        {"child.name": "Baby Smith", "child.age_estimate": "0"},
    )
    assert stored(session, incident_id)["children"][0]["child.age_estimate"] == 0


def test_household_page_stores_multi_and_number(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, GATE_YES)
    url = f"/incidents/{incident_id}/s/household/1"
    response = post_page(
        as_officer,
        url,
        {
            "household.toxic_trio": ["domestic_abuse", "substance_misuse"],
            "household.previous_incidents_12m": "3",
        },
    )
    assert response.status_code == 303
    answers = stored(session, incident_id)
    assert answers["household.toxic_trio"] == ["domestic_abuse", "substance_misuse"]
    assert answers["household.previous_incidents_12m"] == 3
    # Unticking every box clears the answer (the form still says the prompt was on it).
    post_page(as_officer, url, {"household.previous_incidents_12m": "3"})
    assert "household.toxic_trio" not in stored(session, incident_id)


def test_clearing_a_text_answer_removes_it(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    url = f"/incidents/{incident_id}/s/incident/1"
    post_page(as_officer, url, {"incident.log_ref": "INC-1"})
    post_page(as_officer, url, {"incident.log_ref": "   "})
    assert "incident.log_ref" not in stored(session, incident_id)


def test_an_answer_not_on_the_form_is_left_alone(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, {"incident.summary": "Shouting heard."})
    post_page(as_officer, f"/incidents/{incident_id}/s/incident/1", {"incident.log_ref": "A1"})
    assert stored(session, incident_id)["incident.summary"] == "Shouting heard."


# --- errors: plain words, a summary linking to the field, nothing typed lost -------------------

CHILD_TYPED = {
    "child.name": "Amy Smith",
    "child.sex": "female",
    "child.school": "Hillside Primary",
    "child.seen": "no",
    "child.not_seen_reason": "Asleep at her nan's house",
}


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        (("31", "2", "2019"), "Enter the child&#39;s date of birth as a real date"),
        (("1", "1", "19"), "Enter the child&#39;s date of birth as a real date"),
        (("x", "", ""), "Enter the child&#39;s date of birth as a real date"),
        (("1", "1", str(date.today().year + 1)), "must be today or in the past"),
        (("1", "1", "2000"), "A child entry must be under 18"),
    ],
)
def test_a_bad_date_of_birth_is_422_with_the_summary_and_keeps_the_rest(
    as_officer: Browserless, session: Session, dob: tuple[str, str, str], message: str
) -> None:
    incident_id, child_id = with_child(as_officer)
    url = f"/incidents/{incident_id}/c/{child_id}/s/child/1"
    day, month, year = dob
    data = {**CHILD_TYPED, "child.dob-day": day, "child.dob-month": month, "child.dob-year": year}
    response = post_page(as_officer, url, data)
    assert response.status_code == 422
    html = response.text
    check_page(html)
    assert "<title>Error: " in html
    assert message in html
    assert summary_links(html) == ["#f-child-dob-day"]
    assert 'id="f-child-dob-day"' in html
    # What was typed is shown again, the bad date too...
    assert f'value="{year}"' in html
    assert 'value="Amy Smith"' in html and 'value="Hillside Primary"' in html
    assert "Asleep at her nan" in html
    assert re.search(r'value="no"\s+checked', html)  # child.seen
    # ...and the other answers were saved; the bad date was not.
    child = stored(session, incident_id)["children"][0]
    assert child["child.name"] == "Amy Smith"
    assert child["child.school"] == "Hillside Primary"
    assert child["child.seen"] is False
    assert child["child.not_seen_reason"] == "Asleep at her nan's house"
    assert "child.dob" not in child


def test_an_adult_age_is_refused_with_an_explanation(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, child_id = with_child(as_officer)
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/c/{child_id}/s/child/1",
        {"child.name": "Kai", "child.age_estimate": "18"},
    )
    assert response.status_code == 422
    assert "add them to the adults in the household instead" in response.text
    assert summary_links(response.text) == ["#f-child-age_estimate"]
    assert 'value="18"' in response.text
    assert stored(session, incident_id)["children"][0] == {"id": child_id, "child.name": "Kai"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"-day": "10", "-month": "3", "-year": "2026", "-time": "25:00"},
            "as a real date and time",
        ),
        ({"-day": "10", "-month": "3", "-year": "2026", "-time": ""}, "as a real date and time"),
        ({"-day": "", "-month": "", "-year": "", "-time": "21:00"}, "as a real date and time"),
    ],
)
def test_a_bad_date_and_time_is_422(
    as_officer: Browserless, session: Session, fields: dict[str, str], message: str
) -> None:
    incident_id = start(as_officer)
    data = {f"incident.datetime{k}": v for k, v in fields.items()}
    data["incident.log_ref"] = "INC-7"
    response = post_page(as_officer, f"/incidents/{incident_id}/s/incident/1", data)
    assert response.status_code == 422
    assert message in response.text
    assert summary_links(response.text) == ["#f-incident-datetime-day"]
    assert stored(session, incident_id) == {"incident.log_ref": "INC-7"}
    for value in fields.values():
        if value:
            assert f'value="{value}"' in response.text


def test_a_bad_number_is_422_and_kept(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, GATE_YES)
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/s/household/1",
        {"household.previous_incidents_12m": "three", "household.toxic_trio": "domestic_abuse"},
    )
    assert response.status_code == 422
    assert "as a number, for example 3" in response.text
    assert 'value="three"' in response.text
    assert summary_links(response.text) == ["#f-household-previous_incidents_12m"]
    assert stored(session, incident_id)["household.toxic_trio"] == ["domestic_abuse"]


def test_an_out_of_range_number_is_422(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, GATE_YES)
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/s/household/1",
        {"household.previous_incidents_12m": "-1"},
    )
    assert response.status_code == 422
    assert "must be 0 or more" in response.text


def test_none_of_these_with_another_option_is_422(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, GATE_YES)
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/s/home/1",
        {"home.conditions": ["none_of_these", "no_food"]},
    )
    assert response.status_code == 422
    assert summary_links(response.text) == ["#f-home-conditions"]
    assert 'id="f-home-conditions"' in response.text


def test_too_long_text_is_422_and_kept(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    text = "x" * 51
    response = post_page(
        as_officer, f"/incidents/{incident_id}/s/incident/1", {"incident.log_ref": text}
    )
    assert response.status_code == 422
    assert "50 characters or fewer" in response.text
    assert f'value="{text}"' in response.text
    assert "incident.log_ref" not in stored(session, incident_id)


def test_every_summary_link_has_a_target_on_the_page(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, GATE_YES)
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/s/concern/1",
        {
            "concern.categories": ["domestic_abuse_witnessed", "missing", "child_in_custody"],
            "concern.dash_completed": "yes",
            "concern.dash_score": "28",
            "concern.missing_episodes_90d": "lots",
            "concern.custody_hours": "1.5.2",
        },
    )
    assert response.status_code == 422
    links = summary_links(response.text)
    assert len(links) == 3
    for link in links:
        assert f'id="{link[1:]}"' in response.text, link


# --- hidden answers are kept in the draft, dropped at submission --------------------------------


def test_an_answer_hidden_by_a_later_answer_is_kept_and_comes_back(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, child_id = with_child(as_officer, **{"child.name": "Amy"})
    url = f"/incidents/{incident_id}/c/{child_id}/s/child/1"
    post_page(as_officer, url, {"child.seen": "no", "child.not_seen_reason": "Asleep upstairs"})
    assert stored(session, incident_id)["children"][0]["child.not_seen_reason"] == "Asleep upstairs"
    # The officer goes back and says the child was seen; the reason field still posts (no
    # JavaScript). It is kept in the draft, but not shown, validated or counted.
    post_page(as_officer, url, {"child.seen": "yes", "child.not_seen_reason": "Asleep upstairs"})
    child = stored(session, incident_id)["children"][0]
    assert child["child.seen"] is True
    assert child["child.not_seen_reason"] == "Asleep upstairs"
    shown = api_incident(as_officer, incident_id)
    assert "child.not_seen_reason" not in shown["answers"]["children"][0]
    assert shown["hidden_answers"] == {"children[0].child.not_seen_reason": "Asleep upstairs"}
    assert not [path for path in shown["missing"] if "not_seen_reason" in path]
    # Its field is drawn with it (hidden while "yes" stands), so it is there again on "no".
    assert "Asleep upstairs" in as_officer.get(url).text
    as_officer.form(url, {"_present": "child.seen", "child.seen": "no"})
    back = api_incident(as_officer, incident_id)
    assert back["answers"]["children"][0]["child.not_seen_reason"] == "Asleep upstairs"
    assert back["hidden_answers"] == {}


def test_answers_hidden_on_other_pages_are_kept_until_submission(
    as_officer: Browserless, session: Session
) -> None:
    from tests.checklist.test_flow_submit import submit  # it imports this module

    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    (child_id,) = child_ids(session, incident_id)
    before = stored(session, incident_id)["children"][0]
    assert "observed.demeanour" in before
    post_page(
        as_officer,
        f"/incidents/{incident_id}/c/{child_id}/s/child/1",
        {**_child_form(child_answers()), "child.seen": "no", "child.not_seen_reason": "Out"},
    )
    # What was seen is hidden now that the child was not seen: kept in the draft, not shown.
    child = stored(session, incident_id)["children"][0]
    assert child["observed.demeanour"] == before["observed.demeanour"]
    assert child["observed.injury"] is False
    shown = api_incident(as_officer, incident_id)
    assert "observed.demeanour" not in shown["answers"]["children"][0]
    assert "observed.injury" not in shown["answers"]["children"][0]
    hidden = shown["hidden_answers"]
    assert hidden["children[0].observed.demeanour"] == before["observed.demeanour"]
    assert hidden["children[0].observed.injury"] is False
    assert not [path for path in shown["missing"] if path in hidden]
    # Submitted: the hidden answers are dropped from the referral and from the incident.
    assert submit(as_officer, incident_id).status_code == 303
    child = stored(session, incident_id)["children"][0]
    assert child["child.not_seen_reason"] == "Out"
    assert not [key for key in child if f"children[0].{key}" in hidden]
    session.expire_all()
    (version,) = session.exec(select(ReferralVersion)).all()
    assert version.answers["children"][0]["child.not_seen_reason"] == "Out"
    assert not [key for key in version.answers["children"][0] if f"children[0].{key}" in hidden]


def test_no_child_reason_kept_hidden_when_the_gate_turns_yes(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    url = f"/incidents/{incident_id}/s/gate/1"
    post_page(
        as_officer,
        url,
        {"gate.children_present": "no", "gate.pregnancy": "no", "gate.no_child_reason": "Asked"},
    )
    assert stored(session, incident_id)["gate.no_child_reason"] == "Asked"
    post_page(
        as_officer,
        url,
        {"gate.children_present": "yes", "gate.pregnancy": "no", "gate.no_child_reason": "Asked"},
    )
    assert stored(session, incident_id)["gate.no_child_reason"] == "Asked"
    shown = api_incident(as_officer, incident_id)
    assert "gate.no_child_reason" not in shown["answers"]
    assert shown["hidden_answers"] == {"gate.no_child_reason": "Asked"}
    # Back to "no": the reason shows again, ready to close with.
    as_officer.form(url, {"_present": ["gate.children_present"], "gate.children_present": "no"})
    assert api_incident(as_officer, incident_id)["answers"]["gate.no_child_reason"] == "Asked"
    assert "Asked" in as_officer.get(f"/incidents/{incident_id}/close").text


def test_follow_ups_are_drawn_with_their_condition(as_officer: Browserless) -> None:
    incident_id, child_id = with_child(as_officer, **{"child.name": "Amy"})
    html = as_officer.get(f"/incidents/{incident_id}/c/{child_id}/s/child/1").text
    box = re.search(
        r'<div class="tc-prompt[^"]*"\s+data-prompt="child.not_seen_reason"[^>]*>', html
    )
    assert box, "the follow-up is on the page"
    assert "tc-when--hidden" in box[0]
    assert "data-when=" in box[0] and "child.seen" in box[0]


def _child_form(child: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in child.items():
        if not key.startswith("child."):
            continue
        if isinstance(value, bool):
            out[key] = "yes" if value else "no"
        elif key == "child.dob":
            year, month, day = value.split("-")
            out |= {f"{key}-day": day, f"{key}-month": month, f"{key}-year": year}
        else:
            out[key] = str(value)
    return out


# --- autosave ----------------------------------------------------------------------------------


def test_autosave_returns_the_status_fragment_and_stores(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    url = f"/incidents/{incident_id}/s/incident/1"
    response = post_page(as_officer, url, {"incident.log_ref": "INC-9"}, autosave=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"].split(", ")
    assert 'id="save-status"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert "Saved at " in response.text
    assert "<html" not in response.text
    assert stored(session, incident_id)["incident.log_ref"] == "INC-9"


def test_autosave_with_a_bad_answer_saves_the_rest_and_says_what(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, child_id = with_child(as_officer)
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/c/{child_id}/s/child/1",
        {
            "child.name": "Amy",
            "child.dob-day": "40",
            "child.dob-month": "1",
            "child.dob-year": "2020",
        },
        autosave=True,
    )
    assert response.status_code == 200  # htmx swaps only 2xx responses
    assert "Your other answers are saved, but not these" in response.text
    assert "date of birth as a real date" in response.text
    assert stored(session, incident_id)["children"][0] == {"id": child_id, "child.name": "Amy"}


def test_a_page_has_the_autosave_form(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    html = as_officer.get(f"/incidents/{incident_id}/s/incident/1").text
    assert 'hx-post="/incidents/' in html
    assert 'hx-trigger="change delay:400ms, input delay:2s"' in html  # typing saves too
    assert '"autosave": "1"' in html
    assert 'id="save-status"' in html


def test_a_mistyped_future_incident_year_is_refused_on_its_own_page(
    as_officer: Browserless, session: Session
) -> None:
    # An incident date 20 years on would make the child (born 2019) an adult: the date itself
    # is refused, on this page, and the rest of the page is saved.
    incident_id = start(as_officer)
    put(as_officer, incident_id, complete_answers())
    response = post_page(
        as_officer,
        f"/incidents/{incident_id}/s/incident/1",
        {
            "incident.log_ref": "INC-NEW",
            "incident.datetime-day": "10",
            "incident.datetime-month": "3",
            "incident.datetime-year": "2046",
            "incident.datetime-time": "21:15",
        },
    )
    assert response.status_code == 422
    assert summary_links(response.text) == ["#f-incident-datetime-day"]
    assert "must be today or in the past" in response.text
    assert 'value="INC-NEW"' in response.text and 'value="2046"' in response.text
    assert stored(session, incident_id)["incident.log_ref"] == "INC-NEW"
