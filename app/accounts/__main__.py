"""Accounts from the command line.

python -m app.accounts purge                                  delete expired sessions and spent
                                                              sign-in throttle counters
python -m app.accounts create-admin NAME --password-stdin     make the first administrator (the
                                                              password is read from standard
                                                              input; it must be changed at the
                                                              first sign-in)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sqlmodel import Session

from app.accounts import bootstrap, housekeeping
from app.db import get_engine


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.accounts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["purge", "create-admin"])
    parser.add_argument("name", nargs="?", help="create-admin: the new admin's user name")
    parser.add_argument(
        "--password-stdin", action="store_true", help="create-admin: read the password"
    )
    args = parser.parse_args(argv)
    with Session(get_engine()) as session:
        if args.command == "purge":
            purged = housekeeping.purge(session=session)
            print(
                f"purged {purged.sessions} expired session(s), "
                f"{purged.throttles} throttle counter(s)"
            )
            return 0
        if not args.name or not args.password_stdin:
            print("Usage: python -m app.accounts create-admin NAME --password-stdin")
            return 2
        password = sys.stdin.readline().rstrip("\r\n")
        try:
            user = bootstrap.create_first_admin(
                session=session, username=args.name, password=password
            )
        except bootstrap.AdminNotCreated as refused:
            print(f"No administrator was made. {refused}")
            return 1
        name = user.username
    print(f"Administrator {name} made: they must change the password at first sign-in.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
