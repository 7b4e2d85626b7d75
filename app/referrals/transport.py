"""How a referral document reaches the MASH: an HTTP POST, or files in a local folder.

A transport sends one parcel and returns the receipt, or raises `TransportError`. It knows nothing
of the database: `delivery.py` decides what to send, when, and records what happened.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import ssl
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from app.config import Settings, get_settings

MAX_RECEIPT_BYTES = 64 * 1024


class TransportError(Exception):
    """The parcel was not delivered (it may be retried)."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class Parcel:
    """One referral version, or (with `addendum_id`) one addendum to it."""

    reference: str
    version: int
    document: dict[str, Any]
    pdf: bytes | None = None
    addendum_id: uuid.UUID | None = None

    @property
    def key(self) -> str:
        """The idempotency key, the same for every try: TC-2026-000123-v1 for a version,
        TC-2026-000123-addendum-<addendum id> for an addendum. Also the folder's file name."""
        if self.addendum_id is not None:
            return f"{self.reference}-addendum-{self.addendum_id}"
        return f"{self.reference}-v{self.version}"

    def json_bytes(self) -> bytes:
        return json.dumps(self.document, ensure_ascii=False, indent=2).encode()


class Transport(Protocol):
    wants_pdf: bool  # whether `deliver_one` should render the PDF for it

    @property
    def destination(self) -> str:
        """Where parcels go, fit for the audit log (no credentials)."""
        ...

    def send(self, parcel: Parcel) -> dict[str, Any]:
        """Deliver the parcel and return the receipt, or raise `TransportError`."""
        ...


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would turn a redirected POST into a GET (and could report a delivery that never
    # happened): a redirect is a failure for the receiver's operators to fix.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def signature(key: bytes, timestamp: str, body: bytes) -> str:
    """`X-Signature`: HMAC-SHA-256 with MASH_SIGNING_KEY over `<X-Timestamp>.<body>`."""
    mac = hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


@dataclass(frozen=True)
class Credentials:
    """How the MASH knows a parcel is ours: a bearer token and/or a client certificate
    (mutual TLS), and a key to sign each body with. From settings (MASH_*)."""

    token: str | None = None
    signing_key: bytes | None = None
    client_cert: str | None = None
    client_key: str | None = None
    ca_bundle: str | None = None

    def ssl_context(self) -> ssl.SSLContext | None:
        if not (self.client_cert or self.ca_bundle):
            return None
        context = ssl.create_default_context(cafile=self.ca_bundle)
        if self.client_cert:
            context.load_cert_chain(self.client_cert, self.client_key)
        return context


class HttpTransport:
    """POST the JSON document; any 2xx is delivered, its JSON body (or {}) the receipt. Each
    try is signed afresh (`X-Timestamp`, `X-Signature`) so the receiver can refuse a replay."""

    wants_pdf = False

    def __init__(
        self, endpoint: str, timeout: float = 10, credentials: Credentials | None = None
    ) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the MASH endpoint must be an http(s) URL")
        self.endpoint = endpoint
        self.timeout = timeout
        self.credentials = credentials or Credentials()
        handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
        if (context := self.credentials.ssl_context()) is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self._opener = urllib.request.build_opener(*handlers)

    def _auth_headers(self, body: bytes) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.credentials.token:
            headers["Authorization"] = f"Bearer {self.credentials.token}"
        if self.credentials.signing_key:
            timestamp = str(int(time.time()))
            headers["X-Timestamp"] = timestamp
            headers["X-Signature"] = signature(self.credentials.signing_key, timestamp, body)
        return headers

    @property
    def destination(self) -> str:
        parts = urlsplit(self.endpoint)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"

    def send(self, parcel: Parcel) -> dict[str, Any]:
        body = parcel.json_bytes()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.endpoint,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Idempotency-Key": parcel.key,
                "User-Agent": "ThinkChild-delivery/1",
                **self._auth_headers(body),
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_RECEIPT_BYTES)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise TransportError(f"HTTP {exc.code} {exc.reason}"[:200], exc.code) from exc
        except urllib.error.URLError as exc:
            raise TransportError(f"network error: {exc.reason}"[:200]) from exc
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            raise TransportError(f"network error: {exc!r}"[:200]) from exc
        return _receipt(body)


def _receipt(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body) if body.strip() else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


# A temporary outbox file older than this was left by a crash mid-write (a write takes a second).
STALE_TEMPORARY_SECONDS = 300


class FolderTransport:
    """Write `<key>.pdf` (when there is one) then `<key>.json` into a folder, each atomically."""

    wants_pdf = True

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @property
    def destination(self) -> str:
        return str(self.path)

    def send(self, parcel: Parcel) -> dict[str, Any]:
        files = []
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            # The PDF first: whoever watches for the JSON finds its PDF already there.
            if parcel.pdf is not None:
                files.append(self._write(f"{parcel.key}.pdf", parcel.pdf))
            files.append(self._write(f"{parcel.key}.json", parcel.json_bytes()))
        except OSError as exc:
            raise TransportError(f"could not write to the outbox folder: {exc}"[:200]) from exc
        return {"id": parcel.key, "folder": str(self.path.resolve()), "files": files}

    def remove_stale_temporaries(self, *, older_than: float = STALE_TEMPORARY_SECONDS) -> int:
        """Delete temporary files a crash left mid-write (child data no one will read): only
        ours (`.<name>.<random>.tmp`) and only older than any write takes, so another worker's
        write in progress is left alone. Returns how many."""
        removed = 0
        cutoff = time.time() - older_than
        for temp in self.path.glob(".*.tmp") if self.path.is_dir() else ():
            try:
                if temp.is_file() and temp.stat().st_mtime < cutoff:
                    temp.unlink()
                    removed += 1
            except FileNotFoundError:  # removed meanwhile by another worker
                continue
        return removed

    def _write(self, name: str, data: bytes) -> dict[str, Any]:
        """Write to a temporary file in the same folder (so the rename stays on one file
        system, and is atomic), fsync it, then rename it into place."""
        target = self.path / name
        fd, temp = tempfile.mkstemp(dir=self.path, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return {
            "path": str(target.resolve()),
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }


def from_settings(settings: Settings | None = None) -> Transport:
    """HTTP to MASH_ENDPOINT when it is set, otherwise files in OUTBOX_DIR."""
    settings = settings or get_settings()
    if settings.mash_endpoint:
        token, key = settings.mash_token, settings.mash_signing_key
        credentials = Credentials(
            token=token.get_secret_value() if token else None,
            signing_key=key.get_secret_value().encode() if key else None,
            client_cert=settings.mash_client_cert,
            client_key=settings.mash_client_key,
            ca_bundle=settings.mash_ca_bundle,
        )
        return HttpTransport(settings.mash_endpoint, settings.delivery_timeout_seconds, credentials)
    return FolderTransport(settings.outbox_dir)
