"""A user changes their own password: the current one is required, the new one must pass the
rules (password_rules.py), and every other session of theirs ends. No transaction is open while
a password is hashed."""

from __future__ import annotations

from sqlmodel import Session, col, delete

from app.accounts.models import User, UserSession
from app.accounts.password_rules import PasswordProblem, problem
from app.accounts.passwords import hash_password, verify_password
from app.accounts.service import Principal
from app.audit import service as audit
from app.errors import DomainError


class PasswordNotChanged(DomainError):
    status_code = 422

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # "current_wrong", "confirm_different" or a PasswordProblem


def change_own_password(
    *, session: Session, principal: Principal, current: str, new: str, confirm: str, ip: str = ""
) -> None:
    user_id, username = principal.id, principal.user.username
    stored = session.get(User, user_id)
    stored_hash = stored.password_hash if stored else ""
    session.commit()  # nothing held open while hashing
    if not current or not verify_password(current, stored_hash):
        audit.record(
            session=session,
            action="password.change_refused",
            actor_id=user_id,
            actor_name=username,
            ip=ip,
        )
        session.commit()
        raise PasswordNotChanged("current_wrong")
    bad: PasswordProblem | None = problem(new, username=username)
    if bad is not None:
        raise PasswordNotChanged(bad.value)
    if new == current:
        raise PasswordNotChanged("same_as_current")
    if new != confirm:
        raise PasswordNotChanged("confirm_different")
    new_hash = hash_password(new)
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise PasswordNotChanged("current_wrong")
    user.password_hash, user.must_change_password = new_hash, False
    session.add(user)
    session.exec(
        delete(UserSession).where(
            col(UserSession.user_id) == user_id, col(UserSession.id) != principal.session.id
        )
    )
    audit.record(
        session=session,
        action="password.changed",
        actor_id=user_id,
        actor_name=username,
        detail={"other_sessions_ended": True},
        ip=ip,
    )
    session.commit()
