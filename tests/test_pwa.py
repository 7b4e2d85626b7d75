"""The installable app's server side: manifest, service worker, offline pages, session API."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from PIL import Image

from app import pwa
from app.assets import static_url
from app.paths import STATIC_DIR
from app.templating import templates
from tests.helpers import Browserless

OFFLINE_PAGES = ("/offline", "/offline/needs-connection", "/offline/conflicts")


def test_manifest_meets_the_install_criteria(client: Browserless) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    body = response.json()
    assert body["display"] == "standalone"
    assert (body["start_url"], body["scope"]) == ("/", "/")
    assert body["theme_color"] == pwa.THEME_COLOUR and body["name"] and body["short_name"]
    sizes = {icon["sizes"] for icon in body["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in body["icons"])
    for icon in body["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200
        with Image.open(io.BytesIO(served.content)) as image:
            width, height = image.size
        assert f"{width}x{height}" == icon["sizes"]


def test_every_page_links_the_manifest(client: Browserless) -> None:
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/login").text


def test_the_service_worker_is_filled_in(client: Browserless) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["Service-Worker-Allowed"] == "/"
    source = response.text
    assert "__VERSION__" not in source and "__SHELL__" not in source
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', source)
    assert version is not None
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", source).group(1))  # type: ignore[union-attr]
    assert "/offline" in shell and "/offline/needs-connection" in shell
    for url in shell:  # every file it caches exists (a missing one would fail the install)
        assert client.get(url).status_code == 200, url


def test_the_shell_holds_every_risk_rules_module() -> None:
    """Offline, the check-answers screen suggests a grade with static/js/risk/assess.mjs, which
    imports the other risk modules: the service worker caches them all."""
    modules = sorted(p.name for p in (STATIC_DIR / "js" / "risk").glob("*.mjs"))
    assert "assess.mjs" in modules and "rules_v2_high.mjs" in modules
    for name in modules:
        assert static_url(f"js/risk/{name}") in pwa.offline_files(), name


def test_the_shell_holds_no_page_with_records() -> None:
    shell = [*pwa.SHELL_PAGES, *pwa.offline_files()]
    assert all(
        url.startswith("/static/") or url in (*OFFLINE_PAGES, "/manifest.webmanifest")
        for url in shell
    )


@pytest.mark.parametrize("url", OFFLINE_PAGES)
def test_offline_pages_are_the_same_for_everyone(
    client: Browserless, as_officer: Browserless, url: str
) -> None:
    page = as_officer.get(url)
    assert page.status_code == 200
    assert as_officer.user.display_name not in page.text  # cached: nothing about the user
    assert 'name="csrf-token" content=""' in page.text


def test_the_needs_connection_page_says_so_plainly(client: Browserless) -> None:
    page = client.get("/offline/needs-connection").text
    assert "This page needs a signal" in page
    assert "Review queues, coaching pages" in page


@pytest.mark.db
def test_the_session_api(client: Browserless, as_officer: Browserless) -> None:
    body = as_officer.get("/api/v1/session").json()
    assert body["user_id"] == str(as_officer.user.id)
    assert body["roles"] == ["officer"]
    assert body["csrf_token"] == as_officer.csrf
    assert as_officer.get("/api/v1/session").headers["Cache-Control"] == "no-store"
    as_officer.cookies.clear()
    assert as_officer.get("/api/v1/session").status_code == 401


def test_the_offline_app_names_the_grades_as_every_page_does(client: Browserless) -> None:
    """Offline, "Check your answers" words the suggested grade with the names in
    components/_words.html (the one place they live), given to the page in #tc-capture's
    data-grade-names for static/js/offline/grade.mjs."""
    page = client.get("/offline").text
    found = re.search(r"<div id=\"tc-capture\" data-grade-names='([^']*)'>", page)
    assert found, page
    words = templates.env.get_template("components/_words.html").module
    assert json.loads(html.unescape(found.group(1))) == dict(words.grade_names)  # type: ignore[attr-defined]
    assert set(words.grade_names) == {"standard", "medium", "high"}  # type: ignore[attr-defined]
