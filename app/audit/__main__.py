"""`python -m app.audit verify`: check the audit log's hash chain; exit 1 if it was altered."""

from __future__ import annotations

import argparse
import sys

from sqlmodel import Session

from app.audit import service
from app.db import get_engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.audit")
    parser.add_argument("command", choices=["verify"])
    parser.parse_args(argv)
    with Session(get_engine()) as session:
        report = service.verify(session=session)
    if report.ok:
        print(f"Audit log complete and unaltered: {report.checked} entries checked.")
        return 0
    print(
        f"AUDIT LOG ALTERED: entry {report.broken_at} does not match the entries before it "
        f"({report.checked} checked). Report this to your information security officer."
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
