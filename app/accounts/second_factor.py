"""The second factor: enrolling an authenticator app, the code at sign-in (or a recovery code),
and an admin's reset. Each step audited in its own transaction; wrong codes are throttled with
the sign-in counters (throttle.py), kept per user so guesses from many addresses add up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from app.accounts import sessions, throttle, totp
from app.accounts.models import RecoveryCode, SecondFactor, User, UserSession
from app.accounts.service import Principal
from app.audit import service as audit
from app.errors import DomainError, NotFound
from app.models_base import utcnow


class CodeWrong(DomainError):
    status_code = 422
    code = "code_wrong"


class CodeThrottled(DomainError):
    status_code = 429
    code = "code_throttled"

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(f"try again after {retry_at.isoformat()}")
        self.retry_at = retry_at


class NotEnrolling(DomainError):
    """A code was sent with no enrolment started (an old page, or a second tab finished it)."""

    code = "not_enrolling"


class AlreadyEnrolled(DomainError):
    status_code = 409
    code = "already_enrolled"


@dataclass(frozen=True)
class Enrolment:
    secret: str
    grouped_secret: str
    qr_data_uri: str


def _counter(user_id: uuid.UUID) -> str:
    return f"second-factor:{user_id.hex}"


def _reserve(session: Session, user_id: uuid.UUID, username: str) -> None:
    """Count a code attempt (committed with its outcome); refuse while its wait runs."""
    reservation = throttle.reserve(session=session, address=_counter(user_id), username=username)
    if reservation.retry_at is not None:
        session.rollback()
        raise CodeThrottled(reservation.retry_at)


def _record(
    session: Session, action: str, user_id: uuid.UUID, username: str, ip: str, **detail: object
) -> None:
    audit.record(
        session=session,
        action=action,
        actor_id=user_id,
        actor_name=username,
        detail=dict(detail) if detail else None,
        ip=ip,
    )


def start_enrolment(*, session: Session, principal: Principal, ip: str = "") -> Enrolment:
    """The secret to put in the app: the unconfirmed one already made, or a new one. Two
    pages opened at the same moment (two tabs) both show the one kept."""
    row = session.get(SecondFactor, principal.id)
    if row is None:
        row = SecondFactor(user_id=principal.id, secret=totp.new_secret())
        session.add(row)
        try:
            session.flush()
        except IntegrityError:  # another tab started it at the same moment: show theirs
            session.rollback()
            row = session.exec(
                select(SecondFactor).where(SecondFactor.user_id == principal.id)
            ).one()
        else:
            _record(
                session,
                "second_factor.enrolment_started",
                principal.id,
                principal.user.username,
                ip,
            )
            session.commit()
    if row.confirmed_at is not None:
        raise AlreadyEnrolled()
    uri = totp.provisioning_uri(row.secret, principal.user.username)
    return Enrolment(
        secret=row.secret,
        grouped_secret=totp.grouped(row.secret),
        qr_data_uri=totp.qr_data_uri(uri),
    )


def confirm_enrolment(
    *, session: Session, principal: Principal, code: str, ip: str = ""
) -> list[str]:
    """Switch the second factor on once a code from the app is right; returns the ten recovery
    codes, to be shown this once (only their hashes are kept)."""
    user_id, username = principal.id, principal.user.username
    _reserve(session, user_id, username)
    row = session.get(SecondFactor, user_id, with_for_update=True)
    if row is None or row.confirmed_at is not None:
        session.commit()
        raise AlreadyEnrolled() if row else NotEnrolling()
    step = totp.matching_step(row.secret, code, utcnow(), after=row.last_used_step)
    if step is None:
        _record(session, "second_factor.enrolment_code_wrong", user_id, username, ip)
        session.commit()
        raise CodeWrong()
    row.confirmed_at, row.last_used_step = utcnow(), step
    session.add(row)
    codes = _replace_recovery_codes(session, user_id)
    throttle.succeeded(session=session, address=_counter(user_id), username=username)
    _record(session, "second_factor.enrolled", user_id, username, ip, recovery_codes=len(codes))
    session.commit()
    return codes


def _replace_recovery_codes(session: Session, user_id: uuid.UUID) -> list[str]:
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = totp.new_recovery_codes()
    session.add_all(RecoveryCode(user_id=user_id, code_hash=totp.recovery_hash(c)) for c in codes)
    return codes


def _use_recovery_code(session: Session, user_id: uuid.UUID, typed: str) -> int | None:
    """Spend a recovery code; returns how many are left, or None if it is no unused code."""
    found = session.exec(
        select(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == totp.recovery_hash(typed),
            col(RecoveryCode.used_at).is_(None),
        )
        .with_for_update()
    ).first()
    if found is None:
        return None
    found.used_at = utcnow()
    session.add(found)
    session.flush()
    left = session.exec(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None)
        )
    ).all()
    return len(left)


def complete_sign_in(*, session: Session, row: UserSession, code: str, ip: str = "") -> str:
    """The code owed by a session whose password was right: a code from the app (each good
    once) or an unused recovery code. Returns a new session's cookie token (the pending one
    ends: a fresh id once fully signed in)."""
    user = session.get(User, row.user_id) if row.user_id else None
    if user is None or not user.is_active:
        raise CodeWrong()
    user_id, username, pending_id = user.id, user.username, row.id
    _reserve(session, user_id, username)
    factor = session.get(SecondFactor, user_id, with_for_update=True)
    method, left = "", None
    if factor is not None and factor.confirmed_at is not None:
        if totp.looks_like_code(code):
            step = totp.matching_step(factor.secret, code, utcnow(), after=factor.last_used_step)
            if step is not None:
                factor.last_used_step, method = step, "app"
                session.add(factor)
        elif (left := _use_recovery_code(session, user_id, code)) is not None:
            method = "recovery_code"
    if not method:
        _record(session, "login.second_factor_failed", user_id, username, ip)
        session.commit()
        raise CodeWrong()
    throttle.succeeded(session=session, address=_counter(user_id), username=username)
    session.exec(delete(UserSession).where(col(UserSession.id) == pending_id))
    token, _new = sessions.create(session=session, user_id=user_id)
    detail: dict[str, object] = {"second_factor": method}
    if left is not None:
        detail["recovery_codes_left"] = left
    _record(session, "login.succeeded", user_id, username, ip, **detail)
    session.commit()
    return token


def reset(*, session: Session, actor: Principal, user_id: uuid.UUID, ip: str = "") -> None:
    """An admin removes a user's second factor (a lost phone): the user enrols again at their
    next sign-in if their role needs one. Their sessions end."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    had = session.get(SecondFactor, user_id) is not None
    session.exec(delete(SecondFactor).where(col(SecondFactor.user_id) == user_id))
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    sessions.end_all_for(session=session, user_id=user_id)
    audit.record(
        session=session,
        action="second_factor.reset",
        actor_id=actor.id,
        actor_name=actor.user.username,
        object_type="user",
        object_id=str(user_id),
        detail={"username": user.username, "had_second_factor": had},
        ip=ip,
    )
    session.commit()
