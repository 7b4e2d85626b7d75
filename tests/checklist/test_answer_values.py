"""validate_values: each kind of wrong value gets a plain-English message at its path."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.checklist.answers import age_on, parse_date, parse_datetime, validate_values
from app.checklist.promptset import load_version

PS = load_version(1)
TODAY = date(2026, 3, 20)
INCIDENT = "2026-03-10T21:15:00+00:00"  # ages are measured on the incident date
OVER_18 = "A child entry must be under 18."


def errors(answers: dict[str, Any], today: date = TODAY) -> dict[str, str]:
    return validate_values(PS, answers, today=today)


def child_errors(entry: dict[str, Any], **top: Any) -> dict[str, str]:
    return errors({"incident.datetime": INCIDENT, **top, "children": [entry]})


def test_good_values_of_every_type_pass() -> None:
    answers = {
        "incident.log_ref": "INC-1",
        "incident.type": "domestic_abuse",
        "incident.datetime": INCIDENT,
        "incident.summary": "x" * 5000,
        "gate.children_present": True,
        "gate.pregnancy": False,
        "home.conditions": ["weapons", "no_food"],
        "action.taken": ["none"],
        "concern.dash_score": 27,
        "household.previous_incidents_12m": 0,
        "household.adults": [{"adult.name": "Jo", "adult.dob": "1990-01-31"}],
        "children": [
            {
                "child.dob": "2019-03-27",
                "child.age_estimate": 6.5,
                "voice.disclosure_time": "2026-03-10T21:40",
                "observed.injuries": [{"injury.size": "2cm", "injury.skin_broken": False}],
            }
        ],
    }
    assert errors(answers) == {}


def test_unanswered_values_and_unknown_keys_are_not_checked() -> None:
    answers = {
        "incident.type": None,
        "incident.datetime": "",
        "home.conditions": [],
        "nonsense": {"a": 1},
        "children": [{"child.dob": "   ", "child.mystery": 5}],
    }
    assert errors(answers) == {}


@pytest.mark.parametrize("value", ["yes", 1, 0, "true", ["yes"]])
def test_yesno_must_be_true_or_false(value: Any) -> None:
    assert errors({"gate.pregnancy": value}) == {
        "gate.pregnancy": (
            'Select yes or no for "Is anyone involved pregnant, or have they had a baby in the '
            'last 18 months?"'
        )
    }


@pytest.mark.parametrize("value", ["burglary", "Domestic_Abuse", True, 3, ["crime"]])
def test_choice_must_be_one_of_its_options(value: Any) -> None:
    assert errors({"incident.type": value}) == {
        "incident.type": 'Select one of the options shown for "Type of incident"'
    }


def test_known_to_social_care_is_a_choice_not_a_yesno() -> None:
    entry = {"child.known_to_social_care": True}
    assert list(child_errors(entry)) == ["children[0].child.known_to_social_care"]
    assert child_errors({"child.known_to_social_care": "yes"}) == {}


@pytest.mark.parametrize(
    "value", ["weapons", ["weapons", "guns"], ["weapons", "weapons"], [1], {"weapons": True}]
)
def test_multi_must_be_a_list_of_its_options(value: Any) -> None:
    assert errors({"home.conditions": value}) == {
        "home.conditions": 'Select only the options shown for "What did you find in the home?"'
    }


@pytest.mark.parametrize(
    ("prompt_id", "value", "option"),
    [
        ("home.conditions", ["none_of_these", "weapons"], "None of these"),
        ("action.taken", ["arrest", "none"], "None of these"),
    ],
)
def test_the_exclusive_option_stands_alone(prompt_id: str, value: list[str], option: str) -> None:
    label = PS.prompt(prompt_id).label
    assert errors({prompt_id: value}) == {
        prompt_id: f'For "{label}", you cannot select "{option}" together with other options'
    }
    assert errors({prompt_id: value[:1]}) == {}


@pytest.mark.parametrize("value", [5, True, ["words"], {"a": "b"}])
def test_text_must_be_text(value: Any) -> None:
    assert errors({"incident.summary": value}) == {
        "incident.summary": 'Type your answer to "What happened" as words'
    }


def test_text_too_long() -> None:
    assert errors({"incident.log_ref": "x" * 51}) == {
        "incident.log_ref": (
            'Your answer to "Incident or occurrence number" must be 50 characters or fewer'
        )
    }
    assert errors({"incident.log_ref": "x" * 50}) == {}


@pytest.mark.parametrize(
    "value", ["27/03/2019", "2019-02-30", "2019-3-27", "20190327", "2019-03-27T10:00", 20190327]
)
def test_dates_must_be_real_dates(value: Any) -> None:
    assert child_errors({"child.dob": value}) == {
        "children[0].child.dob": (
            "Enter the child's date of birth as a real date, for example 27/3/2019"
        )
    }


@pytest.mark.parametrize(
    "value",
    ["2026-03-10", "tomorrow", "2026-13-01T10:00", "2026-03-10T25:00", "10/3/2026 21:15", 5],
)
def test_datetimes_must_be_real_dates_and_times(value: Any) -> None:
    assert errors({"incident.datetime": value}) == {
        "incident.datetime": (
            "Enter the date and time of the incident as a real date and time, "
            "for example 27/3/2019 14:30"
        )
    }


@pytest.mark.parametrize(
    "value",
    ["2026-03-10T21:15", "2026-03-10T21:15:07", "2026-03-10T21:15:00Z", "2026-03-10 21:15+01:00"],
)
def test_datetimes_in_iso_8601(value: str) -> None:
    assert errors({"incident.datetime": value}) == {}


@pytest.mark.parametrize("value", ["3", True, float("nan"), float("inf"), [3], None])
def test_numbers_must_be_numbers(value: Any) -> None:
    message = 'Enter "DASH score (number of yes answers)" as a number, for example 3'
    expected = {} if value is None else {"concern.dash_score": message}
    assert errors({"concern.dash_score": value}) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, '"DASH score (number of yes answers)" must be 0 or more'),
        (28, '"DASH score (number of yes answers)" must be 27 or less'),
        (27.5, '"DASH score (number of yes answers)" must be 27 or less'),
    ],
)
def test_numbers_out_of_range(value: float, message: str) -> None:
    assert errors({"concern.dash_score": value}) == {"concern.dash_score": message}
    assert errors({"concern.dash_score": 0}) == {}


# --- children under 18 ---------------------------------------------------------------------------


def test_a_17_year_old_by_date_of_birth_is_a_child() -> None:
    # 18th birthday the day after the incident.
    assert child_errors({"child.dob": "2008-03-11"}) == {}


def test_an_18_year_old_by_date_of_birth_is_refused() -> None:
    found = child_errors({"child.dob": "2008-03-10"})  # 18 on the incident date
    assert list(found) == ["children[0].child.dob"]
    assert found["children[0].child.dob"].startswith(OVER_18)
    assert "adults in the household" in found["children[0].child.dob"]


def test_age_is_measured_on_the_incident_date_else_today() -> None:
    # 17 at the incident (10 March), 18 by today (20 March): still a child for this referral.
    assert child_errors({"child.dob": "2008-03-15"}) == {}
    no_incident = errors({"children": [{"child.dob": "2008-03-15"}]})
    assert no_incident["children[0].child.dob"].startswith(OVER_18)


@pytest.mark.parametrize(
    ("age", "ok"), [(0, True), (0.5, True), (17, True), (18, False), (40, False)]
)
def test_age_estimate_must_be_under_18(age: float, ok: bool) -> None:
    found = child_errors({"child.age_estimate": age})
    if ok:
        assert found == {}
    else:
        assert found["children[0].child.age_estimate"].startswith(OVER_18)


def test_age_estimate_cannot_be_negative() -> None:
    assert child_errors({"child.age_estimate": -1}) == {
        "children[0].child.age_estimate": (
            '"Age in years, if you do not know the date of birth" must be 0 or more'
        )
    }


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    assert child_errors({"child.dob": "2026-03-21"}) == {
        "children[0].child.dob": "The child's date of birth must be today or in the past"
    }
    assert child_errors({"child.dob": "2026-03-20"}) == {}  # born today
    adults = {"household.adults": [{"adult.dob": "2030-01-01"}]}
    assert errors(adults) == {
        "household.adults[0].adult.dob": '"Date of birth" must be today or in the past'
    }


def test_a_due_date_may_be_in_the_future() -> None:
    assert child_errors({"child.unborn": True, "child.due_date": "2026-09-01"}) == {}
    assert child_errors({"child.due_date": "soon"}) == {
        "children[0].child.due_date": (
            "Enter the expected date of birth as a real date, for example 27/3/2026"
        )
    }


def test_today_defaults_to_the_uk_date() -> None:
    assert validate_values(PS, {"children": [{"child.dob": "2999-01-01"}]}) == {
        "children[0].child.dob": "The child's date of birth must be today or in the past"
    }


# --- paths and shapes ----------------------------------------------------------------------------


def test_paths_reach_into_nested_repeats() -> None:
    answers = {
        "children": [
            {"child.name": "Amy"},
            {
                "observed.injuries": [
                    {"injury.size": "2cm"},
                    {"injury.size": 2, "injury.skin_broken": "no"},
                ]
            },
        ]
    }
    assert errors(answers) == {
        "children[1].observed.injuries[1].injury.size": 'Type your answer to "Size" as words',
        "children[1].observed.injuries[1].injury.skin_broken": (
            'Select yes or no for "Is the skin broken?"'
        ),
    }


def test_lists_of_the_wrong_shape() -> None:
    assert errors({"children": {"child.name": "Amy"}}) == {
        "children": (
            'The list "Each child" is not in the right form. Go back to it and check each entry'
        )
    }
    found = errors({"children": ["Amy", {"observed.injuries": "bruise"}]})
    assert set(found) == {"children[0]", "children[1].observed.injuries"}
    assert found["children[1].observed.injuries"].startswith('The list "Marks and injuries"')
    assert set(errors({"household.adults": [{"adult.name": "Jo"}, 7]})) == {"household.adults[1]"}


def test_several_errors_are_reported_together() -> None:
    answers = {
        "incident.type": "burglary",
        "gate.pregnancy": "no",
        "children": [{"child.dob": "2030-01-01"}, {"child.age_estimate": 30}],
    }
    assert set(errors(answers)) == {
        "incident.type",
        "gate.pregnancy",
        "children[0].child.dob",
        "children[1].child.age_estimate",
    }


# --- helpers -------------------------------------------------------------------------------------


def test_parse_helpers() -> None:
    assert parse_date("2019-03-27") == date(2019, 3, 27)
    assert parse_date("2019-02-29") is None
    assert parse_date(None) is None
    assert parse_datetime("2026-03-10T21:15").isoformat() == "2026-03-10T21:15:00"  # type: ignore[union-attr]
    assert parse_datetime("2026-03-10") is None


def test_age_on_birthdays() -> None:
    assert age_on(date(2008, 3, 10), date(2026, 3, 9)) == 17
    assert age_on(date(2008, 3, 10), date(2026, 3, 10)) == 18
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_an_incident_after_today_is_refused() -> None:
    """A mistyped year (2046) would otherwise make every child "over 18" on the wrong page."""
    from datetime import date

    from app.checklist import answers as engine
    from app.checklist.promptset import current

    ps = current()
    today = date(2026, 11, 23)
    later = {"incident.datetime": "2046-11-20T22:15:00+00:00"}
    errors = engine.validate_values(ps, later, today=today)
    assert "must be today or in the past" in errors["incident.datetime"]
    ok = {"incident.datetime": "2026-11-23T23:50:00+00:00"}
    assert engine.validate_values(ps, ok, today=today) == {}
