"""Rendering pages: one helper that adds what every page needs (user, CSRF token)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import object_session
from sqlmodel import Session

from app.accounts.service import Principal
from app.templating import templates

# Counts shown in the navigation ("Review queue (3)"): each feature registers its own.
NavCounter = Callable[[Session, Principal], dict[str, int]]
nav_counters: list[NavCounter] = []


def _nav_counts(principal: Principal | None) -> dict[str, int]:
    session = object_session(principal.user) if principal else None
    counts: dict[str, int] = {}
    if principal is not None and isinstance(session, Session):
        for counter in nav_counters:
            counts.update(counter(session, principal))
    return counts


def client_ip(request: Request) -> str:
    """The caller's address, for the audit log."""
    return request.client.host if request.client else ""


def render(
    request: Request,
    template: str,
    /,
    *,
    principal: Principal | None,
    status_code: int = 200,
    csrf_token: str | None = None,
    vary_htmx: bool = False,
    **context: Any,
) -> HTMLResponse:
    token = csrf_token or (principal.session.csrf_token if principal else "")
    response = templates.TemplateResponse(
        request,
        template,
        {
            "principal": principal,
            "csrf_token": token,
            "nav_counts": _nav_counts(principal),
            **context,
        },
        status_code=status_code,
    )
    if vary_htmx:
        response.headers["Vary"] = "HX-Request"
    return response
