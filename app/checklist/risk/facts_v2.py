"""Facts the risk rules v2 read from prompt set v2 answers: option ids, thresholds, and facts
about one child or the household.

Answer shape v2: each ``children[]`` item holds that child's ``child.*``, ``voice.*``,
``observed.*`` and ``concern.*`` answers (per-child concerns); the domestic abuse questions
``concern.da_*`` and ``concern.dash_score``, ``home.*``, ``household.*`` and ``action.*`` are at
the top level. Total, like ``facts``: a missing key or a value of the wrong type is no fact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

from app.checklist.answers.ages import child_age_parts, is_unborn
from app.checklist.risk.facts import (
    as_date,
    date_of,
    each_child,
    is_false,
    is_true,
    labelled_children,
    number,
    options,
)
from app.checklist.risk.grades import Grade, Reason

DA_INCIDENT_TYPE: Final = "domestic_abuse"
DA_WITNESSED: Final = "domestic_abuse_witnessed"
CATEGORY_OPTIONS: Final[frozenset[str]] = frozenset(
    {
        "physical",
        "emotional",
        "sexual",
        "neglect",
        DA_WITNESSED,
        "exploitation_sexual",
        "exploitation_criminal",
        "missing",
        "online_harm",
        "fgm_forced_marriage_hba",
        "radicalisation",
        "child_in_custody",
        "child_on_child",
        "child_to_parent_violence",
    }
)
# Exploitation: any one of these is high; 2 or more of the others is high.
EXPLOITATION_SERIOUS_SIGNS: Final[frozenset[str]] = frozenset(
    {"drugs_or_cash_carried", "trap_house_or_cuckooing", "weapon_carried"}
)
EXPLOITATION_OTHER_SIGNS: Final[frozenset[str]] = frozenset(
    {
        "older_partner",
        "unexplained_gifts_cash_phones",
        "missing_episodes",
        "found_far_from_home",
        "association_with_known_offenders",
        "multiple_phones",
        "unexplained_injuries",
        "hotel_or_unknown_address",
        "excluded_from_school",
        "picked_up_by_adults_in_cars",
    }
)
NEGLECT_CONDITIONS: Final[frozenset[str]] = frozenset(
    {
        "unclean",
        "no_food",
        "no_heating",
        "no_safe_sleep",
        "drugs_or_paraphernalia",
        "exposed_hazards",
        "overcrowded",
    }
)
NO_SAFE_SLEEP: Final = "no_safe_sleep"
WEAPONS: Final = "weapons"
HOME_CONDITIONS: Final[frozenset[str]] = NEGLECT_CONDITIONS | {WEAPONS, "dangerous_dogs"}
IMPAIRED_CARER: Final[frozenset[str]] = frozenset({"intoxicated", "drugs"})
SUBSTANCE_MISUSE: Final = "substance_misuse"
TOXIC_TRIO_OPTIONS: Final[frozenset[str]] = frozenset(
    {"domestic_abuse", SUBSTANCE_MISUSE, "parental_mental_health"}
)
DISCLOSURE_ABOUT_CHILD: Final = "another_child"

DA_RISK_HIGH_FROM: Final = 14  # DASH score
DA_RISK_MEDIUM_FROM: Final = 10  # DASH score 10 to 13
EXPLOITATION_OTHER_SIGNS_FROM: Final = 2
NEGLECT_HIGH_FROM: Final = 4
NEGLECT_MEDIUM_FROM: Final = 2
MISSING_EPISODES_FROM: Final = 3
TOXIC_TRIO_FROM: Final = 2
PREVIOUS_INCIDENTS_FROM: Final = 3
CUSTODY_HOURS_OVER: Final = 24

ChildTest = Callable[[Mapping[str, Any], date], bool]


# --- one child -------------------------------------------------------------------------------


def is_under_one(child: Mapping[str, Any], on: date) -> bool:
    """A born child under 1 year old on ``on`` (by ``child.dob``, else ``child.age_estimate``).
    A date of birth after ``on`` on an entry not marked unborn (a slip) counts as under one: the
    rules only ever raise the grade, and a person reviews it."""
    if is_unborn(child):
        return False
    dob = date_of(child.get("child.dob"))
    if dob is not None and dob > as_date(on):
        return True
    parts = child_age_parts(child, as_date(on))
    return parts is not None and parts.years < 1


def is_not_mobile(child: Mapping[str, Any]) -> bool:
    """Not independently mobile: ``child.mobile`` is no (cannot crawl, shuffle, pull to stand or
    walk on their own); never for an unborn entry."""
    return is_false(child, "child.mobile") and not is_unborn(child)


def is_baby(child: Mapping[str, Any], on: date) -> bool:
    """Under 1, or not independently mobile."""
    return is_under_one(child, on) or is_not_mobile(child)


def injury_seen(child: Mapping[str, Any]) -> bool:
    """``observed.injury`` is yes, or at least one injury is listed."""
    if is_true(child, "observed.injury"):
        return True
    injuries = child.get("observed.injuries")
    return isinstance(injuries, list | tuple) and any(isinstance(i, Mapping) for i in injuries)


def injury_seen_or_reported(child: Mapping[str, Any]) -> bool:
    """An injury seen by the officer, or reported by someone else (``child.injury_reported``)."""
    return injury_seen(child) or is_true(child, "child.injury_reported")


def is_baby_injured(child: Mapping[str, Any], on: date) -> bool:
    return is_baby(child, on) and injury_seen_or_reported(child)


def is_baby_not_seen(child: Mapping[str, Any], on: date) -> bool:
    return is_baby(child, on) and is_false(child, "child.seen")


def categories(child: Mapping[str, Any]) -> frozenset[str]:
    """The child's concern categories (``concern.categories``, known option ids only)."""
    return options(child, "concern.categories", CATEGORY_OPTIONS)


def exploitation_signs(child: Mapping[str, Any], known: frozenset[str]) -> frozenset[str]:
    return options(child, "concern.exploitation_indicators", known)


def missing_often(child: Mapping[str, Any]) -> bool:
    """3 or more missing episodes in the last 90 days."""
    episodes = number(child, "concern.missing_episodes_90d")
    return episodes is not None and episodes >= MISSING_EPISODES_FROM


def missing_found_at_risk(child: Mapping[str, Any]) -> bool:
    """Missing 3+ times in 90 days and found out of area or with adults unknown to the family."""
    return missing_often(child) and (
        is_true(child, "concern.missing_out_of_area")
        or is_true(child, "concern.missing_found_with_adults")
    )


# --- the household ---------------------------------------------------------------------------


def is_da_incident(answers: Mapping[str, Any]) -> bool:
    """A domestic abuse incident: ``incident.type`` is domestic_abuse, or any child has the
    category domestic_abuse_witnessed."""
    if answers.get("incident.type") == DA_INCIDENT_TYPE:
        return True
    return any(DA_WITNESSED in categories(c) for _, c in each_child(answers))


def home_conditions(answers: Mapping[str, Any]) -> frozenset[str]:
    return options(answers, "home.conditions", HOME_CONDITIONS)


def neglect_count(answers: Mapping[str, Any]) -> int:
    return len(home_conditions(answers) & NEGLECT_CONDITIONS)


def carer_impaired(answers: Mapping[str, Any]) -> bool:
    """A carer is intoxicated or using drugs: ``home.carer_incapacity`` is intoxicated or drugs,
    or ``household.toxic_trio`` has substance_misuse. An incapacity that is not text (a list or
    an object in a draft) is no answer: it is never looked up, so it cannot raise."""
    incapacity = answers.get("home.carer_incapacity")
    return (isinstance(incapacity, str) and incapacity in IMPAIRED_CARER) or (
        SUBSTANCE_MISUSE in options(answers, "household.toxic_trio", TOXIC_TRIO_OPTIONS)
    )


def unsafe_sleep_impaired_carer(
    answers: Mapping[str, Any], child: Mapping[str, Any], on: date
) -> bool:
    return (
        NO_SAFE_SLEEP in home_conditions(answers)
        and is_under_one(child, on)
        and carer_impaired(answers)
    )


def dash_score(answers: Mapping[str, Any]) -> int | float | None:
    return number(answers, "concern.dash_score")


# --- making reasons --------------------------------------------------------------------------


def per_child(
    answers: Mapping[str, Any], on: date, code: str, grade: Grade, test: ChildTest
) -> list[Reason]:
    """A reason for each child that passes ``test``, naming the child with their age."""
    return [
        Reason(code, grade, label) for label, c in labelled_children(answers, on) if test(c, on)
    ]


def household(condition: bool, code: str, grade: Grade) -> list[Reason]:
    """One household reason (no child) when ``condition`` holds."""
    return [Reason(code, grade)] if condition else []
