"""The format 2 referral document (``document_v2``) as rows of question and answer, for its page
and PDF: the summary first (read straight from ``doc["summary"]`` by the template), then each
child with their age and their own concerns, then the household and the rest.

A row is shown only for an answer given: a question that did not apply, or was not asked, has
no row. An answer of "not known" has a row marked ``not_known``, shown as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from app.checklist import promptset, view
from app.checklist.promptset import Prompt, PromptType
from app.referrals import document_layout as layout
from app.referrals import document_view
from app.referrals.document_answers import CHILDREN, POLICE_PROTECTION, slot
from app.referrals.document_view import WORDS, DocumentView, Entry, _get, _raw

NOT_KNOWN: Final = frozenset({"not_known", "unknown"})
V1_SCHEMA: Final = "referral-v1"


@dataclass(frozen=True)
class Row:
    key: str
    value: str
    long: bool  # free text: keep its line breaks
    not_known: bool = False  # asked, and the answer was "not known"


@dataclass
class ChildView:
    number: int
    name: str
    age: str | None
    details: list[Row] = field(default_factory=list)
    words: str | None = None
    voice: list[Row] = field(default_factory=list)
    observations: list[Row] = field(default_factory=list)
    injuries: list[Entry] = field(default_factory=list)
    concerns: list[Row] = field(default_factory=list)


@dataclass
class DocumentViewV2:
    sections: list[tuple[str, str, list[Row]]]  # (document key, title, rows), in order
    children: list[ChildView]
    adults: list[Entry]
    police_protection: list[Row]


def _not_known(prompt: Prompt, value: Any) -> bool:
    return (
        prompt.type is PromptType.CHOICE
        and isinstance(value, Mapping)
        and value.get("id") in NOT_KNOWN
    )


def rows(prompts: Iterable[Prompt], data: Mapping[str, Any], *, within: int = 0) -> list[Row]:
    """A row for each of ``prompts`` answered in ``data`` (lists and the child's words apart)."""
    out: list[Row] = []
    for p in prompts:
        if p.type is PromptType.REPEAT or p.id == WORDS:
            continue
        value = _get(data, slot(p.id)[within:])
        if value is None:
            continue
        shown = view.display(p, _raw(p, value))
        out.append(Row(p.label, shown, p.type is PromptType.TEXT, _not_known(p, value)))
    return out


def _entries(prompt: Prompt, items: Any, title: str) -> list[Entry]:
    return document_view.entries(prompt, items, title, rows)


def present(doc: Mapping[str, Any]) -> DocumentViewV2:
    ps = promptset.load_version(int(doc["prompt_set_version"]))
    places = list(layout.places(ps))
    sections: list[tuple[str, str, list[Row]]] = []
    police_protection: list[Row] = []
    for place in places:
        if place.per_child:
            continue
        data = doc.get(place.key) or {}
        prompts = [p for p in place.section.prompts if slot(p.id)[0] != POLICE_PROTECTION]
        sections.append((place.key, place.section.title, rows(prompts, data)))
        pp = [p for p in place.section.prompts if slot(p.id)[0] == POLICE_PROTECTION]
        if pp:
            police_protection = rows(pp, data.get(POLICE_PROTECTION) or {}, within=1)
    children: list[ChildView] = []
    for child in doc.get(CHILDREN) or []:
        details = child.get("details") or {}
        shown = ChildView(child["number"], str(details.get("name", "")), child.get("age"))
        for place in (p for p in places if p.per_child):
            setattr(shown, place.key, rows(place.section.prompts, child.get(place.key) or {}))
            for p in layout.child_lists(place.section):
                shown.injuries += _entries(p, child.get(slot(p.id)[0]), "{label} {n}")
        shown.words = (child.get("voice") or {}).get("words")
        children.append(shown)
    adults_prompt = next(
        (p for p in ps.section(layout.HOUSEHOLD).prompts if slot(p.id)[0] == layout.ADULTS), None
    )
    adults = (
        _entries(adults_prompt, (doc.get("household") or {}).get(layout.ADULTS), "{name}")
        if adults_prompt
        else []
    )
    return DocumentViewV2(sections, children, adults, police_protection)


def present_any(doc: Mapping[str, Any]) -> DocumentView | DocumentViewV2:
    """The view for the document's format (format 1: ``document_view``)."""
    if doc.get("schema") == V1_SCHEMA:
        return document_view.present(doc)
    return present(doc)
