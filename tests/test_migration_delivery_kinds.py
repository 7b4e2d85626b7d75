"""The migration that lets addenda be delivered keeps the deliveries already stored valid, with
their attempts, on SQLite (where the table is rebuilt) and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.models_base import utcnow
from app.referrals.transport import HttpTransport
from tests.helpers import alembic_config, migrate
from tests.referrals.test_delivery import _step, approved_referral, make_scene

pytestmark = pytest.mark.db

BEFORE = "a1d5e0c7b3f2"


def _downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_stored_deliveries_and_attempts_survive_the_migration_both_ways(
    fresh_engine: Engine,
) -> None:
    with Session(fresh_engine) as session:
        referral = approved_referral(session, make_scene(session))
        nowhere = HttpTransport("http://127.0.0.1:9/mash", timeout=1)  # a failed attempt
        outcome = _step(session, nowhere, "w1", utcnow())
        assert outcome is not None
        assert not outcome.ok
        ref_id = referral.id
    _downgrade(fresh_engine, BEFORE)
    migrate(fresh_engine)
    with fresh_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, kind, addendum_id, attempts FROM delivery")).all()
        assert [(r.kind, r.addendum_id, r.attempts) for r in rows] == [("referral", None, 1)]
        attempts = conn.execute(text("SELECT delivery_id FROM delivery_attempt")).all()
        assert [str(a.delivery_id).replace("-", "") for a in attempts] == [
            str(rows[0].id).replace("-", "")
        ]
        refs = conn.execute(text("SELECT referral_id FROM delivery")).scalars().all()
        assert [str(r).replace("-", "") for r in refs] == [ref_id.hex]
