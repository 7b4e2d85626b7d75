"""Offline capture in Chromium at phone size with the network cut: an officer starts an
incident, answers every prompt from the screens (children added and one removed, an adult, an
injury, a follow-up question shown and hidden), reloads with no signal and finds the answers,
submits; back online, every answer reaches the server exactly once and the incident is
submitted. A no-child incident closed offline reaches the server closed. Bad answers are
explained offline as the server would."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.capture_steps import (
    continue_,
    draft_answers,
    fill_screen,
    heading,
    open_item,
    ready_offline,
    server_incident,
    shown,
    wait_until_sent,
)
from tests.browser.conftest import assert_accessible
from tests.browser.test_pwa import phone_v2

__all__ = ["phone_v2"]

CHILD = "Amelia Zebedee-Quist"


def _uuid(page: Page) -> str:
    found = re.search(r"#/i/([0-9a-f-]{36})/", page.url)
    assert found, page.url
    return found.group(1)


def _start(page: Page) -> str:
    page.get_by_role("button", name="Start an incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Incident")
    assert "/offline#/i/" in page.url or "#/i/" in page.url
    return _uuid(page)


def _incident_screen(page: Page, log_ref: str) -> None:
    page.get_by_label("Incident or occurrence number").fill(log_ref)
    bwv_ref = page.get_by_label("Body-worn video reference")
    bwv = page.get_by_role("group", name="Did you record body-worn video?")
    bwv.get_by_label("Yes").check()
    expect(bwv_ref).to_be_visible()  # a follow-up shown by the answer...
    bwv_ref.fill("BWV-TYPED-THEN-HIDDEN")
    bwv.get_by_label("No").check()
    expect(bwv_ref).to_be_hidden()  # ...and hidden again
    fill_screen(page)
    continue_(page)


def _add_child(page: Page, name: str) -> None:
    page.get_by_role("button", name=re.compile(r"Add (a|another) child")).click()
    page.get_by_label("Child's full name").fill(name)
    page.get_by_role("group", name="Did you see the child yourself?").get_by_label("Yes").check()
    fill_screen(page)
    continue_(page)


def test_an_incident_captured_offline_reaches_the_server_once(phone_v2: BrowserContext) -> None:
    page = ready_offline(phone_v2)
    assert_accessible(page)
    uuid = _start(page)
    assert_accessible(page)
    _incident_screen(page, "INC-CAPTURE-1")
    page.get_by_role("group", name=re.compile("child under 18 present")).get_by_label("Yes").check()
    fill_screen(page)
    continue_(page)
    # The children: two added, the second removed.
    _add_child(page, CHILD)
    page.goto(page.url.rsplit("/", 1)[0] + "/2")  # back to the list of children
    _add_child(page, "Removed Child")
    page.goto(page.url.rsplit("/", 1)[0] + "/2")
    page.get_by_role("button", name="Remove Child 2").click()
    page.get_by_role("button", name="Yes, remove child 2").click()
    expect(page.get_by_text("Removed Child")).to_have_count(0)
    expect(page.get_by_text(CHILD)).to_be_visible()
    # Reloaded with no signal: the answers come back from the encrypted store.
    page.reload()
    expect(page.get_by_text(CHILD)).to_be_visible()
    assert re.fullmatch(r".*#/i/[0-9a-f-]{36}/\d+", page.url)  # no name, no answer in the URL
    # The drafts on this phone, read locally; "Continue" picks up at the first missing answer.
    page.goto("/offline")
    expect(page.get_by_role("heading", level=1)).to_have_text("Think Child with no signal")
    page.get_by_role("link", name="Continue INC-CAPTURE-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Voice of the child: {CHILD}")
    while heading(page) != "Check your answers":
        title = heading(page)
        if title.startswith("What you saw"):  # an injury for the child
            page.get_by_role("group", name=re.compile("mark or injury")).get_by_label("Yes").check()
            open_item(page, "Add an injury")
            fill_screen(page)
            continue_(page)
        if title.startswith("Household"):
            open_item(page, "Add an adult")
            page.get_by_label("Full name").fill("Jo Adult")
            fill_screen(page)
            continue_(page)
        fill_screen(page)
        continue_(page)
    page.get_by_role("group", name=re.compile("I confirm this record")).get_by_label("Yes").check()
    fill_screen(page)  # the officer's grade and reasons
    expect(page.locator(".govuk-summary-list__row", has_text="Adult 1: Full name")).to_contain_text(
        "Jo Adult"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral submitted")
    expect(
        page.get_by_text("It will be sent to your supervisor when this phone has a signal")
    ).to_be_visible()
    answers = draft_answers(page, uuid)
    assert [c["child.name"] for c in answers["children"]] == [CHILD]
    assert len(answers["household.adults"]) == 1
    assert len(answers["children"][0]["observed.injuries"]) == 1
    expected = shown(page, answers)
    phone_v2.set_offline(False)
    wait_until_sent(page)
    incident = server_incident(page, uuid)
    assert incident["status"] == "submitted" and incident["reference"]
    assert incident["answers"] == expected
    assert "incident.bwv_ref" not in incident["answers"]  # hidden when submitted


def test_a_no_child_incident_closed_offline_reaches_the_server_closed(
    phone_v2: BrowserContext,
) -> None:
    page = ready_offline(phone_v2)
    uuid = _start(page)
    _incident_screen(page, "INC-CAPTURE-2")
    gate = page.get_by_role("group", name=re.compile("child under 18 present"))
    gate.get_by_label("No").check()
    page.get_by_role("group", name=re.compile("anyone involved pregnant")).get_by_label(
        "No"
    ).check()
    reason = "Asked both adults and checked every room."
    page.get_by_label(re.compile("How did you find out")).fill(reason)
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Close the incident: no child identified"
    )
    page.get_by_role("button", name="Close the incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Incident closed")
    phone_v2.set_offline(False)
    wait_until_sent(page)
    incident = server_incident(page, uuid)
    assert incident["status"] == "no_child_identified"
    assert incident["answers"]["gate.no_child_reason"] == reason


def test_bad_answers_are_explained_offline(phone_v2: BrowserContext) -> None:
    page = ready_offline(phone_v2)
    uuid = _start(page)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time (24-hour clock)").fill("10:00")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    wording = "Enter the date and time of the incident as a real date and time"
    expect(summary).to_contain_text(wording)
    expect(page.locator(".govuk-error-message")).to_contain_text(wording)
    expect(page.get_by_label("Day")).to_have_value("31")  # what was typed is still there
    assert_accessible(page)
    assert "incident.datetime" not in draft_answers(page, uuid)  # not kept until it is right
    page.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Incident")
    assert draft_answers(page, uuid)["incident.datetime"].startswith("2026-02-28T10:00")
    # Nothing else answered: "Check your answers" lists what is missing, and Submit says so.
    page.goto(page.url.rsplit("/", 1)[0] + "/99")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        'Answer "Incident or occurrence number"'
    )
    assert draft_answers(page, uuid) is not None and not page.evaluate(
        "() => document.body.innerText.includes('Referral submitted')"
    )


def test_an_answer_given_after_the_draft_was_sent_is_not_lost(phone_v2: BrowserContext) -> None:
    """The signal comes back while the officer is on a screen: the outbox sends the draft and
    removes it from the phone; the next answer is kept again and sent, nothing doubled."""
    page = ready_offline(phone_v2)
    uuid = _start(page)
    page.get_by_label("Incident or occurrence number").fill("INC-CAPTURE-3")
    continue_(page)
    phone_v2.set_offline(False)
    wait_until_sent(page)  # sent, and removed from the phone
    assert server_incident(page, uuid)["answers"]["incident.log_ref"] == "INC-CAPTURE-3"
    page.get_by_role("group", name=re.compile("child under 18 present")).get_by_label("Yes").check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Each child")
    wait_until_sent(page)
    answers = server_incident(page, uuid)["answers"]
    assert answers["incident.log_ref"] == "INC-CAPTURE-3"
    assert answers["gate.children_present"] is True


def test_with_no_questions_kept_the_officer_is_told_plainly(phone_v2: BrowserContext) -> None:
    page = ready_offline(phone_v2)
    page.evaluate("() => caches.delete('tc-data')")  # as on a phone never used with a signal
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The questions are not on this phone yet"
    )
    expect(page.get_by_role("button", name="Start an incident")).to_have_count(0)
