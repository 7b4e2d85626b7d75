"""The referral document's JSON Schema generated from a prompt set: every prompt has its place,
typed from its prompt type; the generated schema holds the documents built; the published files
are exactly the generator's output; the schemas are served without logging in."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sqlmodel import Session

from app.checklist import promptset
from app.checklist.promptset import PromptSet, PromptType
from app.referrals import document, document_layout, schema_gen
from app.referrals.document_answers import slot
from app.referrals.schema_gen import generate
from tests.checklist.builders import child_answers, complete_answers
from tests.factories import make_team, make_user
from tests.helpers import Browserless
from tests.referrals.test_document import make_referral, reviewed, rich_answers

V1 = promptset.load_version(1)
V2 = promptset.load_version(2)


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "properties" in node and node.get("type") == "object":
            yield node
        for v in node.values():
            yield from objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from objects(v)


def place_of(schema: dict[str, Any], ps: PromptSet, prompt_id: str) -> dict[str, Any]:
    """The schema node of a prompt's answer, found by the document layout."""
    section = ps.section_of(prompt_id)
    props = schema["properties"]
    if section.id == "risk":
        node = props["risk"]
    else:
        place = next(p for p in document_layout.places(ps) if p.section.id == section.id)
        if place.per_child:
            child = props["children"]["items"]["properties"]
            if ps.scope_of(prompt_id) == ("children", "observed.injuries"):
                return child["injuries"]["items"]["properties"][slot(prompt_id)[0]]
            if ps.prompt(prompt_id).type.value == "repeat":
                return child[slot(prompt_id)[0]]
            node = child[place.key]
        else:
            node = props[place.key]
    if ps.scope_of(prompt_id) == ("household.adults",):
        node = node["properties"]["adults"]["items"]
    for name in slot(prompt_id):
        node = node["properties"][name]
    return node


def guidance_ids(ps: PromptSet) -> set[str]:
    return {i for i in ps.all_prompt_ids() if ps.prompt(i).type is PromptType.GUIDANCE}


@pytest.mark.parametrize("ps", [V1, V2], ids=["v1", "v2"])
def test_every_prompt_has_its_place_described_by_its_label(ps: PromptSet) -> None:
    schema = generate(ps)

    answered = ps.all_prompt_ids() - guidance_ids(ps)
    for prompt_id in answered - {"risk.officer_grade", "declaration.confirmed"}:
        node = place_of(schema, ps, prompt_id)
        assert node["description"] == ps.prompt(prompt_id).label, prompt_id
    assert all(o["additionalProperties"] is False for o in objects(schema))
    Draft202012Validator.check_schema(schema)


def test_each_prompt_type_has_its_json_type() -> None:
    schema = generate(V1)

    assert place_of(schema, V1, "gate.pregnancy")["type"] == "boolean"
    kind = place_of(schema, V1, "incident.type")
    assert kind["$ref"] == "#/$defs/option"
    assert kind["properties"]["id"]["enum"] == V1.prompt("incident.type").option_ids
    multi = place_of(schema, V1, "home.conditions")
    assert (multi["type"], multi["minItems"]) == ("array", 1)
    assert multi["items"]["properties"]["id"]["enum"][-1] == "none_of_these"
    assert place_of(schema, V1, "child.dob")["$ref"] == "#/$defs/date"
    assert place_of(schema, V1, "incident.datetime")["$ref"] == "#/$defs/datetime"
    dash = place_of(schema, V1, "concern.dash_score")
    assert (dash["type"], dash["minimum"], dash["maximum"]) == ("number", 0, 27)
    assert place_of(schema, V1, "incident.log_ref")["maxLength"] == 50
    adults = schema["properties"]["household"]["properties"]["adults"]
    assert adults["items"]["properties"]["id"] == {
        "description": adults["items"]["properties"]["id"]["description"],
        "type": "string",
        "format": "uuid",
    }
    pp = schema["properties"]["actions"]["properties"]["police_protection"]
    assert pp["required"] == ["used"]
    assert schema["properties"]["actions"]["required"] == ["police_protection", "taken"]
    assert schema["properties"]["schema"]["const"] == "referral-v1"
    assert "summary" not in schema["properties"]
    reason = schema["$defs"]["reason"]["properties"]["code"]
    assert set(reason["enum"]) == set(V1.risk_reasons)


def test_only_what_every_referral_has_is_required() -> None:
    schema = generate(V1)
    props = schema["properties"]

    assert {"incident", "gate", "children", "home", "concerns", "actions"} <= set(
        schema["required"]
    )
    assert "household" not in schema["required"]  # nothing in it is always asked
    details = props["children"]["items"]["properties"]["details"]
    assert details["required"] == ["name", "sex", "known_to_social_care"]  # dob: unless age
    assert "required" not in props["children"]["items"]["properties"]["voice"]
    assert props["gate"]["required"] == ["children_present", "pregnancy"]


@pytest.mark.db
def test_the_generated_v1_schema_holds_the_v1_documents(session: Session) -> None:
    team = make_team(session)
    officer = make_user(session, roles=("officer",), team=team)
    check = validator(generate(V1))
    supervisor = make_user(session, roles=("supervisor",), supervises=[team])
    rich = make_referral(session, officer, team, rich_answers())
    reviewed(session, rich, supervisor, officer)
    unborn = {
        "child.unborn": True,
        "child.due_date": "2026-06-01",
        "child.name": "Unborn baby of Jo Smith",
        "child.sex": "not_known",
        "child.known_to_social_care": "no",
    }
    plain = make_referral(
        session,
        make_user(session, roles=("officer",), team=team),
        team,
        complete_answers(
            gate__pregnancy=True, children=[child_answers(child__unborn=False), unborn]
        ),
    )

    for referral in (rich, plain):
        doc = document.build(session=session, referral=referral)
        check.validate(doc)
    bad = {**document.build(session=session, referral=plain), "stray": 1}
    assert not check.is_valid(bad)


def test_guidance_cards_have_no_place_in_the_schema() -> None:
    """A guidance card is words on a screen, never answered: the document has no key for it."""
    schema = generate(V2)
    child = schema["properties"]["children"]["items"]["properties"]

    assert guidance_ids(V2) == {"child.guidance", "concern.one_chance"}
    assert "guidance" not in child["details"]["properties"]
    assert "one_chance" not in child["concerns"]["properties"]
    assert "guidance" not in child and "one_chance" not in child


def test_the_v2_schema_has_the_summary_and_per_child_concerns() -> None:
    ps = V2
    schema = generate(ps)
    props = schema["properties"]

    assert props["schema"]["const"] == "referral-v2"
    assert "summary" in schema["required"]
    child = props["children"]["items"]["properties"]
    assert "categories" in child["concerns"]["properties"]
    assert "concerns" not in props
    assert "da_strangulation" in props["domestic_abuse"]["properties"]
    assert {"strengths", "request"} <= set(props["risk"]["properties"])
    summary = props["summary"]["properties"]
    assert summary["request"] == {"$ref": "#/properties/risk/properties/request"}
    assert summary["police_protection"] == {
        "$ref": "#/properties/actions/properties/police_protection"
    }
    assert set(summary["urgent_call"]["properties"]) == {"to", "at", "agreed"}
    encompass = summary["encompass"]["items"]
    assert set(encompass["properties"]) == {"id", "name", "school", "age", "due"}
    assert encompass["required"] == ["name", "school", "due"]
    assert encompass["properties"]["due"]["$ref"] == "#/$defs/date"
    assert summary["children"]["items"]["properties"]["tonight"] == {
        "$ref": "#/properties/children/items/properties/details/properties/tonight_where"
    }


def test_published_schemas_are_the_generators_output() -> None:
    """Each published prompt set from version 2 has its generated file (``make schema``),
    exactly as the generator makes it now, and no file is left for an unpublished one."""
    files = {p.name for p in schema_gen.SCHEMA_DIR.glob("*.schema.json")}
    generated = {schema_gen.schema_path(v).name for v in schema_gen.published_versions()}

    assert files - {document.SCHEMA_PATH.name} == generated
    for version in schema_gen.published_versions():
        published = schema_gen.schema_path(version).read_text("utf-8")
        assert published == schema_gen.dumps(generate(promptset.load_version(version)))


def test_the_command_prints_and_writes_the_schema(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ps = promptset.load_version(2)
    out = io.StringIO()
    with redirect_stdout(out):
        assert schema_gen.main(["2"]) == 0
    assert json.loads(out.getvalue()) == generate(ps)

    monkeypatch.setattr(promptset, "PUBLISHED_VERSIONS", (1, 2))
    monkeypatch.setattr(schema_gen, "SCHEMA_DIR", tmp_path)
    assert schema_gen.main(["--write"]) == 0
    assert (tmp_path / "referral-v2.schema.json").read_text("utf-8") == out.getvalue()
    assert schema_gen.main(["two"]) == 2


def test_the_v2_schema_is_published_beside_v1(
    client: Browserless, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ps = promptset.load_version(2)
    monkeypatch.setattr(promptset, "PUBLISHED_VERSIONS", (1, 2))
    monkeypatch.setattr(schema_gen, "SCHEMA_DIR", tmp_path)
    assert client.get("/api/v1/schema/referral-v2.json").status_code == 404  # not yet written
    schema_gen.write_all()

    response = client.get("/api/v1/schema/referral-v2.json")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    assert response.json() == generate(ps)
    assert client.get("/api/v1/schema/referral-v3.json").status_code == 404
    v1 = client.get("/api/v1/schema/referral-v1.json")
    assert v1.content == document.SCHEMA_PATH.read_bytes()  # v1 stays the hand-written one
