"""Which prompts show (``is_visible``, ``section_visible``) and which answers to drop because
their prompt or section is hidden (``prune_hidden``). Pure functions over the answer dict.

The public names here can be imported from ``app.checklist.answers`` too.
"""

from __future__ import annotations

import copy
from collections import ChainMap
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from app.checklist.answers.items import ITEM_ID
from app.checklist.answers.values import Answers, has_answer
from app.checklist.promptset import (
    AllOf,
    AnyOf,
    Check,
    NoneOf,
    Prompt,
    PromptSet,
    PromptType,
    When,
)

Scope = Mapping[str, Any]


# --- visibility --------------------------------------------------------------------------------


CHILDREN = "children"


class EachChild(tuple[Any, ...]):
    """The answers of every child to a per-child prompt, looked up from the top level: a
    condition on it holds when it holds for any child."""


def lookup(prompt_id: str, item: Scope | None, answers: Answers) -> Any:
    """The answer to ``prompt_id``: in ``item`` (a repeat item and the items it sits in) if it
    is there, else at the top level of ``answers``. From the top level (no ``item``), a prompt
    not answered there but answered by some child is each child's answer (``EachChild``; a
    child without it counts as unanswered). The browser's ``lookupIn`` in
    ``static/js/checklist.mjs`` does the same (``tests/checklist/conditions.json``)."""
    if item is not None and prompt_id in item:
        return item[prompt_id]
    if prompt_id in answers or item is not None:
        return answers.get(prompt_id)
    children = answers.get(CHILDREN)
    if isinstance(children, list):
        each = [c for c in children if isinstance(c, Mapping)]
        if any(prompt_id in c for c in each):
            return EachChild(c.get(prompt_id) for c in each)
    return None


def _same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):  # True is not 1
        return type(a) is type(b) and a == b
    return a == b


def _holds(check: Check, item: Scope | None, answers: Answers) -> bool:
    value = lookup(check.prompt, item, answers)
    if isinstance(value, EachChild):
        return any(_holds_for(check, v) for v in value)
    return _holds_for(check, value)


def _holds_for(check: Check, value: Any) -> bool:
    if check.answered is not None:
        return has_answer(value) is check.answered
    if not has_answer(value):
        return False
    chosen = value if isinstance(value, list) else [value]  # a multi: any option selected
    return any(_same(v, wanted) for v in chosen for wanted in check.values)


def is_visible(when: When | None, item: Scope | None, answers: Answers) -> bool:
    """Does a ``when`` condition hold? ``item`` is the repeat item (a child, an injury, an adult)
    whose answers are looked up first; then ``answers``, the top level. No condition: visible."""
    if when is None:
        return True
    if isinstance(when, AllOf):
        return all(_holds(c, item, answers) for c in when.all_)
    if isinstance(when, AnyOf):
        return any(_holds(c, item, answers) for c in when.any_)
    if isinstance(when, NoneOf):
        return not any(_holds(c, item, answers) for c in when.none_)
    return _holds(when, item, answers)


def section_visible(ps: PromptSet, section_id: str, answers: Answers) -> bool:
    return is_visible(ps.section(section_id).when, None, answers)


# --- pruning -----------------------------------------------------------------------------------


def prune_hidden(ps: PromptSet, answers: Answers) -> tuple[dict[str, Any], list[str]]:
    """A copy of ``answers`` without the answers whose prompt (or section) is hidden, and the
    paths dropped. Unknown keys are dropped and listed too. ``answers`` is not changed.

    A dropped answer can hide (or, through ``answered: false``, show) later prompts. The loader
    refuses conditions that look forward, so deciding each prompt in screen order, against the
    answers kept so far, reaches the stable result in one pass.
    """
    source = copy.deepcopy(dict(answers))
    kept: dict[str, Any] = {}
    dropped = [k for k in source if k not in ps.top_prompts and k not in ps.repeat_sections]
    lists = {k: _Items(source[k]) for k in ps.repeat_sections if k in source}
    # What conditions see: the top-level answers kept so far, and the items kept so far (a
    # top-level condition may name a per-child prompt of an earlier section).
    seen: ChainMap[str, Any] = ChainMap(kept, {k: g.kept for k, g in lists.items()})
    for section in ps.sections:
        shown = is_visible(section.when, None, seen)
        if section.repeat is None:
            _prune_prompts(section.prompts, source, kept, None, seen, "", dropped, shown=shown)
        elif section.repeat in lists:
            group = lists[section.repeat]
            group.shown = group.shown or shown
            for i, (item, out) in enumerate(group.pairs()):
                scope = ChainMap(out)
                here = f"{section.repeat}[{i}]."
                _prune_prompts(section.prompts, item, out, scope, seen, here, group.dropped, shown)
    for key, group in lists.items():
        if not group.shown:
            dropped.append(key)
            continue
        kept[key] = group.result()
        known = {p.id for s in ps.repeat_sections[key] for p in s.prompts}
        dropped.extend(group.dropped + group.unknown(key, known))
    return kept, dropped


class _Items:
    """A top-level list (``children``) being pruned one section at a time."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self.kept = (
            [_id_only(i) if isinstance(i, Mapping) else i for i in value]
            if isinstance(value, list)
            else []
        )
        self.shown = False
        self.dropped: list[str] = []

    def pairs(self) -> Iterator[tuple[Mapping[str, Any], dict[str, Any]]]:
        if isinstance(self.value, list):
            for item, out in zip(self.value, self.kept, strict=True):
                if isinstance(item, Mapping):
                    yield item, out

    def unknown(self, key: str, known: set[str]) -> list[str]:
        return [
            f"{key}[{i}].{k}"
            for i, item in enumerate(self.value if isinstance(self.value, list) else [])
            if isinstance(item, Mapping)
            for k in item
            if k not in known and k != ITEM_ID
        ]

    def result(self) -> Any:
        return self.kept if isinstance(self.value, list) else self.value  # wrong shape: kept


def _prune_prompts(
    prompts: Sequence[Prompt],
    item: Mapping[str, Any],
    out: dict[str, Any],
    scope: ChainMap[str, Any] | None,
    answers: Answers,
    prefix: str,
    dropped: list[str],
    shown: bool = True,
) -> None:
    """Copy into ``out`` the answers in ``item`` to ``prompts`` that show, in order."""
    for p in prompts:
        if p.id not in item:
            continue
        path = prefix + p.id
        if not (shown and is_visible(p.when, scope, answers)):
            dropped.append(path)
        elif p.type is PromptType.REPEAT and isinstance(item[p.id], list):
            out[p.id] = _prune_list(p, item[p.id], scope, answers, path, dropped)
        else:
            out[p.id] = item[p.id]


def _prune_list(
    p: Prompt,
    value: list[Any],
    outer: ChainMap[str, Any] | None,
    answers: Answers,
    path: str,
    dropped: list[str],
) -> list[Any]:
    known = {q.id for q in p.prompts}
    result: list[Any] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            result.append(item)  # the wrong shape: validate_values reports it
            continue
        out = _id_only(item)
        scope = ChainMap(out, *(outer.maps if outer is not None else []))
        _prune_prompts(p.prompts, item, out, scope, answers, f"{path}[{i}].", dropped)
        dropped.extend(f"{path}[{i}].{k}" for k in item if k not in known and k != ITEM_ID)
        result.append(out)
    return result


def _id_only(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item's id (kept for life, whatever is shown), to which its shown answers are added."""
    return {ITEM_ID: item[ITEM_ID]} if ITEM_ID in item else {}
