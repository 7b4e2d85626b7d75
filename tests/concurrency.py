"""Two people doing the same thing at the same moment: each in a thread of its own, with its own
session, held at a chosen statement until both have reached it (the check both pass before
either writes). Used by the tests/<package>/test_*_concurrency.py files."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event, text


def at_once(
    engine: Engine,
    held: Callable[[str], bool],
    *actions: Callable[[], str],
    parties: int | None = None,
    locked_out_after: float | None = None,
) -> tuple[list[str], list[BaseException]]:
    """Run ``actions`` each in its own thread; every thread that runs a statement for which
    ``held(statement)`` is true waits there (once) until ``parties`` threads (all of them, by
    default) have. Returns what each action returned, and the errors raised (none expected).

    ``locked_out_after``: a fix may lock before the check, so that the second person cannot
    reach it until the first is done; then the first waits this many seconds at most, and goes
    on alone (and the second, arriving later, does not wait)."""
    together = threading.Barrier(parties or len(actions), timeout=locked_out_after or 20)
    waited = threading.local()

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if held(statement) and not getattr(waited, "done", False):
            waited.done = True
            try:
                together.wait()
            except threading.BrokenBarrierError:
                if locked_out_after is None:
                    raise

    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run(action: Callable[[], str]) -> None:
        try:
            outcomes.append(action())
        except BaseException as exc:  # reported by the test, in its own thread
            errors.append(exc)

    event.listen(engine, "after_cursor_execute", hold)
    try:
        threads = [threading.Thread(target=run, args=(a,)) for a in actions]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        event.remove(engine, "after_cursor_execute", hold)
    return outcomes, errors


def until_another_waits(engine: Engine, timeout: float = 10.0) -> None:
    """On PostgreSQL, wait until some other connection is waiting for a lock (the second
    person's statement queued behind the first one's transaction). SQLite: nothing to wait
    for (a second writer waits for the whole write lock before its first write)."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            ).scalar_one()
            conn.rollback()
            if waiting:
                return
            time.sleep(0.02)
