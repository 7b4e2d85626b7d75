"""Branching in prompt set v1: what shows, what is required, and which answers are dropped."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.checklist.answers import (
    SectionStatus,
    has_answer,
    is_visible,
    missing_required,
    prompt_id_of,
    prune_hidden,
    section_status,
    section_visible,
    validate_values,
)
from app.checklist.promptset import load_version
from tests.checklist.builders import apply_changes, child_answers, complete_answers

PS = load_version(1)
AFTER_GATE = [s.id for s in PS.sections[2:]]


def child(**answers: Any) -> dict[str, Any]:
    """A complete child entry who did not disclose (the builders' child, with "no" answers);
    keyword ``voice__words`` sets ``voice.words``; None removes."""
    return child_answers(
        **{
            "voice.words": '"Daddy shouted at mummy and I hid under my bed"',
            "voice.disclosure": False,
            "voice.disclosure_time": None,
            **answers,
        }
    )


def complete(**answers: Any) -> dict[str, Any]:
    """A complete referral for one child who did not disclose, graded medium by the officer;
    keyword ``home__sensed`` sets ``home.sensed``."""
    return complete_answers(
        **{
            "children": [child()],
            "concern.categories": ["emotional"],
            "action.taken": ["none"],
            "risk.officer_grade": "medium",
            "risk.rationale": "The child heard the shouting and is frightened of her father.",
            **answers,
        }
    )


def missing(answers: dict[str, Any]) -> list[str]:
    return missing_required(PS, answers)


def dropped(answers: dict[str, Any]) -> list[str]:
    return prune_hidden(PS, answers)[1]


def visible_in_child(prompt_id: str, entry: dict[str, Any], answers: dict[str, Any]) -> bool:
    return is_visible(PS.prompt(prompt_id).when, entry, answers)


def visible(prompt_id: str, answers: dict[str, Any]) -> bool:
    return is_visible(PS.prompt(prompt_id).when, None, answers)


# --- the complete referral -----------------------------------------------------------------------


def test_a_complete_referral_has_nothing_missing_wrong_or_hidden() -> None:
    answers = complete()
    assert missing(answers) == []
    assert validate_values(PS, answers) == {}
    assert prune_hidden(PS, answers) == (answers, [])
    for section in PS.sections:
        assert section_status(PS, section.id, answers) is SectionStatus.COMPLETE, section.id


def test_an_empty_draft_needs_the_incident_and_the_gate() -> None:
    assert missing({}) == [
        "incident.log_ref",
        "incident.type",
        "incident.datetime",
        "incident.address",
        "incident.summary",
        "gate.children_present",
        "gate.pregnancy",
    ]
    assert section_status(PS, "incident", {}) is SectionStatus.NOT_STARTED
    assert section_status(PS, "child", {}) is SectionStatus.NOT_NEEDED


# --- the Think Child gate ------------------------------------------------------------------------


def test_gate_both_no_needs_only_the_reason_and_hides_every_later_section() -> None:
    answers = complete(gate__children_present=False, gate__pregnancy=False)
    assert missing(answers) == ["gate.no_child_reason"]
    for section_id in AFTER_GATE:
        assert not section_visible(PS, section_id, answers), section_id
        assert section_status(PS, section_id, answers) is SectionStatus.NOT_NEEDED
    assert section_status(PS, "gate", answers) is SectionStatus.IN_PROGRESS

    answers["gate.no_child_reason"] = "Asked both adults; no children live there or visit."
    assert missing(answers) == []
    kept, gone = prune_hidden(PS, answers)
    assert "children" in gone
    assert "risk.rationale" in gone
    assert set(kept) == {p.id for s in PS.sections[:2] for p in s.prompts}


@pytest.mark.parametrize(("present", "pregnancy"), [(True, False), (False, True), (True, True)])
def test_gate_either_yes_shows_every_later_section(present: bool, pregnancy: bool) -> None:
    answers = {"gate.children_present": present, "gate.pregnancy": pregnancy}
    assert not visible("gate.no_child_reason", answers)
    for section_id in AFTER_GATE:
        assert section_visible(PS, section_id, answers), section_id
    assert "children" in missing(answers)
    assert "gate.no_child_reason" not in missing(answers)


def test_gate_reason_is_dropped_when_a_child_is_found_after_all() -> None:
    answers = complete(gate__no_child_reason="none seen")
    assert dropped(answers) == ["gate.no_child_reason"]


def test_gate_yes_needs_at_least_one_child() -> None:
    answers = complete(children=[])
    assert missing(answers)[:1] == ["children"]
    assert section_status(PS, "child", answers) is SectionStatus.NOT_STARTED
    assert section_status(PS, "voice", answers) is SectionStatus.NOT_NEEDED


# --- each child ----------------------------------------------------------------------------------


def test_date_of_birth_or_age_estimate() -> None:
    assert missing(complete(children=[child(child__dob=None)])) == ["children[0].child.dob"]
    assert missing(complete(children=[child(child__dob=None, child__age_estimate=4)])) == []
    assert missing(complete(children=[child(child__age_estimate=4)])) == []


def test_child_not_seen_needs_a_reason_and_hides_what_you_saw() -> None:
    entry = child(child__seen=False)
    answers = complete(children=[entry])
    assert missing(answers) == ["children[0].child.not_seen_reason"]
    for pid in ("observed.demeanour", "observed.injury", "observed.medical_needed"):
        assert not visible_in_child(pid, entry, answers)
    assert dropped(answers) == [
        "children[0].observed.demeanour",
        "children[0].observed.injury",
        "children[0].observed.medical_needed",
    ]
    entry["child.not_seen_reason"] = "Asleep upstairs; mother refused entry to the bedroom."
    kept, _ = prune_hidden(PS, answers)
    assert missing(kept) == []
    assert section_status(PS, "observed", kept) is SectionStatus.NOT_NEEDED


def test_child_seen_drops_the_not_seen_reason() -> None:
    answers = complete(children=[child(child__not_seen_reason="asleep")])
    assert dropped(answers) == ["children[0].child.not_seen_reason"]


def test_child_not_spoken_to_needs_a_reason_and_no_words() -> None:
    entry = child(child__spoken_to=False, child__spoken_alone=None, voice__words=None)
    answers = complete(children=[entry])
    assert missing(answers) == ["children[0].child.not_spoken_reason"]
    assert not visible_in_child("voice.words", entry, answers)
    assert not visible_in_child("child.spoken_alone", entry, answers)
    assert not visible_in_child("voice.who_present", entry, answers)
    assert visible_in_child("voice.disclosure", entry, answers)  # may have told someone else


def test_child_spoken_to_needs_their_words_and_whether_alone() -> None:
    answers = complete(children=[child(voice__words="  ", child__spoken_alone=None)])
    assert missing(answers) == ["children[0].child.spoken_alone", "children[0].voice.words"]
    assert PS.prompt("voice.words").required


def test_spoken_to_changed_to_no_drops_the_words() -> None:
    answers = complete(children=[child(child__spoken_to=False, voice__who_present="mother")])
    assert dropped(answers) == [
        "children[0].child.spoken_alone",
        "children[0].voice.words",
        "children[0].voice.who_present",
    ]


def test_child_present_asks_where_they_were() -> None:
    entry = child(child__present=False)
    answers = complete(children=[entry])
    assert not visible_in_child("child.location_during", entry, answers)
    assert dropped(answers) == ["children[0].child.location_during"]


def test_disclosure_needs_its_time_and_shows_guidance() -> None:
    entry = child(voice__disclosure=True)
    answers = complete(children=[entry])
    assert missing(answers) == ["children[0].voice.disclosure_time"]
    assert visible_in_child("voice.disclosure_time", entry, answers)
    assert "Do not probe" in (PS.prompt("voice.disclosure_time").guidance or "")
    entry["voice.disclosure_time"] = "2026-03-10T21:40"
    assert missing(answers) == []
    entry["voice.disclosure"] = False
    assert dropped(answers) == ["children[0].voice.disclosure_time"]


def test_injury_needs_the_injuries_listed() -> None:
    entry = child(observed__injury=True)
    answers = complete(children=[entry])
    assert missing(answers) == ["children[0].observed.injuries"]
    entry["observed.injuries"] = [{}]
    assert missing(answers) == [
        "children[0].observed.injuries[0].injury.location",
        "children[0].observed.injuries[0].injury.explanation",
    ]
    entry["observed.injuries"] = [
        {"injury.location": "left upper arm", "injury.explanation": "none given"},
        {"injury.location": "cheek", "injury.explanation": "fell off a bike", "injury.size": "2cm"},
    ]
    assert missing(answers) == []


def test_no_injury_drops_the_injuries_listed() -> None:
    injuries = [{"injury.location": "cheek", "injury.explanation": "fell"}]
    answers = complete(children=[child(observed__injuries=injuries)])
    assert dropped(answers) == ["children[0].observed.injuries"]


def test_not_seen_cascades_through_injury_to_the_injuries_listed() -> None:
    injuries = [{"injury.location": "cheek", "injury.explanation": "fell"}]
    entry = child(observed__injury=True, observed__injuries=injuries, child__seen=False)
    kept, gone = prune_hidden(PS, complete(children=[entry]))
    assert "children[0].observed.injury" in gone
    assert "children[0].observed.injuries" in gone
    assert "observed.injuries" not in kept["children"][0]


def test_each_child_is_pruned_on_its_own_answers() -> None:
    first = child(voice__disclosure=True, voice__disclosure_time="2026-03-10T21:40")
    second = child(child__name="Ben", voice__disclosure=False, voice__disclosure_time="x")
    answers = complete(children=[first, second])
    kept, gone = prune_hidden(PS, answers)
    assert gone == ["children[1].voice.disclosure_time"]
    assert kept["children"][0]["voice.disclosure_time"] == "2026-03-10T21:40"


# --- unborn child --------------------------------------------------------------------------------


def unborn(**answers: Any) -> dict[str, Any]:
    entry = {
        "child.unborn": True,
        "child.due_date": "2026-07-01",
        "child.name": "Unborn baby of Jo Smith",
        "child.sex": "not_known",
        "child.known_to_social_care": "no",
    }
    return apply_changes(entry, answers)


def test_pregnancy_asks_whether_each_entry_is_unborn() -> None:
    answers = complete(gate__pregnancy=True)
    assert missing(answers) == ["children[0].child.unborn"]
    answers["children"][0]["child.unborn"] = False
    assert missing(answers) == []


def test_an_unborn_child_needs_a_due_date_and_nothing_only_a_born_child_can_give() -> None:
    answers = complete(gate__children_present=False, gate__pregnancy=True, children=[unborn()])
    assert missing(answers) == []
    entry = answers["children"][0]
    for pid in ("child.dob", "child.age_estimate", "child.present", "child.seen"):
        assert not visible_in_child(pid, entry, answers), pid
    for pid in ("child.spoken_to", "voice.words", "voice.disclosure", "observed.demeanour"):
        assert not visible_in_child(pid, entry, answers), pid
    assert section_status(PS, "voice", answers) is SectionStatus.NOT_NEEDED
    assert section_status(PS, "observed", answers) is SectionStatus.NOT_NEEDED
    assert section_status(PS, "child", answers) is SectionStatus.COMPLETE
    del entry["child.due_date"]
    assert missing(answers) == ["children[0].child.due_date"]


def test_an_unborn_child_drops_answers_for_a_born_child() -> None:
    entry = unborn(child__dob="2020-01-01", child__seen=True, observed__injury=False)
    answers = complete(gate__pregnancy=True, children=[entry])
    assert dropped(answers) == [
        "children[0].child.dob",
        "children[0].child.seen",
        "children[0].observed.injury",
    ]


def test_a_born_child_drops_the_due_date() -> None:
    answers = complete(gate__pregnancy=True, children=[child(child__unborn=False)])
    answers["children"][0]["child.due_date"] = "2026-07-01"
    assert dropped(answers) == ["children[0].child.due_date"]


def test_a_stale_unborn_answer_does_not_hide_a_born_childs_answers() -> None:
    # gate.pregnancy changed to no: child.unborn is dropped, and the prompts it would have
    # hidden show again, so their answers are kept (one pass in screen order).
    answers = complete(children=[child(child__unborn=True)])
    kept, gone = prune_hidden(PS, answers)
    assert gone == ["children[0].child.unborn"]
    assert kept["children"][0] == child()
    assert missing(kept) == []


def test_two_children_are_checked_one_by_one() -> None:
    answers = complete(
        gate__pregnancy=True,
        children=[child(child__unborn=False, child__seen=False), unborn(child__due_date=None)],
    )
    assert missing(answers) == ["children[0].child.not_seen_reason", "children[1].child.due_date"]


# --- home ----------------------------------------------------------------------------------------


def test_carer_not_capable_asks_why_who_cares_now_and_checks() -> None:
    answers = complete(home__carer_capable=False)
    assert missing(answers) == [
        "home.carer_incapacity",
        "home.care_arranged",
        "home.carer_checks_done",
    ]
    answers.update(
        {
            "home.carer_incapacity": "intoxicated",
            "home.care_arranged": "Grandmother, Ann Smith, 3 Low Road",
            "home.carer_checks_done": True,
        }
    )
    assert missing(answers) == []
    answers["home.carer_capable"] = True
    assert dropped(answers) == [
        "home.carer_incapacity",
        "home.care_arranged",
        "home.carer_checks_done",
    ]


def test_an_adult_needs_name_relationship_and_their_ties() -> None:
    answers = complete(household__adults=[{"adult.name": "Sam"}, {"adult.relationship": "x"}])
    assert missing(answers) == [
        "household.adults[0].adult.relationship",
        "household.adults[0].adult.parental_responsibility",
        "household.adults[0].adult.lives_there",
        "household.adults[0].adult.is_suspect",
        "household.adults[1].adult.name",
        "household.adults[1].adult.parental_responsibility",
        "household.adults[1].adult.lives_there",
        "household.adults[1].adult.is_suspect",
    ]


# --- concerns ------------------------------------------------------------------------------------

FOLLOW_UPS = {
    "domestic_abuse_witnessed": [
        "concern.da_abuser_hurt_children",
        "concern.da_child_contact_conflict",
        "concern.dash_completed",
    ],
    "exploitation_sexual": ["concern.exploitation_indicators"],
    "exploitation_criminal": ["concern.exploitation_indicators"],
    "missing": ["concern.missing_episodes_90d", "concern.found_where"],
    "child_in_custody": [
        "concern.custody_appropriate_adult",
        "concern.custody_hours",
        "concern.custody_self_harm_risk",
        "concern.custody_transfer_to_la",
    ],
}
ALL_FOLLOW_UPS = {pid for ids in FOLLOW_UPS.values() for pid in ids} | {"concern.dash_score"}


@pytest.mark.parametrize(("category", "follow_ups"), FOLLOW_UPS.items())
def test_each_concern_category_shows_its_follow_ups(category: str, follow_ups: list[str]) -> None:
    answers = complete(concern__categories=["neglect", category])
    for pid in ALL_FOLLOW_UPS:
        assert visible(pid, answers) is (pid in follow_ups), pid
    required = [pid for pid in follow_ups if PS.prompt(pid).required]
    assert missing(answers) == required


def test_categories_without_follow_ups_show_none() -> None:
    answers = complete(concern__categories=["physical", "fgm_forced_marriage_hba"])
    assert not any(visible(pid, answers) for pid in ALL_FOLLOW_UPS)
    assert missing(answers) == []


def test_exploitation_indicators_are_optional() -> None:
    assert not PS.prompt("concern.exploitation_indicators").required


def test_dash_completed_needs_the_score() -> None:
    answers = complete(
        concern__categories=["domestic_abuse_witnessed"],
        concern__da_abuser_hurt_children=False,
        concern__da_child_contact_conflict=True,
        concern__dash_completed=True,
    )
    assert missing(answers) == ["concern.dash_score"]
    answers["concern.dash_score"] = 15
    assert missing(answers) == []


def test_removing_a_category_cascades_to_the_dash_score() -> None:
    answers = complete(
        concern__categories=["emotional"],
        concern__da_abuser_hurt_children=False,
        concern__da_child_contact_conflict=True,
        concern__dash_completed=True,
        concern__dash_score=15,
        concern__custody_hours=30,
    )
    assert dropped(answers) == [
        "concern.da_abuser_hurt_children",
        "concern.da_child_contact_conflict",
        "concern.dash_completed",
        "concern.dash_score",
        "concern.custody_hours",
    ]


# --- actions -------------------------------------------------------------------------------------

PP_IDS = [
    "action.pp_time",
    "action.pp_place_of_safety",
    "action.pp_designated_officer_informed",
    "action.pp_la_informed",
    "action.pp_child_informed_wishes",
    "action.pp_parents_informed",
    "action.pp_reason",
]


def test_police_protection_needs_every_s46_duty() -> None:
    answers = complete(action__police_protection=True)
    assert missing(answers) == PP_IDS
    answers.update(dict.fromkeys(PP_IDS, "recorded"))
    answers["action.pp_time"] = "2026-03-10T22:05"
    assert missing(answers) == []
    answers["action.police_protection"] = False
    assert dropped(answers) == PP_IDS


def test_domestic_abuse_asks_about_operation_encompass() -> None:
    answers = complete(incident__type="domestic_abuse")
    assert visible("action.encompass_school_told", answers)
    assert missing(answers) == []  # optional: blank when no child goes to school
    for other in ("crime", "concern_for_welfare", "other"):
        answers = complete(incident__type=other, action__encompass_school_told=True)
        assert not visible("action.encompass_school_told", answers)
        assert dropped(answers) == ["action.encompass_school_told"]


# --- sharing -------------------------------------------------------------------------------------

BASIS_IDS = ["sharing.basis", "sharing.basis_reason", "sharing.decided_by"]


@pytest.mark.parametrize(
    ("sought", "given", "needs_basis"),
    [(False, None, True), (True, False, True), (True, True, False), (True, None, False)],
)
def test_sharing_without_consent_needs_a_basis(
    sought: bool, given: bool | None, needs_basis: bool
) -> None:
    answers = complete(sharing__consent_sought=sought, sharing__consent_given=given)
    expected = BASIS_IDS if needs_basis else []
    if sought and given is None:
        expected = ["sharing.consent_given"]
    assert missing(answers) == expected


def test_consent_not_sought_drops_consent_given() -> None:
    answers = complete(sharing__consent_sought=False, sharing__consent_given=True)
    assert "sharing.consent_given" in dropped(answers)


def test_consent_given_drops_the_basis() -> None:
    basis = {
        "sharing.basis": "other",
        "sharing.basis_reason": "x",
        "sharing.decided_by": "PS 123 Jones",
    }
    assert dropped(complete(**basis)) == BASIS_IDS


def test_parents_not_told_needs_a_reason() -> None:
    answers = complete(sharing__parents_told=False)
    assert missing(answers) == ["sharing.parents_not_told_reason"]
    answers["sharing.parents_told"] = True
    answers["sharing.parents_not_told_reason"] = "risk to the child"
    assert dropped(answers) == ["sharing.parents_not_told_reason"]


# --- risk and declaration ------------------------------------------------------------------------


def test_rationale_is_always_required_and_override_reason_never_is() -> None:
    assert missing(complete(risk__rationale=None, risk__officer_grade=None)) == [
        "risk.officer_grade",
        "risk.rationale",
    ]
    assert not PS.prompt("risk.override_reason").required
    assert PS.prompt("risk.override_reason").when is None
    assert missing(complete(declaration__confirmed=None)) == ["declaration.confirmed"]


# --- pruning in general --------------------------------------------------------------------------


def test_unknown_keys_are_dropped_and_listed() -> None:
    answers = complete(risk__suggested="high", nonsense=1)
    answers["children"][0]["child.favourite_colour"] = "blue"
    answers["household.adults"][0]["adult.shoe_size"] = 9
    assert sorted(dropped(answers)) == [
        "children[0].child.favourite_colour",
        "household.adults[0].adult.shoe_size",
        "nonsense",
        "risk.suggested",
    ]


def test_pruning_leaves_the_answers_passed_in_unchanged() -> None:
    answers = complete(home__carer_incapacity="drugs", children=[child(child__seen=False)])
    before = copy.deepcopy(answers)
    kept, gone = prune_hidden(PS, answers)
    assert answers == before
    assert gone
    kept["children"][0]["child.name"] = "changed"
    assert answers["children"][0]["child.name"] == "Amy Smith"


def test_answers_of_the_wrong_shape_are_kept_for_validation_to_report() -> None:
    answers = complete(children="Amy", household__adults=[5])
    kept, gone = prune_hidden(PS, answers)
    assert kept["children"] == "Amy"
    assert kept["household.adults"] == [5]
    assert gone == []


# --- conditions ----------------------------------------------------------------------------------


def test_condition_kinds() -> None:
    cats = PS.prompt("concern.dash_completed").when  # in: [domestic_abuse_witnessed]
    assert is_visible(cats, None, {"concern.categories": ["neglect", "domestic_abuse_witnessed"]})
    assert not is_visible(cats, None, {"concern.categories": ["neglect"]})
    assert not is_visible(cats, None, {})
    encompass = PS.prompt("action.encompass_school_told").when  # equals
    assert is_visible(encompass, None, {"incident.type": "domestic_abuse"})
    assert not is_visible(encompass, None, {"incident.type": "crime"})
    born = PS.prompt("child.dob").when  # any of unborn false / unborn not answered
    assert is_visible(born, {}, {})
    assert is_visible(born, {"child.unborn": False}, {})
    assert is_visible(born, {"child.unborn": None}, {})
    assert not is_visible(born, {"child.unborn": True}, {})
    no_child = PS.prompt("gate.no_child_reason").when  # all
    assert is_visible(no_child, None, {"gate.children_present": False, "gate.pregnancy": False})
    assert not is_visible(no_child, None, {"gate.children_present": False})
    assert is_visible(None, None, {})


def test_yes_is_not_one_and_no_is_not_zero() -> None:
    pp = PS.prompt("action.pp_time").when
    assert not is_visible(pp, None, {"action.police_protection": 1})
    assert not is_visible(pp, None, {"action.police_protection": "true"})
    assert is_visible(pp, None, {"action.police_protection": True})
    carer = PS.prompt("home.care_arranged").when
    assert not is_visible(carer, None, {"home.carer_capable": 0})


def test_a_condition_looks_in_the_item_first_then_the_top_level() -> None:
    unborn_q = PS.prompt("child.unborn").when  # gate.pregnancy, a top-level answer
    assert is_visible(unborn_q, {"child.name": "A"}, {"gate.pregnancy": True})
    disclosure_time = PS.prompt("voice.disclosure_time").when
    assert is_visible(disclosure_time, {"voice.disclosure": True}, {"voice.disclosure": False})
    assert not is_visible(disclosure_time, {"voice.disclosure": False}, {"voice.disclosure": True})


def test_blank_answers_are_no_answers() -> None:
    blanks: list[object] = [None, "", "   ", []]
    answers_: list[object] = [False, 0, "x", ["a"], 0.0]
    assert not any(has_answer(v) for v in blanks)
    assert all(has_answer(v) for v in answers_)
    answers = complete(incident__log_ref="  ", home__conditions=[])
    assert missing(answers) == ["incident.log_ref", "home.conditions"]


def test_section_status() -> None:
    assert section_status(PS, "home", complete()) is SectionStatus.COMPLETE
    assert section_status(PS, "home", complete(home__carer_capable=False)) == "in_progress"
    draft = complete(home__conditions=None, home__carer_capable=None)
    assert section_status(PS, "home", draft) is SectionStatus.NOT_STARTED
    assert section_status(PS, "household", complete(household__adults=None)) == "not_started"
    with pytest.raises(KeyError):
        section_status(PS, "nope", {})


def test_prompt_id_of_a_path() -> None:
    assert prompt_id_of("incident.type") == "incident.type"
    assert prompt_id_of("children[0].child.dob") == "child.dob"
    assert prompt_id_of("children[1].observed.injuries[0].injury.size") == "injury.size"
    assert prompt_id_of("children") == "children"


# --- properties over generated drafts ------------------------------------------------------------

TOP_IDS = [*sorted(PS.top_prompts), "children", "unknown.key"]
CHILD_IDS = sorted(p.id for s in PS.repeat_sections["children"] for p in s.prompts)
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 40),
    st.sampled_from(["", "x", "2019-03-27", "2026-03-10T21:15", "domestic_abuse", "unknown"]),
    st.lists(st.sampled_from(["domestic_abuse_witnessed", "missing", "none", "weapons"])),
)
child_entries = st.dictionaries(st.sampled_from(CHILD_IDS), values, max_size=12)
drafts = st.dictionaries(
    st.sampled_from(TOP_IDS),
    values | st.lists(child_entries, max_size=3),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(drafts)
def test_pruning_is_stable_and_every_function_copes_with_any_draft(draft: dict[str, Any]) -> None:
    kept, gone = prune_hidden(PS, draft)
    assert prune_hidden(PS, kept) == (kept, [])
    assert len(gone) == len(set(gone))
    validate_values(PS, kept)
    for path in missing_required(PS, draft):
        assert prompt_id_of(path) in PS.all_prompt_ids() | {"children"}
    for section in PS.sections:
        assert section_status(PS, section.id, draft) in set(SectionStatus)
