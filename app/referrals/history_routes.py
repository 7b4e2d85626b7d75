"""What changed between two versions of a referral, for anyone who may read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.accounts.deps import CurrentUser
from app.db import SessionDep
from app.referrals import access, versions
from app.web import client_ip, render

router = APIRouter(tags=["referrals"], include_in_schema=False)


@router.get("/referrals/{reference}/changes")
def changes(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    reference: str,
    from_: Annotated[int | None, Query(alias="from", ge=1)] = None,
    to: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    referral = access.open_for_reading(
        session=session,
        principal=principal,
        reference=reference,
        form="changes",
        ip=client_ip(request),
    )
    newer = to or referral.version
    older = from_ or max(1, newer - 1)
    before = versions.get_version(session=session, referral=referral, version=older)
    after = versions.get_version(session=session, referral=referral, version=newer)
    return render(
        request,
        "referrals/changes.html",
        principal=principal,
        referral=referral,
        before=before,
        after=after,
        changes=versions.changes(before, after),
    )
