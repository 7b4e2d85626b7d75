"""Every page of the foundation in real Chromium: axe-core clean, 320 px wide, keyboard only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, assert_fits, log_in

ADMIN_PAGES = ["/", "/admin/users", "/admin/users/new", "/admin/teams", "/admin/audit", "/nowhere"]


@pytest.mark.parametrize("username", ["officer1", "supervisor1", "coach1", "admin1"])
def test_each_demo_role_can_sign_in(phone_page: Page, username: str) -> None:
    log_in(phone_page, username)
    heading = phone_page.locator("h1").inner_text()
    homes = {"officer1": "Your incidents", "supervisor1": "Review queue"}
    assert heading == homes[username] if username in homes else heading.startswith("Hello")
    assert_accessible(phone_page)


def test_login_page_and_its_errors_are_accessible(phone_page: Page) -> None:
    phone_page.goto("/login")
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Sign in").click()
    assert phone_page.locator(".govuk-error-summary").is_visible()
    # GOV.UK Frontend's script moves focus to the error summary.
    assert phone_page.evaluate(
        "() => document.activeElement.classList.contains('govuk-error-summary')"
    )
    assert_accessible(phone_page)


def test_admin_pages_are_accessible_and_fit_320px(browser: Browser, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640})
    page = context.new_page()
    log_in(page, "admin1")
    page.goto("/admin/users")
    page.get_by_role("link", name="PC Alex Morgan").click()
    pages = [*ADMIN_PAGES, page.url]
    for url in pages:
        page.goto(url)
        assert_accessible(page)
        assert_fits(page)
    # The error messages of a form are accessible too.
    page.goto("/admin/users/new")
    page.get_by_role("button", name="Add user").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    context.close()


def test_forbidden_page_is_accessible(phone_page: Page) -> None:
    log_in(phone_page, "officer1")
    response = phone_page.goto("/admin/users")
    assert response is not None and response.status == 403
    assert_accessible(phone_page)


def test_sign_in_and_out_by_keyboard_alone(phone_page: Page) -> None:
    page = phone_page
    page.goto("/login")
    page.keyboard.press("Tab")  # the skip link comes first
    assert (
        page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"
    )
    page.focus("#username")
    page.keyboard.type("officer1")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/incidents")
    menu = page.get_by_role("button", name="Menu")  # the navigation folds away on a phone
    menu.focus()
    page.keyboard.press("Enter")
    sign_out = page.get_by_role("button", name="Sign out")
    sign_out.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/login?signed_out=1")
    assert "You have signed out" in page.content()


def test_no_console_errors_or_csp_violations(phone_page: Page) -> None:
    errors: list[str] = []
    phone_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone_page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(phone_page, "admin1")
    for url in ("/", "/admin/users", "/admin/users/new"):
        phone_page.goto(url)
    assert errors == []
    assert phone_page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
    assert phone_page.evaluate("() => typeof htmx !== 'undefined'")


def test_the_second_factor_code_page_is_accessible(phone_page: Page) -> None:
    phone_page.goto("/login")
    phone_page.fill("#username", "supervisor2")
    phone_page.fill("#password", DEMO_PASSWORD)
    phone_page.get_by_role("button", name="Sign in").click()
    phone_page.wait_for_url("**/login/code**")
    assert_accessible(phone_page)
    phone_page.fill("#code", "000000")
    phone_page.get_by_role("button", name="Continue").click()
    assert phone_page.locator(".govuk-error-summary").is_visible()
    assert_accessible(phone_page)
