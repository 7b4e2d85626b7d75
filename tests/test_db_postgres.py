"""PostgreSQL transactions (app/db_postgres.py): a request that only reads sends no BEGIN and no
ROLLBACK (its reads run on their own); a write begins a transaction, and everything from it to
the commit is one transaction, so a failure part way loses all of it, never half.

What goes over the wire is seen at psycopg: each SQL statement, whether the connection was in a
transaction block for it, and every transaction command psycopg sends of its own (BEGIN,
COMMIT, ROLLBACK). Each test has a database of its own (requests use their own connections).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.accounts.models import Team
from app.audit.models import AuditEvent
from app.checklist.models import Incident
from app.config import get_settings
from app.db_postgres import reads_only
from tests.checklist.test_flow import start
from tests.factories import make_team, make_user
from tests.helpers import Browserless
from tests.test_db_locking import serve, signed_in

pytestmark = pytest.mark.db

Sent = list[tuple[str, str]]  # ("sql", first words + " (in a block)" or " (alone)") or ("tx", cmd)


@contextmanager
def wire(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sent]:
    """What the app sends meanwhile, in order."""
    sent: Sent = []
    postgres = engine.dialect.name == "postgresql"

    def note(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        words = " ".join(statement.split()[:2])
        if postgres:  # the mode this statement ran in
            words += " (alone)" if cursor.connection.autocommit else " (in a block)"
        sent.append(("sql", words))

    real = psycopg.Connection._exec_command

    def command(self: Any, cmd: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(("tx", cmd.decode() if isinstance(cmd, bytes) else str(cmd)))
        return real(self, cmd, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "_exec_command", command)
    event.listen(engine, "after_cursor_execute", note)  # after the BEGIN psycopg sent for it
    try:
        yield sent
    finally:
        event.remove(engine, "after_cursor_execute", note)


@pytest.fixture
def officer(fresh_engine: Engine) -> Iterator[Browserless]:
    with Session(fresh_engine) as s:
        username = make_user(s, roles=["officer"], team=make_team(s)).username
    with serve(fresh_engine):
        client = signed_in(username)
        try:
            yield client
        finally:
            client.__exit__(None, None, None)


@pytest.fixture
def touch_every(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_to(seconds: int) -> None:
        monkeypatch.setattr(get_settings(), "session_touch_seconds", seconds)

    return set_to


def _transaction_commands(sent: Sent) -> list[str]:
    return [what for kind, what in sent if kind == "tx"]


def test_a_screen_that_only_reads_sends_no_begin_and_no_rollback(
    fresh_engine: Engine, officer: Browserless, touch_every: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch_every(3600)  # the session was touched just now: this request writes nothing
    url = f"/incidents/{start(officer)}/s/incident/1"
    officer.get(url)
    for _ in range(2):  # the second time too: nothing is left open by the first
        with wire(fresh_engine, monkeypatch) as sent:
            assert officer.get(url).status_code == 200
        statements = [what for kind, what in sent if kind == "sql"]
        assert len(statements) == 2, sent  # the session with its user; the incident
        assert all(s.startswith("SELECT") for s in statements), sent
        if fresh_engine.dialect.name != "postgresql":
            continue  # SQLite: a deferred read (tests/test_db_locking.py)
        assert _transaction_commands(sent) == [], sent
        assert all(s.endswith("(alone)") for s in statements), sent


def test_the_session_query_stays_prepared_across_screens(
    fresh_engine: Engine, officer: Browserless, touch_every: Any
) -> None:
    """A ROLLBACK made psycopg forget (and deallocate) every prepared statement: with none, the
    server parses and plans the session's query at every request."""
    touch_every(3600)
    url = f"/incidents/{start(officer)}/s/incident/1"
    for _ in range(8):  # psycopg prepares a statement at its sixth run on a connection
        assert officer.get(url).status_code == 200
    if fresh_engine.dialect.name != "postgresql":
        assert fresh_engine.pool.checkedout() == 0  # each request gave its connection back
        return
    with fresh_engine.connect() as conn:  # the pool's one connection: requests came one by one
        assert fresh_engine.pool.checkedin() == 0  # no other connection waits in the pool
        kept = conn.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars()
        assert [s for s in kept if "FROM user_session" in s]


def test_a_screen_that_touches_the_session_writes_in_a_transaction(
    fresh_engine: Engine, officer: Browserless, touch_every: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/incidents/{start(officer)}/s/incident/1"
    touch_every(0)  # a GET that writes: the session's last-seen time
    with wire(fresh_engine, monkeypatch) as sent:
        assert officer.get(url).status_code == 200
    touched = [i for i, (kind, what) in enumerate(sent) if what.startswith("UPDATE user_session")]
    assert len(touched) == 1, sent
    if fresh_engine.dialect.name != "postgresql":
        return
    at = touched[0]
    assert sent[at - 1 : at + 2] == [
        ("tx", "BEGIN"),
        ("sql", "UPDATE user_session (in a block)"),
        ("tx", "COMMIT"),
    ], sent
    assert _transaction_commands(sent) == ["BEGIN", "COMMIT"], sent  # the reads: alone


def test_an_autosave_is_one_transaction_from_its_locked_read_to_its_commit(
    fresh_engine: Engine, officer: Browserless, touch_every: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch_every(3600)
    url = f"/incidents/{start(officer)}/s/incident/1"
    officer.get(url)
    form = {"_present": "incident.log_ref", "incident.log_ref": "LOG-7", "autosave": "1"}
    with wire(fresh_engine, monkeypatch) as sent:
        saved = officer.form(url, form, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and "Saved at" in saved.text
    if fresh_engine.dialect.name != "postgresql":
        return
    begin = sent.index(("tx", "BEGIN"))
    assert sent[begin + 1] == ("sql", "SELECT incident.id, (in a block)"), sent  # FOR UPDATE
    assert sent[-1] == ("tx", "COMMIT"), sent
    assert _transaction_commands(sent) == ["BEGIN", "COMMIT"], sent
    assert all(what.endswith("(alone)") for _, what in sent[:begin]), sent  # the session read
    inside = sent[begin + 1 : -1]
    assert all(kind == "sql" and what.endswith("(in a block)") for kind, what in inside), sent
    writes = {what.split(" (")[0] for _, what in inside if not what.startswith("SELECT")}
    assert {"UPDATE incident", "UPDATE incident_summary", "UPDATE audit_head"} <= writes, sent


def test_a_save_that_fails_part_way_keeps_nothing_of_it(
    fresh_engine: Engine, officer: Browserless, touch_every: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch_every(3600)
    incident_id = uuid.UUID(start(officer))
    url = f"/incidents/{incident_id}/s/incident/1"
    with Session(fresh_engine) as s:
        before = s.get(Incident, incident_id)
        assert before is not None
        revision, entries = before.revision, len(s.exec(select(AuditEvent)).all())

    def broken(*_args: Any, **_kwargs: Any) -> str:
        raise RuntimeError("the audit key went missing")

    # The answers and the incident's summary are written (flushed) before the audit entry's
    # hash is worked out: it fails between writes.
    monkeypatch.setattr("app.audit.service.digest", broken)
    form = {"_present": "incident.log_ref", "incident.log_ref": "LOG-9", "autosave": "1"}
    with wire(fresh_engine, monkeypatch) as sent, pytest.raises(RuntimeError):
        officer.form(url, form, headers={"HX-Request": "true"})
    assert "UPDATE incident" in {what.split(" (")[0] for _, what in sent}, sent  # it was sent
    with Session(fresh_engine) as s:
        after = s.get(Incident, incident_id)
        assert after is not None
        assert after.revision == revision and "incident.log_ref" not in after.answers
        assert len(s.exec(select(AuditEvent)).all()) == entries
    if fresh_engine.dialect.name == "postgresql":
        commands = _transaction_commands(sent)
        assert commands[:2] == ["BEGIN", "ROLLBACK"] and "COMMIT" not in commands, sent


def test_writes_of_a_session_after_its_reads_are_one_transaction(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as s:
        assert s.exec(select(Team)).all() == []  # a read first (alone on PostgreSQL)
        s.add(Team(name="Kept only with the rest"))
        s.flush()
        copy = "INSERT INTO team (id, name, created_at) SELECT id, name, created_at FROM team"
        with pytest.raises(IntegrityError):  # the same id again
            s.execute(text(copy))
        s.rollback()
    with Session(fresh_engine) as s:
        assert s.exec(select(Team)).all() == []


def test_set_local_holds_for_the_rest_of_its_transaction(fresh_engine: Engine) -> None:
    """``SET LOCAL`` (the dashboard turns JIT off) needs a transaction block around it; a
    connection set to AUTOCOMMIT by its caller keeps it."""
    if fresh_engine.dialect.name != "postgresql":
        assert not reads_only("SET LOCAL jit = off")
        return
    with Session(fresh_engine) as s:
        s.execute(text("SELECT 1"))
        s.execute(text("SET LOCAL jit = off"))
        assert s.execute(text("SHOW jit")).scalar() == "off"
        s.commit()
        assert s.execute(text("SHOW jit")).scalar() == "on"
    # A connection its caller gave an isolation level of its own is left as set (here
    # AUTOCOMMIT, as for CREATE DATABASE): the first write does not begin a block.
    with fresh_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("CREATE TABLE scratch (n integer)"))
        conn.execute(text("INSERT INTO scratch VALUES (1)"))
        conn.rollback()  # nothing to roll back: each statement was its own transaction
        assert conn.execute(text("SELECT count(*) FROM scratch")).scalar() == 1


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT incident.id FROM incident WHERE incident.id = %(id)s FOR UPDATE",
        "SELECT 1 FROM incident FOR NO KEY UPDATE",
        "SELECT 1 FROM incident FOR SHARE SKIP LOCKED",
        "SELECT 1 FROM delivery FOR KEY SHARE",
        "SELECT nextval('reference_seq')",
        "SELECT pg_advisory_xact_lock(7)",
        "SELECT pg_try_advisory_xact_lock(7)",
        "SELECT set_config('jit', 'off', true)",
        "SELECT * INTO copy FROM team",
        "WITH added AS (INSERT INTO team VALUES (1)) UPDATE audit_head SET last_hash = 'x'",
        "WITH t AS (SELECT 1) SELECT * FROM t",
        "INSERT INTO team VALUES (1)",
        "UPDATE incident SET revision = 2",
        "DELETE FROM user_session",
        "SAVEPOINT sa_savepoint_1",
        "SET LOCAL jit = off",
        "LOCK TABLE incident",
    ],
)
def test_anything_but_a_plain_select_begins_a_transaction(statement: str) -> None:
    assert not reads_only(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT incident.id, incident.answers FROM incident WHERE incident.id = %(id)s",
        "\n  select count(*) from feedback where feedback.officer_id = %(u)s",
        "SELECT user_session.id FROM user_session LEFT OUTER JOIN app_user ON true",
    ],
)
def test_a_plain_select_runs_alone(statement: str) -> None:
    assert reads_only(statement)


def test_the_words_that_make_a_select_more_than_a_read_are_whole_words() -> None:
    assert reads_only("SELECT forecast, shared_until, intotal FROM updates")
