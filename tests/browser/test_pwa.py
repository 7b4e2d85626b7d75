"""The installable app in Chromium at phone size: manifest and icons, a service worker that
controls the page, offline reloads that show the offline app, and updates offered, not forced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import PHONE, assert_accessible, log_in


@pytest.fixture
def phone_v2(browser: Browser, live_server_v2: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server_v2, **PHONE)
    yield context
    context.close()


def wait_for_control(page: Page) -> None:
    """Until the service worker is active and controls this page. A page that was loading while
    the worker activated can miss its claim (Chromium): that page is loaded again, under it."""
    page.evaluate("() => navigator.serviceWorker.ready")
    controlled = "() => navigator.serviceWorker.controller !== null"
    try:
        page.wait_for_function(controlled, polling=250, timeout=5000)
    except PlaywrightTimeoutError:
        page.reload()
        page.wait_for_function(controlled, polling=250)


def test_installable_manifest_and_worker(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    manifest_url = page.evaluate("() => document.querySelector('link[rel=manifest]').href")
    manifest = page.evaluate("async (url) => (await fetch(url)).json()", manifest_url)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:  # each icon loads as an image of its stated size
        size = page.evaluate(
            """async (src) => { const img = new Image(); img.src = src; await img.decode();
                 return img.naturalWidth + "x" + img.naturalHeight; }""",
            icon["src"],
        )
        assert size == icon["sizes"]
    wait_for_control(page)
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == page.url.split("/incidents")[0] + "/"


def test_offline_reload_shows_the_offline_app(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    wait_for_control(page)
    page.reload()  # a page drawn under the worker keeps the prompt set for offline use
    page.wait_for_function(
        "async () => !!(await caches.match('/api/v1/prompt-set', {cacheName: 'tc-data'}))"
    )
    phone_v2.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("Think Child with no signal")
        expect(page.locator("#tc-connection")).to_contain_text("No signal")
        assert_accessible(page)
        page.goto("/review")
        expect(page.get_by_role("heading", level=1)).to_have_text("This page needs a signal")
        page.goto("/coaching")
        expect(page.get_by_role("heading", level=1)).to_have_text("This page needs a signal")
        assert_accessible(page)
        names = page.evaluate("async () => caches.keys()")
        urls = page.evaluate(
            """async (names) => { const out = [];
                 for (const n of names) for (const r of await (await caches.open(n)).keys())
                   out.push(new URL(r.url).pathname);
                 return out; }""",
            names,
        )
        # Nothing with personal data: the shell, the prompt set, never an incident page.
        assert urls and all(
            u.startswith(("/static/", "/offline"))
            or u in ("/manifest.webmanifest", "/api/v1/prompt-set")
            for u in urls
        ), urls
        assert "/api/v1/prompt-set" in urls
    finally:
        phone_v2.set_offline(False)


def test_an_update_is_offered_not_forced(phone_v2: BrowserContext, live_server_v2: str) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    wait_for_control(page)
    page.goto("/offline")
    wait_for_control(page)
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'typed';"
        " i.setAttribute('aria-label', 'Notes');"
        " document.getElementById('tc-offline-app').append(i); }"
    )
    page.fill("#typed", "half-typed words")
    first = page.evaluate("async () => (await navigator.serviceWorker.ready).active.scriptURL")
    assert page.request.get(f"{live_server_v2}/__test__/new-release").ok
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    banner = page.get_by_role("region", name="Update available")
    expect(banner).to_be_visible()
    assert_accessible(page)
    # Waiting, not swapped: the page and what was typed stay as they were.
    page.wait_for_function(
        "async () => (await navigator.serviceWorker.getRegistration()).waiting !== null"
    )
    expect(page.locator("#typed")).to_have_value("half-typed words")
    assert page.evaluate("() => navigator.serviceWorker.controller.state") == "activated"
    assert first
    with page.expect_event("load"):
        banner.get_by_role("button", name="Update now").click()
    wait_for_control(page)
    page.wait_for_function(
        "async () => (await navigator.serviceWorker.getRegistration()).waiting === null"
    )
    expect(page.get_by_role("region", name="Update available")).to_have_count(0)
