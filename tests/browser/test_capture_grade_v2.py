"""The suggested grade offline, in Chromium at phone size with the network cut: an incident
whose answers raise the grade shows on "Check your answers" the grade and reasons the server
gives for the same answers; a high suggestion asks for the urgent call and a lower grade for its
reason before the referral can be submitted, with no signal. A draft changed on another device
meanwhile is listed as needing the officer's choice, with a link to the page where it is made."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from app.templating import templates
from tests.browser.capture_steps import (
    OUTBOX,
    continue_,
    draft_answers,
    fill_screen,
    heading,
    ready_offline,
    server_incident,
    wait_until_sent,
)
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_offline_outbox import _outbox, _replay, _server
from tests.browser.test_pwa import phone_v2, wait_for_control
from tests.browser.test_sync_status import _token

__all__ = ["phone_v2"]

CHILD = "Amelia Zebedee-Quist"
URGENT_WHO = "Urgent call: who did you speak to at the MASH or emergency duty team?"
OVERRIDE = "Why is your grade lower than the suggested grade?"


def _grade_names() -> dict[str, str]:
    """The grade words from the one place they live (components/_words.html)."""
    words = templates.env.get_template("components/_words.html").module
    names: dict[str, str] = words.grade_names  # type: ignore[attr-defined]
    return names


def _start(page: Page, log_ref: str) -> str:
    page.get_by_role("button", name="Start an incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Incident")
    found = re.search(r"#/i/([0-9a-f-]{36})/", page.url)
    assert found, page.url
    page.get_by_label("Incident or occurrence number").fill(log_ref)
    fill_screen(page)
    continue_(page)
    page.get_by_role("group", name=re.compile("child under 18 present")).get_by_label("Yes").check()
    fill_screen(page)
    continue_(page)
    page.get_by_role("button", name=re.compile(r"Add (a|another) child")).click()
    page.get_by_label("Child's full name").fill(CHILD)
    page.get_by_role("group", name="Did you see the child yourself?").get_by_label("Yes").check()
    fill_screen(page)
    continue_(page)
    return found.group(1)


def _answer_to_the_check(page: Page) -> None:
    """Every screen answered plainly, but: the child has told someone about harm (high), four
    incidents at the household this year (medium), and no one named for the urgent call."""
    page.get_by_role("button", name="Continue").click()  # from the list of children
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Voice of the child: {CHILD}")
    while heading(page) != "Check your answers":
        title = heading(page)
        if title.startswith("Voice of the child"):
            page.get_by_role("group", name=re.compile("told you or anyone else")).get_by_label(
                "Yes"
            ).check()
        if title.startswith("Household"):
            page.get_by_role("button", name="Add an adult").click()
            page.get_by_label("Full name").fill("Jo Adult")
            fill_screen(page)
            continue_(page)
            page.get_by_label(re.compile("How many domestic abuse or child-concern")).fill("4")
        fill_screen(page)
        if title.startswith("Immediate actions"):
            page.get_by_label(URGENT_WHO).fill("")
        continue_(page)


def _server_words(incident: dict[str, Any]) -> list[str]:
    """The suggestion as the online check page words it, from the server's assessment."""
    names = _grade_names()
    grade = incident["suggested_grade"]
    said = [f"{r['child']}: {r['text']}" if r["child"] else r["text"] for r in incident["reasons"]]
    main = [s for s, r in zip(said, incident["reasons"], strict=True) if r["grade"] == grade]
    other = [s for s, r in zip(said, incident["reasons"], strict=True) if r["grade"] != grade]
    lines = [f"Suggested grade: {names[grade]}"]
    lines += [f"{names[grade]} because: {'; '.join(main)}"] if main else []
    lines += [f"Other risks recorded: {'; '.join(other)}"] if other else []
    return lines


def test_the_grade_suggested_offline_is_the_servers(phone_v2: BrowserContext) -> None:
    page = ready_offline(phone_v2)
    uuid = _start(page, "INC-GRADE-1")
    _answer_to_the_check(page)
    suggested = page.locator("#tc-suggested-grade")
    expect(suggested).to_contain_text("Suggested grade: High")
    expect(suggested).to_contain_text(f"High because: {CHILD} (")
    expect(suggested).to_contain_text("Other risks recorded: ")
    shown_offline = suggested.locator("p").all_inner_texts()
    assert_accessible(page)
    # A high suggestion: the urgent call is needed, named and linked to where it is answered.
    still = page.locator(".govuk-inset-text", has_text="Still needed before you can submit")
    still.get_by_role("link", name=f'Answer "{URGENT_WHO}"').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Immediate actions")
    page.get_by_label(URGENT_WHO).fill("Duty social worker, Anytown MASH")
    continue_(page)
    page.goto(re.sub(r"/\d+$", "/99", page.url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.get_by_text("Every answer needed is given.")).to_be_visible()
    # The officer grades lower than the suggestion and gives no reason: asked for it offline.
    page.get_by_role("group", name=re.compile("I confirm this record")).get_by_label("Yes").check()
    fill_screen(page)
    page.get_by_role("group", name="Your risk grade").get_by_label("Standard").check()
    page.get_by_label(OVERRIDE).fill("")
    page.get_by_role("button", name="Submit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(f'Answer "{OVERRIDE}"')
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert draft_answers(page, uuid)["risk.officer_grade"] == "standard"
    queued = f"async (u) => (await (await import('{OUTBOX}')).draft(u)).submit"
    assert page.evaluate(queued, uuid) is False  # not queued to send
    summary.get_by_role("link", name=f'Answer "{OVERRIDE}"').click()
    page.get_by_label(OVERRIDE).fill("Both carers sober and the child safe with her grandmother.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral submitted")
    # Back online: the server's assessment of the same answers is the one shown offline.
    phone_v2.set_offline(False)
    wait_until_sent(page)
    incident = server_incident(page, uuid)
    assert incident["status"] == "submitted"
    assert incident["suggested_grade"] == "high"
    assert {r["grade"] for r in incident["reasons"]} == {"high", "medium"}
    assert shown_offline == _server_words(incident)


def test_a_conflicted_draft_links_to_the_choice(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    script = "const u = await o.start(); await o.answer(u, arg); await o.sync(); return u;"
    uuid = _outbox(page, script, {"incident.log_ref": "ON-SERVER"})
    made = page.request.post(
        "/api/v1/incidents", data={"client_uuid": uuid}, headers={"X-CSRF-Token": _token(page)}
    )
    body = _server(page, made.json()["id"])
    waiting = _replay(page, uuid, body, {"incident.log_ref": "TYPED-OFFLINE"})  # 412
    assert [d["conflict"] is not None for d in waiting] == [True]
    phone_v2.set_offline(True)
    page.reload()
    row = page.locator(".govuk-summary-list__row", has_text="TYPED-OFFLINE")
    expect(row).to_contain_text("Changed on another device: needs your choice")
    expect(row).not_to_contain_text("Draft")
    expect(row.get_by_role("link", name="Continue TYPED-OFFLINE")).to_have_count(0)
    choose = row.get_by_role("link", name="Choose which answers to keep TYPED-OFFLINE")
    expect(choose).to_have_attribute("href", "/offline/conflicts")
    assert_accessible(page)
    choose.click()
    page.wait_for_url("**/offline/conflicts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose which answers to keep")
    expect(page.locator("#tc-conflicts")).to_contain_text("TYPED-OFFLINE")
