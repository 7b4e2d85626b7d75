"""The answer engine: which prompts show, which answers to drop, which values are wrong, and
what is still missing. Pure functions over the answer dict (the same shape as the JSON API).

Answers are keyed by prompt id. ``answers["children"]`` is a list of dicts, one per child, each
holding that child's ``child.*``, ``voice.*`` and ``observed.*`` answers; a repeat prompt
(``observed.injuries`` inside a child, ``household.adults`` at the top) holds a list of dicts.

Paths name an answer anywhere: ``incident.datetime``, ``children[0].child.dob``,
``children[1].observed.injuries[0].injury.size``.

Call ``prune_hidden`` first and pass its result to ``validate_values``: values are checked
wherever they are, visible or not. ``missing_required`` and ``section_status`` prune for you.
"""

from __future__ import annotations

import copy
import math
import re
from collections import ChainMap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.checklist.promptset import (
    AllOf,
    AnyOf,
    Check,
    Prompt,
    PromptSet,
    PromptType,
    Section,
    When,
)

Answers = Mapping[str, Any]
Scope = Mapping[str, Any]

ADULT_AGE: Final = 18
# Named rules on particular prompts (their wording is in the prompt set's messages).
BIRTH_DATES: Final = frozenset({"child.dob", "adult.dob"})  # not in the future
CHILD_DOB: Final = "child.dob"  # under 18 on the incident date
CHILD_AGE: Final = "child.age_estimate"  # under 18

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?"
)


class SectionStatus(StrEnum):
    NOT_NEEDED = "not_needed"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


def has_answer(value: object) -> bool:
    """False for no answer: None, blank text or an empty list. ``False`` and ``0`` are answers."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return bool(value)
    return True


def prompt_id_of(path: str) -> str:
    """The prompt id at the end of a path: ``children[0].child.dob`` -> ``child.dob``."""
    return path.rsplit("].", 1)[-1]


# --- visibility --------------------------------------------------------------------------------


def _lookup(prompt_id: str, item: Scope | None, answers: Answers) -> Any:
    if item is not None and prompt_id in item:
        return item[prompt_id]
    return answers.get(prompt_id)


def _same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):  # True is not 1
        return type(a) is type(b) and a == b
    return a == b


def _holds(check: Check, item: Scope | None, answers: Answers) -> bool:
    value = _lookup(check.prompt, item, answers)
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
    for section in ps.sections:
        shown = is_visible(section.when, None, kept)
        if section.repeat is None:
            _prune_prompts(section.prompts, source, kept, None, kept, "", dropped, shown=shown)
        elif section.repeat in lists:
            group = lists[section.repeat]
            group.shown = group.shown or shown
            for i, (item, out) in enumerate(group.pairs()):
                scope = ChainMap(out)
                here = f"{section.repeat}[{i}]."
                _prune_prompts(section.prompts, item, out, scope, kept, here, group.dropped, shown)
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
            [{} if isinstance(i, Mapping) else i for i in value] if isinstance(value, list) else []
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
            if k not in known
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
        out: dict[str, Any] = {}
        scope = ChainMap(out, *(outer.maps if outer is not None else []))
        _prune_prompts(p.prompts, item, out, scope, answers, f"{path}[{i}].", dropped)
        dropped.extend(f"{path}[{i}].{k}" for k in item if k not in known)
        result.append(out)
    return result


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
        if not is_visible(p.when, scope, answers):
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
            _lookup(p.required_unless, scope, answers)
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


# --- values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    ps: PromptSet
    today: date  # for dates that must not be in the future
    on: date  # for ages: the incident date, else today
    errors: dict[str, str]

    def fail(self, path: str, kind: str, prompt: Prompt | None, **fields: object) -> None:
        self.errors.setdefault(path, self.ps.message(kind, prompt, **fields))


def parse_date(value: object) -> date | None:
    """A date from exactly ``YYYY-MM-DD``, else None."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_datetime(value: object) -> datetime | None:
    """A datetime from an ISO 8601 date and time (seconds and offset optional), else None."""
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _uk_today() -> date:
    try:
        return datetime.now(ZoneInfo("Europe/London")).date()
    except ZoneInfoNotFoundError:  # no time-zone database installed: UTC is at most 1 hour off
        return datetime.now(UTC).date()


def age_on(born: date, on: date) -> int:
    """Whole years from ``born`` to ``on`` (a 29 February birthday comes on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def validate_values(
    ps: PromptSet, answers: Answers, *, today: date | None = None
) -> dict[str, str]:
    """``{path: message}`` for each answer of the wrong type or out of range. Unanswered prompts
    and unknown keys are not checked (see ``missing_required`` and ``prune_hidden``).
    ``today`` defaults to today in the UK."""
    today = today or _uk_today()
    incident = parse_datetime(answers.get("incident.datetime"))
    ctx = _Context(ps, today, incident.date() if incident else today, {})
    for key, value in answers.items():
        if key in ps.repeat_sections:
            sections = ps.repeat_sections[key]
            prompts = {p.id: p for s in sections for p in s.prompts}
            _check_items(ctx, key, value, prompts, None, label=sections[0].title)
        elif key in ps.top_prompts:
            _check_value(ctx, ps.top_prompts[key], key, value)
    return ctx.errors


def _check_items(
    ctx: _Context,
    path: str,
    value: Any,
    prompts: Mapping[str, Prompt],
    owner: Prompt | None,
    label: str | None = None,
) -> None:
    label = label or (owner.label if owner else "")
    if not isinstance(value, list):
        ctx.fail(path, "repeat", owner, label=label)
        return
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            ctx.fail(f"{path}[{i}]", "repeat", owner, label=label)
            continue
        for key, answer in item.items():
            if key in prompts:
                _check_value(ctx, prompts[key], f"{path}[{i}].{key}", answer)


def _check_value(ctx: _Context, p: Prompt, path: str, value: Any) -> None:
    if not has_answer(value):
        return
    t = p.type
    if t is PromptType.YESNO and not isinstance(value, bool):
        ctx.fail(path, "yesno", p)
    elif t is PromptType.CHOICE and not (isinstance(value, str) and value in p.option_ids):
        ctx.fail(path, "choice", p)
    elif t is PromptType.MULTI:
        _check_multi(ctx, p, path, value)
    elif t in (PromptType.TEXT, PromptType.SHORT):
        if not isinstance(value, str):
            ctx.fail(path, "text", p)
        elif p.max_length is not None and len(value) > p.max_length:
            ctx.fail(path, "too_long", p, max_length=p.max_length)
    elif t is PromptType.DATE:
        _check_date(ctx, p, path, value)
    elif t is PromptType.DATETIME and parse_datetime(value) is None:
        ctx.fail(path, "datetime", p)
    elif t is PromptType.NUMBER:
        _check_number(ctx, p, path, value)
    elif t is PromptType.REPEAT:
        _check_items(ctx, path, value, {q.id: q for q in p.prompts}, p)


def _check_multi(ctx: _Context, p: Prompt, path: str, value: Any) -> None:
    known = p.option_ids
    if not isinstance(value, list) or any(
        not isinstance(v, str) or v not in known or value.count(v) > 1 for v in value
    ):
        ctx.fail(path, "multi", p)
    elif p.exclusive in value and len(value) > 1:
        option = next(o.label for o in p.options if o.id == p.exclusive)
        ctx.fail(path, "exclusive", p, option=option)


def _check_date(ctx: _Context, p: Prompt, path: str, value: Any) -> None:
    day = parse_date(value)
    if day is None:
        ctx.fail(path, "date", p)
    elif p.id in BIRTH_DATES and day > ctx.today:
        ctx.fail(path, "date_in_future", p)
    elif p.id == CHILD_DOB and age_on(day, ctx.on) >= ADULT_AGE:
        ctx.fail(path, "child_over_18", p)


def _check_number(ctx: _Context, p: Prompt, path: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        ctx.fail(path, "number", p)
    elif p.id == CHILD_AGE and value >= ADULT_AGE:
        ctx.fail(path, "child_over_18", p)
    elif p.min is not None and value < p.min:
        ctx.fail(path, "too_small", p, min=p.min)
    elif p.max is not None and value > p.max:
        ctx.fail(path, "too_big", p, max=p.max)
