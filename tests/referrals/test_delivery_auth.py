"""Authenticated delivery: a local MASH receiver checks the bearer token, the client
certificate (mutual TLS) and the body's signature (`X-Signature` over `<X-Timestamp>.<body>`),
and refuses a tampered body, a stale timestamp and a missing token."""

from __future__ import annotations

import hashlib
import hmac
import json
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.referrals.transport import (
    Credentials,
    HttpTransport,
    Parcel,
    TransportError,
    from_settings,
    signature,
)

TOKEN = "mash-token-for-tests-only"
KEY = b"mash-signing-key-for-tests-only-0123456789"
PARCEL = Parcel(reference="TC-2026-000001", version=1, document={"child": "Amy", "age": 7})


def mash_verifies(headers: dict[str, str], body: bytes, key: bytes, max_age: int = 300) -> bool:
    """What the MASH side checks (the README's snippet): the signature over timestamp and
    body, in constant time, and a timestamp within five minutes (a replay is refused)."""
    timestamp = headers.get("x-timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > max_age:
        return False
    expected = (
        "sha256=" + hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    )
    return hmac.compare_digest(expected, headers.get("x-signature", ""))


class Mash:
    """A MASH endpoint on loopback (HTTP, or HTTPS requiring a client certificate)."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.seen: list[tuple[dict[str, str], bytes]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.handle_error = lambda *_: None  # type: ignore[method-assign]
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}/referrals"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        mash = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                mash.seen.append((headers, body))
                token_ok = hmac.compare_digest(
                    headers.get("authorization", "").encode(), f"Bearer {TOKEN}".encode()
                )
                ok = token_ok and mash_verifies(headers, body, KEY)
                reply = json.dumps({"id": "MASH-1"} if ok else {"error": "refused"}).encode()
                self.send_response(200 if ok else 401)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        return Handler

    def __enter__(self) -> Mash:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def mash() -> Iterator[Mash]:
    with Mash() as m:
        yield m


def test_a_signed_parcel_with_the_token_is_taken_in(mash: Mash) -> None:
    transport = HttpTransport(mash.url, 5, Credentials(token=TOKEN, signing_key=KEY))
    assert transport.send(PARCEL) == {"id": "MASH-1"}
    headers, body = mash.seen[0]
    assert body == PARCEL.json_bytes()
    assert headers["x-signature"] == signature(KEY, headers["x-timestamp"], body)
    assert abs(int(headers["x-timestamp"]) - time.time()) < 5


def test_the_mash_refuses_a_tampered_body(mash: Mash) -> None:
    transport = HttpTransport(mash.url, 5, Credentials(token=TOKEN, signing_key=KEY))
    body = PARCEL.json_bytes()
    headers = transport._auth_headers(body)
    tampered = body.replace(b"Amy", b"Ann")
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        mash.url, data=tampered, method="POST", headers=headers
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - loopback test server
    refused.value.close()
    assert refused.value.code == 401
    assert mash_verifies({k.lower(): v for k, v in headers.items()}, body, KEY)  # untampered


def test_the_mash_refuses_a_replay_after_five_minutes(mash: Mash) -> None:
    body = PARCEL.json_bytes()
    old = str(int(time.time()) - 301)
    headers = {"x-timestamp": old, "x-signature": signature(KEY, old, body)}
    assert not mash_verifies(headers, body, KEY)


def test_without_the_token_or_the_key_delivery_is_refused(mash: Mash) -> None:
    for credentials in (Credentials(signing_key=KEY), Credentials(token=TOKEN)):
        with pytest.raises(TransportError) as refused:
            HttpTransport(mash.url, 5, credentials).send(PARCEL)
        assert refused.value.status_code == 401
    with pytest.raises(TransportError):
        HttpTransport(mash.url, 5, Credentials(token=TOKEN, signing_key=b"another key")).send(
            PARCEL
        )


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _certificates(folder: Path) -> None:
    """A CA, the MASH's certificate for 127.0.0.1 and our client certificate, signed by it."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl(
        "req",
        "-x509",
        *ec,
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=Test MASH CA",
        cwd=folder,
    )
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    for name in ("server", "client"):
        _openssl(
            "req",
            "-new",
            *ec,
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            "-subj",
            f"/CN={name}",
            cwd=folder,
        )
        _openssl(
            "x509",
            "-req",
            "-in",
            f"{name}.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            f"{name}.pem",
            "-days",
            "1",
            "-extfile",
            "san.ext",
            cwd=folder,
        )


def test_mutual_tls_with_the_client_certificate(tmp_path: Path) -> None:
    _certificates(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(tmp_path / "server.pem", tmp_path / "server.key")
    tls.load_verify_locations(tmp_path / "ca.pem")
    tls.verify_mode = ssl.CERT_REQUIRED  # no client certificate, no connection
    with Mash(tls) as mash:
        settings = Settings(
            mash_endpoint=mash.url,
            mash_token=TOKEN,
            mash_signing_key=KEY.decode(),
            mash_client_cert=str(tmp_path / "client.pem"),
            mash_client_key=str(tmp_path / "client.key"),
            mash_ca_bundle=str(tmp_path / "ca.pem"),
        )
        assert from_settings(settings).send(PARCEL) == {"id": "MASH-1"}
        no_cert = HttpTransport(
            mash.url,
            5,
            Credentials(token=TOKEN, signing_key=KEY, ca_bundle=str(tmp_path / "ca.pem")),
        )
        with pytest.raises(TransportError):
            no_cert.send(PARCEL)
    assert len(mash.seen) == 1


def test_production_refuses_an_endpoint_without_sender_authentication() -> None:
    base: dict[str, Any] = {
        "environment": "production",
        "secret_key": "s" * 40,
        "audit_key": "a" * 40,
        "mash_endpoint": "https://mash.example.org/in",
    }
    with pytest.raises(ValueError, match="MASH_SIGNING_KEY"):
        Settings(**base)
    with pytest.raises(ValueError, match="MASH_SIGNING_KEY"):
        Settings(**base, mash_signing_key="k" * 40)
    assert Settings(**base, mash_signing_key="k" * 40, mash_token=TOKEN).mash_token is not None
