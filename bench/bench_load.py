"""200 simulated officers for 60 seconds (not a test): each starts an incident, fills it in a few
saves and submits it, again and again, through the JSON API, against uvicorn with 2 workers and
the delivery worker. Then every submitted incident is counted and compared with what was sent.

    .venv/bin/python bench/bench_load.py                                 # SQLite
    bash scripts/with-postgres.sh .venv/bin/python bench/bench_load.py --postgres

Loopback only, bounded (``--seconds``, a timeout per request). An asyncio httpx client: no load
tool among the app's dependencies. Answers are valid for the prompt set the server serves
(``GET /api/v1/prompt-set``): v1 from tests/checklist/builders.py, v2 from builders_v2.py.
Targets: zero errors; every submitted incident present exactly once with every answer.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2 as httpx
from harness import machine, seed_users, serve, sign_in

API = "/api/v1"


def answers_for(version: int) -> dict[str, Any]:
    module = "tests.checklist.builders" if version == 1 else f"tests.checklist.builders_v{version}"
    try:
        builders = importlib.import_module(module)
    except ModuleNotFoundError:
        raise SystemExit(f"the server serves prompt set v{version}: {module} is needed") from None
    build = getattr(
        builders, "complete_answers" if version == 1 else f"complete_answers_v{version}"
    )
    answers: dict[str, Any] = build()
    return answers


def steps(answers: dict[str, Any], parts: int = 4) -> list[dict[str, Any]]:
    """The answers in ``parts`` saves, in screen order, as an officer fills the screens."""
    keys = list(answers)
    size = -(-len(keys) // parts)
    return [{k: answers[k] for k in keys[i : i + size]} for i in range(0, len(keys), size)]


class Officer:
    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str], stats: Stats) -> None:
        self.client = client
        self.headers = headers
        self.stats = stats
        self.submitted: list[tuple[str, str]] = []  # (incident id, client uuid)

    async def call(
        self, kind: str, method: str, url: str, etag: str | None = None, **kwargs: Any
    ) -> httpx.Response | None:
        headers = {**self.headers, **({"If-Match": etag} if etag else {})}
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            self.stats.note(kind, type(exc).__name__, time.perf_counter() - started)
            return None
        self.stats.note(kind, response.status_code, time.perf_counter() - started)
        return response

    async def incident(self, plan: list[dict[str, Any]], think: float) -> None:
        """Start, fill in ``plan``'s saves (each from the revision the last one made), submit."""
        client_uuid = str(uuid.uuid4())
        made = await self.call(
            "start", "POST", f"{API}/incidents", json={"client_uuid": client_uuid}
        )
        if made is None or made.status_code != 201:
            return
        incident = made.json()["id"]
        etag = f'"{made.json()["revision"]}"'
        for part in plan:
            await asyncio.sleep(random.uniform(0, 2 * think))
            url = f"{API}/incidents/{incident}/answers"
            saved = await self.call("save", "PUT", url, etag, json={"answers": part})
            if saved is None or saved.status_code != 200:
                return
            etag = saved.headers["ETag"]
        await asyncio.sleep(random.uniform(0, 2 * think))
        done = await self.call("submit", "POST", f"{API}/incidents/{incident}/submit", etag)
        if done is not None and done.status_code in (200, 201):
            self.submitted.append((incident, client_uuid))


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.outcomes: Counter[str] = Counter()

    def note(self, kind: str, status: int | str, seconds: float) -> None:
        self.latencies.append(seconds * 1000)
        self.outcomes[f"{kind} {status}"] += 1


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def drive(
    base: str, sessions: list[dict[str, str]], seconds: float, think: float
) -> tuple[Stats, list[tuple[str, str]], dict[str, Any], float]:
    stats = Stats()
    limits = httpx.Limits(max_connections=len(sessions), max_keepalive_connections=len(sessions))
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        served = (await client.get(f"{API}/prompt-set", headers=sessions[0])).json()
        answers = answers_for(int(served["version"]))
        plan = steps(answers)
        officers = [Officer(client, headers, stats) for headers in sessions]
        deadline = time.monotonic() + seconds

        async def work(officer: Officer) -> None:
            await asyncio.sleep(random.uniform(0, think))  # not all at the same instant
            while time.monotonic() < deadline:
                await officer.incident(plan, think)

        started = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*(work(o) for o in officers)), timeout=seconds + 180)
        elapsed = time.monotonic() - started
    return stats, [s for o in officers for s in o.submitted], answers, elapsed


def check_stored(
    url: str, submitted: list[tuple[str, str]], answers: dict[str, Any]
) -> dict[str, int]:
    """Every submitted incident present exactly once (by its client uuid), submitted, with
    every answer as sent (list items compared without the ids the server gives them)."""
    from sqlalchemy import text

    from app.db import make_engine
    from tests.checklist.builders import without_ids

    engine = make_engine(url)
    wanted = json.loads(json.dumps(answers))
    found = wrong = missing = 0
    with engine.connect() as conn:
        for incident_id, client_uuid in submitted:
            rows = conn.execute(
                text("SELECT id, status, answers FROM incident WHERE client_uuid = :u"),
                {
                    "u": client_uuid
                    if engine.dialect.name == "postgresql"
                    else uuid.UUID(client_uuid).hex
                },
            ).all()
            if len(rows) != 1:
                missing += 1
                continue
            stored = (
                rows[0].answers
                if isinstance(rows[0].answers, dict)
                else json.loads(rows[0].answers)
            )
            if (
                uuid.UUID(str(rows[0].id)) != uuid.UUID(incident_id)
                or without_ids(stored) != wanted
            ):
                wrong += 1
            else:
                found += 1
        total = conn.execute(text("SELECT count(*) FROM incident")).scalar_one()
    engine.dispose()
    return {
        "submitted": len(submitted),
        "present_once_and_complete": found,
        "missing_or_doubled": missing,
        "wrong": wrong,
        "incidents_in_database": int(total),
    }


def check_rollup(url: str) -> dict[str, Any]:
    """How far behind the worker's roll-up was when the load stopped (incidents still marked),
    how long the dashboard then takes to count them, and that the roll-up then counts every
    incident of a team once."""
    from sqlalchemy import func, select
    from sqlmodel import Session

    from app.checklist import tally
    from app.checklist.models import Incident
    from app.coaching import rollup
    from app.coaching.rollup_tables import daily_tally
    from app.db import make_engine

    engine = make_engine(url)
    with Session(engine) as session:
        left = len(tally.marked(session.connection()))
        started = time.perf_counter()
        rollup.catch_up(session)
        took = time.perf_counter() - started
        rolled = session.execute(select(func.sum(daily_tally.c.incidents))).scalar()
        teamed = select(func.count()).where(Incident.team_id.is_not(None))  # type: ignore[union-attr]
        counted = session.execute(teamed).scalar()
    engine.dispose()
    return {
        "marked_when_the_load_stopped": left,
        "dashboard_catching_up_ms": round(took * 1000, 1),
        "incidents_rolled_up": int(rolled or 0),
        "incidents_of_a_team": int(counted or 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL (PostgreSQL)")
    parser.add_argument("--officers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between saves")
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="thinkchild-load-"))
    url = os.environ["DATABASE_URL"] if args.postgres else f"sqlite:///{tmp / 'bench.db'}"
    names, _ = seed_users(url, officers=args.officers, supervisors=0)
    # Production password hashing; the sign-ins happen before the clock starts (not measured).
    with serve(
        url, tmp, workers=2, with_worker=True, extra_env={"ARGON2_MEMORY_KIB": "19456"}
    ) as server:
        sessions = [sign_in(server.base, name)[0] for name in names]
        stats, submitted, answers, elapsed = asyncio.run(
            drive(server.base, sessions, args.seconds, args.think)
        )
    expected = {"start 201", "save 200", "submit 200", "submit 201"}
    errors = {k: n for k, n in stats.outcomes.items() if k not in expected}
    ordered = sorted(stats.latencies)
    figures: dict[str, Any] = {
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "officers": args.officers,
        "seconds": round(elapsed, 1),
        "requests": len(ordered),
        "throughput_rps": round(len(ordered) / elapsed, 1),
        "incidents_submitted": len(submitted),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(percentile(ordered, 95), 1),
        "p99_ms": round(percentile(ordered, 99), 1),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "outcomes": dict(stats.outcomes),
        "stored": check_stored(url, submitted, answers),
        "coaches_rollup": check_rollup(url),
        "machine": machine(),
    }
    print(json.dumps(figures, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
