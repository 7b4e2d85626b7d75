"""Delivery to the MASH: retries with backoff, exactly-once receipt, leases, failure flags."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.accounts.models import Role, Team, User, UserSession
from app.accounts.service import Principal
from app.audit import service as audit
from app.audit.models import AuditEvent
from app.checklist import service as checklist
from app.config import Settings, get_settings
from app.errors import InvalidTransition
from app.models_base import utcnow
from app.referrals import delivery, delivery_state, document
from app.referrals import service as referrals
from app.referrals.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Referral,
    ReferralStatus,
)
from app.referrals.transport import (
    FolderTransport,
    HttpTransport,
    Parcel,
    Transport,
    TransportError,
    from_settings,
)
from app.review import service as review
from tests.checklist.builders import complete_answers
from tests.factories import make_team, make_user

pytestmark = pytest.mark.db


# --- a test MASH: an HTTP receiver that fails as told and honours the Idempotency-Key ---------


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Receiver:
    """Answers each POST with the next entry of `script` (a status or a Reply), then 200 with
    a JSON receipt; `delays` slow the first answers. A key it has taken in before gets the
    same receipt again and makes no new referral (`created` counts referrals per key)."""

    def __init__(self) -> None:
        self.script: list[int | Reply] = []
        self.delays: list[float] = []
        self.keys: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.bodies: list[dict[str, Any]] = []
        self.receipts: dict[str, dict[str, Any]] = {}
        self.created: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.handle_error = lambda *_: None  # type: ignore[method-assign]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/referrals"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                with receiver.lock:
                    n = len(receiver.keys)
                    receiver.keys.append(key)
                    receiver.headers.append({k.lower(): v for k, v in self.headers.items()})
                    receiver.bodies.append(body)
                    reply = receiver.script.pop(0) if receiver.script else 200
                    delay = receiver.delays[n] if n < len(receiver.delays) else 0.0
                    if isinstance(reply, int):
                        reply = Reply(reply, b"" if reply == 200 else b'{"error": "try later"}')
                    if reply.status == 200 and not reply.body:
                        if key not in receiver.receipts:
                            receiver.created[key] += 1
                            receiver.receipts[key] = {"id": f"MASH-{n}", "received": key}
                        reply.body = json.dumps(receiver.receipts[key]).encode()
                time.sleep(delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        return Handler

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


# --- real referrals: an officer submits, a supervisor approves (which queues the delivery) ----


def principal(user: User, roles: set[Role], team: Team) -> Principal:
    return Principal(
        user=user,
        roles=frozenset(roles),
        member_of=frozenset({team.id}) if Role.OFFICER in roles else frozenset(),
        supervises=frozenset({team.id}) if Role.SUPERVISOR in roles else frozenset(),
        coaches=frozenset(),
        session=UserSession(id=uuid.uuid4().hex, user_id=user.id, csrf_token=""),
    )


@dataclass(frozen=True)
class Scene:
    team: Team
    officer: Principal
    supervisor: Principal


def make_scene(session: Session) -> Scene:
    team = make_team(session)
    officer = make_user(session, roles=("officer",), team=team)
    supervisor = make_user(session, roles=("supervisor",), supervises=[team])
    return Scene(
        team=team,
        officer=principal(officer, {Role.OFFICER}, team),
        supervisor=principal(supervisor, {Role.SUPERVISOR}, team),
    )


def approved_referral(session: Session, scene: Scene) -> Referral:
    incident, _ = checklist.start(session=session, officer=scene.officer, client_uuid=uuid.uuid4())
    _, result = checklist.save(
        session=session, officer=scene.officer, incident_id=incident.id, updates=complete_answers()
    )
    assert result.errors == {}
    referral = referrals.submit(session=session, officer=scene.officer, incident_id=incident.id)
    return review.approve(
        session=session,
        supervisor=scene.supervisor,
        reference=referral.reference,
        expected_version=referral.version,
        comment="Agreed: send today.",
    )


# --- the tests ---------------------------------------------------------------------------------


def _delivery(session: Session, referral: Referral) -> Delivery:
    query = select(Delivery).where(Delivery.referral_id == referral.id)
    return session.exec(query.execution_options(populate_existing=True)).one()


def _attempts(session: Session, row: Delivery) -> list[DeliveryAttempt]:
    query = select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == row.id)
    return list(session.exec(query.order_by(col(DeliveryAttempt.at))))


def _audits(session: Session, action: str, referral: Referral) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == str(referral.id)
    )
    return list(session.exec(query))


def _step(
    session: Session, transport: Transport, worker: str, now: datetime
) -> delivery.Outcome | None:
    claimed = delivery.claim(session=session, worker=worker, now=now)
    if claimed is None:
        return None
    return delivery.deliver_one(
        session=session, delivery=claimed, transport=transport, worker=worker, now=now
    )


@pytest.fixture
def scene(session: Session) -> Scene:
    return make_scene(session)


def test_retried_with_backoff_until_delivered_exactly_once(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = approved_referral(session, scene)
    receiver.script = [500, 500]
    transport = HttpTransport(receiver.url, timeout=5)
    start = now = utcnow()
    outcomes = []
    for _ in range(5):
        outcome = _step(session, transport, "w1", now)
        assert outcome is not None
        outcomes.append(outcome)
        if outcome.ok:
            break
        assert outcome.next_attempt_at is not None
        assert _step(session, transport, "w1", now) is None  # not due again until the backoff
        now = outcome.next_attempt_at
    assert [o.ok for o in outcomes] == [False, False, True]

    key = f"{referral.reference}-v1"
    assert receiver.keys == [key, key, key]  # the same idempotency key on every try
    assert receiver.created == {key: 1}
    assert {r["content-type"] for r in receiver.headers} == {"application/json"}
    assert receiver.bodies[-1]["reference"] == referral.reference

    row = _delivery(session, referral)
    assert row.status == DeliveryStatus.SENT
    assert row.receipt == receiver.receipts[key]
    assert row.sent_at == now
    assert row.attempts == 3
    assert row.lease_until is None
    attempts = _attempts(session, row)
    assert [(a.ok, a.status_code) for a in attempts] == [(False, 500), (False, 500), (True, None)]
    assert "500" in attempts[0].error
    # exponential backoff from the base, with at most 10% jitter
    base = get_settings().delivery_backoff_seconds
    first, second = attempts[1].at - attempts[0].at, attempts[2].at - attempts[1].at
    assert timedelta(seconds=base) <= first <= timedelta(seconds=base * 1.1)
    assert timedelta(seconds=2 * base) <= second <= timedelta(seconds=2 * base * 1.1)
    assert attempts[0].at == start

    session.refresh(referral)
    assert referral.status == ReferralStatus.SENT
    [event] = _audits(session, "referral.delivered", referral)
    assert event.reason == "referral to children's social care"
    assert event.detail["reference"] == referral.reference
    assert event.detail["version"] == 1
    assert event.detail["recipient"] == transport.destination
    assert event.detail["receipt_id"] == receiver.receipts[key]["id"]
    assert audit.verify(session=session).ok
    state = delivery_state.state_of(session=session, referral_id=referral.id)
    assert state is not None
    assert (state.status, state.attempts, state.flagged) == (DeliveryStatus.SENT, 3, False)
    assert state.sent_at == now
    assert state.next_attempt_at is None


def test_a_retry_after_a_timeout_that_reached_the_receiver_is_not_a_second_referral(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = approved_referral(session, scene)
    receiver.delays = [0.6]  # the first request is taken in, but answered too late
    transport = HttpTransport(receiver.url, timeout=0.2)
    now = utcnow()
    first = _step(session, transport, "w1", now)
    assert first is not None
    assert not first.ok
    assert "timed out" in first.error
    assert first.next_attempt_at is not None
    second = _step(session, transport, "w1", first.next_attempt_at)
    assert second is not None
    assert second.ok
    key = f"{referral.reference}-v1"
    assert receiver.keys == [key, key]
    assert receiver.created == {key: 1}  # the receiver recognised the key: one referral
    assert _delivery(session, referral).receipt == receiver.receipts[key]


def test_gives_up_after_the_attempt_limit_and_is_flagged_until_a_supervisor_retries(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = approved_referral(session, scene)
    limit = get_settings().delivery_max_attempts
    receiver.script = [503] * limit
    transport = HttpTransport(receiver.url, timeout=5)
    now = utcnow()
    flags = []
    for _ in range(limit):
        outcome = _step(session, transport, "w1", now)
        assert outcome is not None
        assert not outcome.ok
        state = delivery_state.state_of(session=session, referral_id=referral.id)
        assert state is not None
        flags.append(state.flagged)
        now = outcome.next_attempt_at or now
    assert flags == [False, False] + [True] * (limit - 2)  # flagged from the third failure
    assert outcome.status == DeliveryStatus.FAILED
    assert outcome.next_attempt_at is None
    assert _step(session, transport, "w1", now + timedelta(days=30)) is None  # never again

    row = _delivery(session, referral)
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, limit)
    assert "503" in row.last_error
    assert len(_attempts(session, row)) == limit
    session.refresh(referral)
    assert referral.status == ReferralStatus.APPROVED
    [event] = _audits(session, "referral.delivery_failed", referral)
    assert event.detail["attempts"] == limit
    assert not _audits(session, "referral.delivered", referral)

    state = delivery_state.state_of(session=session, referral_id=referral.id)
    assert state is not None
    assert (state.status, state.flagged, state.next_attempt_at) == ("failed", True, None)
    assert [
        s.reference for s in delivery_state.failing(session=session, team_ids=[scene.team.id])
    ] == [referral.reference]
    other = make_scene(session)
    assert delivery_state.failing(session=session, team_ids=[other.team.id]) == []
    assert delivery_state.failing(session=session, team_ids=[]) == []

    # another team's supervisor cannot, the referral's supervisor can send it again
    with pytest.raises(delivery_state.ReferralNotFound):
        delivery_state.retry_failed(
            session=session, supervisor=other.supervisor, referral_id=referral.id
        )
    retried = delivery_state.retry_failed(
        session=session, supervisor=scene.supervisor, referral_id=referral.id, now=now
    )
    assert (retried.status, retried.attempts, retried.flagged) == ("pending", 0, False)
    assert _audits(session, "referral.delivery_retried", referral)
    with pytest.raises(InvalidTransition):
        delivery_state.retry_failed(
            session=session, supervisor=scene.supervisor, referral_id=referral.id, now=now
        )
    outcome = _step(session, transport, "w1", now)  # the receiver works again
    assert outcome is not None
    assert outcome.ok
    session.refresh(referral)
    assert referral.status == ReferralStatus.SENT
    assert len(_attempts(session, row)) == limit + 1


def test_backoff_doubles_and_is_capped_at_an_hour() -> None:
    for attempts, expected in [(1, 30), (2, 60), (3, 120), (7, 1920)]:
        wait = delivery.backoff(attempts, base_seconds=30).total_seconds()
        assert expected <= wait <= expected * 1.1
    assert delivery.backoff(8, base_seconds=30) == timedelta(hours=1)
    assert delivery.backoff(500, base_seconds=30) == timedelta(hours=1)


def test_a_worker_that_dies_mid_delivery_leaves_it_to_another_after_the_lease(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = approved_referral(session, scene)
    transport = HttpTransport(receiver.url, timeout=5)
    now = utcnow()
    assert delivery.claim(session=session, worker="dies", now=now) is not None
    lease = timedelta(seconds=get_settings().delivery_lease_seconds)
    assert delivery.claim(session=session, worker="lives", now=now + lease / 2) is None
    later = now + lease + timedelta(seconds=1)
    outcome = _step(session, transport, "lives", later)
    assert outcome is not None
    assert outcome.ok
    # the first worker wakes up late: it no longer holds the delivery and sends nothing
    late = delivery.deliver_one(
        session=session,
        delivery=_delivery(session, referral),
        transport=transport,
        worker="dies",
        now=later,
    )
    assert late.skipped
    assert len(receiver.keys) == 1
    row = _delivery(session, referral)
    assert [a.worker for a in _attempts(session, row)] == ["lives"]
    assert len(_audits(session, "referral.delivered", referral)) == 1


class _TakenOverMidSend:
    """A transport whose first send is slow: meanwhile the lease runs out, another worker takes
    the delivery and makes it; then the slow send completes (the receiver deduplicates)."""

    wants_pdf = False

    def __init__(self, session: Session, inner: HttpTransport, later: datetime) -> None:
        self.session, self.inner, self.later = session, inner, later
        self.destination = inner.destination
        self.calls = 0

    def send(self, parcel: Parcel) -> dict[str, object]:
        self.calls += 1
        if self.calls == 1:
            outcome = _step(self.session, self.inner, "second", self.later)
            assert outcome is not None
            assert outcome.ok
        return self.inner.send(parcel)


def test_a_late_duplicate_send_is_recorded_but_not_delivered_twice(
    session: Session, scene: Scene, receiver: Receiver
) -> None:
    referral = approved_referral(session, scene)
    now = utcnow()
    later = now + timedelta(seconds=get_settings().delivery_lease_seconds + 1)
    transport = _TakenOverMidSend(session, HttpTransport(receiver.url, timeout=5), later)
    outcome = _step(session, transport, "first", now)
    assert outcome is not None
    assert outcome.ok
    key = f"{referral.reference}-v1"
    assert receiver.keys == [key, key]
    assert receiver.created == {key: 1}
    row = _delivery(session, referral)
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 1)
    assert sorted(a.worker for a in _attempts(session, row)) == ["first", "second"]
    assert len(_audits(session, "referral.delivered", referral)) == 1


def test_nothing_due_is_nothing_claimed(session: Session, scene: Scene) -> None:
    referral = approved_referral(session, scene)
    row = _delivery(session, referral)
    assert (
        delivery.claim(session=session, worker="w", now=row.next_attempt_at - timedelta(1)) is None
    )
    assert delivery_state.state_of(session=session, referral_id=uuid.uuid4()) is None
    state = delivery_state.state_of(session=session, referral_id=referral.id)
    assert state is not None
    assert (state.status, state.attempts, state.flagged) == ("pending", 0, False)
    assert state.next_attempt_at == row.next_attempt_at


# --- transports --------------------------------------------------------------------------------


def test_http_transport_posts_json_with_the_idempotency_key(receiver: Receiver) -> None:
    transport = HttpTransport(receiver.url, timeout=5)
    receipt = transport.send(Parcel("TC-2026-000123", 2, {"reference": "TC-2026-000123", "x": "é"}))
    assert receipt == {"id": "MASH-0", "received": "TC-2026-000123-v2"}
    assert receiver.keys == ["TC-2026-000123-v2"]
    assert receiver.headers[0]["content-type"] == "application/json"
    assert receiver.bodies == [{"reference": "TC-2026-000123", "x": "é"}]


@pytest.mark.parametrize(
    ("reply", "receipt"),
    [(Reply(200, b"Thanks"), {}), (Reply(201, b"[1, 2]"), {}), (Reply(204), {})],
)
def test_any_2xx_is_delivered_and_a_body_that_is_not_a_json_object_is_an_empty_receipt(
    receiver: Receiver, reply: Reply, receipt: dict[str, Any]
) -> None:
    receiver.script = [reply]
    assert HttpTransport(receiver.url).send(Parcel("TC-2026-000001", 1, {})) == receipt


def test_a_redirect_is_a_failure_not_a_get(receiver: Receiver) -> None:
    receiver.script = [Reply(302, headers={"Location": receiver.url + "/elsewhere"})]
    with pytest.raises(TransportError) as failure:
        HttpTransport(receiver.url).send(Parcel("TC-2026-000001", 1, {}))
    assert failure.value.status_code == 302
    assert len(receiver.keys) == 1


def test_a_receiver_that_is_down_is_a_failure_without_a_status() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(TransportError) as failure:
        HttpTransport(f"http://127.0.0.1:{port}/mash", timeout=2).send(Parcel("TC-1", 1, {}))
    assert failure.value.status_code is None
    assert "network error" in str(failure.value)


def test_the_endpoint_must_be_http_and_its_credentials_stay_out_of_the_audit_log() -> None:
    with pytest.raises(ValueError, match="http"):
        HttpTransport("file:///etc/passwd")
    transport = HttpTransport("https://user:secret@mash.example.org:8443/in?token=abc")
    assert transport.destination == "https://mash.example.org:8443/in"


def test_folder_transport_writes_pdf_and_json_atomically(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    parcel = Parcel("TC-2026-000007", 3, {"reference": "TC-2026-000007", "words": '"hi" <b>'})
    receipt = FolderTransport(folder).send(replace(parcel, pdf=b"%PDF-1.7 test"))
    assert sorted(p.name for p in folder.iterdir()) == [
        "TC-2026-000007-v3.json",
        "TC-2026-000007-v3.pdf",
    ]
    assert receipt["id"] == "TC-2026-000007-v3"
    for entry in receipt["files"]:
        data = Path(entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    assert json.loads((folder / "TC-2026-000007-v3.json").read_text()) == parcel.document
    again = FolderTransport(folder).send(parcel)  # a retry rewrites the same file
    assert [f["sha256"] for f in again["files"]] == [receipt["files"][1]["sha256"]]


def test_folder_transport_that_cannot_write_is_a_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(TransportError, match="outbox folder"):
        FolderTransport(blocker).send(Parcel("TC-1", 1, {}))


def test_the_default_transport_is_the_outbox_folder_and_an_endpoint_switches_to_http() -> None:
    folder = from_settings(Settings(mash_endpoint="", outbox_dir="somewhere"))
    assert isinstance(folder, FolderTransport)
    assert folder.destination == "somewhere"
    http = from_settings(Settings(mash_endpoint="https://mash.example.org/in"))
    assert isinstance(http, HttpTransport)
    assert http.timeout == 10


def test_delivery_settings_are_checked() -> None:
    with pytest.raises(ValidationError, match="https"):
        Settings(environment="production", mash_endpoint="http://mash.example.org/in")
    with pytest.raises(ValidationError, match="http"):
        Settings(mash_endpoint="mash.example.org")
    with pytest.raises(ValidationError, match="LEASE"):
        Settings(delivery_lease_seconds=10, delivery_timeout_seconds=10)


def test_delivered_to_the_outbox_folder_as_json_and_pdf(
    session: Session, scene: Scene, tmp_path: Path
) -> None:
    referral = approved_referral(session, scene)
    transport = FolderTransport(tmp_path / "outbox")
    outcome = _step(session, transport, "w1", utcnow())
    assert outcome is not None
    assert outcome.ok, outcome.error
    stem = tmp_path / "outbox" / f"{referral.reference}-v1"
    sent = json.loads(stem.with_suffix(".json").read_text())
    now_built = document.build(session=session, referral=referral, version=1)
    for changed in ("generated_at", "status", "sent_at"):  # the document after sending
        now_built.pop(changed, None)
        sent.pop(changed, None)
    assert sent == now_built
    assert stem.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    row = _delivery(session, referral)
    assert row.receipt is not None
    assert [Path(f["path"]).name for f in row.receipt["files"]] == [
        f"{referral.reference}-v1.pdf",
        f"{referral.reference}-v1.json",
    ]
    [event] = _audits(session, "referral.delivered", referral)
    assert event.detail["recipient"] == str(tmp_path / "outbox")
    assert event.detail["receipt_id"] == f"{referral.reference}-v1"
