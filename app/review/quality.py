"""The supervisor's quality check: the criteria (one list, shared with the coaches' audit) and
the first marks worked out from the answers of the version under review.

The criteria's ids live here; their words live in ``templates/review/_quality.html`` (one
macro file). Each criterion is marked ``yes``, ``no`` or ``not_applicable``. The prefill is a
starting point from what the officer recorded: the supervisor reads the referral and changes any
mark before deciding. It reads both answer shapes: v1 (concerns for the household) and v2
(``concern.categories`` inside each child, domestic abuse questions at the top level).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, Literal

Mark = Literal["yes", "no", "not_applicable"]
MARKS: Final[tuple[Mark, ...]] = ("yes", "no", "not_applicable")

CRITERIA: Final[tuple[str, ...]] = (
    "child_seen",
    "spoken_alone",
    "words_recorded",
    "demeanour_recorded",
    "immediate_safety",
    "s46_considered",
    "crime_recorded",
    "da_risk_tool",
    "encompass",
)

# v1's "what else have you done" options that make a child safe tonight.
SAFETY_ACTIONS: Final = frozenset(
    {"alternative_carer", "medical_attention", "arrest", "social_care_called_now"}
)


class QualityInvalid(ValueError):
    """A quality check with a criterion missing, unknown, or marked with an unknown value."""


def validate(marks: Mapping[str, str]) -> dict[str, Mark]:
    """Every criterion marked once with a known mark, in criteria order; raises QualityInvalid
    naming the first criterion that is missing or wrong."""
    unknown = set(marks) - set(CRITERIA)
    if unknown:
        raise QualityInvalid(sorted(unknown)[0])
    checked: dict[str, Mark] = {}
    for criterion in CRITERIA:
        mark = marks.get(criterion)
        if mark not in MARKS:
            raise QualityInvalid(criterion)
        checked[criterion] = mark
    return checked


def _given(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != []


def _children(answers: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = answers.get("children")
    return [c for c in items if isinstance(c, Mapping)] if isinstance(items, list) else []


def _born(answers: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Children who have been born (an unborn child is recorded with an expected date)."""
    return (c for c in _children(answers) if c.get("child.unborn") is not True)


def _categories(answers: Mapping[str, Any]) -> set[str]:
    """Concern categories of the household (v1) and of every child (v2)."""
    found: set[str] = set()
    for scope in (answers, *_children(answers)):
        value = scope.get("concern.categories")
        if isinstance(value, list):
            found |= {v for v in value if isinstance(v, str)}
    return found


def _all_or_none(checks: list[bool]) -> Mark:
    """``yes`` when every check holds, ``no`` when one fails, ``not_applicable`` with none."""
    if not checks:
        return "not_applicable"
    return "yes" if all(checks) else "no"


def is_domestic_abuse(answers: Mapping[str, Any]) -> bool:
    """A domestic abuse incident: its type, or a child who saw or heard domestic abuse."""
    return answers.get(
        "incident.type"
    ) == "domestic_abuse" or "domestic_abuse_witnessed" in _categories(answers)


def child_seen(version: int, answers: Mapping[str, Any]) -> Mark:
    """``yes`` when every child born was seen (``child.seen``), ``no`` when one was not (the
    supervisor reads the reason), ``not_applicable`` when there is no child born."""
    return _all_or_none([c.get("child.seen") is True for c in _born(answers)])


def spoken_alone(version: int, answers: Mapping[str, Any]) -> Mark:
    """Each child born was spoken to away from the adults (``child.spoken_alone``), or was not
    spoken to with the reason recorded (``child.not_spoken_reason``). A child spoken to only
    with adults there is ``no``: the supervisor judges whether that was right."""

    def ok(c: Mapping[str, Any]) -> bool:
        if c.get("child.spoken_to") is True:
            return c.get("child.spoken_alone") is True
        return _given(c.get("child.not_spoken_reason"))

    return _all_or_none([ok(c) for c in _born(answers)])


def words_recorded(version: int, answers: Mapping[str, Any]) -> Mark:
    """Every child spoken to has their words recorded (``voice.words``); ``not_applicable``
    when no child was spoken to."""
    spoken = [c for c in _born(answers) if c.get("child.spoken_to") is True]
    return _all_or_none([_given(c.get("voice.words")) for c in spoken])


def demeanour_recorded(version: int, answers: Mapping[str, Any]) -> Mark:
    """Every child seen has their behaviour recorded (``observed.demeanour``);
    ``not_applicable`` when no child was seen."""
    seen = [c for c in _born(answers) if c.get("child.seen") is True]
    return _all_or_none([_given(c.get("observed.demeanour")) for c in seen])


def immediate_safety(version: int, answers: Mapping[str, Any]) -> Mark:
    """v2: every child born has where they sleep tonight, and with whom, recorded
    (``child.tonight_where``). v1 (which has no such question): police protection was used, an
    action that makes a child safe was taken (``action.taken``: another carer, medical
    attention, arrest, social care called now), or the carer at home is capable
    (``home.carer_capable``)."""
    if version >= 2:
        return _all_or_none([_given(c.get("child.tonight_where")) for c in _born(answers)])
    taken = answers.get("action.taken")
    acted = isinstance(taken, list) and bool(SAFETY_ACTIONS & set(taken))
    safe = (
        answers.get("action.police_protection") is True
        or acted
        or answers.get("home.carer_capable") is True
    )
    return "yes" if safe else "no"


def s46_considered(version: int, answers: Mapping[str, Any]) -> Mark:
    """Police protection (Children Act 1989 s46) was considered: ``action.police_protection``
    answered; when it was used, the reason for it (``action.pp_reason``) is recorded too.
    ``not_applicable`` when no child is recorded."""
    if not _children(answers):
        return "not_applicable"
    used = answers.get("action.police_protection")
    if used is False:
        return "yes"
    return "yes" if used is True and _given(answers.get("action.pp_reason")) else "no"


def crime_recorded(version: int, answers: Mapping[str, Any]) -> Mark:
    """After a child's disclosure (``voice.disclosure``): v2, a crime reference is recorded
    (``incident.crime_ref``); v1 has no crime reference, so the incident's type being a crime
    (``incident.type`` = crime) is the only sign. ``not_applicable`` without a disclosure."""
    if not any(c.get("voice.disclosure") is True for c in _children(answers)):
        return "not_applicable"
    if version >= 2:
        return "yes" if _given(answers.get("incident.crime_ref")) else "no"
    return "yes" if answers.get("incident.type") == "crime" else "no"


def da_risk_tool(version: int, answers: Mapping[str, Any]) -> Mark:
    """For a domestic abuse incident: v2, a risk tool was used (``concern.da_risk_tool`` is dash
    or dara, not not_done); v1, a DASH was completed (``concern.dash_completed``, or
    dash_completed among ``action.taken``). ``not_applicable`` for other incidents."""
    if not is_domestic_abuse(answers):
        return "not_applicable"
    if version >= 2:
        return "yes" if answers.get("concern.da_risk_tool") in ("dash", "dara") else "no"
    taken = answers.get("action.taken")
    done = answers.get("concern.dash_completed") is True or (
        isinstance(taken, list) and "dash_completed" in taken
    )
    return "yes" if done else "no"


def encompass(version: int, answers: Mapping[str, Any]) -> Mark:
    """Operation Encompass, for a domestic abuse incident (``not_applicable`` otherwise).
    v2: the officer is not asked; the system lists in the referral an Encompass notification
    for each school-age child (4 to 17) with a school, so it is ``yes`` whether notifications
    are due (they are listed) or none are. v1: ``yes`` when the school was told
    (``action.encompass_school_told``, or school_notified_encompass among ``action.taken``);
    ``no`` when it was not, or when nothing is recorded and a child has a school
    (``child.school``); ``not_applicable`` when nothing is recorded and no child has a school."""
    if not is_domestic_abuse(answers):
        return "not_applicable"
    if version >= 2:
        return "yes"
    taken = answers.get("action.taken")
    told = answers.get("action.encompass_school_told")
    if told is True or (isinstance(taken, list) and "school_notified_encompass" in taken):
        return "yes"
    if told is False or any(_given(c.get("child.school")) for c in _children(answers)):
        return "no"
    return "not_applicable"


PREFILL: Final[dict[str, Callable[[int, Mapping[str, Any]], Mark]]] = {
    "child_seen": child_seen,
    "spoken_alone": spoken_alone,
    "words_recorded": words_recorded,
    "demeanour_recorded": demeanour_recorded,
    "immediate_safety": immediate_safety,
    "s46_considered": s46_considered,
    "crime_recorded": crime_recorded,
    "da_risk_tool": da_risk_tool,
    "encompass": encompass,
}


def prefill(prompt_set_version: int, answers: Mapping[str, Any]) -> dict[str, Mark]:
    """The first mark for every criterion (in criteria order), from the frozen answers of the
    version under review, answered under prompt set ``prompt_set_version``."""
    return {c: PREFILL[c](prompt_set_version, answers) for c in CRITERIA}
