"""The migration that adds each incident's summary row fills it for the incidents already
stored, exactly as the app would work it out (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from sqlalchemy import Engine, inspect
from sqlmodel import Session, select

from app.checklist import tally
from app.checklist.models import Incident, IncidentSummary
from tests.checklist.builders import complete_answers
from tests.coaching.data import no_child
from tests.factories import make_user
from tests.helpers import alembic_config, migrate

pytestmark = pytest.mark.db

BEFORE = "3f6b2d9e8a71"


def test_existing_incidents_are_summarised(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as session:
        officer = make_user(session, roles=["officer"])
        for answers in (complete_answers(), no_child("crime", "L1"), {}):
            session.add(
                Incident(
                    client_uuid=uuid.uuid4(),
                    officer_id=officer.id,
                    prompt_set_version=1,
                    answers=answers,
                )
            )
        session.commit()
    cfg = alembic_config()
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, BEFORE)
    assert "incident_summary" not in inspect(fresh_engine).get_table_names()
    migrate(fresh_engine)
    with Session(fresh_engine) as session:
        incidents = list(session.exec(select(Incident)))
        rows = {r.incident_id: tally.stored(r) for r in session.exec(select(IncidentSummary))}
        assert rows == {i.id: tally.fresh(i) for i in incidents}
        assert sorted(r["spoken_to"] for r in rows.values()) == [0, 0, 1]
