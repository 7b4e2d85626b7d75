"""Trust the record: a child's words are never lost or put against another child, whatever
another tab or device does meanwhile (stable ids, revisions, conflicts, hidden answers kept)."""

from __future__ import annotations

import re
import threading
import uuid
from html import unescape
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.datastructures import FormData

from app.accounts.models import User
from app.checklist import screen_service, screens
from app.checklist import service as checklist
from app.checklist.models import Incident
from app.referrals.models import ReferralVersion
from tests.checklist.builders import complete_answers
from tests.factories import make_team, make_user, principal
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

GATE_YES = {"gate.children_present": True, "gate.pregnancy": False}
REVISION = re.compile(r'name="revision" id="form-revision" value="(\d+)"')
BASE = re.compile(r'name="base" id="form-base" value="([^"]*)"')


def start(client: Browserless) -> str:
    response = client.post(
        "/api/v1/incidents",
        json={"client_uuid": str(uuid.uuid4())},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def put(client: Browserless, incident_id: str, answers: dict[str, Any], **headers: str) -> Any:
    return client.put(
        f"/api/v1/incidents/{incident_id}/answers",
        json={"answers": answers},
        headers={"X-CSRF-Token": client.csrf, **headers},
    )


def stored(session: Session, incident_id: str) -> dict[str, Any]:
    session.expire_all()
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    return incident.answers


def add_child(client: Browserless, incident_id: str, name: str) -> str:
    added = client.form(f"/incidents/{incident_id}/children/add")
    assert added.status_code == 303
    child_id = added.headers["location"].split("/c/")[1].split("/")[0]
    page = f"/incidents/{incident_id}/c/{child_id}/s/child/1"
    saved = client.form(page, {"_present": "child.name", "child.name": name})
    assert saved.status_code == 303, saved.text[:500]
    return child_id


def drawn(client: Browserless, url: str) -> dict[str, str]:
    """The revision and fingerprint a page's form was drawn with (what a tab holds)."""
    page = client.get(url)
    assert page.status_code == 200, page.text[:500]
    rev, base = REVISION.search(page.text), BASE.search(page.text)
    assert rev and base, "the form carries its revision and fingerprint"
    return {"revision": rev.group(1), "base": unescape(base.group(1))}


def three_children(client: Browserless) -> tuple[str, dict[str, str]]:
    incident_id = start(client)
    assert put(client, incident_id, GATE_YES).status_code == 200
    ids = {name: add_child(client, incident_id, name) for name in ("Alice", "Bob", "Cara")}
    return incident_id, ids


VOICE_YES = {"_present": ["child.spoken_to", "voice.words"], "child.spoken_to": "yes"}


def test_words_typed_for_cara_stay_with_cara_when_alice_is_removed_in_another_tab(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, ids = three_children(as_officer)
    cara_page = f"/incidents/{incident_id}/c/{ids['Cara']}/s/child/1"
    tab_one = drawn(as_officer, cara_page)  # tab one: Cara's page is open
    # Tab two removes Alice.
    assert as_officer.form(f"/incidents/{incident_id}/c/{ids['Alice']}/remove").status_code == 303
    # Tab one now saves Cara's answers, drawn before the removal.
    saved = as_officer.form(
        cara_page,
        {
            **tab_one,
            "_present": ["child.name", "child.present"],
            "child.name": "Cara",
            "child.present": "yes",
        },
    )
    assert saved.status_code == 303
    children = stored(session, incident_id)["children"]
    assert [c["child.name"] for c in children] == ["Bob", "Cara"]
    assert [c["id"] for c in children] == [ids["Bob"], ids["Cara"]]
    assert children[1].get("child.present") is True
    assert "child.present" not in children[0]


def test_an_autosave_for_a_removed_child_saves_nothing_and_says_so(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, ids = three_children(as_officer)
    cara_page = f"/incidents/{incident_id}/c/{ids['Cara']}/s/child/1"
    tab_one = drawn(as_officer, cara_page)
    as_officer.form(f"/incidents/{incident_id}/c/{ids['Cara']}/remove")
    autosave = as_officer.form(
        cara_page,
        {**tab_one, "_present": "child.name", "child.name": "Cara Jones", "autosave": "1"},
        headers={"HX-Request": "true"},
    )
    assert autosave.status_code == 200
    assert "Not saved: this was removed on another tab or device" in autosave.text
    children = stored(session, incident_id)["children"]
    assert [c["child.name"] for c in children] == ["Alice", "Bob"]  # nobody else got it

    # Without JavaScript (or pressing the button): both sides, and a way to keep what was typed.
    page = as_officer.form(
        cara_page, {**tab_one, "_present": "child.name", "child.name": "Cara Jones"}
    )
    assert page.status_code == 409
    check_page(page.text)
    assert "This was removed on another tab or device" in page.text
    assert "Cara Jones" in page.text
    restored = as_officer.form(
        cara_page,
        {
            **drawn_from(page.text),
            "resolve": "mine",
            "_present": "child.name",
            "child.name": "Cara Jones",
        },
    )
    assert restored.status_code == 303
    children = stored(session, incident_id)["children"]
    assert [(c["id"], c["child.name"]) for c in children][-1] == (ids["Cara"], "Cara Jones")
    assert len(children) == 3


def drawn_from(html: str) -> dict[str, str]:
    rev, base = REVISION.search(html), BASE.search(html)
    assert rev and base
    return {"revision": rev.group(1), "base": unescape(base.group(1))}


def test_the_same_screen_changed_in_two_tabs_shows_both_and_loses_neither(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    page = f"/incidents/{incident_id}/s/incident/1"
    tab_one = drawn(as_officer, page)
    tab_two = drawn(as_officer, page)
    first = as_officer.form(
        page, {**tab_two, "_present": "incident.log_ref", "incident.log_ref": "INC-1"}
    )
    assert first.status_code == 303
    second = as_officer.form(
        page, {**tab_one, "_present": "incident.log_ref", "incident.log_ref": "INC-2"}
    )
    assert second.status_code == 409
    check_page(second.text)
    assert "This page was changed on another tab or device" in second.text
    assert "INC-1" in second.text and "INC-2" in second.text
    assert stored(session, incident_id)["incident.log_ref"] == "INC-1"  # nothing overwritten
    # "Keep what I typed" sends it again, drawn from what is stored now.
    kept = as_officer.form(
        page,
        {**drawn_from(second.text), "_present": "incident.log_ref", "incident.log_ref": "INC-2"},
    )
    assert kept.status_code == 303
    assert stored(session, incident_id)["incident.log_ref"] == "INC-2"


def test_an_autosave_landing_before_save_and_continue_is_no_conflict(
    as_officer: Browserless, session: Session
) -> None:
    """The same page: an autosave still on its way when the officer presses Save and continue.
    The page's revision is then one behind, but nothing would be overwritten: no conflict."""
    incident_id = start(as_officer)
    page = f"/incidents/{incident_id}/s/incident/1"
    tab = drawn(as_officer, page)
    fields = ["incident.log_ref", "incident.address"]
    autosave = as_officer.form(
        page,
        {**tab, "_present": fields, "incident.log_ref": "INC-7", "autosave": "1"},
        headers={"HX-Request": "true"},
    )
    assert "Saved at" in autosave.text
    # The submit left with the page's old revision and base, and more typed since.
    saved = as_officer.form(
        page,
        {**tab, "_present": fields, "incident.log_ref": "INC-7", "incident.address": "1 High St"},
    )
    assert saved.status_code == 303, saved.text[:300]
    answers = stored(session, incident_id)
    assert (answers["incident.log_ref"], answers["incident.address"]) == ("INC-7", "1 High St")


def test_changes_on_other_screens_meanwhile_are_no_conflict(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, ids = three_children(as_officer)
    bob_page = f"/incidents/{incident_id}/c/{ids['Bob']}/s/child/1"
    tab_one = drawn(as_officer, bob_page)
    put(as_officer, incident_id, {"incident.log_ref": "INC-9"})  # another device, elsewhere
    saved = as_officer.form(bob_page, {**tab_one, "_present": "child.name", "child.name": "Bobby"})
    assert saved.status_code == 303
    answers = stored(session, incident_id)
    assert answers["incident.log_ref"] == "INC-9"
    assert [c["child.name"] for c in answers["children"]] == ["Alice", "Bobby", "Cara"]


def test_an_autosave_gives_the_page_its_new_revision(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    page = f"/incidents/{incident_id}/s/incident/1"
    tab = drawn(as_officer, page)
    autosave = as_officer.form(
        page,
        {**tab, "_present": "incident.log_ref", "incident.log_ref": "A", "autosave": "1"},
        headers={"HX-Request": "true"},
    )
    assert "Saved at" in autosave.text
    again = drawn_from(autosave.text)
    assert int(again["revision"]) == int(tab["revision"]) + 1
    assert 'hx-swap-oob="true"' in autosave.text
    # The same tab saves again with what the autosave gave it: no conflict.
    second = as_officer.form(
        page,
        {**again, "_present": "incident.log_ref", "incident.log_ref": "B", "autosave": "1"},
        headers={"HX-Request": "true"},
    )
    assert "Saved at" in second.text


# --- the JSON API -------------------------------------------------------------------------------


def test_api_items_have_ids_and_lists_merge_by_id(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    saved = put(
        as_officer,
        incident_id,
        {
            **GATE_YES,
            "children": [{"child.name": "Alice"}, {"child.name": "Bob", "child.present": True}],
        },
    )
    assert saved.status_code == 200, saved.text
    alice, bob = saved.json()["answers"]["children"]
    assert uuid.UUID(alice["id"]) and uuid.UUID(bob["id"])
    # A stale client removes Alice and sends Bob's disclosure-page answers by id only.
    changed = put(
        as_officer,
        incident_id,
        {"children": [{"id": bob["id"], "child.seen": True}, {"child.name": "Dan"}]},
    )
    assert changed.status_code == 200, changed.text
    children = stored(session, incident_id)["children"]
    assert children[0]["id"] == bob["id"]
    assert children[0]["child.name"] == "Bob"  # kept: not carried in the update
    assert children[0]["child.present"] is True and children[0]["child.seen"] is True
    assert children[1]["child.name"] == "Dan" and uuid.UUID(children[1]["id"])
    # null clears one answer of a known item.
    put(
        as_officer,
        incident_id,
        {"children": [{"id": bob["id"], "child.present": None}, {"id": children[1]["id"]}]},
    )
    assert "child.present" not in stored(session, incident_id)["children"][0]


def test_api_refuses_duplicate_and_malformed_item_ids(as_officer: Browserless) -> None:
    incident_id = start(as_officer)
    same = str(uuid.uuid4())
    twice = put(as_officer, incident_id, {**GATE_YES, "children": [{"id": same}, {"id": same}]})
    assert twice.status_code == 422
    assert twice.json()["errors"][0]["prompt"] == "children[1].id"
    bad = put(as_officer, incident_id, {**GATE_YES, "children": [{"id": "child-1"}]})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["prompt"] == "children[0].id"


def test_a_client_made_item_id_is_kept(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    mine = str(uuid.uuid4())
    assert put(as_officer, incident_id, {**GATE_YES, "children": [{"id": mine}]}).status_code == 200
    assert stored(session, incident_id)["children"][0]["id"] == mine


def test_stale_if_match_gets_412_with_the_current_state_and_changes_nothing(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    got = as_officer.get(f"/api/v1/incidents/{incident_id}")
    etag = got.headers["ETag"]
    assert etag == f'"{got.json()["revision"]}"'
    first = put(as_officer, incident_id, {"incident.log_ref": "A"}, **{"If-Match": etag})
    assert first.status_code == 200
    assert first.headers["ETag"] == f'"{first.json()["revision"]}"' != etag
    stale = put(as_officer, incident_id, {"incident.log_ref": "B"}, **{"If-Match": etag})
    assert stale.status_code == 412
    body = stale.json()
    assert body["error"] == "stale_revision"
    assert body["current"]["answers"]["incident.log_ref"] == "A"
    assert stale.headers["ETag"] == first.headers["ETag"]
    assert stored(session, incident_id)["incident.log_ref"] == "A"
    nonsense = put(as_officer, incident_id, {"incident.log_ref": "C"}, **{"If-Match": '"x"'})
    assert nonsense.status_code == 412
    submit = as_officer.post(
        f"/api/v1/incidents/{incident_id}/submit",
        headers={"X-CSRF-Token": as_officer.csrf, "If-Match": etag},
    )
    assert submit.status_code == 412


def test_unknown_prompt_ids_are_reported_not_stored(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    saved = put(
        as_officer,
        incident_id,
        {**GATE_YES, "incident.colour": "red", "children": [{"child.name": "A", "child.shoe": 3}]},
    )
    assert saved.status_code == 200
    assert saved.json()["unknown"] == ["incident.colour", "children[0].child.shoe"]
    answers = stored(session, incident_id)
    assert "incident.colour" not in answers and "child.shoe" not in answers["children"][0]


# --- drafts keep hidden answers -----------------------------------------------------------------


def test_the_childs_words_come_back_after_spoken_to_no_then_yes(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    put(as_officer, incident_id, GATE_YES)
    child = add_child(as_officer, incident_id, "Amy")
    words = '"He hit me"'
    voice = put(
        as_officer,
        incident_id,
        {"children": [{"id": child, "child.spoken_to": True, "voice.words": words}]},
    )
    assert voice.status_code == 200, voice.text
    # A mis-tap: "Spoken to: no" (autosaved).
    put(as_officer, incident_id, {"children": [{"id": child, "child.spoken_to": False}]})
    assert stored(session, incident_id)["children"][0]["voice.words"] == words  # kept
    api = as_officer.get(f"/api/v1/incidents/{incident_id}").json()
    assert "voice.words" not in api["answers"]["children"][0]
    assert api["hidden_answers"] == {"children[0].voice.words": words}
    assert not any("voice.words" in m for m in api["missing"])
    # Back to yes: the words are there again.
    put(as_officer, incident_id, {"children": [{"id": child, "child.spoken_to": True}]})
    api = as_officer.get(f"/api/v1/incidents/{incident_id}").json()
    assert api["answers"]["children"][0]["voice.words"] == words
    assert api["hidden_answers"] == {}
    voice_page = as_officer.get(f"/incidents/{incident_id}/c/{child}/s/voice/1")
    assert "He hit me" in voice_page.text


def test_hidden_answers_are_dropped_when_the_referral_is_frozen(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    answers = complete_answers()
    assert put(as_officer, incident_id, answers).status_code == 200
    child = stored(session, incident_id)["children"][0]["id"]
    put(
        as_officer,
        incident_id,
        {
            "children": [
                {"id": child, "child.spoken_to": False, "child.not_spoken_reason": "asleep"}
            ]
        },
    )
    assert "voice.words" in stored(session, incident_id)["children"][0]
    submitted = as_officer.post(
        f"/api/v1/incidents/{incident_id}/submit", headers={"X-CSRF-Token": as_officer.csrf}
    )
    assert submitted.status_code == 200, submitted.text
    assert "voice.words" not in stored(session, incident_id)["children"][0]
    session.expire_all()
    version = session.exec(select(ReferralVersion)).all()[-1]
    assert "voice.words" not in version.answers["children"][0]
    assert version.answers["children"][0]["id"] == child


# --- list caps ----------------------------------------------------------------------------------


def test_lists_are_capped_by_the_prompt_set(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    many = [{"child.name": f"Child {i}"} for i in range(21)]
    refused = put(as_officer, incident_id, {**GATE_YES, "children": many})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["prompt"] == "children"
    assert "up to 20" in refused.json()["errors"][0]["message"]
    assert put(as_officer, incident_id, {**GATE_YES, "children": many[:20]}).status_code == 200
    # The page says why there is no "Add" button any more, and adding is refused.
    listing = as_officer.get(f"/incidents/{incident_id}/children")
    assert "You can add up to 20" in listing.text
    assert "Add another child" not in listing.text
    as_officer.form(f"/incidents/{incident_id}/children/add")
    assert len(stored(session, incident_id)["children"]) == 20
    injuries = [{"injury.location": "arm"} for _ in range(31)]
    child = {"child.name": "A", "observed.injury": True, "observed.injuries": injuries}
    too_many = put(as_officer, incident_id, {"children": [child]})
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["prompt"] == "children[0].observed.injuries"


# --- two writers at once --------------------------------------------------------------------------


def test_two_autosaves_at_once_on_different_children_keep_both(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as setup:
        officer = make_user(setup, roles=["officer"], team=make_team(setup))
        who = principal(setup, officer)
        incident, _ = checklist.start(session=setup, officer=who, client_uuid=uuid.uuid4())
        kids = [{"child.name": "Alice"}, {"child.name": "Bob"}]
        saved, _ = checklist.save(
            session=setup,
            officer=who,
            incident_id=incident.id,
            updates={**GATE_YES, "children": kids},
        )
        ids = [c["id"] for c in saved.answers["children"]]
        ps = checklist.prompt_set_of(saved)
        officer_id, incident_id = officer.id, incident.id
    section = ps.section("child")

    def autosave(
        child_id: str,
        text: str,
        page: list[tuple[str, str]],
        barrier: threading.Barrier,
        errors: list[BaseException],
    ) -> None:
        try:
            with Session(fresh_engine) as session:
                user = session.get(User, officer_id)
                assert user is not None
                me = principal(session, user)
                session.commit()
                screen = screens.Screen(section, 0, screens.Place(child=child_id))
                form = FormData(
                    [("_present", "child.location_during"), ("child.location_during", text), *page]
                )
                barrier.wait()
                result = screen_service.save_screen(
                    session=session, officer=me, incident_id=incident_id, screen=screen, form=form
                )
                assert result.ok and result.saved, result
        except BaseException as exc:
            errors.append(exc)

    for round_ in range(5):
        # Both pages drawn from the same revision, each with its own screen's fingerprint.
        with Session(fresh_engine) as read:
            now = read.get(Incident, incident_id)
            assert now is not None
            pages = {
                child_id: [
                    ("revision", str(now.revision)),
                    (
                        "base",
                        screen_service.base_of(
                            ps,
                            screens.Screen(section, 0, screens.Place(child=child_id)),
                            now.answers,
                        ),
                    ),
                ]
                for child_id in ids
            }
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []
        threads = [
            threading.Thread(
                target=autosave,
                args=(child_id, f"{where} {round_}", pages[child_id], barrier, errors),
            )
            for child_id, where in zip(ids, ("kitchen", "garden"), strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert errors == []
        with Session(fresh_engine) as check:
            row = check.get(Incident, incident_id)
            assert row is not None
            places = [c.get("child.location_during") for c in row.answers["children"]]
            assert places == [f"kitchen {round_}", f"garden {round_}"], f"round {round_}"


def test_the_same_client_uuid_started_twice_at_once_gives_one_incident(
    fresh_engine: Engine,
) -> None:
    """A phone retrying its start while the first request is still in flight: both answers
    name the same incident, one made and one found, never an error."""
    with Session(fresh_engine) as setup:
        officer_id = make_user(setup, roles=["officer"], team=make_team(setup)).id

    def begin(client_uuid: uuid.UUID, barrier: threading.Barrier, out: list[object]) -> None:
        try:
            with Session(fresh_engine) as session:
                user = session.get(User, officer_id)
                assert user is not None
                me = principal(session, user)
                session.commit()
                barrier.wait()
                incident, created = checklist.start(
                    session=session, officer=me, client_uuid=client_uuid
                )
                out.append((incident.id, created))
        except BaseException as exc:
            out.append(exc)

    for _ in range(5):
        client_uuid = uuid.uuid4()
        barrier = threading.Barrier(2)
        out: list[object] = []
        threads = [threading.Thread(target=begin, args=(client_uuid, barrier, out)) for _ in "ab"]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not [o for o in out if isinstance(o, BaseException)], out
        assert len({o[0] for o in out if isinstance(o, tuple)}) == 1
        assert sorted(o[1] for o in out if isinstance(o, tuple)) == [False, True]
        with Session(fresh_engine) as check:
            rows = check.exec(select(Incident).where(Incident.client_uuid == client_uuid)).all()
            assert len(rows) == 1
