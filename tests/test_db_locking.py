"""Database locking as requests see it: on SQLite a read takes no write lock, a write waits for
the lock instead of failing, a supervisor's PDF download never holds up an officer's autosave
(on both databases), and commits are durable (synchronous=FULL).

These need commits that other connections see: each test has a database of its own.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.audit import service as audit
from app.config import get_settings
from app.db import get_session, make_engine
from app.main import app
from app.referrals import document_pdf
from tests.checklist.builders import complete_answers
from tests.checklist.test_flow import start
from tests.checklist.test_flow_save import post_page
from tests.factories import PASSWORD, make_referral, make_team, make_user
from tests.helpers import Browserless, migrate

pytestmark = pytest.mark.db


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "own.db"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    eng.dispose()
    yield path


@contextmanager
def serve(eng: Engine) -> Iterator[None]:
    """Requests use sessions of ``eng``, each its own connection, as the app runs for real."""

    def own_session() -> Iterator[Session]:
        with Session(eng) as s:
            yield s

    app.dependency_overrides[get_session] = own_session
    try:
        yield
    finally:
        app.dependency_overrides.clear()


def signed_in(username: str) -> Browserless:
    client = Browserless(app)
    client.__enter__()
    client.log_in(username, PASSWORD)
    return client


@pytest.fixture(autouse=True)
def own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(get_settings(), "pdf_cache_dir", str(tmp_path / "pdf-cache"))


def test_a_new_sqlite_connection_is_durable(sqlite_path: Path) -> None:
    eng = make_engine(f"sqlite:///{sqlite_path}")
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    eng.dispose()


def test_a_page_answers_while_another_connection_holds_the_write_lock(
    sqlite_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "session_touch_seconds", 3600)  # a read-only request
    eng = make_engine(f"sqlite:///{sqlite_path}")
    with Session(eng) as s:
        officer = make_user(s, roles=["officer"], team=make_team(s)).username
    with serve(eng):
        client = signed_in(officer)
        writer = sqlite3.connect(sqlite_path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another request in the middle of a long write
        try:
            started = time.monotonic()
            response = client.get("/incidents")
            elapsed = time.monotonic() - started
        finally:
            writer.execute("ROLLBACK")
            writer.close()
            client.__exit__(None, None, None)
        assert response.status_code == 200
        assert elapsed < 1  # it did not wait for the lock (busy_timeout is 5 s)
    eng.dispose()


def test_a_write_after_a_read_waits_for_the_lock_instead_of_failing(sqlite_path: Path) -> None:
    eng = make_engine(f"sqlite:///{sqlite_path}")
    writer = sqlite3.connect(sqlite_path, isolation_level=None, check_same_thread=False)
    with Session(eng) as s:
        s.exec(text("SELECT count(*) FROM audit_event"))  # type: ignore[call-overload]
        writer.execute("BEGIN IMMEDIATE")  # another writer takes the lock after our read
        writer.execute("CREATE TABLE scratch (x)")
        release = threading.Timer(0.5, writer.execute, args=("COMMIT",))
        release.start()
        # An upgrade in place would fail at once with "database is locked"; this waits.
        audit.record(session=s, action="test.write_after_read")
        s.commit()
        release.join()
    writer.close()
    eng.dispose()


def test_a_pdf_download_never_holds_up_an_autosave(
    fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(fresh_engine) as s:
        team = make_team(s)
        author = make_user(s, roles=["officer"], team=team)
        reference = make_referral(s, author, answers=complete_answers()).reference
        supervisor = make_user(s, roles=["supervisor"], supervises=[team]).username
        officer = make_user(s, roles=["officer"], team=team).username

    drawing = threading.Event()
    real_html = document_pdf.html

    def slow_html(doc: Any) -> str:  # drawing a long referral
        drawing.set()
        time.sleep(2)
        return real_html(doc)

    monkeypatch.setattr(document_pdf, "html", slow_html)
    with serve(fresh_engine):
        reader, writer = signed_in(supervisor), signed_in(officer)
        url = f"/incidents/{start(writer)}/s/incident/1"
        got: dict[str, Any] = {}
        download = threading.Thread(
            target=lambda: got.update(pdf=reader.get(f"/referrals/{reference}/document.pdf"))
        )
        try:
            download.start()
            assert drawing.wait(10)
            started = time.monotonic()
            saved = post_page(writer, url, {"incident.log_ref": "INC-7"}, autosave=True)
            elapsed = time.monotonic() - started
            download.join(30)
        finally:
            reader.__exit__(None, None, None)
            writer.__exit__(None, None, None)
        assert saved.status_code == 200, saved.text[:500]
        assert "Saved at " in saved.text
        assert "database is locked" not in saved.text
        assert elapsed < 1, f"the autosave waited {elapsed:.1f} s for the PDF"
        assert got["pdf"].status_code == 200
        assert got["pdf"].content.startswith(b"%PDF")


def test_every_request_thread_can_have_a_connection(tmp_path: Path) -> None:
    """With fewer connections than request threads, threads waiting for a connection starve the
    thread that would give one back (a session's teardown runs in the same pool): under 200
    officers that was 500s and 30 s timeouts. The pool holds one per thread, and a few more."""
    import anyio.to_thread
    from fastapi.testclient import TestClient

    from app.config import get_settings
    from app.main import create_app

    settings = get_settings()
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    assert engine.pool.size() == settings.web_threads  # type: ignore[attr-defined]
    assert engine.pool._max_overflow == settings.db_pool_extra  # type: ignore[attr-defined]

    async def request_threads() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    with TestClient(create_app()) as client:  # the app's start sets the threads to match
        assert client.portal is not None
        assert client.portal.call(request_threads) == settings.web_threads
    engine.dispose()
