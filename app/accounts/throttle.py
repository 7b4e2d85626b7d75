"""Sign-in throttling by address, and by user name from one address, with back-off that wears off.

Every attempt is counted *before* its password is checked, by one atomic statement per counter
(`INSERT ... ON CONFLICT DO UPDATE ... WHERE not blocked ... RETURNING`): attempts at the same
moment queue on the row, so no more passwords are checked than the limit allows, on PostgreSQL
as on SQLite. A successful sign-in takes its attempt back (and, for the address, one more).
Once a counter reaches its limit, the address (or that name from that address) waits:
LOGIN_BACKOFF_SECONDS, doubling with each further attempt, up to LOGIN_LOCKOUT_MINUTES. After
LOGIN_LOCKOUT_MINUTES with no attempt (and no wait running) the count starts again, and the
row may be purged.

Counters are per address, so attempts from elsewhere never stop the owner of an account signing
in from their own device. IPv6 addresses are counted by their /64 network, which one client
usually holds whole.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, null, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from app.accounts.models import LoginThrottle
from app.config import get_settings
from app.models_base import utcnow

ALL_NAMES = ""  # the user name of an address's own counter
PURGE_BATCH = 1000

_table = LoginThrottle.__table__  # type: ignore[attr-defined]
_c = _table.c


def address_key(ip: str) -> str:
    """The counter's address: the IPv4 address, or the /64 network of an IPv6 one."""
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _wait(attempts: int, limit: int) -> timedelta:
    s = get_settings()
    longest = timedelta(minutes=s.login_lockout_minutes)
    doublings = min(attempts - limit, 20)
    return min(timedelta(seconds=s.login_backoff_seconds * 2**doublings), longest)


def _count(session: Session, address: str, username: str, now: datetime) -> int | None:
    """Count one attempt; None (and nothing changed) while the counter's wait runs."""
    quiet = timedelta(minutes=get_settings().login_lockout_minutes)
    dialect = session.get_bind().dialect.name
    insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    not_blocked: ColumnElement[bool] = _c.blocked_until.is_(None) | (_c.blocked_until <= now)
    statement = (
        insert(_table)
        .values(address=address, username=username, attempts=1, expires_at=now + quiet)
        .on_conflict_do_update(
            index_elements=[_c.address, _c.username],
            set_={
                "attempts": case((_c.expires_at <= now, 1), else_=_c.attempts + 1),
                "blocked_until": None,
                "expires_at": now + quiet,
            },
            where=not_blocked,
        )
        .returning(_c.attempts)
    )
    attempts = session.execute(statement).scalar_one_or_none()
    return None if attempts is None else int(attempts)


def _block(session: Session, address: str, username: str, until: datetime) -> None:
    quiet = timedelta(minutes=get_settings().login_lockout_minutes)
    session.execute(
        update(_table)
        .where(_c.address == address, _c.username == username)
        .values(blocked_until=until, expires_at=until + quiet)
    )


def _blocked_until(session: Session, address: str, username: str, now: datetime) -> datetime:
    until = session.execute(
        select(_c.blocked_until).where(_c.address == address, _c.username == username)
    ).scalar_one_or_none()
    return until if isinstance(until, datetime) and until > now else now


@dataclass(frozen=True)
class Reservation:
    retry_at: datetime | None  # refused: try again then (nothing counted, nothing written)
    blocked: tuple[str, datetime] | None = None  # this attempt started a wait: for whom, until


def _blocked_now(session: Session, address: str, username: str, now: datetime) -> datetime | None:
    """When the address, or the name from it, may try again, if it is waiting now. A read only:
    a flood of refused attempts writes nothing (no lock taken, no row, no audit entry each)."""
    until = session.execute(
        select(func.max(_c.blocked_until)).where(
            _c.address == address, _c.username.in_((ALL_NAMES, username)), _c.blocked_until > now
        )
    ).scalar_one_or_none()
    return until if isinstance(until, datetime) else None


def reserve(*, session: Session, address: str, username: str) -> Reservation:
    """Count a sign-in attempt against the address and the name from that address, in the
    caller's transaction (commit it before checking the password). ``retry_at`` is None when the
    password may be checked, else the time to try again (nothing counted)."""
    s = get_settings()
    now = utcnow()
    waiting = _blocked_now(session, address, username, now)
    if waiting is not None:
        return Reservation(retry_at=waiting)
    by_address = _count(session, address, ALL_NAMES, now)
    if by_address is None:
        return Reservation(retry_at=_blocked_until(session, address, ALL_NAMES, now))
    by_name = _count(session, address, username, now)
    if by_name is None:
        session.execute(  # give back the address's count: this attempt checks no password
            update(_table)
            .where(_c.address == address, _c.username == ALL_NAMES, _c.attempts > 0)
            .values(attempts=_c.attempts - 1)
        )
        return Reservation(retry_at=_blocked_until(session, address, username, now))
    blocked: tuple[str, datetime] | None = None
    if by_address >= s.login_max_failures_per_address:
        until = now + _wait(by_address, s.login_max_failures_per_address)
        _block(session, address, ALL_NAMES, until)
        blocked = (ALL_NAMES, until)
    if by_name >= s.login_max_failures:
        until = now + _wait(by_name, s.login_max_failures)
        _block(session, address, username, until)
        blocked = (username, until)
    return Reservation(retry_at=None, blocked=blocked)


def succeeded(*, session: Session, address: str, username: str) -> None:
    """A right password: the name's count from this address ends, and the address's count
    takes back this attempt and one failed one (so an office where everyone mistypes once
    never reaches its limit, and a sprayer with one account of their own gains little)."""
    limit = get_settings().login_max_failures_per_address
    remaining = case((_c.attempts > 2, _c.attempts - 2), else_=0)
    session.execute(
        update(_table)
        .where(_c.address == address, _c.username == ALL_NAMES)
        .values(
            attempts=remaining,
            blocked_until=case((remaining < limit, null()), else_=_c.blocked_until),
        )
    )
    session.execute(delete(_table).where(_c.address == address, _c.username == username))


def clear_name(*, session: Session, username: str) -> None:
    """An administrator lets a user try again at once, from every address."""
    session.execute(delete(_table).where(_c.username == username))


def purge(*, session: Session) -> int:
    """Delete counters that no longer count, a batch a transaction; returns how many."""
    total = 0
    while True:
        now = utcnow()
        batch = select(_c.address, _c.username).where(_c.expires_at <= now).limit(PURGE_BATCH)
        result = session.execute(delete(_table).where(tuple_(_c.address, _c.username).in_(batch)))
        session.commit()
        deleted = int(getattr(result, "rowcount", 0) or 0)
        total += deleted
        if deleted < PURGE_BATCH:
            return total
