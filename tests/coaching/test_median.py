"""The dashboard's median (time to submit, time to review), on SQLite and PostgreSQL alike: the
middle value, the mean of the middle two, nothing without values, NULLs left out."""

from __future__ import annotations

import pytest
from sqlalchemy import BigInteger, false, literal, select, union_all
from sqlmodel import Session

from app.coaching.sql import median

pytestmark = pytest.mark.db


def _values(*found: int | None) -> object:
    rows = [select(literal(v, BigInteger()).label("v")) for v in found]
    return select(union_all(*rows).subquery().c.v)


@pytest.mark.parametrize(
    ("found", "middle"),
    [
        ((7,), 7.0),
        ((9, 1, 5), 5.0),
        ((4, 1, 3, 2), 2.5),
        ((10, None, 30, None, 20), 20.0),
        ((3_600_000, 7_200_000), 5_400_000.0),
        ((5, 5, 5, 1), 5.0),
    ],
)
def test_the_middle_value_or_the_mean_of_the_middle_two(
    session: Session, found: tuple[int | None, ...], middle: float
) -> None:
    assert median(session, _values(*found)) == middle  # type: ignore[arg-type]


def test_no_values_no_median(session: Session) -> None:
    assert median(session, _values(1).where(false())) is None  # type: ignore[attr-defined]
    assert median(session, _values(None)) is None  # type: ignore[arg-type]
