"""The delivery worker: sends approved referrals, and addenda to them, from the outbox to the MASH,
and every few minutes purges expired sessions and spent sign-in throttle counters.

    python -m app.worker          run until SIGTERM or SIGINT (`make run` starts one)
    python -m app.worker --once   deliver what is due now, then exit (tests, cron)

Run as many as you like against PostgreSQL: each delivery is claimed by one worker at a time.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Sequence
from types import FrameType

from sqlalchemy import Engine
from sqlmodel import Session

import app.models  # noqa: F401 - every table on the metadata, for the relationships used
from app.accounts import housekeeping
from app.coaching import rollup
from app.db import get_engine
from app.referrals import delivery
from app.referrals.transport import FolderTransport, Transport, from_settings

log = logging.getLogger("app.worker")

IDLE_SECONDS = 1.5  # the wait when nothing is due
ERROR_SECONDS = 5.0  # the wait after an unexpected error (the database restarting, say)
PURGE_SECONDS = 300.0  # how often expired sessions and throttle counters are purged
FOLD_SECONDS = 2.0  # how often the coaches' roll-up counts again what officers changed


def default_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def step(*, engine: Engine, transport: Transport, worker: str) -> delivery.Outcome | None:
    """Claim and make one delivery, in a session of its own; None when nothing is due."""
    with Session(engine) as session:
        claimed = delivery.claim(session=session, worker=worker)
        if claimed is None:
            return None
        outcome = delivery.deliver_one(
            session=session, delivery=claimed, transport=transport, worker=worker
        )
    _log(outcome, transport)
    return outcome


def fold(*, engine: Engine) -> int:
    """Count one batch of changed incidents into the coaches' roll-up; how many it counted."""
    with Session(engine) as session:
        return rollup.fold(session)


def fold_pause(engine: Engine) -> float:
    """Fold one batch; the seconds to wait before the next: ``FOLD_SECONDS`` once caught up,
    else three times what the batch took (officers' saves get the database at least three
    quarters of the time: on SQLite a fold holds the write lock)."""
    began = time.monotonic()
    folded = fold(engine=engine)
    if folded < rollup.FOLD:
        return FOLD_SECONDS
    return 3 * (time.monotonic() - began)


def purge(*, engine: Engine) -> housekeeping.Purged:
    with Session(engine) as session:
        purged = housekeeping.purge(session=session)
    if purged.sessions or purged.throttles:
        log.info(
            "purged %d expired session(s), %d throttle counter(s)",
            purged.sessions,
            purged.throttles,
        )
    return purged


def _log(outcome: delivery.Outcome, transport: Transport) -> None:
    what = f"{outcome.key} to {transport.destination}"
    if outcome.skipped:
        log.info("skipped %s: another worker holds it", what)
    elif outcome.ok:
        log.info("delivered %s (attempt %d)", what, outcome.attempts)
    elif outcome.next_attempt_at is not None:
        log.warning(
            "attempt %d failed for %s: %s; next try at %s",
            outcome.attempts,
            what,
            outcome.error,
            outcome.next_attempt_at.isoformat(timespec="seconds"),
        )
    else:
        log.error(
            "attempt %d failed for %s: %s; %s", outcome.attempts, what, outcome.error, "gave up"
        )


def run(
    *,
    engine: Engine | None = None,
    transport: Transport | None = None,
    worker: str | None = None,
    once: bool = False,
    stop: threading.Event | None = None,
    idle_seconds: float = IDLE_SECONDS,
) -> int:
    """Deliver until `stop` is set (or, with `once`, until nothing is due). Returns the number
    of attempts made."""
    engine = engine or get_engine()
    transport = transport or from_settings()
    worker = worker or default_name()
    stop = stop or threading.Event()
    made = 0
    next_purge = next_fold = 0.0
    log.info("worker %s delivering to %s", worker, transport.destination)
    if isinstance(transport, FolderTransport) and (gone := transport.remove_stale_temporaries()):
        log.warning("removed %d temporary outbox file(s) left by an earlier crash", gone)
    while not stop.is_set():
        try:
            if time.monotonic() >= next_purge:
                purge(engine=engine)
                next_purge = time.monotonic() + PURGE_SECONDS
            if time.monotonic() >= next_fold:
                next_fold = time.monotonic() + fold_pause(engine)
            outcome = step(engine=engine, transport=transport, worker=worker)
        except Exception:
            if once:
                raise
            log.exception("delivery step failed; trying again in %.0f s", ERROR_SECONDS)
            stop.wait(ERROR_SECONDS)
            continue
        if outcome is None:
            if once:
                break
            stop.wait(idle_seconds)
        elif not outcome.skipped:
            made += 1
    return made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.worker", description=__doc__)
    parser.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    parser.add_argument("--name", default=default_name(), help="this worker's name in the records")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("worker %s stopping (%s)", args.name, signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        made = run(worker=args.name, once=args.once, stop=stop)
    finally:
        get_engine().dispose()
    log.info("worker %s stopped after %d attempt(s)", args.name, made)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
