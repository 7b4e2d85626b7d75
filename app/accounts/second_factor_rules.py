"""Which roles must use a second factor: a setting in the database an admin changes, required
by default for supervisors, coaches and admins (who see many children's records), optional
for officers. A user holding any required role must enrol before doing anything else."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.models import Role, SecondFactor, SecondFactorRule
from app.accounts.service import Principal
from app.audit import service as audit
from app.models_base import utcnow

DEFAULT_REQUIRED = frozenset({Role.SUPERVISOR, Role.COACH, Role.ADMIN})


def required_roles(*, session: Session) -> frozenset[Role]:
    """The roles that must use a second factor now (a role without a row: the default)."""
    stored = {Role(r.role): r.required for r in session.exec(select(SecondFactorRule))}
    return frozenset(role for role in Role if stored.get(role, role in DEFAULT_REQUIRED))


def has_second_factor(*, session: Session, user_id: object) -> bool:
    row = session.get(SecondFactor, user_id)
    return row is not None and row.confirmed_at is not None


def must_enrol(*, session: Session, principal: Principal) -> bool:
    """The user holds a role that must use a second factor, and has none yet."""
    if not principal.roles & required_roles(session=session):
        return False
    return not has_second_factor(session=session, user_id=principal.id)


def set_required_roles(
    *, session: Session, actor: Principal, roles: set[Role], ip: str = ""
) -> None:
    before = required_roles(session=session)
    now = utcnow()
    for role in Role:
        row = session.get(SecondFactorRule, role.value, with_for_update=True)
        if row is None:
            row = SecondFactorRule(role=role, required=role in roles, updated_at=now)
        elif row.required != (role in roles):
            row.required, row.updated_at = role in roles, now
        session.add(row)
    audit.record(
        session=session,
        action="second_factor.requirement_changed",
        actor_id=actor.id,
        actor_name=actor.user.username,
        detail={"before": sorted(before), "after": sorted(roles)},
        ip=ip,
    )
    session.commit()
