"""the dashboard's daily roll-up (per team, day, officer and incident type), what each
incident adds to it, a row a referral version for the review medians and a row a decision for
the quality roll-up, filled from every
existing incident; the summary's mark for incidents to count again

Revision ID: b7e2d4f9a1c3
Revises: a5d3c9e1f7b2
Create Date: 2026-12-02 03:00:00

A save marks its incident (``incident_summary.recount``); the worker and the dashboard count
marked incidents again (app/coaching/rollup.py). Existing incidents are counted here with the
same code, so none is left marked.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "b7e2d4f9a1c3"
down_revision: Union[str, Sequence[str], None] = "a5d3c9e1f7b2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COUNTS = (
    "incidents", "no_child", "child_identified", "referrals", "submitted", "timed",
    "after_shift", "returned", "officer_below", "supervisor_changed", "applicable", "answered",
    "completion_short", "spoken_to", "words", "alone", "seen_applies", "seen",
    "demeanour_applies", "demeanour", "voice_words_short", "spoken_alone_short", "seen_short",
    "demeanour_short", "reviewed", "reviewed_late",
)  # fmt: skip


CRITERIA = (
    "child_seen", "spoken_alone", "words_recorded", "demeanour_recorded", "immediate_safety",
    "s46_considered", "crime_recorded", "da_risk_tool", "encompass",
)  # fmt: skip
MARKS = tuple(f"q_{c}" for c in CRITERIA)


def _counters() -> list[sa.Column[int]]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS]


def upgrade() -> None:
    op.create_table(
        "daily_tally",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("incident_type", sa.String(length=60), nullable=False),
        *_counters(),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["app_user.id"], name=op.f("fk_daily_tally_officer_id_app_user")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_daily_tally_team_id_team")),
        sa.PrimaryKeyConstraint(
            "team_id", "day", "officer_id", "incident_type", name=op.f("pk_daily_tally")
        ),
    )
    op.create_table(
        "team_tally",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("incident_type", sa.String(length=60), nullable=False),
        *_counters(),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_team_tally_team_id_team")),
        sa.PrimaryKeyConstraint("team_id", "day", "incident_type", name=op.f("pk_team_tally")),
    )
    op.create_table(
        "incident_tally",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("incident_type", sa.String(length=60), nullable=False),
        sa.Column("to_submission_ms", sa.BigInteger(), nullable=True),
        *_counters(),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("happened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("referral_team_id", sa.Uuid(), nullable=True),
        sa.Column("referral_officer_id", sa.Uuid(), nullable=True),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("address_key", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_incident_tally")),
    )
    op.create_index(
        "ix_incident_tally_lists",
        "incident_tally",
        ["team_id", "status", "started_at", "incident_type", "happened_at", "officer_id",
         "incident_id"],
    )  # fmt: skip
    op.create_index(
        "ix_incident_tally_referred",
        "incident_tally",
        ["referral_team_id", "referred_at", "address_key", "referral_officer_id", "incident_id"],
    )
    op.create_index(
        "ix_incident_tally_to_submission",
        "incident_tally",
        ["team_id", "day", "officer_id", "to_submission_ms"],
    )
    op.create_table(
        "review_tally",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("review_ms", sa.BigInteger(), nullable=True),
        sa.Column("waiting", sa.Boolean(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "version", name=op.f("pk_review_tally")),
    )
    op.create_index(
        "ix_review_tally_reviewed", "review_tally", ["team_id", "day", "officer_id", "review_ms"]
    )
    op.create_index(
        "ix_review_tally_waiting",
        "review_tally",
        ["waiting", "team_id", "day", "officer_id", "due_at"],
    )
    op.create_table(
        "decision_tally",
        sa.Column("decision_id", sa.Uuid(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        *(sa.Column(name, sa.SmallInteger(), nullable=True) for name in MARKS),
        sa.PrimaryKeyConstraint("decision_id", name=op.f("pk_decision_tally")),
    )
    op.create_index(
        op.f("ix_decision_tally_incident_id"), "decision_tally", ["incident_id"], unique=False
    )
    op.create_index(
        "ix_decision_tally_scope",
        "decision_tally",
        ["team_id", "at", "superseded_at", "officer_id", *MARKS],
    )
    op.add_column(
        "incident_summary",
        sa.Column("recount", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "ix_incident_summary_recount",
        "incident_summary",
        ["incident_id"],
        sqlite_where=sa.text("recount = 1"),
        postgresql_where=sa.text("recount"),
    )
    from app.coaching.rollup import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_decision_tally_scope", table_name="decision_tally")
    op.drop_index(op.f("ix_decision_tally_incident_id"), table_name="decision_tally")
    op.drop_table("decision_tally")
    op.drop_index("ix_incident_summary_recount", table_name="incident_summary")
    with op.batch_alter_table("incident_summary") as batch:
        batch.drop_column("recount")
    op.drop_index("ix_review_tally_waiting", table_name="review_tally")
    op.drop_index("ix_review_tally_reviewed", table_name="review_tally")
    op.drop_table("review_tally")
    op.drop_index("ix_incident_tally_referred", table_name="incident_tally")
    op.drop_index("ix_incident_tally_lists", table_name="incident_tally")
    op.drop_index("ix_incident_tally_to_submission", table_name="incident_tally")
    op.drop_table("incident_tally")
    op.drop_table("team_tally")
    op.drop_table("daily_tally")
