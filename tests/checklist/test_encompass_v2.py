"""Operation Encompass worked out by the system: which children, and the school day by which
their school must be told."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.checklist import encompass
from tests.checklist.builders_v2 import child_answers_v2, complete_answers_v2


@pytest.mark.parametrize(
    ("incident", "due"),
    [
        ("2026-03-10T21:15:00+00:00", date(2026, 3, 11)),  # Tuesday night: Wednesday
        ("2026-03-13T22:00:00+00:00", date(2026, 3, 16)),  # Friday night: Monday
        ("2026-03-14T10:00:00+00:00", date(2026, 3, 16)),  # Saturday: Monday
        ("2026-03-15T23:59:00+00:00", date(2026, 3, 16)),  # Sunday: Monday
        ("2026-03-16T06:30:00+00:00", date(2026, 3, 16)),  # Monday before 08:00: that day
        ("2026-03-16T08:00:00+00:00", date(2026, 3, 17)),  # Monday from 08:00: Tuesday
        ("2026-06-01T06:30:00+00:00", date(2026, 6, 1)),  # 07:30 in summer time: that day
        ("2026-06-01T07:30:00+00:00", date(2026, 6, 2)),  # 08:30 in summer time: next day
        ("2026-03-13T06:00:00+00:00", date(2026, 3, 13)),  # Friday early morning: Friday
    ],
)
def test_next_school_day(incident: str, due: date) -> None:
    assert encompass.next_school_day(datetime.fromisoformat(incident)) == due


def _child(name: str, dob: str, school: str | None = "Anytown Primary") -> dict[str, object]:
    return child_answers_v2(**{"child.name": name, "child.dob": dob, "child.school": school})


def test_school_age_children_with_a_school_are_listed() -> None:
    answers = complete_answers_v2(
        children=[
            _child("Three", "2022-03-11"),  # 3 on 10 March 2026
            _child("Four", "2022-03-10"),  # 4 that day
            _child("Seventeen", "2008-03-11"),  # 17
            _child("No school", "2015-01-01", school=None),
        ]
    )
    found = encompass.notifications(answers, version=2)
    assert [(n.child_name, n.age, n.due) for n in found] == [
        ("Four", 4, date(2026, 3, 11)),
        ("Seventeen", 17, date(2026, 3, 11)),
    ]
    assert found[0].school == "Anytown Primary"


def test_an_age_estimate_counts_and_an_unborn_child_does_not() -> None:
    estimated = child_answers_v2(**{"child.dob": None, "child.age_estimate": 9})
    unborn = {"child.unborn": True, "child.name": "Unborn", "child.school": "x"}
    found = encompass.notifications(complete_answers_v2(children=[estimated, unborn]), version=2)
    assert [n.age for n in found] == [9]


def test_a_child_who_witnessed_domestic_abuse_in_another_incident_type() -> None:
    answers = complete_answers_v2(**{"incident.type": "crime"})
    assert len(encompass.notifications(answers, version=2)) == 1
    neglect = child_answers_v2(**{"concern.categories": ["neglect"]})
    answers = complete_answers_v2(**{"incident.type": "crime"}, children=[neglect])
    assert encompass.notifications(answers, version=2) == []


def test_none_for_v1_or_without_an_incident_time() -> None:
    assert encompass.notifications(complete_answers_v2(), version=1) == []
    answers = complete_answers_v2(**{"incident.datetime": None})
    assert encompass.notifications(answers, version=2) == []
