"""The sign-in form's signed double-submit CSRF token, and CSRF tokens that are not ASCII."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.accounts import login_csrf
from app.accounts.models import LoginThrottle, UserSession
from app.audit.models import AuditEvent
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless

pytestmark = pytest.mark.db


def _rows(session: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        session.exec(select(func.count()).select_from(model)).one()
        for model in (UserSession, LoginThrottle, AuditEvent)
    )


def test_a_cookieless_visit_to_the_sign_in_page_stores_nothing(
    client: Browserless, session: Session
) -> None:
    before = _rows(session)
    for _ in range(3):
        client.cookies.clear()
        response = client.get("/login")
        assert response.status_code == 200
        assert "tc_session" not in response.headers.get("set-cookie", "")
    assert _rows(session) == before
    assert client.cookies.get("tc_login") == client.csrf
    assert login_csrf.is_valid(client.csrf)


def test_the_sign_in_form_needs_the_cookie_and_the_field_to_match(
    client: Browserless, session: Session
) -> None:
    user = make_user(session)
    client.get("/login")
    good = client.csrf
    form = {"username": user.username, "password": PASSWORD}
    other = login_csrf.new_token()  # validly signed, but not this browser's cookie
    assert client.post("/login", data={**form, "csrf_token": other}).status_code == 403

    def post(cookie: str, sent: str) -> int:
        client.cookies.clear()
        client.cookies.set("tc_login", cookie)
        return client.post("/login", data={**form, "csrf_token": sent}).status_code

    assert post(other, good) == 403
    # A token not signed with our key is refused even when cookie and field agree.
    forged = good.rsplit(".", 1)[0] + ".AAAA"
    assert post(forged, forged) == 403
    assert post(good, good) == 303


def test_a_signed_in_form_still_needs_the_sessions_own_token(as_admin: Browserless) -> None:
    login_token = login_csrf.new_token()
    as_admin.cookies.set("tc_login", login_token)
    response = as_admin.post("/admin/teams", data={"name": "Nights", "csrf_token": login_token})
    assert response.status_code == 403


@pytest.mark.parametrize("token", ["é" * 43, "\u2028", "x" * 42 + "£"])
def test_a_non_ascii_csrf_token_is_refused_not_an_error(as_admin: Browserless, token: str) -> None:
    field = as_admin.post("/admin/teams", data={"name": "Days", "csrf_token": token})
    assert field.status_code == 403
    header = as_admin.post(
        "/admin/teams", data={"name": "Days"}, headers={"X-CSRF-Token": token.encode()}
    )
    assert header.status_code == 403
    assert "Days" not in as_admin.get("/admin/teams").text


def test_a_non_ascii_csrf_token_on_the_sign_in_form_is_refused(
    client: Browserless, session: Session
) -> None:
    user = make_user(session)
    client.get("/login")
    form = {"username": user.username, "password": PASSWORD, "csrf_token": "é" * 10}
    assert client.post("/login", data=form).status_code == 403
    client.cookies.clear()
    cookie = {"Cookie": "tc_login=é".encode()}
    assert client.post("/login", data=form, headers=cookie).status_code == 403
