"""indexes for the supervisor's queue and the coach's dashboard at scale

Revision ID: 3f6b2d9e8a71
Revises: b6c1d8e2f4a7
Create Date: 2026-12-01 00:45:00

bench/bench_scale.py measured the queue and the dashboard with and without them at 100,000
incidents and more (bench/README.md): a team's incidents by start time, a team's referrals by
status and submission time (the queue), and by first submission (households, audit scores).
"""

from typing import Sequence, Union

from alembic import op

revision: str = "3f6b2d9e8a71"
down_revision: Union[str, Sequence[str], None] = "b6c1d8e2f4a7"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_incident_team_id_created_at", "incident", ["team_id", "created_at"])
    op.create_index(
        "ix_referral_team_id_status_submitted_at",
        "referral",
        ["team_id", "status", "submitted_at"],
    )
    op.create_index("ix_referral_team_id_created_at", "referral", ["team_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_referral_team_id_created_at", table_name="referral")
    op.drop_index("ix_referral_team_id_status_submitted_at", table_name="referral")
    op.drop_index("ix_incident_team_id_created_at", table_name="incident")
