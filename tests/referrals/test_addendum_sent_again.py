"""An addendum sent again ("Send" pressed twice, pressed again after the answer was lost on a
poor signal, or the same words sent from two tabs) is the one addendum: one row, one delivery
to the MASH, one audit entry. Different words, another author, or the same words a while later
are new addenda."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.referrals import addenda
from app.referrals.models import Addendum, Delivery, DeliveryKind, Referral
from tests.concurrency import at_once
from tests.factories import principal
from tests.referrals.test_delivery import Scene, approved_referral, make_scene

pytestmark = pytest.mark.db


def _counts(session: Session, referral: Referral) -> tuple[int, int, int]:
    addenda_n = session.exec(
        select(func.count()).select_from(Addendum).where(Addendum.referral_id == referral.id)
    ).one()
    deliveries = session.exec(
        select(func.count())
        .select_from(Delivery)
        .where(Delivery.referral_id == referral.id, Delivery.kind == DeliveryKind.ADDENDUM)
    ).one()
    audits = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "referral.addendum_added")
    ).one()
    return addenda_n, deliveries, audits


@pytest.fixture
def scene(session: Session) -> Scene:
    return make_scene(session)


def _add(session: Session, scene: Scene, referral: Referral, text: str, by: str = "officer"):  # type: ignore[no-untyped-def]
    who = scene.officer if by == "officer" else scene.supervisor
    return addenda.add(session=session, principal=who, reference=referral.reference, text=text)


def test_the_same_words_sent_twice_are_one_addendum(session: Session, scene: Scene) -> None:
    referral = approved_referral(session, scene)
    first = _add(session, scene, referral, "The child's aunt will collect her at 6pm.")
    again = _add(session, scene, referral, "  The child's aunt will collect her at 6pm. ")
    assert again.id == first.id
    assert _counts(session, referral) == (1, 1, 1)


def test_different_words_another_author_or_later_are_new_addenda(
    session: Session, scene: Scene
) -> None:
    referral = approved_referral(session, scene)
    first = _add(session, scene, referral, "Aunt collects at 6pm.")
    assert _add(session, scene, referral, "Aunt collects at 7pm.").id != first.id
    assert _add(session, scene, referral, "Aunt collects at 6pm.", by="supervisor").id != first.id
    first.created_at -= addenda.SENT_AGAIN_WITHIN + timedelta(minutes=1)
    session.add(first)
    session.commit()
    assert _add(session, scene, referral, "Aunt collects at 6pm.").id != first.id
    assert _counts(session, referral) == (4, 4, 4)


def test_the_same_addendum_sent_from_two_tabs_at_once(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as setup:
        scene = make_scene(setup)
        referral = approved_referral(setup, scene)
        reference, officer_id = referral.reference, scene.officer.id

    def send() -> str:
        with Session(fresh_engine) as session:
            officer = principal(session, session.get(User, officer_id))  # type: ignore[arg-type]
            session.commit()
            made = addenda.add(
                session=session, principal=officer, reference=reference, text="Aunt at 6pm."
            )
            return str(made.id)

    def looked(statement: str) -> bool:  # the referral, read (and locked) first
        return statement.lstrip().startswith("SELECT") and "FROM referral" in statement

    outcomes, errors = at_once(fresh_engine, looked, send, send, locked_out_after=2)
    assert errors == []
    assert len(outcomes) == 2 and outcomes[0] == outcomes[1]
    assert uuid.UUID(outcomes[0])
    with Session(fresh_engine) as check:
        kept = check.exec(select(Referral).where(Referral.reference == reference)).one()
        assert _counts(check, kept) == (1, 1, 1)
