"""Supervision v2: a rationale to approve high or medium, the quality check stored with each
decision and shown in the history, the summary before the decision, and two supervisors at
once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.referrals import service as referrals
from app.referrals.models import DecisionKind, Delivery, Referral, ReferralStatus, ReviewDecision
from app.review import quality, service
from tests.checklist.builders import complete_answers
from tests.factories import PASSWORD, make_referral, make_team, make_user, principal
from tests.helpers import Browserless, check_page
from tests.test_db_locking import serve, signed_in

pytestmark = pytest.mark.db

AGREED = "Amy told the officer her father pushed her over: high is right."
TICKED = {f"quality-{c}": "yes" for c in quality.CRITERIA}


def graded(grade: str) -> dict[str, Any]:
    return complete_answers(
        **{"risk.officer_grade": grade, "risk.override_reason": "Child safe now"}
    )


@pytest.fixture
def team(session: Session) -> Any:
    return make_team(session)


@pytest.fixture
def officer(session: Session, team: Any) -> Any:
    return make_user(session, roles=["officer"], team=team)


@pytest.fixture
def supervisor(session: Session, team: Any, client: Browserless) -> Any:
    """A supervisor of the team, signed in on ``client``."""
    user = make_user(session, roles=["supervisor"], supervises=[team])
    client.log_in(user.username, PASSWORD)
    return user


def decide(client: Browserless, referral: Referral, **fields: str) -> Any:
    data = {"expected_version": str(referral.version), **TICKED, **fields}
    return client.form(f"/review/{referral.reference}/decision", data)


def decisions(session: Session) -> list[ReviewDecision]:
    return list(session.exec(select(ReviewDecision)))


@pytest.mark.parametrize("grade", ["high", "medium"])
def test_approving_high_or_medium_without_a_rationale_is_refused_and_keeps_what_was_typed(
    session: Session, officer: Any, supervisor: Any, client: Browserless, grade: str
) -> None:
    referral = make_referral(session, officer, answers=graded(grade))
    assert referral.grade == grade
    response = decide(
        client,
        referral,
        decision="approve",
        rationale="   ",
        comment="Typed before changing my mind",
        grade_rationale="Half a thought",
        **{"quality-child_seen": "no", "quality-encompass": "not_applicable"},
    )
    assert response.status_code == 422
    check_page(response.text)
    assert "Say why you agree with this grade" in response.text
    assert 'href="#rationale"' in response.text
    # Nothing decided, and the lock was let go: the referral still waits.
    session.refresh(referral)
    assert referral.status == ReferralStatus.SUBMITTED
    assert decisions(session) == []
    # Everything typed is still there, the quality check as ticked (not as prefilled).
    assert "Typed before changing my mind" in response.text and "Half a thought" in response.text
    assert 'id="decision" name="decision" type="radio" value="approve" checked' in response.text
    assert 'name="quality-child_seen" type="radio" value="no" checked' in response.text
    assert 'name="quality-encompass" type="radio" value="not_applicable" checked' in response.text


def test_with_a_rationale_it_is_approved_and_the_rationale_and_quality_check_are_in_the_history(
    session: Session, officer: Any, supervisor: Any, client: Browserless
) -> None:
    referral = make_referral(session, officer)
    marks = {**TICKED, "quality-da_risk_tool": "not_applicable", "quality-encompass": "no"}
    response = client.form(
        f"/review/{referral.reference}/decision",
        {"expected_version": "1", "decision": "approve", "rationale": AGREED, **marks},
    )
    assert response.status_code == 303
    session.refresh(referral)
    assert referral.status == ReferralStatus.APPROVED
    [decision] = decisions(session)
    assert decision.kind == DecisionKind.APPROVED and decision.comment == AGREED
    expected = {c: "yes" for c in quality.CRITERIA} | {
        "da_risk_tool": "not_applicable",
        "encompass": "no",
    }
    assert decision.quality == expected
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "referral.approved")).one()
    assert audit.detail["quality"] == expected
    page = client.get(f"/review/{referral.reference}")
    check_page(page.text)
    history = page.text[page.text.index("Review history") :]
    assert f'Why they agree with this grade: <span class="tc-pre tc-break">{AGREED}' in (
        history.replace("&#39;", "'")
    )
    assert "Quality check" in history
    assert '<dt class="govuk-summary-list__key">Operation Encompass</dt>' in history
    assert "Does not apply" in history


def test_the_officer_sees_the_quality_check_in_the_history_too(
    session: Session, officer: Any, team: Any, client: Browserless
) -> None:
    sup = principal(session, make_user(session, roles=["supervisor"], supervises=[team]))
    referral = make_referral(session, officer)
    service.return_to_officer(
        session=session,
        supervisor=sup,
        reference=referral.reference,
        expected_version=1,
        comment="Record the child's words",
        quality={c: "yes" for c in quality.CRITERIA} | {"words_recorded": "no"},
    )
    client.log_in(officer.username, PASSWORD)
    page = client.get(f"/referrals/{referral.reference}")
    check_page(page.text)
    assert "What to change: " in page.text and "The child&#39;s words recorded" in page.text


def test_a_standard_referral_is_approved_without_a_rationale(
    session: Session, officer: Any, supervisor: Any, client: Browserless
) -> None:
    referral = make_referral(session, officer, answers=graded("standard"))
    page = client.get(f"/review/{referral.reference}")
    assert "Why you agree with this grade (optional)" in page.text
    assert decide(client, referral, decision="approve").status_code == 303
    session.refresh(referral)
    assert referral.status == ReferralStatus.APPROVED


def test_the_grade_in_force_decides_whether_a_rationale_is_needed(
    session: Session, officer: Any, team: Any
) -> None:
    sup = principal(session, make_user(session, roles=["supervisor"], supervises=[team]))
    referral = make_referral(session, officer)  # high
    with pytest.raises(service.RationaleRequired):
        service.approve(
            session=session, supervisor=sup, reference=referral.reference, expected_version=1
        )
    session.rollback()
    service.regrade(
        session=session,
        supervisor=sup,
        reference=referral.reference,
        expected_version=1,
        grade="standard",
        rationale="Child with grandmother, father arrested",
    )
    service.approve(
        session=session, supervisor=sup, reference=referral.reference, expected_version=1
    )
    session.refresh(referral)
    assert referral.status == ReferralStatus.APPROVED


def test_a_quality_check_with_a_criterion_left_blank_is_refused(
    session: Session, officer: Any, supervisor: Any, client: Browserless
) -> None:
    referral = make_referral(session, officer)
    fields = {k: v for k, v in TICKED.items() if k != "quality-s46_considered"}
    response = client.form(
        f"/review/{referral.reference}/decision",
        {"expected_version": "1", "decision": "approve", "rationale": AGREED, **fields},
    )
    assert response.status_code == 422
    check_page(response.text)
    assert 'href="#quality-s46_considered"' in response.text
    assert "Choose yes, no or does not apply for" in response.text
    assert AGREED.replace("'", "&#39;") in response.text  # the rationale is kept
    assert decisions(session) == []
    wrong = decide(
        client,
        referral,
        decision="approve",
        rationale=AGREED,
        **{"quality-crime_recorded": "maybe"},
    )
    assert wrong.status_code == 422 and 'href="#quality-crime_recorded"' in wrong.text


def test_the_quality_check_is_prefilled_from_the_answers(
    session: Session, officer: Any, supervisor: Any, client: Browserless
) -> None:
    referral = make_referral(session, officer)  # v1: crime, disclosure, no domestic abuse
    page = client.get(f"/review/{referral.reference}").text
    for criterion, mark in quality.prefill(1, complete_answers()).items():
        assert f'name="quality-{criterion}" type="radio" value="{mark}" checked' in page
    assert 'name="quality-encompass" type="radio" value="not_applicable" checked' in page


def test_the_page_shows_the_summary_before_the_decision(
    session: Session, officer: Any, supervisor: Any, client: Browserless
) -> None:
    referral = make_referral(session, officer)
    page = client.get(f"/review/{referral.reference}").text
    check_page(page)
    order = [
        'id="summary-heading"',
        "Amy Smith",
        "Daddy hit mummy",
        'id="quality-heading"',
        'id="decision-heading"',
        "Record your decision",
        "Review history",
        "The officer's answers",
    ]
    places = [page.index(marker) for marker in order]
    assert places == sorted(places), dict(zip(order, places, strict=True))
    summary = page[page.index('id="summary-heading"') : page.index('id="quality-heading"')]
    assert "Did you see the child yourself?" in summary
    assert "Amy told me her father pushed her over." in summary  # the officer's rationale


def test_two_supervisors_approving_at_once_make_one_decision(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as s:
        team = make_team(s)
        author = make_user(s, roles=["officer"], team=team)
        referral = make_referral(s, author)
        reference, version = referral.reference, referral.version
        names = [make_user(s, roles=["supervisor"], supervises=[team]).username for _ in "ab"]
    data = {"expected_version": str(version), "decision": "approve", "rationale": AGREED, **TICKED}
    with serve(fresh_engine):
        clients = [signed_in(name) for name in names]
        start = threading.Barrier(2)
        got: list[int] = []

        def approve(c: Browserless) -> None:
            start.wait()
            got.append(c.form(f"/review/{reference}/decision", data).status_code)

        threads = [threading.Thread(target=approve, args=(c,)) for c in clients]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
        finally:
            for c in clients:
                c.__exit__(None, None, None)
    assert sorted(got) == [303, 409]
    with Session(fresh_engine) as s:
        assert len(list(s.exec(select(ReviewDecision)))) == 1
        assert len(list(s.exec(select(Delivery)))) == 1


def test_a_decision_on_a_version_since_replaced_is_refused_and_keeps_what_was_typed(
    session: Session, officer: Any, team: Any, supervisor: Any, client: Browserless
) -> None:
    other = principal(session, make_user(session, roles=["supervisor"], supervises=[team]))
    referral = make_referral(session, officer)
    service.return_to_officer(
        session=session,
        supervisor=other,
        reference=referral.reference,
        expected_version=1,
        comment="Name the school",
    )
    referrals.submit(
        session=session, officer=principal(session, officer), incident_id=referral.incident_id
    )
    response = client.form(
        f"/review/{referral.reference}/decision",
        {
            "expected_version": "1",
            "decision": "approve",
            "rationale": "Typed on version 1",
            **TICKED,
        },
    )
    assert response.status_code == 409
    check_page(response.text)
    assert "Someone else acted on this referral" in response.text
    assert "Typed on version 1" in response.text  # kept, to decide on version 2
    assert 'name="expected_version" value="2"' in response.text
    assert [d.kind for d in decisions(session)] == [DecisionKind.RETURNED]
