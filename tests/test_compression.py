"""Pages, JSON, CSS and JavaScript go compressed, with the right Vary; tiny bodies and answers to
requests another site could have caused (BREACH) do not; pages with personal data stay no-store."""

from __future__ import annotations

import gzip
import uuid

import brotli
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from app.assets import static_url
from app.compression import MINIMUM_SIZE, Compression
from app.templating import GOVUK_FRONTEND_VERSION
from tests.helpers import Browserless

OURS = {"Sec-Fetch-Site": "same-origin"}


def _decoded(response_bytes: bytes, encoding: str) -> bytes:
    return (
        brotli.decompress(response_bytes) if encoding == "br" else gzip.decompress(response_bytes)
    )


def _raw(
    client: Browserless, url: str, encoding: str, **headers: str
) -> tuple[dict[str, str], bytes]:
    """Headers and the bytes as sent over the wire (not decoded by the client)."""
    with client.stream("GET", url, headers={"Accept-Encoding": encoding, **headers}) as response:
        return dict(response.headers), b"".join(response.iter_raw())


def _incident(client: Browserless) -> str:
    response = client.post(
        "/api/v1/incidents",
        json={"client_uuid": str(uuid.uuid4())},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.mark.db
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_every_text_type_goes_compressed(as_officer: Browserless, encoding: str) -> None:
    incident = _incident(as_officer)
    urls = {
        "text/html": f"/incidents/{incident}/s/incident/1",
        "application/json": "/api/v1/prompt-set",
        "text/css": static_url(
            f"vendor/govuk-frontend-{GOVUK_FRONTEND_VERSION}/govuk-frontend.min.css"
        ),
        "text/javascript": static_url("js/checklist.mjs"),
    }
    for media, url in urls.items():
        headers, raw = _raw(as_officer, url, encoding, **OURS)
        assert headers["content-type"].startswith(media), url
        assert headers["content-encoding"] == encoding, url
        assert "accept-encoding" in headers["vary"].lower(), url
        plain = as_officer.get(url, headers={"Accept-Encoding": "identity", **OURS})
        assert "content-encoding" not in plain.headers
        assert _decoded(raw, encoding) == plain.content, url
        assert len(raw) < len(plain.content) / 2, url


@pytest.mark.db
def test_a_page_keeps_its_own_vary_and_no_store(as_officer: Browserless) -> None:
    incident = _incident(as_officer)
    headers, _ = _raw(as_officer, f"/incidents/{incident}/s/incident/1", "br", **OURS)
    vary = [v.strip().lower() for v in headers["vary"].split(",")]
    assert vary.count("hx-request") == 1 and vary.count("accept-encoding") == 1
    assert headers["cache-control"] == "no-store"


@pytest.mark.db
@pytest.mark.parametrize("site", ["cross-site", "same-site", None])
def test_no_compression_for_requests_another_site_could_cause(
    as_officer: Browserless, site: str | None
) -> None:
    """BREACH: a signed-in request not from our own pages gets its answer uncompressed."""
    extra = {"Sec-Fetch-Site": site} if site else {}
    for url in ("/incidents", "/api/v1/prompt-set"):
        headers, _ = _raw(as_officer, url, "br, gzip", **extra)
        assert "content-encoding" not in headers, url
        assert "accept-encoding" in headers["vary"].lower(), url
    # The person's own navigation (typed address, bookmark) is compressed.
    headers, _ = _raw(as_officer, "/incidents", "br", **{"Sec-Fetch-Site": "none"})
    assert headers["content-encoding"] == "br"


@pytest.mark.db
def test_pages_with_personal_data_stay_no_store(as_officer: Browserless) -> None:
    incident = _incident(as_officer)
    for url in (
        "/incidents",
        f"/incidents/{incident}",
        f"/incidents/{incident}/s/incident/1",
        f"/incidents/{incident}/check",
        f"/api/v1/incidents/{incident}",
    ):
        for encoding in ("br", "identity"):
            response = as_officer.get(url, headers={"Accept-Encoding": encoding, **OURS})
            assert response.status_code in (200, 303), url
            assert response.headers["cache-control"] == "no-store", url


@pytest.mark.db
def test_review_queue_is_compressed_and_no_store(as_supervisor: Browserless) -> None:
    headers, _ = _raw(as_supervisor, "/review", "br", **OURS)
    assert headers["content-encoding"] == "br"
    assert headers["cache-control"] == "no-store"


def _small_app() -> TestClient:
    async def tiny(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def page(request: Request) -> Response:
        return HTMLResponse("<p>hello</p>" * 500, headers={"Vary": "HX-Request"})

    async def pdf(request: Request) -> Response:
        return Response(b"%PDF" * 1000, media_type="application/pdf")

    async def stream(request: Request) -> Response:
        async def parts():  # type: ignore[no-untyped-def]
            for n in range(50):
                yield f'{{"n": {n}, "text": "{"x" * 100}"}}\n'.encode()

        return StreamingResponse(parts(), media_type="application/json")

    routes = [
        Route("/tiny", tiny),
        Route("/page", page),
        Route("/pdf", pdf),
        Route("/stream", stream),
    ]
    return TestClient(Compression(Starlette(routes=routes)))


def test_tiny_bodies_and_binary_types_are_sent_as_they_are() -> None:
    client = _small_app()
    tiny = client.get("/tiny", headers={"Accept-Encoding": "br"})
    assert len(tiny.content) < MINIMUM_SIZE and "content-encoding" not in tiny.headers
    assert tiny.headers["vary"] == "Accept-Encoding"
    pdf = client.get("/pdf", headers={"Accept-Encoding": "br"})
    assert "content-encoding" not in pdf.headers and "vary" not in pdf.headers
    none = client.get("/page", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in none.headers
    assert none.headers["vary"] == "HX-Request, Accept-Encoding"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_streamed_bodies_are_compressed_as_they_go(encoding: str) -> None:
    client = _small_app()
    with client.stream("GET", "/stream", headers={"Accept-Encoding": encoding}) as response:
        assert response.headers["content-encoding"] == encoding
        assert "content-length" not in response.headers
        raw = b"".join(response.iter_raw())
    expected = b"".join(f'{{"n": {n}, "text": "{"x" * 100}"}}\n'.encode() for n in range(50))
    assert _decoded(raw, encoding) == expected
    assert len(raw) < len(expected) / 5
