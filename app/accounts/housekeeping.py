"""Purging what no longer counts: expired sessions and spent sign-in throttle counters.

Run by the delivery worker's loop every few minutes (app/worker.py), and by hand with
`python -m app.accounts purge`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.accounts import sessions, throttle


@dataclass(frozen=True)
class Purged:
    sessions: int
    throttles: int


def purge(*, session: Session) -> Purged:
    """Each batch is its own short transaction."""
    return Purged(
        sessions=sessions.purge_expired(session=session),
        throttles=throttle.purge(session=session),
    )
