"""The answer engine: which prompts show, which answers to drop, which values are wrong, and
what is still missing. Pure functions over the answer dict (the same shape as the JSON API).

Answers are keyed by prompt id. ``answers["children"]`` is a list of dicts, one per child, each
holding that child's ``child.*``, ``voice.*`` and ``observed.*`` answers; a repeat prompt
(``observed.injuries`` inside a child, ``household.adults`` at the top) holds a list of dicts.

Paths name an answer anywhere: ``incident.datetime``, ``children[0].child.dob``,
``children[1].observed.injuries[0].injury.size``.

Call ``prune_hidden`` first and pass its result to ``validate_values``: values are checked
wherever they are, visible or not. ``missing_required`` and ``section_status`` prune for you.

This module holds what is missing and each section's status. Visibility and pruning are in
``app.checklist.answers.visibility``, values in ``app.checklist.answers.values``; their public
names can be imported from here too.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.checklist.answers.values import (
    Answers,
    age_on,
    has_answer,
    parse_date,
    parse_datetime,
    validate_values,
)
from app.checklist.answers.visibility import (
    is_visible,
    lookup,
    prune_hidden,
    section_visible,
)
from app.checklist.promptset import Prompt, PromptSet, PromptType, Section

__all__ = [
    "SectionStatus",
    "age_on",
    "has_answer",
    "is_visible",
    "missing_required",
    "parse_date",
    "parse_datetime",
    "prompt_id_of",
    "prune_hidden",
    "section_status",
    "section_visible",
    "validate_values",
]


class SectionStatus(StrEnum):
    NOT_NEEDED = "not_needed"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


def prompt_id_of(path: str) -> str:
    """The prompt id at the end of a path: ``children[0].child.dob`` -> ``child.dob``."""
    return path.rsplit("].", 1)[-1]


# --- required answers --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """A visible prompt (or list) in a section: where, and whether answered or missing."""

    section: str
    path: str
    answered: bool
    missing: bool


def _inner(item: Mapping[str, Any], outer: ChainMap[str, Any] | None) -> ChainMap[str, Any]:
    return ChainMap(dict(item), *(outer.maps if outer is not None else []))


def _entries(ps: PromptSet, answers: Answers) -> Iterator[_Entry]:
    for section in ps.sections:
        if not is_visible(section.when, None, answers):
            continue
        if section.repeat is None:
            yield from _prompt_entries(section, section.prompts, answers, None, answers, "")
            continue
        raw = answers.get(section.repeat)
        items = raw if isinstance(raw, list) else []
        if section.min_items:
            yield _Entry(section.id, section.repeat, bool(items), len(items) < section.min_items)
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                scope = _inner(item, None)
                prefix = f"{section.repeat}[{i}]."
                yield from _prompt_entries(section, section.prompts, item, scope, answers, prefix)


def _prompt_entries(
    section: Section,
    prompts: Sequence[Prompt],
    data: Mapping[str, Any],
    scope: ChainMap[str, Any] | None,
    answers: Answers,
    prefix: str,
) -> Iterator[_Entry]:
    for p in prompts:
        if p.type is PromptType.GUIDANCE or not is_visible(p.when, scope, answers):
            continue
        path, value = prefix + p.id, data.get(p.id)
        if p.type is PromptType.REPEAT:
            items = value if isinstance(value, list) else []
            need = max(p.min_items, 1 if p.required else 0)
            yield _Entry(section.id, path, bool(items), len(items) < need)
            for j, item in enumerate(items):
                if isinstance(item, Mapping):
                    inner = _inner(item, scope)
                    yield from _prompt_entries(
                        section, p.prompts, item, inner, answers, f"{path}[{j}]."
                    )
            continue
        excused = p.required_unless is not None and has_answer(
            lookup(p.required_unless, scope, answers)
        )
        answered = has_answer(value)
        yield _Entry(section.id, path, answered, p.required and not excused and not answered)


def missing_required(ps: PromptSet, answers: Answers) -> list[str]:
    """Paths of required prompts that show and have no answer, in screen order. ``children``
    (or another list's path) when a list has fewer items than it needs."""
    pruned, _ = prune_hidden(ps, answers)
    return [e.path for e in _entries(ps, pruned) if e.missing]


def section_status(ps: PromptSet, section_id: str, answers: Answers) -> SectionStatus:
    """``not_needed``: the section is hidden, or nothing in it applies to the answers so far
    (for example the voice of an unborn child); ``not_started``: nothing in it answered yet;
    ``in_progress``: something required is missing; else ``complete``."""
    pruned, _ = prune_hidden(ps, answers)
    if not section_visible(ps, section_id, pruned):
        return SectionStatus.NOT_NEEDED
    entries = [e for e in _entries(ps, pruned) if e.section == section_id]
    if not entries:
        return SectionStatus.NOT_NEEDED
    if not any(e.answered for e in entries):
        return SectionStatus.NOT_STARTED
    return SectionStatus.IN_PROGRESS if any(e.missing for e in entries) else SectionStatus.COMPLETE
