"""Two tabs on one phone, in real Chromium: autosave keeps saving from the same tab (each save
gives the page its new revision), and a child removed in the other tab is never given the words
typed for it: the page says so, and the officer can add it back with what they typed."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.browser.conftest import PHONE, assert_accessible, log_in

pytestmark = pytest.mark.browser


def _api(page: Page, method: str, path: str, body: object) -> dict[str, object]:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    response = page.request.fetch(path, method=method, data=body, headers={"X-CSRF-Token": token})
    assert response.ok, response.text()
    result = response.json()
    assert isinstance(result, dict)
    return result


def test_autosave_twice_then_a_child_removed_in_another_tab(phone: BrowserContext) -> None:
    tab = phone.new_page()
    log_in(tab, "officer2")
    incident = _api(tab, "POST", "/api/v1/incidents", {"client_uuid": str(uuid.uuid4())})
    saved = _api(
        tab,
        "PUT",
        f"/api/v1/incidents/{incident['id']}/answers",
        {
            "answers": {
                "gate.children_present": True,
                "gate.pregnancy": False,
                "children": [{"child.name": "Amy"}, {"child.name": "Ben"}],
            }
        },
    )
    children = saved["answers"]["children"]  # type: ignore[index]
    ben = children[1]["id"]  # type: ignore[index]
    ben_page = f"/incidents/{incident['id']}/c/{ben}/s/child/1"

    tab.goto(ben_page)
    status = tab.locator("#save-status")
    where = tab.locator("#f-child-name")
    where.fill("Ben Smith")
    expect(status).to_contain_text("Saved at", timeout=10_000)
    first = tab.locator("#form-revision").get_attribute("value")
    where.fill("Ben Smith-Jones")
    expect(tab.locator("#form-revision")).not_to_have_value(first or "", timeout=10_000)
    expect(status).to_contain_text("Saved at")  # the same tab saves again: no conflict

    other = phone.new_page()  # the second tab removes Ben
    other.goto(f"/incidents/{incident['id']}/c/{ben}/remove")
    other.get_by_role("button", name="Yes, remove").click()
    other.wait_for_url(re.compile(r"/children$"))

    where.fill("Benjamin Smith")
    expect(status).to_contain_text("Not saved: this was removed on another tab or device")
    tab.get_by_role("button", name="Save and continue").click()
    expect(tab.locator("h1")).to_have_text("This was removed on another tab or device")
    expect(tab.locator("table")).to_contain_text("Benjamin Smith")
    assert_accessible(tab)
    tab.get_by_role("button", name="Add it back with what I typed").click()
    tab.wait_for_url(lambda url: "/s/child/" in url or url.endswith("/children"))
    final = _api(tab, "GET", f"/api/v1/incidents/{incident['id']}", None)
    kids = final["answers"]["children"]  # type: ignore[index]
    assert [k["child.name"] for k in kids] == ["Amy", "Benjamin Smith"]  # type: ignore[index]
    assert kids[1]["id"] == ben  # type: ignore[index]


def test_typed_before_the_scripts_arrived_is_still_saved(
    browser: Browser, live_server: str
) -> None:
    """On one bar of signal an officer can type before htmx has arrived: that change fired with
    nobody listening, and used to wait unsaved until the next one. (No service worker here: it
    would hand the page htmx from its cache, unseen by the route that holds it back.)"""
    context = browser.new_context(base_url=live_server, service_workers="block", **PHONE)
    page = context.new_page()
    log_in(page, "officer2")
    held: list[Route] = []
    page.route(re.compile(r"/static/.*htmx-[^/]*\.js$"), lambda route: held.append(route))
    page.get_by_role("button", name="Start an incident").click()
    expect(page.locator("h1")).to_have_text("Incident")
    field = page.get_by_label("Incident or occurrence number", exact=True)
    field.fill("INC-typed-early")
    page.keyboard.press("Tab")
    assert len(held) == 1 and not page.evaluate("() => 'htmx' in window")
    held[0].continue_()
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    incident_id = page.url.split("/incidents/")[1].split("/")[0]
    answers = page.request.get(f"/api/v1/incidents/{incident_id}").json()["answers"]
    assert answers["incident.log_ref"] == "INC-typed-early"
    context.close()
