"""Which roles must use a second factor: a setting in the database an admin changes, required
by default for supervisors, coaches and admins (who see many children's records), optional
for officers. A user holding any required role must enrol before doing anything else."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

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
    now = utcnow()
    # A role without a row takes the default: its row is made first (as it stands), so that
    # every row can be locked before it is read: two administrators saving at once (the first
    # time too) are saved in turn, the later one in force.
    dialect = session.get_bind().dialect.name
    insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    for role in Role:
        default = {"role": role.value, "required": role in DEFAULT_REQUIRED, "updated_at": now}
        session.execute(insert(SecondFactorRule).values(**default).on_conflict_do_nothing())
    rows = session.exec(
        select(SecondFactorRule)
        .order_by(col(SecondFactorRule.role))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    before = frozenset(Role(r.role) for r in rows if r.required)
    for row in rows:
        if row.required != (Role(row.role) in roles):
            row.required, row.updated_at = Role(row.role) in roles, now
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
