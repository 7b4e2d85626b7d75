"""Screens: how the prompt set is cut into pages, where each page's answers live in the answer
dict, and the order an officer goes through them. Pure functions, no database.

A screen is one page of one section, for the top level, for one child, or for one item of a
repeat (an adult, an injury). A sensitive prompt gets a page of its own, with the prompts that
depend on it; its other prompts share pages.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.checklist import answers as engine
from app.checklist.answers import items
from app.checklist.promptset import Prompt, PromptSet, PromptType, Section, checks_of

CHILDREN = "children"
# Sections answered on the "check your answers" page rather than screens of their own.
CHECK_SECTIONS = ("risk", "declaration")


@dataclass(frozen=True)
class Progress:
    """Step N of M: one step per section with screens, in the prompt set's order, and the
    last for "check your answers" (v1: 11 steps; v2: 12)."""

    step: int
    total: int


def step_sections(ps: PromptSet) -> tuple[str, ...]:
    """The sections that are steps of their own, in order (not those answered on the check
    page)."""
    return tuple(s.id for s in ps.sections if s.id not in CHECK_SECTIONS)


def progress(ps: PromptSet, section_id: str | None) -> Progress:
    """Where a section's screens are in the steps; None (or a check-page section): the last."""
    steps = step_sections(ps)
    total = len(steps) + 1  # and "check your answers"
    step = steps.index(section_id) + 1 if section_id in steps else total
    return Progress(step=step, total=total)


def pages_of(prompts: list[Prompt]) -> list[list[Prompt]]:
    """Cut prompts into pages: a sensitive prompt starts a page of its own, which also holds the
    prompts whose conditions name a prompt on it; the other prompts share pages."""
    pages: list[list[Prompt]] = []
    alone = False
    for p in prompts:
        on_page = {q.id for q in pages[-1]} if pages else set()
        depends = p.when is not None and any(c.prompt in on_page for c in checks_of(p.when))
        if p.sensitive or not pages:
            pages.append([p])
            alone = p.sensitive
        elif alone and not depends:
            pages.append([p])
            alone = False
        else:
            pages[-1].append(p)
    return pages


@dataclass(frozen=True)
class Place:
    """Where a screen's answers live: the top level, a child, or an item of a repeat. Children
    and items are named by their ``id`` (kept for life), never by their position."""

    child: str | None = None  # a child's id
    repeat: str | None = None  # a repeat prompt id (household.adults, observed.injuries)
    item: str | None = None  # the item's id

    def _child_scope(self, answers: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]] | None:
        if self.child is None:
            return "", answers
        children = answers.get(CHILDREN)
        index = items.index_of(children, self.child)
        if index is None:
            return None
        return f"{CHILDREN}[{index}].", children[index]  # type: ignore[index]

    def _locate(self, answers: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
        found = self._child_scope(answers)
        if found is None:
            return None
        prefix, scope = found
        if self.repeat is not None:
            values = scope.get(self.repeat)
            index = items.index_of(values, self.item or "")
            if index is None:
                return None
            prefix, scope = f"{prefix}{self.repeat}[{index}].", values[index]  # type: ignore[index]
        return (prefix, scope) if isinstance(scope, dict) else None

    def prefix(self, answers: Mapping[str, Any]) -> str:
        """The path prefix of answers here (``children[0].``), for these answers."""
        found = self._locate(answers)
        if found is None:
            raise LookupError("no such child or item")
        return found[0]

    def get(self, answers: Mapping[str, Any]) -> dict[str, Any] | None:
        """The dict holding this place's answers, or None when it does not exist."""
        found = self._locate(answers)
        return found[1] if found else None

    def item_scope(self, answers: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The innermost repeat item for condition look-ups (None at the top level)."""
        if self.child is None and self.repeat is None:
            return None
        return self.get(answers)

    def put(self, answers: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
        """The top-level updates that set ``values`` (None removes an answer) at this place.
        A None is sent as null, not left out: ``items.merge`` keeps a list item's stored answers
        for keys it does not carry, so only a null clears one."""
        new = copy.deepcopy(dict(answers))
        scope = Place(self.child).get(new) if self.child is not None else new
        if scope is None:
            raise LookupError("no such child")
        if self.repeat is not None:
            found = Place(self.child, self.repeat, self.item).get(new)
            if found is None:
                raise LookupError("no such item")
            scope = found
        for key, value in values.items():
            scope[key] = value
        top = CHILDREN if self.child is not None else self.repeat
        return {top: new[top]} if top is not None else {k: new.get(k) for k in values}

    def url_base(self) -> str:
        """What follows ``/incidents/<id>`` in the URLs of this place's pages."""
        return f"/c/{self.child}" if self.child is not None else ""

    def restore(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """The answers with this place made again (empty, under the same ids) where it was
        removed on another screen: what the officer typed for it is then saved there."""
        new = copy.deepcopy(dict(answers))
        if self.child is not None and Place(self.child).get(new) is None:
            new.setdefault(CHILDREN, [])
            new[CHILDREN].append({items.ITEM_ID: self.child})
        if self.repeat is not None and self.get(new) is None:
            scope = Place(self.child).get(new) if self.child is not None else new
            assert scope is not None
            if not isinstance(scope.get(self.repeat), list):
                scope[self.repeat] = []
            scope[self.repeat].append({items.ITEM_ID: self.item})
        return new


@dataclass(frozen=True)
class Screen:
    section: Section
    page: int  # 0-based
    place: Place = field(default_factory=Place)

    def prompts(self, ps: PromptSet) -> list[Prompt]:
        if self.place.repeat is not None:
            return list(ps.prompt(self.place.repeat).prompts)
        return pages_of(self.section.prompts)[self.page]

    def path(self, prompt_id: str, answers: Mapping[str, Any]) -> str:
        return self.place.prefix(answers) + prompt_id

    def url(self, incident_id: object) -> str:
        base = f"/incidents/{incident_id}{self.place.url_base()}"
        p = self.place
        if p.repeat is not None:
            return f"{base}/r/{p.repeat}/{p.item}"
        return f"{base}/s/{self.section.id}/{self.page + 1}"


def section_pages(ps: PromptSet, section_id: str) -> int:
    return len(pages_of(ps.section(section_id).prompts))


def screen_at(
    ps: PromptSet,
    section_id: str | None = None,
    page: int = 1,
    child: str | None = None,
    repeat: str | None = None,
    item: str | None = None,
) -> Screen | None:
    """The screen a URL names (``page`` counts from 1), or None when there is no such screen.
    Whether the child or item exists in the answers is checked where they are read."""
    if (child is not None and not items.is_id(child)) or (
        item is not None and not items.is_id(item)
    ):
        return None
    if repeat is not None:
        if item is None or repeat not in ps.all_prompt_ids() or ps.prompt(repeat).type != "repeat":
            return None
        if (CHILDREN in ps.scope_of(repeat)) != (child is not None):
            return None
        return Screen(ps.section_of(repeat), 0, Place(child, repeat, item))
    try:
        section = ps.section(section_id or "")
    except KeyError:
        return None
    if (child is not None) != (section.repeat == CHILDREN) or section.id in CHECK_SECTIONS:
        return None
    if not 1 <= page <= section_pages(ps, section.id):
        return None
    return Screen(section, page - 1, Place(child=child))


def screen_shows(ps: PromptSet, screen: Screen, answers: Mapping[str, Any]) -> bool:
    """Does any prompt of this page show, given the saved answers? A prompt that depends on a
    prompt of the same page counts as shown (the page reveals it as the officer answers)."""
    scope = screen.place.item_scope(answers)
    prompts = screen.prompts(ps)
    on_page = {p.id for p in prompts}
    for p in prompts:
        if p.when is None or any(c.prompt in on_page for c in checks_of(p.when)):
            return True
        if engine.is_visible(p.when, scope, answers):
            return True
    return False


def child_ids(answers: Mapping[str, Any]) -> list[str]:
    """The children's ids, in the order they were added."""
    children = answers.get(CHILDREN)
    if not isinstance(children, list):
        return []
    return [c[items.ITEM_ID] for c in children if isinstance(c, Mapping) and items.ITEM_ID in c]


def flow(ps: PromptSet, answers: Mapping[str, Any]) -> list[Screen]:
    """Every screen the officer goes through, in order, for the answers so far (repeat items
    and the children's details, reached from their lists, are not in it). The per-child
    sections go child by child: all of the first child's voice and what you saw, then the
    next child's."""
    shown = [
        s
        for s in ps.sections
        if s.id not in CHECK_SECTIONS and engine.is_visible(s.when, None, answers)
    ]
    per_child = [s for s in shown if s.repeat == CHILDREN and s.id != "child"]
    screens: list[Screen] = []
    for section in shown:
        if section.repeat == CHILDREN:
            if per_child and section is per_child[0]:  # the children list stands for "child"
                for child_id in child_ids(answers):
                    for s in per_child:
                        screens += _screens_of(ps, s, Place(child=child_id), answers)
            continue
        screens += _screens_of(ps, section, Place(), answers)
    return screens


def _screens_of(
    ps: PromptSet, section: Section, place: Place, answers: Mapping[str, Any]
) -> list[Screen]:
    pages = (Screen(section, page, place) for page in range(section_pages(ps, section.id)))
    return [screen for screen in pages if screen_shows(ps, screen, answers)]


_PATH = re.compile(
    r"^(?:children\[(?P<child>\d+)\]\.)?(?:(?P<repeat>[a-z_]+\.[a-z_]+)\[(?P<item>\d+)\]\.)?(?P<pid>.+)$"
)


def _id_at(items_: object, index: str | None) -> str | None:
    if index is None or not isinstance(items_, list) or int(index) >= len(items_):
        return None
    item = items_[int(index)]
    return item.get(items.ITEM_ID) if isinstance(item, Mapping) else None


def screen_for_path(ps: PromptSet, path: str, answers: Mapping[str, Any]) -> Screen | None:
    """The screen where the answer at ``path`` is given (for "Change" and "missing" links);
    ``path`` names children and items by position in ``answers``."""
    match = _PATH.match(path)
    if match is None:
        return None
    pid = match["pid"]
    if pid == CHILDREN or pid not in ps.all_prompt_ids():
        return None
    child = _id_at(answers.get(CHILDREN), match["child"])
    if match["child"] is not None and child is None:
        return None
    if match["repeat"] is not None:
        repeat = match["repeat"]
        scope = Place(child).get(answers) if child is not None else answers
        item = _id_at(scope.get(repeat) if scope else None, match["item"])
        if item is None:
            return None
        return Screen(ps.section_of(repeat), 0, Place(child=child, repeat=repeat, item=item))
    section = ps.section_of(pid)
    if section.id in CHECK_SECTIONS:
        return check_screen(ps)
    for page, prompts in enumerate(pages_of(section.prompts)):
        if any(p.id == pid for p in prompts):
            return Screen(section, page, Place(child=child))
    return None


def walk_prompts(prompts: list[Prompt]) -> Iterator[Prompt]:
    for p in prompts:
        yield p
        if p.type is PromptType.REPEAT:
            yield from walk_prompts(p.prompts)


@dataclass(frozen=True)
class CheckScreen(Screen):
    """The officer's grade, rationale and declaration, answered on "check your answers"."""

    def prompts(self, ps: PromptSet) -> list[Prompt]:
        return [p for sid in CHECK_SECTIONS for p in ps.section(sid).prompts]

    def url(self, incident_id: object) -> str:
        return f"/incidents/{incident_id}/check"


def check_screen(ps: PromptSet) -> CheckScreen:
    return CheckScreen(ps.section(CHECK_SECTIONS[0]), 0)
