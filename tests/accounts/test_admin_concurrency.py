"""Two administrators adding the same user name at the same moment (two offices, one new
officer): one account is made, and the other administrator is told the name is taken, as when
it was taken before; never a server error."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, event, func
from sqlmodel import Session, select

from app.accounts import users
from app.accounts.models import Role, Team, User
from tests.concurrency import at_once
from tests.factories import make_team, make_user, principal


def test_two_admins_adding_the_same_user_name_at_once(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as setup:
        admin = make_user(setup, roles=["admin"])
        team_id = make_team(setup).id
        admin_id = admin.id
    # Both have looked for the name (and found none) before either adds it.
    both_looked = threading.Barrier(2, timeout=20)

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "app_user.username =" in statement:
            both_looked.wait()

    outcomes: list[str] = []
    errors: list[BaseException] = []

    def add() -> None:
        try:
            with Session(fresh_engine) as session:
                actor = principal(session, session.get(User, admin_id))  # type: ignore[arg-type]
                session.commit()
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
                outcomes.append("created")
        except users.UsernameTaken:
            outcomes.append("taken")
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    event.listen(fresh_engine, "after_cursor_execute", hold)
    try:
        threads = [threading.Thread(target=add) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        event.remove(fresh_engine, "after_cursor_execute", hold)
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
