"""The database engine, sessions and the metadata naming convention."""

from __future__ import annotations

import select
import time
from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy import Connection, Engine, MetaData, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, SQLModel, create_engine

from app.config import get_settings
from app.db_postgres import begin_at_first_write

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, manage transactions (needed for savepoints), then set
    # WAL and a busy timeout so several writers wait for each other instead of failing.
    # synchronous=FULL: a commit is on disk before it returns, so a power cut loses no saved
    # answer (NORMAL in WAL mode can lose the last commits).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# SQLite transactions: reads never take the write lock, writes always start with it.
#
# SQLAlchemy begins a transaction lazily; on SQLite we go further and open SQLite's own
# transaction at its first statement, choosing its kind from that statement:
# - a plain read begins a deferred transaction (BEGIN): in WAL mode it blocks no writer, so
#   pages, PDFs and checks of the audit chain never stop an officer's save;
# - a write, or a select with ``.with_for_update()`` (the lock every read-then-write path takes
#   at its first read, as on PostgreSQL), begins with the write lock (BEGIN IMMEDIATE), waiting
#   for it up to busy_timeout.
# A transaction that began as a read and then writes or locks is never upgraded in place (a
# deferred read that then writes while another connection holds the lock fails at once with
# "database is locked": busy_timeout does not apply to an upgrade). Its read is ended and it
# begins again with the write lock. What it read before is then as unlocked as a plain read on
# PostgreSQL: a path that writes what it read must read it with ``.with_for_update()``.
_TXN = "think_child.sqlite_txn"  # in Connection.info: "pending", "read" or "write"
_READ_VERBS = frozenset(
    {"SELECT", "WITH", "VALUES", "PRAGMA", "EXPLAIN", "SAVEPOINT", "RELEASE", "ROLLBACK"}
)


def _takes_write_lock(statement: str, context: Any) -> bool:
    words = statement.lstrip().split(None, 1)
    if not words or words[0].upper() not in _READ_VERBS:
        return True
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def _sqlite_begin(conn: Connection) -> None:
    conn.info[_TXN] = "pending"  # SQLite's transaction begins with the first statement


def _sqlite_end(conn: Connection) -> None:
    conn.info.pop(_TXN, None)


def _sqlite_statement(
    conn: Connection,
    cursor: Any,
    statement: str,
    _parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    state = conn.info.get(_TXN)
    if state not in ("pending", "read"):
        return
    write = _takes_write_lock(statement, context)
    raw = cursor.connection
    if state == "pending" and not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    elif write and not conn.in_nested_transaction():
        raw.execute("COMMIT")  # the read ends (it wrote nothing) ...
        raw.execute("BEGIN IMMEDIATE")  # ... and the write begins holding the lock
    # Inside a savepoint a read cannot be restarted: SQLite upgrades it in place. Only the
    # test harness (one connection, a savepoint per commit) writes inside a read like that.
    conn.info[_TXN] = "write" if write else "read"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        in_memory = not parsed.database or parsed.database == ":memory:"  # one connection
        pool = {} if in_memory else _pool()
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "commit", _sqlite_end)
        event.listen(engine, "rollback", _sqlite_end)
        event.listen(engine, "before_cursor_execute", _sqlite_statement)
        return engine
    engine = create_engine(url, pool_recycle=RECYCLE_SECONDS, **_pool())
    watch_for_dead_connections(engine)
    begin_at_first_write(engine)
    return engine


# A pooled PostgreSQL connection can die while it waits in the pool: the server restarts, an
# administrator or idle_session_timeout ends its backend, a firewall forgets an idle flow.
# pool_pre_ping found every such case with a "SELECT 1" round trip at each checkout: one more
# round trip on every request, most of a millisecond under load. Instead, at checkout:
# - a backend that ended sent its last words (a FATAL message) and closed the socket, so the
#   socket of an idle connection is readable: one poll() of it, no round trip, finds that;
# - a flow dropped silently (no close reaches us) shows nothing on the socket: a connection
#   idle for IDLE_PING_SECONDS or more is pinged first (quiet times only, when it is free);
# - pool_recycle replaces every connection after RECYCLE_SECONDS, before such a drop.
# Either check failing raises DisconnectionError, on which the pool replaces the connection
# and the request carries on with a new one (tests/test_db_connections.py).
IDLE_PING_SECONDS = 60
RECYCLE_SECONDS = 1800
_CHECKED_IN_AT = "think_child.checked_in_at"


def socket_has_news(fileno: int) -> bool:
    """True when an idle connection's socket is readable or closed: nothing should arrive on
    it between requests, so the server has spoken (most likely to say goodbye) or hung up."""
    poller = select.poll()
    poller.register(fileno, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


def watch_for_dead_connections(engine: Engine) -> None:
    def checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if dbapi_connection.closed:
            raise DisconnectionError("the pooled connection was closed")
        idle = time.monotonic() - record.info.pop(_CHECKED_IN_AT, time.monotonic())
        if idle < IDLE_PING_SECONDS and not socket_has_news(dbapi_connection.fileno()):
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the pooled connection was lost") from error
        if not alive:
            raise DisconnectionError("the pooled connection was lost")

    event.listen(engine, "checkin", checkin)
    event.listen(engine, "checkout", checkout)


def _pool() -> dict[str, int]:
    """One connection for each request thread, a few more, and a bounded wait: with fewer
    connections than threads, threads waiting for a connection can starve the thread that would
    give one back (a session's teardown runs in the same thread pool). On PostgreSQL, keep
    (web_threads + db_pool_extra) x server processes under ``max_connections``."""
    s = get_settings()
    return {
        "pool_size": s.web_threads,
        "max_overflow": s.db_pool_extra,
        "pool_timeout": s.db_pool_timeout_seconds,
    }


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


async def get_session() -> AsyncIterator[Session]:
    """The request's session. An async dependency on purpose: its closing (which gives the
    connection back) then runs on the event loop as soon as the response is done, not in the
    thread pool, where it would wait for a thread while every thread waits for a connection
    (200 officers at once: pool timeouts and 500s). Closing is a rollback of nothing: quick."""
    with Session(get_engine()) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def end_read(session: Session) -> None:
    """End the session's transaction before slow work (checking or hashing a password,
    drawing a PDF), so no snapshot, row lock or SQLite lock is held meanwhile. Only for a
    transaction that has read: unsaved changes here are a bug, not something to commit."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("end_read with unsaved changes")
    session.commit()
