"""The CSRF check is left to a route only when the route itself is handed the ``Pending`` it
checks (``asking.principal()``): a ``Pending`` named in a route's or router's ``dependencies``
reaches no code that could check it, so the app-wide check must still refuse a write there."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.deps import cookie_name, csrf_protect, require_roles_in_thread
from app.accounts.models import Role
from app.db import get_session
from app.errors import DomainError
from tests.helpers import Browserless


def _app(session: Session, ran: list[str]) -> FastAPI:
    """The app's own arrangement in small: the CSRF check app-wide, routes in a router."""
    app = FastAPI(dependencies=[Depends(csrf_protect)])
    router = APIRouter(dependencies=[Depends(require_roles_in_thread(Role.OFFICER))])

    @router.post("/write")
    def write() -> Response:
        ran.append("write")  # a state change, for all the route knows
        return PlainTextResponse("written")

    async def refused(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DomainError)
        return JSONResponse({"error": exc.code}, status_code=exc.status_code)

    app.include_router(router)
    app.add_exception_handler(DomainError, refused)
    app.dependency_overrides[get_session] = lambda: session
    return app


def test_a_pending_in_a_routers_dependencies_leaves_the_csrf_check_to_no_one(
    as_officer: Browserless, session: Session
) -> None:
    """A signed-in officer's browser posts another site's form (no token) to such a route:
    refused, and the route never runs."""
    ran: list[str] = []
    with TestClient(_app(session, ran)) as other:
        other.cookies.set(cookie_name(), as_officer.cookies.get(cookie_name()) or "")
        response = other.post("/write", data={"note": "from another site"})
    assert (response.status_code, ran) == (403, []), response.text
