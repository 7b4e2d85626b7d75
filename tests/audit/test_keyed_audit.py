"""The keyed chain: a rechain without AUDIT_KEY fails, an old unkeyed log is sealed by the first
keyed entry, the anchor catches a log cut short, and checks go on from the last checkpoint."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, col, select

from app.audit import chain, service, verification
from app.audit.models import AuditCheckpoint, AuditEvent
from app.config import DEVELOPMENT_SECRET_KEY, Environment, Settings, get_settings
from tests.helpers import ROOT


def _add(engine: Engine, n: int) -> None:
    with Session(engine) as s:
        for i in range(n):
            service.record(session=s, action="test.event", detail={"i": i})
        s.commit()


def _rows(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).order_by(col(AuditEvent.seq))))


def _behind_the_apps_back(engine: Engine, *statements: str) -> None:
    """What someone with the database's owner rights can do: drop the triggers and write."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_event_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_event_no_delete"))
        for statement in statements:
            conn.execute(text(statement))


def _rechain(engine: Engine, key: bytes) -> None:
    """Recompute every entry's hash in order with the app's own function and `key`."""
    prev = ""
    for row in _rows(engine):
        row.prev_hash = prev
        new = chain.digest(row, key=key)
        _behind_the_apps_back(
            engine,
            f"UPDATE audit_event SET prev_hash = '{prev}', hash = '{new}' WHERE seq = {row.seq}",
        )
        prev = new
    _behind_the_apps_back(engine, f"UPDATE audit_head SET last_hash = '{prev}'")


@pytest.fixture
def anchor_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "anchors.jsonl"
    monkeypatch.setattr(get_settings(), "audit_anchor_file", str(path))
    yield path


def test_delete_and_rechain_without_the_key_fails(fresh_engine: Engine) -> None:
    _add(fresh_engine, 4)
    with Session(fresh_engine) as s:
        assert verification.verify(session=s).ok
    _behind_the_apps_back(
        fresh_engine,
        "DELETE FROM audit_event WHERE seq = 2",
        "UPDATE audit_event SET seq = seq - 1 WHERE seq > 2",
    )
    _rechain(fresh_engine, key=b"a key that is not the app's")
    rows = _rows(fresh_engine)
    # The rechain is consistent: checked with the forger's key, it would pass ...
    assert chain.verify_chain(rows, key=b"a key that is not the app's").ok
    # ... but not with the app's key.
    with Session(fresh_engine) as s:
        report = verification.verify(session=s)
    assert not report.ok and report.broken_at == 1


def test_a_plain_sha256_log_is_sealed_by_the_first_keyed_entry(fresh_engine: Engine) -> None:
    """Entries from before the key (plain SHA-256) still verify; the first keyed entry covers
    them, and an unkeyed entry after a keyed one is refused."""
    with fresh_engine.begin() as conn:  # as the previous version of the app wrote them
        prev = ""
        for seq in (1, 2):
            entry = AuditEvent(seq=seq, action="old.event", prev_hash=prev, keyed=False)
            entry.hash = chain.legacy_digest(entry)
            row = entry.model_dump()
            conn.execute(AuditEvent.__table__.insert().values(**row))  # type: ignore[attr-defined]
            prev = entry.hash
        conn.execute(
            text(f"INSERT INTO audit_head (id, last_hash, last_seq) VALUES (1, '{prev}', 2)")
        )
    _add(fresh_engine, 2)
    rows = _rows(fresh_engine)
    assert [r.keyed for r in rows] == [False, False, True, True]
    assert chain.verify_chain(rows).ok
    late = AuditEvent.model_validate(rows[3].model_dump())
    late.keyed, late.hash = False, chain.legacy_digest(late)
    assert chain.verify_chain([*rows[:3], late]).broken_at == 4
    changed = AuditEvent.model_validate(rows[0].model_dump())
    changed.actor_name = "someone else"
    changed.hash = chain.legacy_digest(changed)  # rehashed: the next entry's prev no longer fits
    assert chain.verify_chain([changed, *rows[1:]]).broken_at == 2


def test_truncation_is_caught_through_the_anchor(fresh_engine: Engine, anchor_file: Path) -> None:
    from app.audit import __main__ as cli

    _add(fresh_engine, 4)
    with Session(fresh_engine) as s:
        assert cli._anchor(s, to_syslog=False) == 0
    assert '"seq":4' in anchor_file.read_text()
    with Session(fresh_engine) as s:
        assert verification.verify(session=s).ok
    # Cut the log back to entry 2: its chain is still sound, so only the anchor tells.
    last = _rows(fresh_engine)[1].hash
    _behind_the_apps_back(
        fresh_engine,
        "DELETE FROM audit_event WHERE seq > 2",
        f"UPDATE audit_head SET last_seq = 2, last_hash = '{last}'",
    )
    with Session(fresh_engine) as s:
        report = verification.verify(session=s)
    assert report.broken_at is None and report.anchor_problem == "missing:4"
    assert not report.ok
    with Session(fresh_engine) as s:
        assert verification.verify_incremental(session=s).anchor_problem == "missing:4"


def test_verify_goes_on_from_the_checkpoint(fresh_engine: Engine) -> None:
    _add(fresh_engine, 3)
    with Session(fresh_engine) as s:
        assert verification.verify_incremental(session=s).checked == 3
        point = s.get(AuditCheckpoint, 1)
        assert point is not None and point.seq == 3
    _add(fresh_engine, 2)
    with Session(fresh_engine) as s:
        report = verification.verify_incremental(session=s)
    assert report.ok and report.checked == 2  # only the new ones were hashed
    # An earlier entry deleted and the rest rechained changes the checkpoint's entry: caught.
    _behind_the_apps_back(fresh_engine, "DELETE FROM audit_event WHERE seq = 2")
    _rechain(fresh_engine, key=get_settings().audit_hmac_key)
    with Session(fresh_engine) as s:
        assert verification.verify_incremental(session=s).broken_at == 5


def test_the_database_refuses_truncate(session: Session) -> None:
    service.record(session=session, action="test.event")
    session.commit()
    statement = (
        "TRUNCATE audit_event"
        if session.get_bind().dialect.name == "postgresql"
        else "DELETE FROM audit_event"  # SQLite has no TRUNCATE: its truncate is this DELETE
    )
    nested = session.begin_nested()
    with pytest.raises(DatabaseError):
        session.connection().execute(text(statement))
    nested.rollback()


def _production(**extra: str) -> Settings:
    return Settings(
        environment=Environment.PRODUCTION,
        secret_key="s" * 40,  # type: ignore[arg-type]
        _env_file=None,  # type: ignore[call-arg]
        **extra,  # type: ignore[arg-type]
    )


def test_production_refuses_to_start_without_an_audit_key(tmp_path: Path) -> None:
    assert DEVELOPMENT_SECRET_KEY
    with pytest.raises(ValidationError, match="AUDIT_KEY"):
        _production()
    with pytest.raises(ValidationError, match="AUDIT_KEY"):
        _production(audit_key="short")
    key_file = tmp_path / "audit.key"
    key_file.write_text("k" * 40 + "\n")
    assert _production(audit_key_file=str(key_file)).audit_hmac_key == b"k" * 40
    with pytest.raises(ValidationError, match="AUDIT_KEY_FILE"):
        _production(audit_key_file=str(tmp_path / "missing"))


def test_anchor_command_needs_a_file(fresh_engine: Engine, fresh_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AUDIT_ANCHOR_FILE"}
    done = subprocess.run(
        [sys.executable, "-m", "app.audit", "anchor"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": fresh_url},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "AUDIT_ANCHOR_FILE" in done.stdout
