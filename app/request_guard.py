"""Request bodies checked before any route, session or password sees them (a pure ASGI middleware).

- Size: a form may be 256 KB, a body to /api/ 1 MB. A larger Content-Length is refused before
  reading; a body without one (chunked) is counted as it arrives, and reading stops at the limit.
  413, with a plain page or, under /api/, `{"error": "too_large"}`.
- NUL: no person types one and PostgreSQL cannot store one in text. Refused in the URL, and in
  any body: a raw NUL byte, `%00` in a urlencoded form, a `\\u0000` escape in JSON (a body
  with no content type is read as JSON by FastAPI, so it is checked as JSON too). Content types
  are matched case-insensitively, parameters ignored. 400 (form or URL) or 422 (JSON), with a
  plain page or, under /api/, a JSON error shaped like the app's own validation errors.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.templating import templates

FORM_LIMIT = 256 * 1024
API_LIMIT = 1024 * 1024

URLENCODED = "application/x-www-form-urlencoded"
# An escaped NUL: "\u0000" after an even number of other backslashes (so not "\\u0000").
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _is_api(scope: Scope) -> bool:
    return str(scope["path"]).startswith("/api/")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def media_type(content_type: str | None) -> str:
    """`Application/JSON; charset=utf-8` -> `application/json`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    return media in ("", "application/json") or media.endswith("+json")


def has_nul(body: bytes, media: str) -> bool:
    if b"\x00" in body:
        return True
    if media == URLENCODED:
        return b"%00" in body
    return _is_json(media) and JSON_NUL.search(body) is not None


def _refusal(scope: Scope, status: int, code: str) -> Response:
    if _is_api(scope):
        if code == "nul" and status == 422:
            msg = "Text must not contain a NUL character (\\u0000)."
            return JSONResponse(
                {"error": "invalid", "errors": [{"loc": ["body"], "msg": msg}]}, status_code=422
            )
        return JSONResponse({"error": code}, status_code=status)
    return templates.TemplateResponse(
        Request(scope),
        f"errors/{status if status == 413 else 400}.html",
        {"principal": None, "csrf_token": "", "code": code},
        status_code=status,
    )


class _TooLarge(Exception):
    pass


class GuardRequestBody:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
        if b"%00" in raw or b"\x00" in raw or "\x00" in scope["path"]:
            await _refusal(scope, 400, "nul")(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        chunked = _header(scope, b"transfer-encoding") is not None
        if not chunked and (length is None or length.strip() == "0"):
            await self.app(scope, receive, send)  # no body
            return
        limit = API_LIMIT if _is_api(scope) else FORM_LIMIT
        if length is not None and not length.strip().isdigit():
            await _refusal(scope, 400, "bad_length")(scope, receive, send)
            return
        if length is not None and int(length) > limit:
            await _refusal(scope, 413, "too_large")(scope, receive, send)
            return
        try:
            body = await _read(receive, limit)
        except _TooLarge:
            await _refusal(scope, 413, "too_large")(scope, receive, send)
            return
        if body is None:
            return  # the client went away
        media = media_type(_header(scope, b"content-type"))
        if has_nul(body, media):
            status = 422 if _is_json(media) else 400
            await _refusal(scope, status, "nul")(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or _TooLarge as soon as it passes `limit` (nothing more is read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
