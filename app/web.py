"""Rendering pages: one helper that adds what every page needs (user, CSRF token)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from app.accounts.service import Principal
from app.templating import templates


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
        {"principal": principal, "csrf_token": token, **context},
        status_code=status_code,
    )
    if vary_htmx:
        response.headers["Vary"] = "HX-Request"
    return response
