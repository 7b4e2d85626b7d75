"""Migrations build the schema from nothing, and match the models exactly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import app.models  # noqa: F401
from app.db import make_engine, metadata
from tests.helpers import alembic_config, migrate


def test_upgrade_head_on_an_empty_database_and_back(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate(engine)
    assert {"app_user", "audit_event", "user_session"} <= set(inspect(engine).get_table_names())
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    engine.dispose()


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == [], (
        f"models differ from migrations: run 'alembic revision --autogenerate': {diff}"
    )


def test_items_already_stored_are_given_ids(fresh_url: str) -> None:
    """Children, adults and injuries saved before stable ids get one each, in drafts and in
    submitted versions; an item that has an id keeps it."""
    import json
    import uuid

    from sqlalchemy import text

    engine = make_engine(fresh_url)
    migrate(engine, "eb6264a1eaeb")
    kept = str(uuid.uuid4())
    answers = {
        "children": [
            {"child.name": "Amy", "observed.injuries": [{"injury.size": "2cm"}]},
            {"id": kept, "child.name": "Ben"},
        ],
        "household.adults": [{"adult.name": "Jo"}],
    }
    from datetime import UTC, datetime

    import sqlalchemy as sa

    now = datetime.now(UTC)
    users = sa.table(
        "app_user",
        *(
            sa.column(c)
            for c in (
                "username",
                "display_name",
                "collar_number",
                "password_hash",
                "is_active",
                "created_at",
            )
        ),
        sa.column("id", sa.Uuid()),
    )
    incidents = sa.table(
        "incident",
        *(
            sa.column(c)
            for c in ("prompt_set_version", "status", "revision", "created_at", "updated_at")
        ),
        sa.column("id", sa.Uuid()),
        sa.column("client_uuid", sa.Uuid()),
        sa.column("officer_id", sa.Uuid()),
        sa.column("answers", sa.JSON()),
    )
    user = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            users.insert().values(
                id=user,
                username="o1",
                display_name="O",
                collar_number="1",
                password_hash="x",
                is_active=True,
                created_at=now,
            )
        )
        conn.execute(
            incidents.insert().values(
                id=uuid.uuid4(),
                client_uuid=uuid.uuid4(),
                officer_id=user,
                prompt_set_version=1,
                answers=answers,
                status="draft",
                revision=0,
                created_at=now,
                updated_at=now,
            )
        )
    migrate(engine)
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT answers FROM incident")).scalar_one()
    stored = raw if isinstance(raw, dict) else json.loads(raw)
    amy, ben = stored["children"]
    assert uuid.UUID(amy["id"]) and uuid.UUID(amy["observed.injuries"][0]["id"])
    assert ben["id"] == kept
    assert uuid.UUID(stored["household.adults"][0]["id"])
    assert amy["child.name"] == "Amy" and amy["observed.injuries"][0]["injury.size"] == "2cm"
    engine.dispose()
