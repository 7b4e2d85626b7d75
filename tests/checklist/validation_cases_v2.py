"""The shared validation cases (``tests/checklist/validation_cases.json``): answers under the
current prompt set (v2), with the errors and missing answers the Python answer engine gives, the
suggested risk grade with its reasons, and the checks at submission that follow the suggestion
(``app.checklist.service.submission_extras``).
``tests/checklist/test_validation_cases_v2.py`` checks the file against the engine, and
``tests/browser/test_validation_v2.py`` runs it in Chromium against
``static/js/offline/rules.mjs`` and ``required.mjs``, so the offline screens validate and
suggest a grade as the server does.

Run this module (``python -m tests.checklist.validation_cases_v2``) to write the file again after
a change to the cases below."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.checklist import promptset, risk
from app.checklist import service as checklist
from app.checklist.answers import items, missing_required, parse_date, prune_hidden, validate_values

CASES_FILE = Path(__file__).with_name("validation_cases.json")
TODAY = "2026-06-01"
KID = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
KID2 = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
GATE = {"gate.children_present": True, "gate.pregnancy": False}


def _child(**answers: Any) -> dict[str, Any]:
    return {"id": KID, "child.name": "Amy", **answers}


# A child who has told someone about harm: a high suggestion ("Amy (7 years): ...").
DISCLOSED = {**GATE, "children": [_child(**{"child.dob": "2019-03-02", "voice.disclosure": True})]}
URGENT_CALL_MADE = {
    "action.urgent_call_to": "Duty social worker, Anytown MASH",
    "action.urgent_call_time": "2026-05-31T22:10:00+01:00",
    "action.urgent_call_agreed": "A home visit in the morning.",
}
CALLED = {**DISCLOSED, **URGENT_CALL_MADE}


def _injuries(n: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-4000-8000-{i:012d}", "injury.location": "arm"} for i in range(n)]


EXAMPLES: list[tuple[str, dict[str, Any]]] = [
    ("nothing answered yet", {}),
    (
        "both gate answers no: the reason is needed",
        {"gate.children_present": False, "gate.pregnancy": False},
    ),
    ("a date that does not exist", {**GATE, "children": [_child(**{"child.dob": "2019-02-30"})]}),
    (
        "a date of birth in the future",
        {**GATE, "children": [_child(**{"child.dob": "2026-06-02"})]},
    ),
    (
        "a date of birth today is fine",
        {**GATE, "children": [_child(**{"child.dob": "2026-06-01"})]},
    ),
    ("a date typed badly", {**GATE, "children": [_child(**{"child.dob": "27/3/2019"})]}),
    (
        "18 on the incident date is not a child",
        {
            **GATE,
            "incident.datetime": "2026-01-10T21:15:00+00:00",
            "children": [_child(**{"child.dob": "2008-01-10"})],
        },
    ),
    (
        "17 on the incident date is a child",
        {
            **GATE,
            "incident.datetime": "2026-01-10T21:15:00+00:00",
            "children": [_child(**{"child.dob": "2008-01-11"})],
        },
    ),
    ("an age estimate of 18", {**GATE, "children": [_child(**{"child.age_estimate": 18})]}),
    (
        "an age estimate below the minimum",
        {**GATE, "children": [_child(**{"child.age_estimate": -1})]},
    ),
    ("an age estimate as text", {**GATE, "children": [_child(**{"child.age_estimate": "3"})]}),
    (
        "the date of birth not needed with an age estimate",
        {**GATE, "children": [_child(**{"child.age_estimate": 4})]},
    ),
    ("an incident time tomorrow", {"incident.datetime": "2026-06-02T00:30:00+01:00"}),
    ("an incident time without an offset", {"incident.datetime": "2026-05-31T23:59"}),
    ("an incident time that is not a time", {"incident.datetime": "2026-05-31T25:00"}),
    ("yes or no as text", {"incident.bwv": "yes"}),
    ("an option that is not offered", {"incident.type": "burglary"}),
    ("a choice as a number", {"incident.type": 3}),
    ("an option twice in a multi", {**GATE, "home.conditions": ["unclean", "unclean"]}),
    ("an exclusive option with another", {**GATE, "home.conditions": ["unclean", "none_of_these"]}),
    ("a multi that is not a list", {**GATE, "home.conditions": "unclean"}),
    ("text over its length", {"incident.log_ref": "x" * 51}),
    ("text at its length", {"incident.log_ref": "x" * 50}),
    ("text as a number", {"incident.summary": 12}),
    ("a number too big", {**GATE, "household.previous_incidents_12m": 1000}),
    ("a number as true", {**GATE, "household.previous_incidents_12m": True}),
    ("a hidden answer is not checked", {"incident.bwv": False, "incident.bwv_ref": "x" * 101}),
    ("a follow-up that shows is checked", {"incident.bwv": True, "incident.bwv_ref": "x" * 101}),
    ("a follow-up that shows and is blank", {"incident.bwv": True, "incident.bwv_ref": "  "}),
    ("the children list not a list", {**GATE, "children": "Amy"}),
    ("a child that is not an item", {**GATE, "children": ["Amy"]}),
    (
        "an injury with a bad answer, and one missing",
        {
            **GATE,
            "children": [
                _child(
                    **{
                        "child.seen": True,
                        "observed.injury": True,
                        "observed.injuries": [{"id": KID2, "injury.skin_broken": "no"}],
                    }
                )
            ],
        },
    ),
    (
        "more injuries than the cap",
        {
            **GATE,
            "children": [
                _child(
                    **{
                        "child.seen": True,
                        "observed.injury": True,
                        "observed.injuries": _injuries(31),
                    }
                )
            ],
        },
    ),
    (
        "injuries at the cap",
        {
            **GATE,
            "children": [
                _child(
                    **{
                        "child.seen": True,
                        "observed.injury": True,
                        "observed.injuries": _injuries(30),
                    }
                )
            ],
        },
    ),
    ("an adult without answers", {**GATE, "household.adults": [{"id": KID2}]}),
    (
        "a section shown by one child's answer",
        {
            **GATE,
            "incident.type": "crime",
            "children": [
                _child(),
                {
                    "id": KID2,
                    "child.name": "Ben",
                    "concern.categories": ["domestic_abuse_witnessed"],
                },
            ],
        },
    ),
    (
        "an unborn child",
        {
            "gate.children_present": False,
            "gate.pregnancy": True,
            "children": [_child(**{"child.unborn": True, "child.dob": "2030-01-01"})],
        },
    ),
    (
        "a child's follow-up shown",
        {
            **GATE,
            "children": [_child(**{"child.spoken_to": False, "child.known_to_social_care": "yes"})],
        },
    ),
    ("a high suggestion needs the urgent call", DISCLOSED),
    ("a high suggestion with the urgent call made", CALLED),
    (
        "a grade lower than a high suggestion needs a reason",
        {**CALLED, "risk.officer_grade": "standard"},
    ),
    (
        "a grade lower than a high suggestion, with its reason",
        {**CALLED, "risk.officer_grade": "medium", "risk.override_reason": "Both parents sober."},
    ),
    (
        "a grade lower than the suggestion, the reason blank",
        {**CALLED, "risk.officer_grade": "medium", "risk.override_reason": "   "},
    ),
    ("a grade at the suggestion needs no reason", {**CALLED, "risk.officer_grade": "high"}),
    (
        "a grade lower than a medium suggestion needs a reason, not the urgent call",
        {**GATE, "household.previous_incidents_12m": 4, "risk.officer_grade": "standard"},
    ),
    (
        "a grade higher than the suggestion needs no reason",
        {**GATE, "risk.officer_grade": "high"},
    ),
    ("a grade not offered asks no reason", {**CALLED, "risk.officer_grade": "urgent"}),
    ("the declaration answered no", {**GATE, "declaration.confirmed": False}),
    (
        "the gate closed: no grade asked for",
        {
            "gate.children_present": False,
            "gate.pregnancy": False,
            "risk.officer_grade": "standard",
            "household.previous_incidents_12m": 4,
        },
    ),
]


def server_result(answers: Mapping[str, Any], today: str = TODAY) -> dict[str, Any]:
    """What the server makes of ``answers``: values wrong or out of range (as a save checks
    what shows), lists over their cap, what is still missing, the suggested grade with its
    reasons, and what the suggestion adds to what is needed at submission (``extras``), as
    ``checklist.status_of`` works them out (ages on the incident date, else ``today``)."""
    ps = promptset.current()
    shown, _ = prune_hidden(ps, answers)
    errors = validate_values(ps, shown, today=parse_date(today))
    for path, key, count in items.lists_in(ps, shown):
        if count > ps.max_items(key):
            errors.setdefault(path, ps.too_many_items(key, _label(ps, key)))
    on = checklist.reference_day(shown) or parse_date(today)
    assessment = risk.assess(shown, on=on, version=ps.version)
    closes = checklist.gate_closes(shown)
    extras = [] if closes else checklist.submission_extras(shown, assessment, version=ps.version)
    return {
        "errors": errors,
        "missing": missing_required(ps, answers),
        "grade": assessment.grade.value,
        "reasons": [
            {"code": r.code, "grade": r.grade.value, "child": r.child} for r in assessment.reasons
        ],
        "extras": extras,
    }


def _label(ps: promptset.PromptSet, key: str) -> str:
    if key in ps.repeat_sections:
        return ps.repeat_sections[key][0].title
    return ps.prompt(key).label


def cases() -> list[dict[str, Any]]:
    return [
        {"name": name, "today": TODAY, "answers": answers, **server_result(answers)}
        for name, answers in EXAMPLES
    ]


if __name__ == "__main__":
    CASES_FILE.write_text(
        json.dumps(cases(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
