"""The hand-written answers in the shared risk cases (``risk_cases.py``): the briefs' named
cases, the smallest answers giving each reason code, and answers of the wrong type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.checklist.risk import REASON_CODES as V1_CODES
from app.checklist.risk import rules_v2
from tests.checklist.risk_v2_examples import EXAMPLES, INCIDENT, baby, child, incident, unborn

Named = Iterator[tuple[str, Any]]


def _amy(**answers: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"child.name": "Amy"}
    entry.update({key.replace("__", "."): value for key, value in answers.items()})
    return entry


# The smallest answers that give each reason code of rules v1 (think-child.md, "Risk rules").
V1_EXAMPLES: dict[str, dict[str, Any]] = {
    "child_disclosed": {"children": [_amy(voice__disclosure=True)]},
    "baby_injured": {
        "incident.datetime": INCIDENT,
        "children": [_amy(child__dob="2025-11-10", observed__injury=True)],
    },
    "abuser_hurt_children": {"concern.da_abuser_hurt_children": True},
    "afraid_to_go_home": {"children": [_amy(voice__afraid_to_go_home=True)]},
    "police_protection": {"action.police_protection": True},
    "exploitation_indicators": {
        "concern.exploitation_indicators": ["older_partner", "missing_episodes"]
    },
    "custody_self_harm": {"concern.custody_self_harm_risk": True},
    "fgm_forced_marriage_hba": {"concern.categories": ["fgm_forced_marriage_hba"]},
    "dash_high": {"concern.dash_score": 14},
    "child_not_seen": {"children": [_amy(child__seen=False)]},
    "injury_observed": {
        "incident.datetime": INCIDENT,
        "children": [_amy(child__dob="2016-03-10", observed__injury=True)],
    },
    "medical_needed": {"children": [_amy(observed__medical_needed=True)]},
    "carer_incapable": {"home.carer_capable": False},
    "toxic_trio": {"household.toxic_trio": ["domestic_abuse", "parental_mental_health"]},
    "previous_incidents": {"household.previous_incidents_12m": 3},
    "custody_over_24h": {"concern.custody_hours": 25},
}


def _issue_9() -> Named:
    """The cases issue 9 names (think-child-v2.md), graded wrongly by rules v1."""
    yield (
        "pregnant domestic abuse victim",
        incident(child(), incident__type="domestic_abuse", concern__da_victim_pregnant=True),
    )
    yield (
        "domestic abuse with an unborn child",
        incident(child(), unborn(), incident__type="domestic_abuse"),
    )
    yield (
        "non-fatal strangulation",
        incident(child(), incident__type="domestic_abuse", concern__da_strangulation=True),
    )
    neglect = ["unclean", "no_food", "no_heating", "exposed_hazards", "drugs_or_paraphernalia"]
    yield "neglected home", incident(child(), home__conditions=neglect)
    held = child(
        "Kai",
        "2008-09-01",
        concern__categories=["child_in_custody"],
        concern__custody_appropriate_adult=True,
        concern__custody_charged_refused_bail=True,
        concern__custody_overnight=True,
        concern__custody_transfer_to_la=False,
    )
    yield "17-year-old held overnight after charge", incident(held, incident__type="custody_arrest")
    missing = child(
        "Jay",
        concern__categories=["missing"],
        concern__missing_episodes_90d=6,
        concern__missing_out_of_area=True,
    )
    yield (
        "missing 6 times in 90 days, found out of area",
        incident(missing, incident__type="missing_found"),
    )
    raised = child(voice__disclosure=False, concern__categories=["sexual"])
    yield (
        "school-raised sexual abuse concern",
        incident(raised, incident__type="concern_for_welfare"),
    )
    adults = [
        {"adult.name": "Jo Smith", "adult.relationship": "mother", "adult.checks_done": True},
        {"adult.name": "Lee Smith", "adult.risk_to_children": True, "adult.checks_done": True},
    ]
    yield "registered sex offender in the household", incident(child(), household__adults=adults)
    yield "baby of 4 months not seen", incident(baby(child__seen=False))
    pushed = child(
        voice__disclosure=True,
        voice__disclosure_about="another_child",
        voice__disclosure_sexual=False,
        concern__categories=["child_on_child"],
    )
    yield "child pushed by another child", incident(pushed)


def _v2_brief() -> Named:
    """The examples in think-child-v2.md's risk rules, besides issue 9's."""
    yield (
        "brief v2: Amy (4 months) was not seen; no safe sleep",
        incident(baby(child__seen=False), home__conditions=["no_safe_sleep"]),
    )
    yield (
        "brief v2: a linked child living elsewhere not seen",
        incident(child(child__seen=False, child__lives_here=False)),
    )
    yield (
        "brief v2: a disclosure about a parent is high, any sexual disclosure is high",
        incident(
            child(voice__disclosure=True, voice__disclosure_about="parent_or_carer"),
            child(
                "Ben",
                voice__disclosure=True,
                voice__disclosure_about="another_child",
                voice__disclosure_sexual=True,
            ),
        ),
    )


def _v1_brief() -> Named:
    """The examples of the v1 brief's risk rules and of its tests."""
    yield (
        "brief: child disclosed; police protection used",
        {"action.police_protection": True, "children": [_amy(voice__disclosure=True)]},
    )
    yield (
        "high reasons first, then rule order",
        {
            "household.previous_incidents_12m": 4,
            "concern.dash_score": 20,
            "home.carer_capable": False,
            "action.police_protection": True,
            "children": [_amy(child__seen=False, voice__disclosure=True)],
        },
    )
    yield (
        "each child named once, in order",
        {
            "children": [
                _amy(voice__disclosure=True),
                {"child.name": "  Ben ", "voice.disclosure": True},
                {"child.name": "   ", "voice.disclosure": True},
                {"voice.disclosure": True},
                {"child.name": "Amy", "voice.disclosure": True},
            ]
        },
    )
    for day in ("2025-02-28", "2025-03-01"):
        yield (
            f"born 29 February 2024, injured on {day}",
            {
                "incident.datetime": f"{day}T10:00",
                "children": [_amy(child__dob="2024-02-29", observed__injury=True)],
            },
        )
    yield (
        "a date of birth after the incident counts as under one",
        {
            "incident.datetime": INCIDENT,
            "children": [_amy(child__dob="2026-06-01", observed__injury=True)],
        },
    )


def named_cases(version: int) -> Named:
    """The named cases of both briefs, graded by ``version``'s rules (issue 9's cases under v1
    too, to show what v1 said)."""
    for name, answers in (*_v1_brief(), *_issue_9(), *_v2_brief()):
        yield f"v{version} named: {name}", answers


def one_per_code(version: int) -> Named:
    if version == 1:
        assert set(V1_EXAMPLES) == V1_CODES
        for code, answers in V1_EXAMPLES.items():
            yield f"v1 code {code}", answers
        return
    assert set(EXAMPLES) == rules_v2.REASON_CODES
    for code, example in EXAMPLES.items():
        yield f"v2 code {code}", example.answers


WRONG_TYPES: tuple[Any, ...] = (
    None,
    [1, 2],
    "answers",
    {"concern.dash_score": "20"},
    {"concern.dash_score": True},
    {"household.previous_incidents_12m": None},
    {"household.toxic_trio": "domestic_abuse,substance_misuse"},
    {"concern.categories": "fgm_forced_marriage_hba"},
    {"action.police_protection": 1},
    {"children": "Amy"},
    {"children": [None, 3, "x", ["voice.disclosure", True]]},
    {"children": [{"child.dob": "not a date", "observed.injuries": [None, "cut"]}]},
    {"children": [{"child.dob": "9999-12-31", "child.age_estimate": "0"}]},
    {"children": [{"child.dob": 0.5, "observed.injury": True, "child.name": 7}]},
    {"children": [{"child.age_estimate": True, "observed.injury": True, "child.unborn": "yes"}]},
    {"incident.datetime": "yesterday", "children": [{"child.seen": "no"}]},
    {"incident.datetime": 20260310, "children": [{"child.dob": "2025-12-01", "child.mobile": 0}]},
    {
        "incident.datetime": INCIDENT,
        "children": [{"child.dob": "2025-12-01"}],
        "home.conditions": ["no_safe_sleep", 3, None],
        "home.carer_incapacity": ["intoxicated"],
    },
    {"household.adults": [None, "Lee", {"adult.risk_to_children": "yes"}]},
    {"household.adults": {"adult.risk_to_children": True}},
    {"concern.da_risk_level": ["high"], "incident.type": ["domestic_abuse"]},
)


def wrong_types(version: int) -> Named:
    for n, answers in enumerate(WRONG_TYPES, start=1):
        yield f"v{version} wrong type {n}", answers
