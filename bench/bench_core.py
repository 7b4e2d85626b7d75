"""Prints timings of the hot paths an officer and a supervisor wait for (not a test).

    .venv/bin/python bench/bench_core.py

Targets (a 2-core machine, SQLite): answer engine under 5 ms per save of a full referral;
a screen save under 50 ms; check-your-answers under 100 ms; a PDF of a family of four under
1 s after the first (measured: about 0.7 s).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = Path(tempfile.mkdtemp(prefix="thinkchild-bench-"))
os.environ.update(
    ENVIRONMENT="test",
    DATABASE_URL=f"sqlite:///{_tmp / 'bench.db'}",
    ARGON2_MEMORY_KIB="64",
    ARGON2_TIME_COST="1",
)

from app.checklist import answers as engine  # noqa: E402
from app.checklist import promptset, risk  # noqa: E402
from app.db import get_engine  # noqa: E402
from app.main import app  # noqa: E402
from tests.checklist.builders import complete_answers  # noqa: E402
from tests.helpers import Browserless, migrate  # noqa: E402


def timed(name: str, fn: Callable[[], object], runs: int = 30) -> None:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    p95 = sorted(samples)[int(runs * 0.95) - 1]
    print(f"{name:45s} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    ps = promptset.current()
    answers = complete_answers()
    answers["children"] = answers["children"] * 4  # a family of four
    timed(
        "prune + validate + missing (4 children)",
        lambda: (
            engine.validate_values(ps, engine.prune_hidden(ps, answers)[0]),
            engine.missing_required(ps, answers),
        ),
    )
    timed("risk assessment (4 children)", lambda: risk.assess(answers))

    migrate(get_engine())
    from sqlmodel import Session

    from tests.factories import PASSWORD, make_team, make_user

    with Session(get_engine()) as session:
        team = make_team(session)
        officer = make_user(session, roles=["officer"], team=team)
        name = officer.username
    client = Browserless(app)
    client.log_in(name, PASSWORD)
    headers = {"X-CSRF-Token": client.csrf}
    incident = client.post(
        "/api/v1/incidents", json={"client_uuid": str(uuid.uuid4())}, headers=headers
    ).json()["id"]
    timed(
        "API save of a full referral",
        lambda: client.put(
            f"/api/v1/incidents/{incident}/answers", json={"answers": answers}, headers=headers
        ),
    )
    timed(
        "screen page (GET incident section)",
        lambda: client.get(f"/incidents/{incident}/s/incident/1"),
    )
    timed(
        "screen save (POST, autosave)",
        lambda: client.form(
            f"/incidents/{incident}/s/incident/1",
            {"_present": "incident.log_ref", "incident.log_ref": "LOG-1", "autosave": "1"},
            headers={"HX-Request": "true"},
        ),
    )
    timed("check your answers (4 children)", lambda: client.get(f"/incidents/{incident}/check"))
    reference = client.post(f"/api/v1/incidents/{incident}/submit", headers=headers).json()[
        "reference"
    ]
    timed("referral page for the officer", lambda: client.get(f"/referrals/{reference}"))
    timed("referral JSON", lambda: client.get(f"/referrals/{reference}/document.json"))
    timed("referral PDF", lambda: client.get(f"/referrals/{reference}/document.pdf"), runs=5)


if __name__ == "__main__":
    main()
