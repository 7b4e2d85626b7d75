"""Answer values: whether there is an answer at all, reading dates and datetimes, and checking
each answer's type and range against its prompt (``validate_values``).

Values are checked wherever they are, visible or not: call ``prune_hidden`` (in
``app.checklist.answers``) first and pass its result. The public names here can be imported
from ``app.checklist.answers`` too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.checklist.promptset import Prompt, PromptSet, PromptType

Answers = Mapping[str, Any]

ADULT_AGE: Final = 18
# Named rules on particular prompts (their wording is in the prompt set's messages).
BIRTH_DATES: Final = frozenset({"child.dob", "adult.dob"})  # not in the future
INCIDENT_TIME: Final = "incident.datetime"  # not on a day after today (a mistyped year)
CHILD_DOB: Final = "child.dob"  # under 18 on the incident date
CHILD_AGE: Final = "child.age_estimate"  # under 18

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?"
)


def has_answer(value: object) -> bool:
    """False for no answer: None, blank text or an empty list. ``False`` and ``0`` are answers."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return bool(value)
    return True


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
    elif t is PromptType.DATETIME and (when := parse_datetime(value)) is None:
        ctx.fail(path, "datetime", p)
    elif t is PromptType.DATETIME and p.id == INCIDENT_TIME and when and when.date() > ctx.today:
        ctx.fail(path, "date_in_future", p)
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
