"""Risk rules v2 (think-child-v2.md, "Risk rules v2"), high: one test per rule naming its source,
with its near misses; the rules table; per-child reasons that name the right child with age."""

from __future__ import annotations

import re

import pytest

from app.checklist.risk import Grade, Reason, rules_v2
from app.checklist.risk.rules_v2 import CHILD_REASON_CODES, REASON_CODES, REASON_GRADES, RULES
from tests.checklist.risk_v2_examples import (
    AMY,
    AMY_BABY,
    EXAMPLES,
    ON,
    baby,
    child,
    codes,
    incident,
    reasons,
    unborn,
    v2,
)


def H(code: str, who: str | None = None) -> Reason:
    return Reason(code, Grade.HIGH, who)


# --- the table of rules ----------------------------------------------------------------------


def test_every_v2_reason_code_has_an_example_and_one_rule() -> None:
    assert set(EXAMPLES) == REASON_CODES
    assert len(RULES) == len(REASON_CODES) == len(set(RULES))


@pytest.mark.parametrize("index", range(len(RULES)), ids=[r.__name__ for r in RULES])
def test_each_rule_gives_its_code_with_its_grade_in_table_order(index: int) -> None:
    """Rule i gives code i of the table (so RULES runs high first), with the table's grade, and
    names its child exactly when the code is about one child."""
    rule = RULES[index]
    code = list(REASON_GRADES)[index]
    example = EXAMPLES[code]
    found = [r for r in rule(example.answers, ON) if r.code == code]
    assert found == [Reason(code, REASON_GRADES[code], example.child)]
    assert (example.child is not None) == (code in CHILD_REASON_CODES)


def test_high_rules_come_before_medium_rules() -> None:
    grades = list(REASON_GRADES.values())
    assert grades == sorted(grades, reverse=True)
    assert Grade.HIGH in grades and Grade.MEDIUM in grades and Grade.STANDARD not in grades


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_every_rule_is_documented_with_its_source_in_brackets(rule: object) -> None:
    doc = getattr(rule, "__doc__", None) or ""
    assert re.match(r"\[[A-Z][^\]]+\] ", doc), doc


def test_nothing_answered_is_standard() -> None:
    assert v2({}) == v2(incident(child())) == v2(incident()) == v2({"children": "junk"})
    assert v2({}).grade is Grade.STANDARD and v2({}).reasons == ()


def test_reasons_come_high_first_whatever_the_rule_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.checklist import risk

    monkeypatch.setattr(risk, "RULES_BY_VERSION", {2: tuple(reversed(rules_v2.RULES))})
    result = risk.assess(
        incident(child(), home__carer_capable=False, action__police_protection=True),
        on=ON,
        version=2,
    )
    assert [r.grade for r in result.reasons] == [Grade.HIGH, Grade.MEDIUM]


def test_an_unknown_version_is_refused() -> None:
    from app.checklist.risk import assess

    with pytest.raises(ValueError, match="version 9"):
        assess({}, version=9)


# --- per child: each reason names its child with age -----------------------------------------


def test_per_child_reasons_name_the_right_child_with_age_with_two_children() -> None:
    answers = incident(
        baby("Amy", child__seen=False, child__lives_here=False),
        child(
            "Ben", "2023-12-10", concern__categories=["missing"], concern__missing_episodes_90d=4
        ),
        home__conditions=["no_safe_sleep"],
    )
    assert reasons(answers) == (
        H("child_not_seen_baby", "Amy (4 months)"),
        Reason("unsafe_sleep_baby", Grade.MEDIUM, "Amy (4 months)"),
        Reason("missing_often", Grade.MEDIUM, "Ben (2 years 3 months)"),
    )


def test_a_child_without_a_name_is_named_by_place_and_an_estimate_reads_about() -> None:
    answers = incident(child(), {"child.age_estimate": 7, "voice.afraid_to_go_home": True})
    assert reasons(answers) == (H("afraid_to_go_home", "Child 2 (about 7 years)"),)


def test_a_child_without_an_age_is_named_alone() -> None:
    answers = incident(child(dob=None, voice__afraid_to_go_home=True))
    assert reasons(answers) == (H("afraid_to_go_home", "Amy"),)


# --- high, about one child -------------------------------------------------------------------


@pytest.mark.parametrize(
    "about", ["parent_or_carer", "household_member", "other_known_adult", "stranger", "not_said"]
)
def test_app_wt23_disclosure_about_an_adult_or_not_said_is_high(about: str) -> None:
    """[APP; WT23] A disclosure about an adult, or not said, is high."""
    answers = incident(child(voice__disclosure=True, voice__disclosure_about=about))
    assert reasons(answers) == (H("child_disclosed", AMY),)


def test_app_wt23_disclosure_high_when_sexual_or_about_not_answered_yet() -> None:
    """[APP; WT23] Any sexual disclosure is high, even about another child; a disclosure whose
    subject is not answered yet stays high (v1 made every disclosure high)."""
    sexual = child(
        voice__disclosure=True,
        voice__disclosure_about="another_child",
        voice__disclosure_sexual=True,
    )
    assert reasons(incident(sexual)) == (H("child_disclosed", AMY),)
    assert reasons(incident(child(voice__disclosure=True))) == (H("child_disclosed", AMY),)
    assert codes(incident(child(voice__disclosure=False, voice__disclosure_sexual=True))) == set()


def test_wt23_sexual_abuse_concern_is_high_without_a_disclosure() -> None:
    """[WT23] A sexual abuse concern is high even without a disclosure to police."""
    assert v2(incident(child(concern__categories=["sexual", "neglect"]))).grade is Grade.HIGH
    assert "sexual_abuse_concern" not in codes(
        incident(child(concern__categories=["exploitation_sexual"]))
    )


@pytest.mark.parametrize(
    "injury",
    [
        {"observed.injury": True},
        {"observed.injuries": [{"injury.location": "left cheek"}]},
        {"child.injury_reported": True},
    ],
)
def test_csprp_baby_under_one_with_a_mark_seen_or_reported_is_high(
    injury: dict[str, object],
) -> None:
    """[CSPRP] Under 1 with a mark or injury seen or reported is high (and not also medium)."""
    assert reasons(incident({**baby(), **injury})) == (H("baby_injured", AMY_BABY),)


def test_csprp_a_child_not_independently_mobile_with_an_injury_is_high_at_any_age() -> None:
    """[CSPRP] ``child.mobile`` no (not independently mobile) counts like under 1."""
    older = child(dob="2024-09-10", child__mobile=False, child__injury_reported=True)
    assert reasons(incident(older)) == (H("baby_injured", "Amy (1 year 6 months)"),)
    mobile = child(dob="2024-09-10", child__mobile=True, observed__injury=True)
    assert codes(incident(mobile)) == {"injury_observed"}
    assert codes(incident(child(child__injury_reported=True))) == set()


def test_csprp_myth_of_invisible_men_baby_not_seen_is_high_wherever_they_live() -> None:
    """[CSPRP "The Myth of Invisible Men"] Under 1 or not mobile, and not seen, is high."""
    for lives_here in (True, False, None):
        answers = incident(baby(child__seen=False, child__lives_here=lives_here))
        assert reasons(answers) == (H("child_not_seen_baby", AMY_BABY),)
    not_mobile = child(dob="2024-01-10", child__mobile=False, child__seen=False)
    assert codes(incident(not_mobile)) == {"child_not_seen_baby"}
    assert codes(incident(unborn())) == set()  # an unborn baby cannot be seen


def test_app_afraid_to_go_home_is_high() -> None:
    """[APP] A child afraid to go home is high."""
    assert reasons(incident(child(voice__afraid_to_go_home=True))) == (H("afraid_to_go_home", AMY),)
    assert codes(incident(child(voice__afraid_to_go_home=False))) == set()


@pytest.mark.parametrize(
    "sign", ["drugs_or_cash_carried", "trap_house_or_cuckooing", "weapon_carried"]
)
def test_county_lines_guidance_any_one_serious_sign_is_high(sign: str) -> None:
    """[Home Office county lines guidance 2023] One serious exploitation sign is high."""
    answers = incident(child(concern__exploitation_indicators=[sign]))
    assert reasons(answers) == (H("exploitation_serious_sign", AMY),)


def test_county_lines_guidance_two_other_signs_are_high_one_is_not() -> None:
    """[Home Office county lines guidance 2023] 2 or more other signs are high; one is not."""
    two = incident(
        child(concern__exploitation_indicators=["multiple_phones", "excluded_from_school"])
    )
    assert reasons(two) == (H("exploitation_indicators", AMY),)
    one = incident(child(concern__exploitation_indicators=["multiple_phones", "multiple_phones"]))
    assert codes(one) == set()


def test_dfe_missing_guidance_missing_often_and_found_out_of_area_or_with_adults_is_high() -> None:
    """[DfE missing guidance] Missing 3+ times in 90 days and found out of area or with unknown
    adults is high (and not also the medium reason)."""
    for found in (
        {"concern.missing_out_of_area": True},
        {"concern.missing_found_with_adults": True},
    ):
        answers = incident({**child(concern__missing_episodes_90d=3), **found})
        assert reasons(answers) == (H("missing_found_at_risk", AMY),)
    twice = incident(child(concern__missing_episodes_90d=2, concern__missing_out_of_area=True))
    assert codes(twice) == set()


def test_concordat_custody_self_harm_risk_is_high() -> None:
    """[Concordat on Children in Custody] A child in custody at risk of self-harm is high."""
    answers = incident(child(concern__custody_self_harm_risk=True))
    assert reasons(answers) == (H("custody_self_harm", AMY),)


def test_pace_s38_charged_refused_bail_overnight_without_transfer_is_high() -> None:
    """[PACE s38(6)] Charged, refused bail, held overnight, no transfer to local authority
    accommodation requested: high. A transfer requested, or not overnight, is not."""
    held = {
        "concern.custody_charged_refused_bail": True,
        "concern.custody_overnight": True,
        "concern.custody_transfer_to_la": False,
    }
    assert reasons(incident({**child(), **held})) == (H("custody_overnight_no_transfer", AMY),)
    for change in ({"concern.custody_transfer_to_la": True}, {"concern.custody_overnight": False}):
        assert codes(incident({**child(), **held, **change})) == set()


def test_pace_code_c_strip_search_without_an_appropriate_adult_is_high() -> None:
    """[PACE Code C, Annex A] A strip search without an appropriate adult present is high."""
    searched = child(
        concern__custody_strip_search=True, concern__custody_strip_search_aa_present=False
    )
    assert reasons(incident(searched)) == (H("custody_strip_search_no_aa", AMY),)
    with_aa = child(
        concern__custody_strip_search=True, concern__custody_strip_search_aa_present=True
    )
    assert codes(incident(with_aa)) == set()


def test_forced_marriage_guidance_fgm_forced_marriage_hba_is_high() -> None:
    """[Forced marriage statutory guidance; FGM mandatory reporting] high."""
    answers = incident(child(concern__categories=["fgm_forced_marriage_hba"]))
    assert reasons(answers) == (H("fgm_forced_marriage_hba", AMY),)


@pytest.mark.parametrize(
    "impaired",
    [
        {"home.carer_incapacity": "intoxicated"},
        {"home.carer_incapacity": "drugs"},
        {"household.toxic_trio": ["substance_misuse"]},
    ],
)
def test_csprp_sudi_no_safe_sleep_for_a_baby_with_an_impaired_carer_is_high(
    impaired: dict[str, object],
) -> None:
    """[CSPRP "Out of routine" (SUDI)] No safe sleep for a baby under 1 while a carer is drunk or
    using drugs is high (and not also the medium no-safe-sleep reason)."""
    answers = {**incident(baby(), home__conditions=["no_safe_sleep"]), **impaired}
    assert [r for r in reasons(answers) if r.child] == [H("unsafe_sleep_impaired_carer", AMY_BABY)]
    older = {**incident(child(), home__conditions=["no_safe_sleep"]), **impaired}
    assert "unsafe_sleep_impaired_carer" not in codes(older)
    mental_health = incident(
        baby(), home__conditions=["no_safe_sleep"], home__carer_incapacity="mental_health"
    )
    assert "unsafe_sleep_impaired_carer" not in codes(mental_health)


@pytest.mark.parametrize("incapacity", [["intoxicated"], {"intoxicated": True}, 1, None])
def test_a_carer_incapacity_that_is_not_text_is_ignored_not_raised_on(incapacity: object) -> None:
    """A draft may hold any JSON in ``home.carer_incapacity``: a list or an object there is no
    answer (it used to raise TypeError, unhashable, under a baby with no safe sleep)."""
    answers = incident(
        baby(), home__conditions=["no_safe_sleep"], home__carer_incapacity=incapacity
    )
    assert [r for r in reasons(answers) if r.child] == [
        Reason("unsafe_sleep_baby", Grade.MEDIUM, AMY_BABY)
    ]


def test_app_hoc_17_2008_child_staying_tonight_unchecked_while_carer_incapable_is_high() -> None:
    """[APP; HOC 17/2008] Tonight's person or address not checked while the carer at home is not
    capable is high; with a capable carer it is not."""
    unchecked = child(child__tonight_checked=False)
    assert H("tonight_carer_not_checked", AMY) in reasons(
        incident(unchecked, home__carer_capable=False)
    )
    assert codes(incident(unchecked, home__carer_capable=True)) == set()


# --- high, the household ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("concern.da_abuser_hurt_children", "abuser_hurt_children"),  # [DASH]
        ("action.police_protection", "police_protection"),  # [HOC 17/2008]
        ("concern.da_strangulation", "da_strangulation"),  # [DA Act 2021 s70; DASH]
        ("concern.da_weapon", "da_weapon"),  # [DASH]
        ("concern.da_threats_to_kill", "da_threats_to_kill"),  # [DASH]
        ("concern.da_victim_pregnant", "da_victim_pregnant"),  # [DASH]
    ],
)
def test_dash_hoc_17_2008_da_act_household_yes_answers_are_high(key: str, code: str) -> None:
    """[DASH; DA Act 2021 s70; HOC 17/2008] Each of these yes answers is high; no is not."""
    assert reasons({**incident(child()), key: True}) == (H(code),)
    assert codes({**incident(child()), key: False}) == set()


def test_dash_an_unborn_child_in_a_domestic_abuse_incident_means_the_victim_is_pregnant() -> None:
    """[DASH; CSPRP] An unborn child entry in a domestic abuse incident is high (the victim is
    pregnant); outside domestic abuse it is not."""
    da = incident(child(), unborn(), incident__type="domestic_abuse")
    assert H("da_victim_pregnant") in reasons(da)
    witnessed = incident(child(concern__categories=["domestic_abuse_witnessed"]), unborn())
    assert H("da_victim_pregnant") in reasons(witnessed)
    assert codes(incident(child(), unborn(), incident__type="concern_for_welfare")) == set()


def test_dash_dara_risk_level_high_by_score_14_or_assessed_high() -> None:
    """[DASH; DARA] DASH 14+ or a high risk level is high; DASH 13 is medium, not high."""
    assert reasons(incident(concern__dash_score=14)) == (H("da_risk_high"),)
    assert reasons(incident(concern__da_risk_tool="dara", concern__da_risk_level="high")) == (
        H("da_risk_high"),
    )
    assert codes(incident(concern__dash_score=13)) == {"da_risk_medium"}


def test_wt23_four_neglect_conditions_are_high() -> None:
    """[WT23] 4 or more neglect conditions are high; weapons and dogs are not neglect."""
    four = ["unclean", "no_food", "drugs_or_paraphernalia", "exposed_hazards"]
    assert reasons(incident(home__conditions=four)) == (H("neglect_severe"),)
    three_and_others = ["unclean", "no_food", "no_heating", "weapons", "dangerous_dogs"]
    assert "neglect_severe" not in codes(incident(home__conditions=three_and_others))


def test_app_hoc_17_2008_children_left_with_an_unchecked_carer_is_high() -> None:
    """[APP; HOC 17/2008] ``home.carer_checks_done`` no is high; yes is not."""
    assert reasons(incident(home__carer_checks_done=False)) == (H("carer_not_checked"),)
    assert codes(incident(home__carer_checks_done=True)) == set()


def test_hoc_16_2005_an_adult_posing_a_risk_to_children_is_high() -> None:
    """[HOC 16/2005] Any adult known to pose a risk to children is high."""
    adults = [{"adult.name": "Jo"}, {"adult.name": "Lee", "adult.risk_to_children": True}]
    assert reasons(incident(household__adults=adults)) == (H("adult_risk_to_children"),)
    safe = [{"adult.name": "Jo", "adult.risk_to_children": False}, "junk"]
    assert codes(incident(household__adults=safe)) == set()
