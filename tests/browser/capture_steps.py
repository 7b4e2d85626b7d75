"""Steps for the offline capture tests (``test_capture_v2.py``): an officer's phone readied for
no signal, the answers on a screen filled through the screen itself, and what the server holds."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from app.assets import static_url
from tests.browser.conftest import log_in
from tests.browser.test_pwa import wait_for_control

OUTBOX = static_url("js/offline/outbox.mjs")
RULES = static_url("js/offline/rules.mjs")

# Fill every empty answer that shows on the screen with a plain answer of its type ("No" for a
# yes or no question, the first option, a date in the past), until nothing that shows is empty:
# an answer may show more questions.
FILL = """() => {
  const set = (el, v) => { el.value = v; el.dispatchEvent(new Event("input", {bubbles: true}));
                           el.dispatchEvent(new Event("change", {bubbles: true})); };
  let filled = 0;
  for (const box of document.querySelectorAll("#tc-capture .tc-prompt:not(.tc-when--hidden)")) {
    const type = box.dataset.type;
    const inputs = [...box.querySelectorAll("input, textarea")];
    if (type === "yesno" || type === "choice") {
      if (inputs.some((i) => i.checked)) continue;
      const pick = type === "yesno" ? inputs.find((i) => i.value === "no") : inputs[0];
      pick.click(); filled++;
    } else if (type === "multi") {
      if (inputs.some((i) => i.checked)) continue;
      inputs[0].click(); filled++;
    } else if (type === "text" || type === "short") {
      if (inputs[0].value) continue;
      set(inputs[0], "Noted at the scene"); filled++;
    } else if (type === "number") {
      if (inputs[0].value) continue;
      set(inputs[0], "1"); filled++;
    } else if (type === "date" || type === "datetime") {
      if (inputs[0].value) continue;
      set(inputs[0], "2"); set(inputs[1], "3"); set(inputs[2], type === "date" ? "2019" : "2026");
      if (type === "datetime") set(inputs[3], "14:30");
      filled++;
    }
  }
  return filled;
}"""


def ready_offline(context: BrowserContext) -> Page:
    """An officer's phone that has been online once (the app and the questions kept by the
    service worker), now with no signal, on the offline app."""
    page = context.new_page()
    log_in(page, "officer1")
    wait_for_control(page)
    page.reload()  # a page drawn under the worker keeps the questions for use with no signal
    page.wait_for_function(
        "async () => !!(await caches.match('/api/v1/prompt-set', {cacheName: 'tc-data'}))",
        polling=250,
    )
    context.set_offline(True)
    page.goto("/incidents")  # no signal: the worker gives the offline app instead
    expect(page.get_by_role("button", name="Start an incident")).to_be_visible()
    return page


def fill_screen(page: Page) -> None:
    """Answer whatever is still empty on this screen, as the officer would."""
    while page.evaluate(FILL):
        page.wait_for_timeout(50)


def continue_(page: Page) -> None:
    heading = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(heading)


def open_item(page: Page, button: str) -> None:
    """Press "Add an adult" (or another list's button) and wait for the new item's screen, so
    nothing is typed into the screen being left."""
    heading = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(heading)


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def draft_answers(page: Page, uuid: str) -> Any:
    return page.evaluate(f"async (u) => (await (await import('{OUTBOX}')).draft(u)).answers", uuid)


def shown(page: Page, answers: dict[str, Any]) -> Any:
    """The answers whose prompts show (the browser's port of ``prune_hidden``)."""
    return page.evaluate(
        f"""async (a) => {{ const r = await import('{RULES}');
              const ps = await (await fetch('/api/v1/prompt-set')).json();
              return r.prune(ps, a); }}""",
        answers,
    )


def wait_until_sent(page: Page) -> None:
    """Until the outbox has sent everything (it sends on the "online" event and on a timer)."""
    page.wait_for_function(
        f"async () => (await (await import('{OUTBOX}')).sync()).length === 0", timeout=20000
    )


def server_incident(page: Page, uuid: str) -> dict[str, Any]:
    """The incident the server made for this client UUID (starting again names the same one)."""
    token = page.evaluate("async () => (await (await fetch('/api/v1/session')).json()).csrf_token")
    made = page.request.post(
        "/api/v1/incidents", data={"client_uuid": uuid}, headers={"X-CSRF-Token": token}
    )
    assert made.status == 200, made.text()  # 200: it existed already, made once
    got = page.request.get(f"/api/v1/incidents/{made.json()['id']}")
    assert got.ok, got.text()
    body: dict[str, Any] = got.json()
    return body
