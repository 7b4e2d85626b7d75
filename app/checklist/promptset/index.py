"""The index of a prompt set (every prompt at any depth, its repeat scope and section) and the
checks across the whole set that need it: ids are unique, conditions and ``required_unless``
name prompts within reach and earlier on, condition values fit the prompt they test, and message
wording uses only the fields its kind allows.

``app.checklist.promptset.PromptSet`` builds the index and runs these checks when it is
validated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from app.checklist.promptset.model import Prompt, PromptType, Section, Value, When, checks_of

if TYPE_CHECKING:
    from app.checklist.promptset import PromptSet

# Each error message the engine can show, with the fields its template may use.
MESSAGE_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "required": frozenset({"label"}),
    "too_few_items": frozenset({"label", "item_label", "min_items"}),
    "yesno": frozenset({"label"}),
    "choice": frozenset({"label"}),
    "multi": frozenset({"label"}),
    "exclusive": frozenset({"label", "option"}),
    "text": frozenset({"label"}),
    "too_long": frozenset({"label", "max_length"}),
    "date": frozenset({"label"}),
    "datetime": frozenset({"label"}),
    "number": frozenset({"label"}),
    "too_small": frozenset({"label", "min"}),
    "too_big": frozenset({"label", "max"}),
    "date_in_future": frozenset({"label"}),
    "child_over_18": frozenset({"label"}),
    "repeat": frozenset({"label"}),
}


@dataclass(frozen=True)
class PromptIndex:
    prompts: dict[str, Prompt]  # every prompt, at any depth
    scopes: dict[str, tuple[str, ...]]  # prompt id -> the repeats it sits in, outermost first
    sections: dict[str, Section]  # prompt id -> its section
    top: dict[str, Prompt]  # top-level answer keys that are prompts
    repeats: dict[str, tuple[Section, ...]]  # section repeat key (children) -> its sections


def _walk(
    prompts: Sequence[Prompt], scope: tuple[str, ...]
) -> Iterator[tuple[Prompt, tuple[str, ...]]]:
    for p in prompts:
        yield p, scope
        yield from _walk(p.prompts, (*scope, p.id))


def build_index(sections: Sequence[Section]) -> PromptIndex:
    prompts: dict[str, Prompt] = {}
    scopes: dict[str, tuple[str, ...]] = {}
    owner: dict[str, Section] = {}
    top: dict[str, Prompt] = {}
    repeats: dict[str, list[Section]] = {}
    for section in sections:
        base: tuple[str, ...] = (section.repeat,) if section.repeat else ()
        if section.repeat:
            repeats.setdefault(section.repeat, []).append(section)
        else:
            top.update((p.id, p) for p in section.prompts)
        for p, scope in _walk(section.prompts, base):
            prompts.setdefault(p.id, p)
            scopes.setdefault(p.id, scope)
            owner.setdefault(p.id, section)
    return PromptIndex(prompts, scopes, owner, top, {k: tuple(v) for k, v in repeats.items()})


def index_problems(ps: PromptSet, index: PromptIndex) -> Iterator[str]:
    section_ids = [s.id for s in ps.sections]
    for sid in sorted({s for s in section_ids if section_ids.count(s) > 1}):
        yield f"duplicate section id {sid!r}"
    seen: set[str] = set()
    for section in ps.sections:
        for p, _ in _walk(section.prompts, ()):
            if p.id in seen:
                yield f"duplicate prompt id {p.id!r}"
            seen.add(p.id)
    for n, when in enumerate(ps.conditions):
        yield from _condition_problems(when, f"shared condition {n + 1}", None, None, index)
    for section in ps.sections:
        if section.when is not None:
            first = section.prompts[0].id
            yield from _condition_problems(
                section.when, f"section {section.id!r}", first, (), index
            )
        for p, _ in _walk(section.prompts, ()):
            where, scope = f"prompt {p.id!r}", index.scopes.get(p.id, ())
            if p.when is not None:
                yield from _condition_problems(p.when, where, p.id, scope, index)
            if p.required_unless is not None:
                what = f"the required_unless of {where}"
                yield from _reference_problems(p.required_unless, what, None, scope, index)
            yield from _message_problems(p.messages, where, known_only=True)
    yield from _message_problems(ps.messages, "messages", known_only=False)


def _reference_problems(
    target: str,
    where: str,
    before: str | None,
    scope: tuple[str, ...] | None,
    index: PromptIndex,
    *,
    any_child: bool = False,
) -> Iterator[str]:
    """``target`` must exist, be within reach of ``scope`` (the same or an enclosing repeat, or
    the top level) and, for a condition, come before ``before`` (so one pass in screen order
    decides what shows)."""
    order = list(index.prompts)
    if target not in index.prompts:
        yield f"{where} names unknown prompt {target!r}"
    elif index.prompts[target].type is PromptType.GUIDANCE:
        yield f"{where} names {target!r}, a guidance item that is never answered"
    elif scope is not None and not _within_reach(scope, index.scopes[target], index, any_child):
        inside = index.scopes[target][-1]
        yield f"{where} names prompt {target!r}, which is inside repeat {inside!r} and out of reach"
    elif before is not None and order.index(target) >= order.index(before):
        yield f"{where} names prompt {target!r}, which does not come before it"


def _within_reach(
    scope: tuple[str, ...], target: tuple[str, ...], index: PromptIndex, any_child: bool
) -> bool:
    """The same or an enclosing repeat, or the top level; or, for a condition at the top level,
    a prompt answered in each item of a repeat section (a per-child prompt: the condition holds
    when it holds for any child)."""
    if scope[: len(target)] == target:
        return True
    return any_child and scope == () and len(target) == 1 and target[0] in index.repeats


def _condition_problems(
    when: When, where: str, before: str | None, scope: tuple[str, ...] | None, index: PromptIndex
) -> Iterator[str]:
    for check in checks_of(when):
        problems = list(
            _reference_problems(
                check.prompt, f"the condition of {where}", before, scope, index, any_child=True
            )
        )
        yield from problems
        if problems:
            continue
        target = index.prompts[check.prompt]
        for value in check.values:
            problem = _value_problem(target, value)
            if problem:
                yield f"the condition of {where} {problem}"


def _value_problem(target: Prompt, value: Value) -> str | None:
    t = target.type
    if t in (PromptType.CHOICE, PromptType.MULTI):
        if value not in target.option_ids:
            known = ", ".join(target.option_ids)
            return f"uses option {value!r}, which prompt {target.id!r} does not have ({known})"
    elif t is PromptType.YESNO:
        if not isinstance(value, bool):
            return f"compares yes/no prompt {target.id!r} with {value!r}, not true or false"
    elif t is PromptType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"compares number prompt {target.id!r} with {value!r}, not a number"
    elif t is PromptType.REPEAT:
        return f"can only test whether the list {target.id!r} is answered"
    elif not isinstance(value, str):
        return f"compares {t} prompt {target.id!r} with {value!r}, not text"
    return None


def _message_problems(
    messages: Mapping[str, str], where: str, *, known_only: bool
) -> Iterator[str]:
    if not known_only:
        for kind in sorted(set(MESSAGE_FIELDS) - set(messages)):
            yield f"{where} has no wording for {kind!r}"
    for kind, template in messages.items():
        if kind not in MESSAGE_FIELDS:
            yield f"{where} has unknown message {kind!r} (known: {', '.join(MESSAGE_FIELDS)})"
            continue
        try:
            template.format(**dict.fromkeys(MESSAGE_FIELDS[kind], "x"))
        except (KeyError, IndexError, ValueError) as e:
            allowed = ", ".join(sorted(MESSAGE_FIELDS[kind]))
            yield f"{where}: message {kind!r} uses a field it cannot ({e}); it may use {allowed}"
