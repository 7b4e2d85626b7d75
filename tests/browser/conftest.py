"""Browser tests: the real app under uvicorn, driven in Debian's headless Chromium."""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.seed import DEMO_SECOND_FACTOR_SECRET
from tests.helpers import ROOT

DEMO_PASSWORD = "browser-demo-password"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
# A check waits up to 15 s for the page to come right (Playwright's default is 5 s): a passing
# check returns as soon as it holds, and a loaded 2-core CI machine can take longer than 5 s to
# draw a screen built in the browser. Only a check that fails waits the whole time.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(version: int | None) -> Iterator[str]:
    """The app on a free port with a fresh SQLite database holding the demo users; new
    incidents answered under prompt-set ``version`` (None: the current one)."""
    tmp = Path(tempfile.mkdtemp(prefix="thinkchild-browser-"))
    env = {
        **os.environ,
        "ENVIRONMENT": "development",
        "STRICT_TEMPLATES": "1",
        "DATABASE_URL": f"sqlite:///{tmp / 'browser.db'}",
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "ARGON2_MEMORY_KIB": "64",
        "ARGON2_TIME_COST": "1",
        "OUTBOX_DIR": str(tmp / "outbox"),
    }
    python = sys.executable
    subprocess.run(
        [python, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run([python, "-m", "app.seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [python, "-m", "tests.browser.serve", str(port), *([str(version)] if version else [])],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as r:  # noqa: S310
                if r.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError((tmp / "server.log").read_text()) from None
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The app for the v1 browser tests: new incidents are answered under v1."""
    yield from _serve(1)


@pytest.fixture(scope="session")
def live_server_v2() -> Iterator[str]:
    """The app with new incidents answered under the current prompt set (v2)."""
    yield from _serve(None)


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server, **PHONE)
    yield context
    context.close()


@pytest.fixture
def phone_page(phone: BrowserContext) -> Page:
    return phone.new_page()


# The last time step whose code each demo user typed, per server: a code is good once, so a
# user signing in again within its 30 seconds types the next one (accepted a step early).
_used_steps: dict[tuple[str, str], int] = {}


def _path(url: str) -> str:
    return urlsplit(url).path


def log_in(page: Page, username: str) -> None:
    """Sign in as a demo user; supervisors, the coach and the admin type the code from their
    authenticator app (the seed's published development secret)."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: _path(url) != "/login")
    if _path(page.url) != "/login/code":
        return
    key = (urlsplit(page.url).netloc, username)
    while (step := max(int(time.time()) // 30, _used_steps.get(key, 0) + 1)) > int(
        time.time()
    ) // 30 + 1:
        time.sleep(1)
    _used_steps[key] = step
    page.fill("#code", pyotp.TOTP(DEMO_SECOND_FACTOR_SECRET).at(step * 30))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: not _path(url).startswith("/login"))


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def assert_accessible(page: Page) -> None:
    """axe-core finds no violations on the page as it is now."""
    # Evaluated over the DevTools protocol: a <script> tag would (rightly) be refused by the CSP.
    page.evaluate(_axe_source())
    violations = page.evaluate("async () => (await axe.run()).violations")
    summary = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert violations == [], f"{page.url}: {summary}"


def assert_fits(page: Page) -> None:
    """Nothing scrolls sideways at the page's width."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
