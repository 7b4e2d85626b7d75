"""Bidi override and isolate characters (U+202A-U+202E, U+2066-U+2069) never reorder a name:
removed from names as they are typed, and from anything printed in pages and the PDF (a name
stored before this rule, or arriving another way)."""

from __future__ import annotations

import subprocess

from sqlmodel import Session, select

from app.accounts.models import User
from app.referrals.models import ReferralVersion
from app.text import BIDI_CONTROLS
from tests.checklist.builders import child_answers, complete_answers
from tests.factories import make_referral, make_user
from tests.helpers import Browserless

RLO, PDI = "\u202e", "\u2069"
HOSTILE_CHILD = f"Amy {RLO}htimS{PDI}"  # shows as "Amy Smith" reversed: "Amy Smith" hides
HOSTILE_OFFICER = f"PC {RLO}nosnibor{PDI} Jones"


def _pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def _no_bidi(text: str) -> bool:
    return not BIDI_CONTROLS & set(text)


def test_names_typed_with_bidi_characters_are_stored_without_them(
    as_supervisor: Browserless, session: Session
) -> None:
    officer = make_user(session, team=as_supervisor.team)
    answers = complete_answers(children=[child_answers(child__name=HOSTILE_CHILD)])
    referral = make_referral(session, officer, answers=answers)
    version = session.exec(
        select(ReferralVersion).where(ReferralVersion.referral_id == referral.id)
    ).one()
    assert version.answers["children"][0]["child.name"] == "Amy htimS"

    pdf = as_supervisor.get(f"/referrals/{referral.reference}/document.pdf")
    assert pdf.status_code == 200
    text = _pdf_text(pdf.content)
    assert "Amy htimS" in text
    assert _no_bidi(text)


def test_stored_names_with_bidi_characters_print_without_them(
    as_supervisor: Browserless, session: Session
) -> None:
    officer = make_user(session, team=as_supervisor.team)
    referral = make_referral(session, officer)
    version = session.exec(
        select(ReferralVersion).where(ReferralVersion.referral_id == referral.id)
    ).one()
    stored = dict(version.answers)
    stored["children"] = [{**stored["children"][0], "child.name": HOSTILE_CHILD}]
    version.answers = stored  # as if stored before the rule
    officer.display_name = HOSTILE_OFFICER
    session.add_all([version, officer])
    session.commit()

    page = as_supervisor.get(f"/review/{referral.reference}")
    assert page.status_code == 200
    assert _no_bidi(page.text)
    assert "PC nosnibor Jones" in page.text
    assert "Amy htimS" in page.text

    pdf = as_supervisor.get(f"/referrals/{referral.reference}/document.pdf?version=1")
    text = _pdf_text(pdf.content)
    assert "Amy htimS" in text
    assert _no_bidi(text)


def test_an_admin_typing_a_display_name_with_bidi_characters(
    as_admin: Browserless, session: Session
) -> None:
    as_admin.get("/admin/users/new")
    response = as_admin.form(
        "/admin/users/new",
        {
            "username": "newofficer",
            "display_name": HOSTILE_OFFICER,
            "collar_number": "PC 9",
            "roles": ["officer"],
            "team_id": str(as_admin.team.id),
            "password": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 303, response.text
    user = session.exec(select(User).where(User.username == "newofficer")).one()
    assert user.display_name == "PC nosnibor Jones"
