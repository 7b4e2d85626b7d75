"""A coach scoring the same case twice at the same moment (the form sent from two tabs, or a
double press on a slow connection): both are saved in turn, the later one in force, one score
per criterion; never a server error."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.accounts.models import User
from app.coaching import rubric, sampling
from app.coaching.models import AuditCase, AuditScore, Score
from app.models_base import utcnow
from tests.coaching.data import one_case
from tests.concurrency import at_once
from tests.factories import principal

pytestmark = pytest.mark.db


def test_the_same_case_scored_from_two_tabs_at_once(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as setup:
        coach_id, case_id = one_case(setup)
    criteria = rubric.load().ids()
    sent = {
        "first": {c: (Score.YES, "first tab") for c in criteria},
        "second": {c: (Score.NO, "second tab") for c in criteria},
    }

    def score(tab: str) -> str:
        with Session(fresh_engine) as session:
            coach = principal(session, session.get(User, coach_id))  # type: ignore[arg-type]
            session.commit()
            sampling.score(session=session, coach=coach, case_id=case_id, scores=sent[tab])
            return tab

    def looked(statement: str) -> bool:  # the read of the case's scores (none yet)
        return statement.lstrip().startswith("SELECT") and "FROM audit_score" in statement

    before = utcnow()
    outcomes, errors = at_once(
        fresh_engine, looked, lambda: score("first"), lambda: score("second"), locked_out_after=2
    )
    assert errors == []
    assert sorted(outcomes) == ["first", "second"]
    with Session(fresh_engine) as check:
        rows = check.exec(select(AuditScore).where(AuditScore.case_id == case_id)).all()
        stored = {r.criterion: (Score(r.score), r.comment) for r in rows}
        assert len(rows) == len(criteria)  # one score per criterion
        assert stored in (sent["first"], sent["second"])  # one tab's scores whole, not a mix
        case = check.get(AuditCase, case_id)
        assert case is not None and case.scored_at is not None and case.scored_at >= before
