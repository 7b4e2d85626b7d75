"""Operation Encompass, worked out by the system (prompt set v2 and later).

For a domestic abuse incident (the incident type is domestic abuse, or any child saw, heard or
felt it), each school-age child (4 to 17 on the incident date) whose school, college or nursery
is recorded (``child.school``) is listed as a notification due before the start of the next
school day: the next weekday after the incident date, or the same day when the incident was on
a weekday before 08:00 (UK time). Bank holidays and school holidays are not known here: the
date is the earliest the school could need it.

The officer is not asked what they cannot know at 3 am; the referral document and the
officer's check page show these notifications.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from app.checklist.answers import age_on, has_answer, parse_date, parse_datetime

UK: Final = ZoneInfo("Europe/London")
SCHOOL_STARTS: Final = time(8, 0)
SCHOOL_AGES: Final = range(4, 18)  # 4 to 17
FIRST_VERSION: Final = 2  # v1 asked the officer instead (action.encompass_school_told)


@dataclass(frozen=True)
class Notification:
    """One child's school to tell, and the day it must be told by (before school starts)."""

    child_id: str | None
    child_name: str
    age: int
    school: str
    due: date


def is_domestic_abuse(answers: Mapping[str, Any]) -> bool:
    if answers.get("incident.type") == "domestic_abuse":
        return True
    children = answers.get("children")
    return isinstance(children, list) and any(
        isinstance(c, Mapping)
        and isinstance(c.get("concern.categories"), list)
        and "domestic_abuse_witnessed" in c["concern.categories"]
        for c in children
    )


def next_school_day(incident: datetime) -> date:
    """The school day a notification is due before: the same day for an incident on a weekday
    before 08:00 (UK time), else the next weekday."""
    local = incident.astimezone(UK) if incident.tzinfo else incident
    day = local.date()
    if day.weekday() < 5 and local.time() < SCHOOL_STARTS:
        return day
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _age(child: Mapping[str, Any], on: date) -> int | None:
    if child.get("child.unborn") is True:
        return None
    born = parse_date(child.get("child.dob"))
    if born is not None:
        return age_on(born, on)
    estimate = child.get("child.age_estimate")
    if isinstance(estimate, int | float) and not isinstance(estimate, bool):
        return int(estimate)
    return None


def notifications(answers: Mapping[str, Any], *, version: int) -> list[Notification]:
    """The Encompass notifications due for these (pruned) answers, in the children's order;
    none before v2, when the incident is not domestic abuse, or its time is not known yet."""
    incident = parse_datetime(answers.get("incident.datetime"))
    if version < FIRST_VERSION or incident is None or not is_domestic_abuse(answers):
        return []
    on = (incident.astimezone(UK) if incident.tzinfo else incident).date()
    due = next_school_day(incident)
    children = answers.get("children")
    out: list[Notification] = []
    for child in children if isinstance(children, list) else []:
        if not isinstance(child, Mapping):
            continue
        school, age = child.get("child.school"), _age(child, on)
        if (
            age is not None
            and age in SCHOOL_AGES
            and isinstance(school, str)
            and has_answer(school)
        ):
            name = child.get("child.name")
            out.append(
                Notification(
                    child_id=child.get("id"),
                    child_name=name if isinstance(name, str) else "",
                    age=age,
                    school=school.strip(),
                    due=due,
                )
            )
    return out
