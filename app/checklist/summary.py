"""Answers as groups of rows (question, answer, where to change it): for "check your answers"
and the referral document. Only answers given are listed; nothing unasked shows as a blank."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.checklist import answers as engine
from app.checklist import screens, view
from app.checklist.promptset import Prompt, PromptSet, PromptType


@dataclass(frozen=True)
class Row:
    key: str
    value: str
    path: str
    href: str | None
    long: bool  # free text: keep its line breaks


@dataclass
class Group:
    title: str
    section_ids: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    child_name: str | None = None


def _rows(
    ps: PromptSet,
    prompts: list[Prompt],
    scope: Mapping[str, Any],
    prefix: str,
    incident_id: object | None,
    key_prefix: str = "",
    top: Mapping[str, Any] | None = None,
) -> list[Row]:
    top = scope if top is None else top
    rows: list[Row] = []
    for p in prompts:
        value = scope.get(p.id)
        if not engine.has_answer(value):
            continue
        path = prefix + p.id
        if p.type is PromptType.REPEAT and isinstance(value, list):
            for j, item in enumerate(value):
                if isinstance(item, Mapping):
                    label = f"{(p.item_label or '').capitalize()} {j + 1}: "
                    rows += _rows(ps, p.prompts, item, f"{path}[{j}].", incident_id, label, top)
            continue
        screen = screens.screen_for_path(ps, path, top) if incident_id is not None else None
        rows.append(
            Row(
                key=key_prefix + p.label,
                value=view.display(p, value),
                path=path,
                href=screen.url(incident_id) if screen else None,
                long=p.type is PromptType.TEXT,
            )
        )
    return rows


def summarise(
    ps: PromptSet, answers: Mapping[str, Any], incident_id: object | None = None
) -> list[Group]:
    """``answers`` should be pruned already (a submitted version is)."""
    groups: list[Group] = []
    children = answers.get(screens.CHILDREN)
    child_sections = [s for s in ps.sections if s.repeat == screens.CHILDREN]
    for section in ps.sections:
        if section.repeat == screens.CHILDREN:
            if section is child_sections[0] and isinstance(children, list):
                for i, child in enumerate(children):
                    if not isinstance(child, Mapping):
                        continue
                    name = str(child.get("child.name") or "")
                    group = Group(
                        title=f"Child {i + 1}",
                        section_ids=tuple(s.id for s in child_sections),
                        child_name=name or None,
                    )
                    for s in child_sections:
                        group.rows += _rows(
                            ps, s.prompts, child, f"children[{i}].", incident_id, top=answers
                        )
                    groups.append(group)
            continue
        rows = _rows(ps, section.prompts, answers, "", incident_id)
        if rows:
            groups.append(Group(title=section.title, section_ids=(section.id,), rows=rows))
    return groups


def label_of(ps: PromptSet, answers: Mapping[str, Any], path: str) -> str:
    """A missing path as words: "Child 1 (Amy): What the child said"."""
    if path == screens.CHILDREN:
        return ps.section("child").title
    pid = engine.prompt_id_of(path)
    try:
        label = ps.prompt(pid).label
    except KeyError:
        return path
    if path.startswith("children["):
        index = int(path[len("children[") : path.index("]")])
        children = answers.get(screens.CHILDREN)
        child = children[index] if isinstance(children, list) and index < len(children) else {}
        name = child.get("child.name") if isinstance(child, Mapping) else None
        return f"Child {index + 1}{f' ({name})' if name else ''}: {label}"
    return label
