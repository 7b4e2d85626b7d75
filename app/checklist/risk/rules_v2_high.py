"""Risk rules v2, high: one function per trigger of "Risk rules v2" (think-child-v2.md), each
naming its source in brackets as the brief does. ``rules_v2.RULES`` lists them in order.

A rule takes the answers (prompt set v2 shape, pruned) and the day ages are measured on, and
returns ``Reason`` values: a code, the grade, and for a reason about one child that child's
label with age ("Amy (4 months)"). Words live in ``words_v2.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.checklist.answers.ages import is_unborn
from app.checklist.risk.facts import each_child, is_false, is_true
from app.checklist.risk.facts_v2 import (
    DA_RISK_HIGH_FROM,
    DISCLOSURE_ABOUT_CHILD,
    EXPLOITATION_OTHER_SIGNS,
    EXPLOITATION_OTHER_SIGNS_FROM,
    EXPLOITATION_SERIOUS_SIGNS,
    NEGLECT_HIGH_FROM,
    categories,
    dash_score,
    exploitation_signs,
    household,
    is_baby_injured,
    is_baby_not_seen,
    is_da_incident,
    missing_found_at_risk,
    neglect_count,
    per_child,
    unsafe_sleep_impaired_carer,
)
from app.checklist.risk.grades import Grade, Reason

HIGH = Grade.HIGH


# --- about one child -------------------------------------------------------------------------


def rule_child_disclosed(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[APP; WT23] The child disclosed abuse (``voice.disclosure`` yes) about a parent or carer,
    household member, other known adult, stranger or not said (``voice.disclosure_about``, or
    not answered yet), or a sexual disclosure (``voice.disclosure_sexual``) about anyone. A
    disclosure about another child only is medium (``rule_disclosure_about_child``)."""

    def test(child: Mapping[str, Any], _: date) -> bool:
        return is_true(child, "voice.disclosure") and (
            is_true(child, "voice.disclosure_sexual")
            or child.get("voice.disclosure_about") != DISCLOSURE_ABOUT_CHILD
        )

    return per_child(answers, on, "child_disclosed", HIGH, test)


def rule_sexual_abuse_concern(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23] A sexual abuse concern (``concern.categories`` has sexual), even without a
    disclosure to police (a concern raised by a school is enough)."""
    return per_child(
        answers, on, "sexual_abuse_concern", HIGH, lambda c, _: "sexual" in categories(c)
    )


def rule_baby_injured(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[CSPRP; v1 non-mobile baby rule] A child under 1, or not independently mobile
    (``child.mobile`` no), with a mark or injury seen (``observed.injury``,
    ``observed.injuries``) or reported by someone else (``child.injury_reported``)."""
    return per_child(answers, on, "baby_injured", HIGH, is_baby_injured)


def rule_baby_not_seen(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[CSPRP "The Myth of Invisible Men"] A child under 1, or not independently mobile, who was
    not seen (``child.seen`` no), wherever the child lives."""
    return per_child(answers, on, "child_not_seen_baby", HIGH, is_baby_not_seen)


def rule_afraid_to_go_home(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[APP; v1] The child is afraid to go home (``voice.afraid_to_go_home`` yes)."""
    return per_child(
        answers, on, "afraid_to_go_home", HIGH, lambda c, _: is_true(c, "voice.afraid_to_go_home")
    )


def rule_exploitation_serious_sign(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[Home Office county lines guidance 2023] Any one of: drugs or cash carried, trap house or
    cuckooing, weapon carried (``concern.exploitation_indicators``)."""
    return per_child(
        answers,
        on,
        "exploitation_serious_sign",
        HIGH,
        lambda c, _: bool(exploitation_signs(c, EXPLOITATION_SERIOUS_SIGNS)),
    )


def rule_exploitation_indicators(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[Home Office county lines guidance 2023; v1] 2 or more of the other exploitation
    indicators (``concern.exploitation_indicators``)."""
    return per_child(
        answers,
        on,
        "exploitation_indicators",
        HIGH,
        lambda c, _: (
            len(exploitation_signs(c, EXPLOITATION_OTHER_SIGNS)) >= EXPLOITATION_OTHER_SIGNS_FROM
        ),
    )


def rule_missing_found_at_risk(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DfE missing guidance] Missing 3 or more times in 90 days
    (``concern.missing_episodes_90d``) and found out of area (``concern.missing_out_of_area``)
    or with adults not known to the family (``concern.missing_found_with_adults``)."""
    return per_child(
        answers, on, "missing_found_at_risk", HIGH, lambda c, _: missing_found_at_risk(c)
    )


def rule_custody_self_harm(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[Concordat on Children in Custody; v1] The child in custody is at risk of self-harm
    (``concern.custody_self_harm_risk`` yes)."""
    return per_child(
        answers,
        on,
        "custody_self_harm",
        HIGH,
        lambda c, _: is_true(c, "concern.custody_self_harm_risk"),
    )


def rule_custody_overnight_no_transfer(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[PACE s38(6)] Charged and refused bail (``concern.custody_charged_refused_bail``), held
    overnight (``concern.custody_overnight``), and no transfer to local authority accommodation
    requested (``concern.custody_transfer_to_la`` no)."""

    def test(child: Mapping[str, Any], _: date) -> bool:
        return (
            is_true(child, "concern.custody_charged_refused_bail")
            and is_true(child, "concern.custody_overnight")
            and is_false(child, "concern.custody_transfer_to_la")
        )

    return per_child(answers, on, "custody_overnight_no_transfer", HIGH, test)


def rule_custody_strip_search_no_aa(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[PACE Code C, Annex A] Strip searched (``concern.custody_strip_search``) without an
    appropriate adult present (``concern.custody_strip_search_aa_present`` no)."""

    def test(child: Mapping[str, Any], _: date) -> bool:
        return is_true(child, "concern.custody_strip_search") and is_false(
            child, "concern.custody_strip_search_aa_present"
        )

    return per_child(answers, on, "custody_strip_search_no_aa", HIGH, test)


def rule_fgm_forced_marriage_hba(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[Forced marriage statutory guidance; FGM mandatory reporting; v1] A concern of FGM, forced
    marriage or so-called honour-based abuse (``concern.categories``)."""
    return per_child(
        answers,
        on,
        "fgm_forced_marriage_hba",
        HIGH,
        lambda c, _: "fgm_forced_marriage_hba" in categories(c),
    )


def rule_unsafe_sleep_impaired_carer(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[CSPRP "Out of routine" (sudden unexpected death in infancy)] No safe sleep
    (``home.conditions`` has no_safe_sleep) for a child under 1 while a carer is intoxicated or
    using drugs (``home.carer_incapacity``, or substance_misuse in ``household.toxic_trio``)."""
    return per_child(
        answers,
        on,
        "unsafe_sleep_impaired_carer",
        HIGH,
        lambda c, day: unsafe_sleep_impaired_carer(answers, c, day),
    )


def rule_tonight_carer_not_checked(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[APP; HOC 17/2008] The child is left tonight with a person or at an address not checked
    on police systems (``child.tonight_checked`` no) while the carer at home is not capable
    (``home.carer_capable`` no)."""
    incapable = is_false(answers, "home.carer_capable")
    return per_child(
        answers,
        on,
        "tonight_carer_not_checked",
        HIGH,
        lambda c, _: incapable and is_false(c, "child.tonight_checked"),
    )


# --- the household ---------------------------------------------------------------------------


def rule_abuser_hurt_children(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DASH; v1] The abuser has hurt the children (``concern.da_abuser_hurt_children`` yes)."""
    return household(
        is_true(answers, "concern.da_abuser_hurt_children"), "abuser_hurt_children", HIGH
    )


def rule_police_protection(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[HOC 17/2008; Children Act 1989 s46; v1] Police protection was used
    (``action.police_protection`` yes)."""
    return household(is_true(answers, "action.police_protection"), "police_protection", HIGH)


def rule_da_strangulation(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DA Act 2021 s70; DASH] Non-fatal strangulation or suffocation, now or before
    (``concern.da_strangulation`` yes)."""
    return household(is_true(answers, "concern.da_strangulation"), "da_strangulation", HIGH)


def rule_da_weapon(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DASH] A weapon used or threatened (``concern.da_weapon`` yes)."""
    return household(is_true(answers, "concern.da_weapon"), "da_weapon", HIGH)


def rule_da_threats_to_kill(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DASH] Threats to kill (``concern.da_threats_to_kill`` yes)."""
    return household(is_true(answers, "concern.da_threats_to_kill"), "da_threats_to_kill", HIGH)


def rule_da_victim_pregnant(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DASH; CSPRP] The victim is pregnant (``concern.da_victim_pregnant`` yes), or a domestic
    abuse incident has an unborn child entry (``child.unborn`` yes)."""
    unborn = is_da_incident(answers) and any(is_unborn(c) for _, c in each_child(answers))
    pregnant = is_true(answers, "concern.da_victim_pregnant") or unborn
    return household(pregnant, "da_victim_pregnant", HIGH)


def rule_da_risk_high(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[DASH; DARA; v1] Domestic abuse risk level high: DASH score 14 or more
    (``concern.dash_score``) or ``concern.da_risk_level`` high."""
    score = dash_score(answers)
    high = (score is not None and score >= DA_RISK_HIGH_FROM) or answers.get(
        "concern.da_risk_level"
    ) == "high"
    return household(high, "da_risk_high", HIGH)


def rule_neglect_severe(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[WT23] 4 or more neglect conditions in the home (``home.conditions``: unclean, no_food,
    no_heating, no_safe_sleep, drugs_or_paraphernalia, exposed_hazards, overcrowded)."""
    return household(neglect_count(answers) >= NEGLECT_HIGH_FROM, "neglect_severe", HIGH)


def rule_carer_not_checked(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[APP; HOC 17/2008] The children are left with a carer who was not checked on police
    systems (``home.carer_checks_done`` no)."""
    return household(is_false(answers, "home.carer_checks_done"), "carer_not_checked", HIGH)


def rule_adult_risk_to_children(answers: Mapping[str, Any], on: date) -> list[Reason]:
    """[HOC 16/2005] An adult in the household, or present, poses a risk to children: a
    registered sex offender or otherwise known to police (``adult.risk_to_children`` yes)."""
    adults = answers.get("household.adults")
    risky = isinstance(adults, list | tuple) and any(
        isinstance(a, Mapping) and is_true(a, "adult.risk_to_children") for a in adults
    )
    return household(risky, "adult_risk_to_children", HIGH)
