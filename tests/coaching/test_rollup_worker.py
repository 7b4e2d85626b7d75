"""The roll-up kept by folding, under real use: officers saving in two threads while the worker
and a coach's dashboard fold at once (no change missed); the worker's fold and its pacing; the
dashboard's bounded wait for incidents saves hold."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app import worker
from app.accounts.models import User
from app.checklist import service as checklist
from app.checklist import tally
from app.coaching import rollup
from app.referrals.transport import FolderTransport
from tests.checklist.test_flow_save import GATE_YES
from tests.coaching import data
from tests.coaching.test_rollup import afresh, check, held, marked, total
from tests.factories import make_team, make_user, principal

pytestmark = pytest.mark.db


def _writer(
    engine: Engine, officer_id: uuid.UUID, go: threading.Barrier, errors: list[Any]
) -> None:
    try:
        with Session(engine) as session:
            user = session.get(User, officer_id)
            assert user is not None
            me = principal(session, user)
            session.commit()  # hold no transaction while waiting
            go.wait()
            for n in range(8):
                incident, _ = checklist.start(session=session, officer=me, client_uuid=uuid.uuid4())
                for kind in ("crime", "domestic_abuse"):
                    checklist.save(
                        session=session,
                        officer=me,
                        incident_id=incident.id,
                        updates={"incident.type": kind, "incident.log_ref": f"L{n}", **GATE_YES},
                    )
    except BaseException as exc:  # reported in the test's own thread
        errors.append(exc)


def _folder(engine: Engine, done: threading.Event, errors: list[Any], folds: list[int]) -> None:
    try:
        with Session(engine) as session:
            while not done.is_set():
                folds.append(rollup.fold(session, limit=3))
    except BaseException as exc:
        errors.append(exc)


def test_officers_saving_while_the_worker_and_a_dashboard_fold_miss_nothing(
    fresh_engine: Engine,
) -> None:
    with Session(fresh_engine) as setup:
        team = make_team(setup)
        officer = make_user(setup, roles=["officer"], team=team)
        officer_id = officer.id
    go = threading.Barrier(2)
    done = threading.Event()
    errors: list[Any] = []
    folds: list[int] = []
    writers = [
        threading.Thread(target=_writer, args=(fresh_engine, officer_id, go, errors))
        for _ in range(2)
    ]
    folders = [  # the worker, and a coach's dashboard catching up at the same time
        threading.Thread(target=_folder, args=(fresh_engine, done, errors, folds)) for _ in range(2)
    ]
    for t in (*writers, *folders):
        t.start()
    for t in writers:
        t.join(timeout=60)
    done.set()
    for t in folders:
        t.join(timeout=60)
    assert errors == []
    assert sum(folds) > 0  # the worker folded while they saved
    with Session(fresh_engine) as session:
        stored = check(session)
    assert total(stored, "incidents") == 16
    assert total(stored, "child_identified") == 16
    assert [k[3] for k in stored] == ["domestic_abuse"]  # one row: every move counted


def test_the_worker_folds_what_officers_changed(fresh_engine: Engine, tmp_path: Path) -> None:
    with Session(fresh_engine) as session:
        data.build(session)
        session.commit()
        assert marked(session.connection()) > 0
    worker.run(engine=fresh_engine, transport=FolderTransport(tmp_path), once=True)
    with Session(fresh_engine) as session:
        conn = session.connection()
        assert marked(conn) == 0
        assert total(held(conn), "incidents") == len(afresh(conn))
        check(session)


def test_the_worker_leaves_officers_most_of_the_database_while_it_catches_up(
    monkeypatch: pytest.MonkeyPatch, engine: Engine
) -> None:
    """A full batch is followed by a pause of three times its length; once caught up, by the
    usual wait."""
    clock = iter([100.0, 100.2, 200.0, 200.4])
    monkeypatch.setattr(worker.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(worker, "fold", lambda engine: rollup.FOLD)
    assert worker.fold_pause(engine) == pytest.approx(0.6)
    monkeypatch.setattr(worker, "fold", lambda engine: rollup.FOLD - 1)
    assert worker.fold_pause(engine) == worker.FOLD_SECONDS


def test_the_dashboard_does_not_wait_for_ever_for_incidents_saves_hold(
    monkeypatch: pytest.MonkeyPatch, session: Session
) -> None:
    """Marked incidents every fold skips (each held by a save under way, on PostgreSQL): the
    dashboard waits a little, then counts without them."""
    data.build(session)
    session.commit()
    monkeypatch.setattr(tally, "claim", lambda conn, limit: [])
    sleeps: list[float] = []
    monkeypatch.setattr(rollup.time, "sleep", sleeps.append)
    assert rollup.catch_up(session) == 0
    assert len(sleeps) == rollup.HELD_WAITS
    assert sum(sleeps) <= 0.25
    assert marked(session.connection()) > 0  # left to the worker
