"""Password rules (length, not only spaces, not common, not the user name) wherever a password
is set, and the self-service change: current password required, other sessions end."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from app.accounts.models import UserSession
from app.accounts.password_rules import PasswordProblem, problem
from app.audit.models import AuditEvent
from app.main import app
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless, check_page

NEW = "amber kettle drifts north"


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        (" " * 12, PasswordProblem.BLANK),
        ("\t \u00a0" * 5, PasswordProblem.BLANK),
        ("elevenchars", PasswordProblem.SHORT),
        ("qwerty123456", PasswordProblem.COMMON),
        ("  QWERTY123456 ", PasswordProblem.COMMON),
        ("think-child-demo", PasswordProblem.COMMON),
        ("my name is jsmith ok", PasswordProblem.USERNAME),
        (NEW, None),
    ],
)
def test_password_rules(password: str, expected: PasswordProblem | None) -> None:
    assert problem(password, username="jsmith") == expected


def test_admin_cannot_set_a_common_or_blank_password(
    as_admin: Browserless, session: Session
) -> None:
    user = make_user(session)
    common = as_admin.form(f"/admin/users/{user.id}/password", {"password": "qwerty123456"})
    assert common.status_code == 422 and "too common" in common.text
    blank = as_admin.form(f"/admin/users/{user.id}/password", {"password": " " * 12})
    assert blank.status_code == 422 and "only spaces" in blank.text
    new = as_admin.form(
        "/admin/users/new",
        {
            "username": "someone",
            "display_name": "Some One",
            "password": " " * 14,
            "roles": ["coach"],
        },
    )
    assert new.status_code == 422 and "only spaces" in new.text


def _change(client: Browserless, current: str, new: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    return client.form(
        "/account/password",
        {"current_password": current, "new_password": new, "confirm_password": confirm or new},
    )


def test_change_own_password_ends_other_sessions(as_officer: Browserless, session: Session) -> None:
    user = as_officer.user
    with Browserless(app) as phone:  # the same officer, signed in on a second device
        phone.log_in(user.username, PASSWORD)
        assert phone.get("/incidents").status_code == 200
        check_page(as_officer.get("/account/password").text)
        assert _change(as_officer, PASSWORD, NEW).status_code == 303
        assert phone.get("/incidents").status_code == 303  # signed out there
    assert as_officer.get("/incidents").status_code == 200  # still signed in here
    rows = session.exec(select(UserSession).where(col(UserSession.user_id) == user.id)).all()
    assert len(rows) == 1
    as_officer.form("/logout")
    as_officer.log_in(user.username, NEW)
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()
    assert "password.changed" in actions


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password", NEW, NEW, "Your current password is not right"),
        (PASSWORD, " " * 12, " " * 12, "must not be only spaces"),
        (PASSWORD, "qwerty123456", "qwerty123456", "too common"),
        (PASSWORD, NEW, NEW + "x", "are not the same"),
        (PASSWORD, PASSWORD, PASSWORD, "different from your current one"),
    ],
)
def test_change_own_password_refusals(
    as_officer: Browserless, current: str, new: str, confirm: str, message: str
) -> None:
    response = _change(as_officer, current, new, confirm)
    assert response.status_code == 422
    assert message in response.text
    check_page(response.text)
    as_officer.form("/logout")
    as_officer.log_in(as_officer.user.username, PASSWORD)  # unchanged
