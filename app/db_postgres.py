"""PostgreSQL transactions: reads outside a transaction block, a transaction from the first write.

psycopg opens a transaction block with a ``BEGIN`` of its own (one more round trip) before a
transaction's first statement, and a request that only read ends it with ``ROLLBACK`` (one
more). That ``ROLLBACK`` also makes psycopg forget every statement it had prepared on the
connection, so the server parses and plans the session's seven-join query again at every
request. So, as on SQLite (``app/db.py``), the kind of transaction follows its statements:
- each transaction starts with the connection in autocommit: a plain ``SELECT`` runs on its
  own, with no ``BEGIN`` before it and no ``ROLLBACK`` after. Under READ COMMITTED (the
  server's default, used here) each statement of a transaction block sees a snapshot of its own
  anyway and a plain read takes no row lock, so such a read sees and holds what it would have
  in a block;
- any other statement (a write, a ``SELECT ... FOR UPDATE``, ``SET LOCAL``, a ``SAVEPOINT``, a
  ``WITH`` that may write, a ``SELECT`` that calls a function that changes something) first
  leaves autocommit: psycopg sends ``BEGIN`` before it, and it and everything after it up to
  the commit or rollback are one transaction, as before. A read-then-write path already reads
  what it will write with ``.with_for_update()`` (the rule on SQLite too), which begins there.
A connection given an isolation level of its own (``execution_options(isolation_level=...)``,
e.g. ``AUTOCOMMIT`` for ``CREATE DATABASE``) is left as its caller set it.
(tests/test_db_postgres.py; tests/test_db_postgres_tour.py: every page as every role.)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, event

_STATE = "think_child.pg_txn"  # in Connection.info: "read" (autocommit) until the first write

# Words that make a SELECT more than a read: row locks, sequences, advisory locks, settings,
# notifications, large objects, SELECT INTO. A false match costs only a BEGIN.
_MORE_THAN_A_READ = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b|\bINTO\b|\bnextval\b|\bsetval\b"
    r"|\bpg_(?:try_)?advisory|\bset_config\b|\bpg_notify\b|\blo_\w+",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def reads_only(statement: str) -> bool:
    """True for a plain SELECT (built statements come back as the same strings: cached)."""
    return statement.lstrip()[:6].upper() == "SELECT" and not _MORE_THAN_A_READ.search(statement)


def _begin(conn: Connection) -> None:
    conn.info.pop(_STATE, None)  # Connection.info outlives a checkout: nothing carried over
    if "isolation_level" in conn.get_execution_options():
        return  # the caller chose this connection's mode
    raw = conn.connection.dbapi_connection
    if raw is None or raw.info.transaction_status != TransactionStatus.IDLE:
        return  # a block is already open: it stays one transaction, as before
    raw.autocommit = True
    conn.info[_STATE] = "read"


def _end(conn: Connection) -> None:
    conn.info.pop(_STATE, None)


def _statement(
    conn: Connection,
    cursor: Any,
    statement: str,
    _parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    if conn.info.get(_STATE) != "read":
        return
    streams = context is not None and context.execution_options.get("stream_results", False)
    if reads_only(statement) and not streams:
        return
    cursor.connection.autocommit = False  # psycopg sends BEGIN before this statement
    conn.info[_STATE] = "write"


def begin_at_first_write(engine: Engine) -> None:
    event.listen(engine, "begin", _begin)
    event.listen(engine, "commit", _end)
    event.listen(engine, "rollback", _end)
    event.listen(engine, "before_cursor_execute", _statement)
