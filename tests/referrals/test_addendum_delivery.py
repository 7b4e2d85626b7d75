"""Addenda reach the MASH: each its own outbox item and idempotency key, never before its
referral, retried and given up like a referral, shown to its author and the supervisor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.audit.models import AuditEvent
from app.config import get_settings
from app.errors import InvalidTransition
from app.models_base import utcnow
from app.referrals import addenda, delivery_state
from app.referrals.document_answers import iso
from app.referrals.models import (
    Addendum,
    Delivery,
    DeliveryAttempt,
    DeliveryKind,
    DeliveryStatus,
    Referral,
    ReferralStatus,
)
from app.referrals.transport import FolderTransport, HttpTransport
from tests.factories import PASSWORD
from tests.helpers import Browserless, check_page
from tests.referrals.test_delivery import Receiver, Scene, _step, approved_referral, make_scene

pytestmark = pytest.mark.db


@pytest.fixture
def scene(session: Session) -> Scene:
    return make_scene(session)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def sent_referral(session: Session, scene: Scene, receiver: Receiver) -> Referral:
    referral = approved_referral(session, scene)
    outcome = _step(session, HttpTransport(receiver.url, timeout=5), "w0", utcnow())
    assert outcome is not None
    assert outcome.ok
    session.refresh(referral)
    assert referral.status == ReferralStatus.SENT
    return referral


def add(session: Session, scene: Scene, referral: Referral, text: str) -> Addendum:
    return addenda.add(
        session=session, principal=scene.officer, reference=referral.reference, text=text
    )


def key_of(referral: Referral, addendum: Addendum) -> str:
    return f"{referral.reference}-addendum-{addendum.id}"


def _row(session: Session, addendum: Addendum) -> Delivery:
    query = select(Delivery).where(Delivery.addendum_id == addendum.id)
    return session.exec(query.execution_options(populate_existing=True)).one()


def _audits(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def test_an_addendum_to_a_sent_referral_is_delivered_over_http_with_its_own_key(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = sent_referral(session, scene, receiver)
    addendum = add(session, scene, referral, "The school says the child was <b>absent</b>.")
    # queued in the addendum's own transaction, with its audit entry
    row = _row(session, addendum)
    assert (row.kind, row.status, row.version) == (DeliveryKind.ADDENDUM, "pending", 1)
    assert _audits(session, "referral.addendum_added")[0].detail["addendum"] == str(addendum.id)

    transport = HttpTransport(receiver.url, timeout=5)
    outcome = _step(session, transport, "w1", utcnow())
    assert outcome is not None
    assert outcome.ok
    assert outcome.key == key_of(referral, addendum)
    assert receiver.keys == [f"{referral.reference}-v1", key_of(referral, addendum)]
    body = receiver.bodies[-1]
    assert body == {
        "type": "addendum",
        "schema": "addendum-v1",
        "reference": referral.reference,
        "referral_version": 1,
        "addendum_id": str(addendum.id),
        "author": {"name": scene.officer.user.display_name, "role": "officer"}
        | ({"collar_number": c} if (c := scene.officer.user.collar_number) else {}),
        "created_at": iso(addendum.created_at),
        "text": "The school says the child was <b>absent</b>.",
    }
    row = _row(session, addendum)
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 1)
    assert row.receipt == receiver.receipts[key_of(referral, addendum)]
    [attempt] = session.exec(
        select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == row.id)
    ).all()
    assert attempt.ok
    [event] = _audits(session, "referral.addendum_delivered")
    assert event.object_id == str(referral.id)
    assert event.reason == "referral to children's social care"
    assert event.detail["addendum"] == str(addendum.id)
    assert event.detail["recipient"] == transport.destination
    assert len(_audits(session, "referral.delivered")) == 1  # the referral's own, only
    assert audit.verify(session=session).ok
    assert _step(session, transport, "w1", utcnow() + timedelta(days=1)) is None


def test_a_supervisors_addendum_goes_to_the_outbox_folder_as_its_own_file(
    session: Session, scene: Scene, receiver: Receiver, tmp_path: Path
) -> None:
    referral = sent_referral(session, scene, receiver)
    addendum = addenda.add(
        session=session, principal=scene.supervisor, reference=referral.reference, text="Seen."
    )
    outbox = tmp_path / "outbox"
    outcome = _step(session, FolderTransport(outbox), "w1", utcnow())
    assert outcome is not None
    assert outcome.ok, outcome.error
    key = key_of(referral, addendum)
    assert [p.name for p in outbox.iterdir()] == [f"{key}.json"]  # no PDF for an addendum
    sent = json.loads((outbox / f"{key}.json").read_text())
    assert (sent["type"], sent["text"], sent["author"]["role"]) == (
        "addendum",
        "Seen.",
        "supervisor",
    )
    [event] = _audits(session, "referral.addendum_delivered")
    assert event.detail["receipt_id"] == key


def test_a_retry_after_a_lost_response_sends_the_same_key(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = sent_referral(session, scene, receiver)
    addendum = add(session, scene, referral, "Second call at 02:10.")
    receiver.delays = [0.0, 0.6]  # the addendum is taken in, but answered too late
    transport = HttpTransport(receiver.url, timeout=0.2)
    first = _step(session, transport, "w1", utcnow())
    assert first is not None
    assert not first.ok
    assert first.next_attempt_at is not None
    second = _step(session, transport, "w1", first.next_attempt_at)
    assert second is not None
    assert second.ok
    key = key_of(referral, addendum)
    assert receiver.keys[1:] == [key, key]
    assert receiver.created[key] == 1
    assert _row(session, addendum).attempts == 2


def test_an_addendum_to_an_approved_referral_waits_until_the_referral_is_sent(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = approved_referral(session, scene)
    addendum = add(session, scene, referral, "Added before sending.")
    receiver.script = [503]  # the referral's first try fails
    transport = HttpTransport(receiver.url, timeout=5)
    now = utcnow()
    failed = _step(session, transport, "w1", now)
    assert failed is not None
    assert not failed.ok
    assert failed.key == f"{referral.reference}-v1"
    assert failed.next_attempt_at is not None
    # the addendum is due, but its referral is not sent: nothing to claim
    assert _step(session, transport, "w1", failed.next_attempt_at - timedelta(seconds=1)) is None
    assert _row(session, addendum).attempts == 0
    later = failed.next_attempt_at
    done = [_step(session, transport, "w1", later), _step(session, transport, "w1", later)]
    assert [o.key if o else None for o in done] == [
        f"{referral.reference}-v1",
        key_of(referral, addendum),
    ]
    assert receiver.keys == [f"{referral.reference}-v1"] * 2 + [key_of(referral, addendum)]
    assert _row(session, addendum).status == DeliveryStatus.SENT


def test_gives_up_then_a_supervisor_sends_it_again(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = sent_referral(session, scene, receiver)
    addendum = add(session, scene, referral, "Mother called back.")
    limit = get_settings().delivery_max_attempts
    receiver.script = [500] * limit
    transport = HttpTransport(receiver.url, timeout=5)
    now = utcnow()
    for _ in range(limit):
        outcome = _step(session, transport, "w1", now)
        assert outcome is not None
        assert not outcome.ok
        now = outcome.next_attempt_at or now
    assert outcome.status == DeliveryStatus.FAILED
    [gave_up] = _audits(session, "referral.addendum_delivery_failed")
    assert (gave_up.detail["addendum"], gave_up.detail["attempts"]) == (str(addendum.id), limit)
    assert not _audits(session, "referral.delivery_failed")
    [flagged] = delivery_state.failing(session=session, team_ids=[scene.team.id])
    assert (flagged.kind, flagged.addendum_id) == (DeliveryKind.ADDENDUM, addendum.id)
    assert delivery_state.state_of(session=session, referral_id=referral.id).status == "sent"  # type: ignore[union-attr]

    with pytest.raises(InvalidTransition):  # the referral's own delivery is not the failed one
        delivery_state.retry_failed(
            session=session, supervisor=scene.supervisor, referral_id=referral.id
        )
    other = make_scene(session)
    with pytest.raises(delivery_state.ReferralNotFound):
        delivery_state.retry_failed(
            session=session,
            supervisor=other.supervisor,
            referral_id=referral.id,
            addendum_id=addendum.id,
        )
    again = delivery_state.retry_failed(
        session=session,
        supervisor=scene.supervisor,
        referral_id=referral.id,
        addendum_id=addendum.id,
        now=now,
    )
    assert (again.status, again.attempts, again.addendum_id) == ("pending", 0, addendum.id)
    [retried] = _audits(session, "referral.delivery_retried")
    assert retried.detail["addendum"] == str(addendum.id)
    outcome = _step(session, transport, "w1", now)
    assert outcome is not None
    assert outcome.ok
    assert receiver.created[key_of(referral, addendum)] == 1
    assert len(_audits(session, "referral.addendum_delivered")) == 1


def _addendum_state(html: str, addendum: Addendum) -> str:
    start = html.index(f'id="addendum-{addendum.id}"')
    return html[start : html.index("</div>", start)]


def test_the_author_and_the_supervisor_see_each_addendums_delivery_state(
    session: Session, scene: Scene, receiver: Receiver, client: Browserless
) -> None:
    referral = approved_referral(session, scene)
    officer_page, review_page = f"/referrals/{referral.reference}", f"/review/{referral.reference}"
    client.log_in(scene.officer.user.username, PASSWORD)
    assert client.form(f"{officer_page}/addenda", {"text": "Neighbour rang."}).status_code == 303
    addendum = session.exec(select(Addendum).where(Addendum.referral_id == referral.id)).one()
    page = client.get(officer_page)
    check_page(page.text)
    assert "Waiting to send" in _addendum_state(page.text, addendum)

    transport = HttpTransport(receiver.url, timeout=5)
    now = utcnow()
    for _ in range(2):  # the referral, then the addendum
        outcome = _step(session, transport, "w1", now)
        assert outcome is not None
        assert outcome.ok
    sent = _addendum_state(client.get(officer_page).text, addendum)
    assert "Sent to the MASH" in sent

    row = _row(session, addendum)
    row.status, row.attempts, row.sent_at = DeliveryStatus.PENDING, 2, None
    row.next_attempt_at = now + timedelta(minutes=5)
    session.add(row)
    session.commit()
    assert "Sending failed, will try again" in _addendum_state(
        client.get(officer_page).text, addendum
    )

    row.status, row.attempts, row.last_error = DeliveryStatus.FAILED, 8, "HTTP 503"
    session.add(row)
    session.commit()
    officer_sees = _addendum_state(client.get(officer_page).text, addendum)
    assert "Delivery failed" in officer_sees and "A supervisor can send it again" in officer_sees
    assert "Send again" not in officer_sees

    client.log_in(scene.supervisor.user.username, PASSWORD)
    page = client.get(review_page)
    check_page(page.text)
    supervisor_sees = _addendum_state(page.text, addendum)
    assert "Delivery failed" in supervisor_sees and "Send again" in supervisor_sees
    assert f'name="addendum" value="{addendum.id}"' in supervisor_sees
    assert "Sent to the MASH" in page.text.split('id="delivery-state"')[1]  # the referral's own
    assert "(added information)" in client.get("/review").text
    resent = client.form(f"{review_page}/redeliver", {"addendum": str(addendum.id)})
    assert resent.status_code == 303
    assert resent.headers["location"].endswith("done=redeliver_addendum")
    row = _row(session, addendum)
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 0)
    assert "Waiting to send" in _addendum_state(client.get(review_page).text, addendum)
    assert client.form(f"{review_page}/redeliver", {"addendum": "not-an-id"}).status_code == 404


def test_an_addendum_cannot_have_two_deliveries_and_a_version_only_one(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = sent_referral(session, scene, receiver)
    first = add(session, scene, referral, "One.")
    second = add(session, scene, referral, "Two.")  # many addenda to one version: fine
    kinds = session.exec(
        select(Delivery.kind)
        .where(Delivery.referral_id == referral.id)
        .order_by(col(Delivery.kind))
    ).all()
    assert sorted(kinds) == ["addendum", "addendum", "referral"]
    for duplicate in (
        Delivery(
            referral_id=referral.id, version=1, kind=DeliveryKind.ADDENDUM, addendum_id=first.id
        ),
        Delivery(referral_id=referral.id, version=1),
        Delivery(referral_id=referral.id, version=2, kind=DeliveryKind.ADDENDUM),
        Delivery(referral_id=referral.id, version=2, addendum_id=second.id),
    ):
        with pytest.raises(IntegrityError), session.begin_nested():
            session.add(duplicate)
            session.flush()
