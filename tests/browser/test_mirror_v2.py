"""Losing the signal in the middle of an incident started online, in Chromium at phone size: the
screen keeps an encrypted copy of the draft on the phone, an autosave with no signal keeps the
change there ("kept on this phone"), a reload with no signal carries on in the offline app at
the same incident, and when the signal returns every answer reaches the server exactly once; a
change made on another device meanwhile gives the conflict choice, never a silent overwrite."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from app.assets import static_url
from tests.browser.capture_steps import OUTBOX, continue_, wait_until_sent
from tests.browser.conftest import log_in
from tests.browser.test_offline_outbox import CHILD_NAME, _raw_indexeddb, _server
from tests.browser.test_pwa import phone_v2, wait_for_control

__all__ = ["phone_v2"]

KEPT = "No signal: kept on this phone, it will be sent when the signal returns."
FIRST_CHILD = "5b0f4a7e-2222-4c2d-9e8f-0a1b2c3d4e5f"
SECOND_NAME = "Bartholomew Quill-Yarrow"
LOG_REF = "Incident or occurrence number"


def _token(page: Page) -> str:
    return str(
        page.evaluate("async () => (await (await fetch('/api/v1/session')).json()).csrf_token")
    )


def _started_online(context: BrowserContext) -> tuple[Page, dict[str, Any]]:
    """officer1's phone, online, on the first screen of an incident started and partly answered
    online, with the app and the questions kept by the service worker."""
    page = context.new_page()
    log_in(page, "officer1")
    wait_for_control(page)
    page.reload()
    page.wait_for_function(
        "async () => !!(await caches.match('/api/v1/prompt-set', {cacheName: 'tc-data'}))",
        polling=250,
    )
    headers = {"X-CSRF-Token": _token(page)}
    made = page.request.post(
        "/api/v1/incidents",
        data={"client_uuid": str(uuid.uuid4())},
        headers=headers,
    )
    assert made.status == 201, made.text()
    incident = made.json()
    answers = {
        "incident.log_ref": "INC-ONLINE",
        "gate.children_present": True,
        "gate.pregnancy": False,
        "children": [{"id": FIRST_CHILD, "child.name": CHILD_NAME}],
    }
    saved = page.request.put(
        f"/api/v1/incidents/{incident['id']}/answers",
        data={"answers": answers},
        headers={**headers, "If-Match": f'"{incident["revision"]}"'},
    )
    assert saved.ok, saved.text()
    page.goto(f"/incidents/{incident['id']}/s/incident/1")
    return page, saved.json()


def _copy(page: Page, incident_id: str) -> Any:
    """The draft this phone keeps for the server's incident (None: none)."""
    return page.evaluate(
        f"""async (id) => (await (await import('{OUTBOX}')).drafts()).find((d) => d.id === id)
              || null""",
        incident_id,
    )


def _wait_for_copy(page: Page, incident_id: str, revision: int) -> dict[str, Any]:
    """Until the phone keeps the incident's draft at ``revision`` (it is kept after drawing)."""
    for _ in range(80):
        copy: dict[str, Any] | None = _copy(page, incident_id)
        if copy and copy["revision"] == revision:
            return copy
        page.wait_for_timeout(250)
    raise AssertionError(f"no copy at revision {revision}: {_copy(page, incident_id)}")


def _change_log_ref(page: Page, value: str) -> None:
    page.get_by_label(LOG_REF).fill(value)
    page.get_by_label(LOG_REF).press("Tab")  # a change: the autosave goes


def test_no_signal_mid_incident_keeps_and_sends_every_answer_once(
    phone_v2: BrowserContext,
) -> None:
    page, incident = _started_online(phone_v2)
    incident_id = incident["id"]
    copy = _wait_for_copy(page, incident_id, incident["revision"])  # kept on loading the screen
    assert copy["answers"]["children"] == [{"id": FIRST_CHILD, "child.name": CHILD_NAME}]
    assert copy["client_uuid"] == incident["client_uuid"] and copy["dirty"] == []
    raw = _raw_indexeddb(page)
    assert CHILD_NAME not in raw and "INC-ONLINE" not in raw  # encrypted
    assert "INC-ONLINE" not in page.url and CHILD_NAME not in page.url

    # An autosave with a signal: the copy follows the new revision.
    _change_log_ref(page, "INC-SAVED")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    copy = _wait_for_copy(page, incident_id, incident["revision"] + 1)
    assert copy["answers"]["incident.log_ref"] == "INC-SAVED"
    assert page.evaluate("() => caches.keys()") and CHILD_NAME not in str(
        page.evaluate(
            "async () => Promise.all((await caches.keys()).map(async (n) =>"
            " (await (await caches.open(n)).keys()).map((r) => r.url)))"
        )
    )

    # The signal goes: the change is kept on the phone, and counted, not "Not saved".
    phone_v2.set_offline(True)
    _change_log_ref(page, "INC-KEPT")
    expect(page.locator("#save-status")).to_have_text(KEPT)
    expect(page.locator("#tc-sync")).to_contain_text("1 answer waiting to send")
    assert "INC-KEPT" not in _raw_indexeddb(page)

    # Reloaded with no signal: the offline app, on the same incident and screen.
    page.reload()
    page.wait_for_url(f"**/offline#/i/{incident['client_uuid']}/0")
    expect(page.get_by_role("heading", level=1)).to_have_text("Incident")
    expect(page.get_by_label(LOG_REF)).to_have_value("INC-KEPT")
    continue_(page)  # the gate, answered online
    continue_(page)  # the children, with the one added online
    expect(page.get_by_text(CHILD_NAME)).to_be_visible()
    page.get_by_role("button", name="Add another child").click()
    page.get_by_label("Child's full name").fill(SECOND_NAME)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text(SECOND_NAME)).to_be_visible()

    # The signal returns: everything sent through the API, once.
    phone_v2.set_offline(False)
    page.wait_for_function("() => navigator.onLine")
    wait_until_sent(page)
    after = _server(page, incident_id)
    assert after["answers"]["incident.log_ref"] == "INC-KEPT"
    children = after["answers"]["children"]
    assert [c["child.name"] for c in children] == [CHILD_NAME, SECOND_NAME]
    assert children[0]["id"] == FIRST_CHILD and len({c["id"] for c in children}) == 2
    assert after["revision"] == incident["revision"] + 2  # the online autosave, then one PUT
    wait_until_sent(page)  # another round sends nothing again
    assert _server(page, incident_id)["revision"] == after["revision"]

    # Signing out leaves nothing on the phone.
    page.goto(f"/incidents/{incident_id}/s/incident/1")
    _wait_for_copy(page, incident_id, after["revision"])
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login?signed_out=1")
    names = page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert "thinkchild" not in names


def test_a_change_made_elsewhere_meanwhile_gives_the_conflict_choice(
    phone_v2: BrowserContext,
) -> None:
    page, incident = _started_online(phone_v2)
    incident_id = incident["id"]
    _wait_for_copy(page, incident_id, incident["revision"])
    # Another device changes the same answer after this screen was drawn.
    other = page.request.put(
        f"/api/v1/incidents/{incident_id}/answers",
        data={"answers": {"incident.log_ref": "OTHER-DEVICE"}},
        headers={"X-CSRF-Token": _token(page), "If-Match": f'"{incident["revision"]}"'},
    )
    assert other.ok, other.text()
    phone_v2.set_offline(True)
    _change_log_ref(page, "INC-KEPT")
    expect(page.locator("#save-status")).to_have_text(KEPT)

    phone_v2.set_offline(
        False
    )  # the screen sends what it kept, over the revision it was drawn from
    alert = page.locator("#tc-sync .tc-sync__alert")
    expect(alert).to_contain_text(
        "changed on another device meanwhile. Nothing has been overwritten."
    )
    stored = _server(page, incident_id)
    assert stored["answers"]["incident.log_ref"] == "OTHER-DEVICE"
    assert stored["revision"] == other.json()["revision"]
    copy = _copy(page, incident_id)
    assert copy["conflict"]["mine"] == {"incident.log_ref": "INC-KEPT"}
    assert copy["conflict"]["theirs"] == {"incident.log_ref": "OTHER-DEVICE"}
    alert.get_by_role("link", name="Choose which answers to keep").click()
    expect(page.locator("main")).to_contain_text("INC-KEPT")
    expect(page.locator("main")).to_contain_text("OTHER-DEVICE")


def test_a_closed_incident_is_no_longer_kept_on_the_phone(phone_v2: BrowserContext) -> None:
    page, incident = _started_online(phone_v2)
    incident_id = incident["id"]
    _wait_for_copy(page, incident_id, incident["revision"])
    headers = {"X-CSRF-Token": _token(page)}
    gate = {"gate.children_present": False, "gate.pregnancy": False, "children": []}
    saved = page.request.put(
        f"/api/v1/incidents/{incident_id}/answers", data={"answers": gate}, headers=headers
    )
    assert saved.ok, saved.text()
    closed = page.request.post(
        f"/api/v1/incidents/{incident_id}/close",
        data={"reason": "Asked both adults and checked the home."},
        headers=headers,
    )
    assert closed.ok, closed.text()
    page.goto(f"/incidents/{incident_id}")  # the closed incident's page
    expect(page.get_by_text("Incident closed")).to_be_visible()
    for _ in range(80):  # removed once the page is drawn and the browser idle
        if _copy(page, incident_id) is None:
            break
        page.wait_for_timeout(250)
    assert _copy(page, incident_id) is None


def test_a_screen_opened_again_with_a_signal_shows_what_was_kept(phone_v2: BrowserContext) -> None:
    page, incident = _started_online(phone_v2)
    incident_id = incident["id"]
    _wait_for_copy(page, incident_id, incident["revision"])
    phone_v2.set_offline(True)
    _change_log_ref(page, "INC-KEPT")
    expect(page.locator("#save-status")).to_have_text(KEPT)
    page.close()  # the phone put away with no signal
    phone_v2.set_offline(False)
    page = phone_v2.new_page()
    page.goto(f"/incidents/{incident_id}/s/incident/1")  # drawn before the kept answer is sent
    expect(page.get_by_label(LOG_REF)).to_have_value("INC-KEPT")  # sent, then drawn again
    after = _server(page, incident_id)
    assert after["answers"]["incident.log_ref"] == "INC-KEPT"
    assert after["revision"] == incident["revision"] + 1


PATHS = static_url("js/offline/paths.mjs")
SCREENS = static_url("js/offline/screens.mjs")
QUESTIONS = static_url("js/offline/questions.mjs")


def test_an_online_screens_address_is_the_same_screen_offline(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    i, c, item = (str(uuid.uuid4()) for _ in range(3))
    answers = {
        "gate.children_present": True,
        "gate.pregnancy": False,
        "children": [{"id": c, "child.name": CHILD_NAME}],
        "household.adults": [{"id": item}],
    }
    where = page.evaluate(
        f"""async ([answers, paths]) => {{
          const p = await import('{PATHS}'); const s = await import('{SCREENS}');
          const ps = await (await import('{QUESTIONS}')).promptSet();
          const screens = s.flow(ps, answers);
          return paths.map((path) => {{
            const place = p.placeOfPath(path);
            const at = place && p.screenNumber(ps, screens, place);
            if (!at) return place ? "resume" : null;
            const screen = screens[at.n];
            const what = screen.kind === "section" ? screen.section.id : screen.kind;
            return [what, screen.childId || null, at.itemId];
          }});
        }}""",
        [
            answers,
            [
                f"/incidents/{i}/s/incident/1",
                f"/incidents/{i}/s/gate/1",
                f"/incidents/{i}/children",
                f"/incidents/{i}/c/{c}/s/child/2",
                f"/incidents/{i}/c/{c}/s/voice/1",
                f"/incidents/{i}/r/household.adults/{item}",
                f"/incidents/{i}",
                f"/incidents/{i}/check",
                "/review",
            ],
        ],
    )
    assert where == [
        ["incident", None, None],
        ["gate", None, None],
        ["children", None, None],
        ["child", c, None],
        ["voice", c, None],
        ["household", None, item],
        "resume",
        "resume",
        None,
    ]
