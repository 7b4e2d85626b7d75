"""The outbox when things go wrong, in Chromium at phone size: replies lost (the same change sent
twice gives one record), the server killed mid-sync and started again (nothing lost, nothing
doubled), a second officer on the same browser (the first one's outbox is not theirs to see),
and sign-out (no incident data left in any browser storage)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.browser.conftest import PHONE, log_in
from tests.browser.restartable import RestartableServer
from tests.browser.test_offline_outbox import CHILD_NAME, _outbox, _raw_indexeddb, _server
from tests.browser.test_pwa import phone_v2, wait_for_control

__all__ = ["phone_v2"]

DRAFT = "const u = await o.start(); await o.answer(u, arg); return u;"
TOKEN = "return (await (await fetch('/api/v1/session')).json()).csrf_token;"


def _offline_drafts(context: BrowserContext, *log_refs: str) -> tuple[Page, list[str]]:
    """officer1 on the offline app with a draft per log reference made with no signal."""
    page = context.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    context.set_offline(True)
    uuids = [
        str(_outbox(page, DRAFT, {"incident.log_ref": ref, "incident.address": CHILD_NAME}))
        for ref in log_refs
    ]
    return page, uuids


def _stored(page: Page, uuid: str) -> dict[str, Any]:
    """The incident made from this client UUID (asking again makes no second one: 200)."""
    made = page.request.post(
        "/api/v1/incidents",
        data={"client_uuid": uuid},
        headers={"X-CSRF-Token": str(_outbox(page, TOKEN))},
    )
    assert made.status == 200, made.text()
    return _server(page, made.json()["id"])


def _listed(page: Page, log_ref: str) -> int:
    """How many of the officer's incidents carry this log reference."""
    page.goto("/incidents")
    return page.locator("main").get_by_text(log_ref, exact=True).count()


def _sync_until_sent(page: Page, rounds: int = 3) -> list[Any]:
    waiting: list[Any] = []
    for _ in range(rounds):
        waiting = _outbox(page, "return o.sync();")
        if not waiting:
            break
    return waiting


def test_the_same_change_sent_twice_gives_one_record(phone_v2: BrowserContext) -> None:
    page, (uuid,) = _offline_drafts(phone_v2, "ONCE-1")
    replies: list[dict[str, Any]] = []

    def lose_the_reply(route: Route) -> None:  # the server acts; its answer never arrives
        replies.append(route.fetch().json())
        route.abort()

    page.route("**/api/v1/incidents", lose_the_reply, times=1)
    page.route("**/api/v1/incidents/*/answers", lose_the_reply, times=1)
    phone_v2.set_offline(False)
    assert _sync_until_sent(page) == []
    assert len(replies) == 2  # the start and the answers each reached the server once...
    incident = _stored(page, uuid)  # ...and were each sent again, and recognised
    assert incident["id"] == replies[0]["id"]
    assert incident["revision"] == replies[1]["revision"]  # the replay changed nothing
    assert incident["answers"]["incident.log_ref"] == "ONCE-1"
    assert _listed(page, "ONCE-1") == 1


@pytest.fixture
def restartable() -> Iterator[RestartableServer]:
    server = RestartableServer()
    server.start()
    yield server
    server.kill()


def test_server_killed_mid_sync_loses_nothing_and_doubles_nothing(
    browser: Browser, restartable: RestartableServer
) -> None:
    context = browser.new_context(base_url=restartable.url, **PHONE)
    try:
        page, uuids = _offline_drafts(context, "KILL-A", "KILL-B")
        applied: list[dict[str, Any]] = []

        def kill_mid_reply(route: Route) -> None:  # applied, then the server dies
            applied.append(route.fetch().json())
            restartable.kill()
            route.abort()

        page.route("**/api/v1/incidents/*/answers", kill_mid_reply, times=1)
        context.set_offline(False)
        waiting = _outbox(page, "return o.sync();")
        assert len(applied) == 1 and len(waiting) == 2  # one applied unheard, one not sent
        expect(page.locator("#tc-connection")).to_contain_text("The server did not answer")
        expect(page.locator("#tc-outbox")).to_contain_text("4 answers waiting to send")
        restartable.start()  # the same port and database
        assert _sync_until_sent(page) == []
        for uuid, ref in zip(uuids, ("KILL-A", "KILL-B"), strict=True):
            incident = _stored(page, uuid)
            assert incident["answers"]["incident.log_ref"] == ref
            assert incident["answers"]["incident.address"] == CHILD_NAME
        killed = _server(page, str(applied[0]["id"]))
        assert killed["revision"] == applied[0]["revision"]  # applied once, not twice
        assert (_listed(page, "KILL-A"), _listed(page, "KILL-B")) == (1, 1)
    finally:
        context.close()


def test_a_second_officer_cannot_see_the_first_ones_outbox(phone_v2: BrowserContext) -> None:
    page, (uuid,) = _offline_drafts(phone_v2, "FIRST-OFFICER")
    phone_v2.clear_cookies()  # officer1's session gone (expired), not signed out
    phone_v2.set_offline(False)
    log_in(page, "officer2")
    expect(page.locator("#tc-sync")).to_contain_text("Online: nothing waiting to send.")
    page.goto("/offline")
    expect(page.locator("#tc-outbox")).to_contain_text("Online: nothing waiting to send.")
    assert _outbox(page, "return o.drafts();") == []
    assert CHILD_NAME not in _raw_indexeddb(page)
    token = str(_outbox(page, TOKEN))
    made = page.request.post(
        "/api/v1/incidents", data={"client_uuid": uuid}, headers={"X-CSRF-Token": token}
    )
    assert made.status == 201, made.text()  # never sent under officer2's name
    assert _listed(page, "FIRST-OFFICER") == 0


STORAGE = """async () => {
  const out = [JSON.stringify(localStorage), JSON.stringify(sessionStorage), document.cookie];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      out.push(request.url, await (await cache.match(request)).text());
    }
  }
  return out.join("\\n");
}"""


def test_sign_out_leaves_no_incident_data_in_any_storage(phone_v2: BrowserContext) -> None:
    page, _ = _offline_drafts(phone_v2, "SIGNED-OUT-REF")
    _outbox(page, DRAFT, {"children": [{"id": "9d8c7b6a-3333-4e5f-8a9b-0c1d2e3f4a5b"}]})
    phone_v2.set_offline(False)
    page.goto("/incidents")
    page.get_by_role("button", name="Menu").click()  # the navigation folds away on a phone
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login?signed_out=1")
    databases = page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert "thinkchild" not in databases
    assert page.evaluate("() => Object.keys(localStorage)") == []  # no counts, no last sent
    stored = page.evaluate(STORAGE)  # web storage, cookies and every cached response
    assert CHILD_NAME not in stored and "SIGNED-OUT-REF" not in stored
    assert "9d8c7b6a" not in stored
