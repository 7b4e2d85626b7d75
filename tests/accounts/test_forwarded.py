"""X-Forwarded-For is believed only from the proxies in FORWARDED_ALLOW_IPS (default: none).

The server is started with the Dockerfile's own command (its shell logic choosing uvicorn's
proxy flags) on a free port and a fresh database; a caller on 127.0.0.1 who sends
X-Forwarded-For is audited and throttled under 127.0.0.1 unless 127.0.0.1 is a trusted proxy.
The Makefile's run target chooses the same flags."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.accounts.models import LoginThrottle
from app.audit.models import AuditEvent
from tests.helpers import ROOT

UVICORN = str(Path(sys.executable).parent / "uvicorn")


def _docker_command() -> str:
    """The Dockerfile's CMD script, run here: no migration (done already), this venv's
    uvicorn, loopback only."""
    cmd = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")
    )
    argv = json.loads(cmd.removeprefix("CMD "))
    assert argv[:2] == ["sh", "-c"]
    script = str(argv[2])
    script = script.replace("alembic upgrade head", "true").replace(
        "exec uvicorn", "exec " + UVICORN
    )
    return script.replace("--host 0.0.0.0", "--host 127.0.0.1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(url: str, forwarded_allow_ips: str | None) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "ENVIRONMENT": "test"}
    env["LOGIN_MAX_FAILURES_PER_ADDRESS"] = "2"
    env.pop("FORWARDED_ALLOW_IPS", None)
    if forwarded_allow_ips is not None:
        env["FORWARDED_ALLOW_IPS"] = forwarded_allow_ips
    process = subprocess.Popen(["sh", "-c", _docker_command()], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise AssertionError("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _fail_sign_in(base: str, forwarded_for: str) -> int:
    with httpx.Client(base_url=base) as browser:
        page = browser.get("/login").text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match
        response = browser.post(
            "/login",
            data={"csrf_token": match.group(1), "username": "nobody", "password": "wrong"},
            headers={"X-Forwarded-For": forwarded_for},
        )
        return response.status_code


def _audited_addresses(engine: Engine) -> list[str]:
    with Session(engine) as s:
        query = select(AuditEvent.ip).where(col(AuditEvent.action).startswith("login."))
        return list(s.exec(query.order_by(col(AuditEvent.seq))))


def test_forwarded_for_from_an_untrusted_client_is_ignored(fresh_engine: Engine) -> None:
    url = fresh_engine.url.render_as_string(hide_password=False)
    with _server(url, forwarded_allow_ips=None) as base:
        # Each attempt claims another address; all count against the real one.
        assert _fail_sign_in(base, "203.0.113.1") == 422
        assert _fail_sign_in(base, "203.0.113.2") == 422
        assert _fail_sign_in(base, "203.0.113.3") == 429
    assert set(_audited_addresses(fresh_engine)) == {"127.0.0.1"}
    with Session(fresh_engine) as s:
        assert {row.address for row in s.exec(select(LoginThrottle))} == {"127.0.0.1"}


def test_forwarded_for_from_a_configured_proxy_is_believed(fresh_engine: Engine) -> None:
    url = fresh_engine.url.render_as_string(hide_password=False)
    with _server(url, forwarded_allow_ips="127.0.0.1") as base:
        assert _fail_sign_in(base, "203.0.113.1") == 422
    assert _audited_addresses(fresh_engine) == ["203.0.113.1"]


@pytest.mark.parametrize(
    ("allowed", "flags"),
    [("", "--no-proxy-headers"), ("10.0.0.2", "--proxy-headers --forwarded-allow-ips 10.0.0.2")],
)
def test_the_makefile_run_target_trusts_only_the_configured_proxies(
    allowed: str, flags: str
) -> None:
    env = {**os.environ, "FORWARDED_ALLOW_IPS": allowed, "PORT": "8000"}
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval=show: ; @echo $(PROXY_FLAGS)", "show"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == flags
    run = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert f"--port 8000 {flags} --no-server-header" in run.replace("'", "")
