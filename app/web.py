"""Rendering pages: one helper that adds what every page needs (user, CSRF token)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import object_session
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import ClientDisconnect

from app.errors import DomainError
from app.templating import templates


class _Session(Protocol):
    csrf_token: str


class Viewer(Protocol):
    """Who a page is drawn for (``app.accounts.service.Principal``): this module sits below
    the accounts package and names only what it reads."""

    @property
    def user(self) -> Any: ...

    @property
    def session(self) -> _Session: ...


# Counts shown in the navigation ("Review queue (3)"): each feature registers its own.
NavCounter = Callable[[Session, Any], dict[str, int]]
nav_counters: list[NavCounter] = []


class _NavCounts(Mapping[str, int]):
    """The navigation's counts, counted when a template first reads one: a fragment (an
    autosave's status) reads none, so costs no query."""

    def __init__(self, principal: Viewer | None) -> None:
        self._principal = principal
        self._counts: dict[str, int] | None = None

    def _all(self) -> dict[str, int]:
        if self._counts is None:
            principal = self._principal
            session = object_session(principal.user) if principal else None
            self._counts = {}
            if principal is not None and isinstance(session, Session):
                for counter in nav_counters:
                    self._counts.update(counter(session, principal))
        return self._counts

    def __getitem__(self, key: str) -> int:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def client_ip(request: Request) -> str:
    """The caller's address, for the audit log and the sign-in throttle: the connection's
    own, which uvicorn replaces from X-Forwarded-For only for a proxy in FORWARDED_ALLOW_IPS
    (unset: none; see the Makefile and Dockerfile). Never read the header here."""
    return request.client.host if request.client else ""


def render(
    request: Request,
    template: str,
    /,
    *,
    principal: Viewer | None,
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
            "nav_counts": _NavCounts(principal),
            **context,
        },
        status_code=status_code,
    )
    if vary_htmx:
        response.headers["Vary"] = "HX-Request"
    return response


async def _form(request: Request) -> FormData:
    """The posted form, read before the handler runs. Handlers that use the database are plain
    ``def`` (run in worker threads): database waits must never block the event loop, or one
    request waiting for another's lock stops the other from finishing."""
    try:
        return await request.form()
    except ClientDisconnect:  # the page was left mid-request (an autosave, usually)
        raise DomainError("the client went away") from None


PostedForm = Annotated[FormData, Depends(_form)]
