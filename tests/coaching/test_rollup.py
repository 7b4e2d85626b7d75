"""The daily roll-up (app/coaching/rollup.py), once folded, equals a fresh count of every
incident after every kind of write: the officer's saves, autosaves, items, the API's PUT,
closing at the gate, submitting (page and API, with a lower grade), a return and resubmission,
an approval, a regrade, any ORM write (a team moved, an incident deleted); and after the
migration fills it from incidents already stored. An autosave itself writes nothing to it.
Folding under concurrent saves, and the worker: tests/coaching/test_rollup_worker.py."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, select
from sqlmodel import Session

from app.checklist import tally
from app.checklist.models import Incident
from app.coaching import dashboard, rollup
from app.coaching.rollup_tables import (
    COUNTS,
    KEY,
    TEAM_KEY,
    daily_tally,
    incident_tally,
    team_tally,
)
from app.referrals.models import DecisionKind, ReviewDecision
from app.review import service as review
from tests.checklist.builders import complete_answers
from tests.checklist.test_flow import add_child, put, start
from tests.checklist.test_flow_items import close_at_the_gate
from tests.checklist.test_flow_save import GATE_YES, post_page
from tests.checklist.test_flow_submit import submit
from tests.coaching import data
from tests.factories import make_user, principal
from tests.helpers import Browserless, alembic_config, migrate, statements

pytestmark = pytest.mark.db


@pytest.fixture
def quiet_session(monkeypatch: pytest.MonkeyPatch, settings: object) -> None:
    """The session was touched just now: no last-seen write in the statements counted."""
    monkeypatch.setattr(settings, "session_touch_seconds", 3600)


API = "/api/v1"
BEFORE_ROLLUP = "a5d3c9e1f7b2"


def held(conn: Connection) -> dict[Any, list[int]]:
    """The roll-up as stored (rows that count nothing left out)."""
    rows = conn.execute(select(daily_tally)).mappings()
    found = {tuple(r[k] for k in KEY): [int(r[c]) for c in COUNTS] for r in rows}
    return {k: v for k, v in found.items() if any(v)}


def afresh(conn: Connection) -> dict[uuid.UUID, dict[str, Any]]:
    """Every incident's rows worked out again."""
    return rollup.afresh(conn, list(conn.execute(select(Incident.id)).scalars()))


def stored(conn: Connection) -> dict[uuid.UUID, dict[str, Any]]:
    """Every incident's rows as the roll-up holds them."""
    return rollup.stored(conn, list(conn.execute(select(incident_tally.c.incident_id)).scalars()))


def marked(conn: Connection) -> int:
    return len(tally.marked(conn))


def check(session: Session) -> dict[Any, list[int]]:
    """Once folded, the roll-up and each incident's rows match a fresh count; returns the
    roll-up."""
    rollup.catch_up(session)
    conn = session.connection()
    assert marked(conn) == 0
    now = afresh(conn)
    assert stored(conn) == now
    grouped: dict[Any, list[int]] = {}
    for row in now.values():
        rollup.add_to(grouped, row, 1)
    rolled = held(conn)
    assert rolled == {k: v for k, v in grouped.items() if any(v)}
    teams = conn.execute(select(team_tally)).mappings()
    per_team = {tuple(r[k] for k in TEAM_KEY): [int(r[c]) for c in COUNTS] for r in teams}
    assert {k: v for k, v in per_team.items() if any(v)} == {
        k: v for k, v in rollup.by_team(grouped).items() if any(v)
    }
    return rolled


def total(stored: dict[Any, list[int]], count: str) -> int:
    return sum(v[COUNTS.index(count)] for v in stored.values())


def test_the_officers_writes(as_officer: Browserless, session: Session) -> None:
    incident_id = start(as_officer)
    assert total(check(session), "incidents") >= 1
    base = f"/incidents/{incident_id}"
    post_page(as_officer, f"{base}/s/incident/1", {"incident.type": "domestic_abuse"})
    check(session)
    post_page(as_officer, f"{base}/s/incident/1", {"incident.type": "crime"}, autosave=True)
    put(as_officer, incident_id, GATE_YES)
    stored = check(session)
    mine = [k for k in stored if k[0] == as_officer.team.id]
    assert [k[3] for k in mine] == ["crime"]  # moved out of domestic abuse, not counted twice
    amy = add_child(as_officer, incident_id)
    post_page(as_officer, f"{base}/c/{amy}/s/child/1", {"child.name": "Amy Smith"})
    check(session)
    assert as_officer.form(f"{base}/c/{amy}/remove").status_code == 303
    check(session)


def test_closing_at_the_gate_by_page_and_by_api(as_officer: Browserless, session: Session) -> None:
    for by_api in (False, True):
        close_at_the_gate(as_officer, by_api=by_api)
        stored = check(session)
        assert total(stored, "no_child") == (2 if by_api else 1)


def test_submitting_returning_approving_and_regrading(
    as_officer: Browserless, session: Session
) -> None:
    first, second = start(as_officer), start(as_officer)
    put(as_officer, first, complete_answers())
    put(as_officer, second, complete_answers())
    lower = {"risk.officer_grade": "medium", "risk.override_reason": "Father arrested"}
    assert submit(as_officer, first, **lower).status_code == 303
    response = as_officer.post(
        f"{API}/incidents/{second}/submit", headers={"X-CSRF-Token": as_officer.csrf}
    )
    assert response.status_code in (200, 201), response.text
    stored = check(session)
    assert (total(stored, "submitted"), total(stored, "officer_below")) == (2, 1)
    boss = principal(
        session, make_user(session, roles=["supervisor"], supervises=[as_officer.team])
    )
    refs = [session.get(Incident, uuid.UUID(i)).reference for i in (first, second)]  # type: ignore[union-attr]
    review.return_to_officer(
        session=session, supervisor=boss, reference=refs[0], expected_version=1, comment="Say more."
    )
    stored_now = check(session)
    assert (total(stored_now, "returned"), total(stored_now, "reviewed")) == (1, 1)
    assert submit(as_officer, first).status_code == 303  # resubmitted at the suggested grade
    stored = check(session)
    assert (total(stored, "officer_below"), total(stored, "returned")) == (0, 1)
    review.regrade(
        session=session,
        supervisor=boss,
        reference=refs[1],
        expected_version=1,
        grade="medium",
        rationale="Father is in custody.",
    )
    assert total(check(session), "supervisor_changed") == 1
    review.approve(
        session=session, supervisor=boss, reference=refs[0], expected_version=2, comment="Agreed."
    )
    stored_now = check(session)
    assert (total(stored_now, "referrals"), total(stored_now, "reviewed")) == (2, 2)


def test_the_hand_counted_world_and_any_orm_write(session: Session) -> None:
    world = data.build(session)
    session.commit()
    before = total(check(session), "supervisor_changed")
    regraded = select(ReviewDecision.referral_id).where(
        ReviewDecision.kind == DecisionKind.REGRADED
    )
    referral = next(r for r in world.referrals.values() if r.id not in session.exec(regraded).all())
    session.add(  # a decision alone, nothing else changed
        ReviewDecision(
            referral_id=referral.id,
            version=referral.version,
            kind=DecisionKind.REGRADED,
            actor_id=world.officer_a.id,
            at=data.at(20, 9),
        )
    )
    session.commit()
    assert total(check(session), "supervisor_changed") == before + 1
    moved = world.incidents[next(iter(world.incidents))]
    moved.team_id = world.c.id
    session.add(moved)
    session.commit()
    check(session)
    gone = next(i for i in world.incidents.values() if i.id not in {
        r.incident_id for r in world.referrals.values()
    })  # fmt: skip
    session.delete(gone)
    session.commit()
    check(session)


@pytest.mark.usefixtures("quiet_session")
def test_an_autosave_writes_nothing_to_the_roll_up(
    as_officer: Browserless, engine: Engine, session: Session
) -> None:
    incident_id = start(as_officer)
    check(session)
    session.commit()
    form = {"_present": "incident.log_ref", "incident.log_ref": "LOG-1", "autosave": "1"}
    with statements(engine) as seen:
        response = as_officer.form(
            f"/incidents/{incident_id}/s/incident/1", form, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200 and "Saved at" in response.text
    assert not [s for s in seen if "tally" in s], seen
    marks = [s for s in seen if "incident_summary" in s]
    assert len(marks) == 1 and marks[0].startswith("UPDATE"), marks  # its summary, marked
    assert marked(session.connection()) == 1
    check(session)


def _migrate_between(engine: Engine, step: Callable[[Any, str], None], revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        step(cfg, revision)


def test_the_migration_fills_the_roll_up_from_stored_incidents(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as session:
        data.build(session)
        session.commit()
        kept = check(session)
    assert total(kept, "incidents") > 0
    _migrate_between(fresh_engine, command.downgrade, BEFORE_ROLLUP)
    migrate(fresh_engine)
    with Session(fresh_engine) as session:
        assert marked(session.connection()) == 0  # counted by the migration, not left marked
        assert check(session) == kept


def test_finding_marked_incidents_reads_the_marks_index_not_every_summary(
    session: Session,
) -> None:
    """The dashboard asks before every view: at a million incidents a scan costs 60 ms."""
    conn = session.connection()
    query = select(tally.SUMMARY.c.incident_id).where(tally.SUMMARY.c.recount).limit(1)
    compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # tiny tables: make it choose
        plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
    else:
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
    assert "ix_incident_summary_recount" in plan, plan


def test_catching_up_keeps_what_the_page_had_loaded(session: Session, engine: Engine) -> None:
    """The dashboard catches the roll-up up three times (figures, quality checks, lists):
    the teams it was given are not read again after each (a query a team a time)."""
    world = data.build(session)
    session.commit()
    teams = [world.a, world.b]
    build = partial(
        dashboard.build,
        session=session,
        scope=world.force(),
        period=data.PERIOD,
        teams=teams,
        now=data.NOW,
    )
    build()
    with statements(engine) as seen:
        board = build()
    assert not [s for s in seen if re.search(r"FROM team\b", s)], seen
    assert board.tables["teams"].rows  # the team table was still drawn, from the loaded teams
