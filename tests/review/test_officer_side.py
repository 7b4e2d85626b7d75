"""What the officer sees of the review: comments on a return, amending, addenda; reads audited."""

from __future__ import annotations

from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.referrals.models import ReferralStatus
from app.review import service
from tests.factories import PASSWORD, make_referral, make_team, make_user, principal
from tests.helpers import Browserless, check_page


def test_officer_sees_what_to_change_and_can_add_information_after_sending(
    session: Session, client: Browserless
) -> None:
    team = make_team(session)
    officer = make_user(session, roles=["officer"], team=team)
    supervisor = principal(session, make_user(session, roles=["supervisor"], supervises=[team]))
    referral = make_referral(session, officer)
    service.return_to_officer(
        session=session,
        supervisor=supervisor,
        reference=referral.reference,
        expected_version=1,
        comment="Record the child's <school> & GP",
    )
    client.log_in(officer.username, PASSWORD)
    home = client.get("/incidents")
    assert "Returned for changes" in home.text
    assert "To change: Record the child&#39;s &lt;school&gt; &amp; GP" in home.text
    page = client.get(f"/referrals/{referral.reference}")
    check_page(page.text)
    assert "Your supervisor returned this referral for changes" in page.text
    assert f'href="/incidents/{referral.incident_id}"' in page.text
    read = session.exec(select(AuditEvent).where(AuditEvent.action == "referral.read.page")).all()
    assert [e.reason for e in read] == ["officer's own referral"]

    # After approval and sending, the officer adds information; nothing is edited.
    referral.status = ReferralStatus.SENT
    session.add(referral)
    session.commit()
    empty = client.form(f"/referrals/{referral.reference}/addenda", {"text": "  "})
    assert empty.status_code == 422 and "Enter the information to add" in empty.text
    added = client.form(f"/referrals/{referral.reference}/addenda", {"text": "School told 08:30."})
    assert added.status_code == 303
    assert "School told 08:30." in client.get(f"/referrals/{referral.reference}").text


def test_another_officer_cannot_add_information(session: Session, client: Browserless) -> None:
    team = make_team(session)
    owner = make_user(session, roles=["officer"], team=team)
    other = make_user(session, roles=["officer"], team=team)
    referral = make_referral(session, owner)
    referral.status = ReferralStatus.SENT
    session.add(referral)
    session.commit()
    client.log_in(other.username, PASSWORD)
    assert client.form(f"/referrals/{referral.reference}/addenda", {"text": "x"}).status_code == 404
    assert client.get(f"/referrals/{referral.reference}").status_code == 404
