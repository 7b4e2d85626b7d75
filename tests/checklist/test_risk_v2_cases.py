"""Risk rules v2: the cases issue 9 names (graded wrongly by v1), an incident graded by the rules
of its own prompt set version, and the words for each version's reasons."""

from __future__ import annotations

from typing import Any

import pytest

from app.checklist import promptset, risk
from app.checklist.risk import Grade, Reason, assess, reason_words
from app.checklist.risk.words import ReasonWordsError, checked_words
from app.checklist.service import status_of
from app.templating import templates
from tests.checklist.risk_v2_examples import (
    AMY_BABY,
    ON,
    baby,
    child,
    incident,
    reasons,
    unborn,
    v2,
)


def v1_grade(answers: dict[str, Any]) -> Grade:
    return assess(answers, on=ON, version=1).grade


# --- the cases of issue 9 --------------------------------------------------------------------


def test_pregnant_domestic_abuse_victim_is_high_under_v2_and_standard_under_v1() -> None:
    answers = incident(child(), incident__type="domestic_abuse", concern__da_victim_pregnant=True)
    assert v2(answers).grade is Grade.HIGH
    assert Reason("da_victim_pregnant", Grade.HIGH) in reasons(answers)
    assert v1_grade(answers) is Grade.STANDARD
    with_unborn = incident(child(), unborn(), incident__type="domestic_abuse")
    assert v2(with_unborn).grade is Grade.HIGH and v1_grade(with_unborn) is Grade.STANDARD


def test_non_fatal_strangulation_is_high() -> None:
    answers = incident(child(), incident__type="domestic_abuse", concern__da_strangulation=True)
    assert reasons(answers) == (Reason("da_strangulation", Grade.HIGH),)
    assert v1_grade(answers) is Grade.STANDARD


def test_neglected_home_is_high() -> None:
    neglect = ["unclean", "no_food", "no_heating", "exposed_hazards", "drugs_or_paraphernalia"]
    answers = incident(child(), home__conditions=neglect)
    assert reasons(answers) == (Reason("neglect_severe", Grade.HIGH),)
    assert v1_grade(answers) is Grade.STANDARD


def test_seventeen_year_old_held_overnight_after_charge_is_high() -> None:
    held = child(
        "Kai",
        "2008-09-01",
        concern__categories=["child_in_custody"],
        concern__custody_appropriate_adult=True,
        concern__custody_charged_refused_bail=True,
        concern__custody_overnight=True,
        concern__custody_transfer_to_la=False,
        concern__custody_transfer_reason="no local authority bed offered",
    )
    answers = incident(held, incident__type="custody_arrest")
    assert reasons(answers) == (
        Reason("custody_overnight_no_transfer", Grade.HIGH, "Kai (17 years 6 months)"),
    )
    assert v1_grade(answers) is Grade.STANDARD


def test_child_missing_six_times_in_90_days_found_out_of_area_is_high() -> None:
    missing = child(
        "Jay",
        concern__categories=["missing"],
        concern__missing_episodes_90d=6,
        concern__missing_out_of_area=True,
        concern__found_where="a flat in another county",
    )
    answers = incident(missing, incident__type="missing_found")
    assert reasons(answers) == (Reason("missing_found_at_risk", Grade.HIGH, "Jay (10 years)"),)
    assert v1_grade(answers) is Grade.STANDARD


def test_school_raised_sexual_abuse_concern_is_high_without_a_disclosure_to_police() -> None:
    raised = child(voice__disclosure=False, concern__categories=["sexual"])
    answers = incident(raised, incident__type="concern_for_welfare")
    assert reasons(answers) == (Reason("sexual_abuse_concern", Grade.HIGH, "Amy (10 years)"),)
    assert v1_grade(answers) is Grade.STANDARD


def test_registered_sex_offender_in_the_household_is_high() -> None:
    adults = [
        {"adult.name": "Jo Smith", "adult.relationship": "mother", "adult.checks_done": True},
        {"adult.name": "Lee Smith", "adult.risk_to_children": True, "adult.checks_done": True},
    ]
    answers = incident(child(), household__adults=adults)
    assert reasons(answers) == (Reason("adult_risk_to_children", Grade.HIGH),)
    assert v1_grade(answers) is Grade.STANDARD


def test_baby_of_four_months_not_seen_is_high_not_medium() -> None:
    answers = incident(baby(child__seen=False, child__not_seen_reason="asleep upstairs"))
    assert reasons(answers) == (Reason("child_not_seen_baby", Grade.HIGH, AMY_BABY),)
    assert v1_grade(answers) is Grade.MEDIUM


def test_child_pushed_by_another_child_is_medium_not_high() -> None:
    pushed = child(
        voice__disclosure=True,
        voice__disclosure_about="another_child",
        voice__disclosure_sexual=False,
        concern__categories=["child_on_child"],
    )
    answers = incident(pushed)
    assert v2(answers).grade is Grade.MEDIUM
    assert v1_grade(answers) is Grade.HIGH


# --- an incident is graded by the rules of its prompt set version ----------------------------


def test_status_of_grades_by_the_prompt_sets_version() -> None:
    """service.status_of passes the prompt set's version: the same answers, a v1 child not
    seen, are medium under v1's rules and standard under v2's (it does not say where the child
    lives)."""
    ps1 = promptset.load_version(1)
    ps2 = ps1.model_copy(update={"version": 2})  # v1's prompts, v2's rules: only the number
    answers = {
        "gate.children_present": True,
        "gate.pregnancy": False,
        "children": [
            {"id": "c1", "child.name": "Amy", "child.age_estimate": 6, "child.seen": False}
        ],
    }
    assert status_of(ps1, answers).assessment.reasons == (
        Reason("child_not_seen", Grade.MEDIUM, "Amy"),
    )
    assert status_of(ps2, answers).assessment.grade is Grade.STANDARD


# --- words for the reasons, versioned with the rules -----------------------------------------


def test_v1_words_are_prompt_set_v1_risk_reasons() -> None:
    assert dict(reason_words(1)) == promptset.load_version(1).risk_reasons


def test_v2_words_cover_exactly_the_v2_codes_in_plain_lower_case_text() -> None:
    words = reason_words(2)
    assert set(words) == risk.reason_codes(2) == risk.rules_v2.REASON_CODES
    for code, text in words.items():
        assert text == text.strip() and not text[0].isupper() and not text.endswith("."), code


def test_reason_words_of_an_unknown_version_are_refused() -> None:
    with pytest.raises(ValueError, match="version 7"):
        reason_words(7)


def test_words_are_checked_missing_stray_and_blank() -> None:
    codes = frozenset({"a", "b", "c"})
    with pytest.raises(ReasonWordsError) as error:
        checked_words({"a": "fine", "b": "  ", "z": "stray"}, codes, "words.yaml")
    message = str(error.value)
    assert "words.yaml" in message
    assert "no words for 'c'" in message
    assert "unknown code 'z'" in message
    assert "words for 'b' must be text" in message
    with pytest.raises(ReasonWordsError, match="mapping"):
        checked_words(["a"], codes, "words.yaml")
    assert checked_words({"a": " x ", "b": "y", "c": "z"}, codes, "w") == {
        "a": "x",
        "b": "y",
        "c": "z",
    }


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (
            2,
            "Amy (4 months): is under 1 or not yet crawling or walking, and was not seen; "
            "the victim is pregnant",
        ),
        (1, "the child was not seen (Amy (4 months)); the DASH score is 14 or more"),
    ],
)
def test_reasons_read_child_first_under_v2_and_as_before_under_v1(
    version: int, expected: str
) -> None:
    macro = templates.env.get_template("components/_reasons.html").module.reasons  # type: ignore[attr-defined]
    code = "da_victim_pregnant" if version == 2 else "dash_high"
    first = "child_not_seen_baby" if version == 2 else "child_not_seen"
    shown = [Reason(first, Grade.HIGH, AMY_BABY), Reason(code, Grade.HIGH)]
    assert str(macro(shown, reason_words(version), version)) == expected
