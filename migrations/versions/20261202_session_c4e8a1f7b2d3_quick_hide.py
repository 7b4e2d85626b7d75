"""quick hide: a session can be locked until its user types their password again

Revision ID: c4e8a1f7b2d3
Revises: 7d2c9e4b1a60
Create Date: 2026-12-02 01:40:00

While ``locked`` is true, every page and API call of the session is refused except unlocking
and signing out (app/accounts/deps.py, app/accounts/lock_routes.py).
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "c4e8a1f7b2d3"
down_revision: Union[str, Sequence[str], None] = "7d2c9e4b1a60"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(
        "user_session",
        sa.Column("locked", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.drop_column("locked")
