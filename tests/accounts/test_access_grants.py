"""An administrator cannot give themselves a team to supervise (or coach) alone: the request
waits until another administrator approves it; every step audited."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.models import AccessGrant, MembershipKind, Role, TeamMembership, UserRole
from app.audit.models import AuditEvent
from tests.factories import PASSWORD, make_team, make_user
from tests.helpers import Browserless, check_page


def _supervises(session: Session, user_id: object) -> set[object]:
    session.expire_all()
    query = select(TeamMembership.team_id).where(
        TeamMembership.user_id == user_id, TeamMembership.kind == MembershipKind.SUPERVISES
    )
    return set(session.exec(query))


def _actions(session: Session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEvent)) if e.action.startswith("user.")]


def _ask_to_supervise(client: Browserless, team_id: object) -> str:
    me = client.user
    client.get(f"/admin/users/{me.id}")
    response = client.form(
        f"/admin/users/{me.id}",
        {
            "display_name": me.display_name,
            "collar_number": me.collar_number,
            "roles": ["admin", "supervisor"],
            "supervises": [str(team_id)],
        },
    )
    assert response.status_code == 303
    return str(response.headers["location"])


def test_an_admins_own_supervision_waits_for_another_admin(
    as_admin: Browserless, session: Session
) -> None:
    team = make_team(session)
    me = as_admin.user
    assert _ask_to_supervise(as_admin, team.id) == "/admin/access-requests"
    assert _supervises(session, me.id) == set()  # not yet
    grant = session.exec(select(AccessGrant).where(AccessGrant.user_id == me.id)).one()
    assert "user.access_requested" in _actions(session)

    page = as_admin.get("/admin/access-requests")
    check_page(page.text)
    assert "This is your own request" in page.text
    assert f'action="/admin/access-requests/{grant.id}"' not in page.text
    refused = as_admin.form(f"/admin/access-requests/{grant.id}", {"decision": "approve"})
    assert refused.status_code == 422
    assert "Another administrator must approve it" in refused.text
    assert _supervises(session, me.id) == set()

    second = make_user(session, roles=["admin"])
    as_admin.cookies.clear()
    as_admin.log_in(second.username, PASSWORD)
    page = as_admin.get("/admin/access-requests")
    assert f'action="/admin/access-requests/{grant.id}"' in page.text
    approved = as_admin.form(f"/admin/access-requests/{grant.id}", {"decision": "approve"})
    assert approved.headers["location"] == "/admin/access-requests?done=approve"
    assert _supervises(session, me.id) == {team.id}
    roles = {r.role for r in session.exec(select(UserRole).where(UserRole.user_id == me.id))}
    assert Role.SUPERVISOR in roles
    assert "user.access_approved" in _actions(session)
    again = as_admin.form(f"/admin/access-requests/{grant.id}", {"decision": "refuse"})
    assert again.headers["location"] == "/admin/access-requests?done=already"


def test_a_refused_request_gives_nothing(as_admin: Browserless, session: Session) -> None:
    team = make_team(session)
    me = as_admin.user
    _ask_to_supervise(as_admin, team.id)
    grant = session.exec(select(AccessGrant).where(AccessGrant.user_id == me.id)).one()
    second = make_user(session, roles=["admin"])
    as_admin.cookies.clear()
    as_admin.log_in(second.username, PASSWORD)
    assert (
        as_admin.form(f"/admin/access-requests/{grant.id}", {"decision": "refuse"}).status_code
        == 303
    )
    assert _supervises(session, me.id) == set()
    assert "user.access_refused" in _actions(session)


def test_an_admin_gives_another_user_supervision_at_once(
    as_admin: Browserless, session: Session
) -> None:
    team = make_team(session)
    other = make_user(session, roles=["supervisor"], supervises=[])
    as_admin.get(f"/admin/users/{other.id}")
    response = as_admin.form(
        f"/admin/users/{other.id}",
        {
            "display_name": other.display_name,
            "collar_number": other.collar_number,
            "roles": ["supervisor"],
            "supervises": [str(team.id)],
        },
    )
    assert response.headers["location"] == "/admin/users?done=updated"
    assert _supervises(session, other.id) == {team.id}


def test_an_admin_may_give_up_supervision_alone(as_admin: Browserless, session: Session) -> None:
    team = make_team(session)
    me = as_admin.user
    session.add(TeamMembership(user_id=me.id, team_id=team.id, kind=MembershipKind.SUPERVISES))
    session.add(UserRole(user_id=me.id, role=Role.SUPERVISOR))
    session.commit()
    as_admin.get(f"/admin/users/{me.id}")
    response = as_admin.form(
        f"/admin/users/{me.id}",
        {"display_name": me.display_name, "collar_number": me.collar_number, "roles": ["admin"]},
    )
    assert response.headers["location"] == "/admin/users?done=updated"
    assert _supervises(session, me.id) == set()
