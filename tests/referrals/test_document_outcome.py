"""The referral document page shows the latest decision the MASH reported, with its date, to
everyone who may read the document (its officer, the team's supervisors and coaches); on the
latest version's page only; and nothing before the referral is approved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.accounts.models import Team, User
from app.coaching import outcomes
from app.referrals.models import MashClient, Referral, ReferralStatus
from tests.factories import PASSWORD, amend, make_referral, make_team, make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

EARLIER = ("assessment", datetime(2026, 11, 21, 9, 30, tzinfo=UTC), "Social worker allocated.")
LATER = ("section_47", datetime(2026, 11, 25, 14, 5, tzinfo=UTC), "Strategy meeting held.")


def sent(session: Session, referral: Referral) -> Referral:
    referral.status = ReferralStatus.SENT
    session.add(referral)
    session.commit()
    return referral


def report(session: Session, referral: Referral, key: str, outcome: tuple[str, datetime, str]):
    client = session.exec(select(MashClient)).first()
    if client is None:
        outcomes.create_client(session=session, name="Anytown MASH")
        client = session.exec(select(MashClient)).one()
    decision, decided_at, note = outcome
    outcomes.record(
        session=session,
        client=client,
        reference=referral.reference,
        key=key,
        decision=outcomes.Decision(decision),
        decided_at=decided_at,
        note=note,
    )


def page_as(client: Browserless, user: User, referral: Referral, query: str = "") -> str:
    client.cookies.clear()
    client.log_in(user.username, PASSWORD)
    response = client.get(f"/referrals/{referral.reference}/document{query}")
    assert response.status_code == 200, response.text[:1000]
    check_page(response.text)
    return response.text


def people(session: Session, team: Team) -> tuple[User, User, User]:
    officer = make_user(session, roles=["officer"], team=team)
    supervisor = make_user(session, roles=["supervisor"], supervises=[team])
    coach = make_user(session, roles=["coach"], coaches=[team])
    return officer, supervisor, coach


def outcome_block(html: str) -> str:
    start = html.index('id="mash-outcome"')
    return html[start : html.index("</div>", start)]


def test_every_reader_sees_the_latest_outcome_with_its_date(
    client: Browserless, session: Session
) -> None:
    team = make_team(session)
    officer, supervisor, coach = people(session, team)
    referral = sent(session, make_referral(session, officer))
    report(session, referral, "k-later", LATER)  # received first, decided last
    report(session, referral, "k-earlier", EARLIER)
    for reader in (officer, supervisor, coach):
        block = outcome_block(page_as(client, reader, referral))
        assert "What the MASH decided" in block
        assert "Child protection enquiry (section 47)" in block
        assert "25 Nov 2026, 14:05" in block
        assert "Strategy meeting held." in block
        assert "Assessment" not in block and "Social worker allocated." not in block

    stranger = make_user(session, roles=["officer"], team=make_team(session))
    client.cookies.clear()
    client.log_in(stranger.username, PASSWORD)
    assert client.get(f"/referrals/{referral.reference}/document").status_code == 404


def test_before_any_outcome_the_page_says_so(client: Browserless, session: Session) -> None:
    team = make_team(session)
    officer, _, _ = people(session, team)
    waiting = make_referral(session, officer)
    html = page_as(client, officer, waiting)
    assert 'id="mash-outcome"' not in html  # not yet approved: nothing to say
    done = sent(session, make_referral(session, officer))
    html = page_as(client, officer, done)
    assert "The MASH has not reported a decision about this referral yet." in html


def test_an_earlier_version_does_not_show_the_outcome(
    client: Browserless, session: Session
) -> None:
    team = make_team(session)
    officer, supervisor, _ = people(session, team)
    referral = make_referral(session, officer)
    amend(session, referral, officer, "Amended after return.")
    sent(session, referral)
    report(session, referral, "k-1", EARLIER)
    assert "Assessment by children&#39;s social care" in page_as(client, supervisor, referral)
    earlier = page_as(client, supervisor, referral, "?version=1")
    assert "This is version 1 of this referral" in earlier
    assert 'id="mash-outcome"' not in earlier
