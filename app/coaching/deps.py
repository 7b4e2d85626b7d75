"""Request dependencies for coaching pages: the coach, and the period and scope asked for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Query

from app.accounts.deps import require_roles
from app.accounts.models import Role, Team
from app.accounts.service import Principal
from app.coaching import scope as scopes
from app.coaching.scope import BadPeriod, Period, Scope
from app.db import SessionDep

Coach = Annotated[Principal, Depends(require_roles(Role.COACH))]
UK = ZoneInfo("Europe/London")


def as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Selection:
    period: Period
    scope: Scope
    teams: list[Team]
    error: str  # why the period asked for could not be used ("" when it could)
    asked: dict[str, str]  # what was typed, shown again in the form


def _selection(
    session: SessionDep,
    coach: Coach,
    period: Annotated[str, Query(max_length=10)] = "30d",
    start: Annotated[str, Query(alias="from", max_length=20)] = "",
    end: Annotated[str, Query(alias="to", max_length=20)] = "",
    scope: Annotated[str, Query(max_length=10)] = "force",
    team: Annotated[str, Query(max_length=40)] = "",
    officer: Annotated[str, Query(max_length=40)] = "",
) -> Selection:
    today = datetime.now(UK).date()
    error = ""
    try:
        chosen = scopes.parse_period(period, start, end, today)
    except BadPeriod as e:
        error, chosen = str(e), scopes.parse_period("30d", "", "", today)
    found = scopes.resolve(
        session=session, coach=coach, kind=scope, team_id=as_uuid(team), officer_id=as_uuid(officer)
    )
    asked = {"period": period, "from": start, "to": end, "scope": scope, "team": team}
    return Selection(
        chosen,
        found,
        scopes.coached_teams(session=session, coach=coach),
        error,
        asked | {"officer": officer},
    )


Selected = Annotated[Selection, Depends(_selection)]
