"""The installable, offline-capable app: web manifest, service worker, offline pages.

The service worker (``static/js/sw.js``, served from ``/sw.js`` so that its scope is the whole
site) caches the app shell listed here: pages and files with no personal data in them. Its
version is a hash of every file it caches, so any change to them is offered to the officer as
an update. Pages that show records are never cached (``Cache-Control: no-store``); offline, a
navigation gets the offline app (officers) or a page saying the screen needs a connection.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from app.assets import static_url
from app.paths import STATIC_DIR
from app.templating import GOVUK_FRONTEND_VERSION, HTMX_VERSION
from app.web import render

router = APIRouter(include_in_schema=False)

THEME_COLOUR = "#0b0c0c"
OFFLINE_APP = "/offline"
NEEDS_CONNECTION = "/offline/needs-connection"
CONFLICTS = "/offline/conflicts"
# Screens that only make sense with the server (supervisors, coaches, administrators, the
# referral documents): offline, they say so plainly instead of showing the officer's app.
SERVER_ONLY_PREFIXES = ("/review", "/coaching", "/admin", "/referrals", "/feedback", "/account")

_GOVUK = f"vendor/govuk-frontend-{GOVUK_FRONTEND_VERSION}"
# The shell's static files, by their names under static/ (served under fingerprinted names).
SHELL_FILES = (
    f"{_GOVUK}/govuk-frontend.min.css",
    f"{_GOVUK}/govuk-frontend.min.mjs",
    f"{_GOVUK}/assets/images/favicon.ico",
    f"vendor/htmx-{HTMX_VERSION}.min.js",
    "css/app.css",
    "js/app.mjs",
    "js/checklist.mjs",
    "js/pwa.mjs",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
)
SHELL_PAGES = (OFFLINE_APP, NEEDS_CONNECTION, CONFLICTS, "/manifest.webmanifest")


# Folders of ES modules the offline app needs whole: the offline app itself and the risk rules
# (``static/js/risk/``, the suggestion offline, the same as the server's).
MODULE_DIRS = ("js/offline", "js/risk")


@functools.cache
def offline_files() -> tuple[str, ...]:
    """The URLs of the shell's files, with every module of the offline app
    (``static/js/offline/``) and of the risk rules (``static/js/risk/``): fingerprinted, so
    their names change with their content."""
    modules = [
        f"{folder}/{path.name}"
        for folder in MODULE_DIRS
        for path in sorted((STATIC_DIR / folder).glob("*.mjs"))
    ]
    return tuple(static_url(name) for name in (*SHELL_FILES, *modules))


@functools.cache
def service_worker_source() -> str:
    """``static/js/sw.js`` with the list of files to cache and a version that changes whenever
    one of them (or the worker itself) does."""
    template = (STATIC_DIR / "js" / "sw.js").read_text(encoding="utf-8")
    digest = hashlib.sha256(template.encode())
    for url in offline_files():  # a fingerprinted name: it changes when the file does
        digest.update(url.encode() + b"\0")
    for name in ("offline.html", "needs_connection.html", "conflicts.html"):
        digest.update((STATIC_DIR.parent / "templates" / "pwa" / name).read_bytes())
    shell = [*SHELL_PAGES, *offline_files()]
    return (
        template.replace('"__VERSION__"', f'"{digest.hexdigest()[:16]}"')
        .replace('["__SHELL__"]', _json_list(shell))
        .replace('["__SERVER_ONLY__"]', _json_list(SERVER_ONLY_PREFIXES))
    )


def _json_list(items: Any) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def manifest() -> dict[str, Any]:
    return {
        "name": "Think Child",
        "short_name": "Think Child",
        "description": "Record what you saw and heard about each child, and refer them.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static_url("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


@router.get("/manifest.webmanifest")
def web_manifest() -> Response:
    return JSONResponse(manifest(), media_type="application/manifest+json")


@router.get("/sw.js")
def service_worker() -> Response:
    return Response(
        service_worker_source(),
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/"},
    )


@router.get(OFFLINE_APP)
def offline_app(request: Request) -> Response:
    """The officer's offline app: the same page for everyone, with nothing personal in it (it
    is cached). Its script reads the signed-in user and CSRF token from /api/v1/session."""
    return render(request, "pwa/offline.html", principal=None, csrf_token="")


@router.get(NEEDS_CONNECTION)
def needs_connection(request: Request) -> Response:
    return render(request, "pwa/needs_connection.html", principal=None, csrf_token="")


@router.get(CONFLICTS)
def conflicts(request: Request) -> Response:
    """Choosing, per question, between what was typed with no signal and what the server holds
    now: drawn in the browser from the encrypted drafts; the page itself holds nothing personal."""
    return render(request, "pwa/conflicts.html", principal=None, csrf_token="")
