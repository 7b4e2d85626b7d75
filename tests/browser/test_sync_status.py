"""Where things stand, on every officer screen, and the officer's choice on a conflict, in
Chromium at phone size: the counts of answers waiting, the last time sent, an alert with what to
do, no layout shift; the conflict page side by side (stacked on a phone), per question or for
all, and what the officer chose is what the server ends up with."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import assert_accessible, assert_fits, log_in
from tests.browser.test_offline_outbox import (
    CHILD_NAME,
    _outbox,
    _raw_indexeddb,
    _replay,
    _server,
)
from tests.browser.test_pwa import phone_v2, wait_for_control

__all__ = ["phone_v2"]

CHILD = "0c7e2f1a-2222-4b3c-8d9e-1f2a3b4c5d6e"
# Every height the status takes, from the moment it is parsed (before the first paint).
HEIGHTS = """window.tcHeights = [];
new MutationObserver((_, seen) => {
  const bar = document.getElementById("tc-sync");
  if (!bar) return;
  seen.disconnect();
  new ResizeObserver((all) => all.forEach((e) => window.tcHeights.push(e.contentRect.height)))
    .observe(bar);
}).observe(document, {childList: true, subtree: true});"""


def _token(page: Page) -> str:
    return str(_outbox(page, "return (await (await fetch('/api/v1/session')).json()).csrf_token;"))


def _on_server(page: Page, answers: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """An incident sent from the outbox with ``answers``: (its client UUID, as stored)."""
    script = "const u = await o.start(); await o.answer(u, arg); await o.sync(); return u;"
    uuid = str(_outbox(page, script, answers))
    made = page.request.post(
        "/api/v1/incidents", data={"client_uuid": uuid}, headers={"X-CSRF-Token": _token(page)}
    )
    assert made.status == 200, made.text()  # the outbox's incident, made once
    return uuid, _server(page, made.json()["id"])


def test_every_officer_screen_says_what_is_waiting(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    page.add_init_script(HEIGHTS)
    log_in(page, "officer1")
    status = page.locator("#tc-sync")
    expect(status).to_contain_text("Online: nothing waiting to send.")
    heights = page.evaluate("() => window.tcHeights")
    assert len(heights) == 1, heights  # its lines' space is kept from the first paint
    phone_v2.set_offline(True)  # the signal drops on a screen: said once, politely
    expect(status.locator(".tc-sync__line")).to_have_text("No signal: nothing waiting to send.")
    expect(status.get_by_role("status")).to_have_text("No signal: nothing waiting to send.")
    phone_v2.set_offline(False)
    expect(status.get_by_role("status")).to_have_text("Online: nothing waiting to send.")
    page.goto("/offline")
    wait_for_control(page)
    phone_v2.set_offline(True)
    answers = {
        "incident.log_ref": "WAIT-1",
        "incident.address": "1 Quiet Lane",
        "children": [{"id": CHILD, "child.name": CHILD_NAME, "child.unborn": False}],
    }
    _outbox(page, "const u = await o.start(); await o.answer(u, arg); return u;", answers)
    # Answers, not incidents: two top-level answers and the child's two.
    box = page.locator("#tc-outbox")
    expect(box).to_contain_text("No signal: 4 answers waiting to send.")
    expect(page.locator("#tc-connection")).to_contain_text("No signal")
    page.route("**/api/v1/**", lambda route: route.abort())  # signal back, server not yet
    phone_v2.set_offline(False)
    page.goto("/incidents")  # a screen that does not send: it says what waits, and where to go
    expect(status).to_contain_text("Online: 4 answers waiting to send.")
    expect(status.get_by_role("link", name="Send now")).to_have_attribute("href", "/offline")
    expect(status.get_by_role("alert")).to_be_empty()
    assert CHILD_NAME not in page.evaluate("() => JSON.stringify(localStorage)")
    assert_accessible(page)
    assert_fits(page)
    page.unroute("**/api/v1/**")
    page.goto("/offline")  # the offline app sends; the counts follow, with the time sent
    expect(box).to_contain_text("Online: nothing waiting to send.")
    expect(box).to_contain_text("Last sent at")
    page.goto("/incidents")
    expect(status).to_contain_text("Last sent at")
    expect(status.get_by_role("link", name="Send now")).to_have_count(0)


def test_a_conflict_is_announced_and_chosen_question_by_question(
    phone_v2: BrowserContext,
) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    server_side = {
        "incident.log_ref": "ON-SERVER",
        "incident.address": "2 Server Street",
        "gate.children_present": True,
        "children": [{"id": CHILD, "child.name": "Server Name"}],
    }
    uuid, body = _on_server(page, server_side)
    typed = {
        "incident.log_ref": "TYPED-OFFLINE",
        "incident.address": "3 Typed Road",
        "gate.children_present": True,
        "children": [{"id": CHILD, "child.name": CHILD_NAME}],
    }
    waiting = _replay(page, uuid, body, typed)  # typed offline over an older version: 412
    assert [d["conflict"] is not None for d in waiting] == [True]
    raw = _raw_indexeddb(page)  # both versions kept, encrypted
    assert CHILD_NAME not in raw and "Server Name" not in raw and "Typed Road" not in raw
    page.goto("/incidents")
    alert = page.locator("#tc-sync").get_by_role("alert")
    expect(alert).to_contain_text("1 incident could not be sent")
    expect(alert).to_contain_text("Nothing has been overwritten.")
    assert_accessible(page)
    alert.get_by_role("link", name="Choose which answers to keep").click()
    page.wait_for_url("**/offline/conflicts")  # nothing personal in the address
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose which answers to keep")
    form = page.locator("form.tc-conflict")
    expect(form.get_by_role("heading", level=2)).to_have_text("Incident TYPED-OFFLINE")
    log_ref = page.get_by_role("group", name="Incident or occurrence number")
    address = page.get_by_role("group", name="Address", exact=False)
    name = page.get_by_role("group", name=f"Child: {CHILD_NAME}", exact=False)
    expect(form.locator("fieldset")).to_have_count(3)  # only what differs
    expect(log_ref).to_contain_text("TYPED-OFFLINE")
    expect(log_ref).to_contain_text("ON-SERVER")
    expect(name).to_contain_text("Server Name")
    assert_accessible(page)
    assert_fits(page)
    mine = log_ref.get_by_role("radio", name="Keep what I typed")
    theirs = log_ref.get_by_role("radio", name="Keep what is on the server")
    assert mine.bounding_box()["y"] < theirs.bounding_box()["y"]  # type: ignore[index]
    page.set_viewport_size({"width": 1024, "height": 800})  # side by side on a wider screen
    assert mine.bounding_box()["y"] == theirs.bounding_box()["y"]  # type: ignore[index]
    page.set_viewport_size({"width": 390, "height": 844})
    # Nothing chosen for the officer: sending without a choice says which are missing.
    log_ref.get_by_role("radio", name="Keep what I typed").check()
    page.get_by_role("button", name="Send my choices").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    assert_accessible(page)
    assert _server(page, body["id"])["revision"] == body["revision"]  # nothing sent yet
    page.get_by_role("button", name="Choose what I typed for all").click()
    address.get_by_role("radio", name="Keep what is on the server").check()
    page.get_by_role("button", name="Send my choices").click()
    expect(page.locator("#tc-conflicts-news")).to_have_text(
        "Your choices have been sent. The server now holds them."
    )
    after = _server(page, body["id"])["answers"]
    assert after["incident.log_ref"] == "TYPED-OFFLINE"
    assert after["incident.address"] == "2 Server Street"
    assert after["children"] == [{"id": CHILD, "child.name": CHILD_NAME}]
    assert _outbox(page, "return (await o.drafts()).length;") == 0
    page.goto("/incidents")
    expect(page.locator("#tc-sync").get_by_role("alert")).to_be_empty()


def test_keeping_everything_on_the_server_sends_nothing(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    uuid, body = _on_server(page, {"incident.log_ref": "KEEP-SERVER"})
    _replay(page, uuid, body, {"incident.log_ref": "DROPPED"})
    page.goto("/offline/conflicts")
    page.get_by_role("button", name="Choose what is on the server for all").click()
    page.get_by_role("button", name="Send my choices").click()
    expect(page.locator("#tc-conflicts-news")).to_contain_text("Your choices have been sent.")
    after = _server(page, body["id"])
    assert (after["answers"]["incident.log_ref"], after["revision"]) == (
        "KEEP-SERVER",
        body["revision"],
    )
    expect(page.locator("#tc-conflicts")).to_contain_text("There is nothing to choose")


def test_a_choice_made_with_no_signal_is_sent_when_it_returns(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    uuid, body = _on_server(page, {"incident.log_ref": "BEFORE-TUNNEL"})
    _replay(page, uuid, body, {"incident.log_ref": "IN-TUNNEL"})
    phone_v2.set_offline(True)
    page.goto("/offline/conflicts")  # the page is kept for use with no signal
    page.get_by_role("button", name="Choose what I typed for all").click()
    page.get_by_role("button", name="Send my choices").click()
    expect(page.locator("#tc-conflicts-news")).to_have_text(
        "Your choices are saved on this phone and will be sent when you have a signal."
    )
    phone_v2.set_offline(False)
    assert _outbox(page, "return o.sync();") == []
    after = _server(page, body["id"])
    assert after["answers"]["incident.log_ref"] == "IN-TUNNEL"
    assert after["revision"] == body["revision"] + 1  # sent once, over the version now seen
