"""Who a request comes from, in one query: the session with its user, roles, teams and second
factor facts (instead of one query for each), then its idle and absolute expiry and the touch
of its last-seen time (``sessions.keep_alive``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, Select, bindparam, select
from sqlmodel import Session, col

from app.accounts import sessions
from app.accounts.models import (
    Role,
    SecondFactor,
    SecondFactorRule,
    TeamMembership,
    User,
    UserRole,
    UserSession,
)
from app.accounts.second_factor_rules import DEFAULT_REQUIRED
from app.accounts.service import Principal

# Counts a higher package shows on every page it draws for the user (the officer's unread
# feedback in the navigation), read in the session's own query instead of one more query a
# page: name -> a correlated scalar subquery on the user's id, registered by the package that
# owns the count when it is imported (this package imports none of them).
CountOf = Callable[[Any], ScalarSelect[int]]
counted_with_session: dict[str, CountOf] = {}

FIXED_COLUMNS = 7  # the session, the user, and one role, rule, factor and team per row


@dataclass(frozen=True)
class SignedIn:
    """A live session; ``principal`` None while a second factor's code is owed, or for a user
    who is no longer active."""

    row: UserSession
    principal: Principal | None
    must_enrol: bool  # holds a role that must use a second factor, and has none yet


_built: dict[tuple[str, ...], Select[*tuple[Any, ...]]] = {}


def _query() -> Select[*tuple[Any, ...]]:
    """The session's query, built once (for the counts registered by then): building a
    statement of seven joins costs more than the database takes to answer it."""
    names = tuple(counted_with_session)
    query = _built.get(names)
    if query is None:
        # One row per (role, team membership) pair: a handful at most.
        query = (
            select(
                UserSession,
                User,
                col(UserRole.role),
                col(SecondFactorRule.required),
                col(SecondFactor.confirmed_at),
                col(TeamMembership.team_id),
                col(TeamMembership.kind),
                *(counted_with_session[name](col(User.id)).label(name) for name in names),
            )
            .select_from(UserSession)
            .outerjoin(User, col(User.id) == col(UserSession.user_id))
            .outerjoin(UserRole, col(UserRole.user_id) == col(User.id))
            .outerjoin(SecondFactorRule, col(SecondFactorRule.role) == col(UserRole.role))
            .outerjoin(SecondFactor, col(SecondFactor.user_id) == col(User.id))
            .outerjoin(TeamMembership, col(TeamMembership.user_id) == col(User.id))
            .where(col(UserSession.id) == bindparam("session_key"))
        )
        _built[names] = query
    return query


def load(*, session: Session, token: str | None) -> SignedIn | None:
    """The live session for a cookie token, touched, with its principal; None for no session
    or an expired one (deleted)."""
    if not sessions.plausible(token):
        return None
    assert token is not None
    rows = session.execute(_query(), {"session_key": sessions.key_of(token)}).all()
    if not rows:
        return None
    row, user = rows[0][0], rows[0][1]
    roles: set[Role] = set()
    required: set[Role] = set()
    teams: dict[str, set[uuid.UUID]] = {"member": set(), "supervises": set(), "coaches": set()}
    enrolled = False
    counts = dict(zip(counted_with_session, rows[0][FIXED_COLUMNS:], strict=True))
    for _row, _user, role, rule, confirmed_at, team_id, kind, *_counts in rows:
        if role is not None:
            roles.add(Role(role))
            if rule if rule is not None else Role(role) in DEFAULT_REQUIRED:
                required.add(Role(role))
        if team_id is not None:
            teams[kind].add(team_id)
        enrolled = enrolled or confirmed_at is not None
    if not sessions.keep_alive(session=session, row=row):
        return None
    if row.user_id is None or row.pending_second_factor or user is None or not user.is_active:
        return SignedIn(row=row, principal=None, must_enrol=False)
    principal = Principal(
        user=user,
        roles=frozenset(roles),
        member_of=frozenset(teams["member"]),
        supervises=frozenset(teams["supervises"]),
        coaches=frozenset(teams["coaches"]),
        session=row,
        counts={name: int(value or 0) for name, value in counts.items()},
    )
    return SignedIn(row=row, principal=principal, must_enrol=bool(required) and not enrolled)
