"""Serve the app for browser tests, optionally with new incidents answered under an older
prompt-set version: ``python -m tests.browser.serve PORT [VERSION]``.

The existing browser tests walk v1's screens, so their server starts new incidents under v1
(as ``tests/conftest.py`` pins ``promptset.current()`` for the in-process tests).
``GET /__test__/new-release`` gives the service worker a new version (the update banner's
test), and ``GET /__test__/expire-sessions`` ends every session as a long idle time would
(tests/browser/test_session_expiry.py); the routes exist only in this test server.
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi.responses import PlainTextResponse

from app.checklist import promptset


def main(argv: list[str]) -> None:
    port = int(argv[0])
    if len(argv) > 1:
        version = int(argv[1])
        promptset.current = lambda: promptset.load_version(version)
    from app import pwa
    from app.main import app

    release = {"n": 0}
    original = pwa.service_worker_source

    def worker_source() -> str:  # the same worker, a new version after each release
        return original().replace('const VERSION = "', f'const VERSION = "r{release["n"]}-', 1)

    def new_release() -> PlainTextResponse:
        release["n"] += 1
        return PlainTextResponse("released")

    def expire_sessions() -> PlainTextResponse:  # as if idle for a day: every session ends
        from datetime import timedelta

        from sqlalchemy import update
        from sqlmodel import Session

        from app.accounts.models import UserSession
        from app.db import get_engine
        from app.models_base import utcnow

        with Session(get_engine()) as session:
            session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(days=1)))
            session.commit()
        return PlainTextResponse("expired")

    pwa.service_worker_source = worker_source  # type: ignore[assignment]
    app.add_api_route("/__test__/new-release", new_release, methods=["GET"])
    app.add_api_route("/__test__/expire-sessions", expire_sessions, methods=["GET"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", server_header=False)


if __name__ == "__main__":
    main(sys.argv[1:])
