"""Body limits (forms 256 KB, API 1 MB) and NUL refused in any form or JSON, before any route."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select
from starlette.types import Message

from app.accounts.models import Team
from app.checklist.models import Incident
from app.main import app
from app.request_guard import API_LIMIT, FORM_LIMIT, has_nul, media_type
from tests.factories import make_user
from tests.helpers import Browserless, check_page

pytestmark = pytest.mark.db

API = "/api/v1"
CHUNK = 64 * 1024


def _teams(session: Session) -> list[str]:
    return list(session.exec(select(Team.name)))


# --- size ----------------------------------------------------------------------------------------


def test_a_large_form_is_refused_before_sign_in_from_its_length(client: Browserless) -> None:
    client.get("/login")
    big = {"username": "a", "password": "x" * (FORM_LIMIT + 1), "csrf_token": client.csrf}
    response = client.post("/login", data=big)
    assert response.status_code == 413
    check_page(response.text)
    assert "What you sent is too large" in response.text
    assert response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/login", f"{API}/incidents"])
def test_a_large_chunked_body_stops_being_read_at_the_limit(path: str) -> None:
    """At the ASGI level, as a server streams it: the body is never read past the limit."""
    limit = API_LIMIT if path.startswith("/api/") else FORM_LIMIT
    read = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal read
        read += CHUNK
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": True}  # 10 GB, say

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"transfer-encoding", b"chunked"),
        ],
        "client": ("192.0.2.1", 5000),
        "server": ("testserver", 80),
    }
    # In a thread of its own: the browser tests' Playwright keeps an event loop in this one.
    runner = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    runner.start()
    runner.join(timeout=30)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert read <= limit + CHUNK


def test_a_form_under_the_limit_is_read(as_admin: Browserless, session: Session) -> None:
    response = as_admin.form(
        "/admin/teams", {"name": "Late turn", "padding": "x" * (FORM_LIMIT // 2)}
    )
    assert response.status_code == 303
    assert "Late turn" in _teams(session)


def test_a_large_api_body_gets_a_json_413(as_officer: Browserless) -> None:
    body = json.dumps({"client_uuid": str(uuid.uuid4()), "pad": "x" * API_LIMIT})
    headers = {"X-CSRF-Token": as_officer.csrf, "Content-Type": "application/json"}
    response = as_officer.post(f"{API}/incidents", content=body, headers=headers)
    assert response.status_code == 413
    assert response.json() == {"error": "too_large"}

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(body), CHUNK):
            yield body[i : i + CHUNK].encode()

    chunked = as_officer.post(f"{API}/incidents", content=chunks(), headers=headers)
    assert chunked.status_code == 413
    assert chunked.json() == {"error": "too_large"}


def test_an_api_body_over_the_form_limit_but_under_its_own_is_read(
    as_officer: Browserless,
) -> None:
    body = {"client_uuid": str(uuid.uuid4()), "answers": "x" * (FORM_LIMIT * 2)}
    response = as_officer.post(
        f"{API}/incidents", json=body, headers={"X-CSRF-Token": as_officer.csrf}
    )
    assert response.status_code != 413


# --- NUL -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "APPLICATION/X-WWW-FORM-URLENCODED",
        "Application/x-www-form-urlencoded; charset=utf-8",
        "application/x-www-form-urlencoded",
    ],
)
def test_nul_in_a_form_of_any_spelling_is_a_plain_400(
    as_admin: Browserless, session: Session, content_type: str
) -> None:
    body = f"csrf_token={as_admin.csrf}&name=Night%00shift"
    response = as_admin.post("/admin/teams", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 400
    check_page(response.text)
    assert "NUL" in response.text
    assert not any(n.startswith("Night") for n in _teams(session))


def test_nul_in_a_multipart_form_is_a_plain_400(as_admin: Browserless, session: Session) -> None:
    fields = {"csrf_token": (None, as_admin.csrf), "name": (None, "Night\x00shift")}
    response = as_admin.post("/admin/teams", files=fields)
    assert response.status_code == 400
    assert not any(n.startswith("Night") for n in _teams(session))


def test_nul_in_the_sign_in_form_is_a_400_not_a_server_error(
    client: Browserless, session: Session
) -> None:
    user = make_user(session)
    client.get("/login")
    for name in (f"{user.username}\x00", "a\x00b"):
        response = client.post(
            "/login",
            content=f"csrf_token={client.csrf}&username={name.replace(chr(0), '%00')}&password=x",
            headers={"Content-Type": "APPLICATION/X-WWW-FORM-URLENCODED"},
        )
        assert response.status_code == 400


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "Application/JSON; charset=utf-8", "application/problem+json", None],
)
def test_nul_in_json_is_a_422_and_nothing_is_saved(
    as_officer: Browserless, session: Session, content_type: str | None
) -> None:
    headers = {"X-CSRF-Token": as_officer.csrf}
    created = as_officer.post(
        f"{API}/incidents", json={"client_uuid": str(uuid.uuid4())}, headers=headers
    )
    incident_id = created.json()["id"]
    body = '{"answers": {"incident.summary": "Shouting\\u0000 heard"}}'
    if content_type:
        headers["Content-Type"] = content_type
    response = as_officer.put(
        f"{API}/incidents/{incident_id}/answers", content=body, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    incident = session.get(Incident, uuid.UUID(incident_id))
    assert incident is not None
    session.refresh(incident)
    assert "Shouting" not in json.dumps(incident.answers)


def test_a_raw_nul_byte_in_json_is_a_422(as_officer: Browserless) -> None:
    headers = {"X-CSRF-Token": as_officer.csrf, "Content-Type": "application/json"}
    response = as_officer.post(
        f"{API}/incidents", content=b'{"client_uuid": "\x00"}', headers=headers
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("body", "media", "refused"),
    [
        (b'{"a": "\\u0000"}', "application/json", True),
        (b'{"a": "\\\\\\u0000"}', "application/json", True),  # an escaped backslash, then NUL
        (b'{"a": "\\\\u0000"}', "application/json", False),  # the text \u0000, not a NUL
        (b'{"a": "\\u0041"}', "application/json", False),
        (b"a=%00", "application/x-www-form-urlencoded", True),
        (b"a=%2500", "application/x-www-form-urlencoded", False),  # the text %00
        (b"--b\r\n\x00", "multipart/form-data", True),
        (b"%00", "multipart/form-data", False),
        (b'{"a": "\\u0000"}', "", True),  # no content type: FastAPI reads it as JSON
    ],
)
def test_what_counts_as_a_nul(body: bytes, media: str, refused: bool) -> None:
    assert has_nul(body, media) is refused


def test_media_type_ignores_case_and_parameters() -> None:
    assert media_type("Application/JSON; charset=utf-8") == "application/json"
    assert media_type(None) == ""
