"""The officer's JSON API: prompt set, incidents, answers, submission, permissions, OpenAPI."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any

import httpx2 as httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from app.checklist import promptset
from app.checklist.models import Incident, IncidentStatus
from app.main import app
from app.referrals.models import Referral, ReferralVersion
from tests.checklist.builders import (
    child_answers,
    complete_answers,
    list_item_ids,
    problems,
    without_ids,
)
from tests.factories import PASSWORD, make_team, make_user
from tests.helpers import Browserless

pytestmark = pytest.mark.db

API = "/api/v1"
REFERENCE = re.compile(r"TC-\d{4}-\d{6}")
PS = promptset.load_version(1)


def _csrf(client: Browserless) -> dict[str, str]:
    return {"X-CSRF-Token": client.csrf}


def _create(client: Browserless, client_uuid: uuid.UUID | None = None) -> httpx.Response:
    body = {"client_uuid": str(client_uuid or uuid.uuid4())}
    return client.post(f"{API}/incidents", json=body, headers=_csrf(client))


def _new_incident(client: Browserless) -> str:
    response = _create(client)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _put(client: Browserless, incident_id: str, answers: Any) -> httpx.Response:
    return client.put(
        f"{API}/incidents/{incident_id}/answers", json={"answers": answers}, headers=_csrf(client)
    )


def _submit(client: Browserless, incident_id: str) -> httpx.Response:
    return client.post(f"{API}/incidents/{incident_id}/submit", headers=_csrf(client))


def _get(client: Browserless, incident_id: str) -> dict[str, Any]:
    response = client.get(f"{API}/incidents/{incident_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- the flow end to end -----------------------------------------------------------------------


def test_the_api_flow_end_to_end(as_officer: Browserless, session: Session) -> None:
    answers = complete_answers()
    assert problems(answers) == {}

    prompt_set = as_officer.get(f"{API}/prompt-set")
    assert prompt_set.status_code == 200
    body = prompt_set.json()
    assert (body["id"], body["version"]) == ("think_child", 1)
    assert [s["id"] for s in body["sections"]] == [
        "incident",
        "gate",
        "child",
        "voice",
        "observed",
        "home",
        "household",
        "concern",
        "action",
        "sharing",
        "risk",
        "declaration",
    ]

    client_uuid = uuid.uuid4()
    created = _create(as_officer, client_uuid)
    assert created.status_code == 201
    incident = created.json()
    assert incident["client_uuid"] == str(client_uuid)
    assert incident["status"] == "draft"
    assert incident["prompt_set_version"] == 1
    assert incident["answers"] == {}
    assert incident["reference"] is None
    assert "incident.log_ref" in incident["missing"]
    assert created.headers["location"] == f"{API}/incidents/{incident['id']}"
    assert datetime.fromisoformat(incident["created_at"]).tzinfo is not None

    again = _create(as_officer, client_uuid)
    assert again.status_code == 200
    assert again.json()["id"] == incident["id"]
    incident_id = incident["id"]

    steps = [
        {k: v for k, v in answers.items() if k.startswith(("incident.", "gate."))},
        {"children": answers["children"]},
        {k: v for k, v in answers.items() if not k.startswith(("incident.", "gate.", "child"))},
    ]
    missing = [incident["missing"]]
    for n, step in enumerate(steps):
        saved = _put(as_officer, incident_id, step)
        assert saved.status_code == 200, saved.text
        result = saved.json()
        assert result["unknown"] == []
        assert result["hidden_answers"] == {}
        missing.append(result["missing"])
        assert not [path for path in result["missing"] if path.startswith(tuple(step))]
        if n == 1:  # the child's disclosure is in
            assert result["suggested_grade"] == "high"
            assert {
                "code": "child_disclosed",
                "grade": "high",
                "child": "Amy Smith",
                "text": PS.risk_reasons["child_disclosed"],
            } in result["reasons"]
    # The gate's yes opens the later sections; from then on what is missing only shrinks.
    assert "incident.log_ref" in missing[0]
    assert "children" in missing[1]
    assert len(missing[1]) > len(missing[2]) > len(missing[3])
    assert missing[3] == []
    # Stored as sent, each child, adult and injury given an id (a UUID) by the server.
    final = result["answers"]
    assert without_ids(final) == answers
    item_ids = list_item_ids(final)
    assert len(item_ids) == 2  # the child and the adult
    assert all(str(uuid.UUID(i)) == i for i in item_ids)
    assert len(set(item_ids)) == len(item_ids)

    submitted = _submit(as_officer, incident_id)
    assert submitted.status_code == 200, submitted.text
    receipt = submitted.json()
    assert REFERENCE.fullmatch(receipt["reference"])
    assert receipt["status"] == "submitted"
    assert receipt["version"] == 1
    assert receipt["incident_id"] == incident_id

    repeat = _submit(as_officer, incident_id)
    assert repeat.status_code == 200
    assert repeat.json()["reference"] == receipt["reference"]

    shown = _get(as_officer, incident_id)
    assert shown["reference"] == receipt["reference"]
    assert shown["status"] == "submitted"
    assert shown["answers"] == final  # the same ids after submission
    assert shown["hidden_answers"] == {}
    assert shown["suggested_grade"] == "high"

    later = _put(as_officer, incident_id, {"incident.summary": "changed afterwards"})
    assert later.status_code == 409
    assert later.json() == {"error": "incident_locked"}
    assert _get(as_officer, incident_id)["answers"] == final


def test_prompt_set_has_types_conditions_and_nested_prompts(as_officer: Browserless) -> None:
    body = as_officer.get(f"{API}/prompt-set").json()
    sections = {s["id"]: s for s in body["sections"]}
    assert sections["child"]["repeat"] == "children"
    assert sections["child"]["when"] == {
        "any": [
            {"prompt": "gate.children_present", "equals": True},
            {"prompt": "gate.pregnancy", "equals": True},
        ]
    }
    prompts = {p["id"]: p for s in body["sections"] for p in s["prompts"]}
    assert prompts["incident.log_ref"]["required"] is True
    incident_type = prompts["incident.type"]
    assert incident_type["type"] == "choice"
    assert {"id": "domestic_abuse", "label": "Domestic abuse"} in incident_type["options"]
    assert prompts["concern.da_abuser_hurt_children"]["when"] == {
        "prompt": "concern.categories",
        "in": ["domestic_abuse_witnessed"],
    }
    injuries = prompts["observed.injuries"]
    assert injuries["type"] == "repeat"
    assert [p["id"] for p in injuries["prompts"]][:2] == ["injury.location", "injury.size"]
    assert prompts["child.dob"]["hint"]
    assert "hint" not in incident_type  # no nulls
    assert body["risk_reasons"]["child_disclosed"] == PS.risk_reasons["child_disclosed"]


# --- answers -----------------------------------------------------------------------------------


def test_an_answer_whose_condition_does_not_hold_is_kept_hidden_until_submission(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = _new_incident(as_officer)
    # Amy was seen, so the reason she was not seen is hidden; "nonsense.prompt" is no prompt.
    child = child_answers(child__not_seen_reason="She was asleep upstairs")
    answers = {**complete_answers(children=[child]), "nonsense.prompt": "x"}
    saved = _put(as_officer, incident_id, answers)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["unknown"] == ["nonsense.prompt"]  # reported, not stored
    hidden = {"children[0].child.not_seen_reason": "She was asleep upstairs"}
    assert body["hidden_answers"] == hidden
    assert body["missing"] == []  # a hidden answer is not counted
    shown = _get(as_officer, incident_id)
    assert shown["hidden_answers"] == hidden
    assert "child.not_seen_reason" not in shown["answers"]["children"][0]
    assert "nonsense.prompt" not in shown["answers"]
    assert shown["answers"]["children"][0]["child.name"] == "Amy Smith"
    # Kept in the draft (not shown), the unknown key not stored at all.
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    assert incident.answers["children"][0]["child.not_seen_reason"] == "She was asleep upstairs"
    assert "nonsense.prompt" not in incident.answers

    # Dropped when the referral is submitted: from the referral and from the incident.
    assert _submit(as_officer, incident_id).status_code == 200
    after = _get(as_officer, incident_id)
    assert after["hidden_answers"] == {}
    assert "child.not_seen_reason" not in after["answers"]["children"][0]
    session.expire_all()
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    assert "child.not_seen_reason" not in incident.answers["children"][0]
    (version,) = session.exec(select(ReferralVersion)).all()
    assert version.answers["children"][0]["child.name"] == "Amy Smith"
    assert "child.not_seen_reason" not in version.answers["children"][0]


def test_answers_merge_by_top_level_key(as_officer: Browserless) -> None:
    incident_id = _new_incident(as_officer)
    _put(as_officer, incident_id, {"incident.log_ref": "A1", "incident.type": "crime"})
    _put(as_officer, incident_id, {"incident.log_ref": "B2"})
    assert _get(as_officer, incident_id)["answers"] == {
        "incident.log_ref": "B2",
        "incident.type": "crime",
    }


def test_invalid_values_name_each_prompt_and_save_nothing(as_officer: Browserless) -> None:
    incident_id = _new_incident(as_officer)
    assert _put(as_officer, incident_id, {"incident.log_ref": "FIRST"}).status_code == 200
    before = _get(as_officer, incident_id)

    bad = _put(
        as_officer,
        incident_id,
        {
            "incident.log_ref": "SECOND",  # valid, but must not be stored either
            "incident.datetime": "yesterday evening",
            "gate.children_present": True,
            "children": [child_answers(child__dob="2019-02-30", child__sex="girl")],
            "household.previous_incidents_12m": -1,
        },
    )
    assert bad.status_code == 422
    body = bad.json()
    assert body["error"] == "invalid_answers"
    assert {e["prompt"] for e in body["errors"]} == {
        "incident.datetime",
        "children[0].child.dob",
        "children[0].child.sex",
        "household.previous_incidents_12m",
    }
    assert all(e["message"] for e in body["errors"])

    after = _get(as_officer, incident_id)
    assert after["answers"] == {"incident.log_ref": "FIRST"}
    assert after["revision"] == before["revision"]


@pytest.mark.parametrize(
    "body",
    [[], "answers", {"answers": []}, {"answers": "x"}, {"answers": None}, {}, {"answer": {}}],
)
def test_a_body_of_the_wrong_shape_is_refused_as_json(as_officer: Browserless, body: Any) -> None:
    incident_id = _new_incident(as_officer)
    response = as_officer.put(
        f"{API}/incidents/{incident_id}/answers", json=body, headers=_csrf(as_officer)
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"


def test_a_body_that_is_not_json_is_refused_as_json(as_officer: Browserless) -> None:
    incident_id = _new_incident(as_officer)
    response = as_officer.put(
        f"{API}/incidents/{incident_id}/answers",
        content=b"{not json",
        headers={**_csrf(as_officer), "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"


_PROMPT_IDS = sorted(PS.all_prompt_ids())
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["2019-03-27", "2026-03-10T21:15:00+00:00", "none_of_these", "yes"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)
_ITEM = st.dictionaries(st.sampled_from(_PROMPT_IDS), _JSON, max_size=6)
_ANSWERS = st.dictionaries(
    st.sampled_from([*_PROMPT_IDS, "children", "x"]),
    _JSON | st.lists(_ITEM | _JSON, max_size=3),
    max_size=8,
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=_ANSWERS)
def test_any_answers_are_saved_or_refused_never_an_error_page(
    as_officer: Browserless, answers: dict[str, Any]
) -> None:
    incident_id = _new_incident(as_officer)
    gate = {"gate.children_present": True, "gate.pregnancy": True}
    body = json.dumps({"answers": {**gate, **answers}})  # NaN and Infinity too, as Python reads
    response = as_officer.put(
        f"{API}/incidents/{incident_id}/answers",
        content=body,
        headers={**_csrf(as_officer), "content-type": "application/json"},
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:  # "invalid": a NUL anywhere, refused before the route
        assert response.json()["error"] in ("invalid_answers", "invalid")
    assert _get(as_officer, incident_id)["status"] == "draft"


def test_create_needs_a_uuid(as_officer: Browserless) -> None:
    response = as_officer.post(
        f"{API}/incidents", json={"client_uuid": "not-a-uuid"}, headers=_csrf(as_officer)
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"


def test_a_closed_incident_is_locked(as_officer: Browserless, session: Session) -> None:
    incident_id = _new_incident(as_officer)
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    incident.status = IncidentStatus.NO_CHILD
    session.add(incident)
    session.commit()
    response = _put(as_officer, incident_id, {"incident.log_ref": "A1"})
    assert response.status_code == 409
    assert response.json() == {"error": "incident_locked"}


# --- submission --------------------------------------------------------------------------------


def test_submit_with_missing_answers_lists_them(as_officer: Browserless, session: Session) -> None:
    incident_id = _new_incident(as_officer)
    _put(as_officer, incident_id, complete_answers(incident__log_ref=None))
    response = _submit(as_officer, incident_id)
    assert response.status_code == 422
    assert response.json() == {"error": "incomplete", "missing": ["incident.log_ref"]}
    assert _get(as_officer, incident_id)["status"] == "draft"
    assert session.exec(select(Referral)).all() == []


def test_two_submits_make_one_referral(as_officer: Browserless, session: Session) -> None:
    incident_id = _new_incident(as_officer)
    assert _put(as_officer, incident_id, complete_answers()).status_code == 200
    first, second = _submit(as_officer, incident_id), _submit(as_officer, incident_id)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    rows = session.exec(select(Referral).where(Referral.incident_id == uuid.UUID(incident_id)))
    referrals = rows.all()
    assert len(referrals) == 1
    assert referrals[0].reference == first.json()["reference"]
    versions = session.exec(
        select(ReferralVersion).where(ReferralVersion.referral_id == referrals[0].id)
    ).all()
    assert len(versions) == 1


# --- who may do what ---------------------------------------------------------------------------


def test_officers_cannot_see_or_change_each_others_incidents(
    as_officer: Browserless, session: Session
) -> None:
    client_uuid = uuid.uuid4()
    incident_id = str(_create(as_officer, client_uuid).json()["id"])
    _put(as_officer, incident_id, complete_answers())
    other = make_user(session, roles=("officer",), team=make_team(session))
    not_found = {"error": "incident_not_found"}

    with Browserless(app) as second:
        second.log_in(other.username, PASSWORD)
        assert second.get(f"{API}/incidents/{incident_id}").json() == not_found
        responses = [
            second.get(f"{API}/incidents/{incident_id}"),
            _put(second, incident_id, {"incident.log_ref": "MINE NOW"}),
            _submit(second, incident_id),
            _create(second, client_uuid),
            second.get(f"{API}/incidents/{uuid.uuid4()}"),  # one that does not exist at all
        ]
    assert [(r.status_code, r.json()) for r in responses] == [(404, not_found)] * 5
    shown = _get(as_officer, incident_id)
    assert shown["answers"]["incident.log_ref"] == "INC-2026-0310-123"
    assert shown["status"] == "draft"


def test_a_supervisor_cannot_use_the_officer_api(as_supervisor: Browserless) -> None:
    response = _create(as_supervisor)
    assert response.status_code == 403
    assert response.json() == {"error": "not_permitted"}
    assert as_supervisor.get(f"{API}/prompt-set").status_code == 403


def test_no_session_is_401(client: Browserless) -> None:
    for url in (f"{API}/prompt-set", f"{API}/incidents/{uuid.uuid4()}"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json() == {"error": "not_authenticated"}


def test_writes_need_the_csrf_header(as_officer: Browserless) -> None:
    body = {"client_uuid": str(uuid.uuid4())}
    refused = as_officer.post(f"{API}/incidents", json=body)
    assert refused.status_code == 403
    assert refused.json() == {"error": "csrf"}
    wrong = as_officer.post(f"{API}/incidents", json=body, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403

    incident_id = _new_incident(as_officer)
    url = f"{API}/incidents/{incident_id}"
    put = as_officer.put(f"{url}/answers", json={"answers": {"incident.log_ref": "A1"}})
    assert put.status_code == 403
    assert as_officer.post(f"{url}/submit").status_code == 403
    assert _get(as_officer, incident_id)["answers"] == {}


# --- documentation -----------------------------------------------------------------------------


def _body_examples(spec: dict[str, Any], path: str, method: str) -> list[Any]:
    content = spec["paths"][path][method]["requestBody"]["content"]["application/json"]
    if "examples" in content:
        return [e["value"] for e in content["examples"].values()]
    name = content["schema"]["$ref"].rsplit("/", 1)[-1]
    examples: list[Any] = spec["components"]["schemas"][name].get("examples", [])
    return examples


def test_openapi_lists_the_api_with_examples(client: Browserless) -> None:
    spec = client.app.openapi()  # type: ignore[attr-defined]  # served in development only
    expected = {
        f"{API}/prompt-set": {"get"},
        f"{API}/incidents": {"post"},
        f"{API}/incidents/{{incident_id}}": {"get"},
        f"{API}/incidents/{{incident_id}}/answers": {"put"},
        f"{API}/incidents/{{incident_id}}/submit": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(spec["paths"][path]), path
    assert _body_examples(spec, f"{API}/incidents", "post")
    assert _body_examples(spec, f"{API}/incidents/{{incident_id}}/answers", "put")


def test_the_documented_answer_examples_are_accepted(as_officer: Browserless) -> None:
    spec = as_officer.app.openapi()  # type: ignore[attr-defined]  # served in development only
    incident_id = _new_incident(as_officer)
    sent_ids: list[str] = []
    for example in _body_examples(spec, f"{API}/incidents/{{incident_id}}/answers", "put"):
        response = _put(as_officer, incident_id, example["answers"])
        assert response.status_code == 200, response.text
        assert response.json()["unknown"] == []
        # An item sent with an id (one the client made) is stored under that id.
        ids = [i for i in list_item_ids(example["answers"]) if i is not None]
        assert set(ids) <= set(list_item_ids(response.json()["answers"]))
        sent_ids += ids
    assert sent_ids  # the examples show a child with its id
