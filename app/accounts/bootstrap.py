"""The first administrator, made from the command line in a database with none:
`python -m app.accounts create-admin NAME --password-stdin`. They must change the password
at their first sign-in."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.forms import USERNAME
from app.accounts.models import Role, User, UserRole
from app.accounts.password_rules import problem
from app.accounts.passwords import hash_password
from app.audit import service as audit


class AdminNotCreated(Exception):
    """Why the first admin was not made, in words for the person at the terminal."""


def create_first_admin(*, session: Session, username: str, password: str) -> User:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise AdminNotCreated(
            "The user name must be 3 to 50 characters: lower-case letters, numbers, dots, "
            "dashes or underscores."
        )
    if (bad := problem(password, username=name)) is not None:
        raise AdminNotCreated(f"The password was refused ({bad.value}): {_WORDS[bad.value]}")
    admins = select(UserRole).join(User).where(UserRole.role == Role.ADMIN, User.is_active)
    if session.exec(admins).first() is not None:
        raise AdminNotCreated("An administrator exists already: add users on the Users page.")
    if session.exec(select(User).where(User.username == name)).first() is not None:
        raise AdminNotCreated(f"The user name {name} is taken.")
    session.commit()
    password_hash = hash_password(password)  # no transaction open while hashing
    user = User(
        username=name,
        display_name=name,
        password_hash=password_hash,
        must_change_password=True,
    )
    session.add(user)
    session.flush()
    session.add(UserRole(user_id=user.id, role=Role.ADMIN))
    audit.record(
        session=session,
        action="user.first_admin_created",
        actor_name="(command line)",
        object_type="user",
        object_id=str(user.id),
        detail={"username": name},
    )
    session.commit()
    return user


_WORDS = {
    "password_short": "use at least 12 characters.",
    "password_blank": "it must not be only spaces.",
    "password_common": "it is on a list of common passwords.",
    "password_username": "it must not contain the user name.",
}
