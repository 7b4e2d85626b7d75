"""Coaching commands: ``python -m app.coaching create-mash-client NAME`` registers a MASH that
may report outcomes and prints its token once (only the token's SHA-256 is stored)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.coaching import outcomes
from app.db import get_engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.coaching")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-mash-client", help="register a MASH; prints its token")
    create.add_argument("name", help="the MASH's name, for example 'Anytown MASH'")
    args = parser.parse_args(argv)
    name = args.name.strip()
    if not name or len(name) > 100:
        print("Give the MASH a name of 1 to 100 characters.", file=sys.stderr)
        return 2
    with Session(get_engine()) as session:
        try:
            token = outcomes.create_client(session=session, name=name)
        except IntegrityError:
            print(f"A MASH called {name!r} is already registered.", file=sys.stderr)
            return 1
    print(f"MASH {name!r} registered. Its token (shown once, not stored; keep it secret):")
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
