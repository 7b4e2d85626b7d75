"""A child's age worked out from the answers, in numbers and in words.

Ages are measured on a given day (the incident date): from a date of birth (``child.dob``), else
from the officer's estimate in years (``child.age_estimate``, whole or part years), and an
unborn child entry (``child.unborn`` yes) is "unborn". Used by the risk rules (which child a
reason is about) and by the referral document (ages shown, not only dates of birth).

Total like the risk engine: a value of the wrong type gives no age (None), never an error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime
from typing import Any

MONTHS_A_YEAR = 12
DAYS_A_WEEK = 7
MOST_YEARS = 150  # an estimate above this is no age at all


@dataclass(frozen=True)
class AgeParts:
    """An age in whole years and months (and days past the last whole month, for a baby under a
    month). ``estimated`` is True when it comes from an estimate in years, not a date of birth.
    """

    years: int
    months: int
    days: int = 0
    estimated: bool = False


def _as_date(value: object) -> date | None:
    """A date from a date, a datetime (its date), "YYYY-MM-DD" or an ISO 8601 datetime string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _estimate(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or not 0 <= value <= MOST_YEARS:
        return None
    return float(value)


def _month_index(day: date) -> int:
    return day.year * MONTHS_A_YEAR + day.month - 1


def _add_months(day: date, months: int) -> date | None:
    """``day`` moved on by ``months``, on the same day of the month or the month's last day;
    None past the last representable year."""
    index = _month_index(day) + months
    year, month = divmod(index, MONTHS_A_YEAR)
    if year > MAXYEAR:
        return None
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    return None  # pragma: no cover - every month has a 28th


def _parts_from_dob(dob: date, on: date) -> AgeParts | None:
    if dob > on:
        return None
    months = _month_index(on) - _month_index(dob)
    anniversary = _add_months(dob, months)
    if anniversary is None or anniversary > on:
        months -= 1
        anniversary = _add_months(dob, months)
    assert anniversary is not None  # an earlier month than one that exists
    years, rest = divmod(months, MONTHS_A_YEAR)
    return AgeParts(years=years, months=rest, days=(on - anniversary).days)


def age_parts(value: object, on: date | datetime) -> AgeParts | None:
    """The age on ``on`` of someone born on ``value`` (a date or "YYYY-MM-DD"), or with an
    estimated age of ``value`` years (a number: 2.5 is 2 years 6 months). None when ``value`` is
    neither, or is a date after ``on`` (not born yet: see ``age_in_words``)."""
    day = on.date() if isinstance(on, datetime) else on
    estimate = _estimate(value)
    if estimate is not None:
        months = math.floor(estimate * MONTHS_A_YEAR + 1e-9)
        years, rest = divmod(months, MONTHS_A_YEAR)
        return AgeParts(years=years, months=rest, estimated=True)
    dob = _as_date(value)
    return None if dob is None else _parts_from_dob(dob, day)


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def parts_in_words(parts: AgeParts) -> str:
    """ "4 months", "2 years 3 months", "1 year", "3 weeks", "5 days"; an estimate starts with
    "about" ("about 6 years"), and an estimate of under a month is "under 1 month"."""
    if parts.years == 0 and parts.months == 0:
        if parts.estimated:
            return "under 1 month"
        if parts.days >= DAYS_A_WEEK:
            return _plural(parts.days // DAYS_A_WEEK, "week")
        return _plural(parts.days, "day")
    words = " ".join(
        w
        for w in (
            _plural(parts.years, "year") if parts.years else "",
            _plural(parts.months, "month") if parts.months else "",
        )
        if w
    )
    return f"about {words}" if parts.estimated else words


def age_in_words(value: object, on: date | datetime) -> str | None:
    """The age in words on ``on`` for a date of birth or an estimate in years (see
    ``age_parts``): "4 months", "2 years 3 months", "about 6 years"; "unborn" for a date after
    ``on`` (an expected date of birth); None when ``value`` is neither a date nor a number."""
    day = on.date() if isinstance(on, datetime) else on
    if _estimate(value) is None:
        dob = _as_date(value)
        if dob is not None and dob > day:
            return "unborn"
    parts = age_parts(value, day)
    return None if parts is None else parts_in_words(parts)


def is_unborn(child: Mapping[str, Any]) -> bool:
    """The entry is for an unborn baby (``child.unborn`` yes)."""
    return child.get("child.unborn") is True


def child_age_parts(child: Mapping[str, Any], on: date | datetime) -> AgeParts | None:
    """A born child's age from ``child.dob``, else ``child.age_estimate``; None when unborn or
    unknown."""
    if is_unborn(child):
        return None
    for key in ("child.dob", "child.age_estimate"):
        parts = age_parts(child.get(key), on)
        if parts is not None:
            return parts
    return None


def child_age_in_words(child: Mapping[str, Any], on: date | datetime) -> str | None:
    """A child entry's age in words on ``on``: "unborn" for an unborn entry, else from
    ``child.dob``, else from ``child.age_estimate``; None when none of them is usable."""
    if is_unborn(child):
        return "unborn"
    for key in ("child.dob", "child.age_estimate"):
        words = age_in_words(child.get(key), on)
        if words is not None:
            return words
    return None
