"""htmx helpers: know an htmx request, and redirect in a way that works with and without it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response


def _is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


IsHtmx = Annotated[bool, Depends(_is_htmx)]


def redirect(request: Request, url: str) -> Response:
    """303 for plain forms; for htmx, HX-Location so the page changes without a full reload."""
    if _is_htmx(request):
        return Response(status_code=204, headers={"HX-Location": url})
    return RedirectResponse(url, status_code=303)
