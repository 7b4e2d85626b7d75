"""Delivery workers as they run for real: two at once on their own connections (each referral
delivered once), and `python -m app.worker` as a process (`--once`, and stopping on SIGTERM).

These need commits that other connections see, so they use a database of their own: a SQLite
file, or a temporary PostgreSQL database when DATABASE_URL is PostgreSQL.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app import worker
from app.audit import service as audit
from app.audit.models import AuditEvent
from app.db import make_engine
from app.referrals import addenda
from app.referrals.models import Delivery, DeliveryAttempt, DeliveryStatus, Referral
from app.referrals.transport import HttpTransport
from tests.helpers import ROOT
from tests.referrals.test_delivery import Receiver, approved_referral, make_scene

pytestmark = pytest.mark.db


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def _approved(eng: Engine, count: int) -> list[str]:
    with Session(eng) as session:
        scene = make_scene(session)
        return [approved_referral(session, scene).reference for _ in range(count)]


def _run_two_workers(url: str, receiver: Receiver) -> dict[int, int]:
    engines = [make_engine(url) for _ in range(2)]
    start = threading.Barrier(2)
    made: dict[int, int] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            start.wait()
            transport = HttpTransport(receiver.url, timeout=5)
            made[i] = worker.run(engine=engines[i], transport=transport, worker=f"w{i}", once=True)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for eng in engines:
        eng.dispose()
    assert errors == []
    return made


def test_two_workers_at_once_deliver_each_referral_exactly_once(
    fresh_url: str, fresh_engine: Engine, receiver: Receiver
) -> None:
    count = 12
    references = _approved(fresh_engine, count)
    receiver.delays = [0.01] * (2 * count)  # a receiver that takes a moment, so workers overlap
    made = _run_two_workers(fresh_url, receiver)
    assert sum(made.values()) == count

    per_key = Counter(receiver.keys)
    assert per_key == {f"{ref}-v1": 1 for ref in references}  # each POSTed once, none twice
    with Session(fresh_engine) as session:
        deliveries = session.exec(select(Delivery)).all()
        assert {d.status for d in deliveries} == {DeliveryStatus.SENT}
        attempts = session.exec(select(DeliveryAttempt)).all()
        assert len(attempts) == count
        assert all(a.ok for a in attempts)
        assert {a.worker for a in attempts} == {"w0", "w1"}  # both workers took a share
        assert {r.status for r in session.exec(select(Referral))} == {"sent"}
        delivered = session.exec(
            select(AuditEvent).where(AuditEvent.action == "referral.delivered")
        ).all()
        assert len(delivered) == count
        assert audit.verify(session=session).ok  # concurrent appends kept the hash chain


def test_two_workers_deliver_each_addendum_once_and_after_its_referral(
    fresh_url: str, fresh_engine: Engine, receiver: Receiver
) -> None:
    count = 5
    with Session(fresh_engine) as session:
        scene = make_scene(session)
        expected: dict[str, list[str]] = {}
        for _ in range(count):
            reference = approved_referral(session, scene).reference
            added = [
                addenda.add(session=session, principal=scene.officer, reference=reference, text=t)
                for t in ("First thing added.", "Second thing added.")
            ]
            expected[f"{reference}-v1"] = [f"{reference}-addendum-{a.id}" for a in added]
    receiver.delays = [0.01] * (6 * count)
    made = _run_two_workers(fresh_url, receiver)
    assert sum(made.values()) == 3 * count

    assert Counter(receiver.keys) == {
        key: 1 for ref_key, added in expected.items() for key in [ref_key, *added]
    }  # every referral and every addendum POSTed once, none twice
    for ref_key, added in expected.items():  # and no addendum before its referral
        assert all(receiver.keys.index(ref_key) < receiver.keys.index(a) for a in added)
    with Session(fresh_engine) as session:
        assert {d.status for d in session.exec(select(Delivery))} == {DeliveryStatus.SENT}
        assert len(session.exec(select(DeliveryAttempt)).all()) == 3 * count
        added_events = session.exec(
            select(AuditEvent).where(AuditEvent.action == "referral.addendum_delivered")
        ).all()
        assert len(added_events) == 2 * count
        assert audit.verify(session=session).ok


def _env(fresh_url: str, outbox: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MASH_ENDPOINT"}
    env.update(DATABASE_URL=fresh_url, OUTBOX_DIR=str(outbox), ENVIRONMENT="test")
    return env


def test_worker_once_delivers_what_is_due_to_the_outbox_folder_and_exits(
    fresh_url: str, fresh_engine: Engine, tmp_path: Path
) -> None:
    [reference] = _approved(fresh_engine, 1)
    outbox = tmp_path / "outbox"
    done = subprocess.run(
        [sys.executable, "-m", "app.worker", "--once", "--name", "cron"],
        cwd=ROOT,
        env=_env(fresh_url, outbox),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"delivered {reference}-v1" in done.stderr
    assert json.loads((outbox / f"{reference}-v1.json").read_text())["reference"] == reference
    assert (outbox / f"{reference}-v1.pdf").read_bytes().startswith(b"%PDF")
    with Session(fresh_engine) as session:
        row = session.exec(select(Delivery)).one()
        assert (row.status, row.claimed_by) == (DeliveryStatus.SENT, "cron")


def test_worker_runs_until_sigterm_and_stops_cleanly(
    fresh_url: str, fresh_engine: Engine, tmp_path: Path
) -> None:
    lines: queue.Queue[str] = queue.Queue()
    with subprocess.Popen(
        [sys.executable, "-m", "app.worker"],
        cwd=ROOT,
        env=_env(fresh_url, tmp_path / "outbox"),
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr or ()])
        reader.start()
        try:
            deadline = time.monotonic() + 60
            seen = ""
            while "delivering to" not in seen:
                seen = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
            reader.join(timeout=10)
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert any("stopping (SIGTERM)" in line for line in rest)
