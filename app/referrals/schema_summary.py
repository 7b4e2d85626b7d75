"""The JSON Schema of the document's ``summary`` (``document_summary``): each summary key that
repeats an answer points at that answer's own schema in the same file (a JSON Pointer), so the
two cannot disagree; a key whose prompt the set does not have is left out.
"""

from __future__ import annotations

from typing import Any, Final

from app.checklist.promptset import PromptSet
from app.referrals import document_layout as layout
from app.referrals.document_answers import CHILDREN, slot
from app.referrals.document_summary import CHILD_FACTS, FIRST_WORDS_MAX, URGENT_CALL
from app.referrals.schema_parts import array, item_id, obj, ref

ACTIONS: Final = "action."
PP_PROMPT: Final = "action.police_protection"


def pointer(ps: PromptSet, prompt_id: str, *, group: bool = False) -> dict[str, Any] | None:
    """A ``$ref`` to the schema of ``prompt_id``'s answer (of its group, e.g. police protection,
    when ``group``), or None when the set has no such prompt."""
    if prompt_id not in ps.all_prompt_ids():
        return None
    section = ps.section_of(prompt_id)
    path = slot(prompt_id)[:-1] if group else slot(prompt_id)
    if section.id == layout.RISK:
        parts = ["properties", layout.RISK]
    else:
        place = next(p for p in layout.places(ps) if p.section.id == section.id)
        parts = (
            ["properties", CHILDREN, "items", "properties", place.key]
            if place.per_child
            else ["properties", place.key]
        )
    for name in path:
        parts += ["properties", name]
    return {"$ref": "#/" + "/".join(parts)}


def _some(**props: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


def _child(ps: PromptSet) -> dict[str, Any]:
    facts = {key: pointer(ps, f"child.{name}") for name, key in CHILD_FACTS.items()}
    return obj(
        {
            "id": item_id(),
            "number": {"description": "The child's place in the list", "type": "integer"},
            "name": {"description": "The child's name", "type": "string"},
            "age": ref("text", "Age on the day of the incident, as in the child's entry"),
            **_some(**facts),
            "first_words": {
                "description": "The child's first words as recorded (the first sentence, "
                "without quotation marks; cut at about 200 characters)",
                "$ref": "#/$defs/text",
                "maxLength": FIRST_WORDS_MAX + 1,
            },
        },
        ["id", "number", "name"],
    )


def _person() -> dict[str, Any]:
    return obj(
        {
            "name": {"type": "string"},
            "collar_number": {"type": "string", "minLength": 1},
            "team": {"description": "Their team", "type": "string", "minLength": 1},
        },
        ["name"],
    )


def summary(ps: PromptSet) -> dict[str, Any]:
    """The schema of the ``summary`` object for referrals answered under ``ps``."""
    call = _some(**{k: pointer(ps, f"action.{s}") for s, k in URGENT_CALL.items()})
    props: dict[str, Any] = {
        "children": array(_child(ps), "Each child, in the order of the referral"),
        "grade": ref("grade", "The grade in force"),
        "reasons": array(ref("reason"), "Why the grade was suggested"),
        **_some(rationale=pointer(ps, "risk.rationale")),
        **(
            {"urgent_call": obj(call, (), "The urgent call to the MASH or duty team")}
            if call
            else {}
        ),
        **_some(
            police_protection=pointer(ps, PP_PROMPT, group=True),
            actions_taken=pointer(ps, "action.taken"),
            request=pointer(ps, "risk.request"),
            agencies=pointer(ps, "sharing.agencies"),
            agencies_detail=pointer(ps, "sharing.agencies_detail"),
        ),
        "encompass": array(
            obj(
                {
                    "id": item_id(),
                    "name": {"type": "string"},
                    "school": ref("text"),
                    "age": ref("text", "Age on the day of the incident, as in the child's entry"),
                    "due": ref(
                        "date",
                        "The school day the school is to be told by, before school starts",
                    ),
                },
                ["name", "school", "due"],
            ),
            "Operation Encompass (worked out as the officer's check page shows it): each "
            "school-age child of a domestic abuse incident whose school is to be told before "
            "the next school day",
        ),
        "officer": _person(),
        "supervisor": _person(),
    }
    return obj(
        props,
        ["children", "grade", "reasons", "encompass", "officer"],
        "What the MASH needs first: each child, the grade and why, the urgent call, immediate "
        "safety actions, the request to social care, who else knows, Operation Encompass, and "
        "who to contact",
    )
