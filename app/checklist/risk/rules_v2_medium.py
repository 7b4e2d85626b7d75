"""Risk rules v2, medium: one function per medium trigger of "Risk rules v2"
(think-child-v2.md) and every v1 medium rule v2 keeps, each naming its source in brackets.
``rules_v2.RULES`` lists them in order, after the high rules.

A medium rule stays silent for a child when a high rule already covers the same fact for that
child (a baby not seen, a baby's injury, no safe sleep with an impaired carer, missing and found
at risk), so the reasons do not say the same thing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.checklist.answers.ages import is_unborn
from app.checklist.risk.facts import is_false, is_true, number, options
from app.checklist.risk.facts_v2 import (
    CUSTODY_HOURS_OVER,
    DA_RISK_HIGH_FROM,
    DA_RISK_MEDIUM_FROM,
    DISCLOSURE_ABOUT_CHILD,
    NEGLECT_HIGH_FROM,
    NEGLECT_MEDIUM_FROM,
    NO_SAFE_SLEEP,
    PREVIOUS_INCIDENTS_FROM,
    TOXIC_TRIO_FROM,
    TOXIC_TRIO_OPTIONS,
    WEAPONS,
    categories,
    dash_score,
    home_conditions,
    household,
    injury_seen,
    is_baby_injured,
    is_baby_not_seen,
    is_da_incident,
    is_under_one,
    missing_found_at_risk,
    missing_often,
    neglect_count,
    per_child,
    unsafe_sleep_impaired_carer,
)
from app.checklist.risk.grades import Grade, Reason

MEDIUM = Grade.MEDIUM


# --- about one child -------------------------------------------------------------------------


def rule_disclosure_about_child(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23 child-on-child abuse] A disclosure about another child only
    (``voice.disclosure_about`` another_child), not sexual."""

    def test(child: Mapping[str, Any], _: date) -> bool:
        return (
            is_true(child, "voice.disclosure")
            and child.get("voice.disclosure_about") == DISCLOSURE_ABOUT_CHILD
            and not is_true(child, "voice.disclosure_sexual")
        )

    return per_child(answers, on, "disclosure_about_child", MEDIUM, test)


def rule_child_on_child(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23 child-on-child abuse] Abuse or harmful sexual behaviour by another child
    (``concern.categories`` has child_on_child)."""
    return per_child(
        answers, on, "child_on_child", MEDIUM, lambda c, _: "child_on_child" in categories(c)
    )


def rule_child_to_parent_violence(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23; DA Act 2021] Child-to-parent violence (``concern.categories`` has
    child_to_parent_violence)."""
    return per_child(
        answers,
        on,
        "child_to_parent_violence",
        MEDIUM,
        lambda c, _: "child_to_parent_violence" in categories(c),
    )


def rule_baby_in_da(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DA Act 2021 s3; CSPRP] A child under 1, or an unborn child, in a domestic abuse incident
    (``incident.type`` domestic_abuse, or a child with the category domestic_abuse_witnessed)."""
    if not is_da_incident(answers):
        return []
    return per_child(
        answers, on, "baby_in_da", MEDIUM, lambda c, day: is_unborn(c) or is_under_one(c, day)
    )


def rule_unsafe_sleep_baby(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[CSPRP "Out of routine" (sudden unexpected death in infancy)] No safe sleep
    (``home.conditions`` has no_safe_sleep) for a child under 1 (high when a carer is impaired:
    ``rule_unsafe_sleep_impaired_carer``)."""
    no_safe_sleep = NO_SAFE_SLEEP in home_conditions(answers)
    return per_child(
        answers,
        on,
        "unsafe_sleep_baby",
        MEDIUM,
        lambda c, day: (
            no_safe_sleep
            and is_under_one(c, day)
            and not unsafe_sleep_impaired_carer(answers, c, day)
        ),
    )


def rule_child_protection_plan(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23] The child is on a child protection plan (``child.social_care_status``)."""
    return _social_care(answers, on, "child_protection_plan")


def rule_looked_after(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23; Children Act 1989 s20] The child is looked after (``child.social_care_status``)."""
    return _social_care(answers, on, "looked_after")


def rule_child_in_need(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23; Children Act 1989 s17] The child is a child in need (``child.social_care_status``)."""
    return _social_care(answers, on, "child_in_need")


def _social_care(answers: Mapping[str, Any], on: date, status: str) -> list[Reason]:
    return per_child(
        answers, on, status, MEDIUM, lambda c, _: c.get("child.social_care_status") == status
    )


def rule_missing_often(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DfE missing guidance] Missing 3 or more times in 90 days
    (``concern.missing_episodes_90d``); high when found out of area or with unknown adults."""
    return per_child(
        answers,
        on,
        "missing_often",
        MEDIUM,
        lambda c, _: missing_often(c) and not missing_found_at_risk(c),
    )


def rule_radicalisation(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[Prevent duty guidance] A radicalisation concern (``concern.categories``)."""
    return per_child(
        answers, on, "radicalisation", MEDIUM, lambda c, _: "radicalisation" in categories(c)
    )


def rule_custody_no_appropriate_adult(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[PACE Code C] The child in custody had no appropriate adult
    (``concern.custody_appropriate_adult`` no)."""
    return per_child(
        answers,
        on,
        "custody_no_appropriate_adult",
        MEDIUM,
        lambda c, _: is_false(c, "concern.custody_appropriate_adult"),
    )


def rule_custody_over_24h(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[PACE; Concordat on Children in Custody; v1] In custody more than 24 hours
    (``concern.custody_hours``)."""

    def test(child: Mapping[str, Any], _: date) -> bool:
        hours = number(child, "concern.custody_hours")
        return hours is not None and hours > CUSTODY_HOURS_OVER

    return per_child(answers, on, "custody_over_24h", MEDIUM, test)


def rule_child_not_seen(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[APP; v1] A child who lives at the address (``child.lives_here`` yes) was not seen
    (``child.seen`` no). A linked child living elsewhere who was not seen does not raise the
    grade by itself; a baby not seen is high (``rule_baby_not_seen``)."""

    def test(child: Mapping[str, Any], day: date) -> bool:
        return (
            is_false(child, "child.seen")
            and is_true(child, "child.lives_here")
            and not is_unborn(child)
            and not is_baby_not_seen(child, day)
        )

    return per_child(answers, on, "child_not_seen", MEDIUM, test)


def rule_injury_observed(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[APP; v1] A mark or injury seen on the child (``observed.injury`` or an injury listed); high
    for a baby (``rule_baby_injured``)."""
    return per_child(
        answers,
        on,
        "injury_observed",
        MEDIUM,
        lambda c, day: injury_seen(c) and not is_baby_injured(c, day),
    )


def rule_medical_needed(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[APP; v1] The child needs medical attention (``observed.medical_needed`` yes)."""
    return per_child(
        answers, on, "medical_needed", MEDIUM, lambda c, _: is_true(c, "observed.medical_needed")
    )


# --- the household ---------------------------------------------------------------------------


def rule_da_risk_medium(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DASH; DARA] Domestic abuse risk level medium: ``concern.da_risk_level`` medium, or a
    DASH score of 10 to 13 (``concern.dash_score``)."""
    score = dash_score(answers)
    medium = (
        score is not None and DA_RISK_MEDIUM_FROM <= score < DA_RISK_HIGH_FROM
    ) or answers.get("concern.da_risk_level") == "medium"
    return household(medium, "da_risk_medium", MEDIUM)


def rule_da_separation(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DASH] A recent or planned separation (``concern.da_separation`` yes)."""
    return household(is_true(answers, "concern.da_separation"), "da_separation", MEDIUM)


def rule_da_stalking(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DASH] Stalking or harassment (``concern.da_stalking`` yes)."""
    return household(is_true(answers, "concern.da_stalking"), "da_stalking", MEDIUM)


def rule_neglect_conditions(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23] 2 or 3 neglect conditions in the home (``home.conditions``; 4 or more is high)."""
    count = neglect_count(answers)
    return household(NEGLECT_MEDIUM_FROM <= count < NEGLECT_HIGH_FROM, "neglect_conditions", MEDIUM)


def rule_weapons_in_home(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[APP] Weapons in the home (``home.conditions`` has weapons)."""
    return household(WEAPONS in home_conditions(answers), "weapons_in_home", MEDIUM)


def rule_carer_incapable(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[APP; HOC 17/2008; v1] No parent or carer is able to look after the children
    (``home.carer_capable`` no)."""
    return household(is_false(answers, "home.carer_capable"), "carer_incapable", MEDIUM)


def rule_toxic_trio(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23; v1] 2 or more of domestic abuse, substance misuse and parental mental ill health
    (``household.toxic_trio``)."""
    factors = options(answers, "household.toxic_trio", TOXIC_TRIO_OPTIONS)
    return household(len(factors) >= TOXIC_TRIO_FROM, "toxic_trio", MEDIUM)


def rule_previous_incidents(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DASH; v1] 3 or more domestic abuse or child-concern incidents in the last 12 months
    (``household.previous_incidents_12m``)."""
    count = number(answers, "household.previous_incidents_12m")
    return household(
        count is not None and count >= PREVIOUS_INCIDENTS_FROM, "previous_incidents", MEDIUM
    )
