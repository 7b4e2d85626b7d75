"""Risk rules v2 (think-child-v2.md, "Risk rules v2"), medium: one test per rule naming its
source, with its near misses."""

from __future__ import annotations

import pytest

from app.checklist.risk import Grade, Reason
from tests.checklist.risk_v2_examples import (
    AMY,
    AMY_BABY,
    baby,
    child,
    codes,
    incident,
    reasons,
    unborn,
    v2,
)


def M(code: str, who: str | None = None) -> Reason:
    return Reason(code, Grade.MEDIUM, who)


# --- about one child -------------------------------------------------------------------------


def test_wt23_child_on_child_disclosure_about_another_child_only_is_medium() -> None:
    """[WT23 child-on-child abuse] A disclosure about another child only is medium, not high."""
    answers = incident(child(voice__disclosure=True, voice__disclosure_about="another_child"))
    assert v2(answers).grade is Grade.MEDIUM
    assert reasons(answers) == (M("disclosure_about_child", AMY),)


@pytest.mark.parametrize("category", ["child_on_child", "child_to_parent_violence"])
def test_wt23_child_on_child_and_child_to_parent_violence_are_medium(category: str) -> None:
    """[WT23] child_on_child and child_to_parent_violence categories are medium."""
    answers = incident(child(concern__categories=[category]))
    assert reasons(answers) == (M(category, AMY),)


def test_da_act_s3_csprp_a_baby_or_unborn_child_in_domestic_abuse_is_medium() -> None:
    """[DA Act 2021 s3; CSPRP] A child under 1, or unborn, in a domestic abuse incident is medium;
    an older child is not, nor a baby outside domestic abuse."""
    da = incident(baby(), child("Ben"), incident__type="domestic_abuse")
    assert reasons(da) == (M("baby_in_da", AMY_BABY),)
    witnessed = incident(baby(), child("Ben", concern__categories=["domestic_abuse_witnessed"]))
    assert reasons(witnessed) == (M("baby_in_da", AMY_BABY),)
    with_unborn = incident(unborn(), incident__type="domestic_abuse")
    assert M("baby_in_da", "Unborn baby of Jo Smith (unborn)") in reasons(with_unborn)
    assert codes(incident(baby(), incident__type="crime")) == set()


def test_csprp_sudi_no_safe_sleep_for_a_baby_is_medium() -> None:
    """[CSPRP "Out of routine" (SUDI)] No safe sleep for a child under 1 is medium; for an
    older child it is not (by itself)."""
    assert reasons(incident(baby(), home__conditions=["no_safe_sleep"])) == (
        M("unsafe_sleep_baby", AMY_BABY),
    )
    assert codes(incident(child(), home__conditions=["no_safe_sleep"])) == set()


@pytest.mark.parametrize("status", ["child_protection_plan", "looked_after", "child_in_need"])
def test_wt23_child_protection_plan_looked_after_or_in_need_is_medium(status: str) -> None:
    """[WT23; Children Act 1989 s17, s20] A plan, looked after, or in need is medium."""
    assert reasons(incident(child(child__social_care_status=status))) == (M(status, AMY),)


@pytest.mark.parametrize("status", ["open_assessment", "other", "not_known"])
def test_wt23_other_social_care_statuses_do_not_raise_the_grade(status: str) -> None:
    """[WT23] Other social care statuses are recorded but do not raise the grade."""
    assert codes(incident(child(child__social_care_status=status))) == set()


def test_dfe_missing_guidance_missing_three_times_in_90_days_is_medium() -> None:
    """[DfE missing guidance] 3 or more missing episodes in 90 days are medium; 2 are not."""
    assert reasons(incident(child(concern__missing_episodes_90d=3))) == (M("missing_often", AMY),)
    assert codes(incident(child(concern__missing_episodes_90d=2))) == set()


def test_prevent_duty_guidance_radicalisation_is_medium() -> None:
    """[Prevent duty guidance] A radicalisation concern is medium."""
    answers = incident(child(concern__categories=["radicalisation"]))
    assert reasons(answers) == (M("radicalisation", AMY),)


def test_pace_code_c_custody_without_an_appropriate_adult_is_medium() -> None:
    """[PACE Code C] No appropriate adult in custody is medium; with one it is not."""
    assert reasons(incident(child(concern__custody_appropriate_adult=False))) == (
        M("custody_no_appropriate_adult", AMY),
    )
    assert codes(incident(child(concern__custody_appropriate_adult=True))) == set()


def test_pace_concordat_custody_over_24_hours_is_medium() -> None:
    """[PACE; Concordat on Children in Custody] More than 24 hours in custody is medium."""
    assert reasons(incident(child(concern__custody_hours=24.5))) == (M("custody_over_24h", AMY),)
    assert codes(incident(child(concern__custody_hours=24))) == set()


def test_app_not_seen_counts_only_for_a_child_who_lives_at_the_address() -> None:
    """[APP] A child living at the address not seen is medium; a linked child living elsewhere
    who was not seen does not raise the grade by itself (nor when it is not answered)."""
    assert reasons(incident(child(child__seen=False))) == (M("child_not_seen", AMY),)
    elsewhere = incident(child(child__seen=False, child__lives_here=False))
    assert v2(elsewhere).grade is Grade.STANDARD
    unanswered = child(child__seen=False)
    del unanswered["child.lives_here"]
    assert codes(incident(unanswered)) == set()


def test_app_an_injury_seen_on_an_older_child_is_medium() -> None:
    """[APP] A mark or injury seen on a mobile child over 1 is medium."""
    assert reasons(incident(child(observed__injury=True))) == (M("injury_observed", AMY),)
    listed = child(**{"observed.injuries": [{"injury.location": "arm"}]})
    assert reasons(incident(listed)) == (M("injury_observed", AMY),)


def test_app_medical_attention_needed_is_medium() -> None:
    """[APP] A child needing medical attention is medium."""
    assert reasons(incident(child(observed__medical_needed=True))) == (M("medical_needed", AMY),)


# --- the household ---------------------------------------------------------------------------


@pytest.mark.parametrize("score", [10, 13, 12.5])
def test_dash_scores_10_to_13_are_medium(score: float) -> None:
    """[DASH] A DASH score of 10 to 13 is medium; 9 is not."""
    assert reasons(incident(concern__dash_score=score)) == (M("da_risk_medium"),)
    assert codes(incident(concern__dash_score=9)) == set()


def test_dara_risk_level_medium_is_medium_and_standard_is_not() -> None:
    """[DARA] A risk level of medium is medium; standard is not."""
    assert reasons(incident(concern__da_risk_level="medium")) == (M("da_risk_medium"),)
    assert codes(incident(concern__da_risk_level="standard")) == set()


@pytest.mark.parametrize("key", ["concern.da_separation", "concern.da_stalking"])
def test_dash_separation_or_stalking_is_medium(key: str) -> None:
    """[DASH] Separation or stalking is medium."""
    code = key.removeprefix("concern.")
    assert reasons({**incident(), key: True}) == (M(code),)
    assert codes({**incident(), key: False}) == set()


@pytest.mark.parametrize("count", [2, 3])
def test_wt23_two_or_three_neglect_conditions_are_medium(count: int) -> None:
    """[WT23] 2 or 3 neglect conditions are medium; 1 is not."""
    conditions = ["unclean", "no_heating", "overcrowded"][:count]
    assert reasons(incident(home__conditions=conditions)) == (M("neglect_conditions"),)
    assert codes(incident(home__conditions=["unclean", "none_of_these"])) == set()


def test_app_weapons_in_the_home_are_medium() -> None:
    """[APP] Weapons in the home are medium."""
    assert reasons(incident(home__conditions=["weapons"])) == (M("weapons_in_home"),)


def test_app_hoc_17_2008_no_capable_carer_is_medium() -> None:
    """[APP; HOC 17/2008] No parent or carer able to look after the children is medium."""
    assert reasons(incident(home__carer_capable=False)) == (M("carer_incapable"),)
    assert codes(incident(home__carer_capable=True)) == set()


def test_wt23_two_toxic_trio_factors_are_medium() -> None:
    """[WT23] 2 or more toxic-trio factors are medium; 1 is not."""
    trio = ["parental_mental_health", "substance_misuse"]
    assert reasons(incident(household__toxic_trio=trio)) == (M("toxic_trio"),)
    assert codes(incident(household__toxic_trio=["domestic_abuse"])) == set()


def test_dash_three_previous_incidents_are_medium() -> None:
    """[DASH] 3 or more previous domestic abuse or child-concern incidents are medium."""
    assert reasons(incident(household__previous_incidents_12m=3)) == (M("previous_incidents"),)
    assert codes(incident(household__previous_incidents_12m=2)) == set()
