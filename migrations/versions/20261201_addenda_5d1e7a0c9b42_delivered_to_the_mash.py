"""addenda delivered to the MASH: a delivery is a referral version or one addendum

Revision ID: 5d1e7a0c9b42
Revises: a1d5e0c7b3f2
Create Date: 2026-12-01 10:00:00.000000

Existing deliveries are all referral versions: `kind` defaults to 'referral' for them. The
unique (referral_id, version) becomes a partial unique index over referral rows, so that many
addenda to one version can each have a delivery; each addendum has at most one (unique
addendum_id), and a check ties `kind` to `addendum_id`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "5d1e7a0c9b42"
down_revision: Union[str, Sequence[str], None] = "a1d5e0c7b3f2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

REFERRAL_ROWS = sa.text("kind = 'referral'")


@contextmanager
def _attempts_set_aside() -> Iterator[None]:
    # On SQLite the batch operations rebuild `delivery` (copy, drop, rename). With foreign keys
    # on (they cannot be switched off inside the migration's transaction), dropping it fails
    # while attempts refer to it: keep them aside and put them back once it is rebuilt.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMP TABLE kept_delivery_attempt AS SELECT * FROM delivery_attempt")
        op.execute("DELETE FROM delivery_attempt")
    yield
    if sqlite:
        op.execute("INSERT INTO delivery_attempt SELECT * FROM kept_delivery_attempt")
        op.execute("DROP TABLE kept_delivery_attempt")


def upgrade() -> None:
    with _attempts_set_aside(), op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="referral")
        )
        batch_op.add_column(sa.Column("addendum_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_delivery_addendum_id_addendum"), "addendum", ["addendum_id"], ["id"]
        )
        batch_op.create_unique_constraint(batch_op.f("uq_delivery_addendum_id"), ["addendum_id"])
        batch_op.create_check_constraint(
            batch_op.f("ck_delivery_addendum_kind"),
            "(kind = 'addendum') = (addendum_id IS NOT NULL)",
        )
        batch_op.drop_constraint(batch_op.f("uq_delivery_referral_id"), type_="unique")
    op.create_index(
        "uq_delivery_referral_version",
        "delivery",
        ["referral_id", "version"],
        unique=True,
        sqlite_where=REFERRAL_ROWS,
        postgresql_where=REFERRAL_ROWS,
    )


def downgrade() -> None:
    # Addendum deliveries have no place in the older schema: they go with the downgrade.
    op.execute(
        "DELETE FROM delivery_attempt WHERE delivery_id IN "
        "(SELECT id FROM delivery WHERE kind <> 'referral')"
    )
    op.execute("DELETE FROM delivery WHERE kind <> 'referral'")
    op.drop_index("uq_delivery_referral_version", table_name="delivery")
    with _attempts_set_aside(), op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_delivery_referral_id"), ["referral_id", "version"]
        )
        batch_op.drop_constraint(batch_op.f("ck_delivery_addendum_kind"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_delivery_addendum_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_delivery_addendum_id_addendum"), type_="foreignkey")
        batch_op.drop_column("addendum_id")
        batch_op.drop_column("kind")
