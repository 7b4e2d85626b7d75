"""Reading answers for the risk rules without trusting them.

The risk engine is total: it runs on drafts, so any key may be missing and any value may be of
the wrong type. A value of the wrong type is ignored (never coerced, never raised on).
``reference_date`` can be imported from ``app.checklist.risk`` too.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from app.checklist.answers.ages import child_age_in_words


def is_true(container: Mapping[str, Any], key: str) -> bool:
    return container.get(key) is True


def is_false(container: Mapping[str, Any], key: str) -> bool:
    return container.get(key) is False


def number(container: Mapping[str, Any], key: str) -> int | float | None:
    """A JSON number, or None. Booleans and non-finite floats are not numbers here."""
    value = container.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


def options(container: Mapping[str, Any], key: str, known: frozenset[str]) -> frozenset[str]:
    """The distinct known option ids of a multi answer (unknown or non-string items ignored)."""
    value = container.get(key)
    if not isinstance(value, list | tuple):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, str) and item in known)


def date_of(value: object) -> date | None:
    """A date from "YYYY-MM-DD" or an ISO 8601 datetime string (its date as written)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except (ValueError, TypeError, OverflowError):
        pass
    try:
        return datetime.fromisoformat(text).date()
    except (ValueError, TypeError, OverflowError):
        return None


def as_date(value: date) -> date:
    """``value`` as a plain date."""
    # A datetime is a date, but cannot be compared with one: keep only its date.
    return value.date() if isinstance(value, datetime) else value


def reference_date(answers: Mapping[str, Any], on: date | None = None) -> date:
    """The date ages are measured on: the date of ``incident.datetime`` as written, else ``on``,
    else today (UTC)."""
    incident = date_of(answers.get("incident.datetime"))
    if incident is not None:
        return incident
    if isinstance(on, date):
        return as_date(on)
    return datetime.now(UTC).date()


def each_child(answers: Mapping[str, Any]) -> Iterator[tuple[str | None, Mapping[str, Any]]]:
    """Each child's (label, answers); entries that are not dicts are skipped."""
    children = answers.get("children")
    if not isinstance(children, list | tuple):
        return
    for child in children:
        if isinstance(child, Mapping):
            yield child_label(child), child


def child_label(child: Mapping[str, Any]) -> str | None:
    """The child's name (``child.name``, stripped), or None when it is blank or not text."""
    name = child.get("child.name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    return None


def labelled_children(
    answers: Mapping[str, Any], on: date
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each child's (label with age, answers), for reasons that name their child (prompt set
    v2): "Amy (4 months)", "Unborn baby of Jo Smith (unborn)", "Amy" when the age is unknown,
    and "Child 2 (3 years)" when the name is blank (2 = the entry's place in the list)."""
    children = answers.get("children")
    if not isinstance(children, list | tuple):
        return
    for position, child in enumerate(children, start=1):
        if isinstance(child, Mapping):
            yield child_label_with_age(child, position, on), child


def child_label_with_age(child: Mapping[str, Any], position: int, on: date) -> str:
    """ "Amy (4 months)": the child's name (or "Child <position>") and age on ``on``."""
    name = child_label(child) or f"Child {position}"
    age = child_age_in_words(child, on)
    return f"{name} ({age})" if age else name
