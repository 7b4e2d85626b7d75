"""The fixed parts of the referral document's JSON Schema: the ones that do not come from the
prompt set (``schema_gen`` makes those): value kinds (``$defs``), the header, the risk grade's
own keys, the declaration, review history, addenda and versions, and the summary for the MASH.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
STATUSES: Final = ("submitted", "returned", "approved", "sent")
GRADES: Final = ("standard", "medium", "high")
DECISIONS: Final = ("approved", "returned", "regraded")
DESCRIPTION: Final = (
    "A police officer's safeguarding referral to children's social care (the MASH), one "
    "version of it. Published at /api/v1/schema/{name}.json and generated from the Think Child "
    "questions it was answered under. Times are ISO 8601 in UTC; dates are YYYY-MM-DD. An "
    "answer that was not given, or not asked, is absent (never blank). A choice is an object "
    "with its id and its words. Free text is exactly as typed: escape it before showing it."
)
ITEM_ID_DESCRIPTION: Final = (
    "The item's id: a UUID made when it was added and kept for life (the same in every "
    "version and addendum)"
)


def ref(name: str, description: str | None = None) -> dict[str, Any]:
    return {**({"description": description} if description else {}), "$ref": f"#/$defs/{name}"}


def obj(
    properties: dict[str, Any], required: Sequence[str] = (), description: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description} if description else {}
    out.update({"type": "object", "additionalProperties": False})
    if required:
        out["required"] = list(required)
    out["properties"] = properties
    return out


def array(items: dict[str, Any], description: str | None = None, min_items: int = 0) -> Any:
    out: dict[str, Any] = {"description": description} if description else {}
    out["type"] = "array"
    if min_items:
        out["minItems"] = min_items
    out["items"] = items
    return out


def item_id() -> dict[str, Any]:
    return {"description": ITEM_ID_DESCRIPTION, "type": "string", "format": "uuid"}


def defs(reason_codes: Sequence[str]) -> dict[str, Any]:
    code: dict[str, Any] = (
        {"enum": list(reason_codes)}
        if reason_codes
        else {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
    )
    return {
        "text": {"description": "Text exactly as typed", "type": "string", "minLength": 1},
        "date": {
            "description": "A date, YYYY-MM-DD",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        },
        "datetime": {
            "description": "A time in UTC, ISO 8601",
            "type": "string",
            "format": "date-time",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
        },
        "option": obj(
            {"id": {"type": "string"}, "label": {"type": "string", "minLength": 1}},
            ["id", "label"],
            "A choice: its id and its words",
        ),
        "grade": {"$ref": "#/$defs/option", "properties": {"id": {"enum": list(GRADES)}}},
        "person": obj(
            {
                "name": {"type": "string"},
                "collar_number": {"type": "string", "minLength": 1},
            },
            ["name"],
        ),
        "reason": obj(
            {
                "code": code,
                "text": {"description": "The reason in words", "type": "string", "minLength": 1},
                "grade": ref("grade", "The grade this reason leads to"),
                "child": {
                    "description": "The child it is about, when it is about one child",
                    "type": "string",
                    "minLength": 1,
                },
            },
            ["code", "text", "grade"],
        ),
        "regrade": obj(
            {
                "from_grade": ref("grade"),
                "to_grade": ref("grade"),
                "rationale": {"type": "string"},
                "by": ref("person"),
                "at": ref("datetime"),
            },
            ["from_grade", "to_grade", "rationale", "by", "at"],
        ),
        "decision": obj(
            {
                "kind": {
                    "description": "approved (and queued to send), returned (to the officer "
                    "with what to change) or regraded (the grade changed)",
                    "enum": list(DECISIONS),
                },
                "version": {"description": "The version decided on", **_positive()},
                "by": ref("person"),
                "at": ref("datetime"),
                "comment": {
                    "description": "The supervisor's comment or rationale",
                    "type": "string",
                    "minLength": 1,
                },
                "from_grade": ref("grade"),
                "to_grade": ref("grade"),
            },
            ["kind", "version", "by", "at"],
        ),
        "addendum": obj(
            {"by": ref("person"), "at": ref("datetime"), "text": {"type": "string"}},
            ["by", "at", "text"],
        ),
        "version": obj(
            {
                "version": _positive(),
                "submitted_at": ref("datetime"),
                "submitted_by": ref("person"),
            },
            ["version", "submitted_at", "submitted_by"],
        ),
    }


def _positive() -> dict[str, Any]:
    return {"type": "integer", "minimum": 1}


def header(name: str) -> dict[str, Any]:
    """The document's opening keys (schema, reference, versions, times, people)."""
    return {
        "schema": {"description": f"The document format: always {name}", "const": name},
        "reference": {
            "description": "The referral's reference",
            "type": "string",
            "pattern": "^TC-[0-9]{4}-[0-9]{6}$",
        },
        "status": {
            "description": "The referral's status now: submitted (waiting for review), returned "
            "(to the officer for changes), approved (queued to send), sent (delivered to the "
            "MASH)",
            "enum": list(STATUSES),
        },
        "version": {"description": "The version this document shows", **_positive()},
        "latest_version": {"description": "The referral's latest version", **_positive()},
        "prompt_set_version": {
            "description": "The version of the Think Child questions the officer answered",
            **_positive(),
        },
        "first_submitted_at": ref("datetime", "When version 1 was submitted"),
        "submitted_at": ref("datetime", "When this version was submitted"),
        "approved_at": ref("datetime", "When a supervisor approved this version"),
        "sent_at": ref("datetime", "When this version was delivered to the MASH"),
        "generated_at": ref("datetime", "When this document was produced"),
        "officer": ref("person", "The officer who made the referral"),
        "supervisor": ref("person", "The supervisor who approved this version"),
        "team": obj({"name": {"type": "string", "minLength": 1}}, ["name"], "The officer's team"),
    }


HEADER_REQUIRED: Final = (
    "schema",
    "reference",
    "status",
    "version",
    "latest_version",
    "prompt_set_version",
    "first_submitted_at",
    "submitted_at",
    "generated_at",
    "officer",
)


def risk(answers: dict[str, Any], answers_required: Sequence[str]) -> dict[str, Any]:
    """The risk object: its fixed grades and reasons, and the risk answers (``answers``)."""
    return obj(
        {
            "suggested_grade": ref("grade", "Worked out from the answers by the risk rules"),
            "reasons": array(ref("reason"), "Why the grade was suggested"),
            "officer_grade": ref("grade", "The grade the officer gave"),
            "grade_in_force": ref(
                "grade", "The grade that applies: the officer's, or a supervisor's change"
            ),
            **answers,
            "regrades": array(ref("regrade"), "Supervisors' changes of grade on this version"),
        },
        [
            "suggested_grade",
            "reasons",
            "officer_grade",
            "grade_in_force",
            *answers_required,
            "regrades",
        ],
        "The risk grade: suggested from the answers, the officer's, and any supervisor's change",
    )


def closing() -> dict[str, Any]:
    return {
        "declaration": obj(
            {"confirmed": {"type": "boolean"}, "by": ref("person"), "at": ref("datetime")},
            ["confirmed", "by", "at"],
            "The officer's declaration that the record is accurate",
        ),
        "review_history": array(
            ref("decision"), "Every supervisor decision up to this version, oldest first"
        ),
        "addenda": array(
            ref("addendum"),
            "Information added after sending, oldest first (never edited or deleted)",
        ),
        "versions": array(ref("version"), "Every version of the referral, oldest first", 1),
    }


CLOSING_REQUIRED: Final = ("declaration", "review_history", "addenda", "versions")
