"""The coach's pages: the dashboard, the incidents behind each figure, an incident (read only)
and each table as CSV. This router also carries the audit, feedback, training and MASH outcome
routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.coaching import (
    api,
    dashboard,
    listing,
    officer_routes,
    reading,
    sample_routes,
    training_routes,
)
from app.coaching import scope as scopes
from app.coaching.deps import Coach, Selected
from app.coaching.tables import Table, to_csv
from app.db import SessionDep
from app.errors import NotFound
from app.models_base import utcnow
from app.web import client_ip, render

router = APIRouter(tags=["coaching"], include_in_schema=False)
router.include_router(sample_routes.router)
router.include_router(officer_routes.router)
router.include_router(training_routes.router)
router.add_route(api.OUTCOME_PATH, api.outcome, methods=["POST"], include_in_schema=False)


def _csv(table: Table, name: str) -> Response:
    return Response(
        to_csv(table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/coaching")
def dashboard_page(
    request: Request, session: SessionDep, coach: Coach, selected: Selected
) -> Response:
    board = dashboard.build(
        session=session,
        scope=selected.scope,
        period=selected.period,
        teams=selected.teams,
        now=utcnow(),
    )
    return render(
        request,
        "coaching/dashboard.html",
        principal=coach,
        status_code=422 if selected.error else 200,
        board=board,
        selected=selected,
        officers=scopes.officers_in(session=session, team_ids=frozenset(coach.coaches)),
        query=scopes.query_string(selected.period, selected.scope),
    )


@router.get("/coaching/export/{table_id}.csv")
def export_table(session: SessionDep, coach: Coach, selected: Selected, table_id: str) -> Response:
    board = dashboard.build(
        session=session,
        scope=selected.scope,
        period=selected.period,
        teams=selected.teams,
        now=utcnow(),
    )
    if table_id not in board.tables:
        raise NotFound()
    return _csv(board.tables[table_id], f"{table_id}-{selected.period.start}-{selected.period.end}")


@router.get("/coaching/incidents")
def incidents_page(
    request: Request,
    session: SessionDep,
    coach: Coach,
    selected: Selected,
    figure: Annotated[str, Query(max_length=60)] = "incidents",
    part: Annotated[str, Query(max_length=10)] = "met",
    address: Annotated[str, Query(max_length=300)] = "",
    download: Annotated[str, Query(max_length=5)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    table = listing.drill(
        session=session,
        scope=selected.scope,
        period=selected.period,
        figure=figure,
        part=part,
        address=address,
        now=utcnow(),
        page=None if download == "csv" else page,
    )
    if download == "csv":
        return _csv(table, f"incidents-{figure}-{part}")
    query = scopes.query_string(
        selected.period, selected.scope, figure=figure, part=part, address=address
    )
    return render(
        request,
        "coaching/incidents.html",
        principal=coach,
        table=table,
        figure=figure,
        part=part,
        selected=selected,
        query=query,
        page=page,
        pages=-(-(table.total or 0) // listing.PAGE) if table.total is not None else 1,
        back=scopes.query_string(selected.period, selected.scope),
    )


@router.get("/coaching/incidents/{incident_id}")
def incident_page(
    request: Request, session: SessionDep, coach: Coach, incident_id: str
) -> Response:
    found = uuid.UUID(incident_id) if _is_uuid(incident_id) else None
    if found is None:
        raise reading.IncidentNotFound()
    view = reading.open_incident(
        session=session, coach=coach, incident_id=found, ip=client_ip(request)
    )
    return render(request, "coaching/incident.html", principal=coach, view=view)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
