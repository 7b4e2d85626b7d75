"""The outbox asks the officer only when it must, and says what to do when it cannot send, in
Chromium at phone size: a question changed only on the server is no conflict (each side's change
is kept); answers the server refuses are kept on the phone, announced, and explained."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from app.assets import static_url
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_offline_outbox import _outbox, _server
from tests.browser.test_pwa import phone_v2, wait_for_control
from tests.browser.test_sync_status import _token

__all__ = ["phone_v2"]


def _module(name: str) -> str:
    return static_url(f"js/offline/{name}.mjs")


SENT = "const u = await o.start(); await o.answer(u, arg); await o.sync(); return o.draft(u);"


def test_a_question_changed_only_elsewhere_is_no_conflict(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    answers = {"incident.log_ref": "THREE-WAY", "incident.address": "4 First Road"}
    uuid = _outbox(page, "const u = await o.start(); await o.answer(u, arg); return u;", answers)
    assert _outbox(page, "return o.sync();") == []
    made = page.request.post(
        "/api/v1/incidents", data={"client_uuid": uuid}, headers={"X-CSRF-Token": _token(page)}
    )
    incident = made.json()
    # Another device changes the address; this phone, which last saw revision r, changes the
    # log reference. Put back as a draft that knows what it sent (its base).
    other = page.request.put(
        f"/api/v1/incidents/{incident['id']}/answers",
        data={"answers": {"incident.address": "5 Other Device Street"}},
        headers={"X-CSRF-Token": _token(page), "If-Match": f'"{incident["revision"]}"'},
    )
    assert other.ok, other.text()
    waiting = page.evaluate(
        """async (arg) => {
          const store = await import(arg.store); const o = await import(arg.outbox);
          await store.put("draft:" + arg.uuid, {client_uuid: arg.uuid, id: arg.id,
            revision: arg.revision, answers: {...arg.base, "incident.log_ref": "THREE-WAY-2"},
            base: arg.base, dirty: ["incident.log_ref"], close_reason: null, submit: false,
            conflict: null, problem: null});
          return o.sync();
        }""",
        {
            "store": _module("store"),
            "outbox": _module("outbox"),
            "uuid": uuid,
            "id": incident["id"],
            "revision": incident["revision"],
            "base": answers,
        },
    )
    assert waiting == []  # sent over the newer version, nobody asked
    after = _server(page, incident["id"])["answers"]
    assert after["incident.log_ref"] == "THREE-WAY-2"
    assert after["incident.address"] == "5 Other Device Street"


def test_answers_the_server_refuses_are_kept_and_explained(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    too_long = "X" * 60  # the incident number takes at most 50 characters
    draft = _outbox(page, SENT, {"incident.log_ref": too_long})
    assert draft["problem"] == {"status": 422, "error": "invalid_answers"}
    assert draft["dirty"] == ["incident.log_ref"]  # kept on the phone, not dropped
    page.goto("/incidents")
    alert = page.locator("#tc-sync").get_by_role("alert")
    expect(alert).to_contain_text("1 incident could not be sent: the server did not accept it.")
    assert_accessible(page)
    alert.get_by_role("link", name="Check the answers").click()
    page.wait_for_url("**/offline")
    problem = page.locator("#tc-problems")
    expect(problem).to_contain_text("Some answers were not accepted. Open it to correct them.")
    expect(problem.get_by_role("link", name="Open it")).to_have_attribute(
        "href", f"/incidents/{draft['id']}"
    )
    assert_accessible(page)


CHOICES = """async (url) => {
  const c = await import(url);
  const A = "a0000000-0000-4000-8000-000000000001", B = "b0000000-0000-4000-8000-000000000002";
  const C = "c0000000-0000-4000-8000-000000000003";
  const mine = {"incident.type": "crime", children: [
    {id: A, "child.name": "Typed Name"}, {id: B, "child.name": "Added Offline"}]};
  const theirs = {"incident.type": "crime", children: [
    {id: A, "child.name": "Server Name", "child.dob": "2019-03-27"},
    {id: C, "child.name": "Added Elsewhere"}]};
  let missing = "";
  try { c.merge(mine, theirs, {}); } catch (e) { missing = e.message; }
  return {
    rows: c.rows(mine, theirs).map((r) => r.id),
    chosen: c.merge(mine, theirs, {[`children/${A}/child.name`]: "mine",
      [`children/${A}/child.dob`]: "theirs", [`children/${B}`]: "mine",
      [`children/${C}`]: "theirs"}).children.map((i) => i["child.name"] + "/" + i["child.dob"]),
    mine: c.merge(mine, theirs, "mine").children,
    theirs: c.merge(mine, theirs, "theirs").children,
    missing,
  };
}"""


def test_choices_for_children_match_each_by_id(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    page.goto("/offline")
    got = page.evaluate(CHOICES, _module("choices"))
    a, b, c = (
        "a0000000-0000-4000-8000-000000000001",
        "b0000000-0000-4000-8000-000000000002",
        "c0000000-0000-4000-8000-000000000003",
    )
    # One row per differing answer of a child both hold, one per child only one side holds;
    # an answer both hold alike (the incident type) is not asked about.
    assert got["rows"] == [
        f"children/{a}/child.name",
        f"children/{a}/child.dob",
        f"children/{b}",
        f"children/{c}",
    ]
    assert got["chosen"] == [
        "Typed Name/2019-03-27",
        "Added Offline/undefined",
        "Added Elsewhere/undefined",
    ]
    # "What I typed" for all: the server's extra answer is cleared (sent as null), the child
    # added elsewhere is left out (removed); "on the server" for all: the server's list.
    assert got["mine"] == [
        {"id": a, "child.name": "Typed Name", "child.dob": None},
        {"id": b, "child.name": "Added Offline"},
    ]
    assert got["theirs"] == [
        {"id": a, "child.name": "Server Name", "child.dob": "2019-03-27"},
        {"id": c, "child.name": "Added Elsewhere"},
    ]
    assert got["missing"].startswith("no choice for children/")


def test_a_server_error_is_not_the_officers_to_fix(phone_v2: BrowserContext) -> None:
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    page.route("**/api/v1/incidents/*/answers", lambda route: route.fulfill(status=500))
    draft = _outbox(page, SENT, {"incident.log_ref": "SERVER-ERROR"})
    assert draft["problem"] is None and draft["dirty"] == ["incident.log_ref"]  # waits
    expect(page.locator("#tc-connection")).to_contain_text("The server did not answer")
    expect(page.locator("#tc-outbox").get_by_role("alert")).to_be_empty()
    page.unroute("**/api/v1/incidents/*/answers")
    assert _outbox(page, "return o.sync();") == []
    assert _server(page, draft["id"])["answers"]["incident.log_ref"] == "SERVER-ERROR"


def test_a_refused_draft_can_be_removed_from_the_phone_after_a_warning(
    phone_v2: BrowserContext,
) -> None:
    """A draft the server keeps refusing would otherwise wait on the phone for ever: the officer
    may remove it, asked first (what it holds was not sent), and may change their mind."""
    page = phone_v2.new_page()
    log_in(page, "officer1")
    page.goto("/offline")
    wait_for_control(page)
    draft = _outbox(page, SENT, {"incident.log_ref": "R" * 60})  # refused: too long
    assert draft["problem"] == {"status": 422, "error": "invalid_answers"}
    page.reload()
    problem = page.locator("#tc-problems")
    problem.get_by_role("button", name="Remove it from this phone").click()
    warning = problem.get_by_text("The answers kept here that the server did not take will be lost")
    expect(warning).to_be_focused()
    assert_accessible(page)
    problem.get_by_role("button", name="No, keep it").click()
    expect(warning).to_be_hidden()
    assert len(_outbox(page, "return o.drafts();")) == 1  # kept
    problem.get_by_role("button", name="Remove it from this phone").click()
    problem.get_by_role("button", name="Yes, remove it").click()
    expect(page.locator("#tc-problems")).to_have_count(0)
    expect(page.locator("#tc-offline-title")).to_be_focused()
    assert _outbox(page, "return o.drafts();") == []
    # The server keeps what it had accepted: the incident itself (made before its answers).
    assert _server(page, draft["id"])["id"] == draft["id"]
