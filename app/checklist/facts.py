"""What coaches count in one incident's answers (kept in its summary row, see
app/checklist/tally.py), read with the answer engine under the incident's own prompt-set
version: completion (applicable prompts answered, optional ones included) and, for each child,
seen / spoken to / words / alone / demeanour. Works for v1 and v2 answers alike (v2 keeps
concerns inside each child)."""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.checklist import answers as engine
from app.checklist.promptset import Prompt, PromptSet, PromptSetError, PromptType, load_version

_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
CHILDREN = "children"
CHILD_TYPES = frozenset(
    {"domestic_abuse", "concern_for_welfare", "missing_found", "custody_arrest"}
)


@dataclass(frozen=True)
class Completion:
    applicable: int
    answered: int


@dataclass(frozen=True)
class ChildFacts:
    seen_applies: bool
    seen: bool
    spoken_to: bool
    words: bool
    alone: bool
    demeanour_applies: bool
    demeanour: bool


def prompt_set(version: int) -> PromptSet | None:
    """The incident's own prompt set; None when this build does not publish that version."""
    try:
        return load_version(version)
    except PromptSetError:
        return None


def _walk(
    prompts: Sequence[Prompt],
    data: Mapping[str, Any],
    scope: ChainMap[str, Any] | None,
    answers: Mapping[str, Any],
) -> Iterator[bool]:
    """For each visible prompt (inside lists too), whether it is answered."""
    for p in prompts:
        if not engine.is_visible(p.when, scope, answers):
            continue
        value = data.get(p.id)
        yield engine.has_answer(value)
        if p.type is PromptType.REPEAT and isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping):
                    inner = ChainMap(dict(item), *(scope.maps if scope is not None else []))
                    yield from _walk(p.prompts, item, inner, answers)


@dataclass(frozen=True)
class Facts:
    completion: Completion
    children: list[ChildFacts]


def facts(ps: PromptSet, answers: Mapping[str, Any]) -> Facts:
    """Completion and each child's facts from one pruning of the answers (the costly part)."""
    pruned, _ = engine.prune_hidden(ps, answers)
    return Facts(_completion(ps, pruned), _children(ps, pruned))


def completion(ps: PromptSet, answers: Mapping[str, Any]) -> Completion:
    return _completion(ps, engine.prune_hidden(ps, answers)[0])


def children(ps: PromptSet, answers: Mapping[str, Any]) -> list[ChildFacts]:
    return _children(ps, engine.prune_hidden(ps, answers)[0])


def _completion(ps: PromptSet, pruned: Mapping[str, Any]) -> Completion:
    marks: list[bool] = []
    for section in ps.sections:
        if not engine.is_visible(section.when, None, pruned):
            continue
        if section.repeat is None:
            marks += _walk(section.prompts, pruned, None, pruned)
            continue
        for item in _items(pruned, section.repeat):
            marks += _walk(section.prompts, item, ChainMap(dict(item)), pruned)
    return Completion(applicable=len(marks), answered=sum(marks))


def _items(answers: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    raw = answers.get(key)
    return [i for i in raw if isinstance(i, Mapping)] if isinstance(raw, list) else []


def _applies(ps: PromptSet, prompt_id: str, child: Mapping[str, Any], answers: Any) -> bool:
    try:
        prompt, section = ps.prompt(prompt_id), ps.section_of(prompt_id)
    except KeyError:
        return False
    return engine.is_visible(section.when, None, answers) and engine.is_visible(
        prompt.when, ChainMap(dict(child)), answers
    )


def _children(ps: PromptSet, pruned: Mapping[str, Any]) -> list[ChildFacts]:
    found = []
    for child in _items(pruned, CHILDREN):
        spoken = child.get("child.spoken_to") is True
        found.append(
            ChildFacts(
                seen_applies=_applies(ps, "child.seen", child, pruned),
                seen=child.get("child.seen") is True,
                spoken_to=spoken,
                words=spoken and engine.has_answer(child.get("voice.words")),
                alone=spoken and child.get("child.spoken_alone") is True,
                demeanour_applies=_applies(ps, "observed.demeanour", child, pruned),
                demeanour=engine.has_answer(child.get("observed.demeanour")),
            )
        )
    return found


def child_identified(answers: Mapping[str, Any]) -> bool:
    return answers.get("gate.children_present") is True or answers.get("gate.pregnancy") is True


def incident_type(answers: Mapping[str, Any]) -> str:
    value = answers.get("incident.type")
    return value if isinstance(value, str) and value else "not_recorded"


def incident_time(answers: Mapping[str, Any]) -> datetime | None:
    """When the incident happened (an answer without an offset is UK local time)."""
    found = engine.parse_datetime(answers.get("incident.datetime"))
    if found is not None and found.tzinfo is None:
        found = found.replace(tzinfo=ZoneInfo("Europe/London"))
    return found


def concern_categories(answers: Mapping[str, Any]) -> list[str]:
    """Concern categories at the top (v1) and inside each child (v2), without repeats."""
    found: list[str] = []
    sources = [answers, *_items(answers, CHILDREN)]
    for source in sources:
        value = source.get("concern.categories")
        for category in value if isinstance(value, list) else []:
            if isinstance(category, str) and category not in found:
                found.append(category)
    return found


def normalise_address(address: str) -> str:
    """Case, spaces and punctuation do not tell two addresses apart."""
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", address.casefold())).strip()
