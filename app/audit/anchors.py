"""Anchors: the chain's head (seq, hash, time) written outside the database, to a file that is
only ever appended to (AUDIT_ANCHOR_FILE, best on another machine or made append-only with
`chattr +a`) and, if asked, to syslog. A log later found without the anchored entry, or with a
different one there, was cut short or rolled back, however sound its chain."""

from __future__ import annotations

import json
import os
import syslog
from dataclasses import dataclass
from datetime import datetime

from app.config import get_settings


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: datetime

    def line(self) -> str:
        fields = {"seq": self.seq, "hash": self.hash, "at": self.at.isoformat()}
        return json.dumps(fields, separators=(",", ":"))


class AnchorFileMissing(Exception):
    """AUDIT_ANCHOR_FILE is not set, so there is nowhere to write the anchor."""


def append(anchor: Anchor, *, to_syslog: bool = False) -> None:
    path = get_settings().audit_anchor_file
    if not path:
        raise AnchorFileMissing()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (anchor.line() + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    if to_syslog:
        syslog.openlog("thinkchild-audit", 0, syslog.LOG_AUTH)
        syslog.syslog(syslog.LOG_NOTICE, "audit anchor " + anchor.line())


def latest() -> Anchor | None:
    """The last anchor in AUDIT_ANCHOR_FILE, or None when there is no file or no anchor yet."""
    path = get_settings().audit_anchor_file
    if not path or not os.path.exists(path):
        return None
    last = ""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                last = line
    if not last:
        return None
    fields = json.loads(last)
    return Anchor(
        seq=int(fields["seq"]), hash=str(fields["hash"]), at=datetime.fromisoformat(fields["at"])
    )
