"""Serving static files: fingerprinted names for a year, pre-compressed when the browser takes it.

- ``/static/<fingerprinted name>`` (in the manifest): from ``static/dist``, with
  ``Cache-Control: public, max-age=31536000, immutable`` (the name changes when the content
  does), as the ``.br`` or ``.gz`` copy when the request accepts it, always with
  ``Vary: Accept-Encoding``.
- ``/static/<source name>`` (no fingerprint): the source file with ``Cache-Control: no-cache``
  (the browser checks again before using it), so a fix reaches phones at once.
- Anything else: 404.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from app.assets.build import DIST, Manifest

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The order we prefer when the browser takes both (Brotli is smaller).
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/javascript", ".js")


def accepted_encodings(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` header allows (``q=0`` refuses one)."""
    accepted = set()
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding and quality > 0:
            accepted.add(coding.strip().lower())
    return accepted


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


class StaticAssets:
    """The ASGI app mounted at ``/static``."""

    def __init__(self, static_dir: Path, manifest: Manifest) -> None:
        self.static_dir = static_dir
        self.dist = static_dir / DIST
        self.built = frozenset(manifest.files.values())
        self.sources = frozenset(manifest.files)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.response(scope)
        await response(scope, receive, send)

    def response(self, scope: Scope) -> Response:
        if scope["method"] not in ("GET", "HEAD"):
            return PlainTextResponse("Method not allowed", status_code=405)
        name = str(scope["path"]).removeprefix(scope.get("root_path", "")).lstrip("/")
        name = name.removeprefix("static/")
        if name in self.built:
            return self._built(scope, name)
        if name in self.sources:
            path = self.static_dir / name
            return FileResponse(
                path, media_type=_media_type(name), headers={"Cache-Control": REVALIDATE}
            )
        return PlainTextResponse(
            "Not found", status_code=404, headers={"Cache-Control": "no-store"}
        )

    def _built(self, scope: Scope, name: str) -> Response:
        path = self.dist / name
        headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
        accepted = accepted_encodings(_header(scope, b"accept-encoding"))
        for coding, suffix in ENCODINGS:
            encoded = Path(f"{path}{suffix}")
            if coding in accepted and encoded.is_file():
                headers["Content-Encoding"] = coding
                return FileResponse(encoded, media_type=_media_type(name), headers=headers)
        return FileResponse(path, media_type=_media_type(name), headers=headers)


def _media_type(name: str) -> str:
    media, _ = mimetypes.guess_type(name)
    media = media or "application/octet-stream"
    if media.startswith("text/") or media in ("application/json", "image/svg+xml"):
        return f"{media}; charset=utf-8"
    return media
