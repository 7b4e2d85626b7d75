"""SQL that SQLite and PostgreSQL both run: the milliseconds between two instants, and the
median of a column (the middle row, or the mean of the middle two)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, func, literal, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.sql.selectable import Select
from sqlmodel import Session

from app.models_base import UTCDateTime


class ms_between(FunctionElement[int]):
    """Milliseconds from the first instant to the second (negative when it is earlier)."""

    type = BigInteger()
    name = "ms_between"
    inherit_cache = True


@compiles(ms_between, "sqlite")
def _ms_sqlite(element: ms_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = list(element.clauses)
    # julianday is a double: about 50 microseconds apart at today's dates, so whole ms are exact.
    return (
        f"CAST(ROUND((julianday({compiler.process(second, **kw)}) - "
        f"julianday({compiler.process(first, **kw)})) * 86400000.0) AS INTEGER)"
    )


@compiles(ms_between, "postgresql")
def _ms_postgresql(element: ms_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = list(element.clauses)
    return (
        f"(EXTRACT(EPOCH FROM ({compiler.process(second, **kw)} - "
        f"{compiler.process(first, **kw)})) * 1000)"
    )


def instant(value: datetime) -> ColumnElement[datetime]:
    """A bound instant, stored as the columns are (UTC)."""
    return literal(value, UTCDateTime())


def median(session: Session, query: Select[Any]) -> float | None:
    """The median of a one-column query's values: the middle one, or the mean of the middle
    two (None without any). PostgreSQL: ``percentile_cont(0.5)``. SQLite has no such
    aggregate: the values are counted, then the middle one or two read by ``OFFSET`` (a sort,
    not a window over every row)."""
    values = query.subquery()
    v = values.c[0]
    if session.get_bind().dialect.name == "postgresql":
        return number(
            session.execute(select(func.percentile_cont(0.5).within_group(v.asc()))).scalar()
        )
    count = int(session.execute(select(func.count(v))).scalar() or 0)
    if not count:
        return None
    middle = (
        select(v).where(v.is_not(None)).order_by(v).offset((count - 1) // 2).limit(2 - count % 2)
    )
    found = [number(x) for x in session.execute(middle).scalars()]
    return sum(x for x in found if x is not None) / len(found)


def number(found: object) -> float | None:
    return float(found) if isinstance(found, Decimal | float | int) else None


# PostgreSQL compiles a big aggregate to machine code first (JIT) when its plan looks costly:
# measured at 300,000 incidents, compiling the dashboard's count took longer than running it.
NO_JIT = {"postgresql": "SET LOCAL jit = off"}


def quick_plans(session: Session) -> None:
    """For the rest of this transaction: no JIT compiling (a no-op on SQLite)."""
    statement = NO_JIT.get(session.get_bind().dialect.name)
    if statement is not None:
        session.execute(text(statement))
