"""each incident's summary row for the coach's figures, filled for existing incidents; indexes
for the dashboard: incidents by scope (covering what it counts), review decisions by time

Revision ID: a5d3c9e1f7b2
Revises: c4e8a1f7b2d3
Create Date: 2026-12-02 01:45:00

The dashboard counts with SQL over these rows (bench/README.md); the app keeps each row current
in the same transaction as every change to the incident's answers (app/checklist/tally.py).
Existing incidents are summarised here, in batches, with the same code.
"""

from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a5d3c9e1f7b2"
down_revision: Union[str, Sequence[str], None] = "c4e8a1f7b2d3"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 2000


def upgrade() -> None:
    summary = op.create_table(
        "incident_summary",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("incident_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("child_identified", sa.Boolean(), nullable=False),
        sa.Column("incident_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("address_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("applicable", sa.Integer(), nullable=True),
        sa.Column("answered", sa.Integer(), nullable=True),
        sa.Column("spoken_to", sa.Integer(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("alone", sa.Integer(), nullable=False),
        sa.Column("seen_applies", sa.Integer(), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("demeanour_applies", sa.Integer(), nullable=False),
        sa.Column("demeanour", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_summary_incident_id_incident"),
        ),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_incident_summary")),
    )
    _fill(summary)
    # The coach's quality roll-up reads the decisions of a period.
    op.create_index(op.f("ix_review_decision_at"), "review_decision", ["at"])
    # The dashboard counts a scope's incidents without reading their rows (and answers).
    op.create_index(
        "ix_incident_scope", "incident", ["team_id", "created_at", "status", "officer_id", "id"]
    )


def _fill(summary: sa.Table) -> None:
    from app.checklist.tally import summary_values

    incident = sa.table(
        "incident",
        sa.column("id", sa.Uuid()),
        sa.column("prompt_set_version", sa.Integer()),
        sa.column("answers", sa.JSON()),
    )
    conn = op.get_bind()
    last = None
    while True:
        query = sa.select(incident.c.id, incident.c.prompt_set_version, incident.c.answers)
        if last is not None:
            query = query.where(incident.c.id > last)
        rows = conn.execute(query.order_by(incident.c.id).limit(BATCH)).all()
        if not rows:
            return
        conn.execute(
            summary.insert(),
            [{"incident_id": i, **summary_values(v, a or {})} for i, v, a in rows],
        )
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_incident_scope", table_name="incident")
    op.drop_index(op.f("ix_review_decision_at"), table_name="review_decision")
    op.drop_table("incident_summary")
