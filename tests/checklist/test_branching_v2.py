"""What shows under prompt set v2: the one-chance warning, the sharing basis first, where each
child sleeps tonight, the household domestic abuse section, the guidance card, urgent call."""

from __future__ import annotations

from typing import Any

import pytest

from app.checklist import service
from app.checklist.answers import is_visible, missing_required, prune_hidden, section_visible
from app.checklist.promptset import PromptType
from app.checklist.risk import Assessment, Grade
from app.checklist.screens import pages_of
from tests.checklist.builders_v2 import child_answers_v2, complete_answers_v2, problems_v2, v2

PS = v2()
FGM = ["fgm_forced_marriage_hba"]


def shows(pid: str, answers: dict[str, Any], child: int | None = None) -> bool:
    pruned, _ = prune_hidden(PS, answers)
    item = pruned["children"][child] if child is not None else None
    return is_visible(PS.prompt(pid).when, item, pruned)


# --- one chance --------------------------------------------------------------------------------


def test_one_chance_warning_shows_for_that_child_and_parents_told_is_not_asked() -> None:
    answers = complete_answers_v2(
        children=[child_answers_v2(), child_answers_v2(**{"concern.categories": FGM})]
    )
    assert not shows("concern.one_chance", answers, child=0)
    assert shows("concern.one_chance", answers, child=1)
    assert shows("concern.fm_fgm_actions", answers, child=1)
    assert not shows("sharing.parents_told", answers)
    missing = missing_required(PS, answers)
    assert "sharing.parents_told" not in missing
    assert "children[1].concern.fm_fgm_actions" in missing
    pruned, dropped = prune_hidden(PS, answers)
    assert "sharing.parents_told" in dropped and "sharing.parents_told" not in pruned


def test_without_a_one_chance_concern_parents_told_is_required() -> None:
    answers = complete_answers_v2(**{"sharing.parents_told": None})
    assert shows("sharing.parents_told", answers)
    assert "sharing.parents_told" in missing_required(PS, answers)


def test_the_one_chance_warning_is_a_guidance_card() -> None:
    card = PS.prompt("concern.one_chance")
    assert card.type is PromptType.GUIDANCE and not card.required
    assert card.guidance is not None and "Do not tell the family" in card.guidance


# --- sharing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basis", "consent_asked"),
    [("consent", True), ("safeguarding_of_children", False), ("other", False)],
)
def test_consent_questions_only_when_the_basis_is_consent(basis: str, consent_asked: bool) -> None:
    answers = complete_answers_v2(**{"sharing.basis": basis})
    assert shows("sharing.consent_sought", answers) is consent_asked
    assert shows("sharing.consent_given", answers) is consent_asked
    missing = missing_required(PS, answers)
    assert ("sharing.consent_sought" in missing) is consent_asked
    assert ("sharing.basis_reason" in missing) is (basis == "other")


# --- each child --------------------------------------------------------------------------------


def test_where_the_child_sleeps_tonight_is_required_for_every_born_child() -> None:
    answers = complete_answers_v2(children=[child_answers_v2(**{"child.tonight_where": None})])
    assert "children[0].child.tonight_where" in missing_required(PS, answers)


def test_an_unborn_child_is_not_asked_where_they_sleep_tonight() -> None:
    unborn = {
        "child.unborn": True,
        "child.due_date": "2026-06-01",
        "child.name": "Unborn baby of Jo Smith",
        "child.sex": "not_known",
        "child.lives_here": True,
        "child.known_to_social_care": "no",
        "concern.categories": ["domestic_abuse_witnessed"],
    }
    answers = complete_answers_v2(**{"gate.pregnancy": True})
    answers["children"] = [child_answers_v2(**{"child.unborn": False}), unborn]
    missing = missing_required(PS, answers)
    assert not any(p.startswith("children[1].") for p in missing), missing
    assert not shows("child.tonight_where", answers, child=1)
    assert problems_v2(answers) == {}


def test_social_care_status_follows_known_to_social_care() -> None:
    answers = complete_answers_v2(
        children=[child_answers_v2(**{"child.known_to_social_care": "yes"})]
    )
    assert "children[0].child.social_care_status" in missing_required(PS, answers)


def test_reported_injury_is_asked_whether_or_not_the_child_was_seen() -> None:
    child = child_answers_v2(**{"child.seen": False, "child.injury_reported": True})
    answers = complete_answers_v2(children=[child])
    missing = missing_required(PS, answers)
    assert "children[0].child.injury_reported_detail" in missing
    assert "children[0].child.not_seen_reason" in missing


def test_disclosure_follow_ups() -> None:
    child = child_answers_v2(**{"voice.disclosure_to": "school_or_professional"})
    answers = complete_answers_v2(children=[child])
    assert "children[0].voice.disclosure_reported_words" in missing_required(PS, answers)
    no = complete_answers_v2(children=[child_answers_v2(**{"voice.disclosure": False})])
    assert not shows("voice.disclosure_about", no, child=0)


def test_the_guidance_card_comes_before_the_child_questions() -> None:
    first_page = pages_of(PS.section("child").prompts)[0]
    assert first_page[0].id == "child.guidance"
    assert first_page[0].type is PromptType.GUIDANCE
    assert first_page[0].when is None  # always shown: not after a yes
    assert all(p.type is not PromptType.GUIDANCE for p in first_page[1:5])


def test_custody_follow_ups_branch_on_charge_and_transfer() -> None:
    child = child_answers_v2(
        **{
            "concern.categories": ["child_in_custody"],
            "concern.custody_charged_refused_bail": True,
            "concern.custody_transfer_to_la": False,
        }
    )
    missing = missing_required(PS, complete_answers_v2(children=[child]))
    for pid in ["custody_overnight", "custody_transfer_reason", "custody_strip_search"]:
        assert f"children[0].concern.{pid}" in missing


# --- domestic abuse section --------------------------------------------------------------------


def test_domestic_abuse_section_for_a_domestic_abuse_incident() -> None:
    answers = complete_answers_v2(
        children=[child_answers_v2(**{"concern.categories": ["neglect"]})]
    )
    assert section_visible(PS, "domestic_abuse", answers)


def test_domestic_abuse_section_for_a_child_who_witnessed_it() -> None:
    answers = complete_answers_v2(
        **{"incident.type": "crime"},
        children=[
            child_answers_v2(**{"concern.categories": ["neglect"]}),
            child_answers_v2(**{"concern.categories": ["domestic_abuse_witnessed"]}),
        ],
    )
    assert section_visible(PS, "domestic_abuse", answers)
    assert problems_v2(answers) == {}


def test_no_domestic_abuse_section_otherwise() -> None:
    answers = complete_answers_v2(
        **{"incident.type": "crime"},
        children=[child_answers_v2(**{"concern.categories": ["neglect"]})],
    )
    assert not section_visible(PS, "domestic_abuse", answers)
    pruned, dropped = prune_hidden(PS, answers)
    assert "concern.da_strangulation" in dropped
    assert "concern.da_strangulation" not in pruned


def test_domestic_abuse_questions_are_required_when_shown() -> None:
    answers = complete_answers_v2(**{"concern.da_strangulation": None, "concern.dash_score": None})
    missing = missing_required(PS, answers)
    assert "concern.da_strangulation" in missing and "concern.dash_score" in missing
    dara = complete_answers_v2(**{"concern.da_risk_tool": "dara"})
    assert "concern.dash_score" in prune_hidden(PS, dara)[1]


# --- urgent call -------------------------------------------------------------------------------

URGENT = ["action.urgent_call_to", "action.urgent_call_time", "action.urgent_call_agreed"]


def _without_call() -> dict[str, Any]:
    return complete_answers_v2(**{p.replace(".", "__"): None for p in URGENT})


def test_urgent_call_required_when_the_suggested_grade_is_high() -> None:
    high = Assessment(grade=Grade.HIGH, reasons=())
    assert service.submission_extras(_without_call(), high, version=2) == URGENT
    assert service.submission_extras(complete_answers_v2(), high, version=2) == []


@pytest.mark.parametrize("grade", [Grade.STANDARD, Grade.MEDIUM])
def test_urgent_call_not_required_below_high(grade: Grade) -> None:
    lower = Assessment(grade=grade, reasons=())
    answers = _without_call() | {"risk.officer_grade": grade.value}
    assert service.submission_extras(answers, lower, version=2) == []


def test_v1_never_asks_for_an_urgent_call() -> None:
    high = Assessment(grade=Grade.HIGH, reasons=())
    assert service.submission_extras(_without_call(), high, version=1) == []


def test_status_lists_the_urgent_call_for_a_high_draft() -> None:
    status = service.status_of(PS, _without_call())
    assert status.assessment.grade is Grade.HIGH  # the child disclosed abuse by a parent
    assert [p for p in status.missing if p in URGENT] == URGENT
