"""The supervisor's queue and the coach's dashboard with many incidents (not a test): time per
query at each size, without and with the indexes of migration ``perf2_scale_indexes``.

    .venv/bin/python bench/bench_scale.py [--sizes 100000,1000000] [--json out.json]
    bash scripts/with-postgres.sh .venv/bin/python bench/bench_scale.py --postgres

Rows go in with SQL in batches (not through the services): 24 teams of 12 officers, incidents
spread evenly over two years; 70% submitted (a referral, its first version and, once more than
two days old, a supervisor's decision), 20% drafts, 10% closed with no child. Grades: 10% high,
30% medium, the rest standard. Each figure is the median of a few calls of the service function
the page calls (``review.queue.queue``, ``coaching.dashboard.build``), in one process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENVIRONMENT", "development")

from harness import machine  # noqa: E402
from sqlalchemy import Engine, Index, insert, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

TEAMS, OFFICERS = 24, 12
BATCH = 5000
DAYS = 730
REPEAT = 3
# Added by migration 20261201_perf2_scale_indexes; dropped for the "before" figures.
SCALE_INDEXES = (
    "ix_incident_team_id_created_at",
    "ix_referral_team_id_status_submitted_at",
    "ix_referral_team_id_created_at",
)


def _indexes() -> list[Index]:
    from app.checklist.models import Incident
    from app.referrals.models import Referral

    tables = (Incident.__table__, Referral.__table__)  # type: ignore[attr-defined]
    named = {i.name: i for t in tables for i in t.indexes}
    return [named[n] for n in SCALE_INDEXES]


def build(engine: Engine, size: int, seed: int = 13) -> dict[str, Any]:
    """Teams, officers and ``size`` incidents with their referrals; returns the ids to query."""
    from app.accounts.models import Team, User
    from app.checklist import promptset
    from app.checklist.models import Incident
    from app.referrals.models import Referral, ReferralVersion, ReviewDecision
    from tests.checklist.builders import complete_answers
    from tests.checklist.builders_v2 import complete_answers_v2

    version = promptset.current().version
    answers = complete_answers() if version == 1 else complete_answers_v2()
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    teams = [uuid.uuid4() for _ in range(TEAMS)]
    officers = {t: [uuid.uuid4() for _ in range(OFFICERS)] for t in teams}
    boss = uuid.uuid4()
    people = [o for t in teams for o in officers[t]] + [boss]
    with Session(engine) as s:  # a few rows: through the models, for their defaults
        s.add_all(Team(id=t, name=f"Team {i:02}") for i, t in enumerate(teams))
        s.flush()
        s.add_all(
            User(
                id=u,
                username=f"u{u.hex[:12]}",
                display_name=f"Officer {u.hex[:6]}",
                password_hash="not-a-hash",
            )
            for u in people
        )
        s.commit()
    made = 0
    while made < size:
        rows: dict[str, list[dict[str, Any]]] = {"i": [], "r": [], "v": [], "d": []}
        for n in range(made, min(size, made + BATCH)):
            team = rnd.choice(teams)
            officer = rnd.choice(officers[team])
            at = now - timedelta(seconds=rnd.uniform(0, DAYS * 86400))
            roll = rnd.random()
            status = "submitted" if roll < 0.7 else "draft" if roll < 0.9 else "no_child_identified"
            iid = uuid.uuid4()
            ref = f"TC-B-{n:08d}"
            rows["i"].append(
                {
                    "id": iid,
                    "client_uuid": uuid.uuid4(),
                    "officer_id": officer,
                    "team_id": team,
                    "prompt_set_version": version,
                    "answers": answers if status != "draft" else {},
                    "status": status,
                    "revision": 3,
                    "reference": ref if status == "submitted" else None,
                    "created_at": at,
                    "updated_at": at,
                }
            )
            if status != "submitted":
                continue
            sent = at + timedelta(minutes=rnd.uniform(20, 300))
            grade = rnd.choices(["high", "medium", "standard"], [1, 3, 6])[0]
            waiting = now - sent < timedelta(days=2)
            rid = uuid.uuid4()
            rows["r"].append(
                {
                    "id": rid,
                    "incident_id": iid,
                    "reference": ref,
                    "officer_id": officer,
                    "team_id": team,
                    "status": "submitted" if waiting else "sent",
                    "grade": grade,
                    "created_at": sent,
                    "submitted_at": sent,
                    "updated_at": sent,
                }
            )
            rows["v"].append(
                {
                    "id": uuid.uuid4(),
                    "referral_id": rid,
                    "version": 1,
                    "prompt_set_version": version,
                    "answers": answers,
                    "suggested_grade": grade,
                    "reasons": [],
                    "officer_grade": grade,
                    "submitted_by": officer,
                    "submitted_at": sent,
                }
            )
            if not waiting:
                decided = sent + timedelta(minutes=rnd.uniform(10, 1500))
                rows["d"].append(
                    {
                        "id": uuid.uuid4(),
                        "referral_id": rid,
                        "version": 1,
                        "kind": "approved",
                        "actor_id": boss,
                        "at": decided,
                        "comment": "Agree",
                        "updated_at": decided,
                    }
                )
        with engine.begin() as c:
            c.execute(insert(Incident), rows["i"])
            if rows["r"]:
                c.execute(insert(Referral), rows["r"])
                c.execute(insert(ReferralVersion), rows["v"])
            if rows["d"]:
                c.execute(insert(ReviewDecision), rows["d"])
        made += BATCH
    return {"teams": teams, "boss": boss}


def _median_ms(call: Callable[[], object]) -> float:
    call()  # warm the caches (database pages, prompt set)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def measure(engine: Engine, ids: dict[str, Any]) -> dict[str, float]:
    from app.accounts.models import Team
    from app.coaching import dashboard
    from app.coaching.models import ScopeKind
    from app.coaching.scope import Period, Scope
    from app.review import queue as review

    today = datetime.now(UTC).date()
    supervises = frozenset(ids["teams"][:2])
    coached = frozenset(ids["teams"][:4])
    boss: Any = type("Supervisor", (), {"supervises": supervises})()
    out: dict[str, float] = {}
    with Session(engine) as s:
        teams = list(s.exec(select(Team).where(Team.id.in_(coached))))  # type: ignore[attr-defined]

        def queue(status: str, page: int) -> Callable[[], object]:
            filters = review.Filters(status=status)
            return lambda: review.queue(session=s, supervisor=boss, filters=filters, page=page)

        def board(days: int, scope: frozenset[uuid.UUID]) -> Callable[[], object]:
            period = Period("custom", today - timedelta(days=days - 1), today)
            kind = ScopeKind.FORCE if len(scope) > 1 else ScopeKind.TEAM
            return lambda: dashboard.build(
                session=s,
                scope=Scope(kind, scope),
                period=period,
                teams=teams,
                now=datetime.now(UTC),
            )

        out["queue, waiting (2 teams)"] = _median_ms(queue("submitted", 1))
        out["queue, every status, page 1"] = _median_ms(queue("", 1))
        out["queue, every status, page 50"] = _median_ms(queue("", 50))
        out["waiting count (header badge)"] = _median_ms(
            lambda: review.count_waiting(session=s, supervisor=boss)
        )
        out["dashboard, 7 days, 4 teams"] = _median_ms(board(7, coached))
        out["dashboard, 30 days, 4 teams"] = _median_ms(board(30, coached))
        out["dashboard, 365 days, 1 team"] = _median_ms(board(365, frozenset(ids["teams"][:1])))
    return out


def analyse(engine: Engine) -> None:
    with engine.begin() as c:
        c.execute(text("ANALYZE"))


def run(url: str, size: int) -> dict[str, Any]:
    from app.db import make_engine
    from tests.helpers import migrate

    engine = make_engine(url)
    migrate(engine)
    start = time.perf_counter()
    ids = build(engine, size)
    built = round(time.perf_counter() - start, 1)
    indexes = _indexes()
    with engine.begin() as c:
        for index in indexes:
            index.drop(c)
    analyse(engine)
    before = measure(engine, ids)
    with engine.begin() as c:
        for index in indexes:
            index.create(c)
    analyse(engine)
    after = measure(engine, ids)
    engine.dispose()
    return {"size": size, "build_s": built, "before_ms": before, "after_ms": after}


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL (PostgreSQL)")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="thinkchild-scale-"))
    runs = []
    for size in (int(s) for s in args.sizes.split(",")):
        if args.postgres:
            url = os.environ["DATABASE_URL"]
            _reset_postgres(url)
        else:
            url = f"sqlite:///{tmp / f'scale-{size}.db'}"
        found = run(url, size)
        print(json.dumps(found, indent=1), flush=True)
        runs.append(found)
        if not args.postgres:
            (tmp / f"scale-{size}.db").unlink()
    figures = {
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "runs": runs,
        "machine": machine(),
    }
    if args.json:
        Path(args.json).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
