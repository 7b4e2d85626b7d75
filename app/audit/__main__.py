"""The audit log from the command line (exit 1 when the log was altered):

python -m app.audit verify          check the entries after the last verified checkpoint, and
                                    the latest anchor
python -m app.audit verify --full   check every entry from the first (run it nightly)
python -m app.audit anchor          append the chain's head to AUDIT_ANCHOR_FILE (hourly, say)
"""

from __future__ import annotations

import argparse
import sys

from sqlmodel import Session, col, select

from app.audit import anchors, verification
from app.audit.chain import ChainReport
from app.audit.models import AuditEvent
from app.db import get_engine
from app.models_base import utcnow


def _report(report: ChainReport, full: bool) -> int:
    scope = "entries checked" if full else "new entries checked since the last check"
    if report.broken_at is not None:
        print(
            f"AUDIT LOG ALTERED: entry {report.broken_at} does not match the entries before it "
            f"({report.checked} checked). Report this to your information security officer."
        )
        return 1
    if report.anchor_problem is not None:
        problem, _, seq = report.anchor_problem.partition(":")
        reason = {
            "missing": f"entry {seq}, written to the anchor file, is no longer in the log",
            "different": f"entry {seq} is not the one written to the anchor file",
        }.get(problem, "the anchor file cannot be read")
        print(
            f"AUDIT LOG CUT SHORT OR ROLLED BACK: {reason}. "
            "Report this to your information security officer."
        )
        return 1
    print(f"Audit log complete and unaltered: {report.checked} {scope}.")
    return 0


def _anchor(session: Session, to_syslog: bool) -> int:
    head = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    anchor = anchors.Anchor(
        seq=head.seq or 0 if head else 0, hash=head.hash if head else "", at=utcnow()
    )
    try:
        anchors.append(anchor, to_syslog=to_syslog)
    except anchors.AnchorFileMissing:
        print("Set AUDIT_ANCHOR_FILE to the append-only file the anchors go to.")
        return 2
    print(f"Anchored entry {anchor.seq}: {anchor.line()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.audit", description=__doc__)
    parser.add_argument("command", choices=["verify", "anchor"])
    parser.add_argument("--full", action="store_true", help="verify: every entry, from the first")
    parser.add_argument("--syslog", action="store_true", help="anchor: to syslog as well")
    args = parser.parse_args(argv)
    with Session(get_engine()) as session:
        if args.command == "anchor":
            return _anchor(session, args.syslog)
        if args.full:
            return _report(verification.verify(session=session), True)
        return _report(verification.verify_incremental(session=session), False)


if __name__ == "__main__":
    sys.exit(main())
