"""Account housekeeping from the command line.

python -m app.accounts purge    delete expired sessions and spent sign-in throttle counters
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from sqlmodel import Session

from app.accounts import housekeeping
from app.db import get_engine


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.accounts", description=__doc__)
    parser.add_argument("command", choices=["purge"])
    parser.parse_args(argv)
    with Session(get_engine()) as session:
        purged = housekeeping.purge(session=session)
    print(f"purged {purged.sessions} expired session(s), {purged.throttles} throttle counter(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
