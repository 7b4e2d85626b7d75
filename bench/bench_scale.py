"""The supervisor's queue and every view of the coach's dashboard with many incidents (not a
test): time per view at each size.

    .venv/bin/python bench/bench_scale.py [--sizes 10000,100000,1000000] [--json out.json]
    bash scripts/with-postgres.sh .venv/bin/python bench/bench_scale.py --postgres
    .venv/bin/python bench/bench_scale.py --seed 100000 --url sqlite:///data/large.db  # only seed
    .venv/bin/python bench/bench_scale.py --measure sqlite:///data/large.db  # only measure it

Rows go in with SQL in batches (not through the services), each incident with its summary row
(worked out once for each distinct set of answers, as the app's flush hook would), then the
dashboard's daily roll-up is filled from them as its migration does (``rollup_s``): 24 teams of
12 officers, incidents spread evenly over two years; 70% submitted (a referral, its first version
and, once more than two days old, a supervisor's decision), 20% drafts, 10% closed with no child.
Grades: 10% high, 30% medium, the rest standard. Each figure is the median of a few calls of the
function the page calls (``review.queue.queue``, ``coaching.dashboard.build``,
``coaching.listing.drill``, ...), in one process.
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
from sqlalchemy import Engine, event, insert, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

TEAMS, OFFICERS = 24, 12
BATCH = 20000
DAYS = 730
REPEAT = 3


def _no_waiting_for_the_disk(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")  # a bench database: a power cut loses nothing
    cursor.close()


def build(engine: Engine, size: int, seed: int = 13) -> dict[str, Any]:
    if engine.dialect.name != "sqlite":
        return _build(engine, size, seed)
    engine.dispose()
    event.listen(engine, "connect", _no_waiting_for_the_disk)
    try:
        return _build(engine, size, seed)
    finally:
        event.remove(engine, "connect", _no_waiting_for_the_disk)
        engine.dispose()


def _build(engine: Engine, size: int, seed: int) -> dict[str, Any]:
    """Teams, officers and ``size`` incidents with their referrals; returns the ids to query."""
    from app.accounts.models import Team, User
    from app.checklist import promptset
    from app.checklist.facts import normalise_address
    from app.checklist.models import Incident, IncidentSummary
    from app.checklist.tally import summary_values
    from app.referrals.models import Referral, ReferralVersion, ReviewDecision
    from tests.checklist.builders import complete_answers
    from tests.checklist.builders_v2 import complete_answers_v2

    version = promptset.current().version
    answers = complete_answers() if version == 1 else complete_answers_v2()
    summaries = {True: summary_values(version, answers), False: summary_values(version, {})}
    # Addresses repeat (about 20 incidents each over the two years), so a few households have 3
    # or more referrals in 90 days; only the address differs between incidents' summaries.
    streets = max(size // 20, 10)
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
        rows: dict[str, list[dict[str, Any]]] = {"i": [], "s": [], "r": [], "v": [], "d": []}
        for n in range(made, min(size, made + BATCH)):
            team = rnd.choice(teams)
            officer = rnd.choice(officers[team])
            at = now - timedelta(seconds=rnd.uniform(0, DAYS * 86400))
            roll = rnd.random()
            status = "submitted" if roll < 0.7 else "draft" if roll < 0.9 else "no_child_identified"
            iid = uuid.uuid4()
            ref = f"TC-B-{n:08d}"
            address = f"{rnd.randrange(streets)} High Street, Anytown"
            rows["i"].append(
                {
                    "id": iid,
                    "client_uuid": uuid.uuid4(),
                    "officer_id": officer,
                    "team_id": team,
                    "prompt_set_version": version,
                    "answers": {**answers, "incident.address": address}
                    if status != "draft"
                    else {},
                    "status": status,
                    "revision": 3,
                    "reference": ref if status == "submitted" else None,
                    "created_at": at,
                    "updated_at": at,
                }
            )
            summary = summaries[status != "draft"]
            if status != "draft":
                summary = {**summary, "address_key": normalise_address(address)}
            rows["s"].append({"incident_id": iid, **summary})
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
            c.execute(insert(IncidentSummary), rows["s"])
            if rows["r"]:
                c.execute(insert(Referral), rows["r"])
                c.execute(insert(ReferralVersion), rows["v"])
            if rows["d"]:
                c.execute(insert(ReviewDecision), rows["d"])
        made += BATCH
    return {"teams": teams, "boss": boss, "rollup_s": fill_rollup(engine)}


def fill_rollup(engine: Engine) -> float:
    """The rows went in around the ORM (no flush hook): fill the dashboard's roll-up from them,
    as the migration does for incidents stored before it. Returns the seconds it took."""
    from app.coaching.rollup import backfill

    start = time.perf_counter()
    with engine.begin() as c:
        backfill(c)
    return round(time.perf_counter() - start, 1)


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
    from app.coaching import dashboard, figures, listing, quality, rubric, sampling
    from app.coaching.models import ScopeKind
    from app.coaching.scope import Period, Scope
    from app.coaching.tables import to_csv
    from app.review import queue as review

    today = datetime.now(UTC).date()
    supervises = frozenset(ids["teams"][:2])
    coached = frozenset(ids["teams"][:4])
    boss: Any = type("Supervisor", (), {"supervises": supervises})()
    out: dict[str, float] = {}
    with Session(engine) as s:
        teams = list(s.exec(select(Team).where(Team.id.in_(coached))))  # type: ignore[attr-defined]
        four = Scope(ScopeKind.FORCE, coached)
        one = Scope(ScopeKind.TEAM, frozenset(ids["teams"][:1]))

        def days(n: int) -> Period:
            return Period("custom", today - timedelta(days=n - 1), today)

        def queue(status: str, page: int) -> Callable[[], object]:
            filters = review.Filters(status=status)
            return lambda: review.queue(session=s, supervisor=boss, filters=filters, page=page)

        def board(n: int, scope: Scope) -> Callable[[], object]:
            return lambda: dashboard.build(
                session=s, scope=scope, period=days(n), teams=teams, now=datetime.now(UTC)
            )

        def drill(n: int, scope: Scope, figure: str, part: str) -> Callable[[], object]:
            return lambda: listing.drill(
                session=s,
                scope=scope,
                period=days(n),
                figure=figure,
                part=part,
                now=datetime.now(UTC),
                page=1,
            )

        def comparison(n: int) -> object:
            period = days(n)
            rolled = (
                rubric.roll_up(sampling.score_rows(session=s, scope=four, period=period)),
                quality.roll_up(session=s, scope=four, period=period),
            )
            counted = figures.tally(session=s, scope=four, period=period, now=datetime.now(UTC))
            return dashboard.teams_table(counted.by_team, teams, rolled, period)

        def csv(n: int) -> object:
            return to_csv(board(n, four)().tables["figures"])  # type: ignore[attr-defined]

        out["queue, waiting (2 teams)"] = _median_ms(queue("submitted", 1))
        out["queue, every status, page 1"] = _median_ms(queue("", 1))
        out["queue, every status, page 50"] = _median_ms(queue("", 50))
        out["waiting count (header badge)"] = _median_ms(
            lambda: review.count_waiting(session=s, supervisor=boss)
        )
        out["dashboard, 7 days, 4 teams"] = _median_ms(board(7, four))
        out["dashboard, 30 days, 4 teams"] = _median_ms(board(30, four))
        out["dashboard, 365 days, 1 team"] = _median_ms(board(365, one))
        out["dashboard, 365 days, 4 teams"] = _median_ms(board(365, four))
        out["drill-down, referrals, 7 days, 1 team"] = _median_ms(drill(7, one, "referrals", "met"))
        out["drill-down, overdue, 30 days, 4 teams"] = _median_ms(drill(30, four, "overdue", "met"))
        out["drill-down, every incident, 365 days, 1 team"] = _median_ms(
            drill(365, one, "incidents", "met")
        )
        out["children to notice, 30 days, 4 teams"] = _median_ms(
            lambda: dashboard.notice_tables(
                session=s, scope=four, period=days(30), now=datetime.now(UTC)
            )
        )
        out["team comparison, 365 days, 4 teams"] = _median_ms(lambda: comparison(365))
        out["CSV export (figures), 30 days, 4 teams"] = _median_ms(lambda: csv(30))
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
    analyse(engine)
    after = measure(engine, ids)
    engine.dispose()
    return {"size": size, "build_s": built, "rollup_s": ids["rollup_s"], "after_ms": after}


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def seed_only(url: str, size: int) -> None:
    from app.db import make_engine
    from tests.helpers import migrate

    engine = make_engine(url)
    migrate(engine)
    start = time.perf_counter()
    ids = build(engine, size)
    analyse(engine)
    engine.dispose()
    took = time.perf_counter() - start
    print(f"{size:,} incidents in {took:.0f} s; teams {', '.join(str(t) for t in ids['teams'])}")


def measure_seeded(url: str) -> dict[str, Any]:
    """Measure a database seeded before (``--seed``): its teams in the order they were made."""
    from app.accounts.models import Team
    from app.db import make_engine

    engine = make_engine(url)
    with Session(engine) as s:
        teams = list(s.exec(select(Team.id).order_by(Team.name)))
    analyse(engine)
    found = measure(engine, {"teams": teams})
    engine.dispose()
    return {"url": url.split("@")[-1], "after_ms": found}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL (PostgreSQL)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--json", help="write the figures to this file too")
    parser.add_argument("--seed", type=int, help="only seed this many incidents into --url")
    parser.add_argument("--url", help="with --seed: the database (migrated first)")
    parser.add_argument("--measure", metavar="URL", help="only measure a database seeded before")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_seeded(args.measure), indent=1))
        return
    if args.seed:
        seed_only(args.url or os.environ["DATABASE_URL"], args.seed)
        return
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
