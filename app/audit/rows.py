"""One-row tables (the chain's head, the verified checkpoint), locked while they change."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel, select

Row = TypeVar("Row", bound=SQLModel)


def locked_singleton(session: Session, model: type[Row], **initial: Any) -> Row:
    """The row with id 1, locked until the caller commits; made with `initial` if missing.
    Two first writers at once must not both insert it (one would fail on the primary key)."""
    query = select(model).where(model.id == 1).with_for_update()  # type: ignore[attr-defined]
    row = session.exec(query).first()
    if row is None:
        dialect = session.get_bind().dialect.name
        insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(insert(model).values(id=1, **initial).on_conflict_do_nothing())
        row = session.exec(query).one()
    return row
