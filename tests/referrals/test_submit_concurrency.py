"""Submitting the same incident twice at once (a double tap on two connections, a retry racing
the first request) makes one referral, and both requests get its reference."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app.checklist import service as checklist
from app.referrals import service as referrals
from app.referrals.models import Referral, ReferralVersion
from tests.checklist.builders import complete_answers
from tests.factories import make_team, make_user, principal


def test_two_submits_at_once_make_one_referral(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as setup:
        officer = make_user(setup, roles=["officer"], team=make_team(setup))
        who = principal(setup, officer)
        incident, _ = checklist.start(session=setup, officer=who, client_uuid=uuid.uuid4())
        checklist.save(
            session=setup, officer=who, incident_id=incident.id, updates=complete_answers()
        )
        officer_id, incident_id = officer.id, incident.id

    start = threading.Barrier(2)
    references: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            with Session(fresh_engine) as session:
                from app.accounts.models import User

                user = session.get(User, officer_id)
                assert user is not None
                me = principal(session, user)
                session.commit()  # hold no transaction (on SQLite, no lock) while waiting
                start.wait()
                references.append(
                    referrals.submit(session=session, officer=me, incident_id=incident_id).reference
                )
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert len(references) == 2 and references[0] == references[1]
    with Session(fresh_engine) as check:
        assert check.exec(select(func.count()).select_from(Referral)).one() == 1
        assert check.exec(select(func.count()).select_from(ReferralVersion)).one() == 1
