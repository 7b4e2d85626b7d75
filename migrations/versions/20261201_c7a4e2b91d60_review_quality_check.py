"""review decisions keep the supervisor's quality check

Each decision stores the quality check the supervisor ticked (criterion id to yes, no or not
applicable). Decisions taken before this have none: they get an empty check.

Revision ID: c7a4e2b91d60
Revises: c7e2a9d4f1b0
Create Date: 2026-12-01 12:00:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "c7a4e2b91d60"
down_revision: Union[str, Sequence[str], None] = "c7e2a9d4f1b0"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quality", sa.JSON(), server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.drop_column("quality")
