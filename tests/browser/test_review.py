"""The supervisor's pages in real Chromium: queue, referral, decisions; axe-clean, phone-sized."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.conftest import PHONE, assert_accessible, assert_fits, log_in
from tests.checklist.builders import complete_answers


def submit_by_api(page: Page) -> str:
    """A complete referral submitted through the JSON API as the signed-in officer."""
    page.goto("/incidents")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    headers = {"X-CSRF-Token": token}
    created = page.request.post(
        "/api/v1/incidents", data={"client_uuid": str(uuid.uuid4())}, headers=headers
    )
    incident = created.json()["id"]
    saved = page.request.put(
        f"/api/v1/incidents/{incident}/answers",
        data={"answers": complete_answers()},
        headers=headers,
    )
    assert saved.ok, saved.text()
    submitted = page.request.post(f"/api/v1/incidents/{incident}/submit", headers=headers)
    assert submitted.ok, submitted.text()
    return str(submitted.json()["reference"])


def test_supervisor_reviews_on_a_phone(browser: Browser, live_server: str) -> None:
    officer = browser.new_context(base_url=live_server, **PHONE)
    officer_page = officer.new_page()
    log_in(officer_page, "officer1")
    reference = submit_by_api(officer_page)

    supervisor = browser.new_context(base_url=live_server, **PHONE)
    page = supervisor.new_page()
    log_in(page, "supervisor1")
    assert page.url.endswith("/review")
    assert reference in page.content()
    assert_accessible(page)
    assert_fits(page)
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(f"**/review/{reference}")
    assert_accessible(page)
    assert_fits(page)
    # The printable referral, as the supervisor reads it.
    page.get_by_role("link", name="Printable referral").click()
    page.wait_for_url(f"**/referrals/{reference}/document")
    assert_accessible(page)
    assert_fits(page)
    page.go_back()
    # The summary comes before the decision; the quality check is prefilled.
    summary_top = page.locator("#summary-heading").bounding_box()
    decision_top = page.locator("#decision-heading").bounding_box()
    assert summary_top and decision_top and summary_top["y"] < decision_top["y"]
    assert page.locator("#quality-child_seen").is_checked()
    # Approving a high referral needs a rationale: the error is shown and accessible, and the
    # quality check keeps what was changed.
    page.locator("#quality-encompass-2").check()  # "No"
    page.get_by_role("radio", name="Approve and send to social care").check()
    page.get_by_role("button", name="Record your decision").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Say why you agree with this grade" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#quality-encompass-2").is_checked()
    assert_accessible(page)
    assert_fits(page)
    # Returning needs a comment: the error is shown and accessible.
    page.get_by_role("radio", name="Return to the officer").check()
    page.get_by_role("button", name="Record your decision").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.fill("#comment-return", "Please add the child's school.")
    page.get_by_role("button", name="Record your decision").click()
    page.wait_for_url("**done=return")
    assert "Referral returned to the officer." in page.content()
    history = page.locator(".tc-history")
    assert "What to change: Please add the child's school." in history.inner_text()
    history.get_by_text("Quality check").click()
    assert "Operation Encompass" in history.inner_text()
    assert_accessible(page)
    assert_fits(page)
    officer.close()
    supervisor.close()


def test_queue_filters_with_htmx(browser: Browser, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, **PHONE)
    page = context.new_page()
    log_in(page, "officer2")
    reference = submit_by_api(page)
    context.clear_cookies()
    log_in(page, "supervisor1")
    page.select_option("#grade", "standard")  # no standard referrals: the list empties in place
    page.wait_for_url("**grade=standard**")
    assert reference not in page.locator("#queue-results").inner_text()
    page.select_option("#grade", "high")
    page.wait_for_url("**grade=high**")
    assert reference in page.locator("#queue-results").inner_text()
    assert_accessible(page)
    context.close()


def test_a_filter_picked_before_the_scripts_arrived_still_applies(
    browser: Browser, live_server: str
) -> None:
    """With JavaScript the filters have no button: a filter picked while htmx was still on its
    way (one bar of signal) used to do nothing. (No service worker: it would hand the page
    htmx from its cache, unseen by the route that holds it back.)"""
    context = browser.new_context(base_url=live_server, service_workers="block", **PHONE)
    page = context.new_page()
    log_in(page, "supervisor1")
    held: list[Route] = []
    page.route(re.compile(r"/static/.*htmx-[^/]*\.js$"), lambda route: held.append(route))
    page.goto("/review", wait_until="commit")
    page.select_option("#grade", "standard")
    assert len(held) == 1 and not page.evaluate("() => 'htmx' in window")
    held[0].continue_()
    page.wait_for_url("**grade=standard**")
    expect(page.locator("#grade")).to_have_value("standard")
    context.close()
