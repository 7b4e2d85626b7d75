"""A checklist field drawn from its cached shape is exactly the GOV.UK macros' own markup, for
every prompt of every published prompt set, in every state a screen draws it in."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from markupsafe import Markup

from app.checklist import field_markup, forms
from app.checklist.promptset import PUBLISHED_VERSIONS, Prompt, PromptType, load_version
from app.checklist.view import FieldView
from app.templating import templates

# Texts that escaping, bidi stripping, whitespace and markers would each show up in.
TEXTS = [
    'Amy O\'Brien & <b>"family"</b>',
    "  two\nlines  ",
    "  padded  ",
    "carriage\rreturn and\u2028line separator",
    "Ri\u202eght to left",
    "\ue000v0\ue001 looks like a marker",
    "0",
]
CONTEXT = '{"gate.children_present": true, "name": "<Amy & Co>"}'


def _macro(f: FieldView, raw: dict[str, Any], single: bool, locked: bool) -> Markup:
    field = templates.env.get_template("checklist/_field.html").module.field  # type: ignore[attr-defined]
    out: Markup = field(f, raw, "/incidents/x", single, locked=locked)
    return out


def _prompts() -> Iterator[Prompt]:
    for version in PUBLISHED_VERSIONS:
        ps = load_version(version)
        for pid in sorted(ps.all_prompt_ids()):
            yield ps.prompt(pid)


def _raws(p: Prompt) -> Iterator[dict[str, Any]]:
    """Every kind of value the field shows: none, each option (or combination), and text."""
    yield {}
    if p.type is PromptType.YESNO:
        yield from ({p.id: v} for v in ("yes", "no", "maybe", ""))
    elif p.type is PromptType.CHOICE:
        yield from ({p.id: o.id} for o in p.options)
        yield {p.id: "not-an-option"}
    elif p.type is PromptType.MULTI:
        ids = [o.id for o in p.options]
        pairs = itertools.islice(itertools.combinations(ids, min(2, len(ids))), 3)
        yield from ({p.id: list(c)} for c in pairs)
        yield {p.id: ids}
        yield {p.id: ids[0]}  # a single value, not a list
    elif p.type in (PromptType.SHORT, PromptType.NUMBER, PromptType.TEXT):
        yield from ({p.id: t} for t in [*TEXTS, ""])
    elif p.type in (PromptType.DATE, PromptType.DATETIME):
        parts = ["day", "month", "year", "time"]
        yield {f"{p.id}-{part}": t for part, t in zip(parts, TEXTS, strict=False)}
        yield {f"{p.id}-day": "3", f"{p.id}-month": "", f"{p.id}-year": "2026"}
        yield {f"{p.id}-{part}": "12" for part in parts}


def _views(p: Prompt) -> Iterator[FieldView]:
    base = FieldView(
        prompt=p,
        id=forms.field_id(p.id),
        error="",
        client_when="",
        context="",
        shown=True,
        items=[],
    )
    yield base
    yield dataclasses.replace(base, error=TEXTS[0])
    yield dataclasses.replace(base, error=TEXTS[1], client_when='{"prompt": "x"}', context=CONTEXT)
    yield dataclasses.replace(base, client_when='{"prompt": "x"}', context=CONTEXT, shown=False)


def _same(f: FieldView, raw: dict[str, Any], single: bool = False, locked: bool = False) -> None:
    expected = _macro(f, raw, single, locked)
    # Twice: the first may draw the shape with the macro, the second is drawn from the shape.
    for _ in range(2):
        got = field_markup.render(f, raw, "/incidents/x", single, locked=locked)
        assert got == expected, (f, raw, single, locked)


def _one_of_each_type() -> list[Prompt]:
    return list({p.type: p for p in _prompts()}.values())


@pytest.mark.parametrize("p", _one_of_each_type(), ids=lambda p: p.id)
def test_each_prompt_type_in_every_state_draws_as_the_govuk_macros_do(p: Prompt) -> None:
    field_markup._shapes.clear()
    for f, raw, single, locked in itertools.product(
        _views(p), _raws(p), (False, True), (False, True)
    ):
        _same(f, raw, single, locked)


def test_every_prompt_draws_as_the_govuk_macros_do() -> None:
    """Each prompt's own words (label, hint, guidance, options), answered and not, with an
    error and a condition."""
    for p in _prompts():
        views, raws = list(_views(p)), list(_raws(p))
        _same(views[0], raws[-1])
        _same(views[2], raws[1 % len(raws)], single=True)


def test_every_prompt_type_is_covered() -> None:
    assert {p.type for p in _prompts()} == set(PromptType)


def test_the_cache_holds_shapes_not_what_was_typed() -> None:
    p = next(p for p in _prompts() if p.type is PromptType.SHORT)
    f = FieldView(
        prompt=p,
        id=forms.field_id(p.id),
        error="Enter a name",
        client_when="",
        context="",
        shown=True,
        items=[],
    )
    first = field_markup.render(f, {p.id: "Amy Smith"}, "")
    second = field_markup.render(f, {p.id: "Ben Jones"}, "")
    assert "Amy Smith" in first and "Ben Jones" in second and "Amy Smith" not in second
    cached = "".join("".join(pieces) for _p, pieces, _i in field_markup._shapes.values())
    assert "Amy Smith" not in cached and "Ben Jones" not in cached
    assert "Enter a name" not in cached
