"""the referral's reference on its incident

Revision ID: c7e2a9d4f1b0
Revises: 5b1d0c3e9a21
Create Date: 2026-12-01 00:30:00

The checklist shows a submitted incident's reference without reading the referrals package's
tables (imports run one way: referrals builds on the checklist). Filled from existing referrals.
"""

from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "c7e2a9d4f1b0"
down_revision: Union[str, Sequence[str], None] = "5b1d0c3e9a21"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("incident", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
    op.execute(
        "UPDATE incident SET reference = "
        "(SELECT referral.reference FROM referral WHERE referral.incident_id = incident.id)"
    )


def downgrade() -> None:
    # Never a table rebuild: other tables point at incident (SQLite 3.35+ drops a column in place).
    with op.batch_alter_table("incident", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("reference")
