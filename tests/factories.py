"""Small typed factories for test data."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from app.accounts import sessions, signed_in
from app.accounts.models import MembershipKind, Role, Team, TeamMembership, User, UserRole
from app.accounts.passwords import hash_password
from app.accounts.service import Principal
from app.referrals.models import Referral

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_team(session: Session, name: str | None = None) -> Team:
    team = Team(name=name or f"Team {next(_counter)}")
    session.add(team)
    session.commit()
    return team


def make_user(
    session: Session,
    *,
    roles: Iterable[str] = ("officer",),
    username: str | None = None,
    team: Team | None = None,
    supervises: Iterable[Team] = (),
    coaches: Iterable[Team] = (),
    active: bool = True,
    password: str = PASSWORD,
) -> User:
    n = next(_counter)
    user = User(
        username=username or f"user{n}",
        display_name=f"Test User {n}",
        collar_number=f"PC {n}",
        password_hash=hash_password(password),
        is_active=active,
    )
    session.add(user)
    session.flush()
    roles = {Role(r) for r in roles}
    session.add_all(UserRole(user_id=user.id, role=r) for r in roles)
    links: list[tuple[Team, MembershipKind]] = []
    if team is not None and Role.OFFICER in roles:
        links.append((team, MembershipKind.MEMBER))
    if Role.SUPERVISOR in roles:
        links += [(t, MembershipKind.SUPERVISES) for t in supervises]
    if Role.COACH in roles:
        links += [(t, MembershipKind.COACHES) for t in coaches]
    session.add_all(TeamMembership(user_id=user.id, team_id=t.id, kind=k) for t, k in links)
    session.commit()
    return user


def principal(session: Session, user: User) -> Principal:
    """A signed-in Principal for calling services directly, as a request would."""
    token, _row = sessions.create(session=session, user_id=user.id)
    session.commit()
    found = signed_in.load(session=session, token=token)
    assert found is not None and found.principal is not None
    return found.principal


def make_referral(
    session: Session, officer: User, *, answers: dict[str, Any] | None = None
) -> Referral:
    """A submitted referral by ``officer`` with complete answers (``complete_answers()``)."""
    from app.checklist import service as checklist
    from app.referrals import service as referrals
    from tests.checklist.builders import complete_answers

    who = principal(session, officer)
    incident, _ = checklist.start(session=session, officer=who, client_uuid=uuid.uuid4())
    _, result = checklist.save(
        session=session,
        officer=who,
        incident_id=incident.id,
        updates=answers if answers is not None else complete_answers(),
    )
    assert not result.errors, result.errors
    return referrals.submit(session=session, officer=who, incident_id=incident.id)


def amend(session: Session, referral: Referral, by: User, summary: str) -> None:
    """Version 2 of ``referral``: its first version's answers with a new incident summary, as an
    officer resubmits it after a return (committed)."""
    from sqlmodel import select

    from app.referrals.models import ReferralVersion

    first = session.exec(
        select(ReferralVersion).where(ReferralVersion.referral_id == referral.id)
    ).one()
    session.add(
        ReferralVersion(
            referral_id=referral.id,
            version=2,
            prompt_set_version=first.prompt_set_version,
            answers={**first.answers, "incident.summary": summary},
            suggested_grade=first.suggested_grade,
            reasons=first.reasons,
            officer_grade=first.officer_grade,
            submitted_by=by.id,
        )
    )
    referral.version = 2
    session.add(referral)
    session.commit()
