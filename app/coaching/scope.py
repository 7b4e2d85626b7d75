"""What a dashboard view covers: a period (last 7 or 30 days, or from/to dates) and a scope (the
coach's whole patch, one team they coach, or one officer in those teams)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from app.accounts.models import MembershipKind, Team, TeamMembership, User
from app.accounts.service import Principal
from app.coaching.models import ScopeKind
from app.errors import DomainError, NotPermitted

PERIODS = {"7d": 7, "30d": 30}
MAX_DAYS = 366


class BadPeriod(DomainError):
    status_code = 422
    code = "bad_period"


@dataclass(frozen=True)
class Period:
    name: str  # 7d, 30d or custom
    start: date  # first day, inclusive
    end: date  # last day, inclusive

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        """The instant after the last day."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_period(name: str, start: str, end: str, today: date) -> Period:
    """A period from the query. Raises BadPeriod (with a code the page explains)."""
    if name in PERIODS:
        return Period(name, today - timedelta(days=PERIODS[name] - 1), today)
    if name != "custom":
        return Period("30d", today - timedelta(days=29), today)
    first, last = _date(start), _date(end)
    if first is None or last is None:
        raise BadPeriod("dates")
    if last < first:
        raise BadPeriod("order")
    if (last - first).days >= MAX_DAYS:
        raise BadPeriod("too_long")
    return Period("custom", first, last)


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    team_ids: frozenset[uuid.UUID]
    officer_id: uuid.UUID | None = None
    label: str = ""

    @property
    def scope_id(self) -> uuid.UUID | None:
        if self.kind is ScopeKind.TEAM:
            return next(iter(self.team_ids))
        return self.officer_id


def coached_teams(*, session: Session, coach: Principal) -> list[Team]:
    if not coach.coaches:
        return []
    query = select(Team).where(col(Team.id).in_(coach.coaches)).order_by(col(Team.name))
    return list(session.exec(query))


def officers_in(*, session: Session, team_ids: frozenset[uuid.UUID]) -> list[User]:
    if not team_ids:
        return []
    query = (
        select(User)
        .join(TeamMembership, col(TeamMembership.user_id) == col(User.id))
        .where(
            col(TeamMembership.team_id).in_(team_ids),
            TeamMembership.kind == MembershipKind.MEMBER,
        )
        .distinct()
        .order_by(col(User.display_name))
    )
    return list(session.exec(query))


def resolve(
    *,
    session: Session,
    coach: Principal,
    kind: str,
    team_id: uuid.UUID | None,
    officer_id: uuid.UUID | None,
) -> Scope:
    """The scope asked for, within the teams the coach coaches; NotPermitted outside them."""
    coached = frozenset(coach.coaches)
    if kind == ScopeKind.TEAM and team_id is not None:
        if team_id not in coached:
            raise NotPermitted()
        team = session.get(Team, team_id)
        return Scope(ScopeKind.TEAM, frozenset({team_id}), label=team.name if team else "")
    if kind == ScopeKind.OFFICER and officer_id is not None:
        officer = next(
            (u for u in officers_in(session=session, team_ids=coached) if u.id == officer_id),
            None,
        )
        if officer is None:
            raise NotPermitted()
        return Scope(ScopeKind.OFFICER, coached, officer.id, officer.display_name)
    return Scope(ScopeKind.FORCE, coached)


def query_string(period: Period, scope: Scope, **extra: str) -> str:
    """The query that selects this period and scope again (for links and exports)."""
    params: dict[str, str] = {"period": period.name}
    if period.name == "custom":
        params |= {"from": period.start.isoformat(), "to": period.end.isoformat()}
    params["scope"] = scope.kind.value
    if scope.kind is ScopeKind.TEAM:
        params["team"] = str(scope.scope_id)
    if scope.kind is ScopeKind.OFFICER:
        params["officer"] = str(scope.officer_id)
    return urlencode({**params, **extra})
