"""Children's ages for the referral document, worked out on the day of the incident, and the
Operation Encompass notifications due.

Local to the document: ``age_words`` and ``encompass_due`` read the document's own data (a
child's ``details``), so they work for any prompt-set version that keeps v1's child ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from app.checklist.answers import parse_date
from app.referrals.document_answers import UK

SCHOOL_AGES: Final = range(4, 18)  # school age for Operation Encompass: 4 to 17
DOMESTIC_ABUSE: Final = "domestic_abuse"
DA_WITNESSED: Final = "domestic_abuse_witnessed"


def age_on(born: date, on: date) -> tuple[int, int]:
    """Whole years and months from ``born`` to ``on`` (0, 0 before birth)."""
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    return divmod(max(months, 0), 12)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _words(years: int, months: int) -> str:
    if years == 0:
        return _plural(months, "month") if months else "under 1 month"
    if months == 0:
        return _plural(years, "year")
    return f"{_plural(years, 'year')} {_plural(months, 'month')}"


def day_of(doc: Mapping[str, Any]) -> date:
    """The day ages are worked out on: the incident's (UK time), else the submission's."""
    when = (doc.get("incident") or {}).get("datetime") or doc["submitted_at"]
    return datetime.fromisoformat(str(when)).astimezone(UK).date()


def age(details: Mapping[str, Any], on: date) -> tuple[int, int] | None:
    """A born child's age in years and months: from the date of birth, else the estimate."""
    if details.get("unborn") is True:
        return None
    born = parse_date(details.get("dob"))
    if born is not None:
        return age_on(born, on)
    estimate = details.get("age_estimate")
    if isinstance(estimate, int | float) and not isinstance(estimate, bool):
        return divmod(round(estimate * 12), 12)
    return None


def age_words(details: Mapping[str, Any], on: date) -> str | None:
    """ "4 months", "3 years 2 months"; "about 2 years" from an estimate; None when unborn or
    unknown."""
    got = age(details, on)
    if got is None:
        return None
    words = _words(*got)
    return words if parse_date(details.get("dob")) else f"about {words}"


def is_domestic_abuse(doc: Mapping[str, Any]) -> bool:
    """The incident is domestic abuse, or any child saw, heard or lived with it."""
    kind = (doc.get("incident") or {}).get("type") or {}
    if kind.get("id") == DOMESTIC_ABUSE:
        return True
    return any(
        c.get("id") == DA_WITNESSED
        for child in doc.get("children") or []
        for c in (child.get("concerns") or {}).get("categories") or []
    )


def encompass_due(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Operation Encompass: for a domestic abuse incident, each school-age child (4 to 17) with
    a school named, whose school is to be told before the next school day."""
    if not is_domestic_abuse(doc):
        return []
    on = day_of(doc)
    due: list[dict[str, Any]] = []
    for child in doc.get("children") or []:
        details = child.get("details") or {}
        years = age(details, on)
        school = details.get("school")
        if years is None or years[0] not in SCHOOL_AGES or not school:
            continue
        entry: dict[str, Any] = {"id": child["id"]} if "id" in child else {}
        entry.update({"name": details.get("name", ""), "school": school})
        words = age_words(details, on)
        if words:
            entry["age"] = words
        due.append(entry)
    return due
