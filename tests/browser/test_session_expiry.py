"""Session expiry and quick hide in Chromium at phone size: a session that ends while the
officer types keeps the text and signs in again in place (the save then goes); a different
user signing in there gets nothing of it; quick hide blanks the screen at once and the password
brings it back as it was; sign-out leaves nothing in the browser's storage."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from app.assets import static_url
from tests.browser.conftest import DEMO_PASSWORD, PHONE, assert_accessible, log_in

LOG_REF = "Incident or occurrence number"
OUTBOX = static_url("js/offline/outbox.mjs")
TYPED = "INC-2026-0999-123 typed as the session ended"


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server, **PHONE)
    yield context
    context.close()


def _start(page: Page, username: str) -> str:
    log_in(page, username)
    page.get_by_role("button", name="Start an incident").click()
    expect(page.locator("h1")).to_have_text("Incident")
    return page.url


def _server_answers(page: Page) -> dict[str, object]:
    incident_id = page.url.split("/incidents/")[1].split("/")[0]
    response = page.request.get(f"/api/v1/incidents/{incident_id}")
    assert response.ok, response.text()
    answers: dict[str, object] = response.json()["answers"]
    return answers


def _until(page: Page, script: str, seconds: float = 10) -> None:
    """Until an async script in the page gives true (each promise awaited, unlike a Promise
    object taken as true)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, script
        time.sleep(0.2)


def _expire(page: Page) -> None:
    assert page.request.get("/__test__/expire-sessions").ok


def _type_after_expiry(page: Page) -> None:
    field = page.get_by_label(LOG_REF, exact=True)
    field.fill("INC-first")
    page.keyboard.press("Tab")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    _expire(page)
    field.fill(TYPED)
    page.keyboard.press("Tab")  # the autosave finds the session ended


def test_expiry_while_typing_keeps_the_text_and_signs_in_in_place(phone: BrowserContext) -> None:
    page = phone.new_page()
    screen = _start(page, "officer1")
    _type_after_expiry(page)
    dialog = page.get_by_role("dialog", name="Sign in to save your answers")
    expect(dialog).to_be_visible()
    expect(page.locator("#tc-sign-in-username")).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Escape")  # does not throw the page away, nor close the dialog
    expect(dialog).to_be_visible()
    assert page.url == screen
    expect(page.get_by_label(LOG_REF, exact=True)).to_have_value(TYPED)

    dialog.get_by_label("User name").fill("officer1")
    dialog.get_by_label("Password").fill("not the password")
    dialog.get_by_role("button", name="Sign in and save").click()
    expect(page.locator("#tc-sign-in-error")).to_contain_text("not right")
    dialog.get_by_label("Password").fill(DEMO_PASSWORD)
    dialog.get_by_role("button", name="Sign in and save").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert page.url == screen  # never left the screen
    assert _server_answers(page)["incident.log_ref"] == TYPED


def test_signing_in_again_in_place_sends_the_outbox(phone: BrowserContext) -> None:
    screen = phone.new_page()
    _start(screen, "officer1")
    offline = phone.new_page()
    offline.goto("/offline")  # the offline app, open in another tab
    _expire(screen)
    client_uuid = offline.evaluate(
        f"""async () => {{ const o = await import('{OUTBOX}'); const u = await o.start();
              await o.answer(u, {{"incident.log_ref": "OUTBOX-1"}}); await o.sync(); return u; }}"""
    )
    # Signed out: the draft waits in the outbox.
    assert offline.evaluate(f"async () => (await import('{OUTBOX}')).drafts()"), offline.evaluate(
        f"""async () => ({{ round: (await import('{OUTBOX}')).lastRound,
              session: (await fetch('/api/v1/session')).status,
              summary: localStorage.getItem('tc-outbox') }})"""
    )  # seen once (2026-12-01, not since): what the outbox knew, should it happen again
    offline.close()  # the screen itself sends it once signed in again
    field = screen.get_by_label(LOG_REF, exact=True)
    field.fill(TYPED)
    field.press("Tab")
    dialog = screen.get_by_role("dialog", name="Sign in to save your answers")
    expect(dialog).to_be_visible()
    dialog.get_by_label("User name").fill("officer1")
    dialog.get_by_label("Password").fill(DEMO_PASSWORD)
    dialog.get_by_role("button", name="Sign in and save").click()
    expect(dialog).to_be_hidden()
    _until(screen, f"async () => (await (await import('{OUTBOX}')).drafts()).length === 0")
    made = screen.request.post(
        "/api/v1/incidents",
        data={"client_uuid": client_uuid},
        headers={
            "X-CSRF-Token": screen.evaluate(
                "() => document.querySelector('meta[name=csrf-token]').content"
            )
        },
    )
    assert made.status == 200, made.text()  # made once already, by the outbox
    sent = screen.request.get(f"/api/v1/incidents/{made.json()['id']}").json()
    assert sent["answers"]["incident.log_ref"] == "OUTBOX-1"


def test_a_different_user_signing_in_there_gets_nothing(phone: BrowserContext) -> None:
    page = phone.new_page()
    _start(page, "officer1")
    page.evaluate(  # something of officer1's waiting in the outbox
        f"async () => {{ const o = await import('{OUTBOX}'); await o.start(); }}"
    )
    _type_after_expiry(page)
    dialog = page.get_by_role("dialog", name="Sign in to save your answers")
    expect(dialog).to_be_visible()
    dialog.get_by_label("User name").fill("officer2")
    dialog.get_by_label("Password").fill(DEMO_PASSWORD)
    dialog.get_by_role("button", name="Sign in and save").click()
    page.wait_for_url(lambda url: "/incidents/" not in url)
    assert TYPED not in page.content()
    names = page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert "thinkchild" not in names  # the first user's outbox is wiped, as at sign-out


def _hidden(page: Page) -> None:
    """Nothing of the page is drawn or in the accessibility tree; the title says nothing."""
    assert page.evaluate("() => document.documentElement.classList.contains('tc-hidden')")
    expect(page.locator("#main-content").first).to_be_hidden()
    assert page.title() == "Locked"
    tree = page.locator("body").aria_snapshot()
    assert "typed before hiding" not in tree and "Incident" not in tree, tree


def test_quick_hide_blanks_at_once_and_the_password_brings_it_back(
    phone: BrowserContext,
) -> None:
    page = phone.new_page()
    screen = _start(page, "officer2")
    # The page's scripts have run (the quick hide's button is theirs; pressed before they
    # arrive, the form locks the session and shows the unlock page instead).
    page.wait_for_load_state()
    page.get_by_label(LOG_REF, exact=True).fill("typed before hiding")
    title = page.title()
    # The request that locks the session is held back: the screen is blank without it.
    held: list[Route] = []
    page.route("**/lock", lambda route: held.append(route))
    page.get_by_role("button", name="Hide screen").click()
    _hidden(page)
    expect(page.locator("#unlock-password")).to_be_focused()
    assert_accessible(page)
    assert held
    held[0].continue_()
    # The lock is held on the server: pages and the API are refused until the password.
    _until(page, "async () => (await fetch('/api/v1/session')).status === 423")
    assert page.request.get(screen, max_redirects=0).status == 303

    page.fill("#unlock-password", "not the password")
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("#tc-lock-error")).to_contain_text("not right")
    _hidden(page)
    page.fill("#unlock-password", DEMO_PASSWORD)
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("#tc-lock")).to_have_count(0)
    expect(page.get_by_label(LOG_REF, exact=True)).to_have_value("typed before hiding")
    assert page.title() == title and page.url == screen
    page.get_by_label(LOG_REF, exact=True).press("Tab")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert _server_answers(page)["incident.log_ref"] == "typed before hiding"

    # The keyboard shortcut does the same.
    page.keyboard.press("Alt+Shift+H")
    _hidden(page)
    page.fill("#unlock-password", DEMO_PASSWORD)
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("#tc-lock")).to_have_count(0)


def test_sign_out_clears_site_data(phone: BrowserContext) -> None:
    page = phone.new_page()
    log_in(page, "officer2")
    page.evaluate(
        """async () => { localStorage.setItem("tc-last-sync", "x");
             await (await caches.open("tc-marker")).put("/marker", new Response("x")); }"""
    )
    page.get_by_role("button", name="Menu").click()  # the navigation folds away on a phone
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login?signed_out=1")
    assert page.evaluate("() => localStorage.length") == 0
    assert "tc-marker" not in page.evaluate("async () => caches.keys()")
