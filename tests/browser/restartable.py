"""A browser-test server that can be killed and started again on the same port and database:
for "the server dies mid-sync and comes back" (the session fixtures' servers live for the whole
run and cannot be stopped)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.browser.conftest import DEMO_PASSWORD, _free_port
from tests.helpers import ROOT


class RestartableServer:
    """The app under uvicorn with a fresh SQLite database and the demo users (prompt set v2)."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="thinkchild-restart-"))
        self.env = {
            **os.environ,
            "ENVIRONMENT": "development",
            "STRICT_TEMPLATES": "1",
            "DATABASE_URL": f"sqlite:///{self.tmp / 'browser.db'}",
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "ARGON2_MEMORY_KIB": "64",
            "ARGON2_TIME_COST": "1",
            "OUTBOX_DIR": str(self.tmp / "outbox"),
        }
        for step in (["-m", "alembic", "upgrade", "head"], ["-m", "app.seed"]):
            subprocess.run(
                [sys.executable, *step], cwd=ROOT, env=self.env, check=True, capture_output=True
            )
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.tmp / "server.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.browser.serve", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.kill()
                    raise RuntimeError((self.tmp / "server.log").read_text()) from None
                time.sleep(0.1)

    def kill(self) -> None:
        """Killed outright (SIGKILL): no shutdown, as when the machine or process dies."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None
