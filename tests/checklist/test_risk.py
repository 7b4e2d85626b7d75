"""Risk rules (product rule): one test per rule, each with its near miss."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from app.checklist import risk
from app.checklist.risk import (
    REASON_CODES,
    REASON_GRADES,
    Assessment,
    Grade,
    Reason,
    assess,
    is_lower,
    max_grade,
)
from app.checklist.risk.facts import reference_date
from app.checklist.risk.rules_v1 import RULES

INCIDENT = "2026-03-10T21:15:00+00:00"
INCIDENT_DAY = date(2026, 3, 10)
OTHER_DAY = date(2030, 1, 1)  # an `on` far from the incident: proves the incident date wins


def child(**answers: Any) -> dict[str, Any]:
    """A child entry; keyword ``voice__disclosure`` becomes ``voice.disclosure``."""
    entry: dict[str, Any] = {"child.name": "Amy"}
    entry.update({key.replace("__", "."): value for key, value in answers.items()})
    return entry


def codes(answers: dict[str, Any], on: date | None = INCIDENT_DAY) -> tuple[str, ...]:
    return assess(answers, on=on).codes


def H(code: str, name: str | None = None) -> Reason:
    return Reason(code, Grade.HIGH, name)


def M(code: str, name: str | None = None) -> Reason:
    return Reason(code, Grade.MEDIUM, name)


# --- grades ----------------------------------------------------------------------------------


def test_grades_order_by_severity() -> None:
    assert Grade.HIGH > Grade.MEDIUM > Grade.STANDARD
    assert Grade.STANDARD < Grade.MEDIUM <= Grade.MEDIUM < Grade.HIGH
    assert Grade.HIGH >= Grade.HIGH
    assert sorted([Grade.HIGH, Grade.STANDARD, Grade.MEDIUM]) == [
        Grade.STANDARD,
        Grade.MEDIUM,
        Grade.HIGH,
    ]
    assert max(Grade) is Grade.HIGH
    assert [g.rank for g in (Grade.STANDARD, Grade.MEDIUM, Grade.HIGH)] == [0, 1, 2]


def test_grades_are_their_values_and_compare_with_grade_strings() -> None:
    value: str = "high"
    assert value == Grade.HIGH
    assert Grade("medium") is Grade.MEDIUM
    assert Grade.HIGH > "medium"
    assert "standard" < Grade.MEDIUM  # noqa: SIM300 (reflected: by rank, not alphabetical)


@pytest.mark.parametrize("other", ["urgent", 3, None])
def test_grades_refuse_to_order_against_non_grades(other: object) -> None:
    with pytest.raises(TypeError):
        _ = Grade.HIGH < other  # noqa: SIM300


def test_max_grade_and_is_lower() -> None:
    assert max_grade() is Grade.STANDARD
    assert max_grade(Grade.MEDIUM, Grade.STANDARD) is Grade.MEDIUM
    assert max_grade(Grade.MEDIUM, Grade.HIGH, Grade.STANDARD) is Grade.HIGH
    assert is_lower(Grade.STANDARD, Grade.HIGH)
    assert is_lower(Grade.MEDIUM, Grade.HIGH)
    assert not is_lower(Grade.HIGH, Grade.HIGH)
    assert not is_lower(Grade.HIGH, Grade.MEDIUM)


# --- the rule table --------------------------------------------------------------------------


def test_reason_codes_are_exactly_the_agreed_ones() -> None:
    assert {code for code, grade in REASON_GRADES.items() if grade is Grade.HIGH} == {
        "child_disclosed",
        "baby_injured",
        "abuser_hurt_children",
        "afraid_to_go_home",
        "police_protection",
        "exploitation_indicators",
        "custody_self_harm",
        "fgm_forced_marriage_hba",
        "dash_high",
    }
    assert {code for code, grade in REASON_GRADES.items() if grade is Grade.MEDIUM} == {
        "child_not_seen",
        "injury_observed",
        "medical_needed",
        "carer_incapable",
        "toxic_trio",
        "previous_incidents",
        "custody_over_24h",
    }
    assert frozenset(REASON_GRADES) == REASON_CODES


def test_one_named_documented_rule_per_reason_code() -> None:
    assert len(RULES) == len(REASON_CODES)
    for rule in RULES:
        assert rule.__name__.startswith("rule_")
        assert rule.__doc__ and "Brief:" in rule.__doc__
        assert rule({}, INCIDENT_DAY) == []


# --- overall ---------------------------------------------------------------------------------


def test_no_answers_is_standard_with_no_reasons() -> None:
    assert assess({}) == Assessment(Grade.STANDARD, ())


def test_answers_without_risk_are_standard() -> None:
    answers = {
        "incident.datetime": INCIDENT,
        "children": [child(child__seen=True, voice__disclosure=False, observed__injury=False)],
        "home.carer_capable": True,
        "household.toxic_trio": ["domestic_abuse"],
        "concern.dash_score": 5,
    }
    assert assess(answers) == Assessment(Grade.STANDARD, ())


def test_brief_example_child_disclosed_and_police_protection() -> None:
    # "high because: child disclosed; police protection used"
    result = assess(
        {
            "action.police_protection": True,
            "children": [child(voice__disclosure=True)],
        }
    )
    assert result == Assessment(Grade.HIGH, (H("child_disclosed", "Amy"), H("police_protection")))


def test_reasons_are_high_first_then_rule_order() -> None:
    result = assess(
        {
            "household.previous_incidents_12m": 4,  # medium
            "concern.dash_score": 20,  # high
            "home.carer_capable": False,  # medium
            "action.police_protection": True,  # high
            "children": [child(child__seen=False, voice__disclosure=True)],
        }
    )
    assert result.grade is Grade.HIGH
    assert result.reasons == (
        H("child_disclosed", "Amy"),
        H("police_protection"),
        H("dash_high"),
        M("child_not_seen", "Amy"),
        M("carer_incapable"),
        M("previous_incidents"),
    )


def test_high_reasons_come_first_whatever_the_rule_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(risk, "RULES_BY_VERSION", {1: tuple(reversed(RULES))})
    result = assess({"home.carer_capable": False, "action.police_protection": True})
    assert result.reasons == (H("police_protection"), M("carer_incapable"))


def test_medium_only_gives_medium() -> None:
    assert assess({"home.carer_capable": False}) == Assessment(
        Grade.MEDIUM, (M("carer_incapable"),)
    )


def test_per_child_reasons_name_each_child_in_order_and_duplicates_go() -> None:
    result = assess(
        {
            "children": [
                child(voice__disclosure=True),
                {"child.name": "  Ben ", "voice.disclosure": True},
                {"child.name": "   ", "voice.disclosure": True},
                {"voice.disclosure": True},  # second unnamed child: same reason, kept once
                {"child.name": "Amy", "voice.disclosure": True},  # same name: kept once
            ]
        }
    )
    assert result.reasons == (
        H("child_disclosed", "Amy"),
        H("child_disclosed", "Ben"),
        H("child_disclosed", None),
    )


# --- high rules ------------------------------------------------------------------------------


def test_rule_child_disclosed() -> None:
    assert codes({"children": [child(voice__disclosure=True)]}) == ("child_disclosed",)
    assert codes({"children": [child(voice__disclosure=False)]}) == ()
    assert codes({"children": [child(voice__disclosure="yes")]}) == ()  # wrong type: ignored
    # any child, not only the first
    assert codes({"children": [child(), child(voice__disclosure=True)]}) == ("child_disclosed",)


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        ("2025-04-10", ("baby_injured",)),  # 11 months on the incident date
        ("2025-03-11", ("baby_injured",)),  # first birthday is tomorrow
        ("2025-03-10", ("injury_observed",)),  # first birthday today: no longer under 1
        ("2025-02-10", ("injury_observed",)),  # 13 months on the incident date
    ],
)
def test_rule_non_mobile_baby_injured_by_dob_on_incident_date(
    dob: str, expected: tuple[str, ...]
) -> None:
    answers = {
        "incident.datetime": INCIDENT,
        "children": [child(child__dob=dob, observed__injury=True)],
    }
    assert codes(answers, on=OTHER_DAY) == expected


def test_rule_non_mobile_baby_injured_uses_on_without_incident_date() -> None:
    answers = {"children": [child(child__dob="2025-04-10", observed__injury=True)]}
    assert codes(answers, on=INCIDENT_DAY) == ("baby_injured",)  # 11 months
    assert codes(answers, on=date(2026, 5, 10)) == ("injury_observed",)  # 13 months
    assert codes(answers, on=datetime(2026, 3, 10, 23, 0)) == ("baby_injured",)


def test_rule_non_mobile_baby_injured_leap_day_birthday() -> None:
    baby = child(child__dob="2024-02-29", observed__injury=True)
    assert codes({"children": [baby]}, on=date(2025, 2, 28)) == ("baby_injured",)
    assert codes({"children": [baby]}, on=date(2025, 3, 1)) == ("injury_observed",)


@pytest.mark.parametrize(
    ("estimate", "expected"),
    [(0.5, ("baby_injured",)), (0, ("baby_injured",)), (1, ("injury_observed",))],
)
def test_rule_non_mobile_baby_injured_by_age_estimate(
    estimate: float, expected: tuple[str, ...]
) -> None:
    answers = {"children": [child(child__age_estimate=estimate, observed__injury=True)]}
    assert codes(answers) == expected


def test_rule_non_mobile_baby_injured_not_yet_mobile_at_any_age() -> None:
    older = child(child__age_estimate=3, child__not_yet_mobile=True, observed__injury=True)
    assert codes({"children": [older]}) == ("baby_injured",)
    older["child.not_yet_mobile"] = False
    assert codes({"children": [older]}) == ("injury_observed",)


def test_rule_non_mobile_baby_injured_counts_listed_injuries() -> None:
    baby = child(child__not_yet_mobile=True, observed__injuries=[{"injury.location": "ear"}])
    assert codes({"children": [baby]}) == ("baby_injured",)


def test_rule_non_mobile_baby_injured_needs_an_injury() -> None:
    baby = child(child__dob="2026-01-01", child__not_yet_mobile=True, observed__injury=False)
    assert codes({"children": [baby]}) == ()
    baby["observed.injuries"] = []
    assert codes({"children": [baby]}) == ()


def test_baby_injured_replaces_injury_observed_only_for_that_child() -> None:
    result = assess(
        {
            "children": [
                {"child.name": "Baby", "child.age_estimate": 0.3, "observed.injury": True},
                {"child.name": "Cara", "child.age_estimate": 8, "observed.injury": True},
            ]
        }
    )
    assert result.reasons == (H("baby_injured", "Baby"), M("injury_observed", "Cara"))


def test_rule_abuser_hurt_children() -> None:
    assert codes({"concern.da_abuser_hurt_children": True}) == ("abuser_hurt_children",)
    assert codes({"concern.da_abuser_hurt_children": False}) == ()


def test_rule_afraid_to_go_home() -> None:
    assert codes({"children": [child(voice__afraid_to_go_home=True)]}) == ("afraid_to_go_home",)
    assert codes({"children": [child(voice__afraid_to_go_home=False)]}) == ()
    assert assess({"children": [child(voice__afraid_to_go_home=True)]}).grade is Grade.HIGH


def test_rule_police_protection() -> None:
    assert codes({"action.police_protection": True}) == ("police_protection",)
    assert codes({"action.police_protection": False}) == ()


def test_rule_exploitation_indicators() -> None:
    two = ["older_partner", "missing_episodes"]
    assert codes({"concern.exploitation_indicators": two}) == ("exploitation_indicators",)
    assert codes({"concern.exploitation_indicators": ["older_partner"]}) == ()
    # the same indicator twice, or an unknown id, is still one indicator
    assert codes({"concern.exploitation_indicators": ["older_partner"] * 2}) == ()
    assert codes({"concern.exploitation_indicators": ["older_partner", "made_up"]}) == ()


def test_rule_custody_self_harm() -> None:
    assert codes({"concern.custody_self_harm_risk": True}) == ("custody_self_harm",)
    assert codes({"concern.custody_self_harm_risk": False}) == ()


def test_rule_fgm_forced_marriage_hba() -> None:
    chosen = {"concern.categories": ["physical", "fgm_forced_marriage_hba"]}
    assert codes(chosen) == ("fgm_forced_marriage_hba",)
    assert codes({"concern.categories": ["physical", "exploitation_sexual"]}) == ()


@pytest.mark.parametrize(("score", "expected"), [(14, ("dash_high",)), (27, ("dash_high",))])
def test_rule_dash_high(score: int, expected: tuple[str, ...]) -> None:
    assert codes({"concern.dash_score": score}) == expected
    assert assess({"concern.dash_score": score}).grade is Grade.HIGH


@pytest.mark.parametrize("score", [13, 13.9, 0])
def test_rule_dash_high_near_miss(score: float) -> None:
    assert codes({"concern.dash_score": score}) == ()


# --- medium rules ----------------------------------------------------------------------------


def test_rule_child_not_seen() -> None:
    assert codes({"children": [child(child__seen=False)]}) == ("child_not_seen",)
    assert codes({"children": [child(child__seen=True)]}) == ()
    assert codes({"children": [child()]}) == ()  # not answered yet


def test_rule_child_not_seen_not_for_an_unborn_child() -> None:
    unborn = child(child__unborn=True, child__seen=False)
    assert codes({"children": [unborn]}) == ()
    assert codes({"children": [unborn, child(child__seen=False)]}) == ("child_not_seen",)


def test_rule_injury_observed() -> None:
    result = assess({"children": [child(child__age_estimate=6, observed__injury=True)]})
    assert result == Assessment(Grade.MEDIUM, (M("injury_observed", "Amy"),))
    assert codes({"children": [child(child__age_estimate=6, observed__injury=False)]}) == ()


def test_rule_medical_needed() -> None:
    assert codes({"children": [child(observed__medical_needed=True)]}) == ("medical_needed",)
    assert codes({"children": [child(observed__medical_needed=False)]}) == ()


def test_rule_carer_incapable() -> None:
    assert codes({"home.carer_capable": False}) == ("carer_incapable",)
    assert codes({"home.carer_capable": True}) == ()
    assert codes({"home.carer_capable": None}) == ()


def test_rule_toxic_trio() -> None:
    two = ["domestic_abuse", "substance_misuse"]
    assert codes({"household.toxic_trio": two}) == ("toxic_trio",)
    assert codes({"household.toxic_trio": [*two, "parental_mental_health"]}) == ("toxic_trio",)
    assert codes({"household.toxic_trio": ["domestic_abuse"]}) == ()
    assert codes({"household.toxic_trio": ["domestic_abuse", "domestic_abuse"]}) == ()


@pytest.mark.parametrize(
    ("count", "expected"), [(2, ()), (3, ("previous_incidents",)), (9, ("previous_incidents",))]
)
def test_rule_previous_incidents(count: int, expected: tuple[str, ...]) -> None:
    assert codes({"household.previous_incidents_12m": count}) == expected


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(24, ()), (24.0, ()), (24.5, ("custody_over_24h",)), (25, ("custody_over_24h",))],
)
def test_rule_custody_over_24h(hours: float, expected: tuple[str, ...]) -> None:
    assert codes({"concern.custody_hours": hours}) == expected


# --- odd input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"concern.dash_score": "20"},
        {"concern.dash_score": True},
        {"concern.dash_score": float("nan")},
        {"concern.custody_hours": float("inf")},
        {"household.previous_incidents_12m": None},
        {"household.toxic_trio": "domestic_abuse,substance_misuse"},
        {"concern.categories": "fgm_forced_marriage_hba"},
        {"action.police_protection": 1},
        {"children": "Amy"},
        {"children": [None, 3, "x", ["voice.disclosure", True]]},
        {"children": [{"child.dob": "not a date", "observed.injuries": [None, "cut"]}]},
        {"children": [{"child.dob": "9999-12-31", "child.age_estimate": "0"}]},
        {"incident.datetime": "yesterday"},
    ],
)
def test_wrong_types_are_ignored(answers: dict[str, Any]) -> None:
    assert assess(answers) == Assessment(Grade.STANDARD, ())


def test_not_a_mapping_is_treated_as_no_answers() -> None:
    assert assess(None) == Assessment(Grade.STANDARD, ())  # type: ignore[arg-type]
    assert assess([1, 2]) == Assessment(Grade.STANDARD, ())  # type: ignore[arg-type]


def test_reference_date() -> None:
    assert reference_date({"incident.datetime": INCIDENT}, OTHER_DAY) == INCIDENT_DAY
    assert reference_date({"incident.datetime": "2026-03-10T21:15:00Z"}) == INCIDENT_DAY
    assert reference_date({"incident.datetime": "2026-03-10"}) == INCIDENT_DAY
    assert reference_date({"incident.datetime": "soon"}, OTHER_DAY) == OTHER_DAY
    assert reference_date({}, datetime(2026, 3, 10, 8, 0)) == INCIDENT_DAY
    assert isinstance(reference_date({}), date)


def test_a_dob_after_the_incident_date_counts_as_under_one() -> None:
    # an expected date of birth, or a slip: the rule only raises the grade, a person reviews it
    answers = {
        "incident.datetime": INCIDENT,
        "children": [child(child__dob="2026-06-01", observed__injury=True)],
    }
    assert codes(answers) == ("baby_injured",)
