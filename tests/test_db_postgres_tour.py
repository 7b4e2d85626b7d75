"""Every page (each GET route the app serves) as each role, on a database of its own, its
requests on connections of their own as in production: on PostgreSQL every statement that is
more than a plain read runs inside a transaction block (app/db_postgres.py), and no request
leaves a block open. Pages that write (a session's last-seen touch, an audited read, a refusal's
audit entry) are among them; pages that only read send no BEGIN at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from app.db_postgres import reads_only
from tests.access_world import World, _log_in, _team_records, app_routes, url_for
from tests.factories import make_team, make_user
from tests.test_access_matrix import ACCESS, FIXED, PARAMS
from tests.test_db_locking import serve
from tests.test_db_postgres import touch_every, wire

pytestmark = pytest.mark.db
__all__ = ["touch_every"]  # the fixture, used by name

ROLES = ("officer", "supervisor", "coach", "admin")


@contextmanager
def modes(engine: Engine) -> Iterator[list[tuple[str, bool]]]:
    """Each statement with whether it ran inside a transaction block (read on PostgreSQL)."""
    seen: list[tuple[str, bool]] = []

    def note(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        seen.append((statement, not getattr(cursor.connection, "autocommit", False)))

    event.listen(engine, "after_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", note)


def _pages() -> list[Any]:
    pages = []
    for route in app_routes():
        rule = ACCESS.get(route.key)
        if route.method != "GET" or rule is None or rule.bearer or route.path == "/static":
            continue
        pages.append(route)
    return pages


def _world(engine: Engine) -> World:
    """Team A's people and one of each of its records (tests/access_world.py), signed in."""
    with engine.connect() as conn, Session(engine) as s:
        world = World(connection=conn)
        _team_records(s, world, make_team(s), "A")
        world.users[("admin", "A")] = make_user(s, roles=["admin"])
        _log_in(s, world)
    return world


def test_every_page_writes_only_inside_a_transaction_block(
    fresh_engine: Engine, touch_every: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = fresh_engine
    touch_every(3600)
    world = _world(engine)
    values = {**FIXED, **world.params["A"]}
    postgres = engine.dialect.name == "postgresql"
    wrote: set[str] = set()
    with serve(engine):
        for route in _pages():
            overrides = {
                k: values[v[1:]] if v.startswith("@") else v
                for k, v in PARAMS.get(route.path, {}).items()
            }
            url = url_for(route, values, overrides)
            for role in ROLES:
                with wire(engine, monkeypatch) as sent, modes(engine) as ran:
                    response = world.client(role).get(url)
                where = f"{route.key} as {role}"
                assert response.status_code < 500, where
                assert engine.pool.checkedout() == 0, where  # its connection given back
                if not postgres:
                    continue
                writes = [s for s, _ in ran if not reads_only(s)]
                if writes:
                    wrote.add(f"{route.key} as {role}")
                outside = [s for s, in_block in ran if not in_block and not reads_only(s)]
                assert not outside, (where, outside)
                commands = [what for kind, what in sent if kind == "tx"]
                begun = commands.count("BEGIN")
                ended = commands.count("COMMIT") + commands.count("ROLLBACK")
                assert begun == ended, (where, commands)  # no block left open
                if not writes:
                    assert begun == 0, (where, commands)  # a page that only read
    if postgres:  # the tour met each kind of page that writes, and screens that only read
        assert {
            "GET /admin/users as officer",  # a refusal: its audit entry
            "GET /referrals/{reference} as officer",  # an audited read
            "GET /coaching as coach",  # JIT off for the dashboard's transaction (SET LOCAL)
            "GET /account/second-factor as officer",  # a new secret to enrol
        } <= wrote, sorted(wrote)
        assert "GET /incidents/{incident_id}/s/{section_id}/{page} as officer" not in wrote
