"""Refused access is audited: a role gate's 403 and another team's referral (404 to them) each
leave one `access.refused` entry with the route, the user and the reason, kept even when the
refused request's own transaction is rolled back."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from tests.factories import PASSWORD, make_referral, make_team, make_user
from tests.helpers import Browserless


def _refusals(session: Session) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "access.refused")
    return list(session.exec(query.order_by(col(AuditEvent.seq))))


def test_a_role_gate_refusal_is_audited(as_officer: Browserless, session: Session) -> None:
    response = as_officer.get("/admin/users")
    assert response.status_code == 403
    session.rollback()  # the refused request's transaction: the entry is not in it
    [entry] = _refusals(session)
    assert entry.actor_id == as_officer.user.id
    assert entry.actor_name == as_officer.user.username
    assert entry.detail["route"] == "GET /admin/users"
    assert entry.reason == "needs role: admin"
    assert entry.ip == "testclient"


def test_a_refused_post_is_audited_too(as_officer: Browserless, session: Session) -> None:
    assert as_officer.form("/admin/teams", {"name": "Mine"}).status_code == 403
    [entry] = _refusals(session)
    assert entry.detail["route"] == "POST /admin/teams"


def test_reading_another_teams_referral_is_audited(client: Browserless, session: Session) -> None:
    their_team, my_team = make_team(session), make_team(session)
    referral = make_referral(session, make_user(session, team=their_team))
    me = make_user(session, roles=["supervisor"], supervises=[my_team])
    client.log_in(me.username, PASSWORD)
    assert _refusals(session) == []

    response = client.get(f"/review/{referral.reference}")
    assert response.status_code == 404
    session.rollback()
    [entry] = _refusals(session)
    assert entry.actor_id == me.id
    assert entry.object_id == str(referral.id)
    assert entry.detail["route"] == f"GET /review/{referral.reference}"
    assert entry.detail["reference"] == referral.reference
    assert "another team" in entry.reason


def test_a_reference_that_does_not_exist_is_not_a_refusal(
    as_supervisor: Browserless, session: Session
) -> None:
    assert as_supervisor.get("/review/TC-2026-999999").status_code == 404
    assert _refusals(session) == []


def test_a_permitted_read_is_not_a_refusal(client: Browserless, session: Session) -> None:
    team = make_team(session)
    referral = make_referral(session, make_user(session, team=team))
    me = make_user(session, roles=["supervisor"], supervises=[team])
    client.log_in(me.username, PASSWORD)
    assert client.get(f"/review/{referral.reference}").status_code == 200
    assert _refusals(session) == []
