"""The referral document: one build, three renderings (page, PDF, JSON), its schema, escaping,
who may read it, and the audit entry each read leaves."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sqlmodel import Session, select

from app.accounts.models import Role, Team, User, UserSession
from app.accounts.service import Principal
from app.audit.models import AuditEvent
from app.checklist import promptset
from app.checklist import service as checklist
from app.checklist.models import Incident
from app.referrals import document, document_answers, document_pdf
from app.referrals import service as referrals
from app.referrals.models import (
    Addendum,
    DecisionKind,
    Delivery,
    DeliveryStatus,
    Referral,
    ReferralStatus,
    ReviewDecision,
)
from tests.checklist.builders import child_answers, complete_answers, problems
from tests.factories import PASSWORD, amend, make_team, make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

WORDS = '"Daddy hit mummy and then he pushed me over"'
HOSTILE = '<script>alert(1)</script> "quotes" & <b>tags</b> </p><h1>x</h1> it\'s'
SCHEMA = json.loads(document.SCHEMA_PATH.read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def officer_principal(user: User, team: Team) -> Principal:
    return Principal(
        user=user,
        roles=frozenset({Role.OFFICER}),
        member_of=frozenset({team.id}),
        supervises=frozenset(),
        coaches=frozenset(),
        session=UserSession(id=uuid.uuid4().hex, user_id=user.id, csrf_token=""),
    )


def make_referral(session: Session, officer: User, team: Team, answers: dict[str, Any]) -> Referral:
    assert problems(answers) == {}
    principal = officer_principal(officer, team)
    incident, _ = checklist.start(session=session, officer=principal, client_uuid=uuid.uuid4())
    _, result = checklist.save(
        session=session, officer=principal, incident_id=incident.id, updates=answers
    )
    assert result.errors == {}
    return referrals.submit(session=session, officer=principal, incident_id=incident.id)


def rich_answers(**overrides: Any) -> dict[str, Any]:
    """Two children (one injured, one not spoken to), two adults, police protection."""
    amy = child_answers(
        voice__words=WORDS,
        observed__injury=True,
        **{
            "observed.injuries": [
                {
                    "injury.location": "left upper arm, outer side",
                    "injury.size": "2cm by 3cm",
                    "injury.colour": "purple",
                    "injury.skin_broken": False,
                    "injury.explanation": 'Amy said: "he grabbed me"',
                }
            ]
        },
    )
    ben = child_answers(
        child__name="Ben Smith",
        child__dob=None,
        child__age_estimate=2,
        child__sex="male",
        child__spoken_to=False,
        child__spoken_alone=None,
        child__not_spoken_reason="Too young to talk.",
        voice__words=None,
        voice__disclosure=False,
        voice__disclosure_time=None,
    )
    base = complete_answers(
        incident__type="domestic_abuse",
        children=[amy, ben],
        **{
            "household.adults": [
                {
                    "adult.name": "Jo Smith",
                    "adult.relationship": "mother",
                    "adult.parental_responsibility": True,
                    "adult.lives_there": True,
                    "adult.is_suspect": False,
                },
                {
                    "adult.name": "Sam Jones",
                    "adult.dob": "1990-01-02",
                    "adult.relationship": "mother's partner",
                    "adult.parental_responsibility": False,
                    "adult.lives_there": True,
                    "adult.is_suspect": True,
                },
            ],
        },
        household__toxic_trio=["domestic_abuse", "substance_misuse"],
        concern__categories=["physical", "domestic_abuse_witnessed"],
        concern__da_abuser_hurt_children=True,
        concern__da_child_contact_conflict=False,
        concern__dash_completed=True,
        concern__dash_score=15,
        action__police_protection=True,
        action__pp_time="2026-03-10T22:30:00+00:00",
        action__pp_place_of_safety="Grandmother's home, 3 Low Road, Anytown",
        action__pp_designated_officer_informed="Insp Patel at 22:40",
        action__pp_la_informed="Emergency duty team (A. Khan) at 22:45",
        action__pp_child_informed_wishes="Amy was told she would stay with her nan. She wants to.",
        action__pp_parents_informed="Jo Smith told in person at 22:35.",
        action__pp_reason="Amy was hurt and the suspect lives there.",
        action__taken=["alternative_carer", "arrest"],
        action__encompass_school_told=True,
        sharing__consent_sought=False,
        sharing__consent_given=None,
        sharing__basis="risk_of_significant_harm",
        sharing__basis_reason="A child was hurt.",
        sharing__decided_by="PC Test 1",
    )
    base.update({k.replace("__", "."): v for k, v in overrides.items()})
    return base


@pytest.fixture
def officer_team(session: Session) -> tuple[User, Team]:
    team = make_team(session)
    return make_user(session, roles=("officer",), team=team), team


def make_officer(session: Session, team: Team) -> User:
    return make_user(session, roles=("officer",), team=team)


def reads(session: Session, referral: Referral, form: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.action == f"referral.read.{form}", AuditEvent.object_id == str(referral.id)
    )
    return list(session.exec(query))


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, read back with pdftotext, with runs of white space made single spaces."""
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def reviewed(session: Session, referral: Referral, supervisor: User, officer: User) -> None:
    """A supervisor's change of grade and approval, delivery, and an addendum after sending."""
    now = datetime.now(UTC)
    session.add_all(
        [
            ReviewDecision(
                referral_id=referral.id,
                version=1,
                kind=DecisionKind.REGRADED,
                actor_id=supervisor.id,
                comment="Two children & a DASH of 15: <high>.",
                from_grade="high",
                to_grade="medium",
                at=now,
            ),
            ReviewDecision(
                referral_id=referral.id,
                version=1,
                kind=DecisionKind.APPROVED,
                actor_id=supervisor.id,
                comment="Approved.",
                at=now + timedelta(minutes=1),
            ),
            Delivery(
                referral_id=referral.id,
                version=1,
                status=DeliveryStatus.SENT,
                sent_at=now + timedelta(minutes=2),
            ),
            Addendum(
                referral_id=referral.id,
                author_id=officer.id,
                text="Sam Jones was charged.\nBail refused.",
                created_at=now + timedelta(hours=1),
            ),
        ]
    )
    referral.status = ReferralStatus.SENT
    referral.grade = "medium"
    session.add(referral)
    session.commit()


def walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


# --- the document and its schema -------------------------------------------------------------


def test_a_full_referral_validates_against_the_schema(
    session: Session, officer_team: tuple[User, Team]
) -> None:
    officer, team = officer_team
    supervisor = make_user(session, roles=("supervisor",), supervises=[team])
    referral = make_referral(session, officer, team, rich_answers())
    reviewed(session, referral, supervisor, officer)

    doc = document.build(session=session, referral=referral)

    VALIDATOR.validate(doc)
    assert json.loads(json.dumps(doc)) == doc  # plain data only
    assert doc["reference"] == referral.reference
    assert (doc["status"], doc["version"], doc["prompt_set_version"]) == ("sent", 1, 1)
    assert doc["officer"] == {"name": officer.display_name, "collar_number": officer.collar_number}
    assert doc["supervisor"]["name"] == supervisor.display_name
    assert doc["team"] == {"name": team.name}
    assert {"submitted_at", "approved_at", "sent_at"} <= doc.keys()
    risk = doc["risk"]
    assert risk["suggested_grade"] == {"id": "high", "label": "High"}
    assert risk["officer_grade"]["id"] == "high"
    assert risk["grade_in_force"]["id"] == "medium"
    assert {"code": "child_disclosed", "text": "the child disclosed abuse"}.items() <= (
        risk["reasons"][0].items()
    )
    assert risk["reasons"][0]["child"] == "Amy Smith"
    assert risk["regrades"][0]["rationale"] == "Two children & a DASH of 15: <high>."
    assert doc["incident"]["type"] == {"id": "domestic_abuse", "label": "Domestic abuse"}
    assert doc["incident"]["datetime"] == "2026-03-10T21:15:00Z"
    amy, ben = doc["children"]
    assert amy["voice"]["words"] == WORDS
    assert amy["injuries"][0]["location"] == "left upper arm, outer side"
    assert ben["details"]["not_spoken_reason"] == "Too young to talk."
    assert "words" not in ben["voice"]
    household = doc["household"]
    assert [a["name"] for a in household["adults"]] == ["Jo Smith", "Sam Jones"]
    assert household["with_parental_responsibility"] == ["Jo Smith"]
    pp = doc["actions"]["police_protection"]
    assert pp["used"] is True
    assert pp["place_of_safety"] == "Grandmother's home, 3 Low Road, Anytown"
    assert doc["information_sharing"]["basis"]["id"] == "risk_of_significant_harm"
    assert [d["kind"] for d in doc["review_history"]] == ["regraded", "approved"]
    assert doc["review_history"][0]["to_grade"]["id"] == "medium"
    assert doc["addenda"][0]["text"] == "Sam Jones was charged.\nBail refused."
    assert doc["declaration"]["confirmed"] is True
    assert [v["version"] for v in doc["versions"]] == [1]


def test_answers_not_asked_or_not_given_are_absent(
    session: Session, officer_team: tuple[User, Team]
) -> None:
    officer, team = officer_team
    referral = make_referral(session, officer, team, complete_answers())

    doc = document.build(session=session, referral=referral)

    VALIDATOR.validate(doc)
    assert all(v is not None and v != "" for v in walk(doc))
    assert doc["actions"]["police_protection"] == {"used": False}
    child = doc["children"][0]
    assert "injuries" not in child
    assert {"school", "age_estimate", "unborn", "not_seen_reason"}.isdisjoint(child["details"])
    assert "who_present" not in child["voice"]
    assert {"toxic_trio", "previous_incidents_12m"}.isdisjoint(doc["household"])
    assert "dash_score" not in doc["concerns"]
    assert {"basis", "basis_reason"}.isdisjoint(doc["information_sharing"])
    assert "override_reason" not in doc["risk"]
    assert {"approved_at", "sent_at", "supervisor"}.isdisjoint(doc)
    html = document_pdf.html(doc)
    for unasked in ("When did police protection start?", "Where on the body?", "Size", "DASH"):
        assert unasked not in html
    assert "No supervisor has reviewed this version yet." in html


def test_every_prompt_has_a_place_in_the_schema() -> None:
    ps = promptset.load_version(1)
    props = SCHEMA["properties"]
    child = props["children"]["items"]["properties"]
    for section in ps.sections:
        if section.id in document_answers.TOP_SECTIONS:
            place = props[document_answers.TOP_SECTIONS[section.id]]
        elif section.id in document_answers.CHILD_SECTIONS:
            place = child[document_answers.CHILD_SECTIONS[section.id]]
        else:
            place = props[section.id]
        for p in section.prompts:
            if p.id == "observed.injuries":
                node = child["injuries"]["items"]
                assert set(node["properties"]) == {
                    "id",
                    *(document_answers.slot(q.id)[0] for q in p.prompts),
                }
                continue
            node = place
            for name in document_answers.slot(p.id):
                node = node["properties"][name]
            assert node, p.id


def test_the_schema_is_published_without_logging_in(client: Browserless) -> None:
    response = client.get("/api/v1/schema/referral-v1.json")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    assert response.content == document.SCHEMA_PATH.read_bytes()
    Draft202012Validator.check_schema(response.json())


# --- the three forms, and who may read them --------------------------------------------------


def test_the_officer_reads_the_page_and_the_read_is_logged(
    as_officer: Browserless, session: Session
) -> None:
    referral = make_referral(session, as_officer.user, as_officer.team, rich_answers())

    response = as_officer.get(f"/referrals/{referral.reference}/document")

    assert response.status_code == 200, response.text[:2000]
    check_page(response.text)
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert f'<h1 class="govuk-heading-l tc-doc__reference">{referral.reference}</h1>' in html
    assert "&#34;Daddy hit mummy and then he pushed me over&#34;" in html  # quoted once only
    assert "Too young to talk." in html
    assert "Police protection (Children Act 1989 section 46)" in html
    assert "To print this referral" in html
    assert f"/referrals/{referral.reference}/document.pdf" in html
    [read] = reads(session, referral, "page")
    assert (read.actor_id, read.reason) == (as_officer.user.id, "officer's own referral")


def test_a_supervisor_of_the_team_gets_the_pdf(
    as_supervisor: Browserless, session: Session
) -> None:
    officer = make_officer(session, as_supervisor.team)
    referral = make_referral(session, officer, as_supervisor.team, rich_answers())

    response = as_supervisor.get(f"/referrals/{referral.reference}/document.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{referral.reference}.pdf"'
    )
    text = pdf_text(response.content)
    assert referral.reference in text
    assert WORDS in text
    assert "Page 1 of" in text
    [read] = reads(session, referral, "pdf")
    assert (read.actor_id, read.reason) == (as_supervisor.user.id, "supervisor review")


def test_a_coach_of_the_team_gets_the_json(as_coach: Browserless, session: Session) -> None:
    officer = make_officer(session, as_coach.team)
    referral = make_referral(session, officer, as_coach.team, rich_answers())

    response = as_coach.get(f"/referrals/{referral.reference}/document.json")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    VALIDATOR.validate(body)
    assert body["reference"] == referral.reference
    [read] = reads(session, referral, "json")
    assert read.actor_id == as_coach.user.id
    assert read.reason == "child protection coaching (read only)"


@pytest.mark.parametrize("who", ["another officer", "a supervisor of another team", "an admin"])
def test_others_are_told_it_does_not_exist(client: Browserless, session: Session, who: str) -> None:
    team = make_team(session)
    referral = make_referral(session, make_officer(session, team), team, complete_answers())
    other_team = make_team(session)
    reader = {
        "another officer": lambda: make_officer(session, team),
        "a supervisor of another team": lambda: make_user(
            session, roles=("supervisor",), supervises=[other_team]
        ),
        "an admin": lambda: make_user(session, roles=("admin",)),
    }[who]()
    client.log_in(reader.username, PASSWORD)

    for suffix in ("", ".pdf", ".json"):
        response = client.get(f"/referrals/{referral.reference}/document{suffix}")
        assert response.status_code == 404, suffix
    assert all(reads(session, referral, form) == [] for form in ("page", "pdf", "json"))


def test_signed_out_readers_are_sent_to_log_in(client: Browserless, session: Session) -> None:
    team = make_team(session)
    referral = make_referral(session, make_officer(session, team), team, complete_answers())

    response = client.get(f"/referrals/{referral.reference}/document.json")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_an_earlier_version_can_be_read(as_officer: Browserless, session: Session) -> None:
    referral = make_referral(session, as_officer.user, as_officer.team, complete_answers())
    amend(session, referral, as_officer.user, "Amended after return.")
    base = f"/referrals/{referral.reference}/document"

    latest = as_officer.get(f"{base}.json").json()
    earlier = as_officer.get(f"{base}.json?version=1").json()
    page = as_officer.get(f"{base}?version=1")

    assert (latest["version"], latest["incident"]["summary"]) == (2, "Amended after return.")
    assert earlier["version"] == 1 and earlier["latest_version"] == 2
    assert earlier["incident"]["summary"] == complete_answers()["incident.summary"]
    VALIDATOR.validate(earlier)
    assert page.status_code == 200
    check_page(page.text)
    assert "This is version 1 of this referral" in page.text
    assert as_officer.get(f"{base}.json?version=3").status_code == 404
    assert as_officer.get(f"{base}.json?version=0").status_code == 422


# --- escaping ---------------------------------------------------------------------------------


def test_hostile_text_is_escaped_in_all_three_forms(
    as_officer: Browserless, session: Session
) -> None:
    amy = child_answers(voice__words=HOSTILE)
    answers = complete_answers(incident__summary=HOSTILE, children=[amy])
    referral = make_referral(session, as_officer.user, as_officer.team, answers)
    base = f"/referrals/{referral.reference}/document"

    html = as_officer.get(base).text
    assert "<script>alert" not in html
    assert "<b>tags</b>" not in html
    assert "</p><h1>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;quotes&#34; &amp; &lt;b&gt;tags&lt;/b&gt;" in html
    assert "“&lt;script&gt;" in html  # the child's words, in quotes
    check_page(html)

    text = pdf_text(as_officer.get(f"{base}.pdf").content)
    assert " ".join(HOSTILE.split()) in text
    assert f"“{' '.join(HOSTILE.split())}”" in text

    body = as_officer.get(f"{base}.json").json()
    assert body["incident"]["summary"] == HOSTILE
    assert body["children"][0]["voice"]["words"] == HOSTILE


def test_the_childs_words_are_put_in_quotes_once(
    session: Session, officer_team: tuple[User, Team]
) -> None:
    officer, team = officer_team
    plain = child_answers(voice__words="I want my nan")
    quoted = child_answers(child__name="Ben Smith", voice__words="“He shouted”")
    referral = make_referral(session, officer, team, complete_answers(children=[plain, quoted]))

    html = document_pdf.html(document.build(session=session, referral=referral))

    assert "“I want my nan”" in html
    assert "“He shouted”" in html and "““He shouted”" not in html


def test_an_unborn_baby_has_details_only(session: Session, officer_team: tuple[User, Team]) -> None:
    officer, team = officer_team
    unborn = {
        "child.unborn": True,
        "child.due_date": "2026-06-01",
        "child.name": "Unborn baby of Jo Smith",
        "child.sex": "not_known",
        "child.known_to_social_care": "no",
    }
    answers = complete_answers(
        gate__pregnancy=True, children=[child_answers(child__unborn=False), unborn]
    )
    referral = make_referral(session, officer, team, answers)

    doc = document.build(session=session, referral=referral)

    VALIDATOR.validate(doc)
    baby = doc["children"][1]
    assert set(baby) == {"id", "number", "details"}
    stored = session.get(Incident, referral.incident_id)
    assert stored is not None
    assert baby["id"] == stored.answers["children"][1]["id"]  # the child's id, kept for life
    assert baby["details"]["unborn"] is True
    assert baby["details"]["due_date"] == "2026-06-01"
    assert baby["details"]["known_to_social_care"] == {"id": "no", "label": "No"}
    html = document_pdf.html(doc)
    assert "Child 2: Unborn baby of Jo Smith" in html
    assert "Expected date of birth" in html and "1 June 2026" in html
