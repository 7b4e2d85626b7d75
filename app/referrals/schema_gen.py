"""The referral document's JSON Schema (draft 2020-12), generated from a prompt set.

Each section's prompts go where ``document_layout`` puts them, by their slot
(``document_answers.slot``), typed from their prompt type: yes/no a boolean, a choice an
``{id, label}`` with its option ids as an enum, a multi a list of those, dates and times with
their formats, a number with its minimum and maximum, text with its maximum length, a list an
array of objects each with its ``id``; a guidance card (never answered) has no place.
Descriptions are the prompts' labels. Every object
refuses keys it does not name. The fixed parts (header, risk, history, summary) are in
``schema_parts`` and ``schema_summary``.

A key is required only where every referral has it: a prompt that is required and shown
without a condition, in a section shown whenever a referral can be made (a referral exists
only when children are present or linked, or someone is pregnant).

Write the published files (``make schema``: every published version from 2), or print one::

    python -m app.referrals.schema_gen --write
    python -m app.referrals.schema_gen 2 > app/referrals/schema/referral-v2.schema.json
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

from app.checklist import promptset
from app.checklist.promptset import AnyOf, Prompt, PromptSet, PromptType, Section, When, checks_of
from app.referrals import document_layout as layout
from app.referrals import document_v2, schema_parts, schema_summary
from app.referrals.document_answers import CHILDREN, slot
from app.referrals.schema_parts import array, item_id, obj, ref

SCHEMA_DIR: Final = Path(__file__).resolve().parent / "schema"
GATE: Final = "gate."
GROUP_WORDS: Final = {"police_protection": "Police protection (Children Act 1989 section 46)"}


def schema_path(version: int) -> Path:
    return SCHEMA_DIR / f"{document_v2.schema_name(version)}.schema.json"


def in_every_referral(when: When | None) -> bool:
    """A condition that holds for every referral: none, or "children present or linked, or
    a pregnancy" (any gate answer yes)."""
    if when is None:
        return True
    checks = checks_of(when)
    return isinstance(when, AnyOf) and all(
        c.prompt.startswith(GATE) and c.equals is True for c in checks
    )


def always_required(p: Prompt) -> bool:
    return p.required and p.when is None and p.required_unless is None


def _options(p: Prompt) -> dict[str, Any]:
    return {"$ref": "#/$defs/option", "properties": {"id": {"enum": p.option_ids}}}


def prompt_schema(p: Prompt) -> dict[str, Any]:
    """The JSON Schema of one answer in the document."""
    out: dict[str, Any] = {"description": p.label}
    t = p.type
    if t is PromptType.YESNO:
        out["type"] = "boolean"
    elif t is PromptType.CHOICE:
        out.update(_options(p))
    elif t is PromptType.MULTI:
        out.update(array(_options(p), min_items=1))
    elif t in (PromptType.TEXT, PromptType.SHORT):
        out["$ref"] = "#/$defs/text"
        if p.max_length is not None:
            out["maxLength"] = p.max_length
    elif t is PromptType.DATE:
        out["$ref"] = "#/$defs/date"
    elif t is PromptType.DATETIME:
        out["$ref"] = "#/$defs/datetime"
    elif t is PromptType.NUMBER:
        out["type"] = "number"
        if p.min is not None:
            out["minimum"] = p.min
        if p.max is not None:
            out["maximum"] = p.max
    else:  # a list: each item an object of its prompts, with its id
        out.update(array(item(p.prompts), min_items=max(1, p.min_items)))
    return out


def item(prompts: Iterable[Prompt]) -> dict[str, Any]:
    props, required = answers_object(prompts)
    return obj({"id": item_id(), **props}, required)


def answers_object(prompts: Iterable[Prompt]) -> tuple[dict[str, Any], list[str]]:
    """The properties and required keys for ``prompts``, nested by their slots."""
    props: dict[str, Any] = {}
    required: list[str] = []
    for p in prompts:
        if p.type is PromptType.GUIDANCE:
            continue  # words shown on a screen, never answered
        *groups, last = slot(p.id)
        target, needs = props, required
        for name in groups:
            group = target.setdefault(name, obj({}, (), GROUP_WORDS.get(name)))
            if always_required(p) and name not in needs:
                needs.append(name)
            target, needs = group["properties"], group.setdefault("required", [])
        target[last] = prompt_schema(p)
        if always_required(p):
            needs.append(last)
    _drop_empty_required(props)
    return props, required


def _drop_empty_required(props: dict[str, Any]) -> None:
    for node in props.values():
        if node.get("type") == "object" and "properties" in node:
            if node.get("required") == []:
                del node["required"]
            _drop_empty_required(node["properties"])


def section_object(section: Section) -> tuple[dict[str, Any], bool]:
    """A section's object (a per-child section's lists sit at the child's level, not in it)
    and whether every referral has it."""
    lists = {p.id for p in layout.child_lists(section)} if section.repeat == CHILDREN else set()
    props, required = answers_object(p for p in section.prompts if p.id not in lists)
    always = bool(required) and in_every_referral(section.when)
    return obj(props, required, section.title), always


def _child_item(ps: PromptSet, places: Sequence[layout.Place]) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": item_id(),
        "number": {
            "description": "The child's place in the list, from 1",
            "type": "integer",
            "minimum": 1,
        },
    }
    if ps.version >= document_v2.FIRST_PROMPT_SET:
        props["age"] = {
            "description": "The child's age on the day of the incident (UK time), in words: "
            'years and months, weeks or days for a baby under a month, "about" when only an '
            'estimate was given, "unborn" for an unborn baby',
            "$ref": "#/$defs/text",
        }
    required = ["number"]
    for place in places:
        node, always = section_object(place.section)
        props[place.key] = node
        if always:
            required.append(place.key)
        for p in layout.child_lists(place.section):
            props[slot(p.id)[0]] = prompt_schema(p)
    return obj(props, required)


def generate(ps: PromptSet) -> dict[str, Any]:
    """The JSON Schema of the documents of referrals answered under ``ps``."""
    name = document_v2.schema_name(ps.version)
    places = list(layout.places(ps))
    props = schema_parts.header(name)
    required = list(schema_parts.HEADER_REQUIRED)
    summary_from = ps.version >= document_v2.FIRST_PROMPT_SET
    if summary_from:
        props["summary"] = schema_summary.summary(ps)
        required.append("summary")
    risk_props, risk_required = answers_object(layout.risk_answers(ps))
    props["risk"] = schema_parts.risk(risk_props, risk_required)
    required.append("risk")
    child_places = [p for p in places if p.per_child]
    for place in places:
        if place.per_child:
            if CHILDREN in props:
                continue
            first = child_places[0].section
            props[CHILDREN] = array(
                _child_item(ps, child_places), first.title, max(1, first.min_items)
            )
            if in_every_referral(first.when):
                required.append(CHILDREN)
            continue
        node, always = section_object(place.section)
        if place.section.id == layout.HOUSEHOLD and layout.ADULTS in node["properties"]:
            node["properties"]["with_parental_responsibility"] = array(
                ref("text"),
                "The names of the adults listed who have parental responsibility",
            )
        props[place.key] = node
        if always:
            required.append(place.key)
    props.update(schema_parts.closing())
    required.extend(schema_parts.CLOSING_REQUIRED)
    return {
        "$schema": schema_parts.DRAFT,
        "$id": f"urn:thinkchild:schema:{name}",
        "title": f"Think Child referral, document format {name}",
        "description": schema_parts.DESCRIPTION.format(name=name),
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": props,
        "$defs": schema_parts.defs(sorted(document_v2.reason_words(ps))),
    }


def dumps(schema: dict[str, Any]) -> str:
    """The schema as the published file holds it."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def published_versions() -> list[int]:
    """The published prompt-set versions whose documents have a generated schema."""
    return [v for v in promptset.PUBLISHED_VERSIONS if v >= document_v2.FIRST_PROMPT_SET]


def write_all() -> list[Path]:
    """Write the schema file of each published version (from 2: v1's is written by hand)."""
    written = []
    for version in published_versions():
        path = schema_path(version)
        path.write_text(dumps(generate(promptset.load_version(version))), "utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str]) -> int:
    if list(argv) == ["--write"]:
        for path in write_all():
            print(f"wrote {path}", file=sys.stderr)
        return 0
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m app.referrals.schema_gen VERSION | --write", file=sys.stderr)
        return 2
    sys.stdout.write(dumps(generate(promptset.load_version(int(argv[0])))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
