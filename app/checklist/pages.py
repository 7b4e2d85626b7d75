"""Pages of the checklist used by more than one router (here and in the referrals package)."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.accounts.service import Principal
from app.checklist import service
from app.db import SessionDep
from app.web import render


def locked(
    request: Request,
    session: SessionDep,
    officer: Principal,
    incident_id: uuid.UUID,
    *,
    fragment: bool = False,
) -> Response:
    """A submitted or closed incident cannot change: say so plainly (409), with where to go."""
    incident = service.get_own(session=session, officer=officer, incident_id=incident_id)
    if fragment:  # autosave: htmx swaps only a 2xx response
        return render(
            request, "checklist/_save_status.html", principal=officer, locked=True, vary_htmx=True
        )
    return render(
        request,
        "checklist/locked.html",
        principal=officer,
        status_code=409,
        incident=incident,
        reference=incident.reference,
    )
