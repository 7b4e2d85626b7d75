"""The admin's view of the audit log, with the chain checked on from the last checkpoint (an
accounts page: the audit package is a sink that imports no other domain)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.accounts.deps import require_roles
from app.accounts.models import Role
from app.accounts.service import Principal
from app.audit import service, verification
from app.db import SessionDep
from app.web import render

router = APIRouter(prefix="/admin/audit", tags=["audit"], include_in_schema=False)
PAGE_SIZE = 50


@router.get("")
def audit_log(
    request: Request,
    session: SessionDep,
    admin: Annotated[Principal, Depends(require_roles(Role.ADMIN))],
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    # Only the entries since the last check, never the whole log per view; first: it ends its
    # transactions as it goes.
    chain = verification.verify_incremental(session=session)
    events = service.recent(session=session, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return render(
        request,
        "accounts/admin/audit_log.html",
        principal=admin,
        events=events[:PAGE_SIZE],
        page=page,
        has_next=len(events) > PAGE_SIZE,
        chain=chain,
    )
