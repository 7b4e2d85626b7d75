"""Checks before the web app serves anyone: in production, refuse a database that still holds
the development demo accounts (their names and password are in README.md and app/seed.py)."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.models import User
from app.accounts.passwords import verify_password
from app.config import DEFAULT_DEMO_PASSWORD, get_settings
from app.db import get_engine
from app.seed import DEMO_USERS

DEMO_USERNAMES = frozenset(row[0] for row in DEMO_USERS)


class UnsafeToStart(RuntimeError):
    """Production must not start: the message names the reason."""


def demo_account_problems(*, session: Session) -> list[str]:
    """Reasons this database is not fit for production: demo user names, or any account
    (active or not) whose password is the demo password."""
    rows = list(session.exec(select(User.username, User.password_hash)))
    session.commit()  # nothing held open while hashing
    problems = []
    demo_names = sorted(name for name, _ in rows if name in DEMO_USERNAMES)
    if demo_names:
        problems.append("it has the demo accounts " + ", ".join(demo_names))
    demo_passwords = {DEFAULT_DEMO_PASSWORD, get_settings().demo_password}
    checked: dict[str, bool] = {}
    with_demo_password = []
    for name, password_hash in rows:
        if password_hash not in checked:
            checked[password_hash] = any(verify_password(p, password_hash) for p in demo_passwords)
        if checked[password_hash]:
            with_demo_password.append(name)
    if with_demo_password:
        problems.append(
            "these accounts have the demo password: " + ", ".join(sorted(with_demo_password))
        )
    return problems


def check_before_serving() -> None:
    if get_settings().environment != "production":
        return
    with Session(get_engine()) as session:
        problems = demo_account_problems(session=session)
    if problems:
        raise UnsafeToStart(
            "Think Child will not start in production: "
            + "; ".join(problems)
            + ". Use a database without the development demo data, and make the first "
            "administrator with `python -m app.accounts create-admin NAME --password-stdin`."
        )
