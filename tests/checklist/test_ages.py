"""A child's age in years and months, worked out on the incident date (answers/ages.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.checklist.answers.ages import (
    AgeParts,
    age_in_words,
    age_parts,
    child_age_in_words,
    child_age_parts,
)

ON = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("dob", "words"),
    [
        ("2025-11-10", "4 months"),
        ("2025-11-11", "3 months"),  # a day short of 4 months
        ("2023-12-10", "2 years 3 months"),
        ("2025-03-10", "1 year"),
        ("2025-02-10", "1 year 1 month"),
        ("2016-03-10", "10 years"),
        ("2026-02-10", "1 month"),
        ("2026-02-17", "3 weeks"),
        ("2026-03-03", "1 week"),
        ("2026-03-09", "1 day"),
        ("2026-03-10", "0 days"),
        ("2026-03-11", "unborn"),  # an expected date of birth
    ],
)
def test_age_in_words_from_a_date_of_birth(dob: str, words: str) -> None:
    assert age_in_words(dob, ON) == words


def test_age_parts_are_whole_years_and_months() -> None:
    assert age_parts("2023-12-10", ON) == AgeParts(years=2, months=3)
    assert age_parts("2025-11-01", ON) == AgeParts(years=0, months=4, days=9)
    assert age_parts(date(2023, 12, 10), datetime(2026, 3, 10, 23, 0)) == AgeParts(2, 3)


def test_a_date_of_birth_after_the_day_has_no_age_in_numbers() -> None:
    assert age_parts("2026-04-01", ON) is None


def test_month_ends_and_leap_days() -> None:
    # Born 31 January: a month old on the last day of February.
    assert age_in_words("2026-01-31", date(2026, 2, 28)) == "1 month"
    assert age_in_words("2026-01-31", date(2026, 2, 27)) == "3 weeks"
    assert age_in_words("2024-01-31", date(2024, 2, 29)) == "1 month"
    assert age_in_words("2024-01-31", date(2024, 2, 28)) == "4 weeks"
    assert age_parts("2024-01-31", date(2024, 3, 1)) == AgeParts(0, 1, 1)
    # Born 29 February: one year old on 28 February (the month's last day) of the next year.
    assert age_in_words("2024-02-29", date(2025, 2, 28)) == "1 year"
    assert age_in_words("2024-02-29", date(2025, 2, 27)) == "11 months"


@pytest.mark.parametrize(
    ("estimate", "words"),
    [
        (6, "about 6 years"),
        (1, "about 1 year"),
        (2.5, "about 2 years 6 months"),
        (0.25, "about 3 months"),
        (0, "under 1 month"),
    ],
)
def test_an_estimate_in_years_reads_as_about(estimate: float, words: str) -> None:
    assert age_in_words(estimate, ON) == words
    parts = age_parts(estimate, ON)
    assert parts is not None and parts.estimated


@pytest.mark.parametrize(
    "value", [None, True, "", "not a date", "2026-02-30", -1, float("nan"), 1e308, [2020], {}]
)
def test_values_that_are_no_age(value: object) -> None:
    assert age_parts(value, ON) is None
    assert age_in_words(value, ON) is None


def test_a_child_entry_uses_dob_then_estimate_and_unborn_wins() -> None:
    assert child_age_in_words({"child.dob": "2025-11-10", "child.age_estimate": 9}, ON) == (
        "4 months"
    )
    assert child_age_in_words({"child.dob": "junk", "child.age_estimate": 9}, ON) == "about 9 years"
    assert child_age_in_words({"child.unborn": True, "child.due_date": "2026-06-01"}, ON) == (
        "unborn"
    )
    assert child_age_in_words({"child.name": "Amy"}, ON) is None
    assert child_age_parts({"child.unborn": True, "child.age_estimate": 0}, ON) is None
    assert child_age_parts({"child.age_estimate": 3}, ON) == AgeParts(3, 0, estimated=True)


@settings(max_examples=150, deadline=None)
@given(
    dob=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    days=st.integers(min_value=0, max_value=40_000),
)
def test_age_parts_agree_with_whole_months_passed(dob: date, days: int) -> None:
    on = dob + timedelta(days=days)
    parts = age_parts(dob, on)
    assert parts is not None
    months = parts.years * 12 + parts.months
    assert 0 <= parts.months < 12 and parts.days >= 0
    # Whole months: at least that many month-days have passed, and not one more.
    assert 0 <= parts.days <= 31
    assert (on.year * 12 + on.month) - (dob.year * 12 + dob.month) in (months, months + 1)
