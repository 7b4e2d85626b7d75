"""The supervisor's queue, decisions and their rules, return and resubmit, addenda."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.checklist import service as checklist
from app.checklist.models import Incident, IncidentStatus
from app.errors import InvalidTransition
from app.referrals import addenda, versions
from app.referrals import service as referrals
from app.referrals.models import DecisionKind, Delivery, ReferralStatus, ReviewDecision
from app.review import queue, service
from app.review.quality import CRITERIA
from tests.checklist.builders import complete_answers
from tests.factories import make_referral, make_team, make_user, principal
from tests.helpers import Browserless, check_page


@pytest.fixture
def team(session: Session):
    return make_team(session)


@pytest.fixture
def officer(session: Session, team):
    return make_user(session, roles=["officer"], team=team)


@pytest.fixture
def supervisor(session: Session, team):
    return principal(session, make_user(session, roles=["supervisor"], supervises=[team]))


AGREED = "Amy told the officer her father pushed her: high is right."
# The quality check as a supervisor sends it with every decision.
TICKED = {f"quality-{c}": "yes" for c in CRITERIA}


def graded(grade: str) -> dict:
    """Complete answers graded lower than suggested (high), with the override reason."""
    return complete_answers(
        **{"risk.officer_grade": grade, "risk.override_reason": "Child safe now"}
    )


def _actions(session: Session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEvent))]


def test_queue_orders_by_risk_then_waiting_and_marks_overdue(
    session: Session, officer, supervisor, time_machine
) -> None:
    time_machine.move_to("2026-11-23 08:00:00+00:00", tick=False)
    standard_old = make_referral(session, officer, answers=graded("standard"))
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)
    high_new = make_referral(session, officer)
    time_machine.move_to("2026-11-23 09:10:00+00:00", tick=False)
    medium = make_referral(session, officer, answers=graded("medium"))
    time_machine.move_to("2026-11-23 09:30:00+00:00", tick=False)
    page = queue.queue(session=session, supervisor=supervisor, filters=queue.Filters())
    assert [i.referral.reference for i in page.items] == [
        high_new.reference,
        medium.reference,
        standard_old.reference,
    ]
    assert [i.overdue for i in page.items] == [False, False, False]
    assert page.items[0].due == high_new.submitted_at + timedelta(hours=1)
    # High is due within 1 hour, medium 8, standard 24.
    time_machine.move_to("2026-11-23 10:01:00+00:00", tick=False)
    page = queue.queue(session=session, supervisor=supervisor, filters=queue.Filters())
    assert [i.overdue for i in page.items] == [True, False, False]
    time_machine.move_to("2026-11-24 08:01:00+00:00", tick=False)
    page = queue.queue(session=session, supervisor=supervisor, filters=queue.Filters())
    assert [i.overdue for i in page.items] == [True, True, True]


def test_queue_filters_and_pages(session: Session, officer, supervisor, team) -> None:
    other_officer = make_user(session, roles=["officer"], team=team)
    for _ in range(queue.PAGE_SIZE + 1):
        make_referral(session, officer, answers=graded("medium"))
    mine = make_referral(session, other_officer)
    page1 = queue.queue(session=session, supervisor=supervisor, filters=queue.Filters())
    assert page1.total == queue.PAGE_SIZE + 2 and page1.pages == 2
    assert len(page1.items) == queue.PAGE_SIZE
    page2 = queue.queue(session=session, supervisor=supervisor, filters=queue.Filters(), page=2)
    assert len(page2.items) == 2
    by_officer = queue.queue(
        session=session, supervisor=supervisor, filters=queue.Filters(officer=other_officer.id)
    )
    assert [i.referral.reference for i in by_officer.items] == [mine.reference]
    high = queue.queue(session=session, supervisor=supervisor, filters=queue.Filters(grade="high"))
    assert [i.referral.reference for i in high.items] == [mine.reference]
    assert queue.count_waiting(session=session, supervisor=supervisor) == queue.PAGE_SIZE + 2


def test_supervisors_see_only_their_teams(
    session: Session, officer, supervisor, as_supervisor: Browserless
) -> None:
    referral = make_referral(session, officer)
    assert queue.queue(session=session, supervisor=supervisor, filters=queue.Filters()).total == 1
    # as_supervisor supervises another team.
    page = as_supervisor.get("/review")
    assert referral.reference not in page.text
    assert as_supervisor.get(f"/review/{referral.reference}").status_code == 404
    response = as_supervisor.form(
        f"/review/{referral.reference}/decision",
        {"decision": "approve", "expected_version": "1", "rationale": AGREED, **TICKED},
    )
    assert response.status_code == 404


def test_a_referral_goes_to_the_team_of_the_officer_at_submission(
    session: Session, officer, supervisor, team
) -> None:
    """An officer who starts an incident in one team and moves before submitting: the referral
    is reviewed by the new team's supervisors."""
    from app.accounts.models import MembershipKind, TeamMembership

    new_team = make_team(session)
    new_supervisor = principal(
        session, make_user(session, roles=["supervisor"], supervises=[new_team])
    )
    before = principal(session, officer)
    incident, _ = checklist.start(session=session, officer=before, client_uuid=uuid.uuid4())
    checklist.save(
        session=session, officer=before, incident_id=incident.id, updates=complete_answers()
    )
    assert incident.team_id == team.id
    membership = session.exec(
        select(TeamMembership).where(TeamMembership.user_id == officer.id)
    ).one()
    session.delete(membership)
    session.add(TeamMembership(user_id=officer.id, team_id=new_team.id, kind=MembershipKind.MEMBER))
    session.commit()

    referral = referrals.submit(
        session=session, officer=principal(session, officer), incident_id=incident.id
    )

    assert referral.team_id == new_team.id
    everyone = queue.Filters()
    assert queue.queue(session=session, supervisor=new_supervisor, filters=everyone).total == 1
    assert queue.queue(session=session, supervisor=supervisor, filters=everyone).total == 0


def test_approve_queues_delivery_in_the_same_transaction(
    session: Session, officer, supervisor
) -> None:
    referral = make_referral(session, officer)
    service.approve(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        comment=AGREED,
    )
    session.refresh(referral)
    assert referral.status == ReferralStatus.APPROVED
    delivery = session.exec(select(Delivery).where(Delivery.referral_id == referral.id)).one()
    assert delivery.version == 1 and delivery.status == "pending"
    assert "referral.approved" in _actions(session)


@pytest.mark.parametrize(
    "status", [ReferralStatus.RETURNED, ReferralStatus.APPROVED, ReferralStatus.SENT]
)
def test_decisions_refused_unless_submitted(session: Session, officer, supervisor, status) -> None:
    referral = make_referral(session, officer)
    referral.status = status
    session.add(referral)
    session.commit()
    for decide in (
        lambda: service.approve(
            session=session,
            supervisor=supervisor,
            reference=referral.reference,
            expected_version=1,
            comment=AGREED,
        ),
        lambda: service.return_to_officer(
            session=session,
            supervisor=supervisor,
            reference=referral.reference,
            expected_version=1,
            comment="x",
        ),
        lambda: service.regrade(
            session=session,
            supervisor=supervisor,
            reference=referral.reference,
            expected_version=1,
            grade="medium",
            rationale="x",
        ),
    ):
        with pytest.raises(InvalidTransition):
            decide()
        session.rollback()


def test_second_supervisor_is_told(session: Session, officer, supervisor, team) -> None:
    other = principal(session, make_user(session, roles=["supervisor"], supervises=[team]))
    referral = make_referral(session, officer)
    service.approve(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        comment=AGREED,
    )
    with pytest.raises(service.StaleDecision):
        service.return_to_officer(
            session=session,
            supervisor=other,
            reference=referral.reference,
            expected_version=1,
            comment="change it",
        )
    session.rollback()
    decisions = session.exec(select(ReviewDecision)).all()
    assert [d.kind for d in decisions] == [DecisionKind.APPROVED]


def test_second_supervisor_is_told_on_the_page(
    session: Session, officer, team, client: Browserless
) -> None:
    sup_user = make_user(session, roles=["supervisor"], supervises=[team])
    first = principal(session, make_user(session, roles=["supervisor"], supervises=[team]))
    referral = make_referral(session, officer)
    client.log_in(sup_user.username, "correct horse battery")
    assert client.get(f"/review/{referral.reference}").status_code == 200  # page open
    service.approve(
        session=session,
        supervisor=first,
        reference=referral.reference,
        expected_version=1,
        comment=AGREED,
    )
    response = client.form(
        f"/review/{referral.reference}/decision",
        {"decision": "return", "expected_version": "1", "comment": "fix", **TICKED},
    )
    assert response.status_code == 409
    assert "Someone else acted on this referral" in response.text
    check_page(response.text)


def test_return_requires_a_comment_and_reopens_the_draft(
    session: Session, officer, supervisor
) -> None:
    referral = make_referral(session, officer)
    with pytest.raises(service.CommentRequired):
        service.return_to_officer(
            session=session,
            supervisor=supervisor,
            reference=referral.reference,
            expected_version=1,
            comment=" ",
        )
    service.return_to_officer(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        comment="Add the school",
    )
    session.refresh(referral)
    assert referral.status == ReferralStatus.RETURNED
    incident = session.get(Incident, referral.incident_id)
    assert incident is not None and incident.status == IncidentStatus.DRAFT
    comments = referrals.return_comments(session=session, referral_ids={referral.id})
    assert comments == {referral.id: "Add the school"}


def test_amend_and_resubmit_makes_a_new_version_and_a_diff(
    session: Session, officer, supervisor
) -> None:
    referral = make_referral(session, officer)
    service.return_to_officer(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        comment="Name the school",
    )
    who = principal(session, officer)
    children = [dict(c) for c in complete_answers()["children"]]
    children[0]["child.school"] = "Hill Primary"
    checklist.save(
        session=session,
        officer=who,
        incident_id=referral.incident_id,
        updates={"children": children},
    )
    again = referrals.submit(session=session, officer=who, incident_id=referral.incident_id)
    assert (
        again.id == referral.id and again.version == 2 and again.status == ReferralStatus.SUBMITTED
    )
    all_versions = versions.all_versions(session=session, referral=again)
    assert [v.version for v in all_versions] == [1, 2]
    changes = versions.changes(all_versions[0], all_versions[1])
    assert any(c.after == "Hill Primary" and c.kind == "added" for c in changes)
    # A decision on the old version is refused: the supervisor is told to look again.
    with pytest.raises(service.StaleDecision):
        service.approve(
            session=session,
            supervisor=supervisor,
            reference=referral.reference,
            expected_version=1,
            comment=AGREED,
        )


def test_regrade_keeps_both_grades(session: Session, officer, supervisor) -> None:
    referral = make_referral(session, officer)
    with pytest.raises(service.CommentRequired):
        service.regrade(
            session=session,
            supervisor=supervisor,
            reference=referral.reference,
            expected_version=1,
            grade="medium",
            rationale="",
        )
    service.regrade(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        grade="medium",
        rationale="Child now safe with grandmother",
    )
    session.refresh(referral)
    version = referrals.latest_version(session=session, referral=referral)
    assert referral.grade == "medium" and version.officer_grade == "high"
    decision = session.exec(select(ReviewDecision)).one()
    assert (decision.from_grade, decision.to_grade) == ("high", "medium")


def test_addenda_only_after_approval_and_never_edited(
    session: Session, officer, supervisor
) -> None:
    referral = make_referral(session, officer)
    who = principal(session, officer)
    with pytest.raises(InvalidTransition):
        addenda.add(session=session, principal=who, reference=referral.reference, text="More")
    session.rollback()
    service.approve(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        comment=AGREED,
    )
    referral.status = ReferralStatus.SENT
    session.add(referral)
    session.commit()
    addenda.add(
        session=session,
        principal=who,
        reference=referral.reference,
        text="School told next morning",
    )
    addenda.add(
        session=session, principal=supervisor, reference=referral.reference, text="Called the MASH"
    )
    assert [a.text for a in addenda.of(session=session, referral=referral)] == [
        "School told next morning",
        "Called the MASH",
    ]
    assert _actions(session).count("referral.addendum_added") == 2


def test_review_pages_render(session: Session, officer, team, client: Browserless) -> None:
    sup = make_user(session, roles=["supervisor"], supervises=[team])
    referral = make_referral(session, officer)
    client.log_in(sup.username, "correct horse battery")
    queue_page = client.get("/review")
    assert queue_page.status_code == 200
    check_page(queue_page.text)
    assert referral.reference in queue_page.text
    assert (
        "Review queue" in queue_page.text and "(1<span" in queue_page.text
    )  # the count in the nav
    fragment = client.get("/review?grade=high", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and referral.reference in fragment.text
    assert "HX-Request" in fragment.headers["vary"].split(", ")
    page = client.get(f"/review/{referral.reference}")
    assert page.status_code == 200
    check_page(page.text)
    assert "Suggested" in page.text and "Approve and send" in page.text
    # Reading is audited with the reason.
    read = session.exec(select(AuditEvent).where(AuditEvent.action == "referral.read.review")).one()
    assert read.reason == "supervisor review"
    missing = client.form(
        f"/review/{referral.reference}/decision",
        {"decision": "return", "expected_version": "1", **TICKED},
    )
    assert missing.status_code == 422 and "Say what the officer needs to change" in missing.text
    done = client.form(
        f"/review/{referral.reference}/decision",
        {"decision": "approve", "expected_version": "1", "rationale": AGREED, **TICKED},
    )
    assert done.status_code == 303
    assert "Waiting to send" in client.get(f"/review/{referral.reference}").text


def test_changes_page(session: Session, officer, supervisor, team, client: Browserless) -> None:
    referral = make_referral(session, officer)
    service.return_to_officer(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        comment="More detail",
    )
    who = principal(session, officer)
    checklist.save(
        session=session,
        officer=who,
        incident_id=referral.incident_id,
        updates={"incident.summary": "Neighbours called at 22:00. <b>Shouting</b>."},
    )
    referrals.submit(session=session, officer=who, incident_id=referral.incident_id)
    client.log_in(officer.username, "correct horse battery")
    page = client.get(f"/referrals/{referral.reference}/changes?from=1&to=2")
    assert page.status_code == 200
    check_page(page.text)
    assert "&lt;b&gt;Shouting&lt;/b&gt;" in page.text


def test_failed_delivery_is_flagged_and_can_be_sent_again(
    session: Session, officer, supervisor, team, client: Browserless
) -> None:
    sup = make_user(session, roles=["supervisor"], supervises=[team])
    referral = make_referral(session, officer)
    service.approve(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        comment=AGREED,
    )
    delivery = session.exec(select(Delivery).where(Delivery.referral_id == referral.id)).one()
    delivery.status = "failed"
    delivery.attempts = 8
    delivery.last_error = "HTTP 503 from the MASH"
    session.add(delivery)
    session.commit()
    client.log_in(sup.username, "correct horse battery")
    queue_page = client.get("/review")
    assert (
        "Not yet delivered to children" in queue_page.text and referral.reference in queue_page.text
    )
    page = client.get(f"/review/{referral.reference}")
    assert "Delivery failed" in page.text and "HTTP 503 from the MASH" in page.text
    assert client.form(f"/review/{referral.reference}/redeliver").status_code == 303
    session.refresh(delivery)
    assert delivery.status == "pending" and delivery.attempts == 0
    assert "referral.delivery_retried" in _actions(session)
    done = client.get(f"/review/{referral.reference}?done=redeliver")
    assert "The referral will be sent again." in done.text


def test_send_again_says_so_when_nothing_was_waiting(
    session: Session, officer, supervisor, team, client: Browserless
) -> None:
    """Already sent again by another supervisor (or delivered): the second "Send again" says
    nothing was sent, never "will be sent again"."""
    referral = make_referral(session, officer)
    service.approve(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        comment=AGREED,
    )
    delivery = session.exec(select(Delivery).where(Delivery.referral_id == referral.id)).one()
    delivery.status = "failed"
    session.add(delivery)
    session.commit()
    client.log_in(supervisor.user.username, "correct horse battery")
    client.get(f"/review/{referral.reference}")
    first = client.form(f"/review/{referral.reference}/redeliver")
    assert first.headers["location"].endswith("?done=redeliver")
    second = client.form(f"/review/{referral.reference}/redeliver")
    assert second.status_code == 303
    assert second.headers["location"].endswith("?done=redeliver_nothing")
    page = client.get(second.headers["location"])
    check_page(page.text)
    assert "Nothing was sent again" in page.text
    assert "will be sent again" not in page.text
    assert _actions(session).count("referral.delivery_retried") == 1
