"""Items of a list (a child, an adult, an injury) are known by a stable ``id``: a UUID made when
the item is added and kept for life. Pure functions over the answer dict.

``merge`` applies an update the way the JSON API and the forms both do: a top-level key sent
replaces the stored one, a key sent as null clears it, and a list is matched by ``id``: an item
with a known ``id`` keeps its stored answers for prompts it does not carry, an item without an
``id`` is new (one is made for it), an item with an ``id`` the server has not seen is new with
that ``id`` (a client that works offline makes its own), and a stored item left out is removed.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from app.checklist.promptset import PromptSet, PromptType
from app.text import strip_bidi

ITEM_ID = "id"
CHILDREN = "children"

# Problems with ids in an update: codes, reported per path (the API's words are in its schema).
DUPLICATE_ID = "duplicate_id"
BAD_ID = "bad_id"


def new_id() -> str:
    return str(uuid.uuid4())


def is_id(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


Lists = dict[str | None, frozenset[str]]


def list_keys(ps: PromptSet) -> Lists:
    """The keys holding lists of items: at the top level (key None), inside an item of a
    repeat section (key ``children``) and inside an item of a repeat prompt (its id)."""
    return ps.derived(_list_keys)


def _list_keys(ps: PromptSet) -> Lists:
    out: Lists = {}
    top = set(ps.repeat_sections)
    top |= {k for k, p in ps.top_prompts.items() if p.type is PromptType.REPEAT}
    out[None] = frozenset(top)
    for key, sections in ps.repeat_sections.items():
        prompts = [p for s in sections for p in s.prompts]
        out[key] = frozenset(p.id for p in prompts if p.type is PromptType.REPEAT)
    for pid in ps.all_prompt_ids():
        p = ps.prompt(pid)
        if p.type is PromptType.REPEAT:
            out[pid] = frozenset(q.id for q in p.prompts if q.type is PromptType.REPEAT)
    return out


def with_ids(ps: PromptSet, answers: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``answers`` in which every item of every list has an id."""
    result = copy.deepcopy(dict(answers))
    _give_ids(list_keys(ps), result, None)
    return result


def _give_ids(lists: Lists, scope: dict[str, Any], container: str | None) -> None:
    for key in lists[container]:
        items = scope.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, dict):
                if not is_id(item.get(ITEM_ID)):
                    item[ITEM_ID] = new_id()
                _give_ids(lists, item, key)


def merge(
    ps: PromptSet, stored: Mapping[str, Any], updates: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """``stored`` with ``updates`` applied (see the module's doc), and ``{path: problem}`` for
    ids that cannot be used (``duplicate_id``, ``bad_id``). ``stored`` is not changed."""
    problems: dict[str, str] = {}
    result = _merge_scope(list_keys(ps), dict(stored), updates, None, "", problems)
    return result, problems


def _merge_scope(
    lists: Lists,
    stored: Mapping[str, Any],
    updates: Mapping[str, Any],
    container: str | None,
    prefix: str,
    problems: dict[str, str],
) -> dict[str, Any]:
    result = copy.deepcopy(dict(stored))
    for key, value in updates.items():
        if key == ITEM_ID and container is not None:
            continue
        if value is None:
            result.pop(key, None)
        elif key in lists[container] and isinstance(value, list):
            old = stored.get(key)
            result[key] = _merge_list(
                lists, old if isinstance(old, list) else [], value, key, prefix + key, problems
            )
        else:
            result[key] = copy.deepcopy(value)
    return result


def _merge_list(
    lists: Lists,
    stored: list[Any],
    sent: list[Any],
    key: str,
    path: str,
    problems: dict[str, str],
) -> list[Any]:
    known = {
        item[ITEM_ID]: item
        for item in stored
        if isinstance(item, Mapping) and is_id(item.get(ITEM_ID))
    }
    seen: set[str] = set()
    result: list[Any] = []
    for i, item in enumerate(sent):
        if not isinstance(item, Mapping):
            result.append(copy.deepcopy(item))  # the wrong shape: validation reports it
            continue
        item_id = item.get(ITEM_ID)
        if item_id is None:
            item_id = new_id()
        elif not is_id(item_id):
            problems[f"{path}[{i}].{ITEM_ID}"] = BAD_ID
            continue
        item_id = str(item_id).lower()
        if item_id in seen:
            problems[f"{path}[{i}].{ITEM_ID}"] = DUPLICATE_ID
            continue
        seen.add(item_id)
        base = known.get(item_id, {})
        merged = _merge_scope(lists, base, item, key, f"{path}[{i}].", problems)
        merged[ITEM_ID] = item_id
        _give_ids(lists, merged, key)
        result.append(merged)
    return result


def index_of(items: object, item_id: str) -> int | None:
    """The position of the item with ``item_id`` in a list, or None."""
    if not isinstance(items, list):
        return None
    for i, item in enumerate(items):
        if isinstance(item, Mapping) and item.get(ITEM_ID) == item_id:
            return i
    return None


_STEP = re.compile(r"^(?P<key>[a-z_]+(?:\.[a-z_]+)?)\[(?P<index>\d+)\]\.(?P<rest>.+)$")


def value_at(answers: Mapping[str, Any], path: str) -> Any:
    """The value at an answer path (``children[0].observed.injuries[1].injury.size``), or None."""
    scope: Any = answers
    while True:
        match = _STEP.match(path)
        if match is None:
            return scope.get(path) if isinstance(scope, Mapping) else None
        items = scope.get(match["key"]) if isinstance(scope, Mapping) else None
        index = int(match["index"])
        if not isinstance(items, list) or index >= len(items):
            return None
        scope, path = items[index], match["rest"]


def leaves(ps: PromptSet, answers: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every answer that is not a list, with its path, lists walked item by item."""
    yield from _leaves(list_keys(ps), answers, None, "")


def _leaves(
    lists: Lists, scope: Mapping[str, Any], container: str | None, prefix: str
) -> Iterator[tuple[str, Any]]:
    for key, value in scope.items():
        if key == ITEM_ID and container is not None:
            continue
        if key in lists[container] and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from _leaves(lists, item, key, f"{prefix}{key}[{i}].")
                else:
                    yield f"{prefix}{key}[{i}]", item
        else:
            yield prefix + key, value


def _allowed(ps: PromptSet) -> dict[str | None, frozenset[str]]:
    """The keys answers may have at each place: a guidance item is never answered."""
    return ps.derived(_allowed_keys)


def _allowed_keys(ps: PromptSet) -> dict[str | None, frozenset[str]]:
    answer = PromptType.GUIDANCE.__ne__
    top = {k for k, p in ps.top_prompts.items() if answer(p.type)}
    out: dict[str | None, frozenset[str]] = {None: frozenset({*top, *ps.repeat_sections})}
    for key, sections in ps.repeat_sections.items():
        ids = (p.id for s in sections for p in s.prompts if answer(p.type))
        out[key] = frozenset({ITEM_ID, *ids})
    for pid in ps.all_prompt_ids():
        p = ps.prompt(pid)
        if p.type is PromptType.REPEAT:
            out[pid] = frozenset({ITEM_ID, *(q.id for q in p.prompts if answer(q.type))})
    return out


def strip_unknown(ps: PromptSet, answers: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of ``answers`` without keys that are not prompts of this prompt set (at that
    place), and their paths: an unknown key is reported, never stored."""
    unknown: list[str] = []
    clean = _strip(list_keys(ps), _allowed(ps), answers, None, "", unknown)
    return clean, unknown


def _strip(
    lists: Lists,
    allowed: dict[str | None, frozenset[str]],
    scope: Mapping[str, Any],
    container: str | None,
    prefix: str,
    unknown: list[str],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in scope.items():
        if key not in allowed[container]:
            unknown.append(prefix + key)
        elif key in lists[container] and isinstance(value, list):
            out[key] = [
                _strip(lists, allowed, item, key, f"{prefix}{key}[{i}].", unknown)
                if isinstance(item, Mapping)
                else copy.deepcopy(item)
                for i, item in enumerate(value)
            ]
        elif isinstance(value, str):
            out[key] = strip_bidi(value)  # invisible, and able to show a name reversed
        else:
            out[key] = copy.deepcopy(value)
    return out


def lists_in(ps: PromptSet, answers: Mapping[str, Any]) -> Iterator[tuple[str, str, int]]:
    """Every list in the answers: its path, its key and how many items it holds."""
    yield from _lists_in(list_keys(ps), answers, None, "")


def _lists_in(
    lists: Lists, scope: Mapping[str, Any], container: str | None, prefix: str
) -> Iterator[tuple[str, str, int]]:
    for key in lists[container]:
        value = scope.get(key)
        if isinstance(value, list):
            yield prefix + key, key, len(value)
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from _lists_in(lists, item, key, f"{prefix}{key}[{i}].")
