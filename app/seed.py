"""Seed the demo teams and users, only in development and only into an empty database.

Run as `python -m app.seed`; running it again changes nothing.
"""

from __future__ import annotations

import sys

from sqlmodel import Session, select

from app.accounts.models import (
    MembershipKind,
    Role,
    SecondFactor,
    Team,
    TeamMembership,
    User,
    UserRole,
)
from app.accounts.passwords import hash_password
from app.accounts.second_factor_rules import DEFAULT_REQUIRED
from app.audit import service as audit
from app.config import get_settings
from app.db import get_engine
from app.models_base import utcnow

TEAMS = ("Response Team A", "Response Team B")
# The demo supervisors, coach and admin must use a second factor (the default): they are
# enrolled with this published secret so a demo needs no phone (README, "Demo logins").
# Development only: production refuses to start while any demo user name exists.
DEMO_SECOND_FACTOR_SECRET = "THINKCHILDDEMOONLYDONOTUSE234567"
# username, display name, collar number, roles, team index member of, supervises, coaches
DEMO_USERS: tuple[
    tuple[str, str, str, tuple[Role, ...], int | None, tuple[int, ...], tuple[int, ...]], ...
] = (
    ("officer1", "PC Alex Morgan", "PC 1001", (Role.OFFICER,), 0, (), ()),
    ("officer2", "PC Sam Patel", "PC 1002", (Role.OFFICER,), 0, (), ()),
    ("officer3", "PC Jordan Lee", "PC 2001", (Role.OFFICER,), 1, (), ()),
    ("officer4", "PC Casey Brown", "PC 2002", (Role.OFFICER,), 1, (), ()),
    ("supervisor1", "Sgt Robin Shaw", "PS 101", (Role.SUPERVISOR,), None, (0,), ()),
    ("supervisor2", "Sgt Taylor Reid", "PS 201", (Role.SUPERVISOR,), None, (1,), ()),
    ("coach1", "DS Jamie Khan", "DS 301", (Role.COACH,), None, (), (0, 1)),
    ("admin1", "Chris Admin", "", (Role.ADMIN,), None, (), ()),
)


def seed_demo(session: Session, password: str) -> int:
    """Create the demo teams and users when there are no users; returns how many were made."""
    if session.exec(select(User)).first() is not None:
        return 0
    teams = [Team(name=name) for name in TEAMS]
    session.add_all(teams)
    password_hash = hash_password(password)
    for username, name, collar, roles, member, supervises, coaches in DEMO_USERS:
        user = User(
            username=username, display_name=name, collar_number=collar, password_hash=password_hash
        )
        session.add(user)
        session.flush()
        session.add_all(UserRole(user_id=user.id, role=r) for r in roles)
        if DEFAULT_REQUIRED.intersection(roles):
            session.add(
                SecondFactor(
                    user_id=user.id, secret=DEMO_SECOND_FACTOR_SECRET, confirmed_at=utcnow()
                )
            )
        links = [(member, MembershipKind.MEMBER)] if member is not None else []
        links += [(t, MembershipKind.SUPERVISES) for t in supervises]
        links += [(t, MembershipKind.COACHES) for t in coaches]
        session.add_all(
            TeamMembership(user_id=user.id, team_id=teams[i].id, kind=kind) for i, kind in links
        )
    audit.record(session=session, action="seed.demo_users", detail={"users": len(DEMO_USERS)})
    session.commit()
    return len(DEMO_USERS)


def main() -> int:
    settings = get_settings()
    if not settings.is_development:
        print("Demo users are only seeded in development (ENVIRONMENT=development).")
        return 0
    with Session(get_engine()) as session:
        made = seed_demo(session, settings.demo_password)
    if made:
        print(f"Seeded {made} demo users (password from DEMO_PASSWORD).")
    else:
        print("Users already exist: nothing seeded.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
