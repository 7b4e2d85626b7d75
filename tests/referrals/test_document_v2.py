"""The referral document v2: the summary for the MASH first (page, first PDF page, JSON),
concerns under each child, ages worked out, "not known" told apart from "not asked", and the
JSON valid against the generated referral-v2 schema. v1 referrals keep format 1."""

from __future__ import annotations

import subprocess
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sqlmodel import Session, select

from app.accounts.models import Team, User
from app.checklist import encompass, promptset
from app.checklist import service as checklist
from app.checklist.answers.ages import age_parts, child_age_in_words
from app.checklist.promptset import PromptSet, load_version
from app.referrals import document, document_pdf, document_v2
from app.referrals import service as referrals
from app.referrals.document_summary import first_words
from app.referrals.models import Referral, ReferralVersion
from app.referrals.schema_gen import generate
from tests.checklist.builders import complete_answers
from tests.checklist.builders_v2 import (
    baby_answers_v2,
    child_answers_v2,
    complete_answers_v2,
    problems_v2,
)
from tests.factories import make_team, make_user
from tests.helpers import Browserless, check_page
from tests.referrals.test_document import make_referral, officer_principal

AMY, BEN = str(uuid.uuid4()), str(uuid.uuid4())
BEN_WORDS = '"He grabbed my neck. I was scared and I hid under the bed."'


def v2_answers() -> dict[str, Any]:
    """A domestic abuse incident with two children: Amy, 4 months, not spoken to; Ben, 8,
    spoken to alone, missing three times."""
    amy = baby_answers_v2(id=AMY)
    ben = child_answers_v2(
        id=BEN,
        child__name="Ben Smith",
        child__dob="2018-01-15",
        child__sex="male",
        child__known_to_social_care="no",
        child__tonight_where="With his grandmother Pat Smith, 3 Low Road",
        voice__words=BEN_WORDS,
        voice__disclosure=False,
        voice__disclosure_about=None,
        voice__disclosure_sexual=None,
        voice__disclosure_to=None,
        voice__alleged_abuser_present_tonight=None,
        voice__disclosure_time=None,
        concern__categories=["domestic_abuse_witnessed", "missing"],
        concern__missing_episodes_90d=3,
        concern__found_where="At a friend's house in Anytown",
        concern__missing_found_with_adults=False,
        concern__missing_out_of_area=False,
        concern__missing_safe_well_done=True,
        concern__missing_return_interview_requested=True,
    )
    answers = complete_answers_v2(
        children=[amy, ben],
        concern__da_abuser_hurt_children=False,
        concern__da_strangulation=True,
        concern__da_risk_level="high",
        concern__dash_score=15,
        action__police_protection=True,
        action__pp_time="2026-03-10T22:30:00+00:00",
        action__pp_place_of_safety="Grandmother's home, 3 Low Road",
        action__pp_la_accommodation=False,
        action__pp_police_station_used=False,
        action__pp_designated_officer="Insp Kim Lee",
        action__pp_designated_officer_informed="2026-03-10 22:40, by phone",
        action__pp_la_informed="Emergency duty team, 2026-03-10 22:45",
        action__pp_child_informed_wishes="Ben was told and wants to stay with his nan.",
        action__pp_parents_informed="Jo Smith told at 22:35.",
        action__pp_reason="Strangulation; the father may return tonight.",
        action__taken=["arrest"],
        action__urgent_call_to="MASH duty social worker Sam Patel",
        action__urgent_call_time="2026-03-10T22:50:00+00:00",
        action__urgent_call_agreed="Strategy discussion at 09:00 tomorrow.",
        sharing__agencies=["school", "gp"],
        sharing__agencies_detail="Dr Jones, Anytown Surgery",
        risk__request="strategy_discussion",
        risk__rationale="Strangulation reported; two children in the home.",
    )
    assert problems_v2(answers) == {}
    return answers


@pytest.fixture
def v2() -> PromptSet:
    return load_version(2)


def make_v2_referral(session: Session, officer: User, team: Team) -> Referral:
    """A referral by ``officer`` of ``team``, submitted under prompt set 2 (``current()`` for
    this module)."""
    principal = officer_principal(officer, team)
    incident, _ = checklist.start(session=session, officer=principal, client_uuid=uuid.uuid4())
    assert incident.prompt_set_version == 2
    _, result = checklist.save(
        session=session, officer=principal, incident_id=incident.id, updates=v2_answers()
    )
    assert result.errors == {}
    return referrals.submit(session=session, officer=principal, incident_id=incident.id)


def pdf_page_one(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


# --- units -----------------------------------------------------------------------------------


def test_ages_are_worked_out_on_the_day_as_the_checklist_words_them() -> None:
    """The document's ages are the checklist's (``answers.ages``, as the risk reasons word
    them), on the incident's day in UK time."""
    on = date(2026, 3, 10)
    assert (age_parts("2025-11-02", on).years, age_parts("2025-11-02", on).months) == (0, 4)
    assert (age_parts("2018-01-15", on).years, age_parts("2018-01-15", on).months) == (8, 1)
    assert (age_parts("2018-03-10", on).years, age_parts("2018-03-10", on).months) == (8, 0)
    assert child_age_in_words({"child.dob": "2025-11-02"}, on) == "4 months"
    assert child_age_in_words({"child.dob": "2025-03-10"}, on) == "1 year"
    assert child_age_in_words({"child.dob": "2026-03-01"}, on) == "1 week"
    assert child_age_in_words({"child.dob": "2016-01-15"}, on) == "10 years 1 month"
    assert child_age_in_words({"child.age_estimate": 2.5}, on) == "about 2 years 6 months"
    unborn = {"child.unborn": True, "child.due_date": "2026-06-01"}
    assert child_age_in_words(unborn, on) == "unborn"
    submitted = datetime(2026, 7, 2, 9, 0, tzinfo=UTC)
    late = {"incident.datetime": "2026-06-30T23:30:00+00:00"}  # 00:30 on 1 July, UK time
    assert document_v2.age_day(late, submitted) == date(2026, 7, 1)
    assert document_v2.age_day({}, submitted) == date(2026, 7, 2)


def test_first_words_are_the_first_sentence_or_about_200_characters() -> None:
    assert first_words(BEN_WORDS) == "He grabbed my neck."
    assert first_words("“I want my nan”") == "I want my nan"
    long = "word " * 80
    cut = first_words(long)
    assert cut.endswith("…") and len(cut) <= 201 and "wor…" not in cut


# --- the document ----------------------------------------------------------------------------


@pytest.mark.db
def test_the_json_has_the_summary_and_is_valid_against_the_generated_schema(
    session: Session, v2: PromptSet
) -> None:
    team = make_team(session)
    officer = make_user(session, roles=("officer",), team=team)
    referral = make_v2_referral(session, officer, team)

    doc = document.build(session=session, referral=referral)

    schema = generate(v2)
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(doc)
    assert doc["schema"] == "referral-v2"
    assert list(doc)[list(doc).index("team") + 1 :][:2] == ["summary", "risk"]
    s = doc["summary"]
    amy, ben = s["children"]
    assert amy == {
        "id": AMY,
        "number": 1,
        "name": "Amy Smith",
        "age": "4 months",
        "seen": True,
        "spoken_to": False,
        "not_spoken_reason": "A baby.",
        "tonight": "With her grandmother Pat Smith, 3 Low Road",
        "tonight_checked": True,
    }
    assert (ben["id"], ben["age"], ben["spoken_alone"]) == (BEN, "8 years 1 month", True)
    assert ben["first_words"] == "He grabbed my neck."
    assert s["grade"] == {"id": "high", "label": "High"}
    assert [(r["code"], r.get("child")) for r in s["reasons"]] == [
        ("police_protection", None),
        ("da_strangulation", None),
        ("da_risk_high", None),
        ("baby_in_da", "Amy Smith (4 months)"),
        ("missing_often", "Ben Smith (8 years 1 month)"),
    ]
    assert s["rationale"] == "Strangulation reported; two children in the home."
    assert s["urgent_call"] == {
        "to": "MASH duty social worker Sam Patel",
        "at": "2026-03-10T22:50:00Z",
        "agreed": "Strategy discussion at 09:00 tomorrow.",
    }
    assert s["police_protection"]["used"] is True
    assert [a["id"] for a in s["actions_taken"]] == ["arrest"]
    assert s["request"]["id"] == "strategy_discussion"
    assert [a["id"] for a in s["agencies"]] == ["school", "gp"]
    assert s["agencies_detail"] == "Dr Jones, Anytown Surgery"
    assert s["encompass"] == [
        {
            "id": BEN,
            "name": "Ben Smith",
            "school": "Anytown Primary School",
            "age": "8 years 1 month",
            "due": "2026-03-11",  # the incident was on a Tuesday evening
        }
    ]
    row = session.exec(
        select(ReferralVersion).where(ReferralVersion.referral_id == referral.id)
    ).one()
    due = encompass.notifications(row.answers, version=2)  # as the officer's check page
    assert [(e["id"], e["school"], e["due"]) for e in s["encompass"]] == [
        (n.child_id, n.school, n.due.isoformat()) for n in due
    ]
    assert s["officer"] == {
        "name": officer.display_name,
        "collar_number": officer.collar_number,
        "team": team.name,
    }
    # concerns under each child, the household's domestic abuse answers apart
    children = doc["children"]
    assert children[0]["concerns"]["categories"] == [{"id": "neglect", "label": "Neglect"}]
    assert [c["id"] for c in children[1]["concerns"]["categories"]] == [
        "domestic_abuse_witnessed",
        "missing",
    ]
    assert children[1]["concerns"]["missing_episodes_90d"] == 3
    assert "missing_episodes_90d" not in children[0]["concerns"]
    assert "concerns" not in doc
    assert doc["domestic_abuse"]["da_strangulation"] is True
    assert (children[0]["age"], children[1]["age"]) == ("4 months", "8 years 1 month")
    assert doc["risk"]["request"]["id"] == "strategy_discussion"


@pytest.mark.db
def test_encompass_is_due_only_for_domestic_abuse(session: Session, v2: PromptSet) -> None:
    team = make_team(session)
    referral = make_v2_referral(session, make_user(session, team=team), team)
    row = session.exec(
        select(ReferralVersion).where(ReferralVersion.referral_id == referral.id)
    ).one()
    answers = v2_answers()
    answers["incident.type"] = "crime"
    answers["children"][1]["concern.categories"] = ["missing"]
    row.answers = answers
    session.add(row)
    session.commit()

    assert document.build(session=session, referral=referral)["summary"]["encompass"] == []


@pytest.mark.db
def test_the_page_shows_the_summary_first_then_concerns_under_each_child(
    as_officer: Browserless, session: Session, v2: PromptSet
) -> None:
    referral = make_v2_referral(session, as_officer.user, as_officer.team)

    response = as_officer.get(f"/referrals/{referral.reference}/document")

    assert response.status_code == 200, response.text[:2000]
    html = response.text
    check_page(html)
    summary_at = html.index("Summary for the MASH")
    assert summary_at < html.index("About the child")
    summary = html[summary_at : html.index("About this referral")]
    for words in (
        "Child 1: Amy Smith, 4 months",
        "Child 2: Ben Smith, 8 years 1 month",
        "With her grandmother Pat Smith, 3 Low Road",
        "“He grabbed my neck.”",
        "MASH duty social worker Sam Patel",
        "Strategy discussion at 09:00 tomorrow.",
        "Grandmother&#39;s home, 3 Low Road",
        "Dr Jones, Anytown Surgery",
        "Ben Smith (8 years 1 month): Anytown Primary School, before school on Wednesday 11 March",
        "Strangulation reported; two children in the home.",
        f"{as_officer.user.display_name}, number {as_officer.user.collar_number}",
        "Amy Smith (4 months)",
    ):
        assert words in summary, words
    amy_part = html[html.index("Child 1: Amy Smith</h2>") : html.index("Child 2: Ben Smith</h2>")]
    ben_part = html[html.index("Child 2: Ben Smith</h2>") :]
    assert "Concerns for Amy Smith" in amy_part and "Neglect" in amy_part
    assert "missing in the last 90 days" not in amy_part.lower()
    assert "Concerns for Ben Smith" in ben_part
    # "not known" is shown as such; a question not asked has no row
    assert '<strong class="tc-doc__not-known">Not known</strong>' in amy_part
    assert "School, college or nursery" not in amy_part
    assert "School, college or nursery" in ben_part
    assert "Age</dt>" in amy_part and "4 months" in amy_part


@pytest.mark.db
def test_the_pdf_holds_the_summary_on_its_first_page(
    as_supervisor: Browserless, session: Session, v2: PromptSet
) -> None:
    officer = make_user(session, roles=("officer",), team=as_supervisor.team)
    referral = make_v2_referral(session, officer, as_supervisor.team)

    response = as_supervisor.get(f"/referrals/{referral.reference}/document.pdf")

    assert response.status_code == 200
    first = pdf_page_one(response.content)
    for words in (
        "Summary for the MASH",
        "Amy Smith, 4 months",
        "Ben Smith, 8 years 1 month",
        "“He grabbed my neck.”",
        "MASH duty social worker Sam Patel",
        "Anytown Primary School, before school on Wednesday 11 March 2026",
        "Police ask social care for",
    ):
        assert words in first, words
    assert "About the child" not in first  # the details start on page 2


@pytest.mark.db
def test_the_json_route_gives_format_2_and_v1_referrals_keep_format_1(
    as_coach: Browserless, session: Session, v2: PromptSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = make_user(session, roles=("officer",), team=as_coach.team)
    new = make_v2_referral(session, officer, as_coach.team)
    monkeypatch.setattr(promptset, "current", lambda: promptset.load_version(1))
    old = make_referral(session, officer, as_coach.team, complete_answers())

    body = as_coach.get(f"/referrals/{new.reference}/document.json").json()
    old_body = as_coach.get(f"/referrals/{old.reference}/document.json").json()
    old_html = document_pdf.html(document.build(session=session, referral=old))

    assert (body["schema"], body["summary"]["children"][1]["id"]) == ("referral-v2", BEN)
    assert old_body["schema"] == "referral-v1" and "summary" not in old_body
    assert "concerns" in old_body and "Summary for the MASH" not in old_html
