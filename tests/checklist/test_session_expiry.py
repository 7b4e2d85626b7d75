"""A screen posted (no JavaScript) after the session ended keeps the answers: the same values
come back with a sign-in prompt, and signing in there saves them through the screen's save."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta
from typing import Any

import httpx2 as httpx
import pyotp
import pytest
from sqlmodel import Session, select

from app.accounts import login_csrf, totp
from app.accounts.models import SecondFactor, UserSession
from app.checklist.models import Incident
from app.models_base import utcnow
from tests.checklist.test_flow import start, stored
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
FORM_ACTION = re.compile(r'<form method="post" action="(/incidents/[^"]+/sign-in-to-save)"')
PRESENT = re.compile(r'name="_present" value="([^"]+)"')


def _expire_sessions(session: Session) -> None:
    for row in session.exec(select(UserSession)):
        row.last_seen_at = utcnow() - timedelta(hours=2)
        session.add(row)
    session.commit()


def _typed_after_expiry(client: Browserless, session: Session) -> tuple[str, str, httpx.Response]:
    """Open the incident's first details screen, let the session end, then press Save."""
    incident_id = start(client)
    url = f"/incidents/{incident_id}/s/incident/1"
    page = client.get(url).text
    revision = re.search(r'name="revision" id="form-revision" value="(\d+)"', page)
    base = re.search(r'name="base" id="form-base" value="([^"]*)"', page)
    assert revision and base
    _expire_sessions(session)
    body: dict[str, Any] = {
        "_present": PRESENT.findall(page),
        "revision": revision[1],
        "base": html.unescape(base[1]),
        "incident.log_ref": "INC-77 typed late",
    }
    return incident_id, url, client.form(url, body)


def _carried(page: str) -> list[tuple[str, str]]:
    return [(name, html.unescape(value)) for name, value in HIDDEN.findall(page)]


def test_an_expired_post_returns_the_answers_with_a_sign_in_prompt(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, url, response = _typed_after_expiry(as_officer, session)
    assert response.status_code == 401
    check_page(response.text)
    assert "Sign in to save your answers" in response.text
    assert 'name="username"' in response.text and 'name="password"' in response.text
    assert 'name="code"' not in response.text  # an officer uses no second factor by default
    carried = _carried(response.text)
    assert ("incident.log_ref", "INC-77 typed late") in carried
    assert ("screen", url) in carried
    # Shown back as question and answer, too.
    assert "What you typed" in response.text
    assert "Incident or occurrence number" in response.text
    assert "INC-77 typed late</dd>" in response.text
    # A fresh signed sign-in token, not the ended session's: in the form and its cookie.
    token = dict(carried)["csrf_token"]
    assert login_csrf.is_valid(token) and token == as_officer.cookies.get("tc_login")
    # Nothing stored is shown to whoever holds the page now, and nothing typed is in a URL.
    assert as_officer.user.display_name not in response.text
    assert "INC-77" not in (FORM_ACTION.search(response.text) or [""])[0]
    assert "incident.log_ref" not in stored(session, incident_id)


def _sign_in(client: Browserless, page: str, **fields: str) -> httpx.Response:
    action = FORM_ACTION.search(page)
    assert action
    data: dict[str, Any] = {}
    for name, value in _carried(page):
        data.setdefault(name, []).append(value)
    return client.post(action[1], data={**data, **fields})


def test_signing_in_there_saves_and_carries_on(as_officer: Browserless, session: Session) -> None:
    incident_id, url, response = _typed_after_expiry(as_officer, session)
    user = as_officer.user
    signed_in = _sign_in(as_officer, response.text, username=user.username, password=PASSWORD)
    assert signed_in.status_code == 303, signed_in.text[:1000]
    assert signed_in.headers["location"].startswith(f"/incidents/{incident_id}/")
    assert signed_in.headers["location"] != url  # on to the next screen, as Save would
    assert stored(session, incident_id)["incident.log_ref"] == "INC-77 typed late"
    # Signed in for real: the next page opens.
    assert as_officer.get(signed_in.headers["location"]).status_code == 200


def test_a_wrong_password_keeps_the_answers(as_officer: Browserless, session: Session) -> None:
    incident_id, _url, response = _typed_after_expiry(as_officer, session)
    wrong = _sign_in(as_officer, response.text, username=as_officer.user.username, password="x")
    assert wrong.status_code == 422
    check_page(wrong.text)
    assert "The user name or password is not right" in wrong.text
    assert ("incident.log_ref", "INC-77 typed late") in _carried(wrong.text)
    right = _sign_in(as_officer, wrong.text, username=as_officer.user.username, password=PASSWORD)
    assert right.status_code == 303
    assert stored(session, incident_id)["incident.log_ref"] == "INC-77 typed late"


def test_the_sign_in_token_is_checked(as_officer: Browserless, session: Session) -> None:
    incident_id, _url, response = _typed_after_expiry(as_officer, session)
    forged = response.text.replace(as_officer.cookies["tc_login"], "forged")
    again = _sign_in(as_officer, forged, username=as_officer.user.username, password=PASSWORD)
    # Refused (nothing signed in, nothing saved), and the answers come back once more.
    assert again.status_code == 401
    assert ("incident.log_ref", "INC-77 typed late") in _carried(again.text)
    assert "incident.log_ref" not in stored(session, incident_id)


def test_the_screens_conflict_check_still_holds(as_officer: Browserless, session: Session) -> None:
    incident_id, _url, response = _typed_after_expiry(as_officer, session)
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    incident.answers = {**incident.answers, "incident.log_ref": "changed on another device"}
    incident.revision += 1
    session.add(incident)
    session.commit()
    # The form was drawn before the other device's change: nothing is overwritten.
    signed_in = _sign_in(
        as_officer, response.text, username=as_officer.user.username, password=PASSWORD
    )
    assert signed_in.status_code == 409
    assert PASSWORD not in signed_in.text  # the password is never carried on
    assert stored(session, incident_id)["incident.log_ref"] == "changed on another device"


def test_another_officer_signing_in_saves_nothing(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, _url, response = _typed_after_expiry(as_officer, session)
    other = make_user(session, roles=("officer",), team=as_officer.team)
    signed_in = _sign_in(as_officer, response.text, username=other.username, password=PASSWORD)
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/incidents"
    assert "incident.log_ref" not in stored(session, incident_id)


def test_another_sites_post_gets_no_prompt(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    _expire_sessions(session)
    response = as_officer.post(
        f"/incidents/{incident_id}/s/incident/1",
        data={"incident.log_ref": "planted"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert "planted" not in response.text


def test_a_second_factor_is_asked_for_when_the_account_has_one(
    as_officer: Browserless, session: Session
) -> None:
    incident_id, _url, response = _typed_after_expiry(as_officer, session)
    secret = totp.new_secret()
    session.add(SecondFactor(user_id=as_officer.user.id, secret=secret, confirmed_at=utcnow()))
    session.commit()
    user = as_officer.user.username
    asked = _sign_in(as_officer, response.text, username=user, password=PASSWORD)
    assert asked.status_code == 401
    check_page(asked.text)
    assert 'name="code"' in asked.text and 'name="password"' not in asked.text
    assert ("incident.log_ref", "INC-77 typed late") in _carried(asked.text)
    wrong = _sign_in(as_officer, asked.text, code="000000")
    assert wrong.status_code == 422
    assert "That code is not right" in wrong.text
    assert "incident.log_ref" not in stored(session, incident_id)
    done = _sign_in(as_officer, wrong.text, code=pyotp.TOTP(secret).now())
    assert done.status_code == 303, done.text[:800]
    assert stored(session, incident_id)["incident.log_ref"] == "INC-77 typed late"


def test_an_autosave_after_expiry_asks_the_page_to_sign_in_in_place(
    as_officer: Browserless, session: Session
) -> None:
    incident_id = start(as_officer)
    url = f"/incidents/{incident_id}/s/incident/1"
    page = as_officer.get(url).text
    assert 'id="tc-sign-in"' in page and 'aria-labelledby="tc-sign-in-title"' in page
    _expire_sessions(session)
    response = as_officer.form(
        url,
        {"_present": PRESENT.findall(page), "incident.log_ref": "typed", "autosave": "1"},
        headers={"HX-Request": "true"},
    )
    # Not an error page in place of the screen: a status for the page, and the event that opens
    # the sign-in dialog over it (static/js/session.mjs). Nothing saved, nothing dropped.
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "tc-signed-out"
    assert "data-sign-in-again" in response.text
    assert "incident.log_ref" not in stored(session, incident_id)


def test_a_missing_password_is_asked_for_and_keeps_the_answers(
    as_officer: Browserless, session: Session
) -> None:
    _incident_id, _url, response = _typed_after_expiry(as_officer, session)
    empty = _sign_in(as_officer, response.text, username=as_officer.user.username, password="")
    assert empty.status_code == 422
    assert "Enter your password" in empty.text
    assert ("incident.log_ref", "INC-77 typed late") in _carried(empty.text)
