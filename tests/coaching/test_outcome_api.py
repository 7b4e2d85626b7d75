"""POST /api/v1/referrals/{reference}/outcome: a MASH's token, idempotency, and who sees it."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.coaching import __main__ as cli
from app.coaching import outcomes
from app.referrals.models import MashClient, MashOutcome, ReferralStatus
from tests.coaching.data import World
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db
BODY = {
    "decision": "assessment",
    "decided_at": "2026-11-21T09:30:00Z",
    "note": "Social worker allocated.",
}


@pytest.fixture
def token(session: Session) -> str:
    return outcomes.create_client(session=session, name="Anytown MASH")


def post(
    client: Browserless,
    reference: str,
    token: str | None,
    key: str = "k-1",
    body: dict | None = None,
):
    headers = {"Idempotency-Key": key}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(f"/api/v1/referrals/{reference}/outcome", json=body or BODY, headers=headers)


def test_the_mash_must_present_its_token(client: Browserless, world: World, token: str) -> None:
    reference = world.referrals["I1"].reference
    assert post(client, reference, None).status_code == 401
    wrong = post(client, reference, token[:-1] + ("x" if token[-1] != "x" else "y"))
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert post(client, reference, "").status_code == 401


def test_an_outcome_is_stored_once_and_audited(
    client: Browserless, session: Session, world: World, token: str
) -> None:
    reference = world.referrals["I1"].reference
    first = post(client, reference, token)
    assert first.status_code == 201, first.text
    assert first.json()["decision"] == "assessment"
    again = post(client, reference, token)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert len(session.exec(select(MashOutcome)).all()) == 1
    changed = post(client, reference, token, body={**BODY, "decision": "section_47"})
    assert changed.status_code == 409
    assert changed.json()["error"] == "idempotency_key_reused"
    audited = session.exec(
        select(AuditEvent).where(AuditEvent.action == "referral.outcome_received")
    ).all()
    assert len(audited) == 1
    assert audited[0].detail["reference"] == reference


def test_bad_outcomes_are_refused_clearly(client: Browserless, world: World, token: str) -> None:
    reference = world.referrals["I1"].reference
    assert post(client, "TC-2026-999999", token).status_code == 404
    bad = post(client, reference, token, body={**BODY, "decision": "maybe"})
    assert (bad.status_code, bad.json()["error"]) == (422, "invalid")
    naive = post(client, reference, token, body={**BODY, "decided_at": "2026-11-21T09:30:00"})
    assert naive.status_code == 422
    no_key = client.post(
        f"/api/v1/referrals/{reference}/outcome",
        json=BODY,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (no_key.status_code, no_key.json()["error"]) == (422, "idempotency_key_required")
    assert world.referrals["I5"].status == ReferralStatus.SUBMITTED
    assert post(client, world.referrals["I5"].reference, token).status_code == 409


def test_the_outcome_id_in_the_body_is_an_idempotency_key(
    client: Browserless, session: Session, world: World, token: str
) -> None:
    reference = world.referrals["I1"].reference
    for _ in range(2):
        response = client.post(
            f"/api/v1/referrals/{reference}/outcome",
            json={**BODY, "outcome_id": "mash-42"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code in (200, 201)
    assert len(session.exec(select(MashOutcome)).all()) == 1


def test_the_officer_and_the_coach_see_the_outcome(
    coach: Browserless, session: Session, world: World, token: str
) -> None:
    assert post(coach, world.referrals["I1"].reference, token).status_code == 201
    page = coach.get(f"/coaching/incidents/{world.incidents['I1'].id}")
    assert "Assessment by children&#39;s social care" in page.text
    assert "Social worker allocated." in page.text
    coach.cookies.clear()
    helper = make_user(session, roles=["officer"], team=world.a)
    world.officer_a.password_hash = helper.password_hash
    session.add(world.officer_a)
    session.commit()
    coach.log_in(world.officer_a.username, PASSWORD)
    mine = coach.get("/feedback").text
    assert world.referrals["I1"].reference in mine
    assert "Assessment by children&#39;s social care" in mine


def test_the_officer_sees_the_outcome_on_their_referral(
    client: Browserless, session: Session, world: World, token: str
) -> None:
    reference = world.referrals["I1"].reference
    helper = make_user(session, roles=["officer"], team=world.a)
    world.officer_a.password_hash = helper.password_hash
    session.add(world.officer_a)
    session.commit()
    client.log_in(world.officer_a.username, PASSWORD)
    before = client.get(f"/referrals/{reference}")
    assert "The MASH has not reported a decision yet." in before.text
    assert post(client, reference, token).status_code == 201
    page = client.get(f"/referrals/{reference}")
    assert page.status_code == 200
    check_page(page.text)
    assert "What the MASH decided" in page.text
    assert "Assessment by children&#39;s social care" in page.text
    assert "Social worker allocated." in page.text


def test_create_mash_client_prints_the_token_once_and_stores_its_hash(
    session: Session, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "get_engine", lambda: session.get_bind())
    assert cli.main(["create-mash-client", "Northtown MASH"]) == 0
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    stored = session.exec(select(MashClient).where(MashClient.name == "Northtown MASH")).one()
    assert stored.token_hash == hashlib.sha256(printed.encode()).hexdigest()
    assert printed not in stored.token_hash
    assert outcomes.authenticate(session=session, token=printed).id == stored.id
    assert cli.main(["create-mash-client", "Northtown MASH"]) == 1
    assert "already registered" in capsys.readouterr().err
