"""The coach's dashboard and samples page at phone size: accessible (axe-core) and no sideways
scrolling; the charts have their text alternatives. At desktop size too, with a sample drawn
and one of its cases (the audit scoring page); the training pages at both sizes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PHONE, assert_accessible, assert_fits, log_in
from tests.browser.test_review import submit_by_api

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}


def assert_fits_the_phone(page: Page) -> None:
    """Nothing scrolls sideways, and the phone did not widen the page to fit something wide
    (``assert_fits`` alone cannot see that: the window's width grows with the page)."""
    assert_fits(page)
    width = page.evaluate("() => window.innerWidth")
    assert width <= PHONE["viewport"]["width"], f"{page.url} is laid out {width}px wide"


def test_the_dashboard_on_a_phone(phone_page: Page) -> None:
    log_in(phone_page, "coach1")
    phone_page.goto("/coaching")
    assert phone_page.locator("h1").inner_text() == "Coaching dashboard"
    # Trends, teams compared, supervisors' quality checks and training by team: each with a
    # text version.
    assert phone_page.locator("svg[role=img] title").count() == 4
    assert phone_page.locator("svg[role=img] desc").count() == 4
    assert_accessible(phone_page)
    assert_fits_the_phone(phone_page)
    phone_page.goto("/coaching/samples")
    assert_accessible(phone_page)
    assert_fits_the_phone(phone_page)
    phone_page.goto("/coaching/incidents?figure=incidents")
    assert_accessible(phone_page)
    assert_fits_the_phone(phone_page)


def test_every_coaching_page_at_desktop_size(browser: Browser, live_server: str) -> None:
    """The coach works at a desk too: the same pages at 1280x900, axe-core clean: the
    dashboard, the samples and a drill-down list (and an incident behind it, when there is one)."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, "coach1")
    for path in ("/coaching", "/coaching/samples", "/coaching/incidents?figure=incidents"):
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    incident = page.locator("a[href^='/coaching/incidents/']")  # on the drill-down list
    if incident.count():  # the demo database may hold no incident in the period
        incident.first.click()
        assert_accessible(page)
    context.close()


def test_a_sample_and_its_case_at_desktop_size(browser: Browser, live_server: str) -> None:
    """A referral to sample, a sample drawn, and the case's scoring page (with its errors shown
    after an empty save) at 1280x900: axe-core clean."""
    officer = browser.new_context(base_url=live_server, **PHONE)
    officer_page = officer.new_page()
    log_in(officer_page, "officer1")
    reference = submit_by_api(officer_page)
    officer.close()

    context = browser.new_context(base_url=live_server, **DESKTOP)
    page = context.new_page()
    log_in(page, "coach1")
    page.goto("/coaching/samples")
    page.fill("#size", "50")  # every referral, the one just submitted among them
    page.get_by_role("button", name="Draw a sample").click()
    page.wait_for_url("**/coaching/samples/*")
    assert page.locator("h1").inner_text().startswith("Sample drawn")
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    page.wait_for_url("**/coaching/samples/cases/*")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Save scores").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_training_pages(browser: Browser, live_server: str, size: str) -> None:
    """The officers' training list, one officer's page with a date refused and then saved, and
    the list drilled down from the dashboard: axe-core clean and (on a phone) no sideways
    scrolling."""
    context = browser.new_context(base_url=live_server, **(PHONE if size == "phone" else DESKTOP))
    page = context.new_page()
    log_in(page, "coach1")

    def check() -> None:
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        if size == "phone":
            assert_fits_the_phone(page)

    page.goto("/coaching/training")
    check()
    page.get_by_role("link", name="PC Alex Morgan").first.click()
    page.wait_for_url("**/coaching/training/*")
    check()
    page.fill("#completed-day", "31")
    page.fill("#completed-month", "2")
    page.fill("#completed-year", "2026")
    page.get_by_role("button", name="Save the date").click()
    assert "The date must be a real date" in page.locator(".govuk-error-summary").inner_text()
    check()
    page.fill("#completed-day", "2")
    page.get_by_role("button", name="Save the date").click()
    page.wait_for_url("**done=recorded")
    assert "2 February 2026" in page.content()
    check()
    page.goto("/coaching")
    table = page.locator("#training")
    table.get_by_role("link").first.click()
    page.wait_for_url("**/coaching/training?team=*")
    check()
    context.close()
