"""Answer dicts (prompt set v2 shape) for the risk rules v2 tests: one child or household
builder, and for each v2 reason code the smallest answers that give it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.checklist.risk import Assessment, Reason, assess

INCIDENT = "2026-03-10T21:15:00+00:00"
ON = date(2026, 3, 10)
TEN = "2016-03-10"  # 10 years old on the incident date
BABY = "2025-11-10"  # 4 months old on the incident date
AMY = "Amy (10 years)"
AMY_BABY = "Amy (4 months)"


def child(name: str = "Amy", dob: str | None = TEN, **answers: Any) -> dict[str, Any]:
    """A child entry: seen, living at the address; keyword ``voice__disclosure`` becomes
    ``voice.disclosure``."""
    entry: dict[str, Any] = {"child.name": name, "child.seen": True, "child.lives_here": True}
    if dob is not None:
        entry["child.dob"] = dob
    entry.update({key.replace("__", "."): value for key, value in answers.items()})
    return entry


def baby(name: str = "Amy", **answers: Any) -> dict[str, Any]:
    """A child of 4 months on the incident date."""
    return child(name, BABY, **answers)


def unborn(name: str = "Unborn baby of Jo Smith") -> dict[str, Any]:
    return {"child.name": name, "child.unborn": True, "child.due_date": "2026-06-01"}


def incident(*children: dict[str, Any], **top: Any) -> dict[str, Any]:
    """Answers with the incident date, ``children`` and top-level answers (``home__conditions``
    becomes ``home.conditions``)."""
    answers: dict[str, Any] = {"incident.datetime": INCIDENT, "children": list(children)}
    answers.update({key.replace("__", "."): value for key, value in top.items()})
    return answers


def v2(answers: dict[str, Any]) -> Assessment:
    return assess(answers, on=ON, version=2)


def reasons(answers: dict[str, Any]) -> tuple[Reason, ...]:
    return v2(answers).reasons


def codes(answers: dict[str, Any]) -> set[str]:
    return {r.code for r in reasons(answers)}


@dataclass(frozen=True)
class Example:
    answers: dict[str, Any]
    child: str | None = None  # the label the reason names, None for a household reason


def _kid(**answers: Any) -> Example:
    return Example(incident(child(**answers)), AMY)


def _baby(**answers: Any) -> Example:
    return Example(incident(baby(**answers)), AMY_BABY)


def _home(*children: dict[str, Any], **top: Any) -> Example:
    return Example(incident(*children or (child(),), **top))


EXAMPLES: dict[str, Example] = {
    # high, about one child
    "child_disclosed": _kid(voice__disclosure=True, voice__disclosure_about="parent_or_carer"),
    "sexual_abuse_concern": _kid(concern__categories=["sexual"]),
    "baby_injured": _baby(child__injury_reported=True),
    "child_not_seen_baby": _baby(child__seen=False),
    "afraid_to_go_home": _kid(voice__afraid_to_go_home=True),
    "exploitation_serious_sign": _kid(concern__exploitation_indicators=["weapon_carried"]),
    "exploitation_indicators": _kid(
        concern__exploitation_indicators=["older_partner", "multiple_phones"]
    ),
    "missing_found_at_risk": _kid(
        concern__missing_episodes_90d=6, concern__missing_out_of_area=True
    ),
    "custody_self_harm": _kid(concern__custody_self_harm_risk=True),
    "custody_overnight_no_transfer": _kid(
        concern__custody_charged_refused_bail=True,
        concern__custody_overnight=True,
        concern__custody_transfer_to_la=False,
    ),
    "custody_strip_search_no_aa": _kid(
        concern__custody_strip_search=True, concern__custody_strip_search_aa_present=False
    ),
    "fgm_forced_marriage_hba": _kid(concern__categories=["fgm_forced_marriage_hba"]),
    "unsafe_sleep_impaired_carer": Example(
        incident(
            baby(),
            home__conditions=["no_safe_sleep"],
            home__carer_capable=False,
            home__carer_incapacity="intoxicated",
        ),
        AMY_BABY,
    ),
    "tonight_carer_not_checked": Example(
        incident(child(child__tonight_checked=False), home__carer_capable=False), AMY
    ),
    # high, the household
    "abuser_hurt_children": _home(concern__da_abuser_hurt_children=True),
    "police_protection": _home(action__police_protection=True),
    "da_strangulation": _home(concern__da_strangulation=True),
    "da_weapon": _home(concern__da_weapon=True),
    "da_threats_to_kill": _home(concern__da_threats_to_kill=True),
    "da_victim_pregnant": _home(concern__da_victim_pregnant=True),
    "da_risk_high": _home(concern__dash_score=14),
    "neglect_severe": _home(home__conditions=["unclean", "no_food", "no_heating", "overcrowded"]),
    "carer_not_checked": _home(home__carer_checks_done=False),
    "adult_risk_to_children": _home(
        household__adults=[{"adult.name": "Lee Smith", "adult.risk_to_children": True}]
    ),
    # medium, about one child
    "disclosure_about_child": _kid(voice__disclosure=True, voice__disclosure_about="another_child"),
    "child_on_child": _kid(concern__categories=["child_on_child"]),
    "child_to_parent_violence": _kid(concern__categories=["child_to_parent_violence"]),
    "baby_in_da": Example(incident(baby(), incident__type="domestic_abuse"), AMY_BABY),
    "unsafe_sleep_baby": Example(incident(baby(), home__conditions=["no_safe_sleep"]), AMY_BABY),
    "child_protection_plan": _kid(child__social_care_status="child_protection_plan"),
    "looked_after": _kid(child__social_care_status="looked_after"),
    "child_in_need": _kid(child__social_care_status="child_in_need"),
    "missing_often": _kid(concern__missing_episodes_90d=3),
    "radicalisation": _kid(concern__categories=["radicalisation"]),
    "custody_no_appropriate_adult": _kid(concern__custody_appropriate_adult=False),
    "custody_over_24h": _kid(concern__custody_hours=25),
    "child_not_seen": _kid(child__seen=False),
    "injury_observed": _kid(observed__injury=True),
    "medical_needed": _kid(observed__medical_needed=True),
    # medium, the household
    "da_risk_medium": _home(concern__da_risk_tool="dara", concern__da_risk_level="medium"),
    "da_separation": _home(concern__da_separation=True),
    "da_stalking": _home(concern__da_stalking=True),
    "neglect_conditions": _home(home__conditions=["unclean", "no_food"]),
    "weapons_in_home": _home(home__conditions=["weapons"]),
    "carer_incapable": _home(home__carer_capable=False),
    "toxic_trio": _home(household__toxic_trio=["domestic_abuse", "substance_misuse"]),
    "previous_incidents": _home(household__previous_incidents_12m=3),
}
