"""coaching: Think Child training records (one per officer)

Revision ID: 7d2c9e4b1a60
Revises: 3f6b2d9e8a71
Create Date: 2026-12-02 01:30:00
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "7d2c9e4b1a60"
down_revision: Union[str, Sequence[str], None] = "3f6b2d9e8a71"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "training_record",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("officer_id"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("training_record")
