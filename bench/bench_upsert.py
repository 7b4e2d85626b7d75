"""What one more upsert costs an autosave's transaction (not a test): the save as the app runs
it (read the incident locked, write its answers, commit), with and without an upsert of a
per-incident summary row in the same transaction; medians, interleaved in one run.

    .venv/bin/python bench/bench_upsert.py [--rounds 500]
    bash scripts/with-postgres.sh .venv/bin/python bench/bench_upsert.py --postgres
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from harness import machine, seed_users
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

SUMMARY = Table(
    "bench_incident_summary",
    MetaData(),
    Column("incident_id", String(36), primary_key=True),
    Column("answered", Integer, nullable=False),
    Column("summary", Text, nullable=False),
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL (PostgreSQL)")
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="thinkchild-upsert-"))
    url = os.environ["DATABASE_URL"] if args.postgres else f"sqlite:///{tmp / 'bench.db'}"
    (officer,), _ = seed_users(url, officers=1, supervisors=0)

    from app.accounts.models import User
    from app.checklist.models import Incident
    from app.db import make_engine

    eng = make_engine(url)
    SUMMARY.create(eng, checkfirst=True)
    dialect = postgresql if eng.dialect.name == "postgresql" else sqlite
    with Session(eng) as s:
        user = s.exec(select(User).where(User.username == officer)).one()
        incident = Incident(client_uuid=uuid.uuid4(), officer_id=user[0].id, prompt_set_version=2)
        s.add(incident)
        s.commit()
        incident_id = incident.id

    def save(n: int, *, upsert: bool) -> float:
        started = time.perf_counter()
        with Session(eng) as s:
            query = select(Incident).where(Incident.id == incident_id).with_for_update()
            row = s.exec(query).one()[0]
            answers = {**row.answers, "incident.log_ref": f"LOG-{n}"}
            s.execute(
                update(Incident)
                .where(Incident.id == incident_id)
                .values(answers=answers, revision=row.revision + 1)
            )
            if upsert:
                values = {"incident_id": str(incident_id), "answered": n, "summary": f"{n}"}
                statement = dialect.insert(SUMMARY).values(**values)
                s.execute(
                    statement.on_conflict_do_update(
                        index_elements=["incident_id"],
                        set_={
                            "answered": statement.excluded.answered,
                            "summary": statement.excluded.summary,
                        },
                    )
                )
            s.commit()
        return (time.perf_counter() - started) * 1000

    samples: dict[bool, list[float]] = {False: [], True: []}
    for n in range(args.rounds + 20):  # the first 20 warm up
        for upsert in (False, True):
            took = save(n, upsert=upsert)
            if n >= 20:
                samples[upsert].append(took)
    without, with_ = (statistics.median(samples[k]) for k in (False, True))
    figures = {
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "save_ms": round(without, 3),
        "save_with_upsert_ms": round(with_, 3),
        "upsert_ms": round(with_ - without, 3),
        "rounds": args.rounds,
        "machine": machine(),
    }
    eng.dispose()
    print(json.dumps(figures, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
