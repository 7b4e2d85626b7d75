"""The coach's dashboard and samples page at phone size: accessible (axe-core) and no sideways
scrolling; the charts have their text alternatives."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, assert_fits, log_in


def test_the_dashboard_on_a_phone(phone_page: Page) -> None:
    log_in(phone_page, "coach1")
    phone_page.goto("/coaching")
    assert phone_page.locator("h1").inner_text() == "Coaching dashboard"
    # Trends, teams compared, and supervisors' quality checks by team: each with a text version.
    assert phone_page.locator("svg[role=img] title").count() == 3
    assert phone_page.locator("svg[role=img] desc").count() == 3
    assert_accessible(phone_page)
    assert_fits(phone_page)
    phone_page.goto("/coaching/samples")
    assert_accessible(phone_page)
    assert_fits(phone_page)
    phone_page.goto("/coaching/incidents?figure=incidents")
    assert_accessible(phone_page)
    assert_fits(phone_page)
