"""Serve the app for browser tests, optionally with new incidents answered under an older
prompt-set version: ``python -m tests.browser.serve PORT [VERSION]``.

The existing browser tests walk v1's screens, so their server starts new incidents under v1
(as ``tests/conftest.py`` pins ``promptset.current()`` for the in-process tests).
"""

from __future__ import annotations

import sys

import uvicorn

from app.checklist import promptset


def main(argv: list[str]) -> None:
    port = int(argv[0])
    if len(argv) > 1:
        version = int(argv[1])
        promptset.current = lambda: promptset.load_version(version)
    uvicorn.run(
        "app.main:app", host="127.0.0.1", port=port, log_level="warning", server_header=False
    )


if __name__ == "__main__":
    main(sys.argv[1:])
