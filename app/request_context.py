"""The route of the request being served, for entries written far from the route (a refused
read found deep in a service). A pure ASGI middleware sets it; sync handlers and dependencies
run in threads that copy the request's context, so they read it too."""

from __future__ import annotations

from contextvars import ContextVar

from starlette.types import ASGIApp, Receive, Scope, Send

_route: ContextVar[str] = ContextVar("think_child_route", default="")
_address: ContextVar[str] = ContextVar("think_child_address", default="")


def current_route() -> str:
    """ "GET /review/TC-2026-000123", or "" outside a request."""
    return _route.get()


def current_address() -> str:
    """The caller's address as the server saw it (uvicorn sets it from X-Forwarded-For only
    for a trusted proxy), or "" outside a request."""
    return _address.get()


class RememberRoute:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        route = _route.set(f"{scope['method']} {scope['path']}"[:300])
        address = _address.set(str(client[0]) if client else "")
        try:
            await self.app(scope, receive, send)
        finally:
            _route.reset(route)
            _address.reset(address)
