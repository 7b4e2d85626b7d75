"""Bytes over the wire for the first load and a later visit of the officer's screens and the
review queue (not a test; tests/test_page_weight.py holds the limits), Brotli as phones get it.

    .venv/bin/python bench/bench_weight.py [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = Path(tempfile.mkdtemp(prefix="thinkchild-weight-"))
os.environ.update(
    ENVIRONMENT="test",
    DATABASE_URL=f"sqlite:///{_tmp / 'w.db'}",
    ARGON2_MEMORY_KIB="64",
    ARGON2_TIME_COST="1",
)

from harness import machine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.accounts.models import Role, SecondFactorRule  # noqa: E402
from app.db import get_engine  # noqa: E402
from app.main import app  # noqa: E402
from tests.factories import PASSWORD, make_team, make_user  # noqa: E402
from tests.helpers import Browserless, migrate  # noqa: E402
from tests.test_page_weight import _officer_screens, first_load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json")
    args = parser.parse_args()
    migrate(get_engine())
    with Session(get_engine()) as s:
        # No second factor for the bench's users (the product requires one for supervisors).
        s.add_all(SecondFactorRule(role=role, required=False) for role in Role)
        team = make_team(s)
        officer = make_user(s, roles=["officer"], team=team).username
        boss = make_user(s, roles=["supervisor"], supervises=[team]).username
    screens: dict[str, tuple[int, int]] = {}
    client = Browserless(app)
    client.log_in(officer, PASSWORD)
    names = ["incidents list", "a checklist screen", "check your answers (4 children)"]
    for name, url in zip(names, _officer_screens(client), strict=True):
        screens[name] = first_load(client, url, "br")
    supervisor = Browserless(app)
    supervisor.log_in(boss, PASSWORD)
    screens["review queue"] = first_load(supervisor, "/review", "br")
    figures = {"screens": screens, "machine": machine()}
    print(json.dumps(figures, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
