"""stable ids for children, adults and injuries already stored

Revision ID: a1d5e0c7b3f2
Revises: eb6264a1eaeb
Create Date: 2026-12-01 00:00:00

Every item of a list in the answers (a child, an adult, an injury) gets a UUID ``id``, kept for
life, in drafts and in submitted versions alike. The lists are those of prompt set v1, the only
version published when this ran. Items that have an id keep it. Downgrade leaves the ids: they
are harmless to the older code, which ignores keys it does not know.
"""

import uuid
from typing import Any, Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "a1d5e0c7b3f2"
down_revision: Union[str, Sequence[str], None] = "eb6264a1eaeb"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Which keys hold lists, at the top and inside an item of each list (prompt set v1).
LISTS: dict[str, tuple[str, ...]] = {
    "": ("children", "household.adults"),
    "children": ("observed.injuries",),
    "household.adults": (),
    "observed.injuries": (),
}


def _give_ids(scope: dict[str, Any], container: str) -> bool:
    changed = False
    for key in LISTS[container]:
        items = scope.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            if not isinstance(item.get("id"), str):
                item["id"] = str(uuid.uuid4())
                changed = True
            changed = _give_ids(item, key) or changed
    return changed


def _migrate(table_name: str) -> None:
    table = sa.table(table_name, sa.column("id", sa.Uuid()), sa.column("answers", sa.JSON()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(table.c.id, table.c.answers)).all()
    for row_id, answers in rows:
        if isinstance(answers, dict) and _give_ids(answers, ""):
            bind.execute(table.update().where(table.c.id == row_id).values(answers=answers))


def upgrade() -> None:
    _migrate("incident")
    _migrate("referral_version")


def downgrade() -> None:
    pass
