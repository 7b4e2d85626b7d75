"""What the benchmarks share: a migrated database with users, uvicorn on a free loopback port
run as in production, and signed-in clients (cookies sent by hand: production cookies are
``Secure`` and the benchmarks speak plain HTTP on loopback)."""

from __future__ import annotations

import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
PASSWORD = "bench-password-1"
OURS = {"Sec-Fetch-Site": "same-origin"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def machine() -> str:
    cores = os.cpu_count() or 0
    return f"{platform.machine()} {cores} cores, Python {platform.python_version()}"


def seed_users(url: str, officers: int, supervisors: int = 1) -> tuple[list[str], list[str]]:
    """Migrate the database at ``url`` and add one team with its officers and supervisors (no
    second factor: the benchmarks sign in with a password)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ENVIRONMENT", "development")  # this process only seeds
    from sqlmodel import Session

    from app.accounts.models import Role, SecondFactorRule
    from app.db import make_engine
    from tests.factories import make_team, make_user
    from tests.helpers import migrate

    eng = make_engine(url)
    migrate(eng)
    with Session(eng) as s:
        s.add_all(SecondFactorRule(role=role, required=False) for role in Role)
        team = make_team(s)
        names = [
            make_user(s, roles=["officer"], team=team, password=PASSWORD).username
            for _ in range(officers)
        ]
        bosses = [
            make_user(s, roles=["supervisor"], supervises=[team], password=PASSWORD).username
            for _ in range(supervisors)
        ]
    eng.dispose()
    return names, bosses


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]


@contextmanager
def serve(
    url: str,
    tmp: Path,
    *,
    app: str = "app.main:app",
    workers: int = 1,
    extra_env: dict[str, str] | None = None,
    with_worker: bool = False,
) -> Iterator[Server]:
    """uvicorn on a free loopback port (as production: ENVIRONMENT=production), stopped after."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "AUDIT_KEY": secrets.token_hex(32),
        "PDF_CACHE_DIR": str(tmp / "pdf-cache"),
        "OUTBOX_DIR": str(tmp / "outbox"),
        "ARGON2_MEMORY_KIB": os.environ.get("ARGON2_MEMORY_KIB", "19456"),
        "PYTHONPATH": str(ROOT / "bench"),
        **(extra_env or {}),
    }
    command: Sequence[str] = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    helper = (
        subprocess.Popen([sys.executable, "-m", "app.worker"], cwd=ROOT, env=env)
        if with_worker
        else None
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield Server(base, process)
    finally:
        for p in (process, helper):
            if p is not None:
                p.terminate()
                p.wait(20)


def _cookies(response: httpx.Response) -> dict[str, str]:
    jar = {}
    for line in response.headers.get_list("set-cookie"):
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def sign_in(base: str, username: str) -> tuple[dict[str, str], str]:
    """Headers that carry the session (Cookie, X-CSRF-Token, Sec-Fetch-Site) for ``username``."""
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login")
        jar = _cookies(page)
        token = CSRF_META.search(page.text)
        assert token, "no CSRF token on the login page"
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        sent = {"csrf_token": token[1], "username": username, "password": PASSWORD}
        done = client.post("/login", data=sent, headers={"Cookie": cookie})
        assert done.status_code == 303, f"log-in failed: {done.status_code}"
        jar = {k: v for k, v in _cookies(done).items() if v and "session" in k}
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        home = client.get("/incidents", headers={"Cookie": cookie})
        token = CSRF_META.search(home.text)
        assert token, "no CSRF token after log-in"
    return {"Cookie": cookie, "X-CSRF-Token": token[1], **OURS}, token[1]
