"""Admin pages: list, create, change, disable users; teams. Every action audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.accounts import users
from app.accounts.models import MembershipKind, Role, Team, TeamMembership, User, UserRole
from app.audit.models import AuditEvent
from tests.factories import PASSWORD, make_team, make_user, principal
from tests.helpers import Browserless, check_page


def _audited(session: Session, action: str) -> AuditEvent:
    event = session.exec(select(AuditEvent).where(AuditEvent.action == action)).first()
    assert event is not None, f"no audit entry {action}"
    return event


def test_users_page_lists_users(as_admin: Browserless, session: Session) -> None:
    other = make_user(session, roles=["supervisor"])
    response = as_admin.get("/admin/users")
    assert response.status_code == 200
    check_page(response.text)
    assert other.display_name in response.text


def test_create_user_with_roles_and_team(as_admin: Browserless, session: Session) -> None:
    team = make_team(session, "Night Response")
    check_page(as_admin.get("/admin/users/new").text)
    response = as_admin.form(
        "/admin/users/new",
        {
            "username": "NewOfficer",
            "display_name": "PC New Officer",
            "collar_number": "PC 4242",
            "password": "a long enough password",
            "roles": ["officer", "supervisor"],
            "team_id": str(team.id),
            "supervises": [str(team.id)],
        },
    )
    assert response.status_code == 303
    user = session.exec(select(User).where(User.username == "newofficer")).one()
    roles = set(session.exec(select(UserRole.role).where(UserRole.user_id == user.id)))
    assert roles == {Role.OFFICER, Role.SUPERVISOR}
    kinds = set(session.exec(select(TeamMembership.kind).where(TeamMembership.user_id == user.id)))
    assert kinds == {MembershipKind.MEMBER, MembershipKind.SUPERVISES}
    assert _audited(session, "user.created").object_id == str(user.id)
    # The new user can sign in.
    as_admin.form("/logout")
    as_admin.log_in("newofficer", "a long enough password")


def test_create_user_errors_keep_what_was_typed(as_admin: Browserless, session: Session) -> None:
    make_user(session, username="taken")
    response = as_admin.form(
        "/admin/users/new",
        {
            "username": "taken",
            "display_name": "Someone Typed This",
            "password": "short",
            "roles": ["officer"],
        },
    )
    assert response.status_code == 422
    check_page(response.text)
    text = response.text
    assert "Password must be at least 12 characters" in text
    assert "Choose the officer&#39;s team" in text
    assert 'value="Someone Typed This"' in text
    assert 'href="#password"' in text


def test_taken_username_is_explained(as_admin: Browserless, session: Session) -> None:
    team = make_team(session)
    make_user(session, username="taken")
    response = as_admin.form(
        "/admin/users/new",
        {
            "username": "taken",
            "display_name": "X",
            "password": "long enough password",
            "roles": ["officer"],
            "team_id": str(team.id),
        },
    )
    assert response.status_code == 422
    assert "That user name is already used" in response.text


def test_change_roles_and_teams(as_admin: Browserless, session: Session) -> None:
    team_a, team_b = make_team(session), make_team(session)
    user = make_user(session, roles=["officer"], team=team_a)
    check_page(as_admin.get(f"/admin/users/{user.id}").text)
    response = as_admin.form(
        f"/admin/users/{user.id}",
        {
            "display_name": "Renamed",
            "roles": ["coach"],
            "coaches": [str(team_a.id), str(team_b.id)],
        },
    )
    assert response.status_code == 303
    session.refresh(user)
    assert user.display_name == "Renamed"
    links = session.exec(select(TeamMembership).where(TeamMembership.user_id == user.id)).all()
    assert {(m.team_id, m.kind) for m in links} == {
        (team_a.id, MembershipKind.COACHES),
        (team_b.id, MembershipKind.COACHES),
    }
    assert _audited(session, "user.access_changed").detail["roles"] == ["coach"]


def test_disable_and_enable(as_admin: Browserless, session: Session) -> None:
    user = make_user(session)
    assert as_admin.form(f"/admin/users/{user.id}/status", {"active": "false"}).status_code == 303
    session.refresh(user)
    assert not user.is_active
    _audited(session, "user.disabled")
    as_admin.form(f"/admin/users/{user.id}/status", {"active": "true"})
    session.refresh(user)
    assert user.is_active
    _audited(session, "user.enabled")


def test_admin_cannot_disable_themself(as_admin: Browserless, session: Session) -> None:
    response = as_admin.form(f"/admin/users/{as_admin.user.id}/status", {"active": "false"})
    assert response.status_code == 422
    assert "You cannot disable your own account" in response.text


def test_unlock_lets_a_locked_user_try_again(
    as_admin: Browserless, session: Session, settings
) -> None:
    from app.main import app

    user = make_user(session)
    other = Browserless(app)
    other.get("/login")
    for _ in range(settings.login_max_failures):
        other.form("/login", {"username": user.username, "password": "bad"})
    assert (
        other.form("/login", {"username": user.username, "password": PASSWORD}).status_code == 429
    )
    as_admin.form(f"/admin/users/{user.id}/unlock")
    _audited(session, "user.unlocked")
    assert (
        other.form("/login", {"username": user.username, "password": PASSWORD}).status_code == 303
    )


def test_reset_password(as_admin: Browserless, session: Session) -> None:
    user = make_user(session)
    short = as_admin.form(f"/admin/users/{user.id}/password", {"password": "short"})
    assert short.status_code == 422
    assert "Password must be at least" in short.text
    ok = as_admin.form(f"/admin/users/{user.id}/password", {"password": "another long password"})
    assert ok.status_code == 303
    _audited(session, "user.password_reset")


def test_teams(as_admin: Browserless, session: Session) -> None:
    check_page(as_admin.get("/admin/teams").text)
    assert as_admin.form("/admin/teams", {"name": "Custody Suite"}).status_code == 303
    assert session.exec(select(Team).where(Team.name == "Custody Suite")).one()
    _audited(session, "team.created")
    again = as_admin.form("/admin/teams", {"name": "Custody Suite"})
    assert again.status_code == 422
    assert "There is already a team with that name" in again.text
    empty = as_admin.form("/admin/teams", {"name": "  "})
    assert "Enter the team&#39;s name" in empty.text


def _officer_form(user: User, team: Team) -> dict[str, object]:
    """The user's page, saved with the officer role only (admin unticked)."""
    return {
        "display_name": user.display_name,
        "collar_number": user.collar_number,
        "roles": ["officer"],
        "team_id": str(team.id),
    }


def test_the_last_admin_keeps_the_admin_role(as_admin: Browserless, session: Session) -> None:
    me = as_admin.user
    as_admin.get(f"/admin/users/{me.id}")
    response = as_admin.form(f"/admin/users/{me.id}", _officer_form(me, as_admin.team))
    assert response.status_code == 422
    assert "This is the last administrator" in response.text
    session.expire_all()
    assert Role.ADMIN in {
        r.role for r in session.exec(select(UserRole).where(UserRole.user_id == me.id))
    }

    other = make_user(session, roles=["admin"])  # with a second admin, the role may go
    response = as_admin.form(f"/admin/users/{other.id}", _officer_form(other, as_admin.team))
    assert response.status_code == 303


def test_the_last_admin_cannot_be_disabled(session: Session) -> None:
    last = make_user(session, roles=["admin"])
    # Whoever asks (here an account that lost the role in the same moment): still refused.
    actor = principal(session, make_user(session, roles=["officer"]))
    with pytest.raises(users.LastAdmin):
        users.set_active(session=session, actor=actor, user_id=last.id, active=False)
    session.rollback()
    second = make_user(session, roles=["admin"])
    users.set_active(
        session=session, actor=principal(session, second), user_id=last.id, active=False
    )
    with pytest.raises(users.LastAdmin):
        users.set_active(session=session, actor=actor, user_id=second.id, active=False)
