"""production readiness: keyed audit chain (per-entry algorithm, seq in the head, verified
checkpoint, no TRUNCATE); a forced password change for the first admin

Revision ID: e4b7c2a9d318
Revises: e3b8c1f4a7d2
Create Date: 2026-12-01 12:00:00

Entries already stored keep their plain SHA-256 and are marked unkeyed (`keyed` false); every
entry written from now on is HMAC-SHA-256 with AUDIT_KEY, and the first of them seals the old
ones (its HMAC covers the last one's hash). Nothing stored is rewritten: the database refuses it.
The head learns the last seq, so an entry's seq is known before it is stored and its HMAC can
cover it. On PostgreSQL a trigger refuses TRUNCATE, as UPDATE and DELETE already are.
"""

from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "e4b7c2a9d318"
down_revision: Union[str, Sequence[str], None] = "e3b8c1f4a7d2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ADD COLUMN (never a table copy: that would drop the append-only triggers).
    op.add_column(
        "audit_event", sa.Column("keyed", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "audit_head", sa.Column("last_seq", sa.Integer(), server_default="0", nullable=False)
    )
    op.execute("UPDATE audit_head SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM audit_event)")
    op.create_table(
        "audit_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoint")),
    )
    op.add_column(
        "app_user",
        sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
    op.drop_column("app_user", "must_change_password")
    op.drop_table("audit_checkpoint")
    op.drop_column("audit_head", "last_seq")
    op.drop_column("audit_event", "keyed")
