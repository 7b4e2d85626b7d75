"""Two administrators adding the same user name at the same moment (two offices, one new
officer): one account is made, and the other administrator is told the name is taken, as when
it was taken before; never a server error."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event, func
from sqlmodel import Session, select

from app.accounts import grants, users
from app.accounts.models import MembershipKind, Role, Team, TeamMembership, User, UserRole
from tests.concurrency import at_once, until_another_waits
from tests.factories import make_team, make_user, principal
from tests.helpers import statements


def test_two_admins_adding_the_same_user_name_at_once(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as setup:
        admin_id = make_user(setup, roles=["admin"]).id
        team_id = make_team(setup).id

    def add() -> str:
        with Session(fresh_engine) as session:
            actor = principal(session, session.get(User, admin_id))  # type: ignore[arg-type]
            session.commit()
            try:
                users.create_user(
                    session=session,
                    actor=actor,
                    username="pc-new",
                    display_name="PC New",
                    collar_number="PC 1",
                    password="a long enough password",
                    roles={Role.OFFICER},
                    team_id=team_id,
                )
            except users.UsernameTaken:
                return "taken"
            return "created"

    def looked(statement: str) -> bool:  # both look for the name (and find none) first
        return statement.lstrip().startswith("SELECT") and "app_user.username =" in statement

    outcomes, errors = at_once(fresh_engine, looked, add, add)
    assert errors == []
    assert sorted(outcomes) == ["created", "taken"]
    with Session(fresh_engine) as check:
        made = check.exec(select(func.count()).select_from(User).where(User.username == "pc-new"))
        assert made.one() == 1


def test_two_admins_adding_the_same_team_at_once(fresh_engine: Engine) -> None:
    """Two administrators adding the same new team at the same moment (a new shift, set up from
    two offices): one team is made, and the other administrator is told the name is taken, as
    when it was taken before; never a server error."""
    with Session(fresh_engine) as setup:
        admin_id = make_user(setup, roles=["admin"]).id

    def add() -> str:
        with Session(fresh_engine) as session:
            actor = principal(session, session.get(User, admin_id))  # type: ignore[arg-type]
            session.commit()
            try:
                users.create_team(session=session, actor=actor, name="Response Team C")
            except users.TeamNameTaken:
                return "taken"
            return "created"

    def looked(statement: str) -> bool:
        return statement.lstrip().startswith("SELECT") and "team.name =" in statement

    outcomes, errors = at_once(fresh_engine, looked, add, add)
    assert errors == []
    assert sorted(outcomes) == ["created", "taken"]
    with Session(fresh_engine) as check:
        made = check.exec(
            select(func.count()).select_from(Team).where(Team.name == "Response Team C")
        )
        assert made.one() == 1


def test_two_admins_saving_another_admins_access_at_once(fresh_engine: Engine) -> None:
    """Two administrators saving a third administrator's access at the same moment (one lets
    them supervise a team, the other lets them coach another): both are saved in turn, the
    later one in force, whole; never a server error (on PostgreSQL the second one's roles were
    written over the first one's and hit the primary key), and never a mix of the two."""
    with Session(fresh_engine) as setup:
        one, other = make_team(setup).id, make_team(setup).id
        target = make_user(setup, roles=["admin"])
        target_id, name, collar = target.id, target.display_name, target.collar_number
        admins = [make_user(setup, roles=["admin"]).id for _ in range(2)]
    wanted = {
        "supervises": ({Role.ADMIN, Role.SUPERVISOR}, {one}, set[uuid.UUID]()),
        "coaches": ({Role.ADMIN, Role.COACH}, set[uuid.UUID](), {other}),
    }
    sessions = [Session(fresh_engine) for _ in admins]
    actors = [principal(s, s.get(User, a)) for s, a in zip(sessions, admins, strict=True)]  # type: ignore[arg-type]
    for s in sessions:
        s.commit()

    def save(n: int, change: str) -> Callable[[], str]:
        def run() -> str:
            roles, supervises, coaches = wanted[change]
            users.update_access(
                session=sessions[n],
                actor=actors[n],
                user_id=target_id,
                display_name=name,  # unchanged: only the access is edited
                collar_number=collar,
                roles=roles,
                team_id=None,
                supervises=supervises,
                coaches=coaches,
            )
            return change

        return run

    def looked(statement: str) -> bool:  # the administrator, read before the change
        return statement.lstrip().startswith("SELECT") and "FROM app_user" in statement

    first_commit = threading.Event()

    def hold_first_commit(_conn: Any) -> None:  # until the other one waits behind this one
        if not first_commit.is_set():
            first_commit.set()
            until_another_waits(fresh_engine)

    event.listen(fresh_engine, "commit", hold_first_commit)
    try:
        outcomes, errors = at_once(
            fresh_engine, looked, save(0, "supervises"), save(1, "coaches"), locked_out_after=2
        )
    finally:
        event.remove(fresh_engine, "commit", hold_first_commit)
        for s in sessions:
            s.close()
    assert errors == []
    assert sorted(outcomes) == ["coaches", "supervises"]
    with Session(fresh_engine) as check:
        roles = check.exec(select(UserRole.role).where(UserRole.user_id == target_id))
        links = check.exec(select(TeamMembership).where(TeamMembership.user_id == target_id))
        by_kind: dict[str, set[uuid.UUID]] = {}
        for m in links:
            by_kind.setdefault(m.kind, set()).add(m.team_id)
        saved = (
            {Role(r) for r in roles},
            by_kind.get(MembershipKind.SUPERVISES, set()),
            by_kind.get(MembershipKind.COACHES, set()),
        )
        assert saved in wanted.values()  # one administrator's change, whole


def test_two_admins_approving_one_admins_two_requests_at_once(fresh_engine: Engine) -> None:
    """An administrator asks to supervise two teams; two other administrators each approve one
    of the requests at the same moment: both are approved, the administrator supervises both
    teams and holds the supervisor role once; never a server error (on PostgreSQL both gave
    the supervisor role, and the second one hit the primary key)."""
    with Session(fresh_engine) as setup:
        one, other = make_team(setup).id, make_team(setup).id
        asker = make_user(setup, roles=["admin"])
        asker_id = asker.id
        approvers = [make_user(setup, roles=["admin"]).id for _ in range(2)]
        me = principal(setup, asker)
        setup.commit()
        users.update_access(
            session=setup,
            actor=me,
            user_id=asker_id,
            display_name=asker.display_name,
            collar_number=asker.collar_number,
            roles={Role.ADMIN},  # the supervisor role comes with an approval
            team_id=None,
            supervises={one, other},
            coaches=set(),
        )
        asked = [p.grant.id for p in grants.pending(session=setup)]
        assert len(asked) == 2
    sessions = [Session(fresh_engine) for _ in approvers]
    actors = [principal(s, s.get(User, a)) for s, a in zip(sessions, approvers, strict=True)]  # type: ignore[arg-type]
    for s in sessions:
        s.commit()

    def approve(n: int) -> Callable[[], str]:
        def run() -> str:
            grants.decide(session=sessions[n], actor=actors[n], grant_id=asked[n], approve=True)
            return "approved"

        return run

    def looked(statement: str) -> bool:  # the look for the role (not held yet)
        return statement.lstrip().startswith("SELECT") and "FROM user_role" in statement

    try:
        outcomes, errors = at_once(fresh_engine, looked, approve(0), approve(1), locked_out_after=2)
    finally:
        for s in sessions:
            s.close()
    assert errors == []
    assert outcomes == ["approved", "approved"]
    with Session(fresh_engine) as check:
        roles = check.exec(select(UserRole.role).where(UserRole.user_id == asker_id)).all()
        assert sorted(roles) == sorted([Role.ADMIN, Role.SUPERVISOR])
        supervised = check.exec(
            select(TeamMembership.team_id).where(
                TeamMembership.user_id == asker_id,
                TeamMembership.kind == MembershipKind.SUPERVISES,
            )
        )
        assert set(supervised) == {one, other}
        assert grants.pending(session=check) == []


def test_demoting_an_admin_locks_the_admins_user_rows_in_one_order(fresh_engine: Engine) -> None:
    """The last-admin guard locks every active administrator's user row (not their role rows,
    which the change itself then rewrites), in the same order for every administrator at work,
    so two demotions at once queue one behind the other instead of each holding what the other
    waits for (a deadlock: one of them refused on PostgreSQL)."""
    with Session(fresh_engine) as session:
        admins = [make_user(session, roles=["admin"]) for _ in range(3)]
        actor = principal(session, admins[0])
        target = admins[2]
        session.commit()
        with statements(fresh_engine) as sent:
            users.update_access(
                session=session,
                actor=actor,
                user_id=target.id,
                display_name=target.display_name,
                collar_number=target.collar_number,
                roles={Role.OFFICER},
                team_id=make_team(session).id,
                supervises=set(),
                coaches=set(),
            )
    guard = [s for s in sent if "JOIN user_role" in s and "user_role.role" in s]
    assert len(guard) == 1, sent
    assert "ORDER BY app_user.id" in guard[0]
    if fresh_engine.dialect.name == "postgresql":  # SQLite locks the whole file instead
        assert guard[0].rstrip().endswith("FOR UPDATE OF app_user"), guard[0]
