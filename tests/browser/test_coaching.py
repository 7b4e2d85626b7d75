"""The coach's dashboard and samples page at phone size: accessible (axe-core) and no sideways
scrolling; the charts have their text alternatives."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

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
