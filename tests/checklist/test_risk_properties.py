"""Risk rules: properties over generated answer sets (hypothesis)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.checklist.risk import (
    REASON_CODES,
    REASON_GRADES,
    Assessment,
    Grade,
    Reason,
    assess,
    max_grade,
)
from app.checklist.risk.rules_v1 import EXPLOITATION_INDICATOR_OPTIONS, TOXIC_TRIO_OPTIONS

ON = date(2026, 3, 10)
SETTINGS = settings(max_examples=200, deadline=None)

# --- strategies ------------------------------------------------------------------------------

junk: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)

dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
iso_dates = dates.map(date.isoformat) | st.datetimes().map(lambda d: d.isoformat())
numbers = st.integers(min_value=-5, max_value=60) | st.floats(-5, 60, allow_nan=False)
categories = [
    "physical",
    "emotional",
    "sexual",
    "neglect",
    "domestic_abuse_witnessed",
    "exploitation_sexual",
    "exploitation_criminal",
    "missing",
    "online_harm",
    "fgm_forced_marriage_hba",
    "radicalisation",
    "child_in_custody",
]


def multi(options: list[str] | frozenset[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(sorted(options)) | st.text(max_size=8), max_size=4)


def plausible_or_junk(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return plausible | plausible | junk


injury = st.fixed_dictionaries(
    {},
    optional={
        "injury.location": plausible_or_junk(st.text(max_size=8)),
        "injury.skin_broken": plausible_or_junk(st.booleans()),
    },
)

child_entry = st.fixed_dictionaries(
    {},
    optional={
        "child.name": plausible_or_junk(st.sampled_from(["Amy", "Ben", " ", "", "Amy "])),
        "child.dob": plausible_or_junk(iso_dates),
        "child.age_estimate": plausible_or_junk(numbers),
        "child.not_yet_mobile": plausible_or_junk(st.booleans()),
        "child.unborn": plausible_or_junk(st.booleans()),
        "child.seen": plausible_or_junk(st.booleans()),
        "voice.disclosure": plausible_or_junk(st.booleans()),
        "voice.afraid_to_go_home": plausible_or_junk(st.booleans()),
        "observed.injury": plausible_or_junk(st.booleans()),
        "observed.injuries": plausible_or_junk(st.lists(injury | junk, max_size=3)),
        "observed.medical_needed": plausible_or_junk(st.booleans()),
    },
)

answer_sets: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {},
    optional={
        "incident.datetime": plausible_or_junk(iso_dates),
        "children": plausible_or_junk(st.lists(child_entry | junk, max_size=4)),
        "home.carer_capable": plausible_or_junk(st.booleans()),
        "household.toxic_trio": plausible_or_junk(multi(TOXIC_TRIO_OPTIONS)),
        "household.previous_incidents_12m": plausible_or_junk(numbers),
        "household.adults": plausible_or_junk(st.lists(junk, max_size=3)),
        "concern.categories": plausible_or_junk(multi(categories)),
        "concern.da_abuser_hurt_children": plausible_or_junk(st.booleans()),
        "concern.dash_score": plausible_or_junk(numbers),
        "concern.exploitation_indicators": plausible_or_junk(multi(EXPLOITATION_INDICATOR_OPTIONS)),
        "concern.custody_hours": plausible_or_junk(numbers),
        "concern.custody_self_harm_risk": plausible_or_junk(st.booleans()),
        "action.police_protection": plausible_or_junk(st.booleans()),
    },
)


def check_invariants(result: Assessment) -> None:
    assert isinstance(result, Assessment)
    assert result.grade is max_grade(*(r.grade for r in result.reasons))
    assert len(set(result.reasons)) == len(result.reasons)
    ranks = [r.grade.rank for r in result.reasons]
    assert ranks == sorted(ranks, reverse=True)
    for reason in result.reasons:
        assert reason.code in REASON_CODES
        assert reason.grade is REASON_GRADES[reason.code]
        assert reason.child is None or (reason.child and reason.child == reason.child.strip())


# --- totality and the grade ------------------------------------------------------------------


@SETTINGS
@given(answers=answer_sets)
def test_any_answer_set_gives_a_consistent_assessment(answers: dict[str, Any]) -> None:
    check_invariants(assess(answers, on=ON))


@SETTINGS
@given(answers=st.dictionaries(st.text(max_size=30), junk, max_size=6), on=st.none() | dates)
def test_arbitrary_json_never_raises(answers: dict[str, Any], on: date | None) -> None:
    check_invariants(assess(answers, on=on))


TOP_KEYS = [
    "incident.datetime",
    "children",
    "home.carer_capable",
    "household.toxic_trio",
    "household.previous_incidents_12m",
    "concern.categories",
    "concern.da_abuser_hurt_children",
    "concern.dash_score",
    "concern.exploitation_indicators",
    "concern.custody_hours",
    "concern.custody_self_harm_risk",
    "action.police_protection",
]
CHILD_KEYS = [
    "child.name",
    "child.dob",
    "child.age_estimate",
    "child.not_yet_mobile",
    "child.unborn",
    "child.seen",
    "voice.disclosure",
    "voice.afraid_to_go_home",
    "observed.injury",
    "observed.injuries",
    "observed.medical_needed",
]


@SETTINGS
@given(
    answers=st.dictionaries(st.sampled_from(TOP_KEYS), junk, max_size=6),
    children=st.lists(st.dictionaries(st.sampled_from(CHILD_KEYS), junk, max_size=6), max_size=3),
)
def test_relevant_keys_with_junk_values_never_raise(
    answers: dict[str, Any], children: list[dict[str, Any]]
) -> None:
    check_invariants(assess(answers, on=ON))
    check_invariants(assess({**answers, "children": children}, on=ON))


# --- monotonicity ----------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], tuple[str, int | None] | None]
"""Adds one risk answer in place; returns (expected code, child index) when one is guaranteed."""


def set_top(key: str, value: Any, code: str) -> Mutation:
    def mutate(answers: dict[str, Any]) -> tuple[str, int | None]:
        answers[key] = value
        return code, None

    return mutate


def add_fgm(answers: dict[str, Any]) -> tuple[str, int | None]:
    chosen = answers.get("concern.categories")
    chosen = list(chosen) if isinstance(chosen, list) else []
    answers["concern.categories"] = [*chosen, "fgm_forced_marriage_hba"]
    return "fgm_forced_marriage_hba", None


def at_least_two(options: frozenset[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(sorted(options)), min_size=2, max_size=6, unique=True)


top_mutations: st.SearchStrategy[Mutation] = st.one_of(
    st.just(set_top("concern.da_abuser_hurt_children", True, "abuser_hurt_children")),
    st.just(set_top("action.police_protection", True, "police_protection")),
    st.just(set_top("concern.custody_self_harm_risk", True, "custody_self_harm")),
    st.just(set_top("home.carer_capable", False, "carer_incapable")),
    st.just(add_fgm),
    at_least_two(EXPLOITATION_INDICATOR_OPTIONS).map(
        lambda v: set_top("concern.exploitation_indicators", v, "exploitation_indicators")
    ),
    at_least_two(TOXIC_TRIO_OPTIONS).map(
        lambda v: set_top("household.toxic_trio", v, "toxic_trio")
    ),
    st.integers(14, 27).map(lambda v: set_top("concern.dash_score", v, "dash_high")),
    st.integers(3, 40).map(
        lambda v: set_top("household.previous_incidents_12m", v, "previous_incidents")
    ),
    (st.integers(25, 200) | st.floats(24, 200, exclude_min=True)).map(
        lambda v: set_top("concern.custody_hours", v, "custody_over_24h")
    ),
)

# (key, value, code guaranteed for that child or None)
child_risk_answers: st.SearchStrategy[list[tuple[str, Any, str | None]]] = st.one_of(
    st.just([("voice.disclosure", True, "child_disclosed")]),
    st.just([("voice.afraid_to_go_home", True, "afraid_to_go_home")]),
    st.just([("observed.medical_needed", True, "medical_needed")]),
    st.just([("child.seen", False, "child_not_seen")]),
    st.just([("observed.injury", True, "injury_observed")]),
    st.just([("child.not_yet_mobile", True, None)]),
    st.just([("child.not_yet_mobile", True, None), ("observed.injury", True, "baby_injured")]),
    st.floats(0, 1, exclude_max=True).map(lambda v: [("child.age_estimate", v, None)]),
    st.integers(0, 364).map(
        lambda days: [("child.dob", (ON - timedelta(days=days)).isoformat(), None)]
    ),
)


@st.composite
def child_mutations(draw: st.DrawFn) -> Mutation:
    risk_answers = draw(child_risk_answers)
    slot = draw(st.integers(0, 5))

    def mutate(answers: dict[str, Any]) -> tuple[str, int | None] | None:
        children = answers.get("children")
        if not isinstance(children, list):
            children = answers["children"] = []
        entries = [i for i, c in enumerate(children) if isinstance(c, dict)]
        if slot < len(entries):
            index = entries[slot]
        else:
            children.append({"child.name": "New"})
            index = len(children) - 1
        expected = None
        for key, value, code in risk_answers:
            children[index][key] = value
            expected = code
        return None if expected is None else (expected, index)

    return mutate


def child_label(answers: dict[str, Any], index: int) -> str | None:
    name = answers["children"][index].get("child.name")
    return name.strip() if isinstance(name, str) and name.strip() else None


@SETTINGS
@given(answers=answer_sets, mutation=top_mutations | child_mutations())
def test_adding_a_risk_answer_never_lowers_the_grade(
    answers: dict[str, Any], mutation: Mutation
) -> None:
    before = assess(answers, on=ON)
    after_answers = copy.deepcopy(answers)
    expected = mutation(after_answers)
    after = assess(after_answers, on=ON)

    check_invariants(after)
    assert after.grade >= before.grade

    # nothing found before is lost, except an injury now covered by the non-mobile baby rule
    for reason in before.reasons:
        assert reason in after.reasons or (
            reason.code == "injury_observed"
            and Reason("baby_injured", Grade.HIGH, reason.child) in after.reasons
        )

    # the added answer is itself a reason (where the rules guarantee one)
    if expected is None:
        return
    code, index = expected
    label = None if index is None else child_label(after_answers, index)
    if code == "child_not_seen" and after_answers["children"][index].get("child.unborn") is True:
        return  # an unborn child cannot be seen
    wanted = {Reason(code, REASON_GRADES[code], label)}
    if code == "injury_observed":
        wanted.add(Reason("baby_injured", Grade.HIGH, label))
    assert wanted & set(after.reasons)
    assert after.grade >= REASON_GRADES[code]


@SETTINGS
@given(answers=answer_sets)
def test_grade_is_the_highest_reason_grade(answers: dict[str, Any]) -> None:
    result = assess(answers, on=ON)
    expected = Grade.STANDARD
    for reason in result.reasons:
        if reason.grade > expected:
            expected = reason.grade
    assert result.grade is expected
    assert (result.grade is Grade.STANDARD) == (result.reasons == ())
