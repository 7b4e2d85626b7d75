"""``GET /api/v1/session``: who is signed in, for the offline app (``static/js/offline/``).

The offline app's page is cached by the service worker, so it carries no user and no CSRF
token; before sending its outbox it asks here, and wipes the browser's stored drafts when a
different user has signed in. The answer is never stored (``Cache-Control: no-store``).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from app.accounts.deps import MaybeUser

router = APIRouter(include_in_schema=False)


@router.get("/api/v1/session")
def current_session(principal: MaybeUser) -> Response:
    if principal is None:
        return JSONResponse({"error": "not_authenticated"}, status_code=401)
    if principal.session.locked:  # quick hide: nothing is sent until the officer unlocks
        return JSONResponse({"error": "locked"}, status_code=423)
    return JSONResponse(
        {
            "user_id": str(principal.user.id),
            "roles": sorted(str(role) for role in principal.roles),
            "csrf_token": principal.session.csrf_token,
        }
    )
