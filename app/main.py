"""create_app(): static files, routers, security headers and error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import assets
from app.accounts import account_routes as own_account
from app.accounts import admin_routes as accounts_admin
from app.accounts import audit_routes, lock_routes, session_api
from app.accounts import routes as accounts
from app.accounts import second_factor_routes as second_factor
from app.accounts.deps import csrf_protect
from app.checklist import api as checklist_api
from app.checklist import items_routes as checklist_items
from app.checklist import resume as checklist_resume
from app.checklist import routes as checklist
from app.coaching import routes as coaching
from app.compression import Compression
from app.config import get_settings
from app.db import SessionDep
from app.errors import CsrfRefused, DomainError, NotAuthenticated, SessionLocked, StepRequired
from app.inflight import LimitInFlight
from app.paths import STATIC_DIR
from app.pwa import router as pwa_router
from app.referrals import api as referrals_api
from app.referrals import document_routes as referral_documents
from app.referrals import history_routes as referral_history
from app.referrals import routes as referrals
from app.request_context import RememberRoute
from app.request_guard import GuardRequestBody
from app.review import routes as review
from app.security import SecurityHeaders
from app.startup import check_before_serving
from app.templating import templates

log = logging.getLogger("thinkchild")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, code: str = "") -> Response:
    if _wants_json(request):
        return JSONResponse({"error": code or str(status)}, status_code=status)
    name = f"errors/{status if status in (403, 404, 413, 422, 429, 503) else 500}.html"
    if status in (400, 401, 405, 409):
        name = "errors/400.html"
    return templates.TemplateResponse(
        request, name, {"principal": None, "csrf_token": "", "code": code}, status_code=status
    )


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    htmx_write = request.headers.get("HX-Request") == "true" and request.method != "GET"
    if htmx_write and isinstance(exc, NotAuthenticated | CsrfRefused):
        # An autosave after the session ended: keep the page, and what was typed on it.
        # The page script opens a sign-in dialog in place on this event (static/js/session.mjs).
        return templates.TemplateResponse(
            request,
            "components/_signed_out_status.html",
            {},
            status_code=200,
            headers={"HX-Trigger": "tc-signed-out"},
        )
    if isinstance(exc, StepRequired) and not _wants_json(request):
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": exc.location})
        return RedirectResponse(exc.location, status_code=303)
    if isinstance(exc, NotAuthenticated | CsrfRefused):
        # A screen posted after the session ended: its answers come back with a sign-in prompt.
        page = await checklist_resume.signed_out_screen(request)
        if page is not None:
            return page
    if isinstance(exc, SessionLocked) and not _wants_json(request):
        return _locked(request)
    if isinstance(exc, NotAuthenticated):
        if _wants_json(request):
            return JSONResponse({"error": exc.code}, status_code=401)
        target = "/login?next=" + quote(request.url.path, safe="/")
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    return _error_page(request, exc.status_code, exc.code)


def _locked(request: Request) -> Response:
    """Quick hide locked the session: a page goes to the password; an autosave is refused
    (the page script keeps what was typed and sends it again once unlocked)."""
    is_htmx = request.headers.get("HX-Request") == "true"
    if is_htmx and request.method != "GET":
        return Response(status_code=423)
    target = "/unlock?next=" + quote(request.url.path, safe="/")
    if is_htmx:
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return _error_page(request, exc.status_code)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _wants_json(request):
        errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        return JSONResponse({"error": "invalid", "errors": errors}, status_code=422)
    return _error_page(request, 422, "invalid")


def _busy(exc: Exception) -> bool:
    """SQLite's write lock not granted within its busy timeout: the store is overloaded for a
    moment, nothing was written (the transaction rolled back), and trying again will work."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


async def _server_error(request: Request, exc: Exception) -> Response:
    if _busy(exc):
        log.warning(
            "busy: %s %s waited too long for the write lock", request.method, request.url.path
        )
        page = _error_page(request, 503, "busy")
        page.headers["Retry-After"] = "5"
        return page
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error_page(request, 500)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # Request threads: as many as the connection pool has connections for them (app/db.py).
    anyio.to_thread.current_default_thread_limiter().total_tokens = get_settings().web_threads
    await run_in_threadpool(check_before_serving)  # production: no demo accounts
    yield


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Think Child",
        version="0.1.0",
        dependencies=[Depends(csrf_protect)],
        docs_url="/api/docs" if settings.is_development else None,
        openapi_url="/openapi.json" if settings.is_development else None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    # No more requests at work than connections for them (static files need none).
    app.add_middleware(LimitInFlight, limit=settings.web_threads, exempt=("/static/", "/healthz"))
    app.add_middleware(GuardRequestBody)  # size and NUL, before any route reads the body
    app.add_middleware(RememberRoute)  # the route, for entries written far from it
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    app.add_middleware(Compression)  # outermost: every page and JSON answer, errors included
    # Fingerprinted names (built now if the build is missing or stale), pre-compressed.
    app.mount("/static", assets.StaticAssets(STATIC_DIR, assets.manifest()), name="static")
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)

    @app.get("/healthz", include_in_schema=False)
    def healthz(session: SessionDep) -> PlainTextResponse:
        try:
            session.connection().execute(text("SELECT 1"))
        except SQLAlchemyError:
            log.exception("health check: database unavailable")
            return PlainTextResponse("database unavailable", status_code=503)
        return PlainTextResponse("ok")

    app.include_router(accounts.router)
    app.include_router(own_account.router)
    app.include_router(second_factor.router)
    app.include_router(accounts_admin.router)
    app.include_router(audit_routes.router)
    app.include_router(checklist.router)
    app.include_router(checklist_items.router)
    app.include_router(checklist_resume.router)
    app.include_router(referrals.router)
    app.include_router(referral_documents.router)
    app.include_router(review.router)
    app.include_router(referral_history.router)
    app.include_router(checklist_api.router)
    app.include_router(referrals_api.router)
    app.include_router(coaching.router)
    app.include_router(pwa_router)
    app.include_router(session_api.router)
    app.include_router(lock_routes.router)
    return app


app = create_app()
