"""The offline outbox in Chromium at phone size: drafts made with no signal are encrypted in
IndexedDB, sent once when the signal returns, conflicts kept with both versions, and nothing
left in the browser after sign-out."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page

from app.assets import static_url
from tests.browser.conftest import log_in
from tests.browser.test_pwa import phone_v2, wait_for_control

__all__ = ["phone_v2"]

OUTBOX = static_url("js/offline/outbox.mjs")
CHILD_NAME = "Amelia Zebedee-Quist"


def _outbox(page: Page, script: str, arg: Any = None) -> Any:
    return page.evaluate(f"async (arg) => {{ const o = await import('{OUTBOX}'); {script} }}", arg)


def _raw_indexeddb(page: Page) -> str:
    """Every stored value in the app's IndexedDB, as text (ciphertext bytes decoded raw)."""
    return str(
        page.evaluate(
            """async () => {
              const db = await new Promise((ok, no) => {
                const r = indexedDB.open("thinkchild"); r.onsuccess = () => ok(r.result);
                r.onerror = () => no(r.error); });
              const rows = await new Promise((ok) => {
                const r = db.transaction("records").objectStore("records").getAll();
                r.onsuccess = () => ok(r.result); });
              db.close();
              return rows.map((row) => row.id + ":" +
                new TextDecoder("latin1").decode(new Uint8Array(row.data))).join("\\n");
            }"""
        )
    )


def _server(page: Page, incident_id: str) -> dict[str, Any]:
    response = page.request.get(f"/api/v1/incidents/{incident_id}")
    assert response.ok, response.text()
    body: dict[str, Any] = response.json()
    return body


def _offline_start(phone: BrowserContext) -> Page:
    page = phone.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    phone.set_offline(True)
    page.reload()
    return page


def test_offline_answers_sent_once_when_the_signal_returns(phone_v2: BrowserContext) -> None:
    page = _offline_start(phone_v2)
    child_id = "5b0f4a7e-1111-4c2d-9e8f-0a1b2c3d4e5f"
    answers = {
        "incident.log_ref": "INC-OFFLINE-1",
        "gate.children_present": True,
        "gate.pregnancy": False,
        "children": [{"id": child_id, "child.name": CHILD_NAME}],
    }
    uuid = _outbox(page, "const u = await o.start(); await o.answer(u, arg); return u;", answers)
    raw = _raw_indexeddb(page)
    assert uuid in raw and CHILD_NAME not in raw and "INC-OFFLINE" not in raw  # encrypted
    page.reload()  # still offline: the app and the draft survive a reload
    assert _outbox(page, "return (await o.drafts()).length;") == 1
    phone_v2.set_offline(False)
    page.wait_for_function("() => navigator.onLine")
    waiting = _outbox(page, "return await o.sync();")
    assert waiting == [], waiting  # sent, then deleted here
    incident = page.request.post(
        "/api/v1/incidents",
        data={"client_uuid": uuid},
        headers={
            "X-CSRF-Token": _outbox(
                page, "return (await (await fetch('/api/v1/session')).json()).csrf_token;"
            )
        },
    )
    assert incident.status == 200  # the client UUID names the one incident made from the outbox
    body = _server(page, incident.json()["id"])
    assert body["answers"]["incident.log_ref"] == "INC-OFFLINE-1"
    assert body["answers"]["children"] == [{"id": child_id, "child.name": CHILD_NAME}]
    # The same change replayed (its reply lost): recognised as applied, not sent again.
    replay = _replay(page, uuid, body, {"incident.log_ref": "INC-OFFLINE-1"})
    assert replay == []
    assert _server(page, body["id"])["revision"] == body["revision"]


STORE = static_url("js/offline/store.mjs")


def _replay(page: Page, uuid: str, body: dict[str, Any], changes: dict[str, Any]) -> Any:
    """A draft sent before from an older revision is put back in the outbox and sent again."""
    return page.evaluate(
        f"""async (arg) => {{
          const store = await import('{STORE}'); const o = await import('{OUTBOX}');
          await store.put('draft:' + arg.uuid, {{client_uuid: arg.uuid, id: arg.id,
            revision: arg.revision - 1, answers: arg.changes, dirty: Object.keys(arg.changes),
            close_reason: null, submit: false, conflict: null, problem: null}});
          return o.sync();
        }}""",
        {"uuid": uuid, "id": body["id"], "revision": body["revision"], "changes": changes},
    )


def test_a_conflict_is_kept_with_both_versions(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    script = "const u = await o.start(); await o.answer(u, arg); await o.sync(); return u;"
    uuid = _outbox(page, script, {"incident.log_ref": "ON-SERVER"})
    token = _outbox(page, "return (await (await fetch('/api/v1/session')).json()).csrf_token;")
    made = page.request.post(
        "/api/v1/incidents", data={"client_uuid": uuid}, headers={"X-CSRF-Token": token}
    )
    body = _server(page, made.json()["id"])
    waiting = _replay(page, uuid, body, {"incident.log_ref": "TYPED-OFFLINE"})
    assert len(waiting) == 1
    assert waiting[0]["conflict"]["mine"] == {"incident.log_ref": "TYPED-OFFLINE"}
    assert waiting[0]["conflict"]["theirs"] == {"incident.log_ref": "ON-SERVER"}
    after = _server(page, body["id"])  # nothing overwritten
    assert (after["answers"]["incident.log_ref"], after["revision"]) == (
        "ON-SERVER",
        body["revision"],
    )
    # The officer keeps theirs: sent over the version now seen.
    _outbox(page, "await o.resolve(arg, 'mine'); return o.sync();", uuid)
    assert _server(page, body["id"])["answers"]["incident.log_ref"] == "TYPED-OFFLINE"


def test_sign_out_leaves_no_incident_data(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    phone_v2.set_offline(True)
    _outbox(
        page,
        "const u = await o.start(); await o.answer(u, arg); return u;",
        {"incident.log_ref": "X"},
    )
    phone_v2.set_offline(False)
    page.goto("/incidents")
    assert "thinkchild" in page.evaluate(
        "async () => (await indexedDB.databases()).map((d) => d.name)"
    )
    page.get_by_role("button", name="Menu").click()  # the navigation folds away on a phone
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login?signed_out=1")
    names = page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert "thinkchild" not in names
