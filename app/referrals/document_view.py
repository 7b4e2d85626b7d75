"""The referral document as rows of question and answer, for its page and PDF.

Everything here reads the document (``document.build``) and the prompt set it was answered
under: the questions' and options' words come from the prompt set, the answers from the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.checklist import promptset, view
from app.checklist.promptset import Prompt, PromptSet, PromptType
from app.referrals.document_answers import (
    CHILD_SECTIONS,
    CHILDREN,
    INJURIES,
    POLICE_PROTECTION,
    TOP_SECTIONS,
    UK,
    slot,
)

WORDS = "voice.words"


@dataclass(frozen=True)
class Row:
    key: str
    value: str
    long: bool  # free text: keep its line breaks


@dataclass(frozen=True)
class Entry:
    """One item of a list (an adult, an injury): its title and rows."""

    title: str
    rows: list[Any]  # Row here, the v2 document's Row there


@dataclass
class ChildView:
    number: int
    name: str
    details: list[Row] = field(default_factory=list)
    words: str | None = None  # the child's own words, shown in quotes
    voice: list[Row] = field(default_factory=list)
    observations: list[Row] = field(default_factory=list)
    injuries: list[Entry] = field(default_factory=list)


@dataclass
class DocumentView:
    sections: dict[str, list[Row]]  # document key -> rows (incident, gate, home, ...)
    titles: dict[str, str]  # document key -> the prompt set's section title
    children: list[ChildView]
    adults: list[Entry]
    police_protection: list[Row]


def _raw(prompt: Prompt, value: Any) -> Any:
    """A document value back as the answer it came from, for ``view.display``."""
    if prompt.type is PromptType.CHOICE and isinstance(value, Mapping):
        return value.get("id")
    if prompt.type is PromptType.MULTI and isinstance(value, list):
        return [v.get("id") if isinstance(v, Mapping) else v for v in value]
    return value


def _get(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for name in path:
        if not isinstance(value, Mapping) or name not in value:
            return None
        value = value[name]
    return value


def rows(prompts: Iterable[Prompt], data: Mapping[str, Any], *, within: int = 0) -> list[Row]:
    """A row for each of ``prompts`` answered in ``data`` (lists and the child's words are
    shown separately). ``within`` drops leading slot parts (1 inside police protection)."""
    out: list[Row] = []
    for p in prompts:
        if p.type is PromptType.REPEAT or p.id == WORDS:
            continue
        value = _get(data, slot(p.id)[within:])
        if value is None:
            continue
        out.append(Row(p.label, view.display(p, _raw(p, value)), p.type is PromptType.TEXT))
    return out


def entries(
    prompt: Prompt, items: Any, title: str, rows_of: Callable[..., list[Any]] | None = None
) -> list[Any]:
    """An entry (a title and its rows) for each item of a list: an injury, an adult. ``rows_of``
    makes the rows (the v2 document's rows also say "not known")."""
    if not isinstance(items, list):
        return []
    make_rows = rows_of or rows
    label = (prompt.item_label or "").capitalize()
    return [
        Entry(
            title.format(label=label, n=n, name=item.get("name", "")),
            make_rows(prompt.prompts, item),
        )
        for n, item in enumerate(items, start=1)
        if isinstance(item, Mapping)
    ]


def present(doc: Mapping[str, Any]) -> DocumentView:
    ps: PromptSet = promptset.load_version(int(doc["prompt_set_version"]))
    sections: dict[str, list[Row]] = {}
    titles: dict[str, str] = {}
    for section in ps.sections:
        key = TOP_SECTIONS.get(section.id)
        if key is None:
            continue
        titles[key] = section.title
        prompts = [p for p in section.prompts if slot(p.id)[0] != POLICE_PROTECTION]
        sections[key] = rows(prompts, doc.get(key) or {})
    actions = doc.get("actions") or {}
    pp_prompts = [p for p in ps.section("action").prompts if slot(p.id)[0] == POLICE_PROTECTION]
    police_protection = rows(pp_prompts, actions.get(POLICE_PROTECTION) or {}, within=1)

    children: list[ChildView] = []
    for child in doc.get(CHILDREN) or []:
        details = child.get("details") or {}
        shown = ChildView(number=child["number"], name=str(details.get("name", "")))
        for section in ps.repeat_sections[CHILDREN]:
            part = CHILD_SECTIONS[section.id]
            got = rows(section.prompts, child.get(part) or {})
            setattr(shown, part, got)
        shown.words = (child.get("voice") or {}).get("words")
        shown.injuries = entries(ps.prompt("observed.injuries"), child.get(INJURIES), "{label} {n}")
        children.append(shown)
    adults = entries(
        ps.prompt("household.adults"), (doc.get("household") or {}).get("adults"), "{name}"
    )
    return DocumentView(sections, titles, children, adults, police_protection)


def when(value: str | None, fmt: str = "%-d %B %Y, %H:%M") -> str:
    """A document time (UTC, ISO 8601) as people in the UK read it."""
    if not value:
        return ""
    return datetime.fromisoformat(value).astimezone(UK).strftime(fmt)
