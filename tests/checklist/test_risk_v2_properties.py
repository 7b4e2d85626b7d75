"""Risk rules v2: properties over generated answers (hypothesis, fixed example counts).

Answers are built by applying operations to a small incident: an operation sets a yes/no,
number or choice answer (only when it is not answered yet), adds an option to a multi answer, or
adds an item to a list, at the top level or in one child. A *risk answer* is one of the answers
that the v2 rules read as a risk (a yes that raises, a multi option, a number, a risky choice).
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.checklist import promptset
from app.checklist.risk import Assessment, Grade, assess, max_grade, rules_v2
from app.checklist.risk.facts_v2 import (
    CATEGORY_OPTIONS,
    EXPLOITATION_OTHER_SIGNS,
    EXPLOITATION_SERIOUS_SIGNS,
    HOME_CONDITIONS,
    TOXIC_TRIO_OPTIONS,
)
from tests.checklist.risk_v2_examples import BABY, INCIDENT, ON, TEN

SETTINGS = settings(max_examples=150, deadline=None)

Op = tuple[int | None, str, Any]  # (child index or None for the top level, key, value)

CHILD_RISK_YESNO: dict[str, bool] = {
    "voice.disclosure": True,
    "voice.disclosure_sexual": True,
    "voice.afraid_to_go_home": True,
    "child.seen": False,
    "child.mobile": False,
    "child.lives_here": True,
    "child.injury_reported": True,
    "observed.injury": True,
    "observed.medical_needed": True,
    "child.tonight_checked": False,
    "concern.missing_out_of_area": True,
    "concern.missing_found_with_adults": True,
    "concern.custody_self_harm_risk": True,
    "concern.custody_charged_refused_bail": True,
    "concern.custody_overnight": True,
    "concern.custody_transfer_to_la": False,
    "concern.custody_strip_search": True,
    "concern.custody_strip_search_aa_present": False,
    "concern.custody_appropriate_adult": False,
}
TOP_RISK_YESNO: dict[str, bool] = {
    "concern.da_abuser_hurt_children": True,
    "concern.da_strangulation": True,
    "concern.da_weapon": True,
    "concern.da_threats_to_kill": True,
    "concern.da_victim_pregnant": True,
    "concern.da_separation": True,
    "concern.da_stalking": True,
    "action.police_protection": True,
    "home.carer_capable": False,
    "home.carer_checks_done": False,
}
CHILD_NUMBERS = ["concern.missing_episodes_90d", "concern.custody_hours"]
TOP_NUMBERS = ["concern.dash_score", "household.previous_incidents_12m"]
CHILD_MULTI = {
    "concern.categories": CATEGORY_OPTIONS,
    "concern.exploitation_indicators": EXPLOITATION_SERIOUS_SIGNS | EXPLOITATION_OTHER_SIGNS,
}
TOP_MULTI = {"home.conditions": HOME_CONDITIONS, "household.toxic_trio": TOXIC_TRIO_OPTIONS}
CHILD_RISK_CHOICES = {
    "child.social_care_status": ["child_protection_plan", "looked_after", "child_in_need"]
}
TOP_RISK_CHOICES = {
    "concern.da_risk_level": ["medium", "high"],
    "home.carer_incapacity": ["intoxicated", "drugs"],
    "incident.type": ["domestic_abuse"],
}
# Answers that qualify others but are not risk answers themselves (base answers only).
CHILD_QUALIFIERS: dict[str, list[Any]] = {
    "voice.disclosure_about": [
        "parent_or_carer",
        "household_member",
        "other_known_adult",
        "another_child",
        "stranger",
        "not_said",
    ],
    "child.social_care_status": ["open_assessment", "other", "not_known", "child_in_need"],
    "child.dob": [BABY, "2024-09-10", TEN, "2008-09-01", "2026-05-01", "junk"],
    "child.age_estimate": [0, 0.5, 3, 12],
    "child.unborn": [True, False],
}
TOP_QUALIFIERS: dict[str, list[Any]] = {
    "concern.da_risk_level": ["standard", "medium", "high"],
    "home.carer_incapacity": ["intoxicated", "drugs", "mental_health", "absent", "other"],
    "incident.type": ["domestic_abuse", "concern_for_welfare", "missing_found", "custody_arrest"],
}
INJURY = {"injury.location": "arm"}
RISKY_ADULT = {"adult.name": "Lee", "adult.risk_to_children": True}
SAFE_ADULT = {"adult.name": "Jo", "adult.risk_to_children": False}

where = st.one_of(st.none(), st.integers(min_value=0, max_value=1))
child_at = st.integers(min_value=0, max_value=1)
numbers = st.integers(min_value=0, max_value=30) | st.floats(0, 30, allow_nan=False)


def _pick(mapping: dict[str, Any]) -> st.SearchStrategy[tuple[str, Any]]:
    return st.sampled_from(sorted(mapping.items())).flatmap(
        lambda kv: (
            st.tuples(st.just(kv[0]), st.sampled_from(sorted(kv[1])))
            if isinstance(kv[1], list | frozenset | set)
            else st.just(kv)
        )
    )


def _child(kv: st.SearchStrategy[tuple[str, Any]]) -> st.SearchStrategy[Op]:
    return st.tuples(child_at, kv).map(lambda t: (t[0], *t[1]))


def _top(kv: st.SearchStrategy[tuple[str, Any]]) -> st.SearchStrategy[Op]:
    return kv.map(lambda t: (None, *t))


risk_ops: st.SearchStrategy[Op] = st.one_of(
    _child(_pick(CHILD_RISK_YESNO)),
    _top(_pick(TOP_RISK_YESNO)),
    _child(st.tuples(st.sampled_from(CHILD_NUMBERS), numbers)),
    _top(st.tuples(st.sampled_from(TOP_NUMBERS), numbers)),
    _child(_pick(CHILD_MULTI)),
    _top(_pick(TOP_MULTI)),
    _child(_pick(CHILD_RISK_CHOICES)),
    _top(_pick(TOP_RISK_CHOICES)),
    _child(st.just(("observed.injuries", INJURY))),
    _top(st.just(("household.adults", RISKY_ADULT))),
)
base_ops: st.SearchStrategy[Op] = st.one_of(
    risk_ops,
    _child(st.tuples(st.sampled_from(sorted(CHILD_RISK_YESNO)), st.booleans())),
    _top(st.tuples(st.sampled_from(sorted(TOP_RISK_YESNO)), st.booleans())),
    _child(_pick(CHILD_QUALIFIERS)),
    _top(_pick(TOP_QUALIFIERS)),
    _top(st.just(("household.adults", SAFE_ADULT))),
)
LISTS = {"observed.injuries", "household.adults"}
MULTIS = set(CHILD_MULTI) | set(TOP_MULTI)


def apply(answers: dict[str, Any], op: Op) -> dict[str, Any]:
    """``answers`` with ``op`` added (a copy): a set answer is never changed, only added to."""
    out = copy.deepcopy(answers)
    index, key, value = op
    target = out if index is None else out["children"][index % len(out["children"])]
    if key in LISTS:
        target[key] = [*target.get(key, []), value]
    elif key in MULTIS:
        target[key] = sorted({*target.get(key, []), value})
    else:
        target.setdefault(key, value)
    return out


def build(seeds: list[tuple[str, bool | None]], ops: list[Op]) -> dict[str, Any]:
    """An incident with a child for each (date of birth, seen or not or not answered) seed, and
    ``ops`` applied in turn."""
    children: list[dict[str, Any]] = [
        {"child.name": name, "child.dob": dob, **({} if seen is None else {"child.seen": seen})}
        for name, (dob, seen) in zip(NAMES, seeds, strict=False)
    ]
    answers: dict[str, Any] = {"incident.datetime": INCIDENT, "children": children}
    for op in ops:
        answers = apply(answers, op)
    return answers


NAMES = ("Amy", "Ben")
incidents = st.builds(
    build,
    st.lists(
        st.tuples(st.sampled_from(CHILD_QUALIFIERS["child.dob"]), st.none() | st.booleans()),
        min_size=1,
        max_size=2,
    ),
    st.lists(base_ops, max_size=8),
)
SAMPLE_NUMBERS = (0, 2, 3, 9, 10, 12.5, 13, 14, 24, 25)


def _every_risk_answer() -> list[Op]:
    """Every risk answer (numbers by a sample around each threshold), in each place."""
    child_kv: list[tuple[str, Any]] = [
        *CHILD_RISK_YESNO.items(),
        *((k, n) for k in CHILD_NUMBERS for n in SAMPLE_NUMBERS),
        *((k, o) for k, opts in CHILD_MULTI.items() for o in sorted(opts)),
        *((k, o) for k, opts in CHILD_RISK_CHOICES.items() for o in opts),
        ("observed.injuries", INJURY),
    ]
    top_kv: list[tuple[str, Any]] = [
        *TOP_RISK_YESNO.items(),
        *((k, n) for k in TOP_NUMBERS for n in SAMPLE_NUMBERS),
        *((k, o) for k, opts in TOP_MULTI.items() for o in sorted(opts)),
        *((k, o) for k, opts in TOP_RISK_CHOICES.items() for o in opts),
        ("household.adults", RISKY_ADULT),
    ]
    return [(i, k, v) for i in (0, 1) for k, v in child_kv] + [(None, k, v) for k, v in top_kv]


EVERY_RISK_ANSWER = _every_risk_answer()


def v2(answers: dict[str, Any]) -> Assessment:
    return assess(answers, on=ON, version=2)


@settings(max_examples=60, deadline=None)
@given(answers=incidents)
def test_adding_a_risk_answer_never_lowers_the_v2_grade(answers: dict[str, Any]) -> None:
    """Whatever was answered before, adding any one risk answer (in any place) keeps or raises
    the v2 grade."""
    before = v2(answers).grade
    for risk in EVERY_RISK_ANSWER:
        assert v2(apply(answers, risk)).grade >= before, risk


@SETTINGS
@given(answers=incidents)
def test_the_v2_grade_is_the_highest_of_its_reasons_each_named_as_its_code_says(
    answers: dict[str, Any],
) -> None:
    result = v2(answers)
    assert result.grade is max_grade(*(r.grade for r in result.reasons))
    assert (result.grade is Grade.STANDARD) == (result.reasons == ())
    ranks = [r.grade.rank for r in result.reasons]
    assert ranks == sorted(ranks, reverse=True)
    assert len(set(result.reasons)) == len(result.reasons)
    names = {c["child.name"] for c in answers["children"]}
    for reason in result.reasons:
        assert reason.grade is rules_v2.REASON_GRADES[reason.code]
        if reason.code in rules_v2.CHILD_REASON_CODES:
            assert reason.child is not None and reason.child.split(" (")[0] in names
        else:
            assert reason.child is None


V1_PROMPTS = promptset.load_version(1).all_prompt_ids()


def only_v1_prompts(answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` without any answer to a prompt v1 does not have."""
    out = {k: v for k, v in answers.items() if k in V1_PROMPTS and k != "children"}
    out["children"] = [{k: v for k, v in c.items() if k in V1_PROMPTS} for c in answers["children"]]
    return out


@SETTINGS
@given(answers=incidents)
def test_v1_incidents_are_graded_by_v1_rules_whatever_v2_rules_say(answers: dict[str, Any]) -> None:
    """An incident of prompt set v1 is graded by v1's rules: the default is v1, and answers to
    prompts only v2 has (strangulation, a pregnant victim, an adult posing a risk, ...) never
    change a v1 grade, whatever v2 makes of them."""
    v1 = assess(answers, on=ON, version=1)
    assert assess(answers, on=ON) == v1
    assert assess(only_v1_prompts(answers), on=ON, version=1) == v1
