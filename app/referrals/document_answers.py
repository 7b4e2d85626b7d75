"""The officer's answers as referral-document data.

Answers keep their ids and gain their words from the prompt set
(``{"id": "crime", "label": "Crime"}``); times become ISO 8601 in UTC; an answer that was not
given (or not asked) is left out, never a blank. Each answer's key is its prompt id without the
section (``incident.log_ref`` -> ``log_ref``), except police protection, whose answers are
grouped under ``actions.police_protection`` (``used``, ``time``, ``place_of_safety``, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from app.checklist import answers as engine
from app.checklist.answers.items import ITEM_ID
from app.checklist.promptset import Prompt, PromptSet, PromptType

# Prompt-set section id -> the document key its answers go under.
TOP_SECTIONS: Final[Mapping[str, str]] = {
    "incident": "incident",
    "gate": "gate",
    "home": "home",
    "household": "household",
    "concern": "concerns",
    "action": "actions",
    "sharing": "information_sharing",
}
# Sections answered once per child -> the key in each child's entry.
CHILD_SECTIONS: Final[Mapping[str, str]] = {
    "child": "details",
    "voice": "voice",
    "observed": "observations",
}
CHILDREN: Final = "children"
INJURIES: Final = "injuries"  # observed.injuries: listed at the child's level
GRADE_PROMPT: Final = "risk.officer_grade"
POLICE_PROTECTION: Final = "police_protection"
UK: Final = ZoneInfo("Europe/London")


def slot(prompt_id: str) -> tuple[str, ...]:
    """Where a prompt's answer sits inside its section's entry."""
    section, name = prompt_id.split(".", 1)
    if section == "action" and name == POLICE_PROTECTION:
        return (POLICE_PROTECTION, "used")
    if section == "action" and name.startswith("pp_"):
        return (POLICE_PROTECTION, name.removeprefix("pp_"))
    return (name,)


def iso(when: datetime) -> str:
    """A time as ISO 8601 in UTC, to the second: ``2026-03-10T21:15:00Z``."""
    aware = when if when.tzinfo else when.replace(tzinfo=UK)  # typed without an offset: UK time
    return aware.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def option(prompt: Prompt, value: Any) -> dict[str, Any]:
    labels = {o.id: o.label for o in prompt.options}
    return {"id": value, "label": labels.get(value, str(value))}


def grade(ps: PromptSet, value: str) -> dict[str, Any]:
    """A risk grade with its words from the prompt set."""
    return option(ps.prompt(GRADE_PROMPT), value)


def encode_value(prompt: Prompt, value: Any) -> Any:
    """An answer as document data: ids with words, times in UTC, repeats as lists of entries."""
    t = prompt.type
    if t is PromptType.CHOICE:
        return option(prompt, value)
    if t is PromptType.MULTI and isinstance(value, list):
        return [option(prompt, v) for v in value]
    if t is PromptType.DATETIME:
        when = engine.parse_datetime(value)
        return iso(when) if when else value
    if t is PromptType.REPEAT and isinstance(value, list):
        return [
            _with_id(item, encode(prompt.prompts, item))
            for item in value
            if isinstance(item, Mapping)
        ]
    return value  # yes/no (bool), number, text, date (YYYY-MM-DD)


def encode(prompts: Iterable[Prompt], scope: Mapping[str, Any]) -> dict[str, Any]:
    """The answers given to ``prompts`` in ``scope``, by their slot; unanswered ones left out."""
    out: dict[str, Any] = {}
    for p in prompts:
        value = scope.get(p.id)
        if not engine.has_answer(value):
            continue
        encoded = encode_value(p, value)
        if encoded in ([], {}):
            continue
        *parents, last = slot(p.id)
        target = out
        for name in parents:
            target = target.setdefault(name, {})
        target[last] = encoded
    return out


def _with_id(item: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """An item's document entry, led by its id (kept for life) when it has one."""
    return {ITEM_ID: item[ITEM_ID], **data} if ITEM_ID in item else data


def children(ps: PromptSet, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each child: ``number`` (from 1), ``details``, ``voice``, ``observations``, ``injuries``
    (each only when something in it was answered)."""
    items = answers.get(CHILDREN)
    out: list[dict[str, Any]] = []
    for number, item in enumerate(items if isinstance(items, list) else [], start=1):
        if not isinstance(item, Mapping):
            continue
        child: dict[str, Any] = _with_id(item, {"number": number})
        injuries: list[dict[str, Any]] = []
        for section in ps.repeat_sections[CHILDREN]:
            data = encode(section.prompts, item)
            injuries += data.pop(INJURIES, [])
            if data:
                child[CHILD_SECTIONS[section.id]] = data
        if injuries:
            child[INJURIES] = injuries
        out.append(child)
    return out


def sections(ps: PromptSet, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The document keys for the answers, in the prompt set's order: incident, gate, children,
    home, household (with who has parental responsibility), concerns, actions, sharing."""
    out: dict[str, Any] = {}
    for section in ps.sections:
        if section.id == "child":
            out[CHILDREN] = children(ps, answers)
        elif section.id in TOP_SECTIONS:
            data = encode(section.prompts, answers)
            if section.id == "household":
                data = with_parental_responsibility(data)
            if data:
                out[TOP_SECTIONS[section.id]] = data
    return out


def with_parental_responsibility(data: dict[str, Any]) -> dict[str, Any]:
    adults = data.pop("adults", None)
    if not isinstance(adults, list):
        return data
    names = [a["name"] for a in adults if a.get("parental_responsibility") is True and "name" in a]
    return {"adults": adults, "with_parental_responsibility": names, **data}
