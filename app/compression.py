"""Compressing pages and JSON on the fly (Brotli, else gzip): a pure ASGI middleware.

- Text only (HTML, JSON, CSS, JavaScript, plain text, SVG); bodies under ``MINIMUM_SIZE`` are
  sent as they are (compressing them saves nothing). A response that already has a
  ``Content-Encoding`` (the pre-compressed static files) is left alone.
- Every text response says ``Vary: Accept-Encoding`` (added to any ``Vary`` already there).
- BREACH: our pages carry secrets (the CSRF token, and the personal data on them), and an
  attacker who can make a signed-in browser send requests and see the size of each answer
  could learn a secret from how well it compresses beside text the attacker chose. We do not
  mask the token; we compress an answer only when the attacker cannot have caused the request:
  the browser says it came from our own pages or from the person (``Sec-Fetch-Site``:
  ``same-origin`` or ``none``), or the request carries no cookie at all (then its answer holds
  no one's secrets). A cross-site (or same-site, or unlabelled) request with a cookie gets an
  uncompressed answer: same bytes, just larger. Every browser we support sends ``Sec-Fetch-Site``.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Protocol

import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.assets.serve import accepted_encodings

MINIMUM_SIZE = 1024
BROTLI_QUALITY = 5  # fast enough per response, and smaller than gzip's best
GZIP_LEVEL = 6
TEXT_TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/problem+json",
        "application/schema+json",
        "image/svg+xml",
    }
)
TRUSTED_SITES = frozenset({"same-origin", "none"})


def is_text(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in TEXT_TYPES or media.endswith("+json")


def may_compress(headers: Headers) -> bool:
    """False when a cross-site page could have caused this request with someone's cookie."""
    return headers.get("sec-fetch-site", "").lower() in TRUSTED_SITES or "cookie" not in headers


def choose_encoding(headers: Headers) -> str | None:
    accepted = accepted_encodings(headers.get("accept-encoding", ""))
    if "br" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


class _Compressor(Protocol):
    def process(self, data: bytes) -> bytes: ...
    def finish(self) -> bytes: ...


class _Gzip:
    def __init__(self) -> None:
        self._z = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)

    def process(self, data: bytes) -> bytes:
        return self._z.compress(data)

    def finish(self) -> bytes:
        return self._z.flush()


class _Brotli:
    def __init__(self) -> None:
        self._c = brotli.Compressor(quality=BROTLI_QUALITY)

    def process(self, data: bytes) -> bytes:
        return self._c.process(data)

    def finish(self) -> bytes:
        return self._c.finish()


def compress(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=GZIP_LEVEL)


def _add_vary(headers: MutableHeaders, value: str) -> None:
    present = [v.strip().lower() for v in headers.get("vary", "").split(",") if v.strip()]
    if value.lower() not in present:
        headers["Vary"] = ", ".join([*filter(None, [headers.get("vary", "")]), value])


class Compression:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        encoding = choose_encoding(request_headers) if may_compress(request_headers) else None
        start: Message | None = None
        compressor: _Compressor | None = None

        async def send_compressed(message: Message) -> None:
            nonlocal start, compressor
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if not is_text(headers.get("content-type", "")):
                    await send(message)
                    return
                _add_vary(headers, "Accept-Encoding")
                if encoding is None or "content-encoding" in headers:
                    await send(message)
                    return
                start = message  # held until the first body part says how large it is
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body: bytes = message.get("body", b"")
            more = bool(message.get("more_body", False))
            headers = MutableHeaders(scope=start)
            if compressor is None:
                if not more and len(body) < MINIMUM_SIZE:
                    await send(start)
                    start = None
                    await send(message)
                    return
                assert encoding is not None
                compressor = _Brotli() if encoding == "br" else _Gzip()
                headers["Content-Encoding"] = encoding
                if more:
                    del headers["content-length"]
                    await send(start)
                else:
                    data = compress(body, encoding)
                    headers["Content-Length"] = str(len(data))
                    await send(start)
                    start = None
                    await send({"type": "http.response.body", "body": data})
                    return
            data = compressor.process(body)
            if not more:
                data += compressor.finish()
                start = None
            await send({"type": "http.response.body", "body": data, "more_body": more})

        await self.app(scope, receive, send_compressed)
