"""What a screen's template needs: each prompt with its field state, conditions and context."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.checklist import answers as engine
from app.checklist import forms, screens
from app.checklist.answers import items
from app.checklist.promptset import Prompt, PromptSet, PromptType, checks_of


@dataclass(frozen=True)
class FieldView:
    prompt: Prompt
    id: str  # the field's HTML id
    error: str
    client_when: str  # JSON condition the page evaluates as the officer answers ("" if none)
    context: str  # JSON of saved answers the condition names that are not on this page
    shown: bool  # shown at first (by the saved answers)
    items: list[Mapping[str, Any]]  # a repeat's items


def _context(
    names: set[str], scope: Mapping[str, Any] | None, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """The saved answers a condition names that are not on the page, shaped as the page's
    ``lookupIn`` (static/js/checklist.mjs) reads them: in a repeat item, each value; at the top
    level, top-level values and, for per-child prompts, each child's answers."""
    if scope is not None:
        return {n: scope[n] if n in scope else answers.get(n) for n in sorted(names)}
    context = {n: answers[n] for n in sorted(names) if n in answers}
    per_child = names - set(context)
    children = answers.get(screens.CHILDREN)
    if per_child and isinstance(children, list):
        context[screens.CHILDREN] = [
            {n: c[n] for n in sorted(per_child) if n in c}
            for c in children
            if isinstance(c, Mapping)
        ]
    return context


def fields_for(
    ps: PromptSet,
    screen: screens.Screen,
    answers: Mapping[str, Any],
    errors: Mapping[str, str],
) -> list[FieldView]:
    """The prompts to draw: those shown by the saved answers, and those that depend on a prompt
    of this page (drawn with their condition, so the page shows them as soon as it holds)."""
    scope = screen.place.item_scope(answers)
    prompts = screen.prompts(ps)
    on_page = {p.id for p in prompts}
    out: list[FieldView] = []
    for p in prompts:
        client_when = ""
        context = ""
        shown = engine.is_visible(p.when, scope, answers)
        if p.when is not None:
            names = {c.prompt for c in checks_of(p.when)}
            if names & on_page:
                client_when = json.dumps(p.when.model_dump(by_alias=True, exclude_none=True))
                context = json.dumps(_context(names - on_page, scope, answers))
            elif not shown:
                continue
        items = []
        if p.type is PromptType.REPEAT:
            value = scope.get(p.id) if scope is not None else answers.get(p.id)
            items = [i for i in value if isinstance(i, Mapping)] if isinstance(value, list) else []
        out.append(
            FieldView(
                prompt=p,
                id=forms.field_id(p.id),
                error=errors.get(p.id, ""),
                client_when=client_when,
                context=context,
                shown=shown,
                items=items,
            )
        )
    return out


def display(p: Prompt, value: Any) -> str:
    """An answer as words, for check-your-answers and the referral."""
    if value is None:
        return ""
    t = p.type
    labels = {o.id: o.label for o in p.options}
    if t is PromptType.YESNO:
        return {True: "Yes", False: "No"}.get(value, str(value))
    if t is PromptType.CHOICE:
        return labels.get(value, str(value))
    if t is PromptType.MULTI and isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value)
    if t is PromptType.DATE:
        day = engine.parse_date(value)
        return day.strftime("%-d %B %Y") if day else str(value)
    if t is PromptType.DATETIME:
        when = engine.parse_datetime(value)
        if when is None:
            return str(value)
        local = when.astimezone(forms.UK) if when.tzinfo else when
        return local.strftime("%-d %B %Y, %H:%M")
    return str(value)


@dataclass(frozen=True)
class PlaceView:
    """Who a screen is about, for its heading: "Amy Smith" or "Child 2"; "Injury 1"."""

    child_name: str
    item_title: str
    url: str  # the base of the place's item URLs: /incidents/<id>/c/<child id>


def place_view(ps: PromptSet, place: screens.Place, answers: Mapping[str, Any]) -> PlaceView:
    child_name = item_title = ""
    if place.child is not None:
        children = answers.get(screens.CHILDREN)
        index = items.index_of(children, place.child)
        child = children[index] if index is not None and isinstance(children, list) else {}
        child_name = str(child.get("child.name") or "") or (
            f"Child {index + 1}" if index is not None else "Child"
        )
    if place.repeat is not None:
        scope = screens.Place(place.child).get(answers) if place.child else answers
        index = items.index_of((scope or {}).get(place.repeat), place.item or "")
        label = ps.prompt(place.repeat).item_label or ""
        item_title = f"{label.capitalize()} {index + 1 if index is not None else ''}".strip()
    return PlaceView(child_name=child_name, item_title=item_title, url=place.url_base())


@dataclass(frozen=True)
class ConflictRow:
    prompt: Prompt
    typed: str
    stored: str
    same: bool


def conflict_rows(
    ps: PromptSet,
    prompts: list[Prompt],
    typed: Mapping[str, Any],
    stored: Mapping[str, Any],
) -> list[ConflictRow]:
    """Each question on the screen with what the officer typed and what is stored now."""
    return [
        ConflictRow(
            prompt=p,
            typed=display(p, typed.get(p.id)),
            stored=display(p, stored.get(p.id)),
            same=typed.get(p.id) == stored.get(p.id),
        )
        for p in prompts
        if p.id in typed or p.id in stored
    ]
