"""Pooled connections that died while they waited (app/db.py): the next request still works,
and no request pays a round trip to find out (no pool_pre_ping).

These need connections of their own: each test has a database of its own.
"""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from app import db
from app.db import socket_has_news
from tests.factories import make_team, make_user
from tests.test_db_locking import serve, signed_in

pytestmark = pytest.mark.db


def test_a_quiet_socket_has_no_news_and_a_closed_or_spoken_one_has() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert not socket_has_news(ours.fileno())
        theirs.sendall(b"E")  # the server's last words
        assert socket_has_news(ours.fileno())
    quiet, hung_up = socket.socketpair()
    with quiet:
        hung_up.close()
        assert socket_has_news(quiet.fileno())


def _backends(engine: Engine, watcher: Engine) -> list[int]:
    """The server processes holding the app engine's connections (PostgreSQL)."""
    with watcher.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": engine.url.database},
        )
        return [int(pid) for (pid,) in rows]


def _kill(engine: Engine, watcher: Engine, pids: list[int]) -> None:
    with watcher.connect() as conn:
        for pid in pids:  # waits up to 5 s for each to end
            assert conn.execute(text("SELECT pg_terminate_backend(:p, 5000)"), {"p": pid}).scalar()


def test_a_killed_server_connection_does_not_fail_the_next_request(
    fresh_engine: Engine, fresh_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    real_ping = fresh_engine.dialect.do_ping

    def counted_ping(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return real_ping(dbapi_connection)  # type: ignore[arg-type]

    monkeypatch.setattr(fresh_engine.dialect, "do_ping", counted_ping)
    with Session(fresh_engine) as s:
        officer = make_user(s, roles=["officer"], team=make_team(s)).username
    with serve(fresh_engine):
        client = signed_in(officer)
        try:
            assert client.get("/incidents").status_code == 200
            assert client.get("/incidents").status_code == 200
            assert pings == []  # a live connection costs no round trip to check
            if fresh_engine.dialect.name != "postgresql":
                return  # SQLite has no server connection to lose
            watcher = db.make_engine(fresh_url)
            try:
                before = _backends(fresh_engine, watcher)
                assert before
                _kill(fresh_engine, watcher, before)  # a restart, or an administrator
                again = client.get("/incidents")
                assert again.status_code == 200, again.text[:500]
                assert pings  # the dead one was found at checkout and replaced
                after = _backends(fresh_engine, watcher)
                assert after and not set(after) & set(before)
            finally:
                watcher.dispose()
        finally:
            client.__exit__(None, None, None)


def test_a_connection_idle_a_long_time_is_pinged_first(
    fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flow a firewall dropped silently shows nothing on the socket: ping after long idle."""
    if fresh_engine.dialect.name != "postgresql":
        assert fresh_engine.pool._recycle == -1  # SQLite: nothing to drop
        return
    pings: list[object] = []

    def ping(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return True

    monkeypatch.setattr(fresh_engine.dialect, "do_ping", ping)
    with fresh_engine.connect() as conn:
        conn.execute(text("SELECT 2"))
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", -1)
    with fresh_engine.connect() as conn:
        conn.execute(text("SELECT 2"))
    assert len(pings) == 1
    assert fresh_engine.pool._recycle == db.RECYCLE_SECONDS
