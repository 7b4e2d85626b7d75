"""Reading a screen's form into answer values, and back: what each field is called and holds.

Field names are prompt ids (``child.dob``); a date adds ``-day``, ``-month``, ``-year`` and a
date and time adds ``-time``. Whatever the officer typed is kept in ``raw`` so that a page with
an error shows it again exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from app.checklist import answers as engine
from app.checklist.promptset import Prompt, PromptSet, PromptType

UK = ZoneInfo("Europe/London")
PRESENT = "_present"  # lists the prompts on the form, so an untouched checkbox group reads as []
_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def field_id(prompt_id: str) -> str:
    """An HTML id for a prompt's field: ``f-child-dob`` (dots make awkward CSS selectors)."""
    return "f-" + prompt_id.replace(".", "-")


def first_input_id(p: Prompt) -> str:
    """Where an error summary link should take focus."""
    if p.type in (PromptType.DATE, PromptType.DATETIME):
        return field_id(p.id) + "-day"
    return field_id(p.id)


@dataclass
class Parsed:
    values: dict[str, Any] = field(default_factory=dict)  # prompt id -> value (None: no answer)
    raw: dict[str, Any] = field(default_factory=dict)  # field name -> what was typed
    errors: dict[str, str] = field(default_factory=dict)  # prompt id -> message


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _date_parts(form: FormData, name: str, parsed: Parsed) -> tuple[str, str, str]:
    parts = tuple(_text(form, f"{name}-{k}").strip() for k in ("day", "month", "year"))
    for k, v in zip(("day", "month", "year"), parts, strict=True):
        parsed.raw[f"{name}-{k}"] = v
    return parts  # type: ignore[return-value]


def _to_date(day: str, month: str, year: str) -> date | None:
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _read(ps: PromptSet, p: Prompt, form: FormData, parsed: Parsed) -> None:
    name = p.id
    t = p.type
    if t is PromptType.YESNO:
        raw = _text(form, name)
        parsed.raw[name] = raw
        parsed.values[name] = {"yes": True, "no": False}.get(raw)
    elif t is PromptType.CHOICE:
        raw = _text(form, name)
        parsed.raw[name] = raw
        parsed.values[name] = raw or None
    elif t is PromptType.MULTI:
        chosen = [v for v in form.getlist(name) if isinstance(v, str)]
        parsed.raw[name] = chosen
        parsed.values[name] = chosen or None
    elif t in (PromptType.TEXT, PromptType.SHORT):
        raw = _text(form, name).replace("\r\n", "\n")
        parsed.raw[name] = raw
        # Spaces around the answer are not part of it (a pasted log number, say); the line
        # breaks inside free text are.
        parsed.values[name] = raw.strip() or None
    elif t is PromptType.NUMBER:
        raw = _text(form, name).strip()
        parsed.raw[name] = raw
        if not raw:
            parsed.values[name] = None
        elif _NUMBER.match(raw):
            number = float(raw)
            parsed.values[name] = int(number) if number.is_integer() else number
        else:
            parsed.errors[name] = ps.message("number", p)
    elif t is PromptType.DATE:
        parts = _date_parts(form, name, parsed)
        if not any(parts):
            parsed.values[name] = None
        elif (day := _to_date(*parts)) is None:
            parsed.errors[name] = ps.message("date", p)
        else:
            parsed.values[name] = day.isoformat()
    elif t is PromptType.DATETIME:
        parts = _date_parts(form, name, parsed)
        time_raw = _text(form, f"{name}-time").strip()
        parsed.raw[f"{name}-time"] = time_raw
        match = _TIME.match(time_raw)
        if not any(parts) and not time_raw:
            parsed.values[name] = None
        elif (day := _to_date(*parts)) is None or match is None:
            parsed.errors[name] = ps.message("datetime", p)
        else:
            hour, minute = int(match[1]), int(match[2])
            if hour > 23 or minute > 59:
                parsed.errors[name] = ps.message("datetime", p)
            else:
                local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UK)
                parsed.values[name] = local.isoformat()


def parse(ps: PromptSet, prompts: list[Prompt], form: FormData) -> Parsed:
    """The values of the prompts that were on the form (repeat prompts are edited elsewhere)."""
    on_form = set(form.getlist(PRESENT))
    parsed = Parsed()
    for p in prompts:
        if p.type not in (PromptType.REPEAT, PromptType.GUIDANCE) and p.id in on_form:
            _read(ps, p, form, parsed)
    return parsed


def raw_of(p: Prompt, value: Any) -> dict[str, Any]:
    """What a field shows for a saved value (the inverse of parsing)."""
    name = p.id
    t = p.type
    if t is PromptType.YESNO:
        return {name: {True: "yes", False: "no"}.get(value, "")}
    if t is PromptType.MULTI:
        return {name: list(value) if isinstance(value, list) else []}
    if t is PromptType.DATE:
        day = engine.parse_date(value)
        if day is None:
            return {}
        return {
            f"{name}-day": str(day.day),
            f"{name}-month": str(day.month),
            f"{name}-year": str(day.year),
        }
    if t is PromptType.DATETIME:
        when = engine.parse_datetime(value)
        if when is None:
            return {}
        local = when.astimezone(UK) if when.tzinfo else when
        return {
            f"{name}-day": str(local.day),
            f"{name}-month": str(local.month),
            f"{name}-year": str(local.year),
            f"{name}-time": local.strftime("%H:%M"),
        }
    if value is None:
        return {}
    return {name: str(value) if not isinstance(value, str) else value}


def raw_for(prompts: list[Prompt], scope: dict[str, Any] | None) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for p in prompts:
        if scope is not None and p.id in scope:
            raw.update(raw_of(p, scope[p.id]))
    return raw


# Fields a form carries that are not answers: not sent again from the conflict page.
_CONTROL = frozenset({"csrf_token", "revision", "base", "autosave", "action", "resolve"})


def resend(form: FormData) -> list[tuple[str, str]]:
    """What the officer typed, as (name, value) pairs for hidden fields that send it again."""
    return [(k, v) for k, v in form.multi_items() if k not in _CONTROL and isinstance(v, str)]
