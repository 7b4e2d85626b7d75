"""Checking the stored log: in full, or on from the last verified checkpoint, and against the
latest anchor (the head written outside the database by `python -m app.audit anchor`), so that
a log cut short or rolled back to an old backup is caught even though its chain is intact."""

from __future__ import annotations

import dataclasses

from sqlmodel import Session, col, select

from app.audit import anchors
from app.audit.chain import ChainReport, Cursor, verify_chain
from app.audit.models import AuditCheckpoint, AuditEvent
from app.audit.rows import locked_singleton
from app.models_base import utcnow


def _check_from(session: Session, start: Cursor, chunk: int) -> ChainReport:
    """``chunk`` entries a transaction: each read is short and ends before the next, so a long
    log holds no snapshot or lock for long and blocks no writer (entries appended meanwhile are
    checked too). Each chunk's transaction is ended with a commit: call with nothing unsaved."""
    report = ChainReport(checked=0, broken_at=None, last=start)
    while True:
        query = (
            select(AuditEvent)
            .where(col(AuditEvent.seq) > report.last.seq)
            .order_by(col(AuditEvent.seq))
            .limit(chunk)
        )
        entries = list(session.exec(query))
        report = verify_chain(entries, report.last, report.checked)
        for entry in entries:
            session.expunge(entry)  # checked: keep nothing of them in the session
        session.commit()
        if not report.ok or len(entries) < chunk:
            return report


def _against_anchor(session: Session, report: ChainReport) -> ChainReport:
    try:
        anchor = anchors.latest()
    except (OSError, ValueError, KeyError):
        return dataclasses.replace(report, anchor_problem="unreadable")
    if anchor is None or not report.ok or anchor.seq == 0:
        return report
    stored = session.exec(select(AuditEvent.hash).where(AuditEvent.seq == anchor.seq)).first()
    session.commit()
    if stored is None or stored != anchor.hash:
        problem = "missing" if stored is None else "different"
        return dataclasses.replace(report, anchor_problem=f"{problem}:{anchor.seq}")
    return report


def verify(*, session: Session, chunk: int = 500) -> ChainReport:
    """Check the whole log from its first entry, then against the latest anchor."""
    return _against_anchor(session, _check_from(session, Cursor(), chunk))


def verify_incremental(*, session: Session, chunk: int = 500) -> ChainReport:
    """Check only the entries after the last verified checkpoint (and that the checkpoint's
    entry is still there, unchanged), then against the anchor; a sound result moves the
    checkpoint on. `checked` counts the new entries only."""
    point = session.get(AuditCheckpoint, 1)
    start = Cursor()
    if point is not None and point.seq > 0:
        entry = session.get(AuditEvent, point.seq)
        if entry is None or entry.hash != point.hash:
            session.commit()
            return ChainReport(checked=0, broken_at=point.seq)
        start = Cursor(seq=entry.seq or 0, hash=entry.hash, keyed=entry.keyed)
        session.expunge(entry)
    session.commit()
    report = _against_anchor(session, _check_from(session, start, chunk))
    if report.ok and report.last.seq > start.seq:
        _advance(session, report.last)
    return report


def _advance(session: Session, to: Cursor) -> None:
    point = locked_singleton(session, AuditCheckpoint, seq=0, hash="")
    if to.seq > point.seq:  # two checks at once: the further one wins
        point.seq, point.hash, point.at = to.seq, to.hash, utcnow()
        session.add(point)
    session.commit()
